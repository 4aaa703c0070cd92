"""Demo report cards: last year's cards of the flagship school's classes, generated from
the demo gradebook (assessment.demo); one class checked and approved (the class of the
demo guardian's child, when it has one)."""

from __future__ import annotations

from django.db.models import Q
from django.utils.translation import gettext as _

from truongso.assessment.demo import previous_classes
from truongso.learners.models import Guardian
from truongso.reportcards import services
from truongso.reportcards.models import (
    ReportCard,
    ReportCardCopy,
    ReportCardJob,
    ReportCardStatus,
    ReportCardVersion,
)


def build(ctx) -> dict[str, int]:
    principal = ctx.users.get("hieutruong")
    if principal is None:
        return {}
    classes = previous_classes(ctx)
    if not classes:
        return {}
    created = 0
    for school_class in classes:
        created += services.report_cards_generate(
            actor=principal, school_class=school_class
        ).created
    child = (
        Guardian.objects.filter(user__username="phuhuynh")
        .values_list("learner_id", flat=True)
        .first()
    )
    chosen = classes[0]
    if child is not None:
        card = ReportCard.objects.filter(learner_id=child, school_year=ctx.previous_year).first()
        if card is not None:
            chosen = next(c for c in classes if c.pk == card.school_class_id)
    cards = list(ReportCard.objects.filter(school_class=chosen).select_related("learner"))
    services.report_cards_bulk(actor=principal, cards=cards, action="ready")
    ready = list(ReportCard.objects.filter(school_class=chosen, status=ReportCardStatus.READY))
    approved = services.report_cards_bulk(actor=principal, cards=ready, action="approve").done
    return {_("Học bạ (năm học trước)"): created, _("Học bạ đã duyệt"): approved}


def reset(institution_ids: list[int]) -> None:
    where = Q(institution_id__in=institution_ids)
    ReportCardCopy.objects.filter(where).delete()
    ReportCardJob.objects.filter(where).delete()
    ReportCard.objects.filter(where).update(current_version=None, approved_version=None)
    ReportCardVersion.objects.filter(where).delete()
    ReportCard.objects.filter(where).delete()
