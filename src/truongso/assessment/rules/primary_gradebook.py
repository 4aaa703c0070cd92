"""The primary gradebook (Circular 27/2020/TT-BGDĐT), on top of the primary engine:
what a cell accepts, and a learner's end-of-year outcome and award from what the
gradebook holds. Pure functions of plain data.

Each subject and activity is rated at four points of the year (mid and end of term
I, mid of term II, end of year: ``PERIODS``) Hoàn thành tốt / Hoàn thành / Chưa hoàn
thành; the tested subjects (the rule set's ``tested_subjects`` among the grade's) have
a periodic test at the end of term I and at the end of the year, and in grades 4 and
5 Vietnamese and Mathematics also at mid-term. Qualities and competencies are rated
Tốt / Đạt / Cần cố gắng at the end of each term.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from truongso.assessment.rules import primary
from truongso.assessment.rules.common import Incomplete, InvalidInput, Missing
from truongso.assessment.rules.labels import (
    Award,
    PrimaryOutcome,
    QualityRating,
    SubjectRating,
    parse_label,
)
from truongso.assessment.rules.parameters import PrimaryRules

MID_1, END_1, MID_2, END_2 = "mid_1", "end_1", "mid_2", "end_2"
PERIODS = (MID_1, END_1, MID_2, END_2)
QUALITY_PERIODS = (END_1, END_2)
MID_TERM_TEST_GRADES = (4, 5)
MID_TERM_TEST_SUBJECTS = ("TV", "TOAN")

RATING = "rating"
TEST = "test"
QUALITY = "quality"
COMMENT = "comment"
NOMINATED = "nominated"
UNKNOWN_CELL = "unknown_cell"

# Phẩm chất chủ yếu and năng lực (chung, đặc thù) of the 2018 curriculum rated by
# Circular 27/2020: code → Vietnamese name (content of school records).
QUALITIES: dict[str, str] = {
    "YN": "Yêu nước", "NA": "Nhân ái", "CC": "Chăm chỉ", "TT": "Trung thực",
    "TN": "Trách nhiệm",
    "TCTH": "Tự chủ và tự học", "GTHT": "Giao tiếp và hợp tác",
    "GQVD": "Giải quyết vấn đề và sáng tạo",
    "NN": "Ngôn ngữ", "TINHT": "Tính toán", "KHOC": "Khoa học", "CNGH": "Công nghệ",
    "TINH": "Tin học", "TM": "Thẩm mĩ", "TC": "Thể chất",
}  # fmt: skip


def test_periods(subject: str, grade: int, tested: Sequence[str]) -> tuple[str, ...]:
    """The periods in which ``subject`` has a periodic test in ``grade``."""
    if subject not in tested:
        return ()
    if grade in MID_TERM_TEST_GRADES and subject in MID_TERM_TEST_SUBJECTS:
        return PERIODS
    return (END_1, END_2)


def cell_name(kind: str, period: str = "", key: str = "") -> str:
    """``rating_end_2``, ``test_mid_1``, ``quality_YN_end_2``, ``comment``."""
    return "_".join(p for p in (kind, key, period) if p)


def parse_cell(rules: PrimaryRules, kind: str, value: Any) -> Any:
    """The stored value of a cell from what was typed: a subject rating (HTT, HT, CHT
    …), a test score (an integer 1–10 by default), a quality rating (T, Đ, CCG …);
    blank clears it (None). Raises InvalidInput."""
    text = "" if value is None else str(value).strip()
    if not text:
        return None
    if kind == RATING:
        return parse_label(SubjectRating, text)
    if kind == TEST:
        return primary.periodic_test_score(rules, text)
    if kind == QUALITY:
        return parse_label(QualityRating, text)
    raise InvalidInput(UNKNOWN_CELL, field=kind)


@dataclass(frozen=True)
class PrimaryLearnerData:
    """A learner's year in the gradebook: subject code → period → rating, subject code
    → period → test score, quality code → period → rating, the class's nomination."""

    ratings: Mapping[str, Mapping[str, SubjectRating]]
    tests: Mapping[str, Mapping[str, Decimal]]
    qualities: Mapping[str, Mapping[str, QualityRating]]
    nominated: bool = False


@dataclass(frozen=True)
class PrimaryYearOutcome:
    outcome: PrimaryOutcome | None
    award: Award | None
    missing: tuple[Missing, ...]
    rule_set: str


def primary_year_outcome(
    rules: PrimaryRules,
    *,
    subjects: Sequence[str],
    tested: Sequence[str],
    data: PrimaryLearnerData,
) -> PrimaryYearOutcome:
    """The end-of-year outcome and award (the engine's table) from the end-of-year
    ratings of ``subjects``, the end-of-year tests of ``tested`` and the end-of-year
    ratings of every quality and competency. Missing ones leave it incomplete."""
    result = primary.primary_outcome(
        rules,
        subjects={s: data.ratings.get(s, {}).get(END_2) for s in subjects},
        qualities={q: data.qualities.get(q, {}).get(END_2) for q in QUALITIES},
        tests={s: data.tests.get(s, {}).get(END_2) for s in tested},
    )
    award = primary.primary_award(rules, outcome=result, class_nominated=data.nominated)
    label = rules.info.label
    if isinstance(result, Incomplete):
        return PrimaryYearOutcome(None, None, result.missing, label)
    chosen = award.award if isinstance(award, primary.PrimaryAwardResult) else None
    return PrimaryYearOutcome(result.outcome, chosen, (), label)
