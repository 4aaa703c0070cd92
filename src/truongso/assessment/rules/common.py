"""What every assessment engine shares: exact decimal arithmetic, reading a score,
the incomplete result and the error raised for bad input.

Scores and averages are ``Decimal``, never binary floats. "Rounded to one decimal
place" means ``quantize(Decimal("0.1"), ROUND_HALF_UP)``: 8.25 → 8.3, where
Python's ``round(8.25, 1)`` gives 8.2.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import ROUND_HALF_EVEN, ROUND_HALF_UP, Context, Decimal, InvalidOperation, localcontext
from typing import Any

# A quotient of scores has a small denominator (at most a few hundred credits), so a
# value that is not exactly a tie lies more than 1e-30 away from one: 60 significant
# digits make the final half-up quantize exact.
_DIVISION_CONTEXT = Context(prec=60, rounding=ROUND_HALF_EVEN)


_STEPS = {places: Decimal(1).scaleb(-places) for places in range(7)}


def step(places: int) -> Decimal:
    """``Decimal("0.1")`` for one place, ``Decimal("0.01")`` for two, ``Decimal("1")`` for none."""
    cached = _STEPS.get(places)
    return Decimal(1).scaleb(-places) if cached is None else cached


def round_half_up(value: Decimal, places: int = 1) -> Decimal:
    """Round half up to ``places`` decimals: 8.25 → 8.3, 6.45 → 6.5, 4.95 → 5.0."""
    return value.quantize(step(places), rounding=ROUND_HALF_UP)


def divide_half_up(numerator: Decimal | int, denominator: Decimal | int, places: int) -> Decimal:
    """``numerator / denominator`` rounded half up to ``places`` decimals.

    >>> divide_half_up(71, 9, 1)
    Decimal('7.9')
    """
    with localcontext(_DIVISION_CONTEXT):
        quotient = Decimal(numerator) / Decimal(denominator)
        return quotient.quantize(step(places), rounding=ROUND_HALF_UP)


# --- bad input --------------------------------------------------------------------

NOT_A_NUMBER = "not_a_number"
OUT_OF_RANGE = "out_of_range"
NOT_AN_INTEGER = "not_an_integer"
TOO_MANY_PLACES = "too_many_places"
UNKNOWN_LABEL = "unknown_label"
TOO_MANY_REGULAR = "too_many_regular"
NEGATIVE = "negative"
RETEST_NOT_REQUIRED = "retest_not_required"
NOT_POSITIVE = "not_positive"


class InvalidInput(ValueError):
    """A value that cannot be assessed (not a number, out of range, unknown label).

    ``code`` says what is wrong and ``details`` carries the values a message needs
    (``value``, ``minimum``, ``maximum``, ``allowed`` …). The interface turns it into
    a translated message naming where the value came from.
    """

    def __init__(self, code: str, **details: Any) -> None:
        super().__init__(code, details)
        self.code = code
        self.details = details

    def __str__(self) -> str:
        return f"{self.code}: {self.details}"


# --- incomplete results -----------------------------------------------------------

# What can be missing. ``Missing.subject`` and ``Missing.term`` say where.
MISSING_REGULAR = "regular"  # regular assessment scores (``count`` of them)
MISSING_MID_TERM = "mid_term"
MISSING_END_OF_TERM = "end_of_term"
MISSING_SEMESTER = "semester"  # a whole semester of a subject
MISSING_COMMENT = "comment"  # Đạt / Chưa đạt of a comment-only subject
MISSING_SUBJECTS = "subjects"  # no subject at all
MISSING_CONDUCT = "conduct"
MISSING_DAYS_ABSENT = "days_absent"
MISSING_RETEST = "retest"
MISSING_CONDUCT_AFTER_TRAINING = "conduct_after_training"
MISSING_RATING = "rating"  # primary: a subject's end-of-year rating
MISSING_TEST = "test"  # primary: an end-of-year test score
MISSING_QUALITY = "quality"  # primary: one quality or competency
MISSING_QUALITIES = "qualities"  # primary: none given
MISSING_SCORE = "score"  # vocational: a module or year score


@dataclass(frozen=True, order=True)
class Missing:
    """One thing an incomplete result lacks, e.g. the end-of-term score of
    Mathematics in semester I: ``Missing(MISSING_END_OF_TERM, "Toán", 1)``."""

    what: str
    subject: str = ""
    term: int | None = None
    count: int = 1


@dataclass(frozen=True)
class Incomplete:
    """The result cannot be computed yet: ``missing`` names everything lacking.

    Never a guess: no divisor is shrunk, no missing score is filled in.
    """

    missing: tuple[Missing, ...]
    rule_set: str

    @staticmethod
    def of(rule_set: str, *parts: Incomplete | Missing) -> Incomplete:
        """One incomplete result gathering ``parts`` (their missing items, in order)."""
        items: dict[Missing, None] = {}  # ordered, each once
        for part in parts:
            for item in part.missing if isinstance(part, Incomplete) else (part,):
                items.setdefault(item, None)
        return Incomplete(tuple(items), rule_set)


@dataclass(frozen=True)
class ScoreScale:
    """The valid scores: ``minimum``–``maximum`` with ``places`` decimals. Extra
    decimals are rounded half up when ``round_extra`` (secondary: "an integer or a
    decimal with one digit after rounding"), refused otherwise (primary: integers)."""

    minimum: Decimal
    maximum: Decimal
    places: int
    round_extra: bool = True


def parse_decimal(value: Any) -> Decimal:
    """A number from an int, a Decimal or a string ("7.5", "7,5"); never a bool.

    Floats are read through their shortest text form (``7.1`` → ``Decimal("7.1")``).
    """
    if isinstance(value, bool) or value is None:
        raise InvalidInput(NOT_A_NUMBER, value=value)
    if isinstance(value, Decimal):
        number = value
    elif isinstance(value, int):
        number = Decimal(value)
    elif isinstance(value, float):
        number = Decimal(repr(value))
    elif isinstance(value, str):
        text = value.strip()
        if text.count(",") == 1 and "." not in text:
            text = text.replace(",", ".")
        try:
            number = Decimal(text)
        except InvalidOperation:
            raise InvalidInput(NOT_A_NUMBER, value=value)
    else:
        raise InvalidInput(NOT_A_NUMBER, value=value)
    if not number.is_finite():
        raise InvalidInput(NOT_A_NUMBER, value=value)
    return number


def parse_score(value: Any, scale: ScoreScale) -> Decimal:
    """A valid score on ``scale``, as a Decimal with exactly ``scale.places`` decimals."""
    number = parse_decimal(value)
    if number < scale.minimum or number > scale.maximum:
        raise InvalidInput(OUT_OF_RANGE, value=value, minimum=scale.minimum, maximum=scale.maximum)
    rounded = round_half_up(number, scale.places)
    if rounded != number and not scale.round_extra:
        code = NOT_AN_INTEGER if scale.places == 0 else TOO_MANY_PLACES
        raise InvalidInput(code, value=value, places=scale.places)
    return rounded


def parse_count(value: Any) -> int:
    """A whole number ≥ 0 (days absent, credits, a count of retaken modules)."""
    if isinstance(value, bool):
        raise InvalidInput(NOT_AN_INTEGER, value=value)
    if isinstance(value, int):
        number = value
    else:
        decimal_value = parse_decimal(value)
        if decimal_value != decimal_value.to_integral_value():
            raise InvalidInput(NOT_AN_INTEGER, value=value)
        number = int(decimal_value)
    if number < 0:
        raise InvalidInput(NEGATIVE, value=value)
    return number


@dataclass(frozen=True)
class RuleSetInfo:
    """Which rules a result came from: a stable ``code`` ("tt22-2021") and a
    ``version`` (each edit of the parameters is a new version).

    ``grade_first_school_years`` is the roll-out of a regulation grade by grade:
    ``((6, 2021), (7, 2022), …)`` means grade 6 from 2021-22, grade 7 from 2022-23.
    Empty means every grade from ``first_school_year``.
    """

    code: str
    version: int
    regulation: str
    education_level: str
    first_school_year: int
    grade_first_school_years: tuple[tuple[int, int], ...] = field(default=())

    @property
    def label(self) -> str:
        """The id recorded on every result, e.g. ``"tt22-2021@1"``."""
        return f"{self.code}@{self.version}"

    def first_school_year_for(self, grade: int) -> int | None:
        """The first school year (its starting calendar year) the rules apply to
        ``grade``, or None when the grade is not covered at all."""
        if not self.grade_first_school_years:
            return self.first_school_year
        return dict(self.grade_first_school_years).get(grade)
