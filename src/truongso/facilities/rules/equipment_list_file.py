"""Reading a minimum teaching-equipment list file (CSV or a spreadsheet's rows).

The format (docs/facilities.md): lines starting with ``#`` are comments; the first other
line is the header; then one line per item. Columns, in any order:

    list_code, list_name, legal_source, effective_on,
    item_code, item_name, grade, subject, unit, quantity, per, note

``per`` is ``class`` (or ``lớp``) or ``school`` (or ``trường``). A file may hold several
lists; the rows of one list repeat its name, source and date. Problems are returned
with their row (as numbered in the file) and column; nothing is loaded when there is one.
"""

from __future__ import annotations

import datetime as dt
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field

REQUIRED = (
    "list_code", "list_name", "legal_source", "effective_on", "item_code", "item_name",
    "grade", "subject", "quantity", "per",
)  # fmt: skip
OPTIONAL = ("unit", "note")
COLUMNS = REQUIRED + OPTIONAL
LIST_FIELDS = ("list_name", "legal_source", "effective_on")

PER_VALUES = {"class": "class", "lop": "class", "school": "school", "truong": "school"}

# Problem codes; the service turns them into messages in the user's language.
NO_HEADER = "no_header"
MISSING_COLUMN = "missing_column"
NO_ROWS = "no_rows"
REQUIRED_VALUE = "required"
BAD_DATE = "bad_date"
BAD_GRADE = "bad_grade"
BAD_QUANTITY = "bad_quantity"
BAD_PER = "bad_per"
TOO_LONG = "too_long"
DUPLICATE_CODE = "duplicate_code"
INCONSISTENT = "inconsistent"

MAX_LENGTHS = {"list_code": 40, "list_name": 255, "legal_source": 255, "item_code": 40,
               "item_name": 255, "subject": 20, "unit": 20, "note": 255}  # fmt: skip


@dataclass(frozen=True)
class Problem:
    code: str
    row: int | None = None  # 1-based, as numbered in the file
    column: str | None = None
    value: str = ""


@dataclass(frozen=True)
class ItemRow:
    row: int
    code: str
    name: str
    grade: int
    subject_code: str
    unit: str
    quantity: int
    per: str
    note: str


@dataclass
class ParsedList:
    code: str
    name: str
    legal_source: str
    effective_on: dt.date
    items: list[ItemRow] = field(default_factory=list)

    def fingerprint(self) -> tuple:
        """What makes two versions the same list (row numbers aside)."""
        return (
            self.name, self.legal_source, self.effective_on.isoformat(),
            tuple(sorted((i.code, i.name, i.grade, i.subject_code, i.unit, i.quantity, i.per,
                          i.note) for i in self.items)),
        )  # fmt: skip


def _fold(text: str) -> str:
    text = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    return "".join(c for c in text if not unicodedata.combining(c)).lower().strip()


def _text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return unicodedata.normalize("NFC", str(value)).strip()


def _date(value: object) -> dt.date | None:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = _text(value)
    for pattern in ("%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y"):
        try:
            return dt.datetime.strptime(text, pattern).date()
        except ValueError:
            continue
    return None


def _int(value: object) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        return int(value) if value.is_integer() else None
    text = _text(value)
    return int(text) if text.isdigit() else None


def parse_rows(rows: Iterable[list[object]]) -> tuple[list[ParsedList], list[Problem]]:
    """The lists in ``rows`` (a file's rows, from its first), or the problems found."""
    problems: list[Problem] = []
    header: dict[str, int] | None = None
    lists: dict[str, ParsedList] = {}
    seen: dict[tuple[str, str], int] = {}
    count = 0
    for number, raw in enumerate(rows, start=1):
        cells = [_text(c) for c in raw]
        if not any(cells) or cells[0].startswith("#"):
            continue
        if header is None:
            header = {_fold(name): i for i, name in enumerate(cells) if name}
            missing = [name for name in REQUIRED if name not in header]
            for name in missing:
                problems.append(Problem(MISSING_COLUMN, row=number, column=name))
            if missing:
                return [], problems
            continue
        count += 1

        def cell(name: str, cells=cells, raw=raw, header=header) -> tuple[str, object]:
            index = header.get(name)
            if index is None or index >= len(cells):
                return "", None
            return cells[index], raw[index]

        values: dict[str, str] = {}
        row_problems: list[Problem] = []
        for name in COLUMNS:
            text, _raw = cell(name)
            if name in REQUIRED and not text:
                row_problems.append(Problem(REQUIRED_VALUE, row=number, column=name))
            elif len(text) > MAX_LENGTHS.get(name, 10**6):
                row_problems.append(Problem(TOO_LONG, row=number, column=name, value=text[:40]))
            values[name] = text
        effective_on = None
        if values["effective_on"]:
            effective_on = _date(cell("effective_on")[1])
            if effective_on is None:
                row_problems.append(
                    Problem(BAD_DATE, row=number, column="effective_on",
                            value=values["effective_on"])
                )  # fmt: skip
        grade = _int(cell("grade")[1])
        if values["grade"] and (grade is None or not 1 <= grade <= 12):
            row_problems.append(Problem(BAD_GRADE, row=number, column="grade",
                                        value=values["grade"]))  # fmt: skip
        quantity = _int(cell("quantity")[1])
        if values["quantity"] and (quantity is None or quantity < 1):
            row_problems.append(
                Problem(BAD_QUANTITY, row=number, column="quantity", value=values["quantity"])
            )
        per = PER_VALUES.get(_fold(values["per"]))
        if values["per"] and per is None:
            row_problems.append(Problem(BAD_PER, row=number, column="per", value=values["per"]))
        if row_problems:
            problems.extend(row_problems)
            continue
        code = values["list_code"]
        current = lists.get(code)
        if current is None:
            current = lists[code] = ParsedList(
                code=code, name=values["list_name"], legal_source=values["legal_source"],
                effective_on=effective_on,
            )  # fmt: skip
        else:
            theirs = {"list_name": current.name, "legal_source": current.legal_source,
                      "effective_on": current.effective_on}  # fmt: skip
            ours = {"list_name": values["list_name"], "legal_source": values["legal_source"],
                    "effective_on": effective_on}  # fmt: skip
            clash = [name for name in LIST_FIELDS if theirs[name] != ours[name]]
            if clash:
                problems.extend(
                    Problem(INCONSISTENT, row=number, column=name, value=values[name])
                    for name in clash
                )
                continue
        key = (code, values["item_code"])
        if key in seen:
            problems.append(Problem(DUPLICATE_CODE, row=number, column="item_code",
                                    value=str(seen[key])))  # fmt: skip
            continue
        seen[key] = number
        current.items.append(ItemRow(
            row=number, code=values["item_code"], name=values["item_name"], grade=grade,
            subject_code=values["subject"].upper(), unit=values["unit"], quantity=quantity,
            per=per, note=values["note"],
        ))  # fmt: skip
    if header is None:
        return [], [Problem(NO_HEADER)]
    if count == 0 and not problems:
        return [], [Problem(NO_ROWS)]
    if problems:
        return [], problems
    return list(lists.values()), []
