"""The parameters of each rule set, as data.

A rule set is one regulation from one school year: its numbers and tables (how many
regular scores, the learning-result thresholds, the conduct table, the absence
limit, award thresholds, the vocational bands …) live here as frozen dataclasses,
not as code paths, so that a correction is a new version of the data. Stored as
JSON (``to_parameters``/``rules_from_stored``); decimals are kept as strings.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum
from typing import Any, ClassVar

from truongso.assessment.rules.common import InvalidInput, RuleSetInfo, ScoreScale, parse_decimal
from truongso.assessment.rules.labels import (
    Level,
    PrimaryOutcome,
    QualityRating,
    SubjectRating,
    VocationalLevel,
)

# Education levels a rule set applies to. "secondary" is lower and upper secondary.
PRIMARY = "primary"
SECONDARY = "secondary"
CONTINUING = "continuing"
VOCATIONAL = "vocational"
EDUCATION_LEVELS = (PRIMARY, SECONDARY, CONTINUING, VOCATIONAL)

# Which engine computes each level's results (continuing education uses the
# secondary calculations, Circular 43/2021).
ENGINE_SECONDARY = "secondary"
ENGINE_PRIMARY = "primary"
ENGINE_VOCATIONAL = "vocational"
ENGINE_BY_LEVEL = {
    PRIMARY: ENGINE_PRIMARY,
    SECONDARY: ENGINE_SECONDARY,
    CONTINUING: ENGINE_SECONDARY,
    VOCATIONAL: ENGINE_VOCATIONAL,
}


# --- secondary (Circular 22/2021, Circular 43/2021) --------------------------------


@dataclass(frozen=True)
class LevelRule:
    """One row of the learning-result table: the learner reaches ``level`` when at
    most ``max_not_passed`` comment-only subjects are Chưa đạt, every scored subject
    is ≥ ``all_min`` (when set), and at least ``count`` scored subjects are ≥
    ``count_min``."""

    level: Level
    all_min: Decimal | None
    count_min: Decimal
    count: int
    max_not_passed: int


@dataclass(frozen=True)
class SecondaryRules:
    engine: ClassVar[str] = ENGINE_SECONDARY

    info: RuleSetInfo
    score_scale: ScoreScale
    # (at most this many periods a year, or None for any number) → regular scores a semester
    regular_counts: tuple[tuple[int | None, int], ...]
    mid_term_weight: int
    end_of_term_weight: int
    # weights of semester I and semester II in the year average
    semester_weights: tuple[int, int]
    average_places: int
    # Tốt, Khá, Đạt in that order; the first row that holds wins, else Chưa đạt
    learning_levels: tuple[LevelRule, ...]
    # UNVERIFIED wording: a single subject pulling the result down two or more levels
    # raises it by one.
    one_subject_adjustment: bool
    # (semester II, semester I) → year conduct; every one of the 16 pairs
    conduct_table: tuple[tuple[Level, Level, Level], ...]
    max_days_absent: int
    promotion_min_conduct: Level
    promotion_min_learning: Level
    retest_below: Decimal
    # UNVERIFIED: True, the re-test score replaces the year average; False, the higher
    # of the two is kept.
    retest_replaces_year_average: bool
    award_gioi_min_conduct: Level
    award_gioi_min_learning: Level
    award_xuat_sac_min: Decimal
    award_xuat_sac_count: int

    def conduct_year(self, semester_2: Level, semester_1: Level) -> Level:
        for second, first, year in self.conduct_table:
            if second == semester_2 and first == semester_1:
                return year
        raise KeyError((semester_2, semester_1))  # the table is checked complete on load


# --- primary (Circular 27/2020) ---------------------------------------------------


@dataclass(frozen=True)
class OutcomeRule:
    """One row of the primary outcome table: every subject at least ``subject_min``,
    every quality and competency at least ``quality_min`` (None: not required), every
    end-of-year test at least ``test_min``."""

    outcome: PrimaryOutcome
    subject_min: SubjectRating
    quality_min: QualityRating | None
    test_min: Decimal


@dataclass(frozen=True)
class PrimaryRules:
    engine: ClassVar[str] = ENGINE_PRIMARY

    info: RuleSetInfo
    # UNVERIFIED: integers 1–10 (no 0, no decimals)
    score_scale: ScoreScale
    # Hoàn thành xuất sắc, Hoàn thành tốt, Hoàn thành in order; else Chưa hoàn thành
    outcome_rules: tuple[OutcomeRule, ...]
    # Subjects with periodic tests (curriculum codes; KH, Science, is UNVERIFIED).
    tested_subjects: tuple[str, ...]


# --- vocational (Circular 04/2022/TT-BLĐTBXH) -------------------------------------


@dataclass(frozen=True)
class Band:
    """A classification band: values ≥ ``minimum`` (and below the band above)."""

    minimum: Decimal
    level: VocationalLevel


@dataclass(frozen=True)
class LetterGrade:
    """A module score ≥ ``minimum`` gets ``letter`` and ``points`` on the 4-point scale."""

    letter: str
    minimum: Decimal
    points: Decimal


RETAKE_HIGHEST = "highest"
RETAKE_LATEST = "latest"


@dataclass(frozen=True)
class VocationalRules:
    engine: ClassVar[str] = ENGINE_VOCATIONAL

    info: RuleSetInfo
    score_scale: ScoreScale
    # year-based programmes: year average → level, highest band first
    year_bands: tuple[Band, ...]
    # credit-based programmes (UNVERIFIED table): score → letter → points, highest first
    letter_table: tuple[LetterGrade, ...]
    gpa_places: int
    # cumulative GPA → level, highest band first
    credit_bands: tuple[Band, ...]
    # a module counts as earned when its points are at least this (D)
    pass_min_points: Decimal
    # a warning-level discipline drops a classification at or above this level by one
    discipline_drop_from: VocationalLevel
    # (retaken modules at least, highest level allowed), e.g. ((1, Giỏi), (2, Khá))
    retake_caps: tuple[tuple[int, VocationalLevel], ...]
    graduation_min_gpa: Decimal
    # UNVERIFIED: which attempt of a retaken module counts in the cumulative GPA
    retake_counts: str


Rules = SecondaryRules | PrimaryRules | VocationalRules


# --- reading and writing the stored JSON ------------------------------------------

MISSING_KEY = "missing_key"
UNKNOWN_KEY = "unknown_key"
WRONG_TYPE = "wrong_type"
INCOMPLETE_TABLE = "incomplete_table"
NOT_DESCENDING = "not_descending"
BAD_VALUE = "bad_value"


class ParameterError(InvalidInput):
    """A stored parameter is missing, unknown or of the wrong kind; ``path`` names it
    (``"learning_levels[1].count"``)."""

    def __init__(self, path: str, code: str, **details: Any) -> None:
        super().__init__(code, path=path, **details)
        self.path = path


class _Reader:
    """Reads one JSON object strictly: every key must be read, none may be unknown."""

    def __init__(self, data: Any, path: str) -> None:
        if not isinstance(data, dict):
            raise ParameterError(path or "/", WRONG_TYPE, expected="object")
        self.data = data
        self.path = path
        self.used: set[str] = set()

    def _at(self, key: str) -> str:
        return f"{self.path}.{key}" if self.path else key

    def raw(self, key: str) -> Any:
        if key not in self.data:
            raise ParameterError(self._at(key), MISSING_KEY)
        self.used.add(key)
        return self.data[key]

    def decimal(self, key: str, *, nullable: bool = False) -> Decimal | None:
        value = self.raw(key)
        if value is None and nullable:
            return None
        return _decimal(value, self._at(key))

    def integer(self, key: str, *, nullable: bool = False) -> int | None:
        value = self.raw(key)
        if value is None and nullable:
            return None
        return _integer(value, self._at(key))

    def boolean(self, key: str) -> bool:
        value = self.raw(key)
        if not isinstance(value, bool):
            raise ParameterError(self._at(key), WRONG_TYPE, expected="boolean")
        return value

    def label(self, kind: type[StrEnum], key: str, *, nullable: bool = False) -> Any:
        value = self.raw(key)
        if value is None and nullable:
            return None
        return _label(kind, value, self._at(key))

    def items(self, key: str) -> list[tuple[str, Any]]:
        value = self.raw(key)
        if not isinstance(value, list):
            raise ParameterError(self._at(key), WRONG_TYPE, expected="list")
        return [(f"{self._at(key)}[{i}]", item) for i, item in enumerate(value)]

    def obj(self, key: str) -> _Reader:
        return _Reader(self.raw(key), self._at(key))

    def done(self) -> None:
        unknown = sorted(set(self.data) - self.used)
        if unknown:
            raise ParameterError(self._at(unknown[0]), UNKNOWN_KEY)


def _decimal(value: Any, path: str) -> Decimal:
    if isinstance(value, bool):
        raise ParameterError(path, WRONG_TYPE, expected="number")
    try:
        return parse_decimal(value)
    except InvalidInput:
        raise ParameterError(path, WRONG_TYPE, expected="number")


def _integer(value: Any, path: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise ParameterError(path, WRONG_TYPE, expected="integer")
    return value


def _label(kind: type[StrEnum], value: Any, path: str) -> Any:
    try:
        return kind(value)
    except ValueError:
        raise ParameterError(path, BAD_VALUE, allowed=tuple(m.value for m in kind))


def _row(path: str, value: Any, size: int = 2) -> list[Any]:
    if not isinstance(value, list) or len(value) != size:
        raise ParameterError(path, WRONG_TYPE, expected=f"list of {size}")
    return value


def _descending(path: str, values: list[Decimal]) -> None:
    if any(a <= b for a, b in zip(values, values[1:], strict=False)):
        raise ParameterError(path, NOT_DESCENDING)


def _scale(reader: _Reader, round_extra: bool) -> ScoreScale:
    scale = ScoreScale(
        minimum=reader.decimal("score_min"),
        maximum=reader.decimal("score_max"),
        places=reader.integer("score_places"),
        round_extra=round_extra,
    )
    if scale.minimum >= scale.maximum or not 0 <= scale.places <= 2:
        raise ParameterError(reader._at("score_max"), BAD_VALUE)
    return scale


def _rollout(reader: _Reader) -> tuple[tuple[int, int], ...]:
    table = reader.obj("grade_first_school_years")
    rows = []
    for key in list(table.data):
        if not key.isdigit():
            raise ParameterError(table._at(key), WRONG_TYPE, expected="grade")
        rows.append((int(key), table.integer(key)))
    table.done()
    return tuple(sorted(rows))


def _info(code, version, regulation, education_level, first_school_year, reader) -> RuleSetInfo:
    return RuleSetInfo(
        code=code, version=version, regulation=regulation, education_level=education_level,
        first_school_year=first_school_year, grade_first_school_years=_rollout(reader),
    )  # fmt: skip


def _secondary(info_args: tuple, data: Any) -> SecondaryRules:
    r = _Reader(data, "")
    info = _info(*info_args, r)
    regular_counts = []
    for path, item in r.items("regular_counts"):
        periods, count = _row(path, item)
        regular_counts.append(
            (None if periods is None else _integer(periods, path), _integer(count, path))
        )
    if not regular_counts or regular_counts[-1][0] is not None:
        raise ParameterError("regular_counts", INCOMPLETE_TABLE)
    levels = []
    for path, item in r.items("learning_levels"):
        row = _Reader(item, path)
        levels.append(
            LevelRule(
                level=row.label(Level, "level"),
                all_min=row.decimal("all_min", nullable=True),
                count_min=row.decimal("count_min"),
                count=row.integer("count"),
                max_not_passed=row.integer("max_not_passed"),
            )
        )
        row.done()
    conduct = r.obj("conduct_table")
    table = []
    for second in reversed(Level):
        row = conduct.obj(second.value)
        for first in reversed(Level):
            table.append((second, first, row.label(Level, first.value)))
        row.done()
    conduct.done()
    weights = r.raw("semester_weights")
    if not isinstance(weights, list) or len(weights) != 2:
        raise ParameterError("semester_weights", WRONG_TYPE, expected="list")
    rules = SecondaryRules(
        info=info,
        score_scale=_scale(r, round_extra=True),
        regular_counts=tuple(regular_counts),
        mid_term_weight=r.integer("mid_term_weight"),
        end_of_term_weight=r.integer("end_of_term_weight"),
        semester_weights=(
            _integer(weights[0], "semester_weights[0]"),
            _integer(weights[1], "semester_weights[1]"),
        ),
        average_places=r.integer("average_places"),
        learning_levels=tuple(levels),
        one_subject_adjustment=r.boolean("one_subject_adjustment"),
        conduct_table=tuple(table),
        max_days_absent=r.integer("max_days_absent"),
        promotion_min_conduct=r.label(Level, "promotion_min_conduct"),
        promotion_min_learning=r.label(Level, "promotion_min_learning"),
        retest_below=r.decimal("retest_below"),
        retest_replaces_year_average=r.boolean("retest_replaces_year_average"),
        award_gioi_min_conduct=r.label(Level, "award_gioi_min_conduct"),
        award_gioi_min_learning=r.label(Level, "award_gioi_min_learning"),
        award_xuat_sac_min=r.decimal("award_xuat_sac_min"),
        award_xuat_sac_count=r.integer("award_xuat_sac_count"),
    )
    r.done()
    return rules


def _primary(info_args: tuple, data: Any) -> PrimaryRules:
    r = _Reader(data, "")
    info = _info(*info_args, r)
    outcome_rules = []
    for path, item in r.items("outcome_rules"):
        row = _Reader(item, path)
        outcome_rules.append(
            OutcomeRule(
                outcome=row.label(PrimaryOutcome, "outcome"),
                subject_min=row.label(SubjectRating, "subject_min"),
                quality_min=row.label(QualityRating, "quality_min", nullable=True),
                test_min=row.decimal("test_min"),
            )
        )
        row.done()
    tested = []
    for path, item in r.items("tested_subjects"):
        if not isinstance(item, str):
            raise ParameterError(path, WRONG_TYPE, expected="text")
        tested.append(item)
    rules = PrimaryRules(
        info=info,
        score_scale=_scale(r, round_extra=False),
        outcome_rules=tuple(outcome_rules),
        tested_subjects=tuple(tested),
    )
    r.done()
    return rules


def _bands(r: _Reader, key: str) -> tuple[Band, ...]:
    bands = []
    for path, item in r.items(key):
        minimum, level = _row(path, item)
        bands.append(Band(_decimal(minimum, path), _label(VocationalLevel, level, path)))
    if not bands:
        raise ParameterError(key, INCOMPLETE_TABLE)
    _descending(key, [b.minimum for b in bands])
    return tuple(bands)


def _vocational(info_args: tuple, data: Any) -> VocationalRules:
    r = _Reader(data, "")
    info = _info(*info_args, r)
    letters = []
    for path, item in r.items("letter_table"):
        letter, minimum, points = _row(path, item, 3)
        if not isinstance(letter, str) or not letter:
            raise ParameterError(path, WRONG_TYPE, expected="text")
        letters.append(LetterGrade(letter, _decimal(minimum, path), _decimal(points, path)))
    if not letters:
        raise ParameterError("letter_table", INCOMPLETE_TABLE)
    _descending("letter_table", [g.minimum for g in letters])
    caps = []
    for path, item in r.items("retake_caps"):
        count, level = _row(path, item)
        caps.append((_integer(count, path), _label(VocationalLevel, level, path)))
    retake_counts = r.raw("retake_counts")
    if retake_counts not in (RETAKE_HIGHEST, RETAKE_LATEST):
        raise ParameterError("retake_counts", BAD_VALUE, allowed=(RETAKE_HIGHEST, RETAKE_LATEST))
    rules = VocationalRules(
        info=info,
        score_scale=_scale(r, round_extra=True),
        year_bands=_bands(r, "year_bands"),
        letter_table=tuple(letters),
        gpa_places=r.integer("gpa_places"),
        credit_bands=_bands(r, "credit_bands"),
        pass_min_points=r.decimal("pass_min_points"),
        discipline_drop_from=r.label(VocationalLevel, "discipline_drop_from"),
        retake_caps=tuple(sorted(caps)),
        graduation_min_gpa=r.decimal("graduation_min_gpa"),
        retake_counts=retake_counts,
    )
    r.done()
    return rules


_READERS = {ENGINE_SECONDARY: _secondary, ENGINE_PRIMARY: _primary, ENGINE_VOCATIONAL: _vocational}


def rules_from_stored(
    *,
    code: str,
    version: int,
    regulation: str,
    education_level: str,
    first_school_year: int,
    parameters: Any,
) -> Rules:
    """The rule set as a frozen dataclass, from its stored fields and JSON parameters.

    Raises ParameterError naming the first wrong parameter.
    """
    if education_level not in ENGINE_BY_LEVEL:
        raise ParameterError("education_level", BAD_VALUE, allowed=EDUCATION_LEVELS)
    reader = _READERS[ENGINE_BY_LEVEL[education_level]]
    return reader((code, version, regulation, education_level, first_school_year), parameters)


def _text(value: Decimal | None) -> str | None:
    return None if value is None else str(value)


def to_parameters(rules: Rules) -> dict[str, Any]:
    """The JSON-able parameters of ``rules`` (the inverse of ``rules_from_stored``)."""
    data: dict[str, Any] = {
        "grade_first_school_years": {
            str(grade): year for grade, year in rules.info.grade_first_school_years
        },
        "score_min": str(rules.score_scale.minimum),
        "score_max": str(rules.score_scale.maximum),
        "score_places": rules.score_scale.places,
    }
    if isinstance(rules, SecondaryRules):
        conduct: dict[str, dict[str, str]] = {}
        for second, first, year in rules.conduct_table:
            conduct.setdefault(second.value, {})[first.value] = year.value
        data |= {
            "regular_counts": [[periods, count] for periods, count in rules.regular_counts],
            "mid_term_weight": rules.mid_term_weight,
            "end_of_term_weight": rules.end_of_term_weight,
            "semester_weights": list(rules.semester_weights),
            "average_places": rules.average_places,
            "learning_levels": [
                {
                    "level": row.level.value,
                    "all_min": _text(row.all_min),
                    "count_min": str(row.count_min),
                    "count": row.count,
                    "max_not_passed": row.max_not_passed,
                }
                for row in rules.learning_levels
            ],  # fmt: skip
            "one_subject_adjustment": rules.one_subject_adjustment,
            "conduct_table": conduct,
            "max_days_absent": rules.max_days_absent,
            "promotion_min_conduct": rules.promotion_min_conduct.value,
            "promotion_min_learning": rules.promotion_min_learning.value,
            "retest_below": str(rules.retest_below),
            "retest_replaces_year_average": rules.retest_replaces_year_average,
            "award_gioi_min_conduct": rules.award_gioi_min_conduct.value,
            "award_gioi_min_learning": rules.award_gioi_min_learning.value,
            "award_xuat_sac_min": str(rules.award_xuat_sac_min),
            "award_xuat_sac_count": rules.award_xuat_sac_count,
        }
    elif isinstance(rules, PrimaryRules):
        data |= {
            "outcome_rules": [
                {
                    "outcome": row.outcome.value,
                    "subject_min": row.subject_min.value,
                    "quality_min": None if row.quality_min is None else row.quality_min.value,
                    "test_min": str(row.test_min),
                }
                for row in rules.outcome_rules
            ],  # fmt: skip
            "tested_subjects": list(rules.tested_subjects),
        }
    else:
        data |= {
            "year_bands": [[str(b.minimum), b.level.value] for b in rules.year_bands],
            "letter_table": [[g.letter, str(g.minimum), str(g.points)] for g in rules.letter_table],
            "gpa_places": rules.gpa_places,
            "credit_bands": [[str(b.minimum), b.level.value] for b in rules.credit_bands],
            "pass_min_points": str(rules.pass_min_points),
            "discipline_drop_from": rules.discipline_drop_from.value,
            "retake_caps": [[count, level.value] for count, level in rules.retake_caps],
            "graduation_min_gpa": str(rules.graduation_min_gpa),
            "retake_counts": rules.retake_counts,
        }
    return data
