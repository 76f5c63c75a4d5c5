"""API: motions."""

from ninja import Router

router = Router(tags=["motions"])
