"""Where this node publishes its credentials: identifiers and URLs derived from settings.

The node's public address (``CREDENTIALS_PUBLIC_URL``, e.g. ``https://truongso.hanoi.edu.vn``)
gives every published name:

- the node (its root key):       ``did:web:<host>:credentials``
  → ``https://<host>/credentials/did.json``
- an institution (its keys):     ``did:web:<host>:credentials:did:<code>``
  → ``https://<host>/credentials/did/<code>/did.json``
- the key registry:              ``https://<host>/credentials/keys.json``
- a status list:                 ``https://<host>/credentials/status/<code>/<year>/<purpose>/<n>``
- the register log's origin:     ``<host>/credentials/log``

A port is written ``%3A`` in a did:web, as the did:web method requires.
"""

from __future__ import annotations

from urllib.parse import quote, urlsplit

from django.conf import settings


def public_url() -> str:
    """The node's public address without a trailing slash."""
    return str(settings.CREDENTIALS_PUBLIC_URL).rstrip("/")


def host() -> str:
    """``host[:port]`` of the public address."""
    return urlsplit(public_url()).netloc


def _did_host() -> str:
    return quote(host(), safe="")


def _segment(code: str) -> str:
    return quote(str(code), safe="")


def node_did() -> str:
    return f"did:web:{_did_host()}:credentials"


def institution_did(code: str) -> str:
    return f"did:web:{_did_host()}:credentials:did:{_segment(code)}"


def registry_url() -> str:
    return f"{public_url()}/credentials/keys.json"


def status_list_url(code: str, year: int, purpose: str, sequence: int) -> str:
    return f"{public_url()}/credentials/status/{_segment(code)}/{year}/{purpose}/{sequence}"


def achievement_url(type_code: str) -> str:
    return f"{public_url()}/credentials/types/{_segment(type_code)}"


def verify_url() -> str:
    return f"{public_url()}/verify/"


def log_origin() -> str:
    return f"{host()}/credentials/log"


def key_secret() -> str:
    return settings.CREDENTIALS_KEY_SECRET


def scrypt_n() -> int:
    return int(settings.CREDENTIALS_SCRYPT_N)


def programme_url(institution_code: str) -> str:
    """Base id of a school's report-card achievements (subjects, the year)."""
    return f"{public_url()}/credentials/programmes/{_segment(institution_code)}"
