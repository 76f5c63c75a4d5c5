"""People's accounts: a login (Django's user) for a member of a federation; API tokens."""

from django.conf import settings
from django.db import models


class Account(models.Model):
    """Who a login is in the federation: kept here, never in the ledger (a member's name is not public)."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="account")
    member = models.CharField(max_length=200, unique=True)
    display_name = models.CharField(max_length=200)


class ApiToken(models.Model):
    """A bearer token for the API: its SHA-256 is kept, the token is shown once."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens")
    digest = models.CharField(max_length=64, unique=True)
    name = models.CharField(max_length=100, default="")
    created_at = models.DateTimeField()
    expires_at = models.DateTimeField()
