"""API: petitions."""

from ninja import Router

router = Router(tags=["petitions"])
