"""Content-security policy: everything is served from this origin, nothing from a CDN."""

from __future__ import annotations

import os

_TILES = os.environ.get("MAP_TILE_URL", "")


def _tile_origin() -> str:
    if not _TILES.startswith(("http://", "https://")):
        return ""
    scheme, rest = _TILES.split("://", 1)
    host = rest.split("/", 1)[0].replace("{s}.", "*.")
    return f" {scheme}://{host}"


POLICY = (
    "default-src 'self'; "
    "script-src 'self'; "
    "style-src 'self'; "
    f"img-src 'self' data: blob:{_tile_origin()}; "
    "connect-src 'self'; "
    "font-src 'self'; "
    "object-src 'none'; "
    "base-uri 'self'; "
    "form-action 'self'; "
    "frame-ancestors 'none'"
)


class ContentSecurityPolicyMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        # Every page, the API's interactive docs included (they load django-ninja's own
        # swagger-ui files from /static/ and run no inline script).
        response.headers.setdefault("Content-Security-Policy", POLICY)
        return response


class VietnameseByDefaultMiddleware:
    """The interface is Vietnamese unless the user picks English with the language
    switch (Django's language cookie). A browser's Accept-Language alone does not
    switch the pages: many school computers run an English operating system. API
    clients, which have no language switch, still choose with Accept-Language.

    Placed before django.middleware.locale.LocaleMiddleware."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not request.path.startswith("/api/"):
            request.META.pop("HTTP_ACCEPT_LANGUAGE", None)
        return self.get_response(request)
