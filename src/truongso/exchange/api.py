"""API endpoints of the exchange app, mounted under /api/v1/."""

from ninja import Router

router = Router(tags=["exchange"])
