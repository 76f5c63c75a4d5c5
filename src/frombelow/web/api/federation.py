"""API: federation."""

from ninja import Router

router = Router(tags=["federation"])
