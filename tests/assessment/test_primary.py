"""The primary gradebook (Circular 27/2020): cells, access, closure, and the
end-of-year outcome and award at the boundaries of the domain reference's table."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse

from tests.world import _staff, _user
from truongso.academics.models import SchoolClass
from truongso.accounts.models import Role
from truongso.assessment.models import PrimarySubjectEntry, PrimaryYearResult
from truongso.assessment.rules.primary_gradebook import QUALITIES
from truongso.assessment.selectors.primary import primary_book_of, primary_rows
from truongso.assessment.services import term_close
from truongso.assessment.services.primary import primary_cell_set
from truongso.audit.models import AuditEntry
from truongso.learners.models import Learner

TESTED_5 = ["TV", "TOAN", "NN1", "LSDL", "KH", "TINCN"]


@pytest.fixture
def class_5(world):
    world.teacher_p_user = _user("gv_tieu_hoc", Role.TEACHER, institution=world.school_a2)
    world.principal_p = _user("ht_tieu_hoc", Role.PRINCIPAL, institution=world.school_a2)
    teacher = _staff(world.school_a2, "Đỗ Thu Hà", world.teacher_p_user)
    school_class = SchoolClass.objects.create(
        institution=world.school_a2, school_year=world.year, grade=5, name="5A",
        homeroom_teacher=teacher,
    )  # fmt: skip
    world.pupil = Learner.objects.create(
        institution=world.school_a2, current_class=school_class, full_name="Mai Anh Thư",
        sex="F", date_of_birth=world.learner_an.date_of_birth.replace(year=2015),
        status="studying",
    )  # fmt: skip
    return school_class


def _set(world, school_class, kind, value, *, actor=None, reason="", **where):
    book = primary_book_of(school_class)
    row = next(r for r in primary_rows(book) if r.learner.pk == world.pupil.pk)
    version = row.version("quality" if kind in ("quality", "nominated") else where["subject_code"])
    return primary_cell_set(actor=actor or world.teacher_p_user, school_class=school_class,
                            learner=world.pupil, kind=kind, value=value, version=version,
                            reason=reason, **where)  # fmt: skip


def _fill(world, school_class, *, rating="HTT", test="9", quality="T"):
    book = primary_book_of(school_class)
    for subject in book.subjects:
        _set(world, school_class, "rating", rating, period="end_2", subject_code=subject.code)
        if "end_2" in subject.test_periods:
            _set(world, school_class, "test", test, period="end_2", subject_code=subject.code)
    for code in QUALITIES:
        _set(world, school_class, "quality", quality, period="end_2", quality=code)


def _result():
    row = PrimaryYearResult.objects.get()
    return row.outcome, row.award


def test_subjects_and_tests_of_grade_5(world, class_5):
    book = primary_book_of(class_5)
    assert book.tested == TESTED_5
    periods = {s.code: s.test_periods for s in book.subjects}
    # Grades 4 and 5: mid-term tests in Vietnamese and Maths too.
    assert periods["TV"] == ("mid_1", "end_1", "mid_2", "end_2")
    assert periods["KH"] == ("end_1", "end_2")
    assert periods["DD"] == ()
    assert book.rule_set.label == "tt27-2020@1"


def test_outcome_boundaries_of_the_table(world, class_5):
    _fill(world, class_5)
    # Every subject HTT, every quality Tốt, every end-of-year test ≥ 9.
    assert _result() == ("hoan_thanh_xuat_sac", "hoc_sinh_xuat_sac")
    assert PrimaryYearResult.objects.get().rule_set == "tt27-2020@1"
    _set(world, class_5, "test", "8", period="end_2", subject_code="KH")
    assert _result() == ("hoan_thanh_tot", "")
    _set(world, class_5, "nominated", "1")  # the class's nomination
    assert _result() == ("hoan_thanh_tot", "hoc_sinh_tieu_bieu")
    _set(world, class_5, "test", "7", period="end_2", subject_code="KH")
    assert _result() == ("hoan_thanh_tot", "hoc_sinh_tieu_bieu")
    _set(world, class_5, "test", "6", period="end_2", subject_code="KH")
    assert _result() == ("hoan_thanh", "")
    _set(world, class_5, "test", "5", period="end_2", subject_code="KH")
    assert _result() == ("hoan_thanh", "")
    _set(world, class_5, "test", "4", period="end_2", subject_code="KH")
    assert _result() == ("chua_hoan_thanh", "")
    _set(world, class_5, "test", "10", period="end_2", subject_code="KH")
    assert _result() == ("hoan_thanh_xuat_sac", "hoc_sinh_xuat_sac")
    # One subject only Hoàn thành: Hoàn thành, whatever the tests.
    _set(world, class_5, "rating", "HT", period="end_2", subject_code="DD")
    assert _result() == ("hoan_thanh", "")
    _set(world, class_5, "rating", "Chưa hoàn thành", period="end_2", subject_code="DD")
    assert _result() == ("chua_hoan_thanh", "")
    _set(world, class_5, "rating", "HTT", period="end_2", subject_code="DD")
    # One quality Đạt: not Hoàn thành tốt; Cần cố gắng: not Hoàn thành either.
    _set(world, class_5, "quality", "Đạt", period="end_2", quality="TN")
    assert _result() == ("hoan_thanh", "")
    _set(world, class_5, "quality", "CCG", period="end_2", quality="TN")
    assert _result() == ("chua_hoan_thanh", "")
    # A test not scored yet: no outcome, and it says what is missing.
    _set(world, class_5, "test", "", period="end_2", subject_code="TOAN")
    row = PrimaryYearResult.objects.get()
    assert (row.outcome, row.missing) == ("", [{"what": "test", "subject": "TOAN"}])


def test_bad_cells_access_and_closure(world, class_5):
    with pytest.raises(ValidationError) as caught:
        _set(world, class_5, "test", "7.5", period="end_2", subject_code="TOAN")
    assert list(caught.value.message_dict) == ["test_TOAN_end_2"]
    with pytest.raises(ValidationError):
        _set(world, class_5, "test", "0", period="end_2", subject_code="TOAN")
    with pytest.raises(ValidationError) as caught:
        _set(world, class_5, "test", "8", period="mid_1", subject_code="KH")
    assert caught.value.messages == [
        "Môn Khoa học không có bài kiểm tra định kỳ vào thời điểm này."]  # fmt: skip
    with pytest.raises(ValidationError):
        _set(world, class_5, "rating", "Giỏi", period="end_2", subject_code="TOAN")
    assert not PrimarySubjectEntry.objects.exists()
    for actor in (world.teacher_a1_user, world.principal_a, world.guardian_an_user):
        with pytest.raises(PermissionDenied):
            _set(world, class_5, "rating", "HTT", period="end_2", subject_code="TOAN",
                 actor=actor)  # fmt: skip
    _set(world, class_5, "test", "8", period="mid_1", subject_code="TOAN")
    assert PrimarySubjectEntry.objects.get().tests == {"mid_1": "8"}
    term_close(actor=world.principal_p, institution=world.school_a2,
               term=primary_book_of(class_5).terms[1])  # fmt: skip
    with pytest.raises(PermissionDenied):
        _set(world, class_5, "test", "9", period="end_1", subject_code="TOAN")
    _set(world, class_5, "test", "9", period="end_1", subject_code="TOAN",
         actor=world.principal_p, reason="Chấm phúc khảo")  # fmt: skip
    assert AuditEntry.objects.filter(action="primary.set", reason="Chấm phúc khảo").exists()
    # Term II is open: the teacher still enters the end of the year.
    _set(world, class_5, "rating", "HTT", period="end_2", subject_code="TOAN")


def _client(user):
    client = Client()
    client.force_login(user)
    return client


def test_primary_page(world, class_5):
    url = reverse("assessment:primary", args=[class_5.pk]) + "?period=end_2"
    assert _client(world.teacher_a1_user).get(url).status_code == 404
    client = _client(world.teacher_p_user)
    page = client.get(url)
    assert page.status_code == 200
    text = page.content.decode()
    assert "Mai Anh Thư" in text and "<script>" not in text and "style=" not in text
    pk = world.pupil.pk
    response = client.post(url, {f"c-{pk}-rating_TOAN_end_2": "HTT", f"v-{pk}-TOAN": "0",
                                 f"c-{pk}-test_TOAN_end_2": "11"})  # fmt: skip
    assert response.status_code == 400
    assert "11" in response.content.decode()
    entry = PrimarySubjectEntry.objects.get()
    assert (entry.ratings, entry.tests) == ({"end_2": "hoan_thanh_tot"}, {})
    # The class's gradebook link leads here; the results are on the same page.
    gradebooks = client.get(reverse("assessment:class_gradebooks", args=[class_5.pk]))
    assert gradebooks.url == reverse("assessment:primary", args=[class_5.pk])
    export = client.get(reverse("assessment:primary_export", args=[class_5.pk]))
    assert export.status_code == 200
