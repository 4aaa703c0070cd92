"""Recomputing every term and year result of a school year, for whole institutions at
once (after a rule-set revision, a school's first closure, or to repair derived data).

The same results as ``results_recompute`` (services/results.py) for each class: the
same class context (rule set in force, subjects, terms), the same rows per learner,
the same stored values and input fingerprint. What differs is how the rows travel and
how the rules are evaluated:

- classes are taken in batches of 500, each batch read in a few queries
  (selectors/recompute.py, checked against the per-class readers);
- the results are evaluated in integer columns from the rule set's parameters
  (rules/bulk_secondary.py via services/recompute_columns.py); the learners the
  columns do not cover (incomplete results, summer entries …) are computed one by one
  with ``rules.gradebook.learner_outcome`` and counted;
- with ``workers`` the computation runs in worker processes (the workers never touch
  the database); by default it runs here, which costs less: the columns compute faster
  than the batch travels to a worker and back;
- the results of the learners whose inputs changed (all of them with ``force``) are
  replaced with COPY on PostgreSQL and ``bulk_create`` elsewhere, one transaction per
  batch, so that a run stopped half-way is finished by running it again (learners
  already done are skipped by their fingerprint).

Results are derived data: a run is audited once (who, when, which rule-set versions,
how many learners and rows), not row by row. See docs/results-recompute.md.
"""

from __future__ import annotations

import json
import logging
import time
from collections import Counter
from collections.abc import Callable, Iterable
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field, replace
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from truongso.academics.models import (
    SchoolClass,
    SchoolYear,
    Term,
)
from truongso.accounts.access import institutions_q, require, scope_for
from truongso.assessment.models import (
    LearnerTermResult,
    LearnerYearResult,
    SubjectResult,
)
from truongso.assessment.rules import gradebook as rules_gradebook
from truongso.assessment.rules.common import Missing
from truongso.assessment.selectors import recompute as recompute_read
from truongso.assessment.selectors.gradebook import ClassContext
from truongso.assessment.services import recompute_columns
from truongso.assessment.services.results import (
    SUBJECT_FIELDS,
    TERM_FIELDS,
    YEAR_FIELDS,
    _code,
    _learner_data,
    _Raw,
    missing_json,
)
from truongso.audit.services import audit_record
from truongso.imports.bulk import copy_lines, copy_text, uses_copy
from truongso.units.models import Institution

logger = logging.getLogger(__name__)

YEAR = rules_gradebook.YEAR
ACTION = "result.recompute_all"
# Classes per batch: about 20,000 learners at 40 a class.
BATCH_CLASSES = 500


@dataclass
class RecomputeAllSummary:
    """What a run did: institutions and classes covered, classes without a sổ điểm
    (no secondary rule set), learners computed and skipped (inputs unchanged), rows
    written per table, learners per rule-set version, seconds."""

    school_year: str = ""
    institutions: int = 0
    classes: int = 0
    classes_unavailable: int = 0
    learners: int = 0
    skipped: int = 0
    # Learners computed one by one with learner_outcome, not in columns: incomplete
    # results, summer entries, values the columns cannot hold (rules/bulk_secondary.py).
    one_by_one: int = 0
    subject_rows: int = 0
    term_rows: int = 0
    year_rows: int = 0
    rule_sets: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0

    def as_audit(self) -> dict[str, Any]:
        return {
            "school_year": self.school_year,
            "institutions": self.institutions,
            "classes": self.classes,
            "classes_unavailable": self.classes_unavailable,
            "learners": self.learners,
            "skipped": self.skipped,
            "one_by_one": self.one_by_one,
            "subject_rows": self.subject_rows,
            "term_rows": self.term_rows,
            "year_rows": self.year_rows,
            "rule_sets": dict(sorted(self.rule_sets.items())),
        }


Progress = Callable[[int, int, "RecomputeAllSummary"], None]


# --- who may run it -----------------------------------------------------------------


def recompute_all_institutions(*, actor, institution_ids: Iterable[int] | None = None) -> list[int]:
    """The institutions ``actor`` may recompute: those they are principal of and those
    their office oversees (ministry: all). With ``institution_ids``, every one of them
    must be among those (PermissionDenied otherwise)."""
    scope = scope_for(actor)
    q = Q(pk__in=scope.principal_institution_ids)
    if scope.is_office:  # the office's part only: school staff may not run it
        q |= institutions_q(replace(scope, managed_institution_ids=frozenset()), write=True)
    allowed = Institution.objects.filter(q)
    if institution_ids is None:
        ids = list(allowed.order_by("pk").values_list("pk", flat=True))
        require(bool(ids))
        return ids
    wanted = sorted(set(institution_ids))
    found = set(allowed.filter(pk__in=wanted).values_list("pk", flat=True))
    require(bool(wanted) and found == set(wanted))
    return wanted


# --- reading, class by class as the per-class path does ---------------------------------


def _read_batch(classes: list[SchoolClass], year_id: int):
    """The learners of these classes with their gradebook rows: the same class
    contexts, learners and rows as the per-class path reads (``class_context``,
    ``class_learners``, ``results._learner_rows``), read for the whole batch at once
    (selectors/recompute.py). A learner of several classes (moved during the year) is
    computed in the last of them, as running the per-class path class after class
    would leave it. Returns (contexts, items, classes without a sổ điểm)."""
    contexts, unavailable = recompute_read.class_contexts(classes)
    learners = recompute_read.class_learner_ids([c for c in classes if c.pk in contexts])
    owner: dict[int, ClassContext] = {}
    for school_class in classes:
        if school_class.pk not in contexts:
            continue
        for pk in learners[school_class.pk]:
            owner.pop(pk, None)  # keep the last class (dicts keep insertion order)
            owner[pk] = contexts[school_class.pk]
    rows = recompute_read.learner_rows(owner, _Raw)
    stored = dict(
        recompute_read.of_learners(
            LearnerYearResult.objects.filter(school_year_id=year_id), list(owner)
        ).values_list("learner_id", "inputs_digest")
    )
    items = [(pk, c.school_class.pk, rows[pk], stored.get(pk)) for pk, c in owner.items()]
    return contexts, items, unavailable


# --- computing (pure; runs in worker processes) ----------------------------------------


@dataclass
class _Computed:
    subject_rows: list[tuple] = field(default_factory=list)
    term_rows: list[tuple] = field(default_factory=list)
    year_rows: list[tuple] = field(default_factory=list)
    rule_sets: Counter = field(default_factory=Counter)
    learners: list[int] = field(default_factory=list)
    skipped: int = 0
    one_by_one: int = 0  # learners computed by learner_outcome (not covered by the columns)
    # COPY lines made directly from the columns: subject, term and year results
    text: tuple[list[str], list[str], list[str]] = field(default_factory=lambda: ([], [], []))

    def counts(self) -> tuple[int, int, int]:
        rows = (self.subject_rows, self.term_rows, self.year_rows)
        return tuple(len(r) + len(t) for r, t in zip(rows, self.text, strict=True))


def _as_missing(value: Any) -> list:
    items = list(value or ())
    return missing_json(items) if items and isinstance(items[0], Missing) else items


def _plain_value(value: Any) -> Any:
    return value


_CONVERTERS: dict[tuple[Any, str], Any] = {}


def _converter(model, name: str):
    """How an outcome's value is stored in ``model.name``, as ``results_recompute``
    stores it: a code for a text column, a list for a JSON one, the value otherwise."""
    key = (model, name)
    if key not in _CONVERTERS:
        kind = model._meta.get_field(name).get_internal_type()
        _CONVERTERS[key] = {"CharField": _code, "JSONField": _as_missing}.get(kind, _plain_value)
    return _CONVERTERS[key]


def _values(model, names: tuple[str, ...], result: Any, extra: dict[str, Any]) -> list:
    return [
        extra[name] if name in extra else _converter(model, name)(getattr(result, name))
        for name in names
    ]


def _compute(contexts: dict[int, ClassContext], items, force: bool, now,
             text: bool = False) -> _Computed:  # fmt: skip
    """The result rows of each learner whose fingerprint differs from the stored one
    (every learner with ``force``): evaluated in columns class by class
    (``recompute_columns``), one by one with ``learner_outcome`` for the learners the
    columns do not cover. With ``text`` the covered learners' rows are made as COPY
    text directly (``out.text``); otherwise every row is a tuple in the COPY columns'
    order."""
    out = _Computed()
    by_class: dict[int, list[tuple[int, Any, str]]] = {}
    heads: dict = {}
    for learner_id, class_id, raw, stored in items:
        digest = recompute_columns.learner_digest(contexts[class_id], raw, learner_id, heads)
        if not force and digest == stored:
            out.skipped += 1
            continue
        by_class.setdefault(class_id, []).append((learner_id, raw, digest))
    now_text = now.isoformat()
    evaluated = recompute_columns.evaluate_classes([
        (contexts[class_id], [(pk, raw) for pk, raw, _digest in learners])
        for class_id, learners in by_class.items()
    ])  # fmt: skip
    for (class_id, learners), (outcomes, columns) in zip(by_class.items(), evaluated, strict=True):
        context = contexts[class_id]
        covered = [] if outcomes is None else outcomes.covered.tolist()
        rows = [i for i, yes in enumerate(covered) if yes]
        if text and rows:
            lines = recompute_columns.class_text(
                context, [(pk, digest) for pk, _raw, digest in learners], outcomes, columns,
                rows, now_text,
            )  # fmt: skip
            for chunks, made in zip(out.text, lines, strict=True):
                chunks.extend(made)
            for i in rows:
                out.learners.append(learners[i][0])
            out.rule_sets[context.rule_set.label] += len(rows)
            done = set(rows)
        else:
            done = set()
        for i, (learner_id, raw, digest) in enumerate(learners):
            if i in done:
                continue
            if i < len(covered) and covered[i]:
                outcome = recompute_columns.outcome_of(outcomes, columns, i)
            else:
                out.one_by_one += 1
                data = _learner_data(raw, context)
                specs = [s.spec for s in context.subjects_of(learner_id)]
                outcome = rules_gradebook.learner_outcome(context.rules, specs, data)
            _rows(out, context, learner_id, outcome, digest, now)
    return out


def _rows(out: _Computed, context: ClassContext, learner_id: int, outcome, digest: str,
          now) -> None:  # fmt: skip
    """A learner's result rows from its ``LearnerOutcome``, as tuples."""
    label = context.rule_set.label
    school_class = context.school_class
    base = (school_class.institution_id, school_class.pk, learner_id,
            school_class.school_year_id)  # fmt: skip
    subject_ids = {s.code: s.subject.pk for s in context.subjects}
    extra = {"rule_set": label}
    for (code, period), result in outcome.subjects.items():
        values = _values(SubjectResult, SUBJECT_FIELDS, result, extra)
        out.subject_rows.append((*base, subject_ids[code], period, *values, now))
    for period, result in outcome.periods.items():
        if period == YEAR:
            values = _values(LearnerYearResult, YEAR_FIELDS, result,
                             extra | {"inputs_digest": digest})  # fmt: skip
            out.year_rows.append((*base, *values, now))
        elif period in context.terms:
            values = _values(LearnerTermResult, TERM_FIELDS, result, extra)
            out.term_rows.append((*base, context.terms[period].pk, *values, now))
    out.rule_sets[label] += 1
    out.learners.append(learner_id)


def _text(value: Any) -> str:
    kind = type(value)
    if kind is str:
        return copy_text(value) if value else ""
    if value is None:
        return "\\N"
    if kind is int or kind is Decimal:
        return str(value)
    if kind is list:
        return copy_text(json.dumps(value, ensure_ascii=False)) if value else "[]"
    return value.isoformat()


def _lines(rows: list[tuple]) -> str:
    return "".join("\t".join(map(_text, row)) + "\n" for row in rows)


def _as_text(out: _Computed) -> tuple[str, str, str]:
    rows = (out.subject_rows, out.term_rows, out.year_rows)
    return tuple(  # type: ignore[return-value]
        _lines(r) + "".join(t) for r, t in zip(rows, out.text, strict=True)
    )


def _compute_lines(contexts, items, force: bool, now):
    """``_compute`` in a worker: the rows travel back as COPY text, with the counts."""
    out = _compute(contexts, items, force, now, text=True)
    return (out.learners, out.skipped, out.one_by_one, out.rule_sets, out.counts()), _as_text(
        out)  # fmt: skip


# --- writing -----------------------------------------------------------------------------

_BASE = ["institution_id", "school_class_id", "learner_id", "school_year_id"]


def _columns() -> tuple[list[str], list[str], list[str]]:
    return (
        [*_BASE, "subject_id", "period", *SUBJECT_FIELDS, "computed_at"],
        [*_BASE, "term_id", *TERM_FIELDS, "computed_at"],
        [*_BASE, *YEAR_FIELDS, "computed_at"],
    )


def _write(ids: list[int], out: _Computed | None, text: tuple[str, str, str] | None,
           year_id: int, term_ids) -> None:  # fmt: skip
    """Replace the results of the computed learners ``ids``, in one transaction: with
    COPY of ``text`` on PostgreSQL, with ``bulk_create`` of ``out``'s rows elsewhere."""
    if not ids:
        return
    models = (SubjectResult, LearnerTermResult, LearnerYearResult)
    with transaction.atomic():
        of = recompute_read.of_learners
        of(SubjectResult.objects.filter(school_year_id=year_id), ids).delete()
        of(LearnerTermResult.objects.filter(term_id__in=term_ids), ids).delete()
        of(LearnerYearResult.objects.filter(school_year_id=year_id), ids).delete()
        for i, (model, columns) in enumerate(zip(models, _columns(), strict=True)):
            if out is None:
                copy_lines(model._meta.db_table, [_column(model, c) for c in columns], [text[i]])
                continue
            rows = (out.subject_rows, out.term_rows, out.year_rows)[i]
            model.objects.bulk_create(
                [model(**dict(zip(columns, row, strict=True))) for row in rows], batch_size=2000
            )


def _column(model, name: str) -> str:
    return model._meta.get_field(name.removesuffix("_id")).column


# --- the service -----------------------------------------------------------------------


def results_recompute_all(
    *,
    actor,
    school_year: SchoolYear,
    institution_ids: Iterable[int] | None = None,
    force: bool = False,
    workers: int | None = None,
    progress: Progress | None = None,
    reason: str = "",
) -> RecomputeAllSummary:
    """Compute and store every term and year result of ``school_year`` in the
    institutions (all those ``actor`` may recompute when None): a principal for their
    school, an office for the schools it oversees. PermissionDenied otherwise.

    Learners whose inputs did not change since their results were stored are skipped
    unless ``force``. ``workers`` processes compute on PostgreSQL (default None or 0:
    computed here). ``progress(done classes, all
    classes, summary so far)`` is called after each batch. One audit entry records
    the run, also when it fails.
    """
    started = time.perf_counter()
    ids = recompute_all_institutions(actor=actor, institution_ids=institution_ids)
    summary = RecomputeAllSummary(school_year=school_year.name, institutions=len(ids))
    classes = list(
        SchoolClass.objects.filter(school_year=school_year, institution_id__in=ids)
        .select_related("institution", "school_year", "homeroom_teacher")
        .order_by("pk")
    )
    try:
        _run(summary, classes, school_year.pk, force, workers, progress)
    except BaseException:
        summary.seconds = time.perf_counter() - started
        _audit(actor, school_year, ids, summary, reason, failed=True)
        raise
    summary.seconds = time.perf_counter() - started
    _audit(actor, school_year, ids, summary, reason, failed=False)
    return summary


def _run(summary, classes, year_id, force, workers, progress) -> None:
    term_ids = list(Term.objects.filter(school_year_id=year_id).values_list("pk", flat=True))
    batches = [classes[i : i + BATCH_CLASSES] for i in range(0, len(classes), BATCH_CLASSES)]
    # Computed here by default: measured on 100,000 learners, two worker processes took
    # twice the CPU (the batches pickled both ways) for no shorter run.
    workers = workers or 0
    if not uses_copy():
        workers = 0  # the workers hand back COPY text
    now = timezone.now()

    def account(learners, skipped, one_by_one, rule_sets, counts, done: int) -> None:
        summary.learners += len(learners)
        summary.skipped += skipped
        summary.one_by_one += one_by_one
        summary.subject_rows += counts[0]
        summary.term_rows += counts[1]
        summary.year_rows += counts[2]
        for label, n in rule_sets.items():
            summary.rule_sets[label] = summary.rule_sets.get(label, 0) + n
        if progress is not None:
            progress(done, len(classes), summary)

    def read(batch):
        contexts, items, unavailable = _read_batch(batch, year_id)
        summary.classes += len(contexts)
        summary.classes_unavailable += unavailable
        return contexts, items

    done = 0
    if not workers:
        for batch in batches:
            out = _compute(*read(batch), force, now, text=uses_copy())
            if uses_copy():
                _write(out.learners, None, _as_text(out), year_id, term_ids)
            else:
                _write(out.learners, out, None, year_id, term_ids)
            done += len(batch)
            account(out.learners, out.skipped, out.one_by_one, out.rule_sets, out.counts(),
                    done)  # fmt: skip
        return
    import multiprocessing

    with ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("fork")) as pool:
        pending: list[tuple[int, Any]] = []

        def finish() -> None:
            nonlocal done
            size, future = pending.pop(0)
            (learners, skipped, one_by_one, rule_sets, counts), text = future.result()
            _write(learners, None, text, year_id, term_ids)
            done += size
            account(learners, skipped, one_by_one, rule_sets, counts, done)

        for batch in batches:
            pending.append((len(batch), pool.submit(_compute_lines, *read(batch), force, now)))
            while len(pending) > workers:
                finish()
        while pending:
            finish()


def _audit(actor, school_year, institution_ids, summary, reason, *, failed: bool) -> None:
    """One entry for the run: on the institution when there is one, else on the year."""
    instance: Any = school_year
    if len(institution_ids) == 1:
        instance = Institution.objects.get(pk=institution_ids[0])
    after = summary.as_audit() | {
        "institution_ids": list(institution_ids)[:1000],
        "status": "failed" if failed else "done",
        "seconds": round(summary.seconds, 1),
    }
    with transaction.atomic():
        audit_record(actor=actor, action=ACTION, instance=instance, before=None, after=after,
                     reason=reason)  # fmt: skip
