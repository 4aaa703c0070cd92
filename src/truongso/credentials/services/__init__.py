"""Writes for credentials. Every function is atomic and audited; see each module.

- ``keys``: signing keys (root and institutions) and the published key registry.
- ``log``: the append-only register log and its signed checkpoints.
"""

from truongso.credentials.services.keys import (
    current_key,
    issuer_key_create,
    issuer_key_revoke,
    issuer_key_rotate,
    registry_publish,
    root_key_ensure,
    signing_key,
)
from truongso.credentials.services.log import LogEvent, log_append

__all__ = [
    "LogEvent",
    "current_key",
    "issuer_key_create",
    "issuer_key_revoke",
    "issuer_key_rotate",
    "log_append",
    "registry_publish",
    "root_key_ensure",
    "signing_key",
]
