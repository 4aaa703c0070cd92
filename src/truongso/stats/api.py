"""API endpoints of the stats app, mounted under /api/v1/."""

from ninja import Router

router = Router(tags=["stats"])
