"""The wire format of the exchange and the ordering rules, as pure data and functions.

A batch (child → parent)::

    {"format": "truongso.exchange/1", "batch_id": "<uuid>", "node_id": "thcs-ba-dinh",
     "cursor": 7, "sent_at": "2025-10-01T08:00:00+07:00",
     "records": [{"record_id": "<uuid>", "type": "learner", "event": "new",
                  "version": 3, "changed_at": "...", "institution_code": "01000001",
                  "data": {...}}]}

The answer (parent → child)::

    {"batch_id": ..., "cursor": 7, "replayed": false,
     "applied": [{"record_id", "version"}], "skipped": [{"record_id", "version", "reason"}],
     "deferred": [{"record_id", "version", "reason"}],
     "conflicts": [{"record_id", "version", "reason", "message"}],
     "identifiers": {"<record_id>": "<education identifier>"},
     "resolutions": [{"record_id", "status", "identifier", "note"}]}
"""

from __future__ import annotations

FORMAT = "truongso.exchange/1"

# Records are sent and applied in this order, so that what a record refers to
# (its school, its class, its teacher, its learner) arrives first.
TYPE_ORDER = (
    "institution", "staff", "class", "learner", "enrolment_event", "guardian",
    "teaching_assignment", "result",
)  # fmt: skip
# Periods of a result record: the whole year, term I, term II.
PERIODS = (0, 1, 2)
EVENTS = ("new", "update", "cancel")

APPLY = "apply"
SKIP_OLDER = "older"
SKIP_SAME = "same"


def type_rank(record_type: str) -> int:
    return TYPE_ORDER.index(record_type) if record_type in TYPE_ORDER else len(TYPE_ORDER)


def send_order(record_type: str, *, deferred: bool, serial: int) -> tuple[int, int, int]:
    """The order of pending records in a batch: by type, then as they were logged; a
    record the parent held back last time (waiting for a learner in the conflict queue)
    goes after the others, so that it never blocks a batch."""
    return (1 if deferred else 0, type_rank(record_type), serial)


def result_key(school_year_id: int, period: int) -> str:
    """The key of a learner's result record beside the learner's id: the record stays
    the same when the result rows are rewritten (a bulk recompute)."""
    return f"{school_year_id}:{period}"


def version_decision(incoming: int, applied: int | None) -> str:
    """An older version never overwrites a newer one; the same version twice is a no-op."""
    if applied is None or incoming > applied:
        return APPLY
    return SKIP_SAME if incoming == applied else SKIP_OLDER


def outbound_event(*, cancelled: bool, sent_version: int) -> str:
    """The event a record carries: cancel when it is gone, new until the parent has
    acknowledged a version of it, update afterwards."""
    if cancelled:
        return "cancel"
    return "new" if sent_version == 0 else "update"


def acknowledged_version(current: int, sent: int) -> int:
    """Acknowledgements only move forward (a late answer never lowers it)."""
    return max(current, sent)
