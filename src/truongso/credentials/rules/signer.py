"""Signing keys: the interface every signer offers, and Ed25519 keys kept encrypted at rest.

``Signer`` is what the issuing code needs: a key id (the verification method that
verifiers look up), the raw public key, and ``sign(message) -> signature``. The default
implementation holds an Ed25519 key that is stored only *sealed*: encrypted with
AES-256-GCM under a key derived with scrypt from a secret the application passes in
(from the environment), never in clear in the database. A hardware token (PKCS#11) or a
remote signing service implements the same three members and keeps its key outside
the application altogether; nothing else changes for the callers.

Sealed key format (JSON text, keys sorted)::

    {"alg": "Ed25519", "ct": <b64url>, "kdf": {"n": 32768, "name": "scrypt", "p": 1,
     "r": 8, "salt": <b64url 16 bytes>}, "kid": <key id>, "nonce": <b64url 12 bytes>,
     "pub": <b64url 32 bytes>, "v": 1}

``ct`` is AES-256-GCM(key, nonce, seed, aad) with the 16-byte tag appended, where
``key = scrypt(secret, salt, n, r, p, 32)``, ``seed`` is the 32-byte Ed25519 private key
and ``aad`` is the RFC 8785 canonical JSON of every field except ``ct``, so the key id,
public key and parameters cannot be swapped.
"""

from __future__ import annotations

import base64
import json
import os
from dataclasses import dataclass
from typing import Any, Protocol, runtime_checkable

import rfc8785
from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.scrypt import Scrypt

SEALED_VERSION = 1
DEFAULT_SCRYPT_N = 2**15
MIN_SECRET_BYTES = 16
_SCRYPT_N_RANGE = (2**10, 2**17)  # at most 128 MiB of memory with r = 8


@runtime_checkable
class Signer(Protocol):
    """Anything that can sign for one published key."""

    @property
    def key_id(self) -> str:
        """The verification method id verifiers look the key up by."""
        ...

    @property
    def public_key(self) -> bytes:
        """The raw 32-byte Ed25519 public key."""
        ...

    def sign(self, message: bytes) -> bytes:
        """A 64-byte Ed25519 signature of ``message``."""
        ...


class Ed25519Signer:
    """An Ed25519 key held in process memory (after unsealing, or in tests)."""

    def __init__(self, seed: bytes, key_id: str) -> None:
        if len(seed) != 32:
            raise ValueError("an Ed25519 private key seed has 32 bytes")
        self._key = Ed25519PrivateKey.from_private_bytes(seed)
        self._key_id = key_id
        self._public = self._key.public_key().public_bytes(
            serialization.Encoding.Raw, serialization.PublicFormat.Raw
        )

    def __repr__(self) -> str:  # never show key material
        return f"Ed25519Signer(key_id={self._key_id!r})"

    @property
    def key_id(self) -> str:
        return self._key_id

    @property
    def public_key(self) -> bytes:
        return self._public

    def sign(self, message: bytes) -> bytes:
        return self._key.sign(message)


class SealedKeyError(ValueError):
    """The sealed key cannot be opened: wrong secret, altered or not a sealed key."""


@dataclass(frozen=True)
class SealedKey:
    """A freshly generated key: the sealed text to store and its public key to publish."""

    sealed: str
    key_id: str
    public_key: bytes


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def _unb64(text: Any) -> bytes:
    if not isinstance(text, str):
        raise SealedKeyError("sealed key field is not text")
    try:
        return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
    except ValueError:
        raise SealedKeyError("sealed key field is not base64url") from None


def _secret_bytes(secret: str | bytes) -> bytes:
    raw = secret.encode("utf-8") if isinstance(secret, str) else bytes(secret)
    if len(raw) < MIN_SECRET_BYTES:
        raise ValueError(f"the key-encryption secret needs at least {MIN_SECRET_BYTES} bytes")
    return raw


def _derive(secret: bytes, salt: bytes, n: int, r: int, p: int) -> bytes:
    return Scrypt(salt=salt, length=32, n=n, r=r, p=p).derive(secret)


def _public_of(seed: bytes) -> bytes:
    return (
        Ed25519PrivateKey.from_private_bytes(seed)
        .public_key()
        .public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    )


def seal_private_key(
    seed: bytes, *, key_id: str, secret: str | bytes, scrypt_n: int = DEFAULT_SCRYPT_N
) -> str:
    """Encrypt a 32-byte Ed25519 seed for storage; returns the sealed JSON text."""
    if len(seed) != 32:
        raise ValueError("an Ed25519 private key seed has 32 bytes")
    if not (_SCRYPT_N_RANGE[0] <= scrypt_n <= _SCRYPT_N_RANGE[1]) or scrypt_n & (scrypt_n - 1):
        raise ValueError("scrypt n must be a power of two between 2**10 and 2**17")
    salt, nonce = os.urandom(16), os.urandom(12)
    header: dict[str, Any] = {
        "alg": "Ed25519",
        "kdf": {"n": scrypt_n, "name": "scrypt", "p": 1, "r": 8, "salt": _b64(salt)},
        "kid": key_id,
        "nonce": _b64(nonce),
        "pub": _b64(_public_of(seed)),
        "v": SEALED_VERSION,
    }
    key = _derive(_secret_bytes(secret), salt, scrypt_n, 8, 1)
    ciphertext = AESGCM(key).encrypt(nonce, seed, rfc8785.dumps(header))
    return json.dumps({**header, "ct": _b64(ciphertext)}, sort_keys=True)


def unseal_private_key(sealed: str, *, secret: str | bytes) -> tuple[str, bytes]:
    """Open a sealed key: returns (key id, 32-byte seed); raise SealedKeyError otherwise."""
    try:
        data = json.loads(sealed)
    except (TypeError, ValueError):
        raise SealedKeyError("not a sealed key") from None
    if not isinstance(data, dict) or data.get("v") != SEALED_VERSION:
        raise SealedKeyError("unsupported sealed key version")
    if data.get("alg") != "Ed25519" or not isinstance(data.get("kid"), str):
        raise SealedKeyError("unsupported sealed key algorithm")
    kdf = data.get("kdf")
    if not isinstance(kdf, dict) or kdf.get("name") != "scrypt":
        raise SealedKeyError("unsupported key derivation")
    n, r, p = kdf.get("n"), kdf.get("r"), kdf.get("p")
    if not all(isinstance(v, int) and not isinstance(v, bool) for v in (n, r, p)):
        raise SealedKeyError("bad scrypt parameters")
    if not (_SCRYPT_N_RANGE[0] <= n <= _SCRYPT_N_RANGE[1]) or n & (n - 1):
        raise SealedKeyError("bad scrypt parameters")
    if r != 8 or p != 1:
        raise SealedKeyError("bad scrypt parameters")
    salt, nonce = _unb64(kdf.get("salt")), _unb64(data.get("nonce"))
    public, ciphertext = _unb64(data.get("pub")), _unb64(data.get("ct"))
    if len(salt) != 16 or len(nonce) != 12:
        raise SealedKeyError("bad salt or nonce")
    header = {k: v for k, v in data.items() if k != "ct"}
    key = _derive(_secret_bytes(secret), salt, n, r, p)
    try:
        seed = AESGCM(key).decrypt(nonce, ciphertext, rfc8785.dumps(header))
    except (InvalidTag, rfc8785.CanonicalizationError):
        raise SealedKeyError("wrong secret, or the sealed key was altered") from None
    if len(seed) != 32 or _public_of(seed) != public:
        raise SealedKeyError("the sealed key does not match its public key")
    return data["kid"], seed


def generate_sealed_key(
    *, key_id: str, secret: str | bytes, scrypt_n: int = DEFAULT_SCRYPT_N
) -> SealedKey:
    """A new random Ed25519 key, returned only in sealed form with its public key."""
    seed = os.urandom(32)
    sealed = seal_private_key(seed, key_id=key_id, secret=secret, scrypt_n=scrypt_n)
    return SealedKey(sealed=sealed, key_id=key_id, public_key=_public_of(seed))


def reseal(
    sealed: str,
    *,
    old_secret: str | bytes,
    new_secret: str | bytes,
    scrypt_n: int = DEFAULT_SCRYPT_N,
) -> str:
    """Re-encrypt a sealed key under a new secret (rotation of the environment secret)."""
    key_id, seed = unseal_private_key(sealed, secret=old_secret)
    return seal_private_key(seed, key_id=key_id, secret=new_secret, scrypt_n=scrypt_n)


class SealedKeySigner(Ed25519Signer):
    """A signer opened from its sealed form; the clear key exists only in this object."""

    def __init__(self, sealed: str, *, secret: str | bytes) -> None:
        key_id, seed = unseal_private_key(sealed, secret=secret)
        super().__init__(seed, key_id)
