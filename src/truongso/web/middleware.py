"""Content-security policy: everything is served from this origin, nothing from a CDN."""

from __future__ import annotations

import functools

from django.conf import settings

from truongso.units.rules.map import tile_origin


@functools.cache
def policy(tile_url: str = "") -> str:
    """The policy; images may also come from the map's tile server (MAP_TILE_URL), and
    from no other host."""
    tiles = tile_origin(tile_url)
    return (
        "default-src 'self'; "
        "script-src 'self'; "
        "style-src 'self'; "
        f"img-src 'self' data: blob:{' ' + tiles if tiles else ''}; "
        "connect-src 'self'; "
        "font-src 'self'; "
        "object-src 'none'; "
        "base-uri 'self'; "
        "form-action 'self'; "
        "frame-ancestors 'none'"
    )


# The policy without a tile server.
POLICY = policy("")


class ContentSecurityPolicyMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        # Every page, the API's interactive docs included (they load django-ninja's own
        # swagger-ui files from /static/ and run no inline script).
        response.headers.setdefault(
            "Content-Security-Policy", policy(getattr(settings, "MAP_TILE_URL", ""))
        )
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
