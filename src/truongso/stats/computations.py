"""Figures computed from a school's records as of the cut-off date.

Each function named by a catalogue entry ``"stats.<name>"`` takes the context of one
computation (institutions, cut-off date, school year) and returns
``{institution_id: {cell_key: number}}``. Enrolment on the cut-off date is rebuilt from
the enrolment events (``enrolment_on``), so a learner who left before the date is not
counted and one who left after it is.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field

from truongso.academics.models import SchoolClass, SchoolYear
from truongso.learners.models import EnrolmentEvent, EnrolmentEventKind, Learner, LearnerStatus
from truongso.stats.rules.cells import cell_key
from truongso.units.models import Institution

K = EnrolmentEventKind
ENTERING = {K.ADMIT, K.TRANSFER_IN, K.READMIT, K.CHANGE_CLASS, K.PROMOTE, K.REPEAT}
LEAVING = {K.TRANSFER_OUT, K.WITHDRAW, K.DROP_OUT, K.COMPLETE_LEVEL}
FIRST_ENTRY = {K.ADMIT, K.TRANSFER_IN, K.READMIT}

Result = dict[int, dict[str, int]]


@dataclass(frozen=True)
class Enrolled:
    """Where a learner stood on the cut-off date."""

    institution_id: int
    grade: int | None
    class_id: int | None
    last_kind: str  # the kind of the last event on or before the date, "" if none
    sex: str
    ethnicity: str
    disability: bool
    birth_year: int | None


@dataclass
class Context:
    institution_ids: list[int]
    cutoff: dt.date
    school_year: SchoolYear
    _enrolment: dict[int, Enrolled] | None = field(default=None, repr=False)

    @property
    def enrolment(self) -> dict[int, Enrolled]:
        if self._enrolment is None:
            self._enrolment = enrolment_on(self.institution_ids, self.cutoff, self.school_year)
        return self._enrolment


def enrolment_on(
    institution_ids: list[int], cutoff: dt.date, school_year: SchoolYear
) -> dict[int, Enrolled]:
    """{learner_id: Enrolled} for every learner enrolled in one of the institutions on
    ``cutoff``. The last event on or before the date decides; a learner with no event
    by then counts where their first later event happened unless that event is an
    entry (admit, transfer in); a learner without any event counts where the record
    says when still studying and enrolled by the date."""
    ids = set(institution_ids)
    year_classes = {
        pk: (grade, iid)
        for pk, grade, iid in SchoolClass.objects.filter(school_year=school_year).values_list(
            "pk", "grade", "institution_id"
        )
    }
    learner_ids = set(
        EnrolmentEvent.objects.filter(institution_id__in=ids).values_list("learner_id", flat=True)
    ) | set(Learner.objects.filter(institution_id__in=ids).values_list("pk", flat=True))
    before: dict[int, tuple] = {}
    after: dict[int, tuple] = {}
    events = EnrolmentEvent.objects.filter(learner_id__in=learner_ids).order_by(
        "learner_id", "occurred_on", "id"
    )
    for row in events.values_list(
        "learner_id", "institution_id", "kind", "grade", "to_class_id", "occurred_on"
    ):
        if row[5] <= cutoff:
            before[row[0]] = row
        else:
            after.setdefault(row[0], row)
    result: dict[int, Enrolled] = {}
    people = Learner.objects.filter(pk__in=learner_ids).values_list(
        "pk", "institution_id", "status", "grade", "current_class_id", "enrolled_on",
        "sex", "ethnicity_code", "disability", "date_of_birth",
    )  # fmt: skip
    for pk, iid, status, grade, class_id, enrolled_on, sex, eth, dis, birth in people:
        last_kind = ""
        if pk in before:
            _l, where, kind, ev_grade, to_class, _d = before[pk]
            if kind not in ENTERING:
                continue
            last_kind = kind
            if to_class in year_classes:
                place_class = to_class
            elif class_id in year_classes and year_classes[class_id][1] == where:
                place_class = class_id
            else:
                place_class = None
        elif pk in after:
            _l, where, kind, ev_grade, _t, _d = after[pk]
            if kind in FIRST_ENTRY:
                continue
            place_class = class_id if class_id in year_classes else None
            if place_class is not None and year_classes[place_class][1] != where:
                place_class = None
        else:
            if status != LearnerStatus.STUDYING or (enrolled_on and enrolled_on > cutoff):
                continue
            where, ev_grade = iid, grade
            place_class = class_id if class_id in year_classes else None
        if where not in ids:
            continue
        place_grade = year_classes[place_class][0] if place_class else (ev_grade or grade)
        result[pk] = Enrolled(
            institution_id=where, grade=place_grade, class_id=place_class, last_kind=last_kind,
            sex=sex or "", ethnicity=eth or "", disability=bool(dis),
            birth_year=birth.year if birth else None,
        )  # fmt: skip
    return result


def _count(pairs) -> Result:
    out: Result = defaultdict(lambda: defaultdict(int))
    for iid, key in pairs:
        out[iid][key] += 1
    return {iid: dict(cells) for iid, cells in out.items()}


def institutions(ctx: Context) -> Result:
    rows = Institution.objects.filter(pk__in=ctx.institution_ids, is_active=True)
    return _count((pk, cell_key([kind, own])) for pk, kind, own in
                  rows.values_list("pk", "kind", "ownership"))  # fmt: skip


def _class_sizes(ctx: Context) -> dict[int, int]:
    sizes: dict[int, int] = defaultdict(int)
    for e in ctx.enrolment.values():
        if e.class_id:
            sizes[e.class_id] += 1
    return sizes


def classes_by_grade(ctx: Context) -> Result:
    sizes = _class_sizes(ctx)
    rows = SchoolClass.objects.filter(pk__in=list(sizes)).values_list(
        "pk", "institution_id", "grade"
    )
    return _count((iid, cell_key([grade])) for _pk, iid, grade in rows)


def classes_size_out_of_range(ctx: Context) -> Result:
    from truongso.stats.rules.validation import CLASS_MAX, CLASS_MIN

    sizes = _class_sizes(ctx)
    rows = SchoolClass.objects.filter(pk__in=list(sizes)).values_list(
        "pk", "institution_id", "grade"
    )
    return _count(
        (iid, cell_key([grade]))
        for pk, iid, grade in rows
        if not (CLASS_MIN <= sizes[pk] <= CLASS_MAX)
    )


def learners(ctx: Context) -> Result:
    return _count(
        (e.institution_id,
         cell_key([e.grade, e.sex, e.ethnicity, "1" if e.disability else "0"]))
        for e in ctx.enrolment.values()
    )  # fmt: skip


def age_in(school_year: SchoolYear, birth_year: int | None) -> int | None:
    """Age for statistics: the year the school year starts minus the year of birth."""
    return None if birth_year is None else school_year.starts_on.year - birth_year


def learners_by_age(ctx: Context) -> Result:
    return _count(
        (e.institution_id, cell_key([e.grade, age_in(ctx.school_year, e.birth_year)]))
        for e in ctx.enrolment.values()
    )


def learners_without_class(ctx: Context) -> Result:
    return _count((e.institution_id, "") for e in ctx.enrolment.values() if not e.class_id)


def repeaters(ctx: Context) -> Result:
    return _count(
        (e.institution_id, cell_key([e.grade]))
        for e in ctx.enrolment.values()
        if e.last_kind == K.REPEAT
    )


def learners_left(ctx: Context) -> Result:
    rows = EnrolmentEvent.objects.filter(
        institution_id__in=ctx.institution_ids,
        kind__in=[K.DROP_OUT, K.WITHDRAW],
        occurred_on__gte=ctx.school_year.starts_on,
        occurred_on__lte=ctx.cutoff,
    ).values_list("institution_id", "grade", "kind")
    return _count((iid, cell_key([grade, kind])) for iid, grade, kind in rows)


def staff(ctx: Context) -> Result:
    from django.db.models import Q

    from truongso.staff.models import ACTIVE_EMPLOYMENT, StaffMember

    rows = StaffMember.objects.filter(
        Q(hired_on__isnull=True) | Q(hired_on__lte=ctx.cutoff),
        institution_id__in=ctx.institution_ids,
        employment_status__in=ACTIVE_EMPLOYMENT,
    ).values_list("institution_id", "position", "qualification")
    return _count((iid, cell_key([pos, qual])) for iid, pos, qual in rows)


def _year_results(ctx: Context, field_name: str) -> Result:
    from truongso.assessment.models.results import LearnerYearResult

    enrolled = ctx.enrolment
    rows = LearnerYearResult.objects.filter(
        institution_id__in=ctx.institution_ids, school_year=ctx.school_year
    ).values_list("learner_id", "institution_id", field_name)
    return _count(
        (iid, cell_key([enrolled[lid].grade, value]))
        for lid, iid, value in rows
        if lid in enrolled and value
    )


def results_learning(ctx: Context) -> Result:
    return _year_results(ctx, "learning")


def results_promotion(ctx: Context) -> Result:
    return _year_results(ctx, "promotion")


def digital_reporting(ctx: Context) -> Result:
    return {iid: {"": 1} for iid in ctx.institution_ids}


COMPUTATIONS: dict[str, Callable[[Context], Result]] = {
    f"stats.{f.__name__}": f
    for f in (
        institutions, classes_by_grade, classes_size_out_of_range, learners, learners_by_age,
        learners_without_class, repeaters, learners_left, staff, results_learning,
        results_promotion, digital_reporting,
    )
}  # fmt: skip
