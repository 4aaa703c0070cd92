"""The bulk recompute's batch reading (selectors/recompute.py) and its fingerprint
(services/recompute_columns.py) give exactly what the per-class path reads and
computes: ``class_context``, ``class_learners``, ``results._learner_rows``,
``results.inputs_digest``."""

import datetime as dt

from truongso.assessment.models import (
    LearnerTermResult,
    LearnerYearResult,
    ScoreEntry,
    SubjectResult,
    SummerReassessment,
)
from truongso.assessment.selectors import recompute as recompute_read
from truongso.assessment.selectors.gradebook import class_context, class_learners
from truongso.assessment.services import recompute_columns
from truongso.assessment.services.recompute_all import ACTION, results_recompute_all
from truongso.assessment.services.results import (
    _learner_rows,
    _Raw,
    inputs_digest,
    results_recompute,
)
from truongso.attendance.models import AttendanceDay, AttendanceMark, AttendanceStatus
from truongso.audit.models import AuditEntry
from truongso.learners.models import Learner

from .test_recompute_all import _clear, _fill, _stored


def _classes(world):
    classes = [world.class_a1, world.class_a2, world.class_b1]
    for school_class in classes:
        school_class.refresh_from_db()
    return classes


def _attendance(world) -> None:
    """Attendance taken in 6A1 on two days of term I: An absent on both (one
    excused), Bình on one."""
    term = class_context(world.class_a1).terms[1]
    for n, day in enumerate((term.starts_on, term.starts_on + dt.timedelta(days=1))):
        AttendanceDay.objects.create(institution=world.school_a, school_class=world.class_a1,
                                     date=day)  # fmt: skip
        absent = [(world.learner_an, AttendanceStatus.ABSENT_EXCUSED if n == 0
                   else AttendanceStatus.ABSENT_UNEXCUSED)]  # fmt: skip
        if n == 1:
            absent.append((world.learner_binh, AttendanceStatus.ABSENT_UNEXCUSED))
        for learner, status in absent:
            AttendanceMark.objects.create(institution=world.school_a, learner=learner,
                                          school_class=world.class_a1, date=day,
                                          status=status)  # fmt: skip


def test_contexts_learners_rows_and_fingerprints_are_the_per_class_paths(world):
    _fill(world)
    _attendance(world)
    SummerReassessment.objects.create(institution=world.school_a, school_class=world.class_a1,
                                      learner=world.learner_an, school_year=world.year,
                                      retests={"TOAN": "6.5"})  # fmt: skip
    # Cường's scores were entered in 6A1; he studies in 6A2 now: in both gradebooks.
    Learner.objects.filter(pk=world.learner_cuong.pk).update(current_class=world.class_a2)
    classes = _classes(world)

    contexts, unavailable = recompute_read.class_contexts(classes)
    learners = recompute_read.class_learner_ids(classes)

    assert unavailable == 0
    heads: dict = {}
    for school_class in classes:
        expected = class_context(school_class)
        assert contexts[school_class.pk] == expected
        ids = sorted(lr.pk for lr in class_learners(school_class))
        assert learners[school_class.pk] == ids
        rows = recompute_read.learner_rows(dict.fromkeys(ids, expected), _Raw)
        per_class = _learner_rows(ids, expected)
        for pk in ids:
            got, want = rows[pk], per_class[pk]
            assert sorted(got.scores) == sorted(want.scores)
            assert sorted(got.conduct) == sorted(want.conduct)
            assert sorted(got.days) == sorted(want.days)
            assert got.summer == want.summer
            assert recompute_columns.learner_digest(expected, got, pk, heads) == inputs_digest(
                expected, want, pk
            )
    assert learners[world.class_a1.pk].count(world.learner_cuong.pk) == 1
    assert world.learner_cuong.pk in learners[world.class_a2.pk]
    # Days absent in term I of 6A1 come from attendance: An 1 excused + 1 unexcused.
    term_1 = contexts[world.class_a1.pk].terms[1].pk
    rows = recompute_read.learner_rows({world.learner_an.pk: contexts[world.class_a1.pk]}, _Raw)
    assert [d for d in rows[world.learner_an.pk].days if d[0] == term_1] == [(term_1, 1, 1)]


def test_complete_learners_are_computed_in_columns_the_others_one_by_one(world):
    _fill(world)
    # A regular score typed with two decimals before the gradebook refused them: the
    # rules round it (7.25 → 7.3); the columns leave Bình to them.
    entry = ScoreEntry.objects.filter(learner=world.learner_binh, subject__code="TOAN",
                                      term__number=1).get()  # fmt: skip
    entry.regular = ["7.25", *entry.regular[1:]]
    entry.save()
    for school_class in _classes(world):
        results_recompute(school_class=school_class, force=True)
    expected = _stored()
    _clear()

    summary = results_recompute_all(actor=world.ministry, school_year=world.year, workers=0)

    assert _stored() == expected
    # _fill leaves four learners with an incomplete result (the first learner of each class
    # lacks an end-of-term score, Cường a subject in term II): computed one by one, and
    # Bình for her 7.25.
    incomplete = {
        pk for model in (SubjectResult, LearnerTermResult, LearnerYearResult)
        for pk, missing in model.objects.values_list("learner_id", "missing") if missing
    }  # fmt: skip
    assert len(incomplete) == 4 and world.learner_binh.pk not in incomplete
    assert (summary.learners, summary.one_by_one) == (9, 5)
    assert AuditEntry.objects.get(action=ACTION).after["one_by_one"] == 5
