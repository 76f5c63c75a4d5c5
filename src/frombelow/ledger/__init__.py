"""The public, tamper-evident record: every event appended, none rewritten (see merkle.py)."""
