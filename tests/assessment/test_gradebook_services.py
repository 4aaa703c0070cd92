"""The gradebook's services: scores, conduct, absences, concurrency, term closure and
the results computed from them, on the known world (tests/world.py)."""

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from truongso.academics.models import Subject, TeachingAssignment
from truongso.assessment.models import (
    LearnerTermResult,
    LearnerYearResult,
    ScoreEntry,
    SubjectResult,
    TermClosure,
)
from truongso.assessment.rules.gradebook import cell_fields
from truongso.assessment.selectors.gradebook import class_rules as rules_of_class
from truongso.assessment.selectors.gradebook import class_subjects, class_terms
from truongso.assessment.services import (
    EditConflict,
    absences_set,
    conduct_set,
    results_recompute,
    score_set,
    term_close,
    term_reopen,
)
from truongso.audit.models import AuditEntry

EXAMPLE = {"regular_1": "8", "regular_2": "9", "regular_3": "10", "regular_4": "6",
           "mid_term": "7", "end_of_term": "8"}  # fmt: skip


def _version(learner, subject, term):
    row = ScoreEntry.objects.filter(learner=learner, subject=subject, term=term).first()
    return row.version if row else 0


def _set(world, actor, learner, field, value, *, subject="TOAN", term=1, version=None,
         reason="", school_class=None):  # fmt: skip
    school_class = school_class or world.class_a1
    subject = Subject.objects.get(code=subject)
    term = class_terms(school_class)[term]
    if version is None:
        version = _version(learner, subject, term)
    return score_set(actor=actor, school_class=school_class, subject=subject, term=term,
                     learner=learner, field=field, value=value, version=version,
                     reason=reason)  # fmt: skip


def _fill(world, actor, learner, cells, **kwargs):
    for field, value in cells.items():
        _set(world, actor, learner, field, value, **kwargs)


def _result(learner, code, period):
    return SubjectResult.objects.get(
        learner=learner,
        subject__code=code,
        period=period,
        school_year=learner.current_class.school_year,
    )


def test_class_subjects_follow_the_curriculum_and_rule_set(world):
    _rule_set, rules = rules_of_class(world.class_a1)
    subjects = {s.code: s for s in class_subjects(world.class_a1, rules)}
    assert list(subjects) == ["NV", "TOAN", "NN1", "GDCD", "LSDL", "KHTN", "CN", "TIN", "GDTC",
                              "AN", "MT", "HDTNHN", "GDDP"]  # fmt: skip
    # 140 periods a year: 4 regular scores; 35: 2; comment subjects have none.
    assert (subjects["TOAN"].regular_count, subjects["TIN"].regular_count) == (4, 2)
    assert subjects["TOAN"].teacher_name == "Trần Thị Hoa"
    assert subjects["GDTC"].fields == ("mid_term_rating", "end_of_term_rating", "comment")
    assert subjects["TOAN"].fields == cell_fields(scored=True, regular_count=4)


def test_worked_example_through_the_service(world):
    """Regular 8, 9, 10, 6; mid-term 7; end-of-term 8 → 71/9 = 7.888… → 7.9."""
    _fill(world, world.teacher_a1_user, world.learner_an, EXAMPLE)
    entry = ScoreEntry.objects.get(learner=world.learner_an, subject__code="TOAN")
    assert entry.regular == ["8.0", "9.0", "10.0", "6.0"]
    assert (entry.mid_term, entry.end_of_term) == (Decimal("7.0"), Decimal("8.0"))
    assert entry.version == 6
    assert entry.institution_id == world.school_a.pk
    result = _result(world.learner_an, "TOAN", 1)
    assert result.average == Decimal("7.9")
    assert result.rule_set == "tt22-2021@1"
    assert result.missing == []
    assert result.institution_id == world.school_a.pk
    # The year needs term II: incomplete, saying so.
    year = _result(world.learner_an, "TOAN", 0)
    assert year.average is None
    assert year.missing == [
        {"what": "regular", "subject": "TOAN", "term": 2, "count": 4},
        {"what": "mid_term", "subject": "TOAN", "term": 2},
        {"what": "end_of_term", "subject": "TOAN", "term": 2},
    ]
    # Each write is audited with before and after.
    entries = AuditEntry.objects.filter(action="score.set", object_id=str(entry.pk)).order_by("id")
    assert entries.count() == 6
    assert entries.first().before is None
    assert entries.last().before["end_of_term"] is None
    assert entries.last().after["end_of_term"] == "8.0"
    assert entries.last().actor == world.teacher_a1_user


def test_missing_scores_leave_the_average_incomplete(world):
    cells = dict(EXAMPLE)
    del cells["regular_4"], cells["end_of_term"]
    _fill(world, world.teacher_a1_user, world.learner_an, cells)
    result = _result(world.learner_an, "TOAN", 1)
    assert result.average is None
    assert result.missing == [
        {"what": "regular", "subject": "TOAN", "term": 1},
        {"what": "end_of_term", "subject": "TOAN", "term": 1},
    ]
    # Clearing a cell is a change too.
    _set(world, world.teacher_a1_user, world.learner_an, "regular_3", "")
    entry = ScoreEntry.objects.get(learner=world.learner_an, subject__code="TOAN")
    assert entry.regular == ["8.0", "9.0"]
    assert _result(world.learner_an, "TOAN", 1).missing[0] == {
        "what": "regular", "subject": "TOAN", "term": 1, "count": 2}  # fmt: skip


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("mid_term", "11", "Điểm 11 nằm ngoài thang điểm 0–10."),
        ("mid_term", "-1", "Điểm -1 nằm ngoài thang điểm 0–10."),
        ("regular_1", "7.25", "Điểm “7.25” chỉ được có một chữ số thập phân, ví dụ 7.5."),
        ("end_of_term", "abc", "“abc” không phải là điểm; nhập một số từ 0 đến 10, ví dụ 7.5."),
        ("regular_5", "7", "Không có ô “regular_5” trong sổ điểm môn này."),
        ("rating", "Đ", "Không có ô “rating” trong sổ điểm môn này."),
    ],
)
def test_bad_scores_are_refused_naming_the_cell(world, field, value, message):
    with pytest.raises(ValidationError) as caught:
        _set(world, world.teacher_a1_user, world.learner_an, field, value)
    assert caught.value.message_dict == {field: [message]}
    assert not ScoreEntry.objects.exists()


def test_comma_decimal_and_comment_subject(world):
    _set(world, world.principal_a, world.learner_an, "mid_term", "7,5")
    assert ScoreEntry.objects.get().mid_term == Decimal("7.5")
    _set(world, world.principal_a, world.learner_an, "mid_term_rating", "Đ", subject="GDTC")
    # Only the mid-term rating: the term's result is incomplete, naming what is missing.
    result = _result(world.learner_an, "GDTC", 1)
    assert (result.rating, result.missing) == (
        "", [{"what": "end_of_term_rating", "subject": "GDTC", "term": 1}])  # fmt: skip
    _set(world, world.principal_a, world.learner_an, "end_of_term_rating", "cđ", subject="GDTC")
    _set(world, world.principal_a, world.learner_an, "comment", "  Cần  cố gắng ", subject="GDTC")
    entry = ScoreEntry.objects.get(subject__code="GDTC")
    assert (entry.mid_term_rating, entry.end_of_term_rating, entry.rating, entry.comment) == (
        "dat", "chua_dat", "chua_dat", "Cần cố gắng")  # fmt: skip
    # Mid-term Đạt and end-of-term Chưa đạt: the term is Chưa đạt; both Đạt: Đạt.
    assert _result(world.learner_an, "GDTC", 1).rating == "chua_dat"
    _set(world, world.principal_a, world.learner_an, "end_of_term_rating", "Đạt", subject="GDTC")
    assert _result(world.learner_an, "GDTC", 1).rating == "dat"
    _set(world, world.principal_a, world.learner_an, "mid_term_rating", "CD", subject="GDTC")
    assert _result(world.learner_an, "GDTC", 1).rating == "chua_dat"
    with pytest.raises(ValidationError) as caught:
        _set(world, world.principal_a, world.learner_an, "end_of_term_rating", "8",
             subject="GDTC")  # fmt: skip
    assert caught.value.message_dict == {
        "end_of_term_rating": ["“8” không hợp lệ; nhập Đ (Đạt) hoặc CĐ (Chưa đạt)."]}  # fmt: skip


def test_only_the_assigned_teacher_or_managers_write(world):
    # gv_a2 teaches literature in 6A1, not maths; gv_b is at another school.
    for actor in (world.teacher_a2_user, world.teacher_b_user, world.principal_b,
                  world.province_p1, world.guardian_an_user):  # fmt: skip
        with pytest.raises(PermissionDenied):
            _set(world, actor, world.learner_an, "mid_term", "7")
    _set(world, world.teacher_a2_user, world.learner_an, "mid_term", "7", subject="NV")
    _set(world, world.staff_a, world.learner_an, "mid_term", "6")
    # A learner of another class is refused.
    with pytest.raises(ValidationError) as caught:
        _set(world, world.teacher_a1_user, world.learner_dung, "mid_term", "7")
    assert caught.value.message_dict == {"learner": ["Học sinh này không thuộc lớp 6A1."]}


def test_concurrent_edits_of_one_cell_conflict_with_both_values(world):
    subject = Subject.objects.get(code="TOAN")
    term = class_terms(world.class_a1)[1]
    seen = _version(world.learner_an, subject, term)  # both open the page: version 0
    _set(world, world.teacher_a1_user, world.learner_an, "mid_term", "8", version=seen)
    with pytest.raises(EditConflict) as caught:
        _set(world, world.principal_a, world.learner_an, "mid_term", "9", version=seen)
    conflict = caught.value
    assert (conflict.field, conflict.stored, conflict.attempted) == (
        "mid_term", Decimal("8.0"), Decimal("9.0"))  # fmt: skip
    assert conflict.stored_version == 1
    assert conflict.updated_by == world.teacher_a1_user
    entry = ScoreEntry.objects.get()
    assert (entry.mid_term, entry.version) == (Decimal("8.0"), 1)
    assert AuditEntry.objects.filter(action="score.set").count() == 1
    # Told and shown both, the second writer keeps theirs deliberately.
    _set(world, world.principal_a, world.learner_an, "mid_term", "9", version=1)
    entry.refresh_from_db()
    assert (entry.mid_term, entry.version) == (Decimal("9.0"), 2)
    # A stale version that would not change anything is no conflict.
    saved = _set(world, world.teacher_a1_user, world.learner_an, "mid_term", "9", version=1)
    assert saved.changed is False


def test_change_after_term_close_needs_reason_is_audited_and_recomputes(world):
    _fill(world, world.teacher_a1_user, world.learner_an, EXAMPLE)
    term = class_terms(world.class_a1)[1]
    with pytest.raises(PermissionDenied):
        term_close(actor=world.teacher_a1_user, institution=world.school_a, term=term)
    with pytest.raises(PermissionDenied):  # school staff manage but do not close
        term_close(actor=world.staff_a, institution=world.school_a, term=term)
    closure = term_close(actor=world.principal_a, institution=world.school_a, term=term)
    assert AuditEntry.objects.filter(action="term.close", object_id=str(closure.pk)).exists()
    with pytest.raises(ValidationError):
        term_close(actor=world.principal_a, institution=world.school_a, term=term)

    # The teacher can no longer write; the principal needs a reason.
    with pytest.raises(PermissionDenied):
        _set(world, world.teacher_a1_user, world.learner_an, "end_of_term", "9", reason="x")
    with pytest.raises(ValidationError) as caught:
        _set(world, world.principal_a, world.learner_an, "end_of_term", "9")
    assert caught.value.message_dict == {"reason": ["Học kỳ đã khóa sổ: hãy ghi lý do sửa đổi."]}
    assert _result(world.learner_an, "TOAN", 1).average == Decimal("7.9")

    _set(world, world.principal_a, world.learner_an, "end_of_term", "9",
         reason="Chấm phúc khảo bài cuối kỳ")  # fmt: skip
    # (33 + 14 + 27) / 9 = 74/9 = 8.22… → 8.2
    assert _result(world.learner_an, "TOAN", 1).average == Decimal("8.2")
    change = AuditEntry.objects.filter(action="score.set").latest("id")
    assert change.reason == "Chấm phúc khảo bài cuối kỳ"
    assert (change.before["end_of_term"], change.after["end_of_term"]) == ("8.0", "9.0")
    recomputed = AuditEntry.objects.filter(action="result.recompute",
                                           object_type="assessment.subjectresult")  # fmt: skip
    assert [(e.before["average"], e.after["average"], e.reason) for e in recomputed] == [
        ("7.9", "8.2", "Chấm phúc khảo bài cuối kỳ")]  # fmt: skip

    # Reopening needs the principal and a reason; then the teacher writes again.
    with pytest.raises(ValidationError):
        term_reopen(actor=world.principal_a, closure=closure, reason=" ")
    term_reopen(actor=world.principal_a, closure=closure, reason="Bổ sung điểm")
    _set(world, world.teacher_a1_user, world.learner_an, "end_of_term", "8")
    assert _result(world.learner_an, "TOAN", 1).average == Decimal("7.9")


def test_closing_one_class_leaves_the_others_open(world):
    term = class_terms(world.class_a1)[1]
    term_close(actor=world.principal_a, institution=world.school_a, term=term,
               school_class=world.class_a1)  # fmt: skip
    with pytest.raises(PermissionDenied):
        _set(world, world.teacher_a1_user, world.learner_an, "mid_term", "7")
    TeachingAssignment.objects.create(
        institution=world.school_a, school_class=world.class_a2,
        subject=Subject.objects.get(code="TOAN"), staff_member=world.teacher_a1,
    )  # fmt: skip
    _set(world, world.teacher_a1_user, world.learner_dung, "mid_term", "7",
         school_class=world.class_a2)  # fmt: skip
    # Closing the whole school folds the class's closure in.
    term_close(actor=world.principal_a, institution=world.school_a, term=term)
    assert list(TermClosure.objects.values_list("school_class", flat=True)) == [None]


def _complete_year(world, learner, *, maths=("8", "8", "8", "8", "8", "8"),
                   conduct=("T", "T")):  # fmt: skip
    """Every subject of 6A1 filled for both terms: maths as given, other scored
    subjects 9 everywhere, comment subjects Đạt."""
    _rule_set, rules = rules_of_class(world.class_a1)
    terms = class_terms(world.class_a1)
    for subject in class_subjects(world.class_a1, rules):
        for number in (1, 2):
            if subject.scored:
                values = maths if subject.code == "TOAN" else ("9",) * 6
                fields = [f for f in subject.fields if f != "comment"]
                regular = fields[: subject.regular_count]
                cells = dict(zip(regular, values[:4], strict=False))
                cells |= {"mid_term": values[4], "end_of_term": values[5]}
            else:
                cells = {"mid_term_rating": "Đ", "end_of_term_rating": "Đ"}
            _fill(world, world.principal_a, learner, cells, subject=subject.code, term=number)
        for number, level in zip((1, 2), conduct, strict=True):
            conduct_set(actor=world.teacher_a1_user, school_class=world.class_a1,
                        term=terms[number], learner=learner, level=level,
                        version=0)  # fmt: skip


def test_full_year_results_promotion_and_award(world):
    _complete_year(world, world.learner_an)
    year = LearnerYearResult.objects.get(learner=world.learner_an)
    # Six or more subjects ≥ 9.0 (all but maths), all ≥ 6.5, conduct Tốt: Xuất sắc.
    assert (year.learning, year.conduct, year.promotion, year.award) == (
        "tot", "tot", "promoted", "hoc_sinh_xuat_sac")  # fmt: skip
    assert year.missing == [] and year.rule_set == "tt22-2021@1"
    assert _result(world.learner_an, "TOAN", 0).average == Decimal("8.0")
    terms = LearnerTermResult.objects.filter(learner=world.learner_an).order_by("term__number")
    assert [(t.learning, t.conduct) for t in terms] == [("tot", "tot"), ("tot", "tot")]


def test_low_maths_sends_to_summer_retest(world):
    # Maths 3 everywhere: one subject below 3.5, learning Chưa đạt... but all the
    # others are 9, so the one-subject adjustment raises it one level to Đạt.
    _complete_year(world, world.learner_binh, maths=("3",) * 6, conduct=("K", "K"))
    year = LearnerYearResult.objects.get(learner=world.learner_binh)
    assert (year.learning_base, year.learning) == ("chua_dat", "dat")
    assert year.promotion == "promoted"
    # Two subjects low: no adjustment, re-tests in both.
    _fill(world, world.principal_a, world.learner_binh,
          {"regular_1": "2", "regular_2": "2", "regular_3": "2", "regular_4": "2",
           "mid_term": "2", "end_of_term": "2"}, subject="NV", term=2)  # fmt: skip
    year.refresh_from_db()
    assert (year.learning, year.promotion, year.retest_subjects) == (
        "chua_dat", "summer_retests", ["NV", "TOAN"])  # fmt: skip


def test_conduct_and_absences_by_the_homeroom_teacher(world):
    terms = class_terms(world.class_a1)
    # gv_a2 is not 6A1's homeroom teacher.
    with pytest.raises(PermissionDenied):
        conduct_set(actor=world.teacher_a2_user, school_class=world.class_a1, term=terms[1],
                    learner=world.learner_an, level="T", version=0)  # fmt: skip
    saved = conduct_set(actor=world.teacher_a1_user, school_class=world.class_a1, term=terms[1],
                        learner=world.learner_an, level="Khá", version=0,
                        comment="Ngoan")  # fmt: skip
    assert (saved.row.level, saved.row.comment, saved.row.version) == ("kha", "Ngoan", 1)
    with pytest.raises(EditConflict) as caught:
        conduct_set(actor=world.principal_a, school_class=world.class_a1, term=terms[1],
                    learner=world.learner_an, level="T", version=0)  # fmt: skip
    assert caught.value.stored == {"level": "kha"}
    with pytest.raises(ValidationError) as caught:
        conduct_set(actor=world.teacher_a1_user, school_class=world.class_a1, term=terms[1],
                    learner=world.learner_an, level="Giỏi", version=1)  # fmt: skip
    assert caught.value.message_dict == {"level": [
        "“Giỏi” không phải là mức rèn luyện; nhập T (Tốt), K (Khá), Đ (Đạt) hoặc CĐ (Chưa đạt)."
    ]}  # fmt: skip

    absences_set(
        actor=world.teacher_a1_user,
        school_class=world.class_a1,
        term=terms[1],
        learner=world.learner_an,
        days_excused="20",
        days_unexcused="",
        version=0,
    )
    absences_set(
        actor=world.teacher_a1_user,
        school_class=world.class_a1,
        term=terms[2],
        learner=world.learner_an,
        days_excused="20",
        days_unexcused="6",
        version=0,
    )
    with pytest.raises(ValidationError) as caught:
        absences_set(
            actor=world.teacher_a1_user,
            school_class=world.class_a1,
            term=terms[2],
            learner=world.learner_an,
            days_excused="-2",
            days_unexcused="",
            version=1,
        )
    assert caught.value.message_dict == {
        "days_excused": ["Số ngày nghỉ “-2” phải là một số nguyên từ 0 đến 200."]}  # fmt: skip
    year = LearnerYearResult.objects.get(learner=world.learner_an)
    # More than 45 days absent in the year: repeats the grade, whatever else is missing.
    assert (year.days_absent, year.promotion, year.promotion_reason) == (46, "repeat", "absences")
    term_1 = LearnerTermResult.objects.get(learner=world.learner_an, term=terms[1])
    assert (term_1.conduct, term_1.days_absent) == ("kha", 20)
    assert AuditEntry.objects.filter(action="absences.set").count() == 2


def test_recompute_whole_class_is_idempotent(world):
    _fill(world, world.teacher_a1_user, world.learner_an, EXAMPLE)
    SubjectResult.objects.all().delete()
    LearnerTermResult.objects.all().delete()
    LearnerYearResult.objects.all().delete()
    summary = results_recompute(school_class=world.class_a1)
    # 3 learners × 13 subjects × (2 terms + year), 3 × 2 term rows, 3 year rows.
    assert (summary.created, summary.updated) == (3 * 13 * 3 + 6 + 3, 0)
    # Nothing changed since: every learner is skipped on its fingerprint …
    again = results_recompute(school_class=world.class_a1)
    assert (again.skipped, again.created, again.updated, again.unchanged) == (3, 0, 0, 0)
    # … and forced, every row is compared and none written.
    forced = results_recompute(school_class=world.class_a1, force=True)
    assert (forced.created, forced.updated, forced.unchanged) == (0, 0, 3 * 13 * 3 + 6 + 3)
    assert _result(world.learner_an, "TOAN", 1).average == Decimal("7.9")
