"""Diploma numbers with ISO 7064 MOD 97-10 check digits."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from truongso.credentials.rules.diploma_number import (
    format_diploma_number,
    is_valid_diploma_number,
    make_diploma_number,
    mod97_check_digits,
    mod97_valid,
)

from .helpers import fuzz


def test_iso_7064_worked_example():
    assert mod97_check_digits("794") == "44"
    assert mod97_valid("79444")
    assert not mod97_valid("79445")


def test_iban_example_of_iso_13616():
    iban = "GB82WEST12345698765432"
    rearranged = iban[4:] + iban[:4]  # the IBAN rule moves country and check to the end
    assert mod97_valid(rearranged)
    assert not mod97_valid(rearranged.replace("WEST", "WSET"))


def test_make_and_validate():
    number = make_diploma_number("HN25", 1234)
    assert number == "HN25000123426"
    assert is_valid_diploma_number(number)
    assert is_valid_diploma_number("hn25 0001234 26")
    assert is_valid_diploma_number("HN25-0001234-26")
    assert format_diploma_number(number, series_length=4) == "HN25 0001234 26"
    assert not is_valid_diploma_number("HN25000123427")
    assert not is_valid_diploma_number("HN2500012342")
    assert not is_valid_diploma_number("")
    assert not is_valid_diploma_number(None)
    assert not is_valid_diploma_number("HN25000123426é")


@pytest.mark.parametrize(
    ("series", "serial"),
    [
        ("", 1),
        ("HO25", 1),
        ("HI25", 1),
        ("ABCDEFGHJ", 1),
        ("HN25", -1),
        ("HN25", 10**7),
        ("HN25", True),
    ],
)
def test_refused_series_and_serials(series, serial):
    with pytest.raises(ValueError):
        make_diploma_number(series, serial)


def test_every_single_digit_error_and_adjacent_swap_in_the_serial_is_caught():
    for serial in (0, 1234, 9876543, 5050505, 1000001):
        number = make_diploma_number("HN25", serial)
        for position in range(4, len(number)):
            for digit in "0123456789":
                if digit != number[position]:
                    typo = number[:position] + digit + number[position + 1 :]
                    assert not is_valid_diploma_number(typo), typo
        for position in range(4, len(number) - 1):
            a, b = number[position], number[position + 1]
            if a != b:
                swapped = number[:position] + b + a + number[position + 2 :]
                assert not is_valid_diploma_number(swapped), swapped


@fuzz
@given(st.from_regex(r"[A-HJ-NP-Z0-9]{1,8}", fullmatch=True), st.integers(0, 9_999_999))
def test_generated_numbers_validate(series, serial):
    assert is_valid_diploma_number(make_diploma_number(series, serial))


@fuzz
@given(st.text(max_size=50))
def test_validation_never_raises(text):
    assert is_valid_diploma_number(text) in (True, False)


def test_printed_form_separates_series_serial_and_check():
    from truongso.credentials.rules.diploma_number import printed_diploma_number

    assert printed_diploma_number("01C25000000143") == "01C25 0000001 43"
    assert printed_diploma_number("01c25 0000001 43") == "01C25 0000001 43"
    assert printed_diploma_number("HN25000123457") == "HN25 0001234 57"
