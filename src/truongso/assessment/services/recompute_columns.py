"""The bulk recompute's computation in columns: a class's learners (their gradebook
rows as read by ``results._learner_rows`` or ``recompute_read``) turned into integer
columns, evaluated at once by ``rules.bulk_secondary`` (the Circular 22 rules from the
rule set's parameters), and written out as the result rows — the same values
``learner_outcome`` gives and ``results_recompute`` stores.

Learners the columns do not cover (an incomplete result, summer entries, a value the
columns cannot hold exactly; see rules/bulk_secondary.py) are computed one by one with
``learner_outcome``, as before, and counted.

Pure computation on plain data (runs in worker processes); no database access.
"""

from __future__ import annotations

import hashlib
import json
from itertools import chain, zip_longest
from typing import Any

import numpy as np

from truongso.assessment.rules import bulk_secondary as bulk
from truongso.assessment.rules.common import MISSING_CONDUCT_AFTER_TRAINING, MISSING_RETEST
from truongso.assessment.rules.labels import Level
from truongso.assessment.selectors.gradebook import ClassContext
from truongso.imports.bulk import copy_text

# (rule-set label, subject specs) → Plan; NotCovered parameters map to None.
_PLANS: dict[tuple, bulk.Plan | None] = {}
_PASS = {"": 0, None: 0, "dat": bulk.PASSED, "chua_dat": bulk.NOT_PASSED}
_LEVEL = {level.value: level.rank for level in Level}
_LEVEL[""] = bulk.NONE


def class_plan(context: ClassContext) -> bulk.Plan | None:
    """The columns of the class's subjects under its rule set (None: not covered)."""
    key = (context.rule_set.label, id(context.rules), tuple(s.spec for s in context.subjects))
    if key not in _PLANS:
        try:
            _PLANS[key] = bulk.plan(context.rules, [s.spec for s in context.subjects])
        except bulk.NotCovered:
            _PLANS[key] = None
    return _PLANS[key]


def class_columns(
    context: ClassContext, plan: bulk.Plan, learners: list[tuple[int, Any]]
) -> bulk.Columns:
    """The columns of ``learners`` ((learner id, _Raw rows)) of the class: scores by
    subject and term, conduct, days absent (the last row of a term counts, as in
    ``results._learner_data``) and the subjects each takes."""
    n = len(learners)
    columns = bulk.Columns.empty(n, plan)
    subject_index = {s.subject.pk: k for k, s in enumerate(context.subjects)}
    term_index = {t.pk: n - 1 for n, t in context.terms.items() if n in (1, 2)}
    places = plan.rules.score_scale.places
    width = plan.width
    masks: dict[Any, list[bool]] = {}
    fallback = columns.fallback
    takes = []
    rows: list[tuple] = []
    owners: list[int] = []
    for i, (learner_id, raw) in enumerate(learners):
        chosen = context.electives.get(learner_id)
        mask = masks.get(chosen)
        if mask is None:
            own = {s.subject.pk for s in context.subjects_of(learner_id)}
            mask = masks[chosen] = [s.subject.pk in own for s in context.subjects]
        takes.append(mask)
        if raw.summer is not None:
            fallback[i] = True
        rows.extend(raw.scores)
        owners.extend([i] * len(raw.scores))
        for term_id, level in raw.conduct:
            t = term_index.get(term_id)
            rank = _LEVEL.get(level or "")
            if rank is None:
                fallback[i] = True
            elif t is not None:
                columns.conduct[i, t] = rank
        for term_id, excused, unexcused in raw.days:
            t = term_index.get(term_id)
            if t is not None:
                columns.days[i, t] = excused + unexcused
    columns.takes[:] = np.array(takes, dtype=bool).reshape(columns.takes.shape)
    if rows:
        _scores_into(columns, rows, owners, subject_index, term_index, places, width)
    return columns


def _codes(values, mapping: dict[Any, int]) -> np.ndarray:
    """``mapping[value]`` for each value, NaN where there is none, as floats."""
    return np.array(list(map(mapping.get, values)), dtype=float)


def _scores_into(columns: bulk.Columns, rows, owners, subject_index, term_index, places: int,
                 width: int) -> None:  # fmt: skip
    """The score rows ((subject, term, regular, mid-term, end-of-term, rating[, mid-term
    rating, end-of-term rating])) into the columns, column by column: a row whose subject
    or term is not the class's is left out; a learner with a value the columns cannot
    hold exactly falls back to the one-by-one rules."""
    known = _known(places)
    subject, term, regular, mid, end, rating, mid_rating, end_rating = zip_longest(
        *rows, fillvalue=""
    )
    k = _codes(subject, subject_index)
    t = _codes(term, term_index)
    owner = np.array(owners, dtype=np.int64)
    keep = ~(np.isnan(k) | np.isnan(t))
    # Regular scores: the first ``width`` of each row, flattened, then padded with NONE.
    cut = [r[:width] if r else () for r in regular]
    lengths = np.fromiter(map(len, cut), dtype=np.int64, count=len(cut))
    flat = list(chain.from_iterable(cut))
    try:
        units = _codes(flat, known)
        marks = np.stack([_codes(mid, known), _codes(end, known)])
    except TypeError:  # an unhashable value: every value the slow way
        units = np.full(len(flat), np.nan)
        marks = np.full((2, len(rows)), np.nan)
    for where in np.flatnonzero(np.isnan(units)):  # not seen yet, or not exact
        units[where] = _units_or_nan(flat[where], places)
    for p, values in enumerate((mid, end)):
        for where in np.flatnonzero(np.isnan(marks[p])):
            marks[p, where] = _units_or_nan(values[where], places)
    codes = np.stack([_codes(rating, _PASS), _codes(mid_rating, _PASS),
                      _codes(end_rating, _PASS)])  # fmt: skip
    starts = np.cumsum(lengths) - lengths
    bad_regular = np.zeros(len(rows), dtype=bool)
    if len(flat):
        row_of = np.repeat(np.arange(len(rows)), lengths)
        np.logical_or.at(bad_regular, row_of, np.isnan(units))
    bad = keep & (bad_regular | np.isnan(marks).any(axis=0) | np.isnan(codes).any(axis=0))
    columns.fallback[owner[bad]] = True
    keep &= ~bad
    index = (owner[keep], k[keep].astype(np.int64), t[keep].astype(np.int64))
    if width and len(flat):
        grid = np.full((len(rows), width), bulk.NONE, dtype=np.int64)
        position = np.arange(len(flat)) - np.repeat(starts, lengths)
        grid[row_of, position] = np.nan_to_num(units, nan=bulk.NONE).astype(np.int64)
        columns.regular[index] = grid[keep]
    marks = np.nan_to_num(marks, nan=bulk.NONE).astype(np.int64)
    codes = np.nan_to_num(codes, nan=0).astype(np.int64)
    columns.mid_term[index] = marks[0][keep]
    columns.end_of_term[index] = marks[1][keep]
    columns.rating[index] = codes[0][keep]
    columns.mid_term_rating[index] = codes[1][keep]
    columns.end_of_term_rating[index] = codes[2][keep]


def _units_or_nan(value: Any, places: int) -> float:
    try:
        units = _units(value, places)
    except TypeError:
        return np.nan
    return np.nan if units is None else units


# Stored score → units of the scale, per number of places: every score seen (text from
# JSON or Decimal), and None/"" for "not entered". Inexact values are not kept.
_KNOWN: dict[int, dict[Any, int]] = {}


def _known(places: int) -> dict[Any, int]:
    known = _KNOWN.get(places)
    if known is None or len(known) > 100_000:
        known = _KNOWN[places] = {None: bulk.NONE, "": bulk.NONE}
    return known


def _units(value: Any, places: int) -> int | None:
    """A stored score in units of the scale (None: not exact), remembered."""
    known = _known(places)
    if value in known:
        return known[value]
    units = bulk._score_units(value, places)
    if units is not None:
        known[value] = units
    return units


# --- the input fingerprint ----------------------------------------------------------------


def learner_digest(context: ClassContext, raw: Any, learner_id: int, cache: dict) -> str:
    """``results.inputs_digest(context, raw, learner_id)``, the same text hashed the same
    way, with the part that is the same for the class's learners (rule set, class, the
    subjects each takes) made once per class and choice of electives (``cache``)."""
    chosen = context.electives.get(learner_id)
    key = (context.school_class.pk, chosen)
    head = cache.get(key)
    if head is None:
        subjects = [(s.subject.pk, s.scored, s.periods_per_year)
                    for s in context.subjects_of(learner_id)]  # fmt: skip
        head = cache[key] = (
            f"({context.rule_set.label!r}, {context.school_class.pk!r}, {subjects!r}, "
        )
    text = (f"{head}{sorted(raw.scores)!r}, {sorted(raw.conduct)!r}, {sorted(raw.days)!r}, "
            f"{raw.summer!r})")  # fmt: skip
    return hashlib.blake2b(text.encode(), digest_size=16).hexdigest()


# --- result rows as COPY text --------------------------------------------------------

_PASS_TEXT = ("", "dat", "chua_dat")
_LEVEL_TEXT = {rank: level.value for level in Level for rank in [level.rank]}
_LEVEL_TEXT[bulk.NONE] = ""


def _json(value: list) -> str:
    return copy_text(json.dumps(value, ensure_ascii=False)) if value else "[]"


def class_text(
    context: ClassContext,
    learners: list[tuple[int, str]],
    outcomes: bulk.Outcomes,
    columns: bulk.Columns,
    rows: list[int],
    now_text: str,
) -> tuple[list[str], list[str], list[str]]:
    """COPY lines of the subject, term and year results of ``rows`` (covered learners,
    indexes into ``learners``: (learner id, input fingerprint)), in the columns of
    ``recompute_all._columns()``, the values as ``results_recompute`` stores them."""
    plan = outcomes.plan
    school_class = context.school_class
    label = copy_text(context.rule_set.label)
    head = f"{school_class.institution_id}\t{school_class.pk}\t"
    year_id = school_class.school_year_id
    averages = outcomes.average_text()
    subject_ids = [s.subject.pk for s in context.subjects]
    codes = [s.code for s in context.subjects]
    term_ids = [context.terms[n].pk for n in (1, 2)]
    tail = f"\t[]\t{label}\t{now_text}\n"
    # Per subject and period: the row's text after the learner, by its value.
    scored_tail = [
        [(f"\t{year_id}\t{sid}\t{period}\t", f"\t\t[]\t{label}\t{now_text}\n")
         for period in bulk.PERIODS] for sid in subject_ids
    ]  # fmt: skip
    comment_text = [
        [[f"\t{year_id}\t{sid}\t{period}\t\\N\t{_PASS_TEXT[code]}{tail}" for code in range(3)]
         for period in bulk.PERIODS] for sid in subject_ids
    ]  # fmt: skip
    subject_lines: list[str] = []
    term_lines: list[str] = []
    year_lines: list[str] = []
    average = outcomes.average.tolist()
    rating = outcomes.rating.tolist()
    learning = outcomes.learning.tolist()
    base = outcomes.learning_base.tolist()
    conduct = outcomes.conduct.tolist()
    days = outcomes.days.tolist()
    takes = columns.takes.tolist()
    scored = plan.scored.tolist()
    order = plan.order
    promotion = outcomes.promotion.tolist()
    award = outcomes.award.tolist()
    summer = outcomes.summer.tolist()
    summer_missing = outcomes.summer_missing.tolist()
    summer_learning = outcomes.summer_learning.tolist()
    summer_conduct = outcomes.summer_conduct.tolist()
    retest = outcomes.retest
    level_text = _LEVEL_TEXT
    for i in rows:
        learner_id, digest = learners[i]
        start = f"{head}{learner_id}"
        mine = takes[i]
        for k in range(len(subject_ids)):
            if not mine[k]:
                continue
            if scored[k]:
                texts = scored_tail[k]
                values = average[i][k]
                for p in range(3):
                    before, after = texts[p]
                    subject_lines.append(f"{start}{before}{averages[values[p]]}{after}")
            else:
                texts = comment_text[k]
                values = rating[i][k]
                for p in range(3):
                    subject_lines.append(f"{start}{texts[p][values[p]]}")
        for p in range(2):
            term_lines.append(
                f"{start}\t{year_id}\t{term_ids[p]}\t{level_text[learning[i][p]]}\t"
                f"{level_text[base[i][p]]}\t{level_text[conduct[i][p]]}\t{days[i][p]}{tail}"
            )
        outcome = bulk.PROMOTIONS[promotion[i]]
        retests = [codes[k] for k in order if retest[i, k]] if summer[i] else []
        missing: list[dict[str, Any]] = []
        if summer_missing[i] == bulk.SUMMER_MISSING_RETESTS:
            missing = [{"what": MISSING_RETEST, "subject": code} for code in retests]
        elif summer_missing[i] == bulk.SUMMER_MISSING_CONDUCT:
            missing = [{"what": MISSING_CONDUCT_AFTER_TRAINING}]
        year_lines.append(
            f"{start}\t{year_id}\t{level_text[learning[i][2]]}\t{level_text[base[i][2]]}\t"
            f"{level_text[conduct[i][2]]}\t{days[i][2]}\t[]\t{label}\t{outcome.value}\t"
            f"{'absences' if promotion[i] == bulk.REPEAT else ''}\t{_json(retests)}\t"
            f"{bulk.AWARDS[award[i]] or ''}\t{outcome.value if summer[i] else ''}\t"
            f"{_json(retests)}\t{level_text[summer_learning[i]]}\t"
            f"{level_text[summer_conduct[i]]}\t{_json(missing)}\t{digest}\t{now_text}\n"
        )
    return subject_lines, term_lines, year_lines


def evaluate_class(
    context: ClassContext, learners: list[tuple[int, Any]]
) -> tuple[bulk.Outcomes | None, bulk.Columns | None]:
    """The class's learners evaluated in columns (None, None: the rule set's parameters
    are not covered; every learner is then computed one by one)."""
    plan = class_plan(context)
    if plan is None or not learners:
        return None, None
    columns = class_columns(context, plan, learners)
    return bulk.evaluate(plan, columns), columns


def evaluate_classes(
    classes: list[tuple[ClassContext, list[tuple[int, Any]]]],
) -> list[tuple[bulk.Outcomes | None, bulk.Columns | None]]:
    """``evaluate_class`` of each (context, learners), the classes sharing a plan (rule
    set and subjects) evaluated together: one evaluation of the columns a plan rather
    than one a class."""
    out: list[tuple[bulk.Outcomes | None, bulk.Columns | None]] = [(None, None)] * len(classes)
    groups: dict[int, list[tuple[int, bulk.Columns]]] = {}
    plans: dict[int, bulk.Plan] = {}
    for n, (context, learners) in enumerate(classes):
        plan = class_plan(context)
        if plan is None or not learners:
            continue
        plans[id(plan)] = plan
        groups.setdefault(id(plan), []).append((n, class_columns(context, plan, learners)))
    for key, members in groups.items():
        outcomes = bulk.evaluate(plans[key], bulk.Columns.concat([c for _n, c in members]))
        start = 0
        for n, columns in members:
            size = columns.takes.shape[0]
            out[n] = (outcomes.part(start, start + size), columns)
            start += size
    return out


def outcome_of(outcomes: bulk.Outcomes, columns: bulk.Columns, i: int):
    """Learner ``i``'s ``LearnerOutcome`` from the columns (covered learners)."""
    return outcomes.outcome(i, columns.takes[i])
