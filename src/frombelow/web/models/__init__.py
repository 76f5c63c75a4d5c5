"""The platform's tables: the ledger and the ballot boxes (written only through the
stores), accounts, and the projections the pages read (written only by the projector)."""

from frombelow.web.models.accounts import Account, ApiToken
from frombelow.web.models.ballot_boxes import BoxSlot, BoxToken
from frombelow.web.models.ledger import LedgerCheckpoint, LedgerEntry, LedgerHead
from frombelow.web.models.projections import (
    CouncilRow,
    DecisionRow,
    ElectionRow,
    FactionMemberRow,
    FactionRow,
    FederationRow,
    MemberRow,
    MotionRow,
    PollRow,
    RecordRow,
    SeatRow,
    VoteRow,
)

PROJECTION_MODELS = (
    FederationRow,
    CouncilRow,
    MemberRow,
    FactionRow,
    FactionMemberRow,
    SeatRow,
    PollRow,
    VoteRow,
    ElectionRow,
    MotionRow,
    DecisionRow,
    RecordRow,
)

__all__ = [
    "PROJECTION_MODELS",
    "Account",
    "ApiToken",
    "BoxSlot",
    "BoxToken",
    "CouncilRow",
    "DecisionRow",
    "ElectionRow",
    "FactionMemberRow",
    "FactionRow",
    "FederationRow",
    "LedgerCheckpoint",
    "LedgerEntry",
    "LedgerHead",
    "MemberRow",
    "MotionRow",
    "PollRow",
    "RecordRow",
    "SeatRow",
    "VoteRow",
]
