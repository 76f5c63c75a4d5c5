"""Reads: what pages and the API show, out of the projection tables (never the ledger's rules).

One module per area: ``people`` (members, accounts), ``councils`` (the tree, a council),
``factions``, ``delegates`` (a delegate's record), ``elections``, ``polls`` (votes, results),
``petitions`` (recall, initiative), ``ledger`` (entries, checkpoints, proofs, receipts).
"""
