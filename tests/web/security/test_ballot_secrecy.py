"""No one reaches another member's ballot or receipt: there is no page or endpoint that shows one.

A receipt goes out once, in the answer to the vote, and is kept nowhere (not in the session, not in
any table); no API read returns it, to the voter or anyone else; the receipt checker answers only
whoever already holds the whole receipt.
"""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from django.apps import apps
from django.contrib.sessions.models import Session
from django.test import Client

from frombelow.web.actions import settle
from frombelow.web.api import api
from frombelow.web.models import PollRow

pytestmark = pytest.mark.django_db

ELECTION = "election north/local-1/term-2/by-election-1"  # open, secret, ranked: ana's local votes
RECEIPT = re.compile(r"\b([0-9a-f]{64}):([0-9a-f]{16,})\b")


def _candidate() -> str:
    return PollRow.objects.get(id=ELECTION).data["choices"][0]


def _everything_stored() -> list[str]:
    """Every row of every table, as text."""
    return [str(row) for model in apps.get_models() for row in model.objects.values_list()]


def _sessions() -> list[str]:
    return [str(session.get_decoded()) for session in Session.objects.all()]


def test_a_receipt_is_shown_once_and_kept_nowhere(page_as: Callable[[str], Client], logins: dict[str, str]):
    ana = page_as("ana")
    voted = ana.post("/polls/ballot", {"poll": ELECTION, "rank-1": _candidate()})
    assert voted.status_code == 200
    commitment, nonce = RECEIPT.search(voted.content.decode()).groups()
    assert nonce not in " ".join(_sessions()) and all(nonce not in c.value for c in ana.cookies.values())
    assert all(nonce not in row for row in _everything_stored()), "the receipt's secret half is stored"
    assert not [row for row in _everything_stored() if commitment in row and logins["ana"] in row], (
        "a stored row links the member to their ballot"
    )
    again = ana.get("/elections/north/local-1/term-2/by-election-1").content.decode()
    assert nonce not in again and commitment not in again


def _reads() -> list[str]:
    """Every GET of the API, its path filled from the demo."""
    values = {
        "council_id": "local-1",
        "faction_id": "left",
        "member": "@boris",
        "election_id": "north/local-1/term-2/by-election-1",
        "poll_id": ELECTION,
        "motion_id": "strike-fund",
        "petition_id": "petition-demo",
        "index": "1",
    }
    paths = [path for path, operations in api.get_openapi_schema()["paths"].items() if "get" in operations]
    unknown = {name for path in paths for name in re.findall(r"{(\w+)}", path)} - values.keys()
    assert not unknown, f"a new GET takes {unknown}: give it a value here"
    return [re.sub(r"{(\w+)}", lambda m: values[m.group(1)], path) for path in paths]


def test_no_api_read_returns_a_ballot_or_receipt(api_as: Callable[[str], Client], logins: dict[str, str]):
    ana = api_as("ana")
    cast = ana.post(f"/api/v1/polls/{ELECTION}/ballots", {"marks": [_candidate()]}, content_type="application/json")
    assert cast.status_code == 200
    commitment, nonce = RECEIPT.search(cast.content.decode()).groups()
    for reader in (ana, api_as("boris"), Client()):
        for path in _reads():
            answer = reader.get(path.replace("@boris", logins["boris"]))
            assert answer.status_code < 500, path
            body = answer.content.decode()
            assert nonce not in body, path
            assert commitment not in body, path  # while the vote is open, not even the box's commitments


def test_the_receipt_checker_opens_a_ballot_only_for_the_whole_receipt(
    page_as: Callable[[str], Client], platform_clock
):
    voted = page_as("ana").post("/polls/ballot", {"poll": ELECTION, "rank-1": _candidate()})
    receipt = RECEIPT.search(voted.content.decode()).group(0)
    commitment, nonce = receipt.split(":")
    platform_clock.advance(days=8)
    settle.run()  # the vote is counted: its ballots and their commitments are published
    boris = page_as("boris")
    # Boris knows the commitment (it is published beside the ballot) but not the nonce only ana was given.
    guessed = boris.post("/receipt", {"poll": ELECTION, "receipt": f"{commitment}:{'0' * len(nonce)}"})
    assert guessed.status_code == 200 and "the nonce given does not open it" in guessed.content.decode()
    assert "your ballot is in the count, as:" not in guessed.content.decode()
    whole = boris.post("/receipt", {"poll": ELECTION, "receipt": receipt})
    assert (
        "your ballot is in the count" in whole.content.decode()
    )  # whoever holds the whole receipt: ana, or whom she shows it
