"""Gradebook pages: who opens which gradebook, the grid as a form without JavaScript,
the JSON endpoint each cell saves to, conduct, results, the .xlsx export, term
closure and a guardian's view of their child's results."""

import io
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from truongso.academics.models import Subject
from truongso.assessment.models import (
    AbsenceRecord,
    CommentPhrase,
    ConductRating,
    ScoreEntry,
    SubjectResult,
    TermClosure,
)
from truongso.assessment.selectors.gradebook import class_terms
from truongso.assessment.services import score_set
from truongso.audit.models import AuditEntry

EXAMPLE = {"regular_1": "8", "regular_2": "9", "regular_3": "10", "regular_4": "6",
           "mid_term": "7", "end_of_term": "8"}  # fmt: skip


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _book_url(world, subject="TOAN", term=1, school_class=None):
    school_class = school_class or world.class_a1
    return reverse("assessment:gradebook", args=[school_class.pk, subject]) + f"?term={term}"


def _cell(client, world, learner, field, value, version, subject="TOAN", term=1, **extra):
    url = reverse("assessment:cell", args=[world.class_a1.pk, subject])
    data = {"term": term, "learner": learner.pk, "field": field, "value": value,
            "version": version, **extra}  # fmt: skip
    return client.post(url, data)


def _fill(world, learner, cells=EXAMPLE, actor=None, subject="TOAN", term=1):
    actor = actor or world.teacher_a1_user
    subject = Subject.objects.get(code=subject)
    term = class_terms(world.class_a1)[term]
    row = ScoreEntry.objects.filter(learner=learner, subject=subject, term=term).first()
    version = row.version if row else 0
    for field, value in cells.items():
        version = score_set(actor=actor, school_class=world.class_a1, subject=subject,
                            term=term, learner=learner, field=field, value=value,
                            version=version).row.version  # fmt: skip


@pytest.mark.parametrize(
    ("user", "subject", "status", "editable"),
    [
        ("teacher_a1_user", "TOAN", 200, True),  # assigned to maths in 6A1
        ("teacher_a1_user", "NV", 200, False),  # homeroom teacher of 6A1: reads
        ("teacher_a2_user", "NV", 200, True),  # assigned to literature in 6A1
        ("teacher_a2_user", "TOAN", 404, None),  # another teacher's gradebook
        ("teacher_a2_user", "GDTC", 404, None),
        ("principal_a", "GDTC", 200, True),
        ("staff_a", "TOAN", 200, True),
        ("teacher_b_user", "TOAN", 404, None),
        ("principal_b", "TOAN", 404, None),
        ("province_p1", "TOAN", 404, None),
        ("guardian_an_user", "TOAN", 404, None),
        ("teacher_a1_user", "XYZ", 404, None),
    ],
)
def test_who_opens_which_gradebook(world, user, subject, status, editable):
    response = _client(getattr(world, user)).get(_book_url(world, subject))
    assert response.status_code == status
    if status == 200:
        html = response.content.decode()
        assert (f'name="c-{world.learner_an.pk}-' in html) is editable
        assert "Nguyễn Văn An" in html and "Trần Thị Bình" in html


def test_class_page_lists_only_the_teachers_subjects(world):
    url = reverse("assessment:class_gradebooks", args=[world.class_a1.pk])
    response = _client(world.teacher_a2_user).get(url)
    assert [s.code for s, _w in response.context["books"].subjects] == ["NV"]
    assert response.context["books"].reads_class is False
    response = _client(world.teacher_a1_user).get(url)
    subjects = response.context["books"].subjects
    assert len(subjects) == 13
    assert [(s.code, w) for s, w in subjects if w] == [("TOAN", True)]
    assert _client(world.teacher_b_user).get(url).status_code == 404
    # The class roster links to it.
    roster = _client(world.teacher_a1_user).get(
        reverse("academics:class_detail", args=[world.class_a1.pk])
    )
    assert url in roster.content.decode()
    assert (
        url
        not in _client(world.province_p1)
        .get(reverse("academics:class_detail", args=[world.class_a1.pk]))
        .content.decode()
    )


def test_grid_page_has_no_inline_script_or_style(world):
    _fill(world, world.learner_an)
    html = _client(world.teacher_a1_user).get(_book_url(world)).content.decode()
    assert "<script>" not in html and "style=" not in html and "onclick" not in html
    assert "/static/assessment/gradebook.js" in html
    assert f'name="c-{world.learner_an.pk}-mid_term" value="7"' in html
    assert '<td class="num avg" data-result="term" title="">7,9</td>' in html


def test_cell_endpoint_saves_and_returns_the_row_average(world):
    client = _client(world.teacher_a1_user)
    version = 0
    for field, value in EXAMPLE.items():
        response = _cell(client, world, world.learner_an, field, value, version)
        assert response.status_code == 200, response.content
        data = response.json()
        version = data["version"]
    assert data == {
        "ok": True, "field": "end_of_term", "value": "8", "changed": True, "version": 6,
        "term_result": {"text": "7,9", "missing": ""},
        "year_result": {"text": "", "missing": (
            "thiếu 4 điểm đánh giá thường xuyên môn Toán học kỳ II; thiếu điểm giữa kỳ môn "
            "Toán học kỳ II; thiếu điểm cuối kỳ môn Toán học kỳ II")},
    }  # fmt: skip
    # (33 + 2·7.5 + 3·8) / 9 = 72/9 = 8.0
    response = _cell(client, world, world.learner_an, "mid_term", "7,5", version)
    assert response.json()["value"] == "7,5"
    assert response.json()["term_result"]["text"] == "8,0"
    assert SubjectResult.objects.get(learner=world.learner_an, period=1,
                                     subject__code="TOAN").average == Decimal("8.0")  # fmt: skip


def test_cell_endpoint_refuses_bad_values_and_others(world):
    client = _client(world.teacher_a1_user)
    response = _cell(client, world, world.learner_an, "mid_term", "10.5", 0)
    assert response.status_code == 400
    assert response.json() == {"ok": False, "field": "mid_term",
                               "error": "Điểm 10.5 nằm ngoài thang điểm 0–10."}  # fmt: skip
    response = _cell(client, world, world.learner_an, "mid_term", "7", "")
    assert response.status_code == 400
    other = _client(world.teacher_a2_user)
    assert _cell(other, world, world.learner_an, "mid_term", "7", 0).status_code == 404
    assert (
        client.get(reverse("assessment:cell", args=[world.class_a1.pk, "TOAN"])).status_code == 405
    )
    assert not ScoreEntry.objects.exists()


def test_cell_endpoint_needs_the_csrf_token(world):
    client = Client(enforce_csrf_checks=True)
    client.force_login(world.teacher_a1_user)
    url = reverse("assessment:cell", args=[world.class_a1.pk, "TOAN"])
    data = {"term": 1, "learner": world.learner_an.pk, "field": "mid_term", "value": "7",
            "version": 0}  # fmt: skip
    assert client.post(url, data).status_code == 403
    client.get(_book_url(world))
    token = client.cookies["csrftoken"].value
    assert client.post(url, data, headers={"X-CSRFToken": token}).status_code == 200


def test_concurrent_cell_edits_get_a_conflict_with_both_values(world):
    teacher, principal = _client(world.teacher_a1_user), _client(world.principal_a)
    assert _cell(teacher, world, world.learner_an, "mid_term", "8", 0).status_code == 200
    response = _cell(principal, world, world.learner_an, "mid_term", "9", 0)
    assert response.status_code == 409
    data = response.json()
    assert (data["conflict"], data["stored"], data["attempted"], data["version"], data["by"]) == (
        True, "8", "9", 1, "gv_a1")  # fmt: skip
    assert data["error"] == "Ô này vừa được gv_a1 sửa thành “8” trong lúc bạn nhập “9”."
    assert ScoreEntry.objects.get().mid_term == Decimal("8.0")
    # Keeping theirs deliberately: send again with the version now stored.
    assert _cell(principal, world, world.learner_an, "mid_term", "9", 1).status_code == 200
    assert ScoreEntry.objects.get().mid_term == Decimal("9.0")


def test_grid_works_as_a_plain_form(world):
    _fill(world, world.learner_an, {"mid_term": "7"})
    client = _client(world.teacher_a1_user)
    an, binh = world.learner_an.pk, world.learner_binh.pk
    response = client.post(_book_url(world), {
        "term": 1, f"v-{an}": 1, f"v-{binh}": 0,
        f"c-{an}-mid_term": "7", f"c-{an}-end_of_term": "8", f"c-{an}-comment": "Chăm chỉ",
        f"c-{binh}-regular_1": "6.5", f"c-{binh}-mid_term": "",
    })  # fmt: skip
    assert response.status_code == 302
    entry = ScoreEntry.objects.get(learner_id=an)
    assert (entry.mid_term, entry.end_of_term, entry.comment, entry.version) == (
        Decimal("7.0"), Decimal("8.0"), "Chăm chỉ", 3)  # fmt: skip
    assert ScoreEntry.objects.get(learner_id=binh).regular == ["6.5"]
    page = client.get(response.url)
    assert [str(m) for m in page.context["messages"]] == ["Đã lưu 3 ô."]

    # A bad value is shown again with its message; the good one is saved.
    response = client.post(_book_url(world), {
        "term": 1, f"v-{an}": 3, f"c-{an}-mid_term": "11", f"c-{an}-regular_1": "9",
    })  # fmt: skip
    assert response.status_code == 400
    assert response.context["notes"] == [
        "Nguyễn Văn An, GK: Điểm 11 nằm ngoài thang điểm 0–10."]  # fmt: skip
    assert 'value="11"' in response.content.decode()
    assert ScoreEntry.objects.get(learner_id=an).regular == ["9.0"]

    # A stale page does not overwrite what someone else saved meanwhile.
    _fill(world, world.learner_binh, {"regular_1": "5"}, actor=world.principal_a)
    response = client.post(_book_url(world), {
        "term": 1, f"v-{binh}": 1, f"c-{binh}-regular_1": "7",
    })  # fmt: skip
    assert response.status_code == 400
    assert "ht_a đã sửa thành “5”" in response.context["notes"][0]
    assert ScoreEntry.objects.get(learner_id=binh).regular == ["5.0"]


def test_read_only_gradebook_refuses_posts(world):
    response = _client(world.teacher_a1_user).post(_book_url(world, "NV"), {"term": 1})
    assert response.status_code == 403


def test_closed_term_needs_a_reason_from_the_principal(world):
    _fill(world, world.learner_an)
    close = reverse("assessment:term_close", args=[world.class_a1.pk])
    assert (
        _client(world.teacher_a1_user).post(close, {"term": 1, "scope": "class"}).status_code == 403
    )
    assert not TermClosure.objects.exists()  # a teacher cannot close
    principal = _client(world.principal_a)
    assert (
        principal.post(close, {"term": 1, "scope": "school", "note": "Hết HK I"}).status_code == 302
    )
    closure = TermClosure.objects.get()
    assert (closure.school_class, closure.note) == (None, "Hết HK I")
    assert closure.closed_by == world.principal_a
    teacher = _client(world.teacher_a1_user)
    page = teacher.get(_book_url(world))
    assert page.context["editable"] is False
    assert _cell(teacher, world, world.learner_an, "end_of_term", "9", 6).status_code == 403
    response = _cell(principal, world, world.learner_an, "end_of_term", "9", 6)
    assert response.status_code == 400
    assert response.json()["field"] == "reason"
    response = _cell(principal, world, world.learner_an, "end_of_term", "9", 6,
                     reason="Phúc khảo")  # fmt: skip
    assert response.json()["term_result"]["text"] == "8,2"
    assert AuditEntry.objects.filter(action="score.set", reason="Phúc khảo").count() == 1
    # Reopen.
    reopen = reverse("assessment:term_reopen", args=[world.class_a1.pk])
    principal.post(reopen, {"closure": closure.pk, "reason": "Nhập bổ sung"})
    assert not TermClosure.objects.exists()


def test_homeroom_sets_conduct_and_absences(world):
    url = reverse("assessment:homeroom", args=[world.class_a1.pk]) + "?term=1"
    assert _client(world.teacher_a2_user).get(url).status_code == 404
    client = _client(world.teacher_a1_user)
    an = world.learner_an.pk
    response = client.post(url, {"term": 1, f"vk-{an}": 0, f"k-{an}": "tot", f"n-{an}": "Ngoan",
                                 f"va-{an}": 0, f"p-{an}": "2", f"u-{an}": "1"})  # fmt: skip
    assert response.status_code == 302
    conduct = ConductRating.objects.get(learner_id=an)
    assert (conduct.level, conduct.comment) == ("tot", "Ngoan")
    absences = AbsenceRecord.objects.get(learner_id=an)
    assert (absences.days_excused, absences.days_unexcused) == (2, 1)
    response = client.post(url, {"term": 1, f"vk-{an}": 1, f"k-{an}": "tot", f"n-{an}": "Ngoan",
                                 f"va-{an}": 1, f"p-{an}": "x", f"u-{an}": "1"})  # fmt: skip
    assert response.status_code == 400
    assert response.context["notes"] == [
        "Nguyễn Văn An: Số ngày nghỉ “x” phải là một số nguyên từ 0 đến 200."]  # fmt: skip


def test_results_page_and_counts(world):
    _fill(world, world.learner_an)
    url = reverse("assessment:results", args=[world.class_a1.pk]) + "?period=1"
    assert _client(world.teacher_a2_user).get(url).status_code == 404
    response = _client(world.teacher_a1_user).get(url)
    assert response.status_code == 200
    data = response.context["data"]
    assert data.total == 3
    assert data.learning_counts == {"tot": 0, "kha": 0, "dat": 0, "chua_dat": 0,
                                    "incomplete": 3}  # fmt: skip
    toan = [s.code for s in data.subjects].index("TOAN")
    assert [r["subjects"][toan] for r in response.context["rows"]] == ["7,9", "", ""]


def test_xlsx_export_has_the_right_numbers(world):
    _fill(world, world.learner_an)
    _fill(
        world,
        world.learner_binh,
        {
            "regular_1": "5",
            "regular_2": "6",
            "regular_3": "7",
            "regular_4": "8",
            "mid_term": "6.5",
            "end_of_term": "9",
        },
    )
    _fill(world, world.learner_an, {"mid_term_rating": "Đ", "end_of_term_rating": "Đ"},
          actor=world.principal_a, subject="GDTC")  # fmt: skip
    response = _client(world.principal_a).get(
        reverse("assessment:results_export", args=[world.class_a1.pk])
    )
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="so-diem-6A1-2025-2026.xlsx"'
    book = load_workbook(io.BytesIO(response.content))
    assert book.sheetnames[:3] == ["Tổng hợp HK I", "Tổng hợp HK II", "Tổng hợp cả năm"]
    maths = book["Toán"]
    assert maths["A2"].value == "SỔ ĐIỂM MÔN TOÁN"
    header = [c.value for c in maths[5]]
    assert header[:10] == ["STT", "Họ và tên", "Ngày sinh", "TX1 HKI", "TX2 HKI", "TX3 HKI",
                           "TX4 HKI", "GK HKI", "CK HKI", "ĐTBmhkI"]  # fmt: skip
    rows = {row[1]: row for row in maths.iter_rows(min_row=6, values_only=True)}
    an = rows["Nguyễn Văn An"]
    # Scores and averages are numbers in the sheet (read back as int and float).
    assert an[3:10] == (8, 9, 10, 6, 7, 8, 7.9)
    # (5 + 6 + 7 + 8 + 13 + 27) / 9 = 66/9 = 7.33… → 7.3
    assert float(rows["Trần Thị Bình"][9]) == 7.3
    assert maths["J6"].number_format == "0.0"
    summary = book["Tổng hợp HK I"]
    header = [c.value for c in summary[5]]
    assert header[3] == "Ngữ văn" and header[4] == "Toán"
    rows = {row[1]: row for row in summary.iter_rows(min_row=6, max_row=8, values_only=True)}
    assert float(rows["Nguyễn Văn An"][4]) == 7.9
    assert rows["Nguyễn Văn An"][header.index("Giáo dục thể chất")] == "Đ"
    assert (
        _client(world.teacher_a2_user)
        .get(reverse("assessment:results_export", args=[world.class_a1.pk]))
        .status_code
        == 404
    )


def test_guardian_sees_only_their_child(world):
    _fill(world, world.learner_an)
    _fill(world, world.learner_binh, {"mid_term": "5"})
    guardian = _client(world.guardian_an_user)
    response = guardian.get(reverse("assessment:learner_results", args=[world.learner_an.pk]))
    assert response.status_code == 200
    (year,) = response.context["years"]
    toan = {s.code: v for s, v in year["subjects"]}["TOAN"]
    assert toan == ["7,9", "", ""]
    assert "Trần Thị Bình" not in response.content.decode()
    for learner in (world.learner_binh, world.learner_dung, world.learner_b1):
        url = reverse("assessment:learner_results", args=[learner.pk])
        assert guardian.get(url).status_code == 404
    # A subject teacher of the class is not the child's guardian or homeroom teacher.
    url = reverse("assessment:learner_results", args=[world.learner_an.pk])
    assert _client(world.teacher_a2_user).get(url).status_code == 404
    assert _client(world.teacher_a1_user).get(url).status_code == 200
    assert _client(world.principal_a).get(url).status_code == 200


def test_comment_phrase_bank(world):
    url = reverse("assessment:phrases", args=[world.class_a1.pk, "TOAN"])
    client = _client(world.teacher_a1_user)
    assert client.post(url, {"text": "  Tính toán  cẩn thận "}).status_code == 302
    assert client.post(url, {"text": "Chăm chỉ", "every_subject": "on"}).status_code == 302
    assert [(p.text, p.subject_id is None) for p in CommentPhrase.objects.order_by("id")] == [
        ("Tính toán cẩn thận", False), ("Chăm chỉ", True)]  # fmt: skip
    html = client.get(_book_url(world)).content.decode()
    assert '<option value="Tính toán cẩn thận"></option>' in html
    assert '<option value="Chăm chỉ"></option>' in html
    # Literature's gradebook offers the general phrase, not the maths one.
    html = _client(world.teacher_a2_user).get(_book_url(world, "NV")).content.decode()
    assert "Tính toán cẩn thận" not in html and "Chăm chỉ" in html
    phrase = CommentPhrase.objects.get(text="Chăm chỉ")
    assert _client(world.teacher_b_user).post(url, {"delete": phrase.pk}).status_code == 404
    assert client.post(url, {"delete": phrase.pk}).status_code == 302
    assert CommentPhrase.objects.count() == 1
    assert AuditEntry.objects.filter(action__startswith="comment_phrase").count() == 3


def test_admin_shows_the_gradebook_read_only(world):
    _fill(world, world.learner_an)
    client = _client(world.superuser)
    for model in ("scoreentry", "conductrating", "absencerecord", "termclosure",
                  "commentphrase", "subjectresult", "learnertermresult",
                  "learneryearresult"):  # fmt: skip
        assert client.get(f"/admin/assessment/{model}/").status_code == 200
    entry = ScoreEntry.objects.get()
    assert client.get(f"/admin/assessment/scoreentry/{entry.pk}/change/").status_code == 200
    assert client.get("/admin/assessment/scoreentry/add/").status_code == 403
    assert client.post(f"/admin/assessment/scoreentry/{entry.pk}/delete/").status_code == 403
