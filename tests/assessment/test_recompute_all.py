"""Recomputing every result of a school year at once (services/recompute_all.py): the
same stored results as the per-class ``results_recompute``, only for a principal or an
office of the institutions, audited once per run."""

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied

from truongso.academics.models import Subject
from truongso.assessment.models import (
    AbsenceRecord,
    ConductRating,
    LearnerTermResult,
    LearnerYearResult,
    ScoreEntry,
    SubjectResult,
)
from truongso.assessment.selectors.gradebook import class_context
from truongso.assessment.services.recompute_all import ACTION, results_recompute_all
from truongso.assessment.services.results import results_recompute
from truongso.audit.models import AuditEntry
from truongso.imports.bulk import uses_copy

LEVELS = ("tot", "kha", "dat", "chua_dat")
RESULT_MODELS = (SubjectResult, LearnerTermResult, LearnerYearResult)


def _fill(world) -> None:
    """Full score sets for the three classes of the current year, with a few holes, a
    Chưa đạt, low averages, conduct and days absent, so that every kind of result shows."""
    rows = []
    conduct = []
    absences = []
    for k, school_class in enumerate((world.class_a1, world.class_a2, world.class_b1)):
        context = class_context(school_class)
        learners = [
            lr
            for lr in (world.learner_an, world.learner_binh, world.learner_cuong,
                       world.learner_dung, world.learner_em, world.learner_giang,
                       world.learner_b1, world.learner_b2, world.learner_b3)
            if lr.current_class_id == school_class.pk
        ]  # fmt: skip
        for i, learner in enumerate(learners):
            for number, term in context.terms.items():
                conduct.append(ConductRating(
                    institution_id=school_class.institution_id, school_class=school_class,
                    learner=learner, term=term, level=LEVELS[(i + k) % 4],
                ))  # fmt: skip
                if i != 1:
                    absences.append(AbsenceRecord(
                        institution_id=school_class.institution_id, school_class=school_class,
                        learner=learner, term=term, days_excused=i + number, days_unexcused=k,
                    ))  # fmt: skip
                for j, subject in enumerate(context.subjects):
                    if (i, k, number, j) == (2, 0, 2, 3):
                        continue  # nothing entered: incomplete
                    entry = ScoreEntry(
                        institution_id=school_class.institution_id, school_class=school_class,
                        learner=learner, subject=subject.subject, term=term,
                    )  # fmt: skip
                    if subject.scored:
                        base = Decimal(2 + (i * 3 + j + k + number) % 7)
                        entry.regular = [f"{base + Decimal(n) / 2:.1f}"
                                         for n in range(subject.regular_count)]  # fmt: skip
                        entry.mid_term = base + Decimal("0.5")
                        entry.end_of_term = base + Decimal("1.5")
                        if (i, j) == (0, 1) and number == 1:
                            entry.end_of_term = None
                    else:
                        entry.rating = "chua_dat" if (i + j + k) % 7 == 0 else "dat"
                    rows.append(entry)
    ScoreEntry.objects.bulk_create(rows)
    ConductRating.objects.bulk_create(conduct)
    AbsenceRecord.objects.bulk_create(absences)


def _stored() -> dict:
    out = {}
    for model in RESULT_MODELS:
        fields = [f.attname for f in model._meta.concrete_fields
                  if f.attname not in ("id", "computed_at")]  # fmt: skip
        out[model.__name__] = sorted(
            tuple(row) for row in model.objects.values_list(*fields).order_by()
        )
    return out


def _clear() -> None:
    for model in RESULT_MODELS:
        model.objects.all().delete()


@pytest.mark.parametrize("workers", [0, 2])
def test_same_results_as_the_per_class_path(world, workers):
    if workers and not uses_copy():
        pytest.skip("worker processes are used with PostgreSQL only")
    _fill(world)
    for school_class in (world.class_a1, world.class_a2, world.class_b1):
        results_recompute(school_class=school_class, force=True)
    expected = _stored()
    assert len(expected["LearnerYearResult"]) == 9
    # Every kind of result is there: averages, incomplete ones, promotion decisions.
    years = LearnerYearResult.objects.all()
    assert {y.promotion for y in years} > {""}
    assert SubjectResult.objects.filter(average__isnull=True).exists()
    assert SubjectResult.objects.filter(rating="chua_dat").exists()
    _clear()

    summary = results_recompute_all(actor=world.ministry, school_year=world.year, workers=workers)

    assert _stored() == expected
    assert summary.learners == 9
    assert summary.year_rows == 9
    assert summary.term_rows == 18
    assert summary.subject_rows == 9 * 13 * 3
    assert summary.rule_sets == {"tt22-2021@1": 9}
    # The stored fingerprints are the per-class path's: nothing left to recompute there.
    assert results_recompute(school_class=world.class_a1).skipped == 3


def test_unchanged_learners_are_skipped_and_a_change_is_picked_up(world):
    _fill(world)
    first = results_recompute_all(actor=world.principal_a, school_year=world.year, workers=0)
    assert (first.learners, first.skipped) == (6, 0)
    entry = ScoreEntry.objects.filter(
        learner=world.learner_an, subject__code="TOAN", term__number=2
    ).get()
    entry.mid_term = Decimal("10.0")
    entry.save()
    again = results_recompute_all(actor=world.principal_a, school_year=world.year, workers=0)
    assert (again.learners, again.skipped) == (1, 5)
    after_bulk = _stored()
    _clear()
    for school_class in (world.class_a1, world.class_a2):
        results_recompute(school_class=school_class, force=True)
    assert _stored() == after_bulk


def test_only_a_principal_or_an_office_of_the_institutions(world):
    a, b = world.school_a.pk, world.school_b.pk
    for actor in (world.teacher_a1_user, world.staff_a, world.guardian_an_user, world.nobody):
        with pytest.raises(PermissionDenied):
            results_recompute_all(actor=actor, school_year=world.year, workers=0)
    with pytest.raises(PermissionDenied):
        results_recompute_all(actor=world.principal_a, school_year=world.year,
                              institution_ids=[a, b], workers=0)  # fmt: skip
    with pytest.raises(PermissionDenied):
        results_recompute_all(actor=world.province_p1, school_year=world.year,
                              institution_ids=[b], workers=0)  # fmt: skip
    assert not LearnerYearResult.objects.exists()
    assert not AuditEntry.objects.filter(action=ACTION).exists()

    _fill(world)
    mine = results_recompute_all(actor=world.principal_a, school_year=world.year, workers=0)
    assert (mine.institutions, mine.learners) == (1, 6)
    assert set(LearnerYearResult.objects.values_list("institution_id", flat=True)) == {a}
    province = results_recompute_all(actor=world.province_p2, school_year=world.year, workers=0)
    assert (province.institutions, province.learners) == (1, 3)
    assert set(LearnerYearResult.objects.values_list("institution_id", flat=True)) == {a, b}


def test_audited_once_per_run(world):
    _fill(world)
    Subject.objects.get(code="TOAN")  # the world's subjects are loaded
    summary = results_recompute_all(actor=world.principal_a, school_year=world.year, workers=0,
                                    reason="Bộ quy tắc mới")  # fmt: skip
    entries = AuditEntry.objects.filter(action=ACTION)
    assert entries.count() == 1
    entry = entries.get()
    assert entry.actor == world.principal_a
    assert entry.institution_id == world.school_a.pk
    assert entry.reason == "Bộ quy tắc mới"
    assert entry.after["rule_sets"] == {"tt22-2021@1": 6}
    assert entry.after["learners"] == 6 == summary.learners
    assert entry.after["subject_rows"] == 6 * 13 * 3
    assert entry.after["status"] == "done"
    # No entry per result row.
    assert (
        AuditEntry.objects.exclude(action=ACTION).filter(action__startswith="result").count() == 0
    )

    results_recompute_all(actor=world.ministry, school_year=world.year, workers=0)
    entry = AuditEntry.objects.filter(action=ACTION).latest("pk")
    assert entry.object_type == "academics.schoolyear"
    assert entry.after["institutions"] == 3


def test_the_command_runs_it_with_progress(world):
    from io import StringIO

    from django.core.management import CommandError, call_command

    _fill(world)
    out = StringIO()
    call_command("assessment", "recompute-all", "--year", "2025", "--user", "ht_a",
                 "--workers", "0", stdout=out)  # fmt: skip
    assert "2/2" in out.getvalue()
    assert LearnerYearResult.objects.count() == 6
    with pytest.raises(CommandError):
        call_command("assessment", "recompute-all", "--year", "2025", "--user", "gv_a1",
                     stdout=StringIO())  # fmt: skip


def test_electives_chosen_summer_results_and_a_moved_learner(world):
    """Upper secondary with each learner's own electives, a learner's summer re-test
    entered, a learner who moved class after scores were entered: still the per-class
    path's results."""
    from truongso.academics.models import SchoolClass, TeachingAssignment
    from truongso.assessment.models import ElectiveChoice, SummerReassessment
    from truongso.learners.models import Learner

    class_10 = SchoolClass.objects.create(
        institution=world.school_a, school_year=world.year, grade=10, name="10A1",
        homeroom_teacher=world.teacher_a1,
    )  # fmt: skip
    for code in ("VL", "HH", "SH", "TIN"):
        TeachingAssignment.objects.create(institution=world.school_a, school_class=class_10,
                                          subject=Subject.objects.get(code=code),
                                          staff_member=world.teacher_a2)  # fmt: skip
    Learner.objects.filter(pk__in=[world.learner_dung.pk, world.learner_em.pk]).update(
        current_class=class_10, grade=10
    )
    for code in ("DL", "GDKTPL", "VL", "HH"):
        ElectiveChoice.objects.create(institution=world.school_a, school_class=class_10,
                                      learner=world.learner_dung, school_year=world.year,
                                      subject=Subject.objects.get(code=code))  # fmt: skip
    for learner in (world.learner_dung, world.learner_em, world.learner_giang,
                    world.learner_an, world.learner_binh, world.learner_cuong,
                    world.learner_b1, world.learner_b2, world.learner_b3):  # fmt: skip
        learner.refresh_from_db()
    _fill(world)
    context = class_context(class_10)
    entries, conduct = [], []
    for i, learner in enumerate((world.learner_dung, world.learner_em)):
        for term in context.terms.values():
            conduct.append(ConductRating(institution_id=world.school_a.pk, school_class=class_10,
                                         learner=learner, term=term, level=LEVELS[i]))  # fmt: skip
            for j, subject in enumerate(context.subjects_of(learner.pk)):
                entry = ScoreEntry(institution_id=world.school_a.pk, school_class=class_10,
                                   learner=learner, subject=subject.subject, term=term)  # fmt: skip
                if subject.scored:
                    low = Decimal("3.0") if (i, j) == (1, 1) else Decimal("7.0")
                    entry.regular = ["7.0"] * subject.regular_count
                    entry.mid_term, entry.end_of_term = low, low + j % 3
                else:
                    entry.rating = "dat"
                entries.append(entry)
    ScoreEntry.objects.bulk_create(entries)
    ConductRating.objects.bulk_create(conduct)
    SummerReassessment.objects.create(institution=world.school_a, school_class=class_10,
                                      learner=world.learner_em, school_year=world.year,
                                      retests={"TOAN": "6.5"})  # fmt: skip
    # Cường's scores were entered in 6A1; he studies in 6A2 now.
    Learner.objects.filter(pk=world.learner_cuong.pk).update(current_class=world.class_a2)

    classes = (world.class_a1, world.class_a2, world.class_b1, class_10)
    for school_class in sorted(classes, key=lambda c: c.pk):
        school_class.refresh_from_db()
        results_recompute(school_class=school_class, force=True)
    expected = _stored()
    dung = {r[1] for r in SubjectResult.objects.filter(learner=world.learner_dung, period=0)
            .values_list("learner_id", "subject__code")}  # fmt: skip
    assert {"DL", "GDKTPL"} <= dung and "SH" not in dung
    assert LearnerYearResult.objects.get(learner=world.learner_cuong).school_class_id == (
        world.class_a2.pk
    )
    _clear()

    summary = results_recompute_all(actor=world.ministry, school_year=world.year, workers=0)

    assert _stored() == expected
    assert summary.learners == 9
