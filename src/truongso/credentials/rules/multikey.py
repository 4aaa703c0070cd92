"""Ed25519 public keys as Multikey and did:key identifiers.

A Multikey Ed25519 public key is the multicodec prefix ``0xed 0x01`` (varint of 0xed,
``ed25519-pub``) followed by the 32-byte public key, written as multibase base58-btc:
it always starts with ``z6Mk``. A private key (seed) uses the prefix ``0x80 0x26``
(``ed25519-priv``); it appears only in published test vectors, never in our storage.

did:key: ``did:key:<multikey>``; its verification method is ``did:key:<mk>#<mk>``.
"""

from __future__ import annotations

from .base58 import Base58Error, multibase_z_decode, multibase_z_encode

ED25519_PUB_PREFIX = b"\xed\x01"
ED25519_PRIV_PREFIX = b"\x80\x26"
DID_KEY_PREFIX = "did:key:"


class MultikeyError(ValueError):
    """The text is not an Ed25519 Multikey."""


def encode_public_key(public_key: bytes) -> str:
    """Multikey text (``z6Mk…``) for a raw 32-byte Ed25519 public key."""
    if len(public_key) != 32:
        raise MultikeyError("an Ed25519 public key has 32 bytes")
    return multibase_z_encode(ED25519_PUB_PREFIX + public_key)


def decode_public_key(multikey: str) -> bytes:
    """Raw 32-byte public key from Multikey text; raise MultikeyError otherwise."""
    return _decode(multikey, ED25519_PUB_PREFIX)


def decode_private_key(multikey: str) -> bytes:
    """Raw 32-byte seed from a private Multikey (test vectors only)."""
    return _decode(multikey, ED25519_PRIV_PREFIX)


def _decode(multikey: str, prefix: bytes) -> bytes:
    try:
        raw = multibase_z_decode(multikey)
    except Base58Error as error:
        raise MultikeyError(str(error)) from None
    if len(raw) != 34 or not raw.startswith(prefix):
        raise MultikeyError("not an Ed25519 Multikey")
    return raw[2:]


def did_key(public_key: bytes) -> str:
    """``did:key:z6Mk…`` for a raw Ed25519 public key."""
    return DID_KEY_PREFIX + encode_public_key(public_key)


def did_key_verification_method(public_key: bytes) -> str:
    """``did:key:z6Mk…#z6Mk…``: the verification method id of a did:key."""
    multikey = encode_public_key(public_key)
    return f"{DID_KEY_PREFIX}{multikey}#{multikey}"


def public_key_from_did_key(verification_method: str) -> bytes:
    """The public key a did:key verification method names; raise MultikeyError otherwise."""
    if not isinstance(verification_method, str) or not verification_method.startswith(
        DID_KEY_PREFIX
    ):
        raise MultikeyError("not a did:key identifier")
    did, _, fragment = verification_method.partition("#")
    multikey = did[len(DID_KEY_PREFIX) :]
    if fragment and fragment != multikey:
        raise MultikeyError("the did:key fragment must repeat the key")
    return decode_public_key(multikey)


def controller_of(verification_method: str) -> str:
    """The DID or URL a verification method belongs to: everything before ``#``."""
    return verification_method.partition("#")[0]
