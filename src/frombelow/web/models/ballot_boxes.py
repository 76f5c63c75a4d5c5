"""A secret poll's roll (tokens issued, used) and box (slots, ballots): two tables nothing joins.

The box's rows are made all at once when the box is set up, so neither a row's id nor
its place says when its ballot was cast; the roll's rows name members and hold no ballot.
"""

from django.db import models


class BoxToken(models.Model):
    poll = models.CharField(max_length=200)
    token = models.CharField(max_length=64)  # SHA-256 of the voting token, never the token
    member = models.CharField(max_length=200)
    voted = models.BooleanField(default=False)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["poll", "token"], name="one_row_per_token"),
            models.UniqueConstraint(fields=["poll", "member"], name="one_token_per_member"),
        ]


class BoxSlot(models.Model):
    poll = models.CharField(max_length=200)
    slot = models.IntegerField()
    ballot = models.TextField(null=True)  # canonical JSON of a StoredBallot, or NULL while empty
    revote = models.CharField(max_length=64, default="", db_index=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["poll", "slot"], name="one_row_per_slot")]
