"""Reads of school health data, scoped to the acting user.

Per-learner health data is read only through the functions here that take a
``channel``: each logs the view (who saw whose data, when, how) before returning it.
Aggregate summaries carry no per-learner data and are not logged."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Q, QuerySet

from truongso.academics.models import SchoolClass
from truongso.accounts.access import (
    can_record_health,
    health_learners_q,
    health_summary_institutions_q,
    scope_for,
)
from truongso.health.models import (
    Campaign,
    Checkup,
    HealthRecordView,
    InsuranceCard,
    Vaccination,
)
from truongso.health.rules import classification as c
from truongso.health.services import health_views_log
from truongso.learners.models import Learner, LearnerStatus
from truongso.units.models import Institution


def health_learners(*, actor) -> QuerySet[Learner]:
    """Learners whose health data ``actor`` may see one by one (not logged: names only)."""
    return Learner.objects.filter(health_learners_q(scope_for(actor)))


def can_record(*, actor, institution_id: int) -> bool:
    return can_record_health(scope_for(actor), institution_id)


def summary_institutions(*, actor) -> QuerySet[Institution]:
    """Institutions whose aggregate health figures ``actor`` may see."""
    return (
        Institution.objects.filter(health_summary_institutions_q(scope_for(actor)))
        .select_related("province")
        .order_by("name", "pk")
    )


def can_see_class_summary(*, actor, school_class: SchoolClass) -> bool:
    scope = scope_for(actor)
    if school_class.pk in scope.homeroom_class_ids:
        return True
    return summary_institutions(actor=actor).filter(pk=school_class.institution_id).exists()


def class_for_health(*, actor, pk: int) -> SchoolClass:
    """A class whose health summary ``actor`` may see (SchoolClass.DoesNotExist otherwise)."""
    school_class = SchoolClass.objects.select_related("institution", "school_year").get(pk=pk)
    if not can_see_class_summary(actor=actor, school_class=school_class):
        raise SchoolClass.DoesNotExist
    return school_class


def institution_for_health(*, actor, pk: int) -> Institution:
    return summary_institutions(actor=actor).get(pk=pk)


# Per-learner data: every read is logged.


@dataclass
class HealthRecord:
    learner: Learner
    checkups: list[Checkup]
    vaccinations: list[Vaccination]
    insurance_card: InsuranceCard | None


def learner_health_record(*, actor, pk: int, channel: str = "page") -> HealthRecord:
    """The whole health record of one learner (Learner.DoesNotExist when out of scope).
    The view is logged."""
    learner = health_learners(actor=actor).select_related("current_class").get(pk=pk)
    health_views_log(actor=actor, learners=[learner], channel=channel, what="record")
    return HealthRecord(
        learner=learner,
        checkups=list(
            Checkup.objects.filter(learner=learner).select_related("campaign").order_by("date")
        ),
        vaccinations=list(Vaccination.objects.filter(learner=learner).order_by("date", "pk")),
        insurance_card=InsuranceCard.objects.filter(learner=learner).first(),
    )


def learner_vaccinations(*, actor, pk: int, channel: str = "api") -> QuerySet[Vaccination]:
    """One learner's vaccinations (Learner.DoesNotExist when out of scope); logged."""
    learner = health_learners(actor=actor).get(pk=pk)
    health_views_log(actor=actor, learners=[learner], channel=channel, what="vaccinations")
    return Vaccination.objects.filter(learner=learner)


def learner_insurance_card(*, actor, pk: int, channel: str = "api") -> InsuranceCard:
    """One learner's health insurance card (DoesNotExist when out of scope or none);
    logged."""
    learner = health_learners(actor=actor).get(pk=pk)
    health_views_log(actor=actor, learners=[learner], channel=channel, what="insurance")
    return InsuranceCard.objects.get(learner=learner)


def health_learner(*, actor, pk: int) -> Learner:
    """A learner whose health data the actor may see (to record for them: the services
    check that the actor may also record)."""
    return health_learners(actor=actor).get(pk=pk)


def learner_checkups(*, actor, pk: int, channel: str = "api") -> QuerySet[Checkup]:
    """One learner's checkups (Learner.DoesNotExist when out of scope); logged."""
    learner = health_learners(actor=actor).get(pk=pk)
    health_views_log(actor=actor, learners=[learner], channel=channel, what="checkups")
    return Checkup.objects.filter(learner=learner).select_related("learner", "campaign")


def checkups_visible(*, actor) -> QuerySet[Checkup]:
    """Checkups of the learners ``actor`` may see (not logged: log what is shown with
    ``log_checkups_viewed``)."""
    return Checkup.objects.filter(
        learner__in=health_learners(actor=actor).values("pk")
    ).select_related("learner", "campaign", "school_class")


def log_checkups_viewed(*, actor, checkups: Iterable[Checkup], channel: str, what: str) -> None:
    learners = {ch.learner_id: ch.learner for ch in checkups}
    health_views_log(actor=actor, learners=learners.values(), channel=channel, what=what)


def campaign_list(*, actor, institution_id: int | None = None) -> QuerySet[Campaign]:
    scope = scope_for(actor)
    institutions = summary_institutions(actor=actor).values("pk")
    qs = Campaign.objects.filter(
        Q(institution_id__in=institutions)
        | Q(classes__in=scope.homeroom_class_ids, institution_id__in=scope.teacher_institution_ids)
    ).distinct()
    if institution_id is not None:
        qs = qs.filter(institution_id=institution_id)
    return qs.select_related("institution", "school_year").order_by("-date", "-pk")


def campaign_get(*, actor, pk: int) -> Campaign:
    return campaign_list(actor=actor).get(pk=pk)


@dataclass
class SheetRow:
    learner: Learner
    checkup: Checkup | None


def campaign_sheet(
    *, actor, campaign: Campaign, school_class: SchoolClass, channel: str = "page"
) -> list[SheetRow]:
    """One row per learner of the class with their checkup in the campaign; logged."""
    learners = list(
        health_learners(actor=actor)
        .filter(current_class=school_class, status=LearnerStatus.STUDYING)
        .order_by("search_name", "pk")
    )
    checkups = {
        ch.learner_id: ch for ch in Checkup.objects.filter(campaign=campaign, learner__in=learners)
    }
    health_views_log(actor=actor, learners=learners, channel=channel, what="campaign")
    return [SheetRow(learner=lr, checkup=checkups.get(lr.pk)) for lr in learners]


def class_latest_checkups(
    *, actor, school_class: SchoolClass, channel: str = "page"
) -> list[SheetRow]:
    """Each learner of the class whose health data ``actor`` may see, with their latest
    checkup of the class's school year; logged."""
    year = school_class.school_year
    learners = list(
        health_learners(actor=actor)
        .filter(current_class=school_class, status=LearnerStatus.STUDYING)
        .order_by("search_name", "pk")
    )
    latest: dict[int, Checkup] = {}
    for checkup in Checkup.objects.filter(
        learner__in=learners, date__gte=year.starts_on, date__lte=year.ends_on
    ).order_by("date", "pk"):
        latest[checkup.learner_id] = checkup
    health_views_log(actor=actor, learners=learners, channel=channel, what="class")
    return [SheetRow(learner=lr, checkup=latest.get(lr.pk)) for lr in learners]


def view_log(*, actor, learner_pk: int) -> QuerySet[HealthRecordView]:
    """Who viewed this learner's health data: for the nurse and the principal."""
    learner = health_learners(actor=actor).get(pk=learner_pk)
    if not can_record(actor=actor, institution_id=learner.institution_id):
        return HealthRecordView.objects.none()
    return HealthRecordView.objects.filter(learner=learner).select_related("viewer")


# Aggregate summaries (no per-learner data).


@dataclass
class GrowthSummary:
    """Counts of one group's latest checkups: each learner counted once."""

    label: str = ""
    school_class: SchoolClass | None = None
    institution_id: int | None = None
    checked: int = 0
    stunted: int = 0  # including severely
    severely_stunted: int = 0
    thin: int = 0  # including severely
    severely_thin: int = 0
    overweight: int = 0
    obese: int = 0
    learner_ids: set[int] = field(default_factory=set, repr=False)

    def add(self, stature: str, nutrition: str) -> None:
        self.checked += 1
        if stature in c.STUNTED_CODES:
            self.stunted += 1
        if stature == c.SEVERELY_STUNTED:
            self.severely_stunted += 1
        if nutrition in c.THIN_CODES:
            self.thin += 1
        if nutrition == c.SEVERELY_THIN:
            self.severely_thin += 1
        if nutrition == c.OVERWEIGHT:
            self.overweight += 1
        if nutrition == c.OBESE:
            self.obese += 1

    def share(self, count: int) -> Decimal | None:
        """Percent of the learners checked, 1 decimal."""
        if not self.checked:
            return None
        return (Decimal(100) * count / self.checked).quantize(Decimal("0.1"))

    @property
    def shares(self) -> dict[str, Decimal | None]:
        return {
            "stunted": self.share(self.stunted),
            "thin": self.share(self.thin),
            "overweight": self.share(self.overweight),
            "obese": self.share(self.obese),
        }


def latest_per_learner(checkups: QuerySet[Checkup]) -> dict[int, tuple]:
    """learner id → (institution id, class id, stature, nutrition) of their latest checkup
    in ``checkups``."""
    latest: dict[int, tuple] = {}
    for learner_id, institution_id, class_id, stature, nutrition in checkups.order_by(
        "date", "pk"
    ).values_list("learner_id", "institution_id", "school_class_id", "stature", "nutrition"):
        latest[learner_id] = (institution_id, class_id, stature, nutrition)
    return latest


def counts_by_institution(
    institution_ids: Iterable[int], start: dt.date, end: dt.date
) -> dict[int, GrowthSummary]:
    """Unscoped: the statistics' figures (aggregates only). Each learner's latest checkup
    between ``start`` and ``end`` inclusive, counted at the checkup's institution."""
    result: dict[int, GrowthSummary] = {}
    qs = Checkup.objects.filter(
        institution_id__in=list(institution_ids), date__gte=start, date__lte=end
    )
    for institution_id, _class_id, stature, nutrition in latest_per_learner(qs).values():
        result.setdefault(institution_id, GrowthSummary(institution_id=institution_id)).add(
            stature, nutrition
        )
    return result


def school_summary(*, actor, institution: Institution, school_year) -> list[GrowthSummary]:
    """One summary per class of ``institution`` in ``school_year`` (by the learners'
    latest checkups of the year), then the school's total (label "")."""
    institution_for_health(actor=actor, pk=institution.pk)
    classes = list(
        SchoolClass.objects.filter(institution=institution, school_year=school_year).order_by(
            "grade", "name"
        )
    )
    rows = {cl.pk: GrowthSummary(label=cl.name, school_class=cl) for cl in classes}
    total = GrowthSummary(label="", institution_id=institution.pk)
    qs = Checkup.objects.filter(
        institution=institution, date__gte=school_year.starts_on, date__lte=school_year.ends_on
    )
    for _inst, class_id, stature, nutrition in latest_per_learner(qs).values():
        total.add(stature, nutrition)
        if class_id in rows:
            rows[class_id].add(stature, nutrition)
    return [*rows.values(), total]


def class_summary(*, actor, school_class: SchoolClass) -> GrowthSummary:
    if not can_see_class_summary(actor=actor, school_class=school_class):
        raise SchoolClass.DoesNotExist
    year = school_class.school_year
    summary = GrowthSummary(label=school_class.name, school_class=school_class)
    qs = Checkup.objects.filter(
        school_class=school_class, date__gte=year.starts_on, date__lte=year.ends_on
    )
    for _inst, _class, stature, nutrition in latest_per_learner(qs).values():
        summary.add(stature, nutrition)
    return summary
