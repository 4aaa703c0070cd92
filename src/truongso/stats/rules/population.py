"""Reading a population table (pure): rows of unit code, year, age, male, female.

Returns the rows it could read and a problem for each cell it could not, with the row
and column as the spreadsheet numbers them (row 2 is the first row under the header).
"""

from __future__ import annotations

from dataclasses import dataclass

COLUMNS = ("unit", "year", "age", "male", "female")
LETTERS = "ABCDE"


@dataclass(frozen=True)
class Problem:
    row: int
    column: str  # "A".."E", "" for the whole row
    code: str  # "missing", "not_number", "year", "age", "duplicate", "header", "empty"
    value: str = ""


def _int(value) -> int | None:
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, int):
        return value
    text = str(value or "").strip().replace(".", "").replace(" ", "")
    return int(text) if text.isdigit() else None


def parse(rows: list[list[object]]) -> tuple[list[dict], list[Problem]]:
    if not rows:
        return [], [Problem(1, "", "empty")]
    parsed: list[dict] = []
    problems: list[Problem] = []
    seen: set[tuple[str, int, int]] = set()
    for number, row in enumerate(rows[1:], start=2):
        cells = list(row) + [""] * (5 - len(row))
        if all(str(c or "").strip() == "" for c in cells[:5]):
            continue
        code = str(cells[0] or "").strip()
        if isinstance(cells[0], float) and cells[0].is_integer():
            code = str(int(cells[0]))
        values: dict = {"unit": code, "row": number}
        bad = False
        if not code:
            problems.append(Problem(number, "A", "missing"))
            bad = True
        for index, name in enumerate(COLUMNS[1:], start=1):
            number_value = _int(cells[index])
            if number_value is None:
                problems.append(Problem(number, LETTERS[index], "not_number", str(cells[index])))
                bad = True
            values[name] = number_value
        if bad:
            continue
        if not (1950 <= values["year"] <= 2100):
            problems.append(Problem(number, "B", "year", str(values["year"])))
            continue
        if values["age"] > 30:
            problems.append(Problem(number, "C", "age", str(values["age"])))
            continue
        key = (code, values["year"], values["age"])
        if key in seen:
            problems.append(Problem(number, "", "duplicate"))
            continue
        seen.add(key)
        parsed.append(values)
    return parsed, problems
