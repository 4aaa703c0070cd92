"""Pure rules of the import: dates, legacy encodings, headers, cells."""

import codecs
import datetime as dt

import pytest

from tests.imports.conftest import windows_1258
from truongso.imports.rules import problems as P
from truongso.imports.rules.columns import LEARNERS, find_header_row, header_key, match_header
from truongso.imports.rules.dates import age_fits_grade, parse_date
from truongso.imports.rules.encoding import CP1258, LEGACY_FONT, UTF8_BOM, decode_text
from truongso.imports.rules.legacy_text import (
    TCVN3,
    VNI,
    detect,
    from_unicode_tcvn3,
    from_unicode_vni,
    to_unicode,
)
from truongso.imports.rules.values import parse_personal_id, parse_phone, person_name

TODAY = dt.date(2025, 10, 1)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("05/09/2014", dt.date(2014, 9, 5)),
        ("5/9/14", dt.date(2014, 9, 5)),
        ("5/9/98", dt.date(1998, 9, 5)),
        ("05-09-2014", dt.date(2014, 9, 5)),
        ("05.09.2014", dt.date(2014, 9, 5)),
        ("2014-09-05", dt.date(2014, 9, 5)),
        ("2014-09-05 00:00:00", dt.date(2014, 9, 5)),
        (41640, dt.date(2014, 1, 1)),
        (41640.0, dt.date(2014, 1, 1)),
        ("41640", dt.date(2014, 1, 1)),
        (dt.datetime(2014, 9, 5, 0, 0), dt.date(2014, 9, 5)),
        (dt.date(2014, 9, 5), dt.date(2014, 9, 5)),
    ],
)
def test_accepted_date_forms(raw, expected):
    assert parse_date(raw, TODAY) == (expected, None)


@pytest.mark.parametrize(
    ("raw", "code"),
    [
        ("31/02/2014", P.DATE_IMPOSSIBLE),
        ("29/02/2015", P.DATE_IMPOSSIBLE),
        ("12/13/2014", P.DATE_IMPOSSIBLE),
        ("không rõ", P.DATE_NOT_A_DATE),
        ("2014", P.DATE_NOT_A_DATE),
        (41640.5, P.DATE_NOT_A_DATE),
        (True, P.DATE_NOT_A_DATE),
        ("02/10/2025", P.DATE_FUTURE),
        ("01/01/1899", P.DATE_TOO_OLD),
    ],
)
def test_refused_dates(raw, code):
    assert parse_date(raw, TODAY) == (None, code)


def test_empty_date_is_not_a_problem():
    assert parse_date("", TODAY) == (None, None)
    assert parse_date(None, TODAY) == (None, None)


def test_age_for_grade():
    # School year 2025-2026: grade 6 learners are usually 11 (born 2014).
    assert age_fits_grade(dt.date(2014, 5, 2), 6, 2025)
    assert age_fits_grade(dt.date(2015, 12, 31), 6, 2025)  # a year early
    assert age_fits_grade(dt.date(2011, 1, 1), 6, 2025)  # three years late
    assert not age_fits_grade(dt.date(2016, 1, 1), 6, 2025)
    assert not age_fits_grade(dt.date(2010, 12, 31), 6, 2025)
    assert age_fits_grade(dt.date(2021, 3, 1), 0, 2025)


def test_tcvn3_and_vni_are_detected_and_converted():
    assert from_unicode_tcvn3("Nguyễn Văn An") == "NguyÔn V¨n An"
    assert detect("NguyÔn V¨n An") == TCVN3
    assert to_unicode("NguyÔn V¨n An", TCVN3) == "Nguyễn Văn An"
    assert to_unicode("M\xadêng Kh\xad¬ng", TCVN3) == "Mường Khương"
    assert from_unicode_vni("Nguyễn Văn An") == "Nguyeãn Vaên An"
    assert detect("Nguyeãn Vaên An") == VNI
    assert to_unicode("Nguyeãn Vaên An", VNI) == "Nguyễn Văn An"
    text = "Trần Thị Bình Phương Đức Lưu Quỳnh Mỹ Vỵ Thuỷ"
    assert to_unicode(from_unicode_vni(text), VNI) == text
    for unicode_text in ("Nguyễn Văn An", "Hoàng Toàn", "Tô Hà", "Khoá", "Lê Thị Hà", "An"):
        assert detect(unicode_text) is None


def test_csv_encodings():
    text = "Họ và tên;Ngày sinh\nNguyễn Thị Ánh;05/09/2014\n"
    assert decode_text(windows_1258(text)) == (text, CP1258)
    assert decode_text(codecs.BOM_UTF8 + text.encode()) == (text, UTF8_BOM)
    legacy = from_unicode_tcvn3(text).encode("latin-1")
    assert decode_text(legacy)[1] == LEGACY_FONT


def test_headers_match_folded_and_in_english():
    assert header_key("HỌ VÀ TÊN (*)") == header_key("ho va ten") == "ho va ten"
    assert header_key("Ngày sinh (dd/mm/yyyy)") == "ngay sinh"
    match = match_header(LEARNERS, ["STT", "HỌ VÀ TÊN", "date of birth", "Gender", "Ghi chú"])
    assert match.index_of == {"full_name": 1, "date_of_birth": 2, "sex": 3}
    assert match.unknown == (4,)
    assert match.ignored == (0,)
    rows = [["DANH SÁCH HỌC SINH"], [], ["ho va ten", "ngay sinh", "gioi tinh"]]
    assert find_header_row(LEARNERS, rows)[0] == 2


def test_personal_id_cells():
    problems = []
    assert parse_personal_id("001 214 012 345", "personal_id", problems) == "001214012345"
    assert parse_personal_id(1214012345.0, "personal_id", problems) == "001214012345"
    assert problems == [
        P.warning(P.PID_ZEROS_RESTORED, "personal_id", value="1214012345", restored="001214012345")
    ]
    problems = []
    assert parse_personal_id("12345", "personal_id", problems) == ""
    assert problems == [P.error(P.PID_NOT_12_DIGITS, "personal_id", value="12345")]


def test_phone_and_names():
    problems = []
    assert parse_phone(912345678.0, "phone", problems) == "0912345678"
    assert parse_phone("091.234.5678", "phone", problems) == "0912345678"
    assert problems == []
    assert person_name("  nguyễn   văn  AN ") == ("Nguyễn Văn An", "nguyen van an")
