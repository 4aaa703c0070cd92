"""API endpoints of the facilities app, mounted under /api/v1/."""

from ninja import Router

router = Router(tags=["facilities"])
