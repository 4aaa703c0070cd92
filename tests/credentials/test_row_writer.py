"""Rows written from values (``services.common.RowWriter``): the primary keys, the shared
and the per-row values, the defaults, an ``auto_now_add`` time; a writer that
gets fewer rows than it reserved writes nothing."""

import pytest
from django.db import transaction

from truongso.audit.models import AuditEntry
from truongso.credentials.services.common import RowWriter, rows_insert_values


def test_values_shared_and_per_row(world):
    before = AuditEntry.objects.count()
    objects = rows_insert_values(
        AuditEntry,
        {"action": "test.write", "object_type": "tests.thing", "institution_id": 7},
        ("object_id", "after"),
        [("1", {"a": "tab\there", "b": None}), ("2", None)],
    )
    assert [o.object_id for o in objects] == ["1", "2"]
    stored = {
        e.object_id: e for e in AuditEntry.objects.filter(action="test.write", object_id__in="12")
    }
    assert AuditEntry.objects.count() == before + 2
    assert {o.pk for o in objects} == {e.pk for e in stored.values()}
    first, second = stored["1"], stored["2"]
    assert first.after == {"a": "tab\there", "b": None}
    assert second.after is None
    assert first.institution_id == 7 and first.object_type == "tests.thing"
    assert first.reason == "" and first.actor_id is None and first.before is None
    assert first.at is not None and second.at is not None


def test_fewer_rows_than_reserved_writes_nothing(world):
    before = AuditEntry.objects.count()
    with (
        pytest.raises(ValueError, match="1 rows added, 2 reserved"),
        transaction.atomic(),
        RowWriter(AuditEntry, {"action": "test.short"}, ("object_id",), 2) as writer,
    ):
        writer.add(("1",))
    assert AuditEntry.objects.count() == before
