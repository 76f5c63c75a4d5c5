"""``frombelow rebuild``: the projection tables written again from the ledger table alone."""

from __future__ import annotations

from django.db import transaction

from frombelow.federation import State, replay
from frombelow.web import recording
from frombelow.web.ledger_table import DatabaseStore
from frombelow.web.models import LedgerHead
from frombelow.web.projector import clear, project


def rebuild() -> State:
    """Empty the projections and write them from a replay of every entry; returns the state replayed."""
    from frombelow.ledger.entries import decode

    with transaction.atomic():
        LedgerHead.objects.select_for_update().get(pk=1)  # no command runs meanwhile
        store = DatabaseStore()
        state = replay(decode(data).event for data in store.read(0, store.size()))
        clear()
        project(State(), state)
    recording.forget()
    return state
