"""Shared fixtures for the credentials tests: deterministic keys and paths to vectors."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

from hypothesis import settings

from truongso.credentials.rules.keyring import KeyRing, TrustedKey
from truongso.credentials.rules.signer import Ed25519Signer

VECTORS = Path(__file__).parent / "vectors"

# Hypothesis without a deadline (no timed assertions) and without writing a database.
fuzz = settings(deadline=None, database=None, max_examples=200)

ISSUER = "did:web:truongso.example:i:79000001"
KEY_ID = f"{ISSUER}#key-2025"
OTHER_ISSUER = "did:web:truongso.example:i:01000002"
OTHER_KEY_ID = f"{OTHER_ISSUER}#key-2025"


def read_text(relative: str) -> str:
    return (VECTORS / relative).read_text(encoding="utf-8")


def read_json(relative: str):
    return json.loads(read_text(relative))


def school_signer(seed_byte: int = 1, key_id: str = KEY_ID) -> Ed25519Signer:
    return Ed25519Signer(bytes([seed_byte]) * 32, key_id)


def school_ring(*signers_and_controllers, **window) -> KeyRing:
    """A key ring with the default school key, or the (signer, controller) pairs given."""
    pairs = signers_and_controllers or ((school_signer(), ISSUER),)
    return KeyRing(
        TrustedKey(signer.key_id, signer.public_key, controller, **window)
        for signer, controller in pairs
    )


SIGNED_AT = datetime(2025, 7, 1, 8, 0, tzinfo=UTC)
