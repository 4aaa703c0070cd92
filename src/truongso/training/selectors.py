"""Reads for staff development, scoped to the acting user: a school's managers and the
offices above it read the school's records; a teacher reads their own."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, Q, QuerySet, Sum

from truongso.academics.models import SchoolClass, SchoolYear
from truongso.accounts.access import institutions_q, school_rows_q, scope_for
from truongso.core.rules.text import fold
from truongso.learners.models import Learner, LearnerStatus
from truongso.staff.models import ACTIVE_EMPLOYMENT, Position, StaffMember
from truongso.training.models import (
    OfficialRating,
    ProfessionalStandard,
    StaffAppraisal,
    TrainingRecord,
)
from truongso.training.rules.ratios import ratio, share
from truongso.units.models import Institution

KIND_FILTERS = ("digital_skills", "digital_materials", "professional", "political", "management")


def _read_q(actor) -> Q:
    return school_rows_q(scope_for(actor)) | Q(staff_member__user_id=actor.pk)


def training_records(
    *,
    actor,
    institution_id: int | None = None,
    staff_member_id: int | None = None,
    query: str = "",
    kind: str = "",
    school_year: SchoolYear | None = None,
) -> QuerySet[TrainingRecord]:
    """Training records ``actor`` may read, newest first, filtered by school, staff
    member, name (without diacritics), kind flag and school year (by start date)."""
    if not getattr(actor, "is_authenticated", False):
        return TrainingRecord.objects.none()
    qs = TrainingRecord.objects.filter(_read_q(actor))
    if institution_id:
        qs = qs.filter(institution_id=institution_id)
    if staff_member_id:
        qs = qs.filter(staff_member_id=staff_member_id)
    if query:
        qs = qs.filter(staff_member__search_name__contains=fold(query))
    if kind in KIND_FILTERS:
        qs = qs.filter(**{kind: True})
    if school_year is not None:
        qs = qs.filter(starts_on__gte=school_year.starts_on, starts_on__lte=school_year.ends_on)
    return qs.select_related("staff_member", "institution").order_by("-starts_on", "-pk")


def training_record_get(*, actor, pk: int, write: bool = False) -> TrainingRecord:
    q = school_rows_q(scope_for(actor), write=True) if write else _read_q(actor)
    return TrainingRecord.objects.filter(q).select_related("staff_member", "institution").get(pk=pk)


def staff_member_get(*, actor, pk: int) -> StaffMember:
    """A staff member whose training history ``actor`` may read: the school's managers,
    the offices above it, and the staff member themself."""
    scope = scope_for(actor)
    q = school_rows_q(scope) | Q(user_id=actor.pk)
    return StaffMember.objects.filter(q).select_related("institution").get(pk=pk)


def own_staff_member(*, actor) -> StaffMember | None:
    if not getattr(actor, "is_authenticated", False):
        return None
    return StaffMember.objects.filter(user_id=actor.pk).select_related("institution").first()


def appraisals(
    *, actor, institution_id: int | None = None, school_year: SchoolYear | None = None,
    staff_member_id: int | None = None,
) -> QuerySet[StaffAppraisal]:  # fmt: skip
    if not getattr(actor, "is_authenticated", False):
        return StaffAppraisal.objects.none()
    qs = StaffAppraisal.objects.filter(_read_q(actor))
    if institution_id:
        qs = qs.filter(institution_id=institution_id)
    if school_year is not None:
        qs = qs.filter(school_year=school_year)
    if staff_member_id:
        qs = qs.filter(staff_member_id=staff_member_id)
    return qs.select_related("staff_member", "school_year", "appraised_by").order_by(
        "-school_year__starts_on", "staff_member__search_name", "pk"
    )


@dataclass
class AppraisalRow:
    staff_member: StaffMember
    appraisal: StaffAppraisal | None


def appraisal_rows(*, actor, institution: Institution, school_year: SchoolYear) -> QuerySet:
    """The staff in service at the school (for the appraisal table of a year), each with
    its appraisal of that year as ``year_appraisal`` (a list of 0 or 1)."""
    from django.db.models import Prefetch

    scope = scope_for(actor)
    if not (scope.manages(institution.pk) or _office_reads(actor, institution.pk)):
        return StaffMember.objects.none()
    return (
        StaffMember.objects.filter(institution=institution, employment_status__in=ACTIVE_EMPLOYMENT)
        .prefetch_related(
            Prefetch(
                "appraisals",
                queryset=StaffAppraisal.objects.filter(school_year=school_year),
                to_attr="year_appraisal",
            )
        )
        .order_by("search_name", "pk")
    )


def _office_reads(actor, institution_id: int) -> bool:
    scope = scope_for(actor)
    return (
        scope.is_office
        and Institution.objects.filter(institutions_q(scope), pk=institution_id).exists()
    )


def school_year_at(day: dt.date) -> SchoolYear | None:
    """The school year a day falls in (None in the summer between two years)."""
    return SchoolYear.objects.filter(starts_on__lte=day, ends_on__gte=day).first()


# --- the summary: shares and ratios per school ------------------------------------


@dataclass
class SchoolFigures:
    """The staff figures of one school (``institution`` None: the total of a list)."""

    institution: Institution | None = None
    staff: int = 0
    teachers: int = 0
    teachers_digital_skills: int = 0
    teachers_digital_materials: int = 0
    hours: int = 0
    records: int = 0
    learners: int = 0
    classes: int = 0
    standard: Counter = field(default_factory=Counter)
    rating: Counter = field(default_factory=Counter)

    @property
    def digital_skills_share(self) -> Decimal | None:
        """Share of teachers trained in digital skills, in percent."""
        return share(self.teachers_digital_skills, self.teachers)

    @property
    def digital_materials_share(self) -> Decimal | None:
        return share(self.teachers_digital_materials, self.teachers)

    @property
    def learners_per_staff(self) -> Decimal | None:
        return ratio(self.learners, self.staff)

    @property
    def learners_per_teacher(self) -> Decimal | None:
        return ratio(self.learners, self.teachers)

    @property
    def teachers_per_class(self) -> Decimal | None:
        return ratio(self.teachers, self.classes)

    def add(self, other: SchoolFigures) -> None:
        for name in (
            "staff",
            "teachers",
            "teachers_digital_skills",
            "teachers_digital_materials",
            "hours",
            "records",
            "learners",
            "classes",
        ):
            setattr(self, name, getattr(self, name) + getattr(other, name))  # fmt: skip
        self.standard.update(other.standard)
        self.rating.update(other.rating)

    def standard_counts(self) -> list[tuple[str, int]]:
        return [(label, self.standard[code]) for code, label in ProfessionalStandard.choices]

    def rating_counts(self) -> list[tuple[str, int]]:
        return [(label, self.rating[code]) for code, label in OfficialRating.choices]


def figures(institution_ids, school_year: SchoolYear | None, cutoff: dt.date) -> dict:
    """Figures of each institution (unscoped: callers pass ids they may read):

    - staff and teachers in service (Giáo viên; employment permanent, contract, probation);
    - teachers in service trained in digital skills / in producing digital learning
      materials: a record with that flag that started on or before ``cutoff`` (ever);
    - training hours and records that started in ``school_year`` up to ``cutoff``;
    - learners studying, classes of ``school_year``;
    - appraisals of ``school_year`` by level on both scales.
    """
    ids = list(institution_ids)
    out = {pk: SchoolFigures() for pk in ids}
    active = StaffMember.objects.filter(
        institution_id__in=ids, employment_status__in=ACTIVE_EMPLOYMENT
    )
    for pk, position, n in (
        active.values("institution_id", "position")
        .annotate(n=Count("pk"))
        .values_list("institution_id", "position", "n")
    ):
        out[pk].staff += n
        if position == Position.TEACHER:
            out[pk].teachers += n
    teachers = active.filter(position=Position.TEACHER)
    trained = TrainingRecord.objects.filter(staff_member__in=teachers, starts_on__lte=cutoff)
    for flag, attr in (("digital_skills", "teachers_digital_skills"),
                       ("digital_materials", "teachers_digital_materials")):  # fmt: skip
        for pk, n in (
            trained.filter(**{flag: True})
            .values("staff_member__institution_id")
            .annotate(n=Count("staff_member_id", distinct=True))
            .values_list("staff_member__institution_id", "n")
        ):
            setattr(out[pk], attr, n)
    if school_year is not None:
        for pk, hours, n in (
            TrainingRecord.objects.filter(
                institution_id__in=ids,
                starts_on__gte=school_year.starts_on,
                starts_on__lte=min(cutoff, school_year.ends_on),
            )
            .values("institution_id")
            .annotate(h=Sum("hours"), n=Count("pk"))
            .values_list("institution_id", "h", "n")
        ):
            out[pk].hours, out[pk].records = hours or 0, n
        for pk, n in (
            SchoolClass.objects.filter(institution_id__in=ids, school_year=school_year)
            .values("institution_id")
            .annotate(n=Count("pk"))
            .values_list("institution_id", "n")
        ):
            out[pk].classes = n
        for pk, standard, rating in StaffAppraisal.objects.filter(
            institution_id__in=ids, school_year=school_year
        ).values_list("institution_id", "professional_standard", "official_rating"):
            if standard:
                out[pk].standard[standard] += 1
            if rating:
                out[pk].rating[rating] += 1
    for pk, n in (
        Learner.objects.filter(institution_id__in=ids, status=LearnerStatus.STUDYING)
        .values("institution_id")
        .annotate(n=Count("pk"))
        .values_list("institution_id", "n")
    ):
        out[pk].learners = n
    return out


def staff_summary(
    *, actor, school_year: SchoolYear | None, institution_id: int | None = None,
    cutoff: dt.date | None = None,
) -> tuple[list[SchoolFigures], SchoolFigures]:  # fmt: skip
    """One row per school ``actor`` oversees (the school's managers: their school;
    offices: every school of their units), and the total, whose shares and ratios are
    computed from the summed figures (not averaged)."""
    scope = scope_for(actor)
    if scope.is_office:
        schools = Institution.objects.filter(institutions_q(scope))
    else:  # a teacher reads only their own records, not the school's figures
        schools = Institution.objects.filter(pk__in=scope.managed_institution_ids)
    if institution_id:
        schools = schools.filter(pk=institution_id)
    schools = list(schools.order_by("search_name", "pk"))
    if cutoff is None:
        cutoff = min(dt.date.today(), school_year.ends_on) if school_year else dt.date.today()
    found = figures([s.pk for s in schools], school_year, cutoff)
    rows = []
    total = SchoolFigures()
    for school in schools:
        row = found[school.pk]
        row.institution = school
        rows.append(row)
        total.add(row)
    return rows, total
