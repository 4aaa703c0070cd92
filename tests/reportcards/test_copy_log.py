"""The log of copies: each PDF served writes its row and its audit entry together (one
statement on PostgreSQL, a transaction elsewhere) with the same values either way."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from truongso.audit.models import AuditEntry
from truongso.audit.services import model_snapshot
from truongso.reportcards import selectors, services
from truongso.reportcards.models import ReportCard, ReportCardCopy

pytestmark = pytest.mark.django_db


@pytest.fixture
def card(world):
    services.report_cards_generate(actor=world.principal_a, school_class=world.class_a1)
    card = ReportCard.objects.get(learner=world.learner_an)
    return selectors.report_card_for_copy(actor=world.principal_a, pk=card.pk)


def test_the_copy_and_its_audit_entry(world, card):
    copy = services.report_card_copy_issue(actor=world.principal_a, report_card=card,
                                           recipient="Trường THPT Chu Văn An",
                                           purpose="Chuyển trường")  # fmt: skip
    stored = ReportCardCopy.objects.get()
    assert copy.pk == stored.pk and not copy._state.adding
    assert (stored.institution_id, stored.report_card_id, stored.version_id, stored.issued_by_id,
            stored.recipient, stored.purpose) == (
        world.school_a.pk, card.pk, card.current_version_id, world.principal_a.pk,
        "Trường THPT Chu Văn An", "Chuyển trường")  # fmt: skip
    assert stored.issued_at == copy.issued_at or connection.vendor != "postgresql"
    entry = AuditEntry.objects.get(action="report_card.copy")
    assert (entry.actor_id, entry.object_type, entry.object_id, entry.institution_id) == (
        world.principal_a.pk,
        "reportcards.reportcardcopy",
        str(stored.pk),
        world.school_a.pk,
    )
    assert (entry.before, entry.reason) == (None, "")
    assert entry.after == model_snapshot(stored)


def test_one_statement_on_postgresql(world, card):
    with CaptureQueriesContext(connection) as queries:
        services.report_card_copy_issue(actor=world.principal_a, report_card=card)
    writes = [q["sql"] for q in queries.captured_queries if "INSERT" in q["sql"]]
    assert len(writes) == (1 if connection.vendor == "postgresql" else 2)
    assert ReportCardCopy.objects.count() == AuditEntry.objects.filter(
        action="report_card.copy").count() == 1  # fmt: skip
