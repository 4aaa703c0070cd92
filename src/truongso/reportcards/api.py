"""API endpoints of the reportcards app, mounted under /api/v1/."""

from ninja import Router

router = Router(tags=["reportcards"])
