"""Evaluate learners given as plain JSON data with one rule set, storing nothing.

A school moving from other software feeds its learners' scores, conduct and
absences and compares our results with its old ones. The input and output shapes
are documented in docs/assessment-rules.md. Every value is checked first; a bad
value becomes a ``Problem`` naming the learner and the field, and nothing is
computed until the input is clean (``EvaluationError``). Missing values are not
problems: they give incomplete results that say what is missing.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum
from typing import Any, TypeVar

from truongso.assessment.rules import primary, secondary, vocational
from truongso.assessment.rules.common import (
    MISSING_COMMENT,
    MISSING_SEMESTER,
    NOT_POSITIVE,
    RETEST_NOT_REQUIRED,
    TOO_MANY_REGULAR,
    UNKNOWN_LABEL,
    Incomplete,
    InvalidInput,
    Missing,
    ScoreScale,
    parse_count,
    parse_score,
)
from truongso.assessment.rules.labels import (
    Level,
    Pass,
    QualityRating,
    SubjectRating,
    parse_label,
)
from truongso.assessment.rules.parameters import (
    PrimaryRules,
    Rules,
    SecondaryRules,
    VocationalRules,
)

# Problem codes besides InvalidInput's.
WRONG_TYPE = "wrong_type"  # details: expected ("object", "list", "text", "boolean")
UNKNOWN_FIELD = "unknown_field"
REQUIRED = "required"
DUPLICATE_ID = "duplicate_id"
MIXED_KINDS = "mixed_kinds"  # a subject scored in one semester, comment-only in the other
SUMMER_NOT_NEEDED = "summer_not_needed"
NOT_JSON = "not_json"


@dataclass(frozen=True)
class Problem:
    """A bad value: learner ``index`` (its ``learner`` id) and the ``path`` of the
    field inside it (``"subjects.Toán.semester_1.mid_term"``)."""

    index: int | None
    learner: str
    path: str
    code: str
    details: dict[str, Any] = field(default_factory=dict)


class EvaluationError(ValueError):
    def __init__(self, problems: list[Problem]) -> None:
        super().__init__(problems)
        self.problems = problems


E = TypeVar("E", bound=StrEnum)


class _Bad(Exception):
    """Raised inside a learner's parsing; turned into a Problem."""

    def __init__(self, path: str, code: str, **details: Any) -> None:
        super().__init__(path, code)
        self.path = path
        self.code = code
        self.details = details


def _join(path: str, key: Any) -> str:
    if isinstance(key, int):
        return f"{path}[{key}]"
    return f"{path}.{key}" if path else str(key)


def _obj(value: Any, path: str, allowed: tuple[str, ...] | None = None) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise _Bad(path, WRONG_TYPE, expected="object")
    if allowed is not None:
        for key in value:
            if key not in allowed:
                raise _Bad(_join(path, key), UNKNOWN_FIELD, allowed=allowed)
    return value


def _check(path: str, parse: Callable[[], Any]) -> Any:
    try:
        return parse()
    except InvalidInput as error:
        details = {k: v for k, v in error.details.items() if k != "field"}
        raise _Bad(path, error.code, **details)


def _score_at(scale: ScoreScale, value: Any, path: str) -> Decimal | None:
    """A score, or None when not given (an incomplete result, not a problem)."""
    return None if value is None else _check(path, lambda: parse_score(value, scale))


def _label_at(kind: type[E], value: Any, path: str) -> E | None:
    return None if value is None else _check(path, lambda: parse_label(kind, value))


def _bool(value: Any, path: str) -> bool:
    if value is None:
        return False
    if not isinstance(value, bool):
        raise _Bad(path, WRONG_TYPE, expected="boolean")
    return value


def _text(value: Decimal | None) -> str | None:
    return None if value is None else str(value)


Describe = Callable[[Missing], str]


def describe_plainly(item: Missing) -> str:
    """A language-neutral description (the interface passes a translated one)."""
    parts = [item.what, item.subject, "" if item.term is None else str(item.term)]
    return ":".join(parts)


class _Collector:
    """Gathers the missing items of one learner, each once, in order found."""

    def __init__(self) -> None:
        self.items: list[Missing] = []

    def add(self, result: Any) -> Any:
        if isinstance(result, Incomplete):
            for item in result.missing:
                if item not in self.items:
                    self.items.append(item)
        return result


# --- secondary --------------------------------------------------------------------

SECONDARY_FIELDS = ("id", "subjects", "conduct", "days_absent", "summer")
TERMS = (1, 2)


@dataclass
class _Subject:
    name: str
    scored: bool
    periods: int | None = None
    # term → None (missing), Pass (comment) or (regular, mid_term, end_of_term)
    terms: dict[int, Any] = field(default_factory=dict)


def _secondary_subject(rules: SecondaryRules, name: str, value: Any, path: str) -> _Subject:
    data = _obj(value, path, ("periods_per_year", "semester_1", "semester_2"))
    kinds = set()
    terms: dict[int, Any] = {}
    for term in TERMS:
        key = f"semester_{term}"
        here = _join(path, key)
        entry = data.get(key)
        if entry is None:
            terms[term] = None
        elif isinstance(entry, str):
            kinds.add("comment")
            terms[term] = _label_at(Pass, entry, here)
        else:
            kinds.add("scored")
            scores = _obj(entry, here, ("regular", "mid_term", "end_of_term"))
            regular = scores.get("regular", [])
            if not isinstance(regular, list):
                raise _Bad(_join(here, "regular"), WRONG_TYPE, expected="list")
            parsed = [
                _score_at(rules.score_scale, v, _join(_join(here, "regular"), i))
                for i, v in enumerate(regular)
            ]
            mid = _score_at(rules.score_scale, scores.get("mid_term"), _join(here, "mid_term"))
            end = _score_at(
                rules.score_scale, scores.get("end_of_term"), _join(here, "end_of_term")
            )
            terms[term] = (parsed, mid, end)
    if len(kinds) > 1:
        raise _Bad(path, MIXED_KINDS)
    periods = None
    if data.get("periods_per_year") is not None:
        here = _join(path, "periods_per_year")
        periods = _check(here, lambda: parse_count(data["periods_per_year"]))
        expected = _check(here, lambda: secondary.regular_count(rules, periods))
        for term in TERMS:
            if isinstance(terms[term], tuple):
                given = sum(1 for v in terms[term][0] if v is not None)
                if given > expected:
                    raise _Bad(_join(_join(path, f"semester_{term}"), "regular"),
                               TOO_MANY_REGULAR, count=given, expected=expected,
                               periods=periods)  # fmt: skip
    return _Subject(name, scored=kinds != {"comment"}, periods=periods, terms=terms)


def _secondary_parse(rules: SecondaryRules, data: dict[str, Any]) -> dict[str, Any]:
    subjects = []
    raw_subjects = data.get("subjects")
    if raw_subjects is not None:
        for name, value in _obj(raw_subjects, "subjects").items():
            if not name.strip():
                raise _Bad("subjects", REQUIRED, what="subject name")
            subjects.append(_secondary_subject(rules, name, value, _join("subjects", name)))
    conduct = {1: None, 2: None}
    if data.get("conduct") is not None:
        raw = _obj(data["conduct"], "conduct", ("semester_1", "semester_2"))
        for term in TERMS:
            key = f"semester_{term}"
            conduct[term] = _label_at(Level, raw.get(key), _join("conduct", key))
    days = None
    if data.get("days_absent") is not None:
        days = _check("days_absent", lambda: parse_count(data["days_absent"]))
    summer = None
    if data.get("summer") is not None:
        raw = _obj(data["summer"], "summer", ("retests", "conduct"))
        retests = {}
        if raw.get("retests") is not None:
            names = {s.name: s for s in subjects}
            for name, value in _obj(raw["retests"], "summer.retests").items():
                here = _join("summer.retests", name)
                subject = names.get(name)
                if subject is None:
                    raise _Bad(here, RETEST_NOT_REQUIRED, subject=name)
                if value is None:
                    continue
                if subject.scored:
                    retests[name] = _score_at(rules.score_scale, value, here)
                else:
                    retests[name] = _label_at(Pass, value, here)
        after = _label_at(Level, raw.get("conduct"), "summer.conduct")
        summer = {"retests": retests if raw.get("retests") is not None else None,
                  "conduct": after}  # fmt: skip
    return {"subjects": subjects, "conduct": conduct, "days_absent": days, "summer": summer}


def _value_out(value: Any) -> str | None:
    if isinstance(value, secondary.Average):
        return str(value.value)
    if isinstance(value, secondary.CommentResult):
        return value.value.value
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, Pass):
        return value.value
    return None


def _promotion_out(decision: Any) -> dict[str, Any] | None:
    if not isinstance(decision, secondary.PromotionDecision):
        return None
    return {
        "outcome": decision.outcome.value,
        "reason": decision.reason or None,
        "retest_subjects": list(decision.retest_subjects),
    }


def _secondary_learner(rules: SecondaryRules, parsed: dict[str, Any], describe: Describe) -> dict:
    label = rules.info.label
    found = _Collector()
    by_term: dict[int, dict[str, Any]] = {1: {}, 2: {}}
    year: dict[str, Any] = {}
    subjects_out: dict[str, dict[str, Any]] = {}
    for subject in parsed["subjects"]:
        name = subject.name
        for term in TERMS:
            entry = subject.terms[term]
            if entry is None:
                what = MISSING_SEMESTER if subject.scored else MISSING_COMMENT
                result: Any = Incomplete((Missing(what, name, term),), label)
            elif isinstance(entry, Pass):
                result = secondary.CommentResult(entry, label)
            else:
                regular, mid, end = entry
                result = secondary.semester_average(
                    rules, subject=name, term=term, regular=regular, mid_term=mid,
                    end_of_term=end, periods_per_year=subject.periods,
                )  # fmt: skip
            by_term[term][name] = found.add(result)
        if subject.scored:
            year[name] = secondary.year_average(
                rules, subject=name, semester_1=by_term[1][name], semester_2=by_term[2][name]
            )
        else:
            year[name] = secondary.comment_year_result(
                rules, subject=name, semester_1=by_term[1][name], semester_2=by_term[2][name]
            )
        found.add(year[name])
        subjects_out[name] = {
            "semester_1": _value_out(by_term[1][name]),
            "semester_2": _value_out(by_term[2][name]),
            "year": _value_out(year[name]),
        }
    learning = {
        "semester_1": secondary.learning_result(rules, by_term[1], term=1),
        "semester_2": secondary.learning_result(rules, by_term[2], term=2),
        "year": secondary.learning_result(rules, year),
    }
    for value in learning.values():
        found.add(value)
    conduct = secondary.conduct_year(
        rules, semester_1=parsed["conduct"][1], semester_2=parsed["conduct"][2]
    )
    found.add(conduct)
    decision = found.add(
        secondary.promotion_decide(
            rules,
            conduct=conduct,
            learning=learning["year"],
            days_absent=parsed["days_absent"],
            year_results=year,
        )  # fmt: skip
    )
    award = found.add(
        secondary.award(rules, conduct=conduct, learning=learning["year"], year_results=year)
    )
    out: dict[str, Any] = {
        "subjects": subjects_out,
        "learning_result": {
            period: value.level.value if isinstance(value, secondary.LearningResult) else None
            for period, value in learning.items()
        },
        "learning_result_adjusted": [
            period for period, value in learning.items()
            if isinstance(value, secondary.LearningResult) and value.adjusted
        ],  # fmt: skip
        "conduct": {
            "semester_1": _level_out(parsed["conduct"][1]),
            "semester_2": _level_out(parsed["conduct"][2]),
            "year": conduct.level.value if isinstance(conduct, secondary.ConductResult) else None,
        },
        "days_absent": parsed["days_absent"],
        "promotion": _promotion_out(decision),
        "award": award.award.value if isinstance(award, secondary.AwardResult) and award.award
        else None,
    }  # fmt: skip
    summer = parsed["summer"]
    if summer is not None:
        out["summer"] = _secondary_summer(rules, decision, year, conduct, parsed, summer, found)
    out["incomplete"] = [describe(item) for item in found.items]
    return out


def _level_out(value: Level | None) -> str | None:
    return None if value is None else value.value


def _secondary_summer(rules, decision, year, conduct, parsed, summer, found) -> dict | None:
    if isinstance(decision, Incomplete):
        return None
    if decision.outcome not in (
        secondary.PromotionOutcome.CONDUCT_TRAINING,
        secondary.PromotionOutcome.RETESTS,
    ):
        raise _Bad("summer", SUMMER_NOT_NEEDED, outcome=decision.outcome.value)
    try:
        result = secondary.promotion_reevaluate(
            rules, decision=decision, year_results=year, conduct=conduct,
            days_absent=parsed["days_absent"], retests=summer["retests"],
            conduct_after_training=summer["conduct"],
        )  # fmt: skip
    except InvalidInput as error:
        subject = error.details.get("subject") or error.details.get("field", "")
        raise _Bad(_join("summer.retests", subject), error.code, subject=subject)
    found.add(result)
    if isinstance(result, Incomplete):
        return None
    found.add(result.decision)
    retested = decision.retest_subjects if summer["retests"] is not None else ()
    return {
        "subjects": {s: {"year": _value_out(result.year_results[s])} for s in retested},
        "learning_result": result.learning.level.value
        if isinstance(result.learning, secondary.LearningResult) else None,
        "conduct": result.conduct.level.value
        if isinstance(result.conduct, secondary.ConductResult) else None,
        "promotion": _promotion_out(result.decision),
    }  # fmt: skip


# --- primary ----------------------------------------------------------------------

PRIMARY_FIELDS = ("id", "subjects", "qualities", "class_nominated")


def _primary_parse(rules: PrimaryRules, data: dict[str, Any]) -> dict[str, Any]:
    subjects: dict[str, Any] = {}
    tests: dict[str, Any] = {}
    if data.get("subjects") is not None:
        for name, value in _obj(data["subjects"], "subjects").items():
            path = _join("subjects", name)
            entry = _obj(value, path, ("rating", "test"))
            subjects[name] = _label_at(SubjectRating, entry.get("rating"), _join(path, "rating"))
            if "test" in entry:
                tests[name] = _score_at(rules.score_scale, entry["test"], _join(path, "test"))
    qualities: dict[str, Any] = {}
    if data.get("qualities") is not None:
        for name, value in _obj(data["qualities"], "qualities").items():
            qualities[name] = _label_at(QualityRating, value, _join("qualities", name))
    nominated = _bool(data.get("class_nominated"), "class_nominated")
    return {"subjects": subjects, "tests": tests, "qualities": qualities, "nominated": nominated}


def _primary_learner(rules: PrimaryRules, parsed: dict[str, Any], describe: Describe) -> dict:
    found = _Collector()
    outcome = found.add(
        primary.primary_outcome(
            rules,
            subjects=parsed["subjects"],
            qualities=parsed["qualities"],
            tests=parsed["tests"],
        )  # fmt: skip
    )
    award = primary.primary_award(rules, outcome=outcome, class_nominated=parsed["nominated"])
    return {
        "outcome": outcome.outcome.value
        if isinstance(outcome, primary.PrimaryOutcomeResult) else None,
        "award": award.award.value
        if isinstance(award, primary.PrimaryAwardResult) and award.award else None,
        "incomplete": [describe(item) for item in found.items],
    }  # fmt: skip


# --- vocational -------------------------------------------------------------------

VOCATIONAL_FIELDS = (
    "id", "programme", "year_average", "modules", "required_credits", "discipline_warning",
    "retaken_modules",
)  # fmt: skip
PROGRAMMES = ("year", "credit")


def _vocational_parse(rules: VocationalRules, data: dict[str, Any]) -> dict[str, Any]:
    programme = data.get("programme")
    if programme not in PROGRAMMES:
        raise _Bad("programme", REQUIRED if programme is None else UNKNOWN_LABEL,
                   value=programme, allowed=PROGRAMMES)  # fmt: skip
    parsed: dict[str, Any] = {
        "programme": programme,
        "discipline_warning": _bool(data.get("discipline_warning"), "discipline_warning"),
    }
    if programme == "year":
        for key in ("modules", "required_credits"):
            if key in data:
                raise _Bad(key, UNKNOWN_FIELD, allowed=("year_average", "retaken_modules"))
        parsed["year_average"] = _score_at(
            rules.score_scale, data.get("year_average"), "year_average"
        )
        parsed["retaken_modules"] = _check(
            "retaken_modules", lambda: parse_count(data.get("retaken_modules") or 0)
        )
        return parsed
    for key in ("year_average", "retaken_modules"):
        if key in data:
            raise _Bad(key, UNKNOWN_FIELD, allowed=("modules", "required_credits"))
    raw = data.get("modules")
    if raw is None:
        raw = []
    if not isinstance(raw, list):
        raise _Bad("modules", WRONG_TYPE, expected="list")
    attempts = []
    for i, item in enumerate(raw):
        path = _join("modules", i)
        entry = _obj(item, path, ("module", "credits", "semester", "score"))
        module = entry.get("module")
        if not isinstance(module, str) or not module.strip():
            raise _Bad(_join(path, "module"), REQUIRED, what="module")
        credits = _check(_join(path, "credits"), lambda e=entry: _positive(e.get("credits")))
        score = _score_at(rules.score_scale, entry.get("score"), _join(path, "score"))
        semester = entry.get("semester")
        if semester is not None and not isinstance(semester, str | int):
            raise _Bad(_join(path, "semester"), WRONG_TYPE, expected="text")
        attempts.append((vocational.ModuleAttempt(module, credits, score), semester))
    parsed["attempts"] = attempts
    required = data.get("required_credits")
    parsed["required_credits"] = None if required is None else _check(
        "required_credits", lambda: _positive(required))  # fmt: skip
    return parsed


def _positive(value: Any) -> int:
    if value is None:
        raise InvalidInput(REQUIRED, what="credits")
    number = parse_count(value)
    if number == 0:
        raise InvalidInput(NOT_POSITIVE, value=value)
    return number


def _classification_out(result: Any) -> dict[str, Any]:
    if not isinstance(result, vocational.Classification):
        return {"classification": None, "classification_before_downgrade": None,
                "downgrades": []}  # fmt: skip
    return {
        "classification": result.level.value,
        "classification_before_downgrade": result.base_level.value,
        "downgrades": list(result.downgrades),
    }


def _vocational_learner(rules: VocationalRules, parsed: dict[str, Any], describe: Describe):
    found = _Collector()
    warning = parsed["discipline_warning"]
    if parsed["programme"] == "year":
        result = found.add(
            vocational.year_classification(
                rules,
                year_average=parsed["year_average"],
                discipline_warning=warning,
                retaken_modules=parsed["retaken_modules"],
            )  # fmt: skip
        )
        return {
            "programme": "year",
            "year_average": _text(parsed["year_average"]),
            **_classification_out(result),
            "incomplete": [describe(item) for item in found.items],
        }
    attempts = [a for a, _semester in parsed["attempts"]]
    modules_out = []
    for attempt, semester in parsed["attempts"]:
        grade = found.add(vocational.module_grade(rules, attempt))
        graded = isinstance(grade, vocational.ModuleGrade)
        modules_out.append({
            "module": attempt.module,
            "semester": None if semester is None else str(semester),
            "credits": attempt.credits,
            "score": _text(attempt.score),
            "letter": grade.letter if graded else None,
            "points": str(grade.points) if graded else None,
        })  # fmt: skip
    semesters: dict[str, list[vocational.ModuleAttempt]] = {}
    for attempt, semester in parsed["attempts"]:
        if semester is not None:
            semesters.setdefault(str(semester), []).append(attempt)
    semester_gpa = {}
    for key, items in semesters.items():
        value = vocational.gpa(rules, items)
        semester_gpa[key] = str(value.value) if isinstance(value, vocational.Gpa) else None
    cumulative = found.add(vocational.cumulative_gpa(rules, attempts))
    retaken = vocational.retaken_modules(attempts)
    classification = vocational.credit_classification(
        rules, gpa_value=cumulative, discipline_warning=warning, retaken_modules=retaken
    )
    graduation = None
    if parsed["required_credits"] is not None:
        result = found.add(
            vocational.graduation(
                rules, attempts=attempts, required_credits=parsed["required_credits"]
            )
        )
        if isinstance(result, vocational.Graduation):
            graduation = {
                "eligible": result.eligible,
                "earned_credits": result.earned_credits,
                "required_credits": result.required_credits,
                "gpa": str(result.gpa),
                "reasons": list(result.reasons),
            }
    return {
        "programme": "credit",
        "modules": modules_out,
        "semester_gpa": semester_gpa,
        "cumulative_gpa": str(cumulative.value) if isinstance(cumulative, vocational.Gpa)
        else None,
        "retaken_modules": retaken,
        **_classification_out(classification),
        "graduation": graduation,
        "incomplete": [describe(item) for item in found.items],
    }  # fmt: skip


# --- the whole batch --------------------------------------------------------------

_ENGINES = {
    SecondaryRules: (SECONDARY_FIELDS, _secondary_parse, _secondary_learner),
    PrimaryRules: (PRIMARY_FIELDS, _primary_parse, _primary_learner),
    VocationalRules: (VOCATIONAL_FIELDS, _vocational_parse, _vocational_learner),
}


def _learner_id(data: dict[str, Any]) -> str:
    value = data.get("id")
    if isinstance(value, bool) or not isinstance(value, str | int) or not str(value).strip():
        raise _Bad("id", REQUIRED, what="id")
    return str(value).strip()


def evaluate(rules: Rules, data: Any, *, describe: Describe = describe_plainly) -> dict[str, Any]:
    """Evaluate ``{"learners": [...]}`` with ``rules``; raises EvaluationError listing
    every bad value. ``describe`` words the missing items of incomplete results."""
    fields, parse, compute = _ENGINES[type(rules)]
    if not isinstance(data, dict) or set(data) - {"learners"}:
        raise EvaluationError([Problem(None, "", "", WRONG_TYPE, {"expected": "learners"})])
    learners = data.get("learners")
    if not isinstance(learners, list):
        raise EvaluationError([Problem(None, "", "learners", WRONG_TYPE, {"expected": "list"})])
    problems: list[Problem] = []
    parsed: list[tuple[str, Any]] = []
    seen: set[str] = set()
    for index, raw in enumerate(learners):
        learner = ""
        try:
            entry = _obj(raw, "", fields)
            learner = _learner_id(entry)
            if learner in seen:
                raise _Bad("id", DUPLICATE_ID, value=learner)
            seen.add(learner)
            parsed.append((learner, parse(rules, entry)))
        except _Bad as bad:
            problems.append(Problem(index, learner, bad.path, bad.code, bad.details))
    if problems:
        raise EvaluationError(problems)
    results = []
    for index, (learner, values) in enumerate(parsed):
        try:
            results.append({"id": learner, **compute(rules, values, describe)})
        except _Bad as bad:
            problems.append(Problem(index, learner, bad.path, bad.code, bad.details))
    if problems:
        raise EvaluationError(problems)
    return {"rule_set": rules.info.label, "learners": results}
