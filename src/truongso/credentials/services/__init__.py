"""Writes for credentials. Every function is atomic and audited; see each module.

- ``keys``: signing keys (root and institutions) and the published key registry.
- ``log``: the append-only register log and its signed checkpoints.
- ``status``: the status lists (revocation, suspension).
- ``register``: issuing, reissuing, amending, revoking, suspending credentials.
- ``batches``: candidates from a spreadsheet or a class, checked before issuing.
- ``report_cards``: the signed report card (CLR 2.0) issued when a version is approved.
"""

from truongso.credentials.services.batches import (
    credential_types_for,
    issuance_batch_cancel,
    issuance_batch_from_file,
    issuance_batch_from_learners,
    issuance_batch_issue,
)
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
from truongso.credentials.services.register import (
    Candidate,
    Issuance,
    credential_issue,
    credential_reinstate,
    credential_replace,
    credential_revoke,
    credential_suspend,
)
from truongso.credentials.services.report_cards import report_card_credential_issue

__all__ = [
    "Candidate",
    "Issuance",
    "LogEvent",
    "credential_issue",
    "credential_reinstate",
    "credential_replace",
    "credential_revoke",
    "credential_suspend",
    "credential_types_for",
    "current_key",
    "issuance_batch_cancel",
    "issuance_batch_from_file",
    "issuance_batch_from_learners",
    "issuance_batch_issue",
    "issuer_key_create",
    "issuer_key_revoke",
    "issuer_key_rotate",
    "log_append",
    "registry_publish",
    "report_card_credential_issue",
    "root_key_ensure",
    "signing_key",
]
