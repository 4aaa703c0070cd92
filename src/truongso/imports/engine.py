"""Running the checks of one kind over every row of a file.

The same run serves the dry run (counts and problems only) and the commit (which also
keeps the new rows and the changes to write). Rows are checked in batches so that the
numbers used elsewhere in the database are looked up once per batch, not per row.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from itertools import chain, islice
from pathlib import Path
from typing import Any, Protocol

from truongso.imports.kinds import translated_headers
from truongso.imports.readers import FileProblem, Sheet, cell_name, file_type, read_sheets
from truongso.imports.rules import problems as P
from truongso.imports.rules.columns import COLUMNS, find_header_row
from truongso.imports.rules.legacy_text import TCVN3, to_unicode
from truongso.imports.rules.people import NEW, REJECTED, UNCHANGED, UPDATED

HEADER_SCAN_ROWS = 15
BATCH = 5000
MAX_PROBLEMS = 100_000


class KindImport(Protocol):
    """What each kind (learners, staff, classes) provides to the engine."""

    kind: str

    def check(self, row: int, cells: dict[str, object]) -> tuple[Any, list[P.Problem]]: ...

    def used_elsewhere(self, rows: list[Any]) -> tuple[set[str], set[str]]: ...

    def plan(
        self, row: Any, problems: list[P.Problem], pid_elsewhere: bool, edu_elsewhere: bool
    ) -> tuple[str, Any]: ...


@dataclass(slots=True)
class Located:
    sheet: str
    row: int | None
    column: str  # the header as written in the file
    problem: P.Problem


@dataclass
class Outcome:
    encoding: str = ""
    problems: list[Located] = field(default_factory=list)
    problems_left_out: int = 0
    fatal: int = 0  # problems that stop the whole file
    new: int = 0
    updated: int = 0
    unchanged: int = 0
    error_rows: int = 0
    warning_rows: int = 0
    empty_rows: int = 0
    rows_done: int = 0
    # Kept for a commit only:
    new_rows: list[Any] = field(default_factory=list)
    changes: list[Any] = field(default_factory=list)

    def add(self, located: Located) -> None:
        if len(self.problems) < MAX_PROBLEMS:
            self.problems.append(located)
        else:
            self.problems_left_out += 1


def _empty(cells: list[object]) -> bool:
    for cell in cells:
        if cell is None or cell == "":
            continue
        if isinstance(cell, str) and not cell.strip():
            continue
        return False
    return True


def run(
    importer: KindImport,
    path: Path,
    *,
    keep: bool,
    progress: Callable[[int], None] | None = None,
    sink: Callable[[list[Any], str, dict[str, str]], None] | None = None,
) -> Outcome:
    """Check every row of the file. With ``sink``, the new rows of each batch are handed
    to it as soon as the batch is checked, with the sheet's name and its column labels
    by key (and not kept), and the numbers used by other
    institutions are not looked up: the caller checks them once the rows are written
    (the database connection is busy writing while the file is read)."""
    outcome = Outcome()
    try:
        sheets, outcome.encoding = read_sheets(path, file_type(path, path.name))
    except FileProblem as problem:
        outcome.add(Located("", None, "", P.error(problem.code, **problem.params)))
        outcome.fatal += 1
        return outcome
    with_header = 0
    for sheet in sheets:
        with_header += _run_sheet(importer, sheet, outcome, keep=keep, progress=progress, sink=sink)
    if not with_header:
        outcome.add(Located("", None, "", P.error(P.FILE_NO_HEADER)))
        outcome.fatal += 1
    elif not outcome.fatal and not outcome.rows_done:
        outcome.add(Located("", None, "", P.error(P.FILE_NO_ROWS)))
        outcome.fatal += 1
    return outcome


def _run_sheet(
    importer: KindImport, sheet: Sheet, outcome: Outcome, *, keep, progress, sink=None
) -> int:
    rows = iter(sheet.rows)
    head = list(islice(rows, HEADER_SCAN_ROWS))
    headers = head
    if sheet.legacy:  # headers typed in the same font (data rows are converted below)
        headers = [[_unicode(c, sheet.legacy) for c in cells] for cells in head]
    found = find_header_row(importer.kind, headers, translated_headers(importer.kind))
    if found is None:
        return 0
    header_index, match = found
    header_row = header_index + 1
    columns = {c.key: c for c in COLUMNS[importer.kind]}
    missing = [c for c in columns.values() if c.required and c.key not in match.index_of]
    for column in missing:
        outcome.add(Located(sheet.name, header_row, "",
                            P.error(P.COLUMN_MISSING, label=column.label)))  # fmt: skip
        outcome.fatal += 1
    for index in match.unknown:
        label = match.labels[index]
        outcome.add(Located(sheet.name, header_row, label,
                            P.warning(P.COLUMN_UNKNOWN, label=label)))  # fmt: skip
    first_label = {key: match.labels[i] for key, i in match.index_of.items()}
    for index, key in match.duplicates:
        label = match.labels[index]
        outcome.add(Located(sheet.name, header_row, label, P.warning(
            P.COLUMN_DUPLICATE, label=label, first=first_label[key])))  # fmt: skip
    for (r1, c1), (r2, c2) in sheet.merged:
        if r1 <= header_index <= r2 and c2 > c1:
            area = f"{cell_name(r1, c1)}:{cell_name(r2, c2)}"
            label = match.labels.get(c1 - sheet.col_offset, "")
            outcome.add(Located(sheet.name, header_row, label,
                                P.warning(P.HEADER_MERGED, range=area)))  # fmt: skip
    if missing:
        return 1
    pairs = [(key, index) for key, index in match.index_of.items()]
    labels = {key: match.labels[index] for key, index in pairs}
    formula_rows: dict[int, dict[str, tuple[str, str]]] = {}
    for (r, c), formula in sheet.formulas.items():
        key = next((k for k, i in pairs if i == c - sheet.col_offset), None)
        if key is not None and r > header_index:
            formula_rows.setdefault(r, {})[key] = (cell_name(r, c), formula)

    batch: list[tuple[int, dict[str, object], list[P.Problem]]] = []
    pending_empty: list[int] = []
    data = chain(head[header_index + 1 :], rows)
    for index, cells in enumerate(data, start=header_index + 1):
        if _empty(cells) and index not in formula_rows:
            pending_empty.append(index + 1)
            continue
        for row_no in pending_empty:
            outcome.add(Located(sheet.name, row_no, "", P.info(P.ROW_EMPTY)))
        outcome.empty_rows += len(pending_empty)
        pending_empty.clear()
        width = len(cells)
        values = {k: cells[i] if i < width else None for k, i in pairs}
        batch.append((index, values, _convert(values, sheet.legacy) if sheet.legacy else []))
        if len(batch) >= BATCH:
            _run_batch(importer, sheet.name, batch, labels, formula_rows, outcome, keep, sink)
            batch = []
            if progress is not None:
                progress(outcome.rows_done)
    if batch:
        _run_batch(importer, sheet.name, batch, labels, formula_rows, outcome, keep, sink)
        if progress is not None:
            progress(outcome.rows_done)
    return 1


def _unicode(cell: object, legacy: str) -> object:
    if isinstance(cell, str) and not cell.isascii():
        return to_unicode(cell, legacy)
    return cell


def _convert(values: dict[str, object], legacy: str) -> list[P.Problem]:
    """Convert the cells of a row typed in a TCVN3/VNI font, with a warning for each."""
    problems = []
    code = P.TEXT_TCVN3 if legacy == TCVN3 else P.TEXT_VNI
    for key, value in values.items():
        if isinstance(value, str) and not value.isascii():
            converted = to_unicode(value, legacy)
            if converted != value:
                values[key] = converted
                problems.append(P.warning(code, key, value=" ".join(value.split()),
                                          converted=" ".join(converted.split())))  # fmt: skip
    return problems


def _run_batch(
    importer, sheet_name, batch, labels, formula_rows, outcome: Outcome, keep, sink=None
) -> None:
    checked = []
    for index, cells, converted in batch:
        row, problems = importer.check(index + 1, cells)
        if converted:
            problems[:0] = converted
        formulas = formula_rows.get(index)
        if formulas:
            # What was read from a formula cell is not what the user sees: say only that.
            problems[:] = [p for p in problems if p.column not in formulas]
            for key, (cell, formula) in formulas.items():
                problems.append(P.error(P.CELL_FORMULA, key, cell=cell, formula=formula))
        checked.append((row, problems))
    if sink is None:
        pids, edus = importer.used_elsewhere([row for row, _problems in checked])
    else:
        pids, edus = set(), set()
    new_rows = []
    for row, problems in checked:
        status, change = importer.plan(
            row,
            problems,
            row.personal_id in pids if getattr(row, "personal_id", "") else False,
            row.education_id in edus if getattr(row, "education_id", "") else False,
        )
        outcome.rows_done += 1
        if status == NEW:
            outcome.new += 1
            if sink is not None:
                new_rows.append(row)
            elif keep:
                outcome.new_rows.append(row)
        elif status == UPDATED:
            outcome.updated += 1
            if keep:
                outcome.changes.append(change)
        elif status == UNCHANGED:
            outcome.unchanged += 1
        elif status == REJECTED:
            outcome.error_rows += 1
        if problems:
            if status != REJECTED and any(p.severity == P.WARNING for p in problems):
                outcome.warning_rows += 1
            for problem in problems:
                outcome.add(Located(sheet_name, row.row, labels.get(problem.column, ""), problem))
    if new_rows:
        sink(new_rows, sheet_name, labels)
