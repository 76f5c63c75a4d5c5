"""A secret poll's roll and box on the database: ``ballotbox.stores.BoxStore`` over two tables.

Each method is one statement, inside the action's transaction: the token's claim, the
ballot's slot and the roll's ``ballot cast`` event commit together or not at all, and
the receipt is handed back only after the commit. A token is claimed with one
conditional update (``SET voted WHERE NOT voted``), so of two requests racing with one
token only one counts; a slot is filled the same way (``WHERE ballot IS NULL``).
"""

from __future__ import annotations

from collections.abc import Mapping

from django.db import IntegrityError

from frombelow.ballotbox.stores import Holder, StoredBallot, ballot_line, read_ballot_line
from frombelow.federation.errors import NotAllowed
from frombelow.web.models import BoxSlot, BoxToken


class DatabaseBoxStore:
    def __init__(self, poll: str) -> None:
        self.poll = poll

    # --- the roll --------------------------------------------------------------------------
    def issue(self, tokens: Mapping[str, str]) -> None:
        try:
            BoxToken.objects.bulk_create(BoxToken(poll=self.poll, token=t, member=m) for t, m in tokens.items())
        except IntegrityError:
            raise NotAllowed("a voting token for this vote was issued to that member already") from None

    def holder(self, token: str) -> Holder | None:
        row = BoxToken.objects.filter(poll=self.poll, token=token).values_list("member", "voted").first()
        return None if row is None else Holder(*row)

    def holds_token(self, member: str) -> bool:
        return BoxToken.objects.filter(poll=self.poll, member=member).exists()

    def claim(self, token: str) -> bool:
        return BoxToken.objects.filter(poll=self.poll, token=token, voted=False).update(voted=True) == 1

    def release(self, token: str) -> None:
        BoxToken.objects.filter(poll=self.poll, token=token).update(voted=False)

    # --- the box ---------------------------------------------------------------------------
    def make_slots(self, count: int, largest: StoredBallot) -> None:
        if not BoxSlot.objects.filter(poll=self.poll).exists():
            BoxSlot.objects.bulk_create(BoxSlot(poll=self.poll, slot=n) for n in range(count))

    def vacancies(self) -> int:
        return BoxSlot.objects.filter(poll=self.poll, ballot__isnull=True).count()

    def vacancy(self, n: int) -> int:
        empty = BoxSlot.objects.filter(poll=self.poll, ballot__isnull=True).order_by("slot")
        return empty.values_list("slot", flat=True)[n]

    def find(self, revote: str) -> int | None:
        if not revote:
            return None
        return BoxSlot.objects.filter(poll=self.poll, revote=revote).values_list("slot", flat=True).first()

    def put(self, slot: int, ballot: StoredBallot) -> None:
        updated = BoxSlot.objects.filter(poll=self.poll, slot=slot).update(
            ballot=ballot_line(ballot).decode("utf-8"), revote=ballot.revote
        )
        if updated != 1:
            raise IndexError(f"the box has no slot {slot}")

    def ballots(self) -> list[StoredBallot]:
        filled = BoxSlot.objects.filter(poll=self.poll, ballot__isnull=False).order_by("slot")
        return [read_ballot_line(line.encode("utf-8")) for line in filled.values_list("ballot", flat=True)]
