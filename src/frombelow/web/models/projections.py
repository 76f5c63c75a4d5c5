"""Projections of the ledger: what the pages and the API read.

Written only by ``projector.py``, from the federation's state after each command; a
``rebuild`` writes them again from the ledger alone. Each row keeps the columns pages
filter and sort by, and ``data``: the whole value as JSON.
"""

from django.db import models


class FederationRow(models.Model):
    id = models.CharField(max_length=200, primary_key=True)
    name = models.CharField(max_length=300)
    congress = models.CharField(max_length=200)
    data = models.JSONField()


class CouncilRow(models.Model):
    id = models.CharField(max_length=200, primary_key=True)
    federation = models.CharField(max_length=200, db_index=True)
    name = models.CharField(max_length=300)
    kind = models.CharField(max_length=20)
    parent = models.CharField(max_length=200, null=True, db_index=True)
    closed = models.BooleanField(default=False)
    members = models.IntegerField(
        default=0
    )  # for a base council, its members; for a delegate council, its seats filled
    represented = models.IntegerField(default=0)  # members of every base council below it (itself, for a base council)
    data = models.JSONField()

    class Meta:
        ordering = ["id"]


class MemberRow(models.Model):
    id = models.CharField(max_length=200, primary_key=True)
    federation = models.CharField(max_length=200)
    council = models.CharField(max_length=200, db_index=True)


class FactionRow(models.Model):
    id = models.CharField(max_length=200, primary_key=True)
    federation = models.CharField(max_length=200, db_index=True)
    name = models.CharField(max_length=300)
    dissolved = models.BooleanField(default=False)
    members = models.IntegerField(default=0)
    data = models.JSONField()


class FactionMemberRow(models.Model):
    faction = models.CharField(max_length=200, db_index=True)
    member = models.CharField(max_length=200, db_index=True)


class SeatRow(models.Model):
    council = models.CharField(max_length=200, db_index=True)
    member = models.CharField(max_length=200, db_index=True)
    constituent = models.CharField(max_length=200)
    term = models.IntegerField()
    election = models.CharField(max_length=200)
    since = models.DateTimeField()


class PollRow(models.Model):
    id = models.CharField(max_length=200, primary_key=True)
    council = models.CharField(max_length=200, db_index=True)
    purpose = models.CharField(max_length=50)
    subject = models.CharField(max_length=200, db_index=True)
    question = models.TextField()
    method = models.CharField(max_length=50)
    secret = models.BooleanField()
    counted = models.BooleanField(default=False)
    opened_at = models.DateTimeField()
    closes_at = models.DateTimeField()
    electorate = models.IntegerField()
    turnout = models.IntegerField(default=0)
    outcome = models.CharField(max_length=300, default="")
    data = models.JSONField()  # the poll without its electorate and turnout, its count without the ballots

    class Meta:
        ordering = ["-opened_at", "id"]


class VoteRow(models.Model):
    """A public vote (roll call), beside the mandate the voter's constituent had given on it."""

    poll = models.CharField(max_length=200, db_index=True)
    council = models.CharField(max_length=200)
    member = models.CharField(max_length=200, db_index=True)
    cast = models.JSONField()
    asked = models.JSONField()
    weight = models.CharField(max_length=50)
    mandate = models.CharField(max_length=200, default="")
    position = models.CharField(max_length=20, default="")
    policy = models.CharField(max_length=30, default="")
    deviated = models.BooleanField(default=False)
    opened_at = models.DateTimeField()


class ElectionRow(models.Model):
    id = models.CharField(max_length=200, primary_key=True)
    council = models.CharField(max_length=200, db_index=True)  # the council whose seats it fills
    constituent = models.CharField(max_length=200, db_index=True)  # the council that elects
    term = models.IntegerField()
    stage = models.CharField(max_length=50)
    poll = models.CharField(max_length=200, default="")
    data = models.JSONField()


class MotionRow(models.Model):
    id = models.CharField(max_length=200, primary_key=True)
    council = models.CharField(max_length=200, db_index=True)
    title = models.CharField(max_length=500)
    kind = models.CharField(max_length=50)
    status = models.CharField(max_length=50)
    proposed_at = models.DateTimeField()
    data = models.JSONField()


class DecisionRow(models.Model):
    motion = models.CharField(max_length=200, primary_key=True)
    council = models.CharField(max_length=200, db_index=True)
    status = models.CharField(max_length=60)
    carried_at = models.DateTimeField()
    takes_effect_at = models.DateTimeField()
    data = models.JSONField()


class RecordRow(models.Model):
    """Everything else the federation keeps (petitions, recalls, mandates, dissents, objections,
    terms, amendments, …): one row per value, by the state's map (``kind``) and key."""

    kind = models.CharField(max_length=50)
    key = models.CharField(max_length=500)
    council = models.CharField(max_length=200, default="", db_index=True)
    status = models.CharField(max_length=100, default="")
    data = models.JSONField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["kind", "key"], name="one_row_per_record")]
        indexes = [models.Index(fields=["kind", "council"])]
