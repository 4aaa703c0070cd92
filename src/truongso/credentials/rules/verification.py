"""The outcome every verifier returns.

A verifier never raises on bad input: it answers with one of four outcomes and a short
machine-readable reason (the interface translates it for people):

- ``valid``: the signature checks out with a trusted key that was valid at signing time.
- ``altered``: the structure is readable but the signature does not match the content —
  something was changed after signing (or it was signed by another key under this key's
  name).
- ``unknown_key``: the signing key is not one we trust for this issuer at that time.
- ``malformed``: the input is not a well-formed object of this format.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Any


class Outcome(StrEnum):
    VALID = "valid"
    ALTERED = "altered"
    UNKNOWN_KEY = "unknown_key"
    MALFORMED = "malformed"


@dataclass(frozen=True)
class Verification:
    """What a verifier found. ``reason`` is a stable code, not a sentence."""

    outcome: Outcome
    reason: str = ""
    key_id: str | None = None
    payload: Any = None

    @property
    def ok(self) -> bool:
        return self.outcome is Outcome.VALID


def valid(*, key_id: str | None = None, payload: Any = None) -> Verification:
    return Verification(Outcome.VALID, "", key_id, payload)


def altered(reason: str, *, key_id: str | None = None) -> Verification:
    return Verification(Outcome.ALTERED, reason, key_id)


def unknown_key(reason: str, *, key_id: str | None = None) -> Verification:
    return Verification(Outcome.UNKNOWN_KEY, reason, key_id)


def malformed(reason: str) -> Verification:
    return Verification(Outcome.MALFORMED, reason)
