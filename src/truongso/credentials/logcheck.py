"""Checking the whole register log: every entry's hash, every checkpoint's root and
signature, consistency between checkpoints, and that the register and the log agree."""

from __future__ import annotations

import json
from dataclasses import dataclass, field

from truongso.credentials.logtree import peaks_root
from truongso.credentials.models import (
    Checkpoint,
    Credential,
    CredentialStatus,
    LogEntry,
    ReportCardCredential,
)
from truongso.credentials.rules.merkle import MerkleLog, leaf_hash, verify_consistency
from truongso.credentials.rules.signed_note import NoteVerifier, verify_checkpoint

CHUNK = 5000


@dataclass
class LogReport:
    entries: int = 0
    checkpoints: int = 0
    root: str = ""
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


def _entries(report: LogReport, log: MerkleLog) -> dict[str, list[str]]:
    """Read every entry; returns credential id → its events with hashes."""
    events: dict[str, list[str]] = {}
    rows = LogEntry.objects.order_by("index").values_list("index", "event", "body", "leaf_hash")
    for index, event, body, stored in rows.iterator(chunk_size=CHUNK):
        if index != len(log):
            report.problems.append(f"entry {len(log)} is missing (found {index} next)")
        digest = leaf_hash(body.encode("utf-8"))
        if digest.hex() != stored:
            report.problems.append(f"entry {index}: its hash does not match its content")
        try:
            data = json.loads(body)
        except ValueError:
            report.problems.append(f"entry {index}: not JSON")
            data = {}
        if data.get("event") != event:
            report.problems.append(f"entry {index}: the event differs from its content")
        if "credential" in data:
            marker = f"{event}:{data.get('hash', '')}"
            events.setdefault(data["credential"], []).append(marker)
        log.append_hash(digest)
    return events


def _checkpoints(report: LogReport, log: MerkleLog) -> None:
    previous: Checkpoint | None = None
    for checkpoint in Checkpoint.objects.select_related("key").order_by("size"):
        report.checkpoints += 1
        size = checkpoint.size
        if size > len(log):
            report.problems.append(f"checkpoint {size}: the log has only {len(log)} entries")
            continue
        root = log.root(size)
        if checkpoint.root_hash != root.hex():
            report.problems.append(f"checkpoint {size}: its root is not the log's root")
        if peaks_root([bytes.fromhex(h) for h in checkpoint.peaks]) != root:
            report.problems.append(f"checkpoint {size}: its stored tree edge is wrong")
        origin = checkpoint.note.split("\n", 1)[0]
        verifier = NoteVerifier(origin, checkpoint.key.public_bytes)
        result = verify_checkpoint(checkpoint.note, [verifier], origin=origin)
        if not result.ok:
            report.problems.append(f"checkpoint {size}: the signature does not verify")
        elif (result.payload.size, result.payload.root) != (size, root):
            report.problems.append(f"checkpoint {size}: the signed size or root differs")
        if previous is not None and previous.size < size:
            old_root = bytes.fromhex(previous.root_hash)
            proof = log.consistency_proof(previous.size, size)
            if not verify_consistency(previous.size, size, old_root, root, proof):
                report.problems.append(
                    f"checkpoints {previous.size} → {size}: not consistent (the log was rewritten)"
                )
        previous = checkpoint
    if previous is None and len(log):
        report.problems.append("the log has entries but no checkpoint")
    elif previous is not None and previous.size != len(log):
        report.problems.append(f"{len(log) - previous.size} entries after the last checkpoint")


def _register_rows():
    """Every diploma of the register, then every signed report card."""
    for model in (Credential, ReportCardCredential):
        rows = model.objects.values_list("credential_id", "document_hash", "status")
        yield from rows.iterator(chunk_size=CHUNK)


def _register(report: LogReport, events: dict[str, list[str]]) -> None:
    for credential_id, document_hash, status in _register_rows():
        seen = events.get(credential_id, [])
        if f"credential.issue:{document_hash}" not in seen:
            report.problems.append(f"{credential_id}: its issuance is not in the log")
        if status == CredentialStatus.REVOKED and not any(
            e.startswith("credential.revoke:") for e in seen
        ):
            report.problems.append(f"{credential_id}: its revocation is not in the log")


def log_check() -> LogReport:
    report = LogReport()
    log = MerkleLog()
    events = _entries(report, log)
    report.entries = len(log)
    report.root = log.root().hex()
    _checkpoints(report, log)
    _register(report, events)
    return report
