"""The register log: every key change, issuance and status change appends one entry; each
append ends with a checkpoint signed by the node's root key."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction

from truongso.credentials import conf
from truongso.credentials.logtree import peaks_append, peaks_root
from truongso.credentials.models import Checkpoint, IssuerKey, LogEntry
from truongso.credentials.rules.data_integrity import canonicalize, format_datetime
from truongso.credentials.rules.merkle import leaf_hash
from truongso.credentials.rules.signed_note import Checkpoint as CheckpointNote
from truongso.credentials.rules.signed_note import sign_checkpoint
from truongso.credentials.rules.signer import Signer
from truongso.credentials.services.common import counter_take, now_seconds, rows_insert_values

LOG_COUNTER = "log"
LOG_VERSION = 1
_COLUMNS = ("index", "event", "body", "leaf_hash", "institution_id", "credential_id")


@dataclass
class LogEvent:
    """One entry to append: its event name, its public data, the institution it concerns."""

    event: str
    data: dict[str, Any] = field(default_factory=dict)
    institution_id: int | None = None
    credential_id: int | None = None


def _peaks_at(size: int) -> list[bytes]:
    latest = Checkpoint.objects.filter(size=size).first()
    if latest is not None:
        return [bytes.fromhex(h) for h in latest.peaks]
    hashes = LogEntry.objects.filter(index__lt=size).order_by("index")
    leaves = [bytes.fromhex(h) for h in hashes.values_list("leaf_hash", flat=True)]
    return peaks_append(0, [], leaves)


@transaction.atomic
def log_append(
    events: Sequence[LogEvent], *, root_key: IssuerKey, root_signer: Signer
) -> Checkpoint:
    """Append entries and sign the new tree head with the root key."""
    at = format_datetime(now_seconds())
    first = counter_take(LOG_COUNTER, len(events))
    size = first - 1
    peaks = _peaks_at(size)
    rows = []
    leaves = []
    for offset, item in enumerate(events):
        body = canonicalize({"v": LOG_VERSION, "event": item.event, "at": at, **item.data})
        leaf = leaf_hash(body)
        leaves.append(leaf)
        rows.append((
            size + offset, item.event, body.decode("utf-8"), leaf.hex(), item.institution_id,
            item.credential_id,
        ))  # fmt: skip
    rows_insert_values(LogEntry, {}, _COLUMNS, rows, instances=False)
    peaks = peaks_append(size, peaks, leaves)
    new_size = size + len(events)
    root = peaks_root(peaks)
    note = sign_checkpoint(CheckpointNote(conf.log_origin(), new_size, root), root_signer)
    return Checkpoint.objects.create(
        size=new_size,
        root_hash=root.hex(),
        peaks=[p.hex() for p in peaks],
        note=note,
        key=root_key,
    )
