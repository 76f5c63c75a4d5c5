"""The platform: a Django application where federations govern themselves.

Models are projections of the ledger (``projector.py``); every change of state is an
action (``actions/``) that runs one command through the federation's rules in one
database transaction (``recording.py``); reads go through ``queries.py``.
"""
