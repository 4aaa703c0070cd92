"""Summer re-tests and summer conduct training (Circular 22/2021): entering what the
summer gave, the decision re-evaluated by the rule engine and stored with the rule
set, shown in the results, the export and the report card."""

import io

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from tests.assessment.test_gradebook_services import _complete_year, _fill
from truongso.assessment.models import LearnerYearResult, SummerReassessment
from truongso.assessment.selectors.gradebook import class_terms
from truongso.assessment.services import term_close
from truongso.assessment.services.summer import summer_result_set
from truongso.audit.models import AuditEntry
from truongso.reportcards.selectors import class_content

LOW_NV = {"regular_1": "2", "regular_2": "2", "regular_3": "2", "regular_4": "2",
          "mid_term": "2", "end_of_term": "2"}  # fmt: skip


def _year(learner):
    return LearnerYearResult.objects.get(learner=learner)


def _retests_case(world, learner, conduct=("K", "K")):
    """Maths 3 all year and literature 2 in term II (year 4.3): two subjects below
    5.0, no one-subject adjustment: learning Chưa đạt, re-tests in both."""
    _complete_year(world, learner, maths=("3",) * 6, conduct=conduct)
    _fill(world, world.principal_a, learner, LOW_NV, subject="NV", term=2)


def _set(world, learner, actor=None, **kwargs):
    row = SummerReassessment.objects.filter(learner=learner).first()
    return summer_result_set(actor=actor or world.teacher_a1_user, school_class=world.class_a1,
                             learner=learner, version=row.version if row else 0,
                             **kwargs)  # fmt: skip


def test_a_learner_who_passes_the_retests_is_promoted(world):
    _retests_case(world, world.learner_binh)
    year = _year(world.learner_binh)
    assert (year.learning, year.promotion, year.retest_subjects) == (
        "chua_dat", "summer_retests", ["NV", "TOAN"])  # fmt: skip
    assert (year.summer_outcome, year.summer_subjects) == ("summer_retests", ["NV", "TOAN"])
    # One re-test entered: not decided yet, and it says what is missing.
    _set(world, world.learner_binh, retests={"TOAN": "6"})
    year.refresh_from_db()
    assert (year.promotion, year.summer_missing) == (
        "summer_retests", [{"what": "retest", "subject": "NV"}])  # fmt: skip
    _set(world, world.learner_binh, retests={"NV": "5,5"})
    year.refresh_from_db()
    # Re-test scores replace the year averages (TOAN 6.0, NV 5.5, others 9.0): all ≥ 5.0
    # and six subjects ≥ 6.5 → Khá; conduct Khá → promoted.
    assert (year.promotion, year.promotion_reason, year.retest_subjects) == ("promoted", "", [])
    assert (year.summer_learning, year.summer_conduct, year.summer_missing) == ("kha", "kha", [])
    assert (year.learning, year.summer_outcome, year.rule_set) == (
        "chua_dat", "summer_retests", "tt22-2021@1")  # fmt: skip
    assert SummerReassessment.objects.get().retests == {"TOAN": "6.0", "NV": "5.5"}
    # The report card reads the re-evaluated decision.
    content = class_content(world.class_a1, [world.learner_binh.pk])[world.learner_binh.pk]
    assert content["promotion"] == {"decision": "promoted", "retest_subjects": []}


def test_a_learner_who_fails_the_retests_repeats(world):
    _retests_case(world, world.learner_binh)
    _set(world, world.learner_binh, retests={"TOAN": "2", "NV": "3"})
    year = _year(world.learner_binh)
    # Two subjects below 3.5: Chưa đạt, no adjustment → repeats for learning.
    assert (year.summer_learning, year.promotion, year.promotion_reason) == (
        "chua_dat", "repeat", "learning")  # fmt: skip


def test_conduct_reevaluated_dat_promotes_chua_dat_repeats(world):
    _complete_year(world, world.learner_an, conduct=("CĐ", "CĐ"))
    year = _year(world.learner_an)
    assert (year.learning, year.conduct, year.promotion) == (
        "tot", "chua_dat", "summer_conduct_training")  # fmt: skip
    assert year.summer_missing == [{"what": "conduct_after_training"}]
    with pytest.raises(ValidationError) as caught:
        _set(world, world.learner_an, retests={"TOAN": "8"})
    assert "không phải kiểm tra lại môn Toán" in caught.value.messages[0]
    _set(world, world.learner_an, conduct="CĐ")
    year.refresh_from_db()
    assert (year.summer_conduct, year.promotion, year.promotion_reason) == (
        "chua_dat", "repeat", "conduct")  # fmt: skip
    _set(world, world.learner_an, conduct="Đạt")
    year.refresh_from_db()
    assert (year.summer_conduct, year.summer_learning, year.promotion) == ("dat", "tot", "promoted")
    assert year.summer_outcome == "summer_conduct_training"


def test_training_then_retests(world):
    # Conduct Chưa đạt and learning Chưa đạt: training first, the re-tests named.
    _retests_case(world, world.learner_cuong, conduct=("CĐ", "CĐ"))
    year = _year(world.learner_cuong)
    assert (year.promotion, year.retest_subjects) == ("summer_conduct_training", ["NV", "TOAN"])
    _set(world, world.learner_cuong, conduct="Đ")
    year.refresh_from_db()
    # Conduct now Đạt: the re-tests follow.
    assert (year.promotion, year.retest_subjects) == ("summer_retests", ["NV", "TOAN"])
    assert year.summer_missing == [{"what": "retest", "subject": "NV"},
                                   {"what": "retest", "subject": "TOAN"}]  # fmt: skip
    _set(world, world.learner_cuong, retests={"TOAN": "5", "NV": "5"})
    year.refresh_from_db()
    # TOAN 5.0, NV 5.0, others 9.0: Khá needs 6 subjects ≥ 6.5 → yes, all ≥ 5.0 → Khá.
    assert (year.summer_learning, year.summer_conduct, year.promotion) == (
        "kha", "dat", "promoted")  # fmt: skip


def test_who_enters_and_closure(world):
    _retests_case(world, world.learner_binh)
    _complete_year(world, world.learner_an)  # promoted: nothing to enter
    with pytest.raises(ValidationError) as caught:
        _set(world, world.learner_an, retests={"TOAN": "8"})
    assert caught.value.message_dict == {
        "learner": ["Nguyễn Văn An không phải kiểm tra lại hay rèn luyện trong hè."]}  # fmt: skip
    with pytest.raises(ValidationError) as caught:
        _set(world, world.learner_binh, retests={"TOAN": "11"})
    assert caught.value.message_dict == {
        "retest_Toán": ["Toán: Điểm 11 nằm ngoài thang điểm 0–10."]}  # fmt: skip
    for actor in (world.teacher_a2_user, world.teacher_b_user, world.guardian_an_user):
        with pytest.raises(PermissionDenied):
            _set(world, world.learner_binh, actor=actor, retests={"TOAN": "6"})
    assert not SummerReassessment.objects.exists()
    term_close(actor=world.principal_a, institution=world.school_a,
               term=class_terms(world.class_a1)[2])  # fmt: skip
    with pytest.raises(PermissionDenied):
        _set(world, world.learner_binh, retests={"TOAN": "6"})
    with pytest.raises(ValidationError) as caught:
        _set(world, world.learner_binh, actor=world.principal_a, retests={"TOAN": "6"})
    assert "reason" in caught.value.message_dict
    _set(world, world.learner_binh, actor=world.principal_a, retests={"TOAN": "6", "NV": "6"},
         reason="Kiểm tra lại ngày 20/7")  # fmt: skip
    entry = AuditEntry.objects.get(action="summer.set")
    assert entry.reason == "Kiểm tra lại ngày 20/7"
    assert entry.after["retests"] == {"TOAN": "6.0", "NV": "6.0"}
    changed = AuditEntry.objects.filter(action="result.recompute", reason="Kiểm tra lại ngày 20/7")
    assert changed.exists()
    assert _year(world.learner_binh).promotion == "promoted"


def _client(user):
    client = Client()
    client.force_login(user)
    return client


def test_summer_page_form_results_and_exports(world):
    _retests_case(world, world.learner_binh)
    _complete_year(world, world.learner_an)
    url = reverse("assessment:summer", args=[world.class_a1.pk])
    assert _client(world.teacher_a2_user).get(url).status_code == 404
    client = _client(world.teacher_a1_user)
    page = client.get(url)
    assert page.status_code == 200
    text = page.content.decode()
    assert "Trần Thị Bình" in text and "Nguyễn Văn An" not in text
    assert "<script>" not in text and "style=" not in text
    pk = world.learner_binh.pk
    response = client.post(url, {f"v-{pk}": "0", f"r-{pk}-TOAN": "6", f"r-{pk}-NV": "abc"})
    assert response.status_code == 400
    assert "“abc” không phải là điểm" in response.content.decode()
    assert not SummerReassessment.objects.exists()  # nothing half-written for the learner
    response = client.post(url, {f"v-{pk}": "0", f"r-{pk}-TOAN": "6", f"r-{pk}-NV": "5.5"})
    assert response.status_code == 302
    assert _year(world.learner_binh).promotion == "promoted"
    # The results page and the promotion lists show the re-evaluated decision.
    results = client.get(reverse("assessment:results", args=[world.class_a1.pk]) + "?period=0")
    data = results.context["data"]
    assert [r.learner.full_name for r in data.promotion["promoted"]] == [
        "Nguyễn Văn An", "Trần Thị Bình"]  # fmt: skip
    assert [r.learner.full_name for r in data.summer] == ["Trần Thị Bình"]
    # The list as .xlsx.
    response = client.get(reverse("assessment:summer_export", args=[world.class_a1.pk]))
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = [r for r in sheet.iter_rows(min_row=6, values_only=True) if r[0]]
    assert rows == [(1, "Trần Thị Bình", "02/05/2014", "Kiểm tra lại trong hè",
                     "Ngữ văn: 4.3 → 5.5; Toán: 3.0 → 6.0", None, "Khá", "Khá",
                     "Lên lớp")]  # fmt: skip
    # The sổ điểm export names both decisions in the year summary.
    response = client.get(reverse("assessment:results_export", args=[world.class_a1.pk]))
    summary = load_workbook(io.BytesIO(response.content))["Tổng hợp cả năm"]
    header = [c.value for c in summary[5]]
    binh = next(r for r in summary.iter_rows(min_row=6, values_only=True)
                if r[1] == "Trần Thị Bình")  # fmt: skip
    assert binh[header.index("Xét lên lớp")] == "Lên lớp"
    assert binh[header.index("Sau hè")] == "Kiểm tra lại trong hè: Ngữ văn 5.5, Toán 6.0"
