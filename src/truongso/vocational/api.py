"""API endpoints of the vocational app, mounted under /api/v1/."""

from ninja import Router

router = Router(tags=["vocational"])
