"""API endpoints of the training app, mounted under /api/v1/."""

from ninja import Router

router = Router(tags=["training"])
