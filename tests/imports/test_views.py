"""Import and export pages: access, the report, the background path, templates, exports."""

import io

import pytest
from django.urls import reverse
from python_calamine import CalamineWorkbook

from tests.imports.conftest import csv_upload
from tests.imports.test_learner_import import CLEAN
from truongso.imports.models import ImportJob, ImportStatus
from truongso.learners.models import Learner


def _sheets(response) -> dict[str, list[list]]:
    data = b"".join(response.streaming_content)
    workbook = CalamineWorkbook.from_filelike(io.BytesIO(data))
    return {name: workbook.get_sheet_by_name(name).to_python() for name in workbook.sheet_names}


def _upload(client, world, text=CLEAN, kind="learners"):
    return client.post(
        reverse("imports:start"),
        {
            "institution": world.school_a.pk,
            "kind": kind,
            "file": csv_upload(text),
        },
    )


def test_upload_check_report_and_commit(client, world):
    client.force_login(world.principal_a)
    page = client.get(reverse("imports:start") + "?kind=learners")
    assert page.status_code == 200
    response = _upload(client, world)
    job = ImportJob.objects.get()
    assert response.url == reverse("imports:job", args=[job.pk])
    assert job.status == ImportStatus.CHECKED
    report = client.get(response.url)
    assert report.status_code == 200
    html = report.content.decode()
    assert "Ghi các dòng hợp lệ, bỏ qua các dòng có lỗi" in html
    assert "<progress" not in html
    response = client.post(reverse("imports:job_commit", args=[job.pk]), {"mode": "valid_rows"})
    job.refresh_from_db()
    assert (job.status, job.written_new) == (ImportStatus.DONE, 2)
    assert Learner.objects.filter(full_name="Âu Văn Khải").exists()
    listing = client.get(reverse("imports:jobs"))
    assert "hoc_sinh.csv" in listing.content.decode()


def test_report_lists_problems_by_row_with_pages(client, world):
    client.force_login(world.principal_a)
    rows = "".join(f"Học Sinh {i},31/02/2014,Nam,,Kinh,6A1,,,,\n" for i in range(60))
    _upload(client, world, CLEAN.splitlines()[0] + "\n" + rows)
    job = ImportJob.objects.get()
    first = client.get(reverse("imports:job", args=[job.pk]))
    assert first.context["page_obj"].paginator.count == 60
    assert [p.text for p in first.context["page_obj"]][:1] == [
        "Dòng 2, cột 'Ngày sinh': '31/02/2014' không phải là ngày có thật (sai ngày hoặc tháng)."
    ]
    second = client.get(reverse("imports:job", args=[job.pk]) + "?page=2&severity=error")
    assert len(second.context["page_obj"]) == 10
    assert second.context["commit_form"] is not None  # valid rows: none, but still allowed


def test_jobs_are_seen_only_by_their_school(client, world):
    client.force_login(world.principal_a)
    _upload(client, world)
    job = ImportJob.objects.get()
    client.force_login(world.principal_b)
    for name in ("imports:job", "imports:job_progress"):
        assert client.get(reverse(name, args=[job.pk])).status_code == 404
    response = client.post(reverse("imports:job_commit", args=[job.pk]), {"mode": "valid_rows"})
    assert response.status_code == 404
    job.refresh_from_db()
    assert job.status == ImportStatus.CHECKED
    assert list(client.get(reverse("imports:jobs")).context["page_obj"]) == []


@pytest.mark.parametrize("who", ["teacher_a1_user", "province_p1", "ministry", "nobody"])
def test_teachers_and_offices_cannot_import(client, world, who):
    client.force_login(getattr(world, who))
    assert client.get(reverse("imports:start")).status_code == 403
    assert (
        client.post(
            reverse("imports:start"),
            {
                "institution": world.school_a.pk,
                "kind": "learners",
                "file": csv_upload(CLEAN),
            },
        ).status_code
        == 403
    )
    assert client.get(reverse("imports:template", args=["learners"])).status_code == 403
    assert not ImportJob.objects.exists()


def test_large_file_is_checked_and_written_in_the_background(client, world, settings):
    settings.IMPORT_INLINE_MAX_ROWS = 2  # the file has 4 rows; tasks run inline in tests
    client.force_login(world.principal_a)
    response = _upload(client, world)
    job = ImportJob.objects.get()
    assert job.rows_total == 4
    progress = client.get(reverse("imports:job_progress", args=[job.pk])).json()
    assert progress == {
        "status": "checked",
        "status_label": "Đã kiểm tra, chờ ghi",
        "rows_done": 4,
        "rows_total": 4,
        "percent": 100,
        "running": False,
    }
    report = client.get(response.url).content.decode()
    assert "Tệp lớn: dữ liệu được ghi ở chế độ nền" in report
    client.post(reverse("imports:job_commit", args=[job.pk]), {"mode": "all_or_nothing"})
    job.refresh_from_db()
    assert (job.status, job.written_new, job.rows_done) == (ImportStatus.DONE, 2, 4)


def test_running_job_shows_a_progress_bar_that_works_without_javascript(client, world):
    client.force_login(world.principal_a)
    _upload(client, world)
    job = ImportJob.objects.get()
    ImportJob.objects.filter(pk=job.pk).update(status=ImportStatus.CHECKING, rows_done=1)
    html = client.get(reverse("imports:job", args=[job.pk])).content.decode()
    assert '<progress max="4" value="1"' in html
    assert '<noscript><meta http-equiv="refresh" content="3"></noscript>' in html
    assert "imports/progress.js" in html
    progress = client.get(reverse("imports:job_progress", args=[job.pk])).json()
    assert (progress["running"], progress["percent"]) == (True, 25)


def test_template_has_headers_lists_and_instructions(client, world):
    client.force_login(world.principal_a)
    response = client.get(reverse("imports:template", args=["learners"]))
    assert response["Content-Type"].startswith(
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    sheets = _sheets(response)
    assert list(sheets) == ["Học sinh", "Hướng dẫn", "Danh mục"]
    assert sheets["Học sinh"][0] == [
        "Họ và tên",
        "Ngày sinh",
        "Giới tính",
        "Số định danh cá nhân",
        "Dân tộc",
        "Quốc tịch",
        "Lớp",
        "Địa chỉ",
        "Nơi sinh",
        "Khuyết tật",
        "Họ tên cha/mẹ/người giám hộ",
        "Quan hệ",
        "Điện thoại phụ huynh",
        "Mã định danh",
    ]
    lists = sheets["Danh mục"]
    assert lists[0][:3] == ["Giới tính", "Dân tộc", "Lớp"]
    assert [r[0] for r in lists[1:3]] == ["Nam", "Nữ"]
    assert [r[2] for r in lists[1:3]] == ["6A1", "6A2"]  # this year's classes of school A
    assert [r[1] for r in lists[1:]][:3] == ["Kinh", "Tày", "Thái"]
    response = client.get(reverse("imports:template", args=["learners"]))
    data = b"".join(response.streaming_content)
    assert b"dataValidation" in _zip_member(data, "xl/worksheets/sheet1.xml")
    assert b'state="hidden"' in _zip_member(data, "xl/workbook.xml")


def _zip_member(data: bytes, name: str) -> bytes:
    import zipfile

    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return archive.read(name)


def test_a_filled_template_imports(client, world):
    """The template itself, filled in: the instructions and lists sheets are not data."""
    import openpyxl

    client.force_login(world.principal_a)
    data = b"".join(client.get(reverse("imports:template", args=["learners"])).streaming_content)
    workbook = openpyxl.load_workbook(io.BytesIO(data))
    workbook["Học sinh"].append(
        ["Đinh Thị Hoa", "03/02/2014", "Nữ", "001314555555", "Tày", "Việt Nam", "6A2"]
    )
    buffer = io.BytesIO()
    workbook.save(buffer)
    from django.core.files.uploadedfile import SimpleUploadedFile

    client.post(
        reverse("imports:start"),
        {
            "institution": world.school_a.pk,
            "kind": "learners",
            "file": SimpleUploadedFile("mau.xlsx", buffer.getvalue()),
        },
    )
    job = ImportJob.objects.get()
    assert (job.status, job.count_new, job.count_error_rows) == (ImportStatus.CHECKED, 1, 0)
    assert job.rows_total < 100
    assert not job.problems.exists()


def test_export_then_reimport_changes_nothing(client, world):
    client.force_login(world.principal_a)
    world.learner_an.education_id = "0100000042"
    world.learner_an.save()
    response = client.get(reverse("imports:export", args=["learners"]))
    data = b"".join(response.streaming_content)
    from django.core.files.uploadedfile import SimpleUploadedFile

    client.post(
        reverse("imports:start"),
        {
            "institution": world.school_a.pk,
            "kind": "learners",
            "file": SimpleUploadedFile("xuat.xlsx", data),
        },
    )
    job = ImportJob.objects.get()
    assert (job.count_new, job.count_updated, job.count_unchanged) == (0, 0, 6)
    assert not job.problems.exists()


def test_export_holds_only_what_the_user_sees(client, world):
    def names(user, params=""):
        client.force_login(user)
        sheet = _sheets(client.get(reverse("imports:export", args=["learners"]) + params))
        rows = sheet["Học sinh"]
        return sorted(r[1] for r in rows[1:])

    assert names(world.principal_b) == ["Bùi Quang Huy", "Nguyễn Văn An", "Đỗ Thị Hạnh"]
    assert names(world.principal_a, "?q=nguyen") == ["Nguyễn Văn An"]
    assert names(world.principal_a, f"?class={world.class_a2.pk}") == [
        "Hoàng Thị Em",
        "Phạm Minh Dũng",
        "Vũ Hương Giang",
    ]
    assert len(names(world.province_p1)) == 6  # province 1: school A only has learners
    assert names(world.teacher_a2_user) == [
        "Hoàng Thị Em",
        "Lê Đức Cường",
        "Nguyễn Văn An",
        "Phạm Minh Dũng",
        "Trần Thị Bình",
        "Vũ Hương Giang",
    ]


def test_other_exports(client, world):
    client.force_login(world.principal_b)
    staff = _sheets(client.get(reverse("imports:export", args=["staff"])))["Cán bộ, giáo viên"]
    assert [r[1] for r in staff[1:]] == ["Phạm Thị Lan"]
    classes = _sheets(client.get(reverse("imports:export", args=["classes"])))["Lớp học"]
    assert classes[0] == [
        "STT",
        "Tên lớp",
        "Khối",
        "Năm học",
        "Giáo viên chủ nhiệm",
        "Phòng học",
        "Sĩ số",
        "Trường",
    ]
    assert classes[1][1:] == [
        "6B1",
        6.0,
        "2025-2026",
        "Phạm Thị Lan",
        "",
        3.0,
        "Trường THCS Sài Gòn",
    ]
    client.force_login(world.province_p1)
    institutions = _sheets(client.get(reverse("imports:export", args=["institutions"])))
    assert sorted(r[2] for r in institutions["Cơ sở giáo dục"][1:]) == [
        "Trường THCS Ba Đình",
        "Trường Tiểu học Kim Đồng",
    ]
    assert client.get(reverse("imports:export", args=["grades"])).status_code == 404


def test_staff_and_classes_import(client, world):
    client.force_login(world.principal_a)
    staff = (
        "Họ và tên,Ngày sinh,Giới tính,Chức vụ,Trình độ đào tạo,Điện thoại\n"
        "Ngô Thị Thu,01/03/1988,Nữ,Giáo viên,Đại học,912345678\n"
        "Trần Thị Hoa,01/03/1985,Nữ,Giáo viên,Thạc sĩ,\n"
        "Lê Văn Khoa,01/03/1980,Nam,Bảo vệ,,\n"
    )
    _upload(client, world, staff, kind="staff")
    job = ImportJob.objects.get()
    assert (job.count_new, job.count_updated, job.count_error_rows) == (1, 1, 1)
    assert [p.message for p in job.problems.all()] == [
        "'Bảo vệ' không có trong danh sách chọn của cột này."
    ]
    client.post(reverse("imports:job_commit", args=[job.pk]), {"mode": "valid_rows"})
    world.teacher_a1.refresh_from_db()
    assert world.teacher_a1.qualification == "master"
    assert world.school_a.staff.get(full_name="Ngô Thị Thu").phone == "0912345678"
    classes = (
        "Tên lớp,Khối,Giáo viên chủ nhiệm,Phòng học\n"
        "6A3,6,Ngô Thị Thu,P.203\n"
        "6A1,6,,P.101\n"
        "9A1,10,,\n"
    )
    _upload(client, world, classes, kind="classes")
    job = ImportJob.objects.latest("id")
    assert (job.count_new, job.count_updated, job.count_error_rows) == (1, 1, 1)
    assert [p.message for p in job.problems.all()] == [
        "Trường chỉ có các khối 6 đến 9, không có khối 10."
    ]
    client.post(reverse("imports:job_commit", args=[job.pk]), {"mode": "valid_rows"})
    new = world.school_a.classes.get(name="6A3")
    assert (new.grade, new.room, new.homeroom_teacher.full_name) == (6, "P.203", "Ngô Thị Thu")
    world.class_a1.refresh_from_db()
    assert world.class_a1.room == "P.101"


def test_export_continues_on_a_new_sheet_past_excel_row_limit(client, world, monkeypatch):
    monkeypatch.setattr("truongso.imports.exports.SHEET_ROWS", 4)
    client.force_login(world.principal_a)
    sheets = _sheets(client.get(reverse("imports:export", args=["learners"])))
    assert list(sheets) == ["Học sinh", "Học sinh (2)"]
    assert [r[0] for r in sheets["Học sinh"]][1:] == [1.0, 2.0, 3.0, 4.0]
    assert [r[0] for r in sheets["Học sinh (2)"]] == ["STT", 5.0, 6.0]
    client.force_login(world.teacher_b_user)
    empty = _sheets(client.get(reverse("imports:export", args=["learners"]) + "?q=zzz"))
    assert [row[:2] for row in empty["Học sinh"]] == [["STT", "Họ và tên"]]
