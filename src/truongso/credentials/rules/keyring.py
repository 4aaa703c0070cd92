"""Trusted issuer keys with their validity windows (the verifier's side of the registry).

Every institution has one signing key at a time, published with a window: usable from
``valid_from`` until ``valid_until``; a compromised key is ``revoked_from`` a date, and
signatures that claim a later signing time are refused. Retired keys stay in the ring
so that what they signed still verifies.

A key is found by its verification method id (``did:web:…#key-1``) for Data Integrity
proofs and checkpoints, or by its short kid (the first 8 bytes of SHA-256 of the raw
public key) for QR payloads.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from .multikey import controller_of, public_key_from_did_key

SHORT_KID_LENGTH = 8


def short_kid(public_key: bytes) -> bytes:
    """The compact key id used in QR payloads: SHA-256(raw public key)[:8]."""
    return hashlib.sha256(public_key).digest()[:SHORT_KID_LENGTH]


def ed25519_verify(public_key: bytes, signature: bytes, message: bytes) -> bool:
    """True when ``signature`` is a valid Ed25519 signature of ``message``; never raises."""
    if len(public_key) != 32 or len(signature) != 64:
        return False
    try:
        Ed25519PublicKey.from_public_bytes(public_key).verify(signature, message)
    except (InvalidSignature, ValueError):
        return False
    return True


@dataclass(frozen=True)
class TrustedKey:
    """One published issuer key. Datetimes are aware."""

    key_id: str
    public_key: bytes
    controller: str
    valid_from: datetime | None = None
    valid_until: datetime | None = None
    revoked_from: datetime | None = None

    def __post_init__(self) -> None:
        if len(self.public_key) != 32:
            raise ValueError("an Ed25519 public key has 32 bytes")
        for moment in (self.valid_from, self.valid_until, self.revoked_from):
            if moment is not None and moment.tzinfo is None:
                raise ValueError("key validity times must be timezone-aware")

    @classmethod
    def from_did_key(cls, verification_method: str, **window: datetime | None) -> TrustedKey:
        """Trust the key a did:key verification method spells out (its controller is the DID)."""
        public_key = public_key_from_did_key(verification_method)
        return cls(verification_method, public_key, controller_of(verification_method), **window)

    @property
    def kid(self) -> bytes:
        return short_kid(self.public_key)

    @property
    def has_window(self) -> bool:
        return any((self.valid_from, self.valid_until, self.revoked_from))

    def usable_at(self, when: datetime | None) -> bool:
        """Whether a signature made at ``when`` (aware) is acceptable.

        With no signing time known, only a key without any window or revocation is usable.
        """
        if when is None or when.tzinfo is None:
            return not self.has_window
        if self.valid_from is not None and when < self.valid_from:
            return False
        if self.valid_until is not None and when >= self.valid_until:
            return False
        return not (self.revoked_from is not None and when >= self.revoked_from)


class KeyRing:
    """A read-only set of trusted keys, looked up by verification method id or short kid."""

    def __init__(self, keys: Iterable[TrustedKey] = ()) -> None:
        self._by_id: dict[str, TrustedKey] = {}
        self._by_kid: dict[bytes, list[TrustedKey]] = {}
        for key in keys:
            if key.key_id in self._by_id:
                raise ValueError(f"duplicate key id {key.key_id}")
            self._by_id[key.key_id] = key
            self._by_kid.setdefault(key.kid, []).append(key)

    def __len__(self) -> int:
        return len(self._by_id)

    def by_key_id(self, key_id: str) -> TrustedKey | None:
        return self._by_id.get(key_id)

    def by_kid(self, kid: bytes) -> list[TrustedKey]:
        """Keys whose short kid matches (more than one only in a 64-bit collision)."""
        return list(self._by_kid.get(kid, ()))
