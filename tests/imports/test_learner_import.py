"""Importing learners: every mistake a school file can hold, and what each commit writes."""

import codecs
import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from tests.imports.conftest import csv_upload, xlsx_upload
from truongso.audit.models import AuditEntry
from truongso.imports import services
from truongso.imports.messages import located, problem_message
from truongso.imports.models import ImportProblem, ImportStatus
from truongso.imports.rules.legacy_text import from_unicode_tcvn3, from_unicode_vni
from truongso.learners.models import EnrolmentEvent, Guardian, Learner
from truongso.learners.selectors import learner_history

HEADER = [
    "STT",
    "Họ và tên",
    "Ngày sinh",
    "Giới tính",
    "Số định danh cá nhân",
    "Dân tộc",
    "Quốc tịch",
    "Lớp",
    "Địa chỉ",
    "Nơi sinh",
    "",
    "Ghi chú",
    "Họ tên cha/mẹ/người giám hộ",
    "Quan hệ",
    "Điện thoại phụ huynh",
    "Mã định danh",
]


def row(
    name,
    dob,
    sex="Nam",
    pid="",
    ethnicity="Kinh",
    klass="6A1",
    address="Số 2 Kim Mã",
    guardian="",
    relationship="",
    phone="",
    education_id="",
    place="Hà Nội",
):
    return [
        None,
        name,
        dob,
        sex,
        pid,
        ethnicity,
        "Việt Nam",
        klass,
        address,
        place,
        None,
        None,
        guardian,
        relationship,
        phone,
        education_id,
    ]


def school_file(workbook, world):
    """A real-looking school file with every mistake; rows are numbered as in Excel."""
    sheet = workbook.active
    sheet.title = "Học sinh"
    sheet["A1"] = "DANH SÁCH HỌC SINH NĂM HỌC 2025-2026"
    sheet.merge_cells("A1:H1")  # a title above the header: not a problem
    sheet.append([])  # row 2
    sheet.append(HEADER)  # row 3
    sheet.merge_cells("J3:K3")  # merged header cells: K has no header
    rows = {
        4: row(
            "Đặng Thị Ánh",
            dt.date(2014, 2, 3),
            "Nữ",
            "001314999999",
            guardian="Đặng Văn Bình",
            relationship="Cha",
            phone="0912345678",
        ),
        5: row("Phan Văn Năm", "31/02/2014"),
        6: row("Phan Văn Sáu", "không rõ"),
        7: row("Phan Văn Bảy", "01/01/2099"),
        8: row("Hà Văn Tám", dt.date(2005, 6, 1)),
        9: row("Lý Thị Chín", "5/9/14", "Nữ"),
        10: row("Vũ Văn Mười", "2014-03-04", pid=1214077777),
        11: row("Tạ Thị Mười Một", 41640, "Nữ"),
        12: row("Kim Văn Mười Hai", "02/05/2014", pid="12345"),
        13: row("Mai Thị Mười Ba", "02/05/2014", "Nữ", pid="001214000777"),
        14: row("Lò Văn Mười Bốn", "02/05/2014", klass="6Z"),
        15: row("Cao Văn Mười Lăm", "02/05/2014", sex="X"),
        16: row("Hầu Văn Mười Sáu", "02/05/2014", ethnicity="Sao Hỏa"),
        17: row("", "02/05/2014"),
        18: row("Đặng Thị Ánh Hai", "04/04/2014", "Nữ", pid="001314999999"),
        19: row("Lý Thị Chín", "05/09/2014", "Nữ"),
        20: row("Đoàn Văn Hai Mươi", "02/05/2014", pid="079214000111"),
        21: [None] * len(HEADER),
        22: row("Quách Văn Hai Hai", "=DATE(2014,5,2)"),
        23: row(from_unicode_tcvn3("Nguyễn Văn Bảy"), "03/03/2014"),
        24: row(from_unicode_vni("Trần Văn Tám"), "04/03/2014"),
        25: row("Trần Thị Bình", "02/05/2014", "Nữ", address="12 Hàng Bông"),
        26: row("Lê Đức Cường", "02/05/2014", address="Số 1 đường Láng", place=""),
        27: row("Tôn Văn Hai Bảy", "02/05/2014", education_id="0199999999"),
        28: row(
            "Ngô Văn Hai Tám",
            "02/05/2014",
            pid="001214012345",
            education_id=world.learner_dung.education_id,
        ),
    }
    for number in sorted(rows):
        sheet.append(rows[number])
    for number in (4,):  # a date cell formatted as a date
        sheet.cell(row=number, column=3).number_format = "DD/MM/YYYY"
    return sheet


@pytest.fixture
def school_a(world):
    # A learner of school B already has this number; Bình has an education identifier.
    world.learner_b2.personal_id = "079214000111"
    world.learner_b2.save()
    for learner, code in (
        (world.learner_binh, "0100000500"),
        (world.learner_an, "0100000501"),
        (world.learner_dung, "0100000502"),
    ):
        learner.education_id = code
        learner.save()
    return world


def _upload_and_check(world, upload, actor=None, kind="learners"):
    actor = actor or world.principal_a
    job = services.import_job_create(
        actor=actor, institution=world.school_a, kind=kind, upload=upload
    )
    return services.import_job_check_start(actor=actor, job=job)


def _problems(job):
    return [
        (
            p.sheet,
            p.row,
            p.column,
            p.code,
            p.severity,
            located(
                sheet=p.sheet, row=p.row, column=p.column, message=problem_message(p.code, p.params)
            ),
        )
        for p in ImportProblem.objects.filter(job=job).order_by("id")
    ]


S = "Học sinh"


def test_every_mistake_has_its_message(school_a):
    world = school_a
    job = _upload_and_check(world, xlsx_upload(lambda wb: school_file(wb, world)))
    assert job.status == ImportStatus.CHECKED
    problems = _problems(job)
    expected = [
        (
            S,
            3,
            "Ghi chú",
            "column_unknown",
            "warning",
            "Sheet 'Học sinh', dòng 3, cột 'Ghi chú': Cột 'Ghi chú' không có trong tệp mẫu nên "
            "được bỏ qua.",
        ),
        (
            S,
            3,
            "Nơi sinh",
            "header_merged",
            "warning",
            "Sheet 'Học sinh', dòng 3, cột 'Nơi sinh': Ô tiêu đề J3:K3 bị gộp (Merge). Các cột "
            "trong vùng gộp, trừ cột đầu, không có tiêu đề nên bị bỏ qua: hãy bỏ gộp ô và đặt một "
            "tiêu đề cho mỗi cột.",
        ),
        (
            S,
            5,
            "Ngày sinh",
            "date_impossible",
            "error",
            "Sheet 'Học sinh', dòng 5, cột 'Ngày sinh': '31/02/2014' không phải là ngày có thật "
            "(sai ngày hoặc tháng).",
        ),
        (
            S,
            6,
            "Ngày sinh",
            "date_not_a_date",
            "error",
            "Sheet 'Học sinh', dòng 6, cột 'Ngày sinh': 'không rõ' không phải là ngày. Hãy nhập "
            "theo dạng ngày/tháng/năm, ví dụ 05/09/2014.",
        ),
        (
            S,
            7,
            "Ngày sinh",
            "date_future",
            "error",
            "Sheet 'Học sinh', dòng 7, cột 'Ngày sinh': Ngày '01/01/2099' chưa đến.",
        ),
        (
            S,
            8,
            "Ngày sinh",
            "age_grade",
            "warning",
            "Sheet 'Học sinh', dòng 8, cột 'Ngày sinh': Học sinh 20 tuổi (tính theo năm 2025) là "
            "bất thường ở khối 6 (thường 11 tuổi). Hãy kiểm tra ngày sinh và lớp.",
        ),
        (
            S,
            10,
            "Số định danh cá nhân",
            "pid_zeros_restored",
            "warning",
            "Sheet 'Học sinh', dòng 10, cột 'Số định danh cá nhân': Ô được định dạng số nên số "
            "định danh '1214077777' mất số 0 ở đầu; đã đọc là '001214077777'. Hãy định dạng cột "
            "là văn bản (Text).",
        ),
        (
            S,
            12,
            "Số định danh cá nhân",
            "pid_not_12_digits",
            "error",
            "Sheet 'Học sinh', dòng 12, cột 'Số định danh cá nhân': Số định danh cá nhân '12345' "
            "phải gồm đúng 12 chữ số.",
        ),
        (
            S,
            13,
            "Số định danh cá nhân",
            "pid_century_sex",
            "warning",
            "Sheet 'Học sinh', dòng 13, cột 'Số định danh cá nhân': Chữ số thứ 4 của số định danh "
            "001214000777 là 2, không khớp với giới tính và thế kỷ sinh (phải là 3). Hãy kiểm tra "
            "số, ngày sinh và giới tính.",
        ),
        (
            S,
            14,
            "Lớp",
            "class_unknown",
            "error",
            "Sheet 'Học sinh', dòng 14, cột 'Lớp': Lớp '6Z' không có trong năm học 2025-2026 của "
            "trường. Hãy tạo lớp trước hoặc sửa tên lớp.",
        ),
        (
            S,
            15,
            "Giới tính",
            "sex_unknown",
            "error",
            "Sheet 'Học sinh', dòng 15, cột 'Giới tính': Giới tính 'X' không hợp lệ: hãy ghi Nam "
            "hoặc Nữ.",
        ),
        (
            S,
            16,
            "Dân tộc",
            "ethnicity_unknown",
            "error",
            "Sheet 'Học sinh', dòng 16, cột 'Dân tộc': Dân tộc 'Sao Hỏa' không có trong danh mục "
            "54 dân tộc. Hãy chọn trong danh sách của tệp mẫu, ví dụ Kinh, Tày, Thái, Mường.",
        ),
        (
            S,
            17,
            "Họ và tên",
            "required",
            "error",
            "Sheet 'Học sinh', dòng 17, cột 'Họ và tên': Chưa nhập (bắt buộc).",
        ),
        (
            S,
            18,
            "Số định danh cá nhân",
            "dup_file_pid",
            "error",
            "Sheet 'Học sinh', dòng 18, cột 'Số định danh cá nhân': Số định danh 001314999999 "
            "trùng với dòng 4 trong tệp.",
        ),
        (
            S,
            19,
            "Họ và tên",
            "dup_file_name_dob",
            "error",
            "Sheet 'Học sinh', dòng 19, cột 'Họ và tên': Lý Thị Chín, sinh ngày 05/09/2014, trùng "
            "họ tên và ngày sinh với dòng 9 trong tệp.",
        ),
        (
            S,
            20,
            "Số định danh cá nhân",
            "dup_db_pid_elsewhere",
            "error",
            "Sheet 'Học sinh', dòng 20, cột 'Số định danh cá nhân': Số định danh 079214000111 đã "
            "được dùng cho một người ở trường khác. Nếu là học sinh chuyển đến, hãy đề nghị trường "
            "cũ làm thủ tục chuyển trường.",
        ),
        (S, 21, "", "row_empty", "info", "Sheet 'Học sinh', dòng 21: Dòng trống, đã bỏ qua."),
        (
            S,
            22,
            "Ngày sinh",
            "cell_formula",
            "error",
            "Sheet 'Học sinh', dòng 22, cột 'Ngày sinh': Ô C22 chứa công thức (=DATE(2014,5,2)) "
            "thay vì giá trị. Hãy sao chép rồi dán dạng giá trị (Paste Special → Values).",
        ),
        (
            S,
            23,
            "Họ và tên",
            "text_tcvn3",
            "warning",
            "Sheet 'Học sinh', dòng 23, cột 'Họ và tên': Chữ gõ bằng bảng mã TCVN3 (phông "
            ".VnTime, ABC) 'NguyÔn V¨n B¶y' đã được chuyển sang Unicode: 'Nguyễn Văn Bảy'. Hãy "
            "kiểm tra lại.",
        ),
        (
            S,
            24,
            "Họ và tên",
            "text_vni",
            "warning",
            "Sheet 'Học sinh', dòng 24, cột 'Họ và tên': Chữ gõ bằng bảng mã VNI (phông "
            "VNI-Times) 'Traàn Vaên Taùm' đã được chuyển sang Unicode: 'Trần Văn Tám'. "
            "Hãy kiểm tra lại.",
        ),
        (
            S,
            27,
            "Mã định danh",
            "edu_id_unknown",
            "error",
            "Sheet 'Học sinh', dòng 27, cột 'Mã định danh': Không có ai mang mã định danh "
            "0199999999 trong trường. Để thêm người mới, hãy để trống cột mã định danh.",
        ),
        (
            S,
            28,
            "Số định danh cá nhân",
            "dup_db_pid_here",
            "error",
            "Sheet 'Học sinh', dòng 28, cột 'Số định danh cá nhân': Số định danh 001214012345 đã "
            "thuộc về Nguyễn Văn An (mã định danh 0100000501) của trường.",
        ),
    ]
    assert problems == expected
    # Rows 4, 8, 9, 10, 11, 13, 23, 24 are new; Bình (25) changes address; Cường (26) is
    # as recorded; 5, 6, 7, 12, 14–20, 22, 27, 28 have errors; 21 is empty.
    assert (job.count_new, job.count_updated, job.count_unchanged) == (8, 1, 1)
    assert (job.count_error_rows, job.count_warning_rows, job.count_empty_rows) == (14, 5, 1)
    assert not Learner.objects.filter(full_name="Đặng Thị Ánh").exists()  # a dry run


NEW_NAMES = {
    "Đặng Thị Ánh",
    "Hà Văn Tám",
    "Lý Thị Chín",
    "Vũ Văn Mười",
    "Tạ Thị Mười Một",
    "Mai Thị Mười Ba",
    "Nguyễn Văn Bảy",
    "Trần Văn Tám",
}


def test_all_or_nothing_is_refused_while_errors_remain(school_a):
    world = school_a
    job = _upload_and_check(world, xlsx_upload(lambda wb: school_file(wb, world)))
    before = Learner.objects.count()
    with pytest.raises(ValidationError) as refused:
        services.import_job_commit(actor=world.principal_a, job=job, mode="all_or_nothing")
    assert refused.value.messages == [
        "Còn 14 dòng có lỗi: hãy sửa tệp rồi tải lên lại, hoặc chọn ghi các dòng hợp lệ."
    ]
    job.refresh_from_db()
    assert job.status == ImportStatus.CHECKED
    assert Learner.objects.count() == before
    assert not AuditEntry.objects.filter(action__in=["learner.import", "import.commit"]).exists()


def test_a_failure_while_writing_writes_nothing(school_a, monkeypatch):
    world = school_a
    job = _upload_and_check(world, xlsx_upload(lambda wb: school_file(wb, world)))
    before = (Learner.objects.count(), EnrolmentEvent.objects.count(), AuditEntry.objects.count())

    def broken(*args, **kwargs):
        raise RuntimeError("disk full")

    # New learners are written first; then the updates fail.
    monkeypatch.setattr("truongso.imports.kinds.learners.learners_apply_changes", broken)
    job = services.import_job_commit(actor=world.principal_a, job=job, mode="valid_rows")
    assert job.status == ImportStatus.CHECKED
    assert job.failure == "Ghi dữ liệu không thành công, không có gì được ghi. Hãy thử lại."
    after = (Learner.objects.count(), EnrolmentEvent.objects.count(), AuditEntry.objects.count())
    assert after == before


def test_valid_rows_commit_writes_exactly_the_valid_rows(school_a):
    world = school_a
    job = _upload_and_check(world, xlsx_upload(lambda wb: school_file(wb, world)))
    count = Learner.objects.count()
    job = services.import_job_commit(actor=world.principal_a, job=job, mode="valid_rows")
    assert job.status == ImportStatus.DONE
    assert (job.written_new, job.written_updated) == (8, 1)
    assert Learner.objects.count() == count + 8
    created = Learner.objects.filter(full_name__in=NEW_NAMES, institution=world.school_a)
    assert set(created.values_list("full_name", flat=True)) == NEW_NAMES
    # Identifiers from one call to education_id_issue: consecutive, in file order.
    assert list(created.order_by("education_id").values_list("full_name", "education_id")) == [
        ("Đặng Thị Ánh", "0100000001"),
        ("Hà Văn Tám", "0100000002"),
        ("Lý Thị Chín", "0100000003"),
        ("Vũ Văn Mười", "0100000004"),
        ("Tạ Thị Mười Một", "0100000005"),
        ("Mai Thị Mười Ba", "0100000006"),
        ("Nguyễn Văn Bảy", "0100000007"),
        ("Trần Văn Tám", "0100000008"),
    ]
    anh = created.get(full_name="Đặng Thị Ánh")
    assert (anh.date_of_birth, anh.sex, anh.personal_id, anh.personal_id_status) == (
        dt.date(2014, 2, 3),
        "F",
        "001314999999",
        "ok",
    )
    assert (anh.current_class, anh.grade, anh.ethnicity_code, anh.nationality) == (
        world.class_a1,
        6,
        "01",
        "VN",
    )
    assert list(
        Guardian.objects.filter(learner=anh).values_list("relationship", "full_name", "phone")
    ) == [("father", "Đặng Văn Bình", "0912345678")]
    assert created.get(full_name="Tạ Thị Mười Một").date_of_birth == dt.date(2014, 1, 1)
    assert created.get(full_name="Vũ Văn Mười").personal_id == "001214077777"
    assert created.get(full_name="Mai Thị Mười Ba").personal_id_status == "warning"
    # An admit event for each new learner, naming the import job, whose audit entry
    # (who, when, why, the file's SHA-256) is the first line of the learner's history.
    events = EnrolmentEvent.objects.filter(learner__in=created)
    assert sorted(events.values_list("kind", flat=True)) == ["admit"] * 8
    assert set(events.values_list("import_job_id", flat=True)) == {job.pk}
    assert events.get(learner=anh).to_class == world.class_a1
    history = list(learner_history(actor=world.principal_a, learner=anh))
    assert [(e.action, e.object_type, e.object_id, e.actor) for e in history] == [
        ("import.commit", "imports.importjob", str(job.pk), world.principal_a)
    ]
    assert history[0].after["sha256"] == job.sha256
    # The update: before and after.
    binh = Learner.objects.get(pk=world.learner_binh.pk)
    assert (binh.address, binh.place_of_birth, binh.version) == ("12 Hàng Bông", "Hà Nội", 2)
    update = AuditEntry.objects.get(action="learner.import", object_id=str(binh.pk))
    assert (update.before["address"], update.after["address"]) == (
        "Số 1 đường Láng",
        "12 Hàng Bông",
    )
    # The job itself, with the file's hash.
    commit = AuditEntry.objects.get(action="import.commit")
    assert commit.after["sha256"] == job.sha256
    assert (commit.after["new"], commit.after["updated"], commit.after["error_rows"]) == (8, 1, 14)
    assert commit.institution_id == world.school_a.pk


CLEAN = (
    "Họ và tên,Ngày sinh,Giới tính,Số định danh cá nhân,Dân tộc,Lớp,Địa chỉ,"
    "Họ tên cha/mẹ/người giám hộ,Quan hệ,Điện thoại phụ huynh\n"
    "Đinh Thị Hoa,03/02/2014,Nữ,001314555555,Tày,6A2,Số 3 Đội Cấn,Đinh Văn Lực,Cha,0987654321\n"
    "Âu Văn Khải,12/12/2013,Nam,,Kinh,6A1,Số 4 Đội Cấn,,,\n"
    "Trần Thị Bình,02/05/2014,Nữ,,Kinh,6A1,Số 1 đường Láng,,,\n"
)


def test_reimporting_the_same_file_changes_nothing(world):
    job = _upload_and_check(world, csv_upload(CLEAN))
    assert (job.count_new, job.count_updated, job.count_unchanged) == (2, 0, 1)
    services.import_job_commit(actor=world.principal_a, job=job, mode="all_or_nothing")
    counts = (
        Learner.objects.count(),
        Guardian.objects.count(),
        EnrolmentEvent.objects.count(),
        AuditEntry.objects.filter(action="learner.import").count(),
    )
    again = _upload_and_check(world, csv_upload(CLEAN))
    assert (again.count_new, again.count_updated, again.count_unchanged) == (0, 0, 3)
    assert again.sha256 == job.sha256
    again = services.import_job_commit(actor=world.principal_a, job=again, mode="all_or_nothing")
    assert (again.written_new, again.written_updated) == (0, 0)
    assert counts == (
        Learner.objects.count(),
        Guardian.objects.count(),
        EnrolmentEvent.objects.count(),
        AuditEntry.objects.filter(action="learner.import").count(),
    )


def test_csv_in_windows_1258_and_with_bom(world):
    from tests.imports.conftest import windows_1258

    for upload, encoding in (
        (csv_upload(CLEAN.replace(",", ";"), name="a.csv"), "utf-8"),
        (csv_upload(CLEAN, bom=codecs.BOM_UTF8, name="b.csv"), "utf-8-sig"),
        (type(csv_upload(""))("c.csv", windows_1258(CLEAN)), "windows-1258"),
    ):
        job = _upload_and_check(world, upload)
        assert (job.encoding, job.count_new, job.count_unchanged, job.count_error_rows) == (
            encoding,
            2,
            1,
            0,
        )
        assert not ImportProblem.objects.filter(job=job).exists()


def test_csv_typed_in_tcvn3(world):
    data = from_unicode_tcvn3(CLEAN).encode("latin-1")
    job = _upload_and_check(world, type(csv_upload(""))("tcvn3.csv", data))
    assert job.encoding == "latin-1"
    assert (job.count_new, job.count_unchanged, job.count_error_rows) == (2, 1, 0)
    messages = [p[5] for p in _problems(job)]
    assert messages[0] == (
        "Dòng 2, cột 'Họ và tên': Chữ gõ bằng bảng mã TCVN3 (phông .VnTime, ABC) "
        "'§inh ThÞ Hoa' đã được chuyển sang Unicode: 'Đinh Thị Hoa'. Hãy kiểm tra lại."
    )
    services.import_job_commit(actor=world.principal_a, job=job, mode="all_or_nothing")
    assert Learner.objects.filter(full_name="Đinh Thị Hoa", address="Số 3 Đội Cấn").exists()


def test_headers_in_any_case_without_diacritics_or_in_english(world):
    text = "ho va ten;NGÀY SINH;Gender;class\nĐinh Thị Hoa;03/02/2014;F;6A2\n"
    job = _upload_and_check(world, csv_upload(text))
    assert (job.count_new, job.count_error_rows, job.file_errors) == (1, 0, 0)


def test_files_that_cannot_be_imported(world, settings):
    def create(upload):
        with pytest.raises(ValidationError) as refused:
            services.import_job_create(
                actor=world.principal_a, institution=world.school_a, kind="learners", upload=upload
            )
        return refused.value.message_dict["file"]

    assert create(csv_upload("", name="empty.csv")) == [
        "Tệp rỗng (0 byte). Hãy chọn lại tệp đã lưu."
    ]
    assert create(type(csv_upload(""))("report.pdf", b"%PDF-1.7 ...")) == [
        "Tệp không phải bảng tính. Hãy tải lên tệp Excel (.xlsx, .xls), OpenDocument (.ods) "
        "hoặc CSV (.csv)."
    ]
    settings.IMPORT_MAX_FILE_BYTES = 2 * 1024 * 1024
    big = csv_upload("x" * (3 * 1024 * 1024))
    assert create(big) == ["Tệp quá lớn (3.0 MB). Tối đa 2 MB: hãy chia thành nhiều tệp nhỏ hơn."]
    job = _upload_and_check(world, csv_upload("Tên con vật,Màu lông\nMèo,Vàng\n"))
    assert job.status == ImportStatus.REJECTED
    assert [p[5] for p in _problems(job)] == [
        "Không tìm thấy dòng tiêu đề. Dòng tiêu đề phải có ít nhất hai cột như trong tệp mẫu, "
        "ví dụ 'Họ và tên' và 'Ngày sinh'."
    ]
    job = _upload_and_check(world, csv_upload("Họ và tên,Ngày sinh\nAn,01/01/2014\n"))
    assert [p[5] for p in _problems(job)] == ["Dòng 1: Thiếu cột bắt buộc 'Giới tính'."]
    with pytest.raises(ValidationError):
        services.import_job_commit(actor=world.principal_a, job=job, mode="valid_rows")


def test_only_principals_and_school_staff_import_their_school(world):
    upload = csv_upload(CLEAN)
    for actor in (world.teacher_a1_user, world.province_p1, world.principal_b):
        with pytest.raises(PermissionDenied):
            services.import_job_create(
                actor=actor, institution=world.school_a, kind="learners", upload=upload
            )
    job = _upload_and_check(world, csv_upload(CLEAN), actor=world.staff_a)
    with pytest.raises(PermissionDenied):
        services.import_job_commit(actor=world.principal_b, job=job, mode="valid_rows")
    assert (
        services.import_job_commit(actor=world.principal_a, job=job, mode="valid_rows").status
        == ImportStatus.DONE
    )
