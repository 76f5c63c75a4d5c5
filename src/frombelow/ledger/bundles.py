"""A bundle: everything anyone needs to check the record offline, in one directory.

    events.jsonl         the ledger's entries, one a line (entries.py)
    checkpoints.jsonl    the signed checkpoints, one a line (checkpoints.py)
    public_key.pem       the key that signed them (signing.py)
    ballots/index.json   {poll id: file name in ballots/}
    ballots/<slug>.jsonl the ballots a secret poll's box published, one JSON ballot a
                         line (``codec.to_data`` of a ``voting.Ballot``), in the order published

A bundle is written only when a checkpoint covers the whole ledger, so nothing in it is
unsigned. Its events and checkpoints are laid out as a ``JsonlStore``'s, so
``read_bundle`` opens it as a (read-only) ledger for proofs.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from frombelow.federation.codec import canonical, from_data, to_data
from frombelow.federation.voting import Ballot
from frombelow.ledger.checkpoints import Checkpoint
from frombelow.ledger.log import Ledger
from frombelow.ledger.signing import PUBLIC_KEY_FILE, Ed25519PublicKey, key_id, load_public_key
from frombelow.ledger.stores import CHECKPOINTS_FILE, EVENTS_FILE, JsonlStore

BALLOTS_DIR = "ballots"
BALLOTS_INDEX = "index.json"


@dataclass(frozen=True)
class Bundle:
    directory: Path
    ledger: Ledger  # over the bundle's own files: proofs, entries, checkpoints
    public_key: Ed25519PublicKey
    ballots: dict[str, tuple[Ballot, ...]]  # poll id -> the ballots published, in their order

    @property
    def key_id(self) -> str:
        return key_id(self.public_key)

    @property
    def checkpoints(self) -> list[Checkpoint]:
        return self.ledger.checkpoints()


def write_bundle(directory: Path | str, ledger: Ledger, ballots: Mapping[str, Sequence[Ballot]] | None = None) -> Path:
    """Write the ledger and the published ballots (poll id -> ballots) as a bundle in ``directory``."""
    if ledger.signer is None:
        raise ValueError("the bundle needs the ledger's public key: this ledger has no signer")
    if ledger.unsigned:
        raise ValueError(f"{ledger.unsigned} entries are not yet covered by a checkpoint: sign one before exporting")
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    if any((directory / name).exists() for name in (EVENTS_FILE, CHECKPOINTS_FILE, BALLOTS_DIR)):
        raise ValueError(f"{directory} holds a bundle already: write to an empty directory")
    with open(directory / EVENTS_FILE, "wb") as file:
        for start in range(0, ledger.size, 10_000):
            file.writelines(data + b"\n" for data in ledger.store.read(start, min(start + 10_000, ledger.size)))
    (directory / CHECKPOINTS_FILE).write_bytes(b"".join(data + b"\n" for data in ledger.store.checkpoints()))
    (directory / PUBLIC_KEY_FILE).write_bytes(ledger.signer.public_pem())
    (directory / BALLOTS_DIR).mkdir()
    index: dict[str, str] = {}
    for poll in sorted(ballots or {}):
        name = _file_for(poll, set(index.values()))
        index[poll] = name
        lines = (canonical(to_data(ballot)).encode("utf-8") + b"\n" for ballot in (ballots or {})[poll])
        (directory / BALLOTS_DIR / name).write_bytes(b"".join(lines))
    (directory / BALLOTS_DIR / BALLOTS_INDEX).write_text(canonical(index) + "\n", encoding="utf-8")
    return directory


def read_bundle(directory: Path | str) -> Bundle:
    """Open a bundle to read it (``verifying.verify`` checks one; this only reads)."""
    directory = Path(directory)
    for name in (EVENTS_FILE, CHECKPOINTS_FILE, PUBLIC_KEY_FILE):
        if not (directory / name).is_file():
            raise FileNotFoundError(f"{directory} is not a bundle: it has no {name}")
    public_key = load_public_key((directory / PUBLIC_KEY_FILE).read_bytes())
    ballots = {poll: tuple(read_ballots(path)) for poll, path in ballot_files(directory).items()}
    return Bundle(directory, Ledger(JsonlStore(directory)), public_key, ballots)


def ballot_files(directory: Path) -> dict[str, Path]:
    """Poll id -> its ballots file, from ``ballots/index.json`` ({} when there is none)."""
    index = directory / BALLOTS_DIR / BALLOTS_INDEX
    if not index.is_file():
        return {}
    names = json.loads(index.read_bytes())
    if type(names) is not dict or not all(type(n) is str and _SAFE_NAME.fullmatch(n) for n in names.values()):
        raise ValueError(f"{index} is not an object of poll ids and file names in {BALLOTS_DIR}/")
    return {poll: directory / BALLOTS_DIR / name for poll, name in names.items()}


def read_ballots(path: Path) -> list[Ballot]:
    """The ballots of one file, in their order. Raises ``ValueError`` naming the line that is not a ballot."""
    ballots = []
    for number, line in enumerate(path.read_bytes().split(b"\n")[:-1], start=1):
        try:
            ballot = from_data(Ballot, json.loads(line))
            if canonical(to_data(ballot)).encode("utf-8") != line:
                raise ValueError("not in canonical form")
        except Exception as error:  # any malformed line is "not a ballot"
            raise ValueError(f"{path.name} line {number} is not a ballot: {error}") from error
        ballots.append(ballot)
    return ballots


_SAFE_NAME = re.compile(r"[a-z0-9][a-z0-9-]*\.jsonl")


def _file_for(poll: str, taken: set[str]) -> str:
    """A file name for the poll's ballots: its id in lower case, each run of other characters a hyphen."""
    slug = re.sub(r"[^a-z0-9]+", "-", poll.lower()).strip("-") or "poll"
    name, n = f"{slug}.jsonl", 1
    while name in taken:
        n += 1
        name = f"{slug}-{n}.jsonl"
    return name
