import datetime as dt

from hypothesis import given
from hypothesis import strategies as st

from truongso.core.rules.codelists import ethnicity_code_for, ethnicity_name
from truongso.core.rules.personal_id import (
    CENTURY_SEX_MISMATCH,
    MISSING,
    NOT_TWELVE_DIGITS,
    YEAR_MISMATCH,
    check_personal_id,
)
from truongso.core.rules.text import fold, normalise_name


def test_fold_strips_diacritics_case_and_spaces():
    assert fold("  Nguyễn   Văn AN ") == "nguyen van an"
    assert fold("Đặng Thị Ánh Tuyết") == "dang thi anh tuyet"
    # Decomposed input (legacy keyboards) folds the same way.
    assert fold("Nguye\u0302\u0303n") == "nguyen"


@given(st.text())
def test_fold_is_idempotent(text):
    assert fold(fold(text)) == fold(text)


def test_normalise_name():
    assert normalise_name("  nguyễn  văn   an") == "Nguyễn Văn An"


def test_personal_id_agrees_with_birth_and_sex():
    # 001 Hà Nội, 2 = male born 2000s, 14 = 2014.
    assert check_personal_id("001214012345", dt.date(2014, 5, 2), "M").ok
    assert check_personal_id("001314012345", dt.date(2014, 5, 2), "F").ok
    assert check_personal_id("079090123456", dt.date(1990, 1, 1), "M").ok
    assert check_personal_id("079190123456", dt.date(1990, 1, 1), "F").ok


def test_personal_id_mismatches_are_warnings():
    assert check_personal_id("001214012345", dt.date(2014, 5, 2), "F").problems == (
        CENTURY_SEX_MISMATCH,
    )
    assert check_personal_id("001215012345", dt.date(2014, 5, 2), "M").problems == (YEAR_MISMATCH,)
    assert check_personal_id("0012140123", dt.date(2014, 5, 2), "M").problems == (
        NOT_TWELVE_DIGITS,
    )
    assert check_personal_id("00121401234X", None, "M").problems == (NOT_TWELVE_DIGITS,)
    assert check_personal_id("", None, "M").problems == (MISSING,)


def test_personal_id_province_digits_use_old_codes_and_are_not_checked():
    # 035 was Hà Nam, merged in 2025; still a valid birth-registration code.
    assert check_personal_id("035214000001", dt.date(2014, 1, 1), "M").ok


def test_ethnicity_codes_keep_their_list():
    assert ethnicity_name("01") == "Kinh"
    assert ethnicity_name("08") == "HMông"
    assert ethnicity_name("54") == "Rơ-măm"
    assert ethnicity_code_for("kinh") == "01"
    assert ethnicity_code_for("1") == "01"
    assert ethnicity_code_for("Gia rai") == "10"
    assert ethnicity_code_for("Khơ-me") == "05"
    assert ethnicity_code_for("99") is None
