"""API endpoints of the health app, mounted under /api/v1/."""

from ninja import Router

router = Router(tags=["health"])
