"""What keeps outsiders out of the platform beyond the rules of the federation: response headers
(``headers``), login throttling (``throttling``) and the database role that cannot rewrite the
ledger (``ledger_role``)."""
