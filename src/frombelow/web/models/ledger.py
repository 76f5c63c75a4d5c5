from django.db import models


class LedgerEntry(models.Model):
    """One entry of the ledger: its canonical bytes, exactly as hashed. Never updated, never deleted."""

    index = models.BigIntegerField(primary_key=True)
    kind = models.CharField(max_length=64, db_index=True)  # the event's kind, to browse by
    data = models.TextField()

    class Meta:
        ordering = ["index"]


class LedgerCheckpoint(models.Model):
    """A signed checkpoint (size, root, head, time, key, signature) as its canonical bytes."""

    size = models.BigIntegerField(unique=True)
    data = models.TextField()

    class Meta:
        ordering = ["size"]


class LedgerHead(models.Model):
    """One row, locked by every writing transaction: the ledger is one chain, written one command at a time."""

    size = models.BigIntegerField(default=0)
