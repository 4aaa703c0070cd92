"""The gradebook's rules, on top of the secondary engine (Circular 22/2021): what a
cell of the sổ điểm accepts, and a learner's results for each term and the year from
what the gradebook holds.

Pure functions of plain data: the services read the rows, call these, and store the
results with the rule set they came from.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from decimal import Decimal
from typing import Any

from truongso.assessment.rules import secondary
from truongso.assessment.rules.common import (
    MISSING_COMMENT,
    MISSING_CONDUCT,
    MISSING_RETEST,
    Incomplete,
    InvalidInput,
    Missing,
    divide_half_up,
    parse_count,
    parse_score,
)
from truongso.assessment.rules.labels import Award, Level, Pass, parse_label
from truongso.assessment.rules.parameters import SecondaryRules
from truongso.core.rules.text import fold

# --- cells ------------------------------------------------------------------------

MID_TERM = "mid_term"
END_OF_TERM = "end_of_term"
RATING = "rating"  # the term's Đạt/Chưa đạt, derived from the two below
MID_TERM_RATING = "mid_term_rating"  # comment-only subjects: ĐĐGgk Đạt/Chưa đạt
END_OF_TERM_RATING = "end_of_term_rating"  # comment-only subjects: ĐĐGck Đạt/Chưa đạt
RATING_FIELDS = (MID_TERM_RATING, END_OF_TERM_RATING)
COMMENT = "comment"
REGULAR_PREFIX = "regular_"
COMMENT_MAX_LENGTH = 500

# Codes of bad cells besides the engine's (InvalidInput codes).
UNKNOWN_CELL = "unknown_cell"  # details: field
COMMENT_TOO_LONG = "comment_too_long"  # details: length, maximum

# Comments offered in every gradebook besides the school's own bank (content written
# into Vietnamese school records, so kept in Vietnamese).
DEFAULT_COMMENT_PHRASES = (
    "Nắm vững kiến thức, kĩ năng cơ bản của môn học.",
    "Tích cực, chủ động trong học tập.",
    "Hoàn thành tốt các nhiệm vụ học tập.",
    "Có tiến bộ so với đầu học kì.",
    "Cần chú ý hơn trong giờ học.",
    "Cần cố gắng hơn trong học tập.",
    "Cần rèn thêm kĩ năng trình bày.",
)

TERMS = (1, 2)
YEAR = 0  # the period of the whole year


def regular_field(index: int) -> str:
    """The name of the ``index``-th regular score cell (0-based): ``regular_1`` …"""
    return f"{REGULAR_PREFIX}{index + 1}"


def regular_index(name: str) -> int | None:
    """0-based position of a regular score cell, or None for another cell."""
    if not name.startswith(REGULAR_PREFIX):
        return None
    number = name[len(REGULAR_PREFIX) :]
    return int(number) - 1 if number.isdigit() and int(number) >= 1 else None


def cell_fields(*, scored: bool, regular_count: int) -> tuple[str, ...]:
    """The cells of a row of the gradebook, in the order of its columns."""
    if scored:
        regular = tuple(regular_field(i) for i in range(regular_count))
        return (*regular, MID_TERM, END_OF_TERM, COMMENT)
    return (MID_TERM_RATING, END_OF_TERM_RATING, COMMENT)


def parse_cell(
    rules: SecondaryRules, *, scored: bool, regular_count: int, name: str, value: Any
) -> Decimal | Pass | str | None:
    """The value of cell ``name`` as stored, from what was typed: a score on the rule
    set's scale with at most its number of decimals (one), Đạt/Chưa đạt (Đ, CĐ …) for
    a subject assessed by comment, or a comment. Blank clears the cell (None; "" for a
    comment). Raises InvalidInput naming what is wrong."""
    if name not in cell_fields(scored=scored, regular_count=regular_count):
        raise InvalidInput(UNKNOWN_CELL, field=name)
    text = "" if value is None else str(value).strip()
    if name == COMMENT:
        text = " ".join(text.split())
        if len(text) > COMMENT_MAX_LENGTH:
            raise InvalidInput(COMMENT_TOO_LONG, length=len(text), maximum=COMMENT_MAX_LENGTH)
        return text
    if not text:
        return None
    if name in RATING_FIELDS:
        return parse_label(Pass, text)
    # The gradebook takes scores as typed: extra decimals are refused, not rounded.
    scale = replace(rules.score_scale, round_extra=False)
    return parse_score(text, scale)


def learner_sort_key(full_name: str) -> tuple[str, str]:
    """Order of a class list: by given name (the last word), then the whole name,
    without diacritics (fold) — "Nguyễn Văn An" before "Trần Thị Bình"."""
    folded = fold(full_name)
    words = folded.split()
    return (words[-1] if words else "", folded)


# --- a learner's results ----------------------------------------------------------


@dataclass(frozen=True)
class SubjectSpec:
    """A subject of the class: its code, whether it is scored, its periods a year."""

    code: str
    scored: bool
    periods_per_year: int


@dataclass(frozen=True)
class TermScores:
    """What the gradebook holds for one subject in one term."""

    regular: tuple[Decimal | None, ...] = ()
    mid_term: Decimal | None = None
    end_of_term: Decimal | None = None
    # Comment-only subjects: the term's rating as stored (rows entered as one value,
    # before the two ratings were kept apart), and the mid- and end-of-term ratings.
    rating: Pass | None = None
    mid_term_rating: Pass | None = None
    end_of_term_rating: Pass | None = None


# What is missing of a comment-only subject's term (Missing.what).
MISSING_MID_TERM_RATING = "mid_term_rating"
MISSING_END_OF_TERM_RATING = "end_of_term_rating"


def comment_term_rating(
    mid_term: Pass | None, end_of_term: Pass | None, stored: Pass | None = None
) -> Pass | None:
    """The term's result of a subject assessed by comment (Circular 22/2021, art. 9):
    Đạt when the mid-term and the end-of-term assessments were both rated Đạt,
    Chưa đạt when both were given and one is Chưa đạt; None while one is missing.

    A row holding only the term's rating (``stored``, entered before the two ratings
    were kept apart) keeps it. (Our reading: the regular assessments of these
    subjects are not recorded in the gradebook, so only the two periodic ones count.)
    """
    if mid_term is None and end_of_term is None:
        return stored
    if mid_term is None or end_of_term is None:
        return None
    if mid_term == Pass.PASSED and end_of_term == Pass.PASSED:
        return Pass.PASSED
    return Pass.NOT_PASSED


@dataclass(frozen=True)
class SummerData:
    """What was entered after the summer for a learner sent to it: each re-tested
    subject's result (a score, or Đạt/Chưa đạt), and the conduct re-evaluated after
    summer training (None: not yet)."""

    retests: Mapping[str, Decimal | Pass] = field(default_factory=dict)
    conduct: Level | None = None


@dataclass(frozen=True)
class LearnerData:
    """Everything the gradebook holds for one learner in one school year."""

    # (subject code, term) → scores; a subject with nothing entered is absent.
    scores: Mapping[tuple[str, int], TermScores] = field(default_factory=dict)
    # term → conduct set by the homeroom teacher (None: not set yet)
    conduct: Mapping[int, Level | None] = field(default_factory=dict)
    # term → days absent (absent: none)
    days_absent: Mapping[int, int] = field(default_factory=dict)
    # After the summer (re-tests, conduct training); None when nothing was entered.
    summer: SummerData | None = None


@dataclass(frozen=True)
class SubjectOutcome:
    """A subject's result in a term or the year: ``average`` (scored) or ``rating``
    (comment), or neither with ``missing`` saying why."""

    average: Decimal | None = None
    rating: Pass | None = None
    missing: tuple[Missing, ...] = ()


@dataclass(frozen=True)
class PeriodOutcome:
    """A learner's results in a term or the year. The promotion decision, the subjects
    to re-test and the award are only set for the year."""

    learning: Level | None
    learning_base: Level | None
    conduct: Level | None
    days_absent: int
    missing: tuple[Missing, ...]
    promotion: secondary.PromotionOutcome | None = None
    promotion_reason: str = ""
    retest_subjects: tuple[str, ...] = ()
    award: Award | None = None
    # Year only, for a learner sent to the summer: the decision at the end of the
    # year (``summer_outcome``, ``summer_subjects``); ``promotion`` is then the
    # re-evaluated decision once what the summer needs is entered, with the
    # re-evaluated learning and conduct results; ``summer_missing`` what is not yet.
    summer_outcome: secondary.PromotionOutcome | None = None
    summer_subjects: tuple[str, ...] = ()
    summer_learning: Level | None = None
    summer_conduct: Level | None = None
    summer_missing: tuple[Missing, ...] = ()


@dataclass(frozen=True)
class LearnerOutcome:
    """``subjects[(code, period)]`` and ``periods[period]`` for periods 1, 2 and
    ``YEAR`` (0), computed with ``rule_set``."""

    subjects: Mapping[tuple[str, int], SubjectOutcome]
    periods: Mapping[int, PeriodOutcome]
    rule_set: str


def _missing(*values: Any) -> tuple[Missing, ...]:
    items: dict[Missing, None] = {}  # ordered, each once
    for value in values:
        if isinstance(value, Incomplete):
            for item in value.missing:
                items.setdefault(item, None)
    return tuple(items)


def _subject_outcome(value: Any) -> SubjectOutcome:
    if isinstance(value, secondary.Average):
        return SubjectOutcome(average=value.value)
    if isinstance(value, secondary.CommentResult):
        return SubjectOutcome(rating=value.value)
    return SubjectOutcome(missing=_missing(value))


def _term_value(
    rules: SecondaryRules, subject: SubjectSpec, term: int, scores: TermScores | None
) -> Any:
    label = rules.info.label
    if not subject.scored:
        scores = scores or TermScores()
        rating = comment_term_rating(
            scores.mid_term_rating, scores.end_of_term_rating, scores.rating
        )
        if rating is not None:
            return secondary.CommentResult(rating, label)
        if scores.mid_term_rating is None and scores.end_of_term_rating is None:
            return Incomplete((Missing(MISSING_COMMENT, subject.code, term),), label)
        what = MISSING_MID_TERM_RATING if scores.mid_term_rating is None else (
            MISSING_END_OF_TERM_RATING)  # fmt: skip
        return Incomplete((Missing(what, subject.code, term),), label)
    scores = scores or TermScores()
    expected = secondary.regular_count(rules, subject.periods_per_year)
    return secondary.semester_average(
        rules,
        subject=subject.code,
        term=term,
        regular=list(scores.regular[:expected]),
        mid_term=scores.mid_term,
        end_of_term=scores.end_of_term,
        periods_per_year=subject.periods_per_year,
    )


def _learning(value: Any) -> tuple[Level | None, Level | None]:
    if isinstance(value, secondary.LearningResult):
        return value.level, value.base_level
    return None, None


def learner_outcome(
    rules: SecondaryRules, subjects: Sequence[SubjectSpec], data: LearnerData
) -> LearnerOutcome:
    """A learner's subject results, learning and conduct results per term and for the
    year, days absent, promotion decision and award, by the rule set ``rules``.

    A subject with a missing score, a term without conduct, leave results incomplete
    (None) with ``missing`` naming what to enter; nothing is guessed.
    """
    label = rules.info.label
    by_term: dict[int, dict[str, Any]] = {1: {}, 2: {}}
    year: dict[str, Any] = {}
    out_subjects: dict[tuple[str, int], SubjectOutcome] = {}
    for subject in subjects:
        for term in TERMS:
            value = _term_value(rules, subject, term, data.scores.get((subject.code, term)))
            by_term[term][subject.code] = value
            out_subjects[(subject.code, term)] = _subject_outcome(value)
        combine = secondary.year_average if subject.scored else secondary.comment_year_result
        year[subject.code] = combine(
            rules,
            subject=subject.code,
            semester_1=by_term[1][subject.code],
            semester_2=by_term[2][subject.code],
        )
        out_subjects[(subject.code, YEAR)] = _subject_outcome(year[subject.code])

    periods: dict[int, PeriodOutcome] = {}
    days = {term: parse_count(data.days_absent.get(term) or 0) for term in TERMS}
    for term in TERMS:
        learning = secondary.learning_result(rules, by_term[term], term=term)
        conduct = data.conduct.get(term)
        missing = _missing(learning)
        if conduct is None:
            missing += (Missing(MISSING_CONDUCT, "", term),)
        level, base = _learning(learning)
        periods[term] = PeriodOutcome(level, base, conduct, days[term], missing)

    learning = secondary.learning_result(rules, year)
    conduct_year = secondary.conduct_year(
        rules, semester_1=data.conduct.get(1), semester_2=data.conduct.get(2)
    )
    total_days = days[1] + days[2]
    decision = secondary.promotion_decide(
        rules, conduct=conduct_year, learning=learning, days_absent=total_days, year_results=year
    )
    award = secondary.award(rules, conduct=conduct_year, learning=learning, year_results=year)
    summer = _summer(rules, decision, year, conduct_year, total_days, data.summer)
    if summer.get("decision") is not None:
        decision = summer["decision"]
    level, base = _learning(learning)
    periods[YEAR] = PeriodOutcome(
        learning=level,
        learning_base=base,
        conduct=conduct_year.level if isinstance(conduct_year, secondary.ConductResult) else None,
        days_absent=total_days,
        missing=_missing(learning, conduct_year, decision, award),
        promotion=decision.outcome if isinstance(decision, secondary.PromotionDecision) else None,
        promotion_reason=decision.reason
        if isinstance(decision, secondary.PromotionDecision)
        else "",
        retest_subjects=decision.retest_subjects
        if isinstance(decision, secondary.PromotionDecision)
        else (),
        award=award.award if isinstance(award, secondary.AwardResult) else None,
        summer_outcome=summer.get("outcome"),
        summer_subjects=summer.get("subjects", ()),
        summer_learning=summer.get("learning"),
        summer_conduct=summer.get("conduct"),
        summer_missing=summer.get("missing", ()),
    )
    return LearnerOutcome(out_subjects, periods, label)


SUMMER_OUTCOMES = (secondary.PromotionOutcome.RETESTS, secondary.PromotionOutcome.CONDUCT_TRAINING)


def _summer(
    rules: SecondaryRules,
    decision: Any,
    year: Mapping[str, Any],
    conduct: Any,
    days_absent: int,
    summer: SummerData | None,
) -> dict[str, Any]:
    """For a learner sent to the summer: the end-of-year decision, and the decision
    re-evaluated with what the summer gave (``promotion_reevaluate``) once it is
    complete. Re-tests of subjects no longer required (the gradebook changed since)
    are left out."""
    if not isinstance(decision, secondary.PromotionDecision):
        return {}
    if decision.outcome not in SUMMER_OUTCOMES:
        return {}
    out: dict[str, Any] = {"outcome": decision.outcome, "subjects": decision.retest_subjects}
    summer = summer or SummerData()
    retests = {s: v for s, v in summer.retests.items() if s in decision.retest_subjects}
    result = secondary.promotion_reevaluate(
        rules, decision=decision, year_results=year,
        conduct=conduct.level if isinstance(conduct, secondary.ConductResult) else conduct,
        days_absent=days_absent, retests=retests or None,
        conduct_after_training=summer.conduct,
    )  # fmt: skip
    if isinstance(result, Incomplete):
        out["missing"] = result.missing
        return out
    if isinstance(result.decision, Incomplete):
        out["missing"] = result.decision.missing
        return out
    learning, _base = _learning(result.learning)
    out |= {
        "decision": result.decision,
        "learning": learning,
        "conduct": result.conduct.level
        if isinstance(result.conduct, secondary.ConductResult) else None,
    }  # fmt: skip
    if result.decision.outcome == secondary.PromotionOutcome.RETESTS:
        # Conduct re-evaluated at least Đạt: the re-tests follow.
        out["missing"] = tuple(Missing(MISSING_RETEST, s) for s in result.decision.retest_subjects)
    return out


# --- class summaries --------------------------------------------------------------

INCOMPLETE = "incomplete"


def level_counts(values: Iterable[str | None]) -> dict[str, int]:
    """How many learners have each result (Tốt, Khá, Đạt, Chưa đạt) and how many are
    not complete yet, always with every key: ``{"tot": 3, …, "incomplete": 1}``."""
    counts = {level.value: 0 for level in reversed(Level)}
    counts[INCOMPLETE] = 0
    for value in values:
        counts[value if value in counts else INCOMPLETE] += 1
    return counts


def percent(part: int, whole: int) -> Decimal:
    """``part`` of ``whole`` in percent, one decimal, half up (0 when ``whole`` is 0)."""
    return Decimal("0.0") if whole == 0 else divide_half_up(100 * part, whole, 1)
