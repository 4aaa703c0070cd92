"""Demo gradebook of the flagship school: the previous school year complete (both terms,
conduct, days absent) and the first term of the current year, with results computed by
``results_recompute`` (the same service as after a teacher's change).

Each class of grade 7–9 this year was a class of the grade below last year (the
foundation demo makes those classes); it gets the same learners' scores and, when it has
none, the same homeroom teacher. Entered rows are written in bulk as seed data, then
each class's results are computed through the service.
"""

from __future__ import annotations

from decimal import Decimal

from django.db.models import Q
from django.utils.translation import gettext as _

from truongso.academics.models import SchoolClass
from truongso.assessment.models import (
    AbsenceRecord,
    CommentPhrase,
    ConductRating,
    LearnerTermResult,
    LearnerYearResult,
    ScoreEntry,
    SubjectResult,
    TermClosure,
)
from truongso.assessment.selectors.gradebook import GradebookUnavailable, class_context
from truongso.assessment.services import results_recompute
from truongso.learners.models import Learner, LearnerStatus

COMMENTS = (
    "Nắm vững kiến thức, tích cực phát biểu.",
    "Chăm chỉ, có tiến bộ rõ rệt.",
    "Hoàn thành tốt các nhiệm vụ học tập.",
    "Cần chú ý hơn khi làm bài kiểm tra.",
    "Tiếp thu bài tốt, cần rèn thêm kỹ năng trình bày.",
)
CONDUCT = ("tot", "tot", "tot", "kha", "kha", "dat")


def _score(rng, ability: float, whole: bool = False) -> Decimal:
    value = max(2.0, min(10.0, rng.gauss(ability, 1.1)))
    if whole:
        return Decimal(round(value))
    return Decimal(f"{value:.1f}")


def _seed(rng, school_class, learners, terms) -> int:
    """Entered rows of ``learners`` in ``school_class`` for ``terms`` (numbers)."""
    try:
        context = class_context(school_class)
    except GradebookUnavailable:
        return 0
    rows, conduct, absences = [], [], []
    base = {"institution_id": school_class.institution_id, "school_class": school_class,
            "version": 1}  # fmt: skip
    for learner in learners:
        ability = max(4.0, min(9.6, rng.gauss(7.1, 1.1)))
        for number in terms:
            term = context.terms[number]
            for subject in context.subjects:
                row = ScoreEntry(**base, learner=learner, subject=subject.subject, term=term,
                                 comment=rng.choice(COMMENTS))  # fmt: skip
                if subject.scored:
                    row.regular = [str(_score(rng, ability, whole=rng.random() < 0.6))
                                   for _i in range(subject.regular_count)]  # fmt: skip
                    row.mid_term = _score(rng, ability)
                    row.end_of_term = _score(rng, ability)
                else:
                    row.rating = "dat" if rng.random() < 0.97 or ability > 5 else "chua_dat"
                rows.append(row)
            level = rng.choice(CONDUCT) if ability > 5.5 else rng.choice(("kha", "dat"))
            conduct.append(ConductRating(**base, learner=learner, term=term, level=level))
            if rng.random() < 0.35:
                excused = rng.randint(1, 4)
                unexcused = 1 if rng.random() < 0.2 else 0
                absences.append(AbsenceRecord(**base, learner=learner, term=term,
                                              days_excused=excused,
                                              days_unexcused=unexcused))  # fmt: skip
    ScoreEntry.objects.bulk_create(rows, batch_size=2000)
    ConductRating.objects.bulk_create(conduct, batch_size=2000)
    AbsenceRecord.objects.bulk_create(absences, batch_size=2000)
    results_recompute(school_class=school_class, context=context)
    return len(rows)


def previous_classes(ctx) -> list[SchoolClass]:
    """Last year's classes of the flagship school (made by ``build``)."""
    return list(
        SchoolClass.objects.filter(institution=ctx.flagship, school_year=ctx.previous_year)
        .select_related("institution", "school_year", "homeroom_teacher")
        .order_by("grade", "name")
    )


def build(ctx) -> dict[str, int]:
    school = ctx.flagship
    if school.kind not in ("lower_secondary", "upper_secondary"):
        return {}
    rng = ctx.rng("assessment")
    current = [c for c in ctx.classes.get(school.pk, []) if c.grade >= 6]
    learners: dict[int, list[Learner]] = {c.pk: [] for c in current}
    for learner in Learner.objects.filter(
        current_class__in=current, status=LearnerStatus.STUDYING
    ).order_by("pk"):
        learners[learner.current_class_id].append(learner)
    previous = {c.name: c for c in previous_classes(ctx)}
    entered = 0
    for school_class in current:
        if school_class.grade <= school.grade_from:
            continue
        name = f"{school_class.grade - 1}{school_class.name[len(str(school_class.grade)) :]}"
        last_year = previous.get(name)
        if last_year is None:
            continue
        if last_year.homeroom_teacher_id is None:
            last_year.homeroom_teacher = school_class.homeroom_teacher
            last_year.save(update_fields=["homeroom_teacher"])
        entered += _seed(rng, last_year, learners[school_class.pk], (1, 2))
    for school_class in current:
        school_class.institution = school
        entered += _seed(rng, school_class, learners[school_class.pk], (1,))
    return {_("Điểm số (sổ điểm)"): entered}


def reset(institution_ids: list[int]) -> None:
    where = Q(institution_id__in=institution_ids)
    for model in (SubjectResult, LearnerTermResult, LearnerYearResult, ScoreEntry,
                  ConductRating, AbsenceRecord, TermClosure, CommentPhrase):  # fmt: skip
        model.objects.filter(where).delete()
