"""The columns of each kind of import: their Vietnamese headers, the other headers that
mean the same (without diacritics, in English), and which are required.

Headers are compared folded ("Họ và tên", "HỌ VÀ TÊN", "ho va ten" are one header), with
required-markers and notes in brackets ignored ("Ngày sinh (*)", "Ngày sinh (dd/mm/yyyy)").
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from truongso.core.rules.text import fold
from truongso.imports.rules.legacy_text import detect, to_unicode

LEARNERS = "learners"
STAFF = "staff"
CLASSES = "classes"
KINDS = (LEARNERS, STAFF, CLASSES)


def gettext_noop(text: str) -> str:
    """Marks a Vietnamese string for the translation catalogue; the Django layer
    translates it when it shows it."""
    return text


@dataclass(frozen=True)
class Column:
    key: str
    label: str
    aliases: tuple[str, ...] = ()
    required: bool = False
    # Shown in the template's instructions sheet.
    hint: str = ""
    example: str = ""
    width: int = 16
    # Read-only columns written by the export (school, grade, status): accepted, ignored.
    ignored: bool = False


_NOTE = re.compile(r"\([^)]*\)|\[[^\]]*\]")
_PUNCTUATION = re.compile(r"[*:/\\\-_.,;#]+")


def header_text(text: object) -> str:
    """A header as shown in messages: one line, converted from TCVN3/VNI if typed so."""
    value = " ".join(str(text).split()) if text is not None else ""
    encoding = detect(value)
    return to_unicode(value, encoding) if encoding else value


def header_key(text: object) -> str:
    """The folded form a header is compared by."""
    if text is None:
        return ""
    value = header_text(text)
    value = _NOTE.sub(" ", value)
    value = _PUNCTUATION.sub(" ", value)
    return fold(value)


_COMMON_IGNORED = (
    Column("row_number", gettext_noop("STT"), ("so thu tu", "tt", "no", "number"), ignored=True),
    Column("institution", gettext_noop("Trường"), ("ten truong", "school"), ignored=True),
)

LEARNER_COLUMNS = (
    Column("full_name", gettext_noop("Họ và tên"),
           ("ho ten", "ho va ten hoc sinh", "ho ten hoc sinh", "full name", "name",
            "learner name", "student name"), required=True,
           hint=gettext_noop("Bắt buộc."), example="Nguyễn Văn An", width=26),
    Column("date_of_birth", gettext_noop("Ngày sinh"),
           ("ngay thang nam sinh", "date of birth", "birth date", "dob"), required=True,
           hint=gettext_noop("Bắt buộc. Ngày/tháng/năm, ví dụ 05/09/2014."),
           example="05/09/2014", width=12),
    Column("sex", gettext_noop("Giới tính"), ("gioi", "sex", "gender"), required=True,
           hint=gettext_noop("Bắt buộc. Nam hoặc Nữ."), example="Nam", width=10),
    Column("personal_id", gettext_noop("Số định danh cá nhân"),
           ("so dinh danh", "so cccd", "cccd", "can cuoc cong dan", "so can cuoc",
            "ma dinh danh ca nhan", "personal id", "personal identification number",
            "national id"),
           hint=gettext_noop("12 chữ số. Gõ dạng văn bản để không mất số 0 ở đầu."),
           example="001214012345", width=16),
    Column("ethnicity", gettext_noop("Dân tộc"), ("ethnicity", "ethnic group"),
           hint=gettext_noop("Tên dân tộc theo danh mục, ví dụ Kinh, Tày, Thái."),
           example="Kinh", width=12),
    Column("nationality", gettext_noop("Quốc tịch"), ("nationality",),
           hint=gettext_noop("Để trống hoặc ghi Việt Nam nếu là người Việt Nam."),
           example="Việt Nam", width=12),
    Column("class_name", gettext_noop("Lớp"), ("ten lop", "class", "class name"),
           hint=gettext_noop("Tên một lớp của trường trong năm học hiện tại."),
           example="6A1", width=8),
    Column("address", gettext_noop("Địa chỉ"),
           ("dia chi thuong tru", "noi o hien nay", "address"), example="Số 1 phố Huế",
           width=30),
    Column("place_of_birth", gettext_noop("Nơi sinh"), ("place of birth",),
           example="Hà Nội", width=16),
    Column("disability", gettext_noop("Khuyết tật"), ("loai khuyet tat", "disability"),
           hint=gettext_noop("Để trống nếu không khuyết tật."), width=16),
    Column("guardian_name", gettext_noop("Họ tên cha/mẹ/người giám hộ"),
           ("ho ten cha me", "ho ten phu huynh", "phu huynh", "cha me nguoi giam ho",
            "guardian name", "parent name", "guardian", "parent"),
           example="Nguyễn Văn Ba", width=26),
    Column("guardian_relationship", gettext_noop("Quan hệ"),
           ("quan he voi hoc sinh", "relationship"),
           hint=gettext_noop("Cha, Mẹ, Người giám hộ hoặc Khác."), example="Cha", width=12),
    Column("guardian_phone", gettext_noop("Điện thoại phụ huynh"),
           ("so dien thoai phu huynh", "sdt phu huynh", "dien thoai cha me", "guardian phone",
            "parent phone"), example="0912345678", width=14),
    Column("education_id", gettext_noop("Mã định danh"),
           ("ma dinh danh hoc sinh", "ma hoc sinh", "education id", "learner id",
            "student id"),
           hint=gettext_noop("Chỉ ghi khi sửa học sinh đã có; để trống khi thêm học sinh mới."),
           width=14),
    Column("grade", gettext_noop("Khối"), ("grade",), ignored=True),
    Column("status", gettext_noop("Trạng thái"), ("status",), ignored=True),
    Column("school_year", gettext_noop("Năm học"), ("school year",), ignored=True),
    *_COMMON_IGNORED,
)  # fmt: skip

STAFF_COLUMNS = (
    Column("full_name", gettext_noop("Họ và tên"), ("ho ten", "full name", "name"),
           required=True, hint=gettext_noop("Bắt buộc."), example="Trần Thị Hoa", width=26),
    Column("date_of_birth", gettext_noop("Ngày sinh"),
           ("ngay thang nam sinh", "date of birth", "birth date", "dob"),
           hint=gettext_noop("Ngày/tháng/năm, ví dụ 01/03/1985."), example="01/03/1985",
           width=12),
    Column("sex", gettext_noop("Giới tính"), ("gioi", "sex", "gender"), required=True,
           hint=gettext_noop("Bắt buộc. Nam hoặc Nữ."), example="Nữ", width=10),
    Column("personal_id", gettext_noop("Số định danh cá nhân"),
           ("so dinh danh", "so cccd", "cccd", "can cuoc cong dan", "personal id",
            "national id"), example="001185012345", width=16),
    Column("ethnicity", gettext_noop("Dân tộc"), ("ethnicity",), example="Kinh", width=12),
    Column("nationality", gettext_noop("Quốc tịch"), ("nationality",), example="Việt Nam",
           width=12),
    Column("position", gettext_noop("Chức vụ"), ("vi tri viec lam", "chuc danh", "position"),
           required=True, hint=gettext_noop("Bắt buộc. Chọn trong danh sách."),
           example="Giáo viên", width=18),
    Column("qualification", gettext_noop("Trình độ đào tạo"),
           ("trinh do", "trinh do chuyen mon", "qualification"), example="Đại học", width=14),
    Column("major", gettext_noop("Chuyên ngành"), ("chuyen mon", "major"), example="Toán",
           width=16),
    Column("employment_status", gettext_noop("Tình trạng"),
           ("tinh trang lam viec", "hinh thuc hop dong", "employment status"),
           example="Viên chức (biên chế)", width=18),
    Column("hired_on", gettext_noop("Ngày vào ngành"), ("ngay tuyen dung", "hired on"),
           example="01/09/2008", width=12),
    Column("phone", gettext_noop("Điện thoại"), ("so dien thoai", "sdt", "phone"),
           example="0912345678", width=14),
    Column("email", gettext_noop("Thư điện tử"), ("email", "e mail"), width=24),
    Column("address", gettext_noop("Địa chỉ"), ("address",), width=30),
    Column("education_id", gettext_noop("Mã định danh"),
           ("ma can bo", "ma giao vien", "education id", "staff id"),
           hint=gettext_noop("Chỉ ghi khi sửa người đã có."), width=14),
    *_COMMON_IGNORED,
)  # fmt: skip

CLASS_COLUMNS = (
    Column("name", gettext_noop("Tên lớp"), ("lop", "class", "class name", "name"),
           required=True, hint=gettext_noop("Bắt buộc."), example="6A1", width=10),
    Column("grade", gettext_noop("Khối"), ("grade",), required=True,
           hint=gettext_noop("Bắt buộc. Số từ 0 (mầm non) đến 12."), example="6", width=8),
    Column("school_year", gettext_noop("Năm học"), ("school year",),
           hint=gettext_noop("Ví dụ 2025-2026. Để trống: năm học hiện tại."), width=12),
    Column("homeroom_teacher", gettext_noop("Giáo viên chủ nhiệm"),
           ("gvcn", "chu nhiem", "homeroom teacher"),
           hint=gettext_noop("Họ tên hoặc mã định danh của giáo viên trong trường."),
           example="Trần Thị Hoa", width=24),
    Column("room", gettext_noop("Phòng học"), ("phong", "room"), example="P.201", width=10),
    Column("learner_count", gettext_noop("Sĩ số"), ("so hoc sinh", "learners"), ignored=True),
    *_COMMON_IGNORED,
)  # fmt: skip

COLUMNS = {LEARNERS: LEARNER_COLUMNS, STAFF: STAFF_COLUMNS, CLASSES: CLASS_COLUMNS}


def template_columns(kind: str) -> tuple[Column, ...]:
    """The columns a template and an export carry, in order (not the ignored ones)."""
    return tuple(c for c in COLUMNS[kind] if not c.ignored)


@dataclass(frozen=True)
class HeaderMatch:
    """Which spreadsheet column (0-based index) holds which column key."""

    index_of: dict[str, int]
    labels: dict[int, str]  # index -> header as written
    unknown: tuple[int, ...]
    duplicates: tuple[tuple[int, str], ...]  # (index, key of the column it repeats)
    ignored: tuple[int, ...]

    @property
    def matched(self) -> int:
        return len(self.index_of)


def _lookup(kind: str) -> dict[str, Column]:
    table: dict[str, Column] = {}
    for column in COLUMNS[kind]:
        for name in (column.label, *column.aliases):
            table.setdefault(header_key(name), column)
    return table


_LOOKUPS: dict[str, dict[str, Column]] = {}


def match_header(
    kind: str, cells: list[object], extra: dict[str, str] | None = None
) -> HeaderMatch:
    """``extra``: more headers (folded) → column key, e.g. the labels in other languages."""
    lookup = _LOOKUPS.get(kind)
    if lookup is None:
        lookup = _LOOKUPS[kind] = _lookup(kind)
    if extra:
        by_key = {c.key: c for c in COLUMNS[kind]}
        lookup = {**{k: by_key[v] for k, v in extra.items() if v in by_key}, **lookup}
    index_of: dict[str, int] = {}
    labels: dict[int, str] = {}
    unknown: list[int] = []
    duplicates: list[tuple[int, str]] = []
    ignored: list[int] = []
    for index, cell in enumerate(cells):
        key = header_key(cell)
        if not key:
            continue
        labels[index] = header_text(cell)
        column = lookup.get(key)
        if column is None:
            unknown.append(index)
        elif column.ignored:
            ignored.append(index)
        elif column.key in index_of:
            duplicates.append((index, column.key))
        else:
            index_of[column.key] = index
    return HeaderMatch(index_of, labels, tuple(unknown), tuple(duplicates), tuple(ignored))


def column_by_key(kind: str, key: str) -> Column | None:
    for column in COLUMNS[kind]:
        if column.key == key:
            return column
    return None


def find_header_row(
    kind: str, rows: list[list[object]], extra: dict[str, str] | None = None
) -> tuple[int, HeaderMatch] | None:
    """The row (index into ``rows``) that names the most known columns (at least two,
    one of them required); titles above the header are skipped."""
    required = {c.key for c in COLUMNS[kind] if c.required}
    best: tuple[int, HeaderMatch] | None = None
    for index, cells in enumerate(rows):
        match = match_header(kind, cells, extra)
        if match.matched < 2 or not (required & set(match.index_of)):
            continue
        if best is None or match.matched > best[1].matched:
            best = (index, match)
    return best
