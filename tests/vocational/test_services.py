import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from truongso.assessment.rules.labels import VocationalLevel
from truongso.audit.models import AuditEntry
from truongso.vocational import selectors, services
from truongso.vocational.models import ModuleEnrolment


def _enrol_all(v):
    services.cohort_enrol_semester(actor=v.principal, cohort=v.cohort, semester=1)
    services.cohort_enrol_semester(actor=v.principal, cohort=v.cohort, semester=2)


def _score(v, module, values, semester=None):
    """values: learner -> typed score (latest attempt of that learner)."""
    sheet = {}
    for learner, value in values.items():
        e = ModuleEnrolment.objects.filter(learner=learner, module=module).order_by("-attempt")[0]
        sheet[e.pk] = value
    return services.module_scores_record(actor=v.principal, cohort=v.cohort, module=module,
                                         scores=sheet)  # fmt: skip


def _transcript(v, learner):
    return selectors.learner_transcript(actor=v.principal, cohort=v.cohort, learner=learner)


def test_enrol_semester_makes_one_attempt_per_learner_and_module(voc):
    made = services.cohort_enrol_semester(actor=voc.principal, cohort=voc.cohort, semester=1)
    assert made == 6  # 3 learners × MH01, MH02
    assert services.cohort_enrol_semester(actor=voc.principal, cohort=voc.cohort, semester=1) == 0
    rows = ModuleEnrolment.objects.filter(cohort=voc.cohort).values_list("semester", "attempt")
    assert sorted(set(rows)) == [(1, 1)]
    assert AuditEntry.objects.filter(action="vocational.enrolment.create").count() == 6


def test_score_is_converted_by_the_rule_set_and_recorded(voc):
    _enrol_all(voc)
    assert _score(voc, voc.m1, {voc.an: "8,5", voc.binh: "8.4", voc.cuong: "3.9"}) == 3
    rows = {
        e.learner_id: (e.score, e.letter, e.points, e.rule_set_label)
        for e in ModuleEnrolment.objects.filter(module=voc.m1)
    }
    assert rows == {
        voc.an.pk: (Decimal("8.5"), "A", Decimal("4.0"), "tt04-2022@1"),
        voc.binh.pk: (Decimal("8.4"), "B", Decimal("3.0"), "tt04-2022@1"),
        voc.cuong.pk: (Decimal("3.9"), "F", Decimal("0.0"), "tt04-2022@1"),
    }
    entry = AuditEntry.objects.filter(action="vocational.score.record").order_by("pk")[0]
    assert entry.before["score"] is None
    # The same scores again change nothing.
    assert _score(voc, voc.m1, {voc.an: "8.5", voc.binh: "8.4", voc.cuong: "3.9"}) == 0


@pytest.mark.parametrize(
    ("typed", "letter"),
    [("10", "A"), ("8.5", "A"), ("8.4", "B"), ("7.0", "B"), ("6.9", "C"), ("5.5", "C"),
     ("5.4", "D"), ("4.0", "D"), ("3.9", "F"), ("0", "F")],
)  # fmt: skip
def test_letter_table_boundaries(voc, typed, letter):
    services.cohort_enrol_semester(actor=voc.principal, cohort=voc.cohort, semester=1)
    _score(voc, voc.m1, {voc.an: typed})
    assert ModuleEnrolment.objects.get(learner=voc.an, module=voc.m1).letter == letter


def test_bad_scores_save_nothing_and_name_the_learner(voc):
    services.cohort_enrol_semester(actor=voc.principal, cohort=voc.cohort, semester=1)
    with pytest.raises(ValidationError) as raised:
        _score(voc, voc.m1, {voc.an: "10.5", voc.binh: "7.25", voc.cuong: "tám"})
    errors = raised.value.message_dict
    an = ModuleEnrolment.objects.get(learner=voc.an, module=voc.m1)
    binh = ModuleEnrolment.objects.get(learner=voc.binh, module=voc.m1)
    assert errors[f"score_{an.pk}"] == [
        "Nguyễn Văn An (lần học 1): Điểm 10.5 nằm ngoài thang điểm 0–10."
    ]
    assert errors[f"score_{binh.pk}"] == [
        "Trần Thị Bình (lần học 1): Điểm “7.25” chỉ được có một chữ số thập phân, ví dụ 7.5."
    ]
    assert len(errors) == 3
    assert ModuleEnrolment.objects.filter(score__isnull=False).count() == 0


def test_semester_and_cumulative_gpa_are_credit_weighted(voc):
    _enrol_all(voc)
    # Semester 1: MH01 3 cr A (4.0), MH02 2 cr B (3.0) → 18/5 = 3.60.
    _score(voc, voc.m1, {voc.an: "9.0"})
    _score(voc, voc.m2, {voc.an: "7.5"})
    # Semester 2: MĐ03 4 cr D (1.0), MĐ04 3 cr C (2.0) → 10/7 = 1.428… → 1.43.
    _score(voc, voc.m3, {voc.an: "4.5"})
    _score(voc, voc.m4, {voc.an: "6.0"})
    t = _transcript(voc, voc.an)
    assert [(s.number, s.average.value, s.cumulative.value) for s in t.semesters] == [
        (1, Decimal("3.60"), Decimal("3.60")),
        # (12 + 6 + 4 + 6) / 12 = 28/12 = 2.333… → 2.33
        (2, Decimal("1.43"), Decimal("2.33")),
    ]
    assert t.classification.level == VocationalLevel.TRUNG_BINH
    assert t.graduation.eligible is True
    assert t.earned_credits == 12


def _all_scores(v, learner, m1, m2, m3, m4):
    for module, value in ((v.m1, m1), (v.m2, m2), (v.m3, m3), (v.m4, m4)):
        _score(v, module, {learner: value})


def test_classification_boundaries_3_50_and_2_00(voc):
    _enrol_all(voc)
    # A on 3+2 credits… : (3×4 + 2×4 + 4×3 + 3×3) / 12 = 41/12 = 3.416… → Giỏi
    _all_scores(voc, voc.an, "9", "9", "7", "7")
    t = _transcript(voc, voc.an)
    assert (t.cumulative.value, t.classification.level) == (Decimal("3.42"), VocationalLevel.GIOI)
    # (3×4 + 2×3 + 4×4 + 3×3)/12 = 43/12 = 3.583 → Xuất sắc; and 42/12 = 3.50 exactly
    _all_scores(voc, voc.binh, "9", "8", "9", "7")
    assert _transcript(voc, voc.binh).cumulative.value == Decimal("3.58")
    _all_scores(voc, voc.cuong, "9", "9", "9", "4.0")  # 12+8+16+3 = 39/12 = 3.25
    assert _transcript(voc, voc.cuong).classification.level == VocationalLevel.GIOI
    _score(voc, voc.m4, {voc.cuong: "8.0"})  # 12+8+16+9 = 45/12 = 3.75
    _score(voc, voc.m1, {voc.cuong: "7.0"})  # 9+8+16+9 = 42/12 = 3.50
    t = _transcript(voc, voc.cuong)
    assert (t.cumulative.value, t.classification.level) == (
        Decimal("3.50"), VocationalLevel.XUAT_SAC)  # fmt: skip
    # 2.00 exactly: all C → Trung bình and graduates
    _all_scores(voc, voc.an, "6", "6", "6", "6")
    t = _transcript(voc, voc.an)
    assert (t.cumulative.value, t.classification.level, t.graduation.eligible) == (
        Decimal("2.00"), VocationalLevel.TRUNG_BINH, True)  # fmt: skip


def test_classification_below_the_boundaries_via_the_rule_set(voc):
    from truongso.assessment.rules.vocational import credit_classification

    rules = services.vocational_rules(voc.programme.rule_set)
    levels = {
        value: credit_classification(rules, gpa_value=value).level
        for value in ("3.50", "3.49", "3.00", "2.99", "2.50", "2.49", "2.00", "1.99")
    }
    assert levels == {
        "3.50": VocationalLevel.XUAT_SAC, "3.49": VocationalLevel.GIOI,
        "3.00": VocationalLevel.GIOI, "2.99": VocationalLevel.KHA,
        "2.50": VocationalLevel.KHA, "2.49": VocationalLevel.TRUNG_BINH,
        "2.00": VocationalLevel.TRUNG_BINH, "1.99": VocationalLevel.YEU,
    }  # fmt: skip


def test_gpa_1_99_does_not_graduate(voc):
    _enrol_all(voc)
    # (3×2 + 2×2 + 4×2 + 3×2)/12 = 2.00; with MH02 at D: (6+2+8+6)/12 = 22/12 = 1.83
    _all_scores(voc, voc.an, "6", "4.5", "6", "6")
    t = _transcript(voc, voc.an)
    assert t.cumulative.value == Decimal("1.83")
    assert t.classification.level == VocationalLevel.YEU
    assert (t.graduation.eligible, t.graduation.reasons) == (False, ("gpa",))


def test_retake_counts_the_highest_attempt_and_blocks_xuat_sac(voc):
    _enrol_all(voc)
    _all_scores(voc, voc.an, "9", "9", "9", "3.0")  # MĐ04 failed (F)
    t = _transcript(voc, voc.an)
    assert (t.graduation.eligible, t.graduation.reasons, t.earned_credits) == (
        False, ("credits",), 9)  # fmt: skip
    first = ModuleEnrolment.objects.get(learner=voc.an, module=voc.m4)
    retake = services.module_retake(actor=voc.principal, enrolment=first, semester=4)
    assert (retake.attempt, retake.semester, retake.score) == (2, 4, None)
    t = _transcript(voc, voc.an)
    # Until the retake is scored, semester 4 is incomplete and the first attempt counts.
    assert t.semesters[-1].number == 4
    assert [m.subject for m in t.semesters[-1].average.missing] == ["MĐ04"]
    assert (t.incomplete, t.graduation.reasons) == (False, ("credits",))
    _score(voc, voc.m4, {voc.an: "9.5"})
    t = _transcript(voc, voc.an)
    # Semester 4 holds only the retake; the cumulative counts MĐ04 once, at 4.0.
    assert [(s.number, s.average.value, s.cumulative.value) for s in t.semesters] == [
        (1, Decimal("4.00"), Decimal("4.00")),
        (2, Decimal("2.29"), Decimal("3.00")),  # as it stood before the retake
        (4, Decimal("4.00"), Decimal("4.00")),
    ]
    assert t.retaken == 1
    assert t.classification.base_level == VocationalLevel.XUAT_SAC
    assert t.classification.level == VocationalLevel.GIOI
    assert t.classification.downgrades == ("retakes",)
    assert t.graduation.eligible is True


def test_a_lower_retake_keeps_the_higher_score(voc):
    _enrol_all(voc)
    _all_scores(voc, voc.an, "9", "9", "9", "7")
    first = ModuleEnrolment.objects.get(learner=voc.an, module=voc.m4)
    services.module_retake(actor=voc.principal, enrolment=first, semester=3)
    _score(voc, voc.m4, {voc.an: "5.0"})
    # counted: MĐ04 at B (3.0): (12 + 8 + 16 + 9)/12 = 3.75
    assert _transcript(voc, voc.an).cumulative.value == Decimal("3.75")


def test_two_retakes_block_gioi(voc):
    _enrol_all(voc)
    _all_scores(voc, voc.an, "9", "9", "9", "9")
    for module in (voc.m3, voc.m4):
        first = ModuleEnrolment.objects.get(learner=voc.an, module=module)
        services.module_retake(actor=voc.principal, enrolment=first, semester=3)
        _score(voc, module, {voc.an: "9"})
    t = _transcript(voc, voc.an)
    assert (t.retaken, t.cumulative.value) == (2, Decimal("4.00"))
    assert t.classification.level == VocationalLevel.KHA


def test_retake_rules(voc):
    services.cohort_enrol_semester(actor=voc.principal, cohort=voc.cohort, semester=1)
    first = ModuleEnrolment.objects.get(learner=voc.an, module=voc.m1)
    with pytest.raises(ValidationError, match="chưa có điểm"):
        services.module_retake(actor=voc.principal, enrolment=first, semester=2)
    _score(voc, voc.m1, {voc.an: "3"})
    with pytest.raises(ValidationError, match="học kỳ sau"):
        services.module_retake(actor=voc.principal, enrolment=first, semester=1)
    services.module_retake(actor=voc.principal, enrolment=first, semester=2)
    with pytest.raises(ValidationError, match="lần học mới nhất"):
        services.module_retake(actor=voc.principal, enrolment=first, semester=3)


def test_warning_discipline_downgrades_gioi_but_reprimand_does_not(voc):
    _enrol_all(voc)
    _all_scores(voc, voc.an, "9", "9", "7", "7")  # 3.42 Giỏi
    services.discipline_record(actor=voc.principal, cohort=voc.cohort, learner=voc.an,
                               level="reprimand", decided_on=dt.date(2025, 3, 1),
                               reason="Đi học muộn nhiều lần")  # fmt: skip
    assert _transcript(voc, voc.an).classification.level == VocationalLevel.GIOI
    services.discipline_record(actor=voc.principal, cohort=voc.cohort, learner=voc.an,
                               level="warning", decided_on=dt.date(2025, 4, 1),
                               reason="Vi phạm nội quy thi")  # fmt: skip
    t = _transcript(voc, voc.an)
    assert (t.classification.base_level, t.classification.level, t.classification.downgrades) == (
        VocationalLevel.GIOI, VocationalLevel.KHA, ("discipline",))  # fmt: skip
    # Khá is below the level a discipline drops.
    _all_scores(voc, voc.binh, "7", "7", "7", "6")  # (9 + 6 + 12 + 6)/12 = 2.75 Khá
    services.discipline_record(actor=voc.principal, cohort=voc.cohort, learner=voc.binh,
                               level="warning", decided_on=dt.date(2025, 4, 1),
                               reason="Vi phạm nội quy")  # fmt: skip
    assert _transcript(voc, voc.binh).classification.level == VocationalLevel.KHA
    assert _transcript(voc, voc.binh).classification.downgrades == ()


def test_incomplete_results_name_what_is_missing(voc):
    t = _transcript(voc, voc.an)
    assert t.incomplete and t.missing == ["chưa có môn học nào"]
    _enrol_all(voc)
    _score(voc, voc.m1, {voc.an: "9"})
    t = _transcript(voc, voc.an)
    assert t.missing == [
        "thiếu điểm mô-đun MH02 Mô-đun MH02",
        "thiếu điểm mô-đun MĐ03 Mô-đun MĐ03",
        "thiếu điểm mô-đun MĐ04 Mô-đun MĐ04",
    ]
    assert t.semesters[0].average.missing[0].subject == "MH02"
    assert t.level_label == ""


def test_graduation_list_of_the_cohort(voc):
    _enrol_all(voc)
    _all_scores(voc, voc.an, "9", "8", "7", "6")
    _all_scores(voc, voc.binh, "9", "2", "7", "6")
    _score(voc, voc.m1, {voc.cuong: "5"})
    rows = selectors.graduation_list(actor=voc.principal, cohort=voc.cohort)
    summary = [
        (r.learner.full_name, r.eligible, r.incomplete, r.cumulative_value, r.earned_credits)
        for r in rows
    ]
    # An: (3×4 + 2×3 + 4×3 + 3×2)/12 = 36/12 = 3.00; Bình fails MH02 (F):
    # (12 + 0 + 12 + 6)/12 = 2.50 with 10 of 12 credits; Cường has one score of four.
    assert summary == [
        ("Lê Đức Cường", False, True, None, 3),
        ("Nguyễn Văn An", True, False, Decimal("3.00"), 12),
        ("Trần Thị Bình", False, False, Decimal("2.50"), 10),
    ]
    assert rows[0].missing == [
        "thiếu điểm mô-đun MH02 Mô-đun MH02",
        "thiếu điểm mô-đun MĐ03 Mô-đun MĐ03",
        "thiếu điểm mô-đun MĐ04 Mô-đun MĐ04",
    ]


def test_year_based_programme_uses_the_year_average(voc):
    from tests.vocational.conftest import _learner_plain

    v = voc
    m1 = services.module_create(actor=v.principal_b, programme=v.programme_b, fields={
        "code": "M1", "name": "Tin học cơ sở", "credits": 2, "semester": 1})  # fmt: skip
    m2 = services.module_create(actor=v.principal_b, programme=v.programme_b, fields={
        "code": "M2", "name": "Lập trình", "credits": 3, "semester": 2})  # fmt: skip
    cohort = services.cohort_create(actor=v.principal_b, programme=v.programme_b, name="TH1",
                                    start_year=2024)  # fmt: skip
    learner = _learner_plain(v.school_b, "Đỗ Văn Khoa", dt.date(2007, 1, 1))
    services.cohort_add_learners(actor=v.principal_b, cohort=cohort, learners=[learner])
    services.cohort_enrol_semester(actor=v.principal_b, cohort=cohort, semester=1)
    services.cohort_enrol_semester(actor=v.principal_b, cohort=cohort, semester=2)
    for module, value in ((m1, "8.0"), (m2, "9.5")):
        e = ModuleEnrolment.objects.get(learner=learner, module=module)
        services.module_scores_record(actor=v.principal_b, cohort=cohort, module=module,
                                      scores={e.pk: value})  # fmt: skip
    t = selectors.learner_transcript(actor=v.principal_b, cohort=cohort, learner=learner)
    # (2×8.0 + 3×9.5) / 5 = 44.5/5 = 8.9 → Giỏi
    assert t.cumulative.value == Decimal("8.9")
    assert t.classification.level == VocationalLevel.GIOI
    assert t.graduation.eligible is True
    e = ModuleEnrolment.objects.get(learner=learner, module=m2)
    services.module_scores_record(actor=v.principal_b, cohort=cohort, module=m2,
                                  scores={e.pk: "3.0"})  # fmt: skip
    t = selectors.learner_transcript(actor=v.principal_b, cohort=cohort, learner=learner)
    # (16 + 9) / 5 = 5.0: the average graduates, the failed module (F) does not
    assert t.cumulative.value == Decimal("5.0")
    assert (t.graduation.eligible, t.graduation.reasons) == (False, ("credits",))


def test_only_the_institution_writes(voc):
    w = voc.world
    for actor in (w.province_p1, voc.principal_b, w.principal_a):
        with pytest.raises(PermissionDenied):
            services.module_create(actor=actor, programme=voc.programme, fields={
                "code": "X", "name": "X", "credits": 1, "semester": 1})  # fmt: skip
        with pytest.raises(PermissionDenied):
            services.cohort_enrol_semester(actor=actor, cohort=voc.cohort, semester=1)


def test_programme_only_at_vocational_institutions(voc):
    w = voc.world
    with pytest.raises(ValidationError, match="không phải trường trung cấp"):
        services.programme_create(actor=w.principal_a, institution=w.school_a, fields={
            "code": "1", "name": "X", "level": "intermediate", "mode": "credit",
            "duration_semesters": 4, "required_credits": 10})  # fmt: skip
    with pytest.raises(ValidationError) as raised:
        services.programme_create(actor=voc.principal_b, institution=voc.school_b, fields={
            "code": "1", "name": "X", "level": "college", "mode": "credit",
            "duration_semesters": 4, "required_credits": 10})  # fmt: skip
    assert raised.value.message_dict == {
        "level": ["Chỉ trường cao đẳng đào tạo trình độ cao đẳng."]
    }


def test_cohort_takes_only_learners_of_its_institution(voc):
    with pytest.raises(ValidationError, match="không phải người học của trường"):
        services.cohort_add_learners(actor=voc.principal, cohort=voc.cohort,
                                     learners=[voc.world.learner_an])  # fmt: skip


def test_scopes(voc):
    w = voc.world
    assert list(selectors.programme_list(actor=voc.principal)) == [voc.programme]
    assert list(selectors.programme_list(actor=voc.principal_b)) == [voc.programme_b]
    assert list(selectors.programme_list(actor=w.province_p1)) == [voc.programme]
    assert list(selectors.programme_list(actor=w.province_p2)) == [voc.programme_b]
    assert len(selectors.programme_list(actor=w.ministry)) == 2
    assert list(selectors.programme_list(actor=w.principal_a)) == []
    assert list(selectors.programme_list(actor=w.teacher_a1_user)) == []
    with pytest.raises(Exception) as raised:
        selectors.programme_get(actor=voc.principal_b, pk=voc.programme.pk)
    assert type(raised.value).__name__ == "DoesNotExist"
    with pytest.raises(Exception) as raised:
        selectors.programme_get(actor=w.province_p1, pk=voc.programme.pk, write=True)
    assert type(raised.value).__name__ == "DoesNotExist"
    assert selectors.vocational_in_scope(actor=w.principal_a) is False
    assert selectors.vocational_in_scope(actor=w.province_p1) is True
    assert selectors.vocational_in_scope(actor=voc.principal) is True
