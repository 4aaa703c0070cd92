"""A simple per-address limit on the public verification endpoints, counted in Django's
cache (configure a shared cache when several processes serve the site).

Fixed windows of ``CREDENTIALS_RATE_WINDOW`` seconds; the address is hashed before it is
used as a key. Behind a reverse proxy, the proxy must set REMOTE_ADDR to the client's
address (for waitress: ``trusted_proxy``), otherwise everyone shares one budget.
"""

from __future__ import annotations

import hashlib
import time

from django.conf import settings
from django.core.cache import cache

VERIFY = "verify"
LOOKUP = "lookup"


def _limit(bucket: str) -> int:
    if bucket == LOOKUP:
        return int(settings.CREDENTIALS_LOOKUP_RATE_LIMIT)
    return int(settings.CREDENTIALS_RATE_LIMIT)


def client_key(request) -> str:
    address = request.META.get("REMOTE_ADDR", "") or "unknown"
    return hashlib.sha256(address.encode()).hexdigest()[:24]


def allow(request, bucket: str = VERIFY) -> bool:
    """Count one request; False once the address has used up its budget for the window."""
    window = max(int(settings.CREDENTIALS_RATE_WINDOW), 1)
    key = f"credentials:rate:{bucket}:{client_key(request)}:{int(time.time() // window)}"
    try:
        count = cache.incr(key)
    except ValueError:  # the window's first request (or the count was evicted)
        if cache.add(key, 1, timeout=window):
            count = 1
        else:  # another request started the count meanwhile
            count = cache.incr(key)
    return count <= _limit(bucket)
