"""API: the record, public (no token): entries, checkpoints, inclusion proofs, the public key, receipts."""

from __future__ import annotations

from datetime import datetime

from django.http import HttpRequest, HttpResponse
from ninja import Field, Query, Router, Schema
from ninja.errors import HttpError

from frombelow.web.api.accounts import REFUSALS
from frombelow.web.api.text import Text
from frombelow.web.ids import names_nothing
from frombelow.web.queries import ledger

router = Router(tags=["ledger"])


class EntryOut(Schema):
    index: int
    at: datetime
    kind: str
    actor: str = Field(description='a member id, or "the count" for what a count decides')
    actor_name: str
    summary: str


class EntriesOut(Schema):
    entries: list[EntryOut]
    kind: str = Field(description='the kind filtered on, "" for every kind')
    total: int = Field(description="entries of that kind in the whole ledger")
    page: int | None = Field(description="the page number; null when asked with before=")
    pages: int
    older_before: int | None = Field(description="pass as before= for the next, older, entries; null at the end")


class EntriesQuery(Schema):
    kind: str = Field("", description="only entries of this kind (e.g. 'poll counted')")
    page: int | None = Field(None, ge=1, description=f"page of {ledger.PER_PAGE}, 1 being the newest")
    before: int | None = Field(None, ge=0, description="the entries before this index, newest first")


class ProofOut(Schema):
    """What ``frombelow proof --check FILE`` checks: save this object as FILE."""

    entry: str
    index: int
    leaf_hash: str
    size: int
    root: str
    audit_path: list[str]
    checkpoint: str
    public_key: str


class EntryDetailOut(Schema):
    index: int
    at: datetime
    kind: str
    actor: str
    actor_name: str
    summary: str
    data: str = Field(description="the entry's canonical JSON, exactly as stored, hashed and signed")
    hash: str = Field(description="hex SHA-256 of data")
    previous: str = Field(description="hex SHA-256 of the entry before (64 zeros for the first)")
    proof: ProofOut | None = Field(
        description="its inclusion proof against the latest checkpoint; null until one covers it"
    )


class CheckpointOut(Schema):
    size: int
    root: str
    head: str
    at: datetime
    key_id: str
    signature: str
    data: str = Field(description="the checkpoint's canonical JSON line, as checkpoints.jsonl holds it")


class CheckpointsOut(Schema):
    checkpoints: list[CheckpointOut]
    page: int
    pages: int


class ReceiptIn(Schema):
    poll: Text = Field(min_length=1, description="the secret vote's id, e.g. 'election north/local-1/term-1'")
    receipt: Text = Field(
        min_length=1, max_length=200, description="the receipt as given: commitment:nonce, or the commitment alone"
    )


class ReceiptOut(Schema):
    outcome: ledger.Outcome
    message: str
    marks: list[str] | None = Field(description="the ballot's marks (ids) when the nonce opens the commitment")
    marks_named: list[str] | None = Field(description="the same marks, candidates by the names they go by")
    closes_at: datetime | None = Field(description="when the vote closes, while it is not counted")


@router.get("/ledger", response={200: EntriesOut, **REFUSALS}, auth=None, summary="Ledger entries, newest first")
def entries(request: HttpRequest, query: Query[EntriesQuery]) -> EntriesOut:
    if names_nothing(query.kind):  # as for any kind no entry has: none, on one page
        page = None if query.before is not None else 1
        return EntriesOut(entries=[], kind=query.kind, total=0, page=page, pages=1, older_before=None)
    shown = ledger.entries(query.kind, query.page, query.before)
    return EntriesOut(
        entries=[EntryOut(**vars(line)) for line in shown.entries],
        kind=shown.kind,
        total=shown.total,
        page=shown.page,
        pages=shown.pages,
        older_before=shown.older_before,
    )


@router.get(
    "/ledger/checkpoints",
    response={200: CheckpointsOut, **REFUSALS},
    auth=None,
    summary="Signed checkpoints, newest first",
)
def checkpoints(request: HttpRequest, page: int = Query(1, ge=1)) -> CheckpointsOut:
    signed, at = ledger.checkpoint_page(page)
    return CheckpointsOut(
        checkpoints=[
            CheckpointOut(
                size=c.size,
                root=c.root,
                head=c.head,
                at=c.at,
                key_id=c.key_id,
                signature=c.signature,
                data=c.to_bytes().decode("utf-8"),
            )
            for c in signed
        ],
        page=at.number,
        pages=at.paginator.num_pages,
    )


@router.get(
    "/ledger/public-key",
    auth=None,
    summary="The instance's public key (PEM)",
    openapi_extra={
        "responses": {
            200: {"description": "PEM text", "content": {"application/x-pem-file": {"schema": {"type": "string"}}}}
        }
    },
)
def public_key(request: HttpRequest) -> HttpResponse:
    """The Ed25519 key every checkpoint is signed with, as PEM text: ``frombelow verify --key`` takes its id."""
    return HttpResponse(ledger.public_key_pem(), content_type="application/x-pem-file")


@router.get(
    "/ledger/{index}",
    response={200: EntryDetailOut, **REFUSALS},
    auth=None,
    summary="One entry, its hash and its proof",
)
def entry(request: HttpRequest, index: int) -> EntryDetailOut:
    try:
        detail = ledger.entry(index)
    except ledger.LedgerDamaged as damage:
        raise HttpError(500, str(damage)) from None
    return EntryDetailOut(
        **vars(detail.line),
        data=detail.data,
        hash=detail.hash,
        previous=detail.previous,
        proof=detail.proof,
    )


@router.post("/receipts/check", response={200: ReceiptOut, **REFUSALS}, auth=None, summary="Is my ballot in the count?")
def check_receipt(request: HttpRequest, payload: ReceiptIn) -> ReceiptOut:
    """Whether the ballot a receipt is for is in the published count of a secret vote, and as what."""
    answer = ledger.check_receipt(payload.poll, payload.receipt)
    return ReceiptOut(**vars(answer))
