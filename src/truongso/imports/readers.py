"""Reading an uploaded file into sheets of rows: Excel (.xlsx, .xls), OpenDocument (.ods)
with python-calamine, CSV with the standard library. For .xlsx files the sheet XML is
also read for what calamine does not give: which cells hold formulas."""

from __future__ import annotations

import csv
import io
import re
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from xml.etree import ElementTree

from python_calamine import CalamineWorkbook, PasswordError, SheetVisibleEnum

from truongso.imports.rules import problems as P
from truongso.imports.rules.encoding import LEGACY_FONT, decode_text, sniff_delimiter
from truongso.imports.rules.legacy_text import guess_legacy_bytes

XLSX, XLS, ODS, CSV = "xlsx", "xls", "ods", "csv"
_ZIP = b"PK\x03\x04"
_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_FORMULA_TAG = re.compile(rb"<(?:\w+:)?f[\s>/]")
MAX_FORMULAS = 10000


class FileProblem(Exception):
    """The file cannot be read at all."""

    def __init__(self, code: str, **params):
        super().__init__(code)
        self.code = code
        self.params = params


@dataclass
class Sheet:
    name: str  # "" for a CSV file
    rows: Iterable[list[object]]  # from the first row of the sheet
    col_offset: int = 0  # column index of each row's first cell
    merged: list[tuple[tuple[int, int], tuple[int, int]]] = field(default_factory=list)
    formulas: dict[tuple[int, int], str] = field(default_factory=dict)  # (row, col), 0-based
    # A CSV file typed in a TCVN3 or VNI font: every cell is converted.
    legacy: str | None = None


def file_type(path: Path, name: str) -> str:
    """The type of an uploaded file, from its first bytes (not its name)."""
    with open(path, "rb") as handle:
        head = handle.read(8192)
    if not head:
        raise FileProblem(P.FILE_EMPTY)
    if head.startswith(_ZIP):
        try:
            with zipfile.ZipFile(path) as archive:
                names = set(archive.namelist())
        except zipfile.BadZipFile:
            raise FileProblem(P.FILE_NOT_SPREADSHEET)
        if "xl/workbook.xml" in names:
            return XLSX
        if "content.xml" in names and "mimetype" in names:
            return ODS
        raise FileProblem(P.FILE_NOT_SPREADSHEET)
    if head.startswith(_OLE):
        return XLS
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):  # UTF-16 text (Excel "Unicode text")
        return CSV
    if b"\x00" in head or head.startswith((b"%PDF", b"\x89PNG", b"\xff\xd8\xff", b"GIF8")):
        raise FileProblem(P.FILE_NOT_SPREADSHEET)
    return CSV


def count_rows(path: Path, kind_of_file: str) -> int:
    """Rows in the file (all sheets), to size the progress bar."""
    if kind_of_file == CSV:
        with open(path, "rb") as handle:
            data = handle.read()
        return data.count(b"\n") + (0 if data.endswith(b"\n") else 1)
    workbook = _open_workbook(path)
    total = 0
    for meta in workbook.sheets_metadata:
        if meta.visible == SheetVisibleEnum.Visible:
            end = workbook.get_sheet_by_name(meta.name).end
            total += end[0] + 1 if end else 0
    return total


def _open_workbook(path: Path) -> CalamineWorkbook:
    try:
        return CalamineWorkbook.from_path(str(path))
    except PasswordError:
        raise FileProblem(P.FILE_PASSWORD)
    except Exception:  # noqa: BLE001 - calamine raises several types for unreadable files
        raise FileProblem(P.FILE_NOT_SPREADSHEET)


def read_sheets(path: Path, kind_of_file: str) -> tuple[list[Sheet], str]:
    """The visible sheets of the file, and the text encoding (CSV only)."""
    if kind_of_file == CSV:
        sheet, encoding = _csv_sheet(path)
        return [sheet], encoding
    workbook = _open_workbook(path)
    formulas = _xlsx_formulas(path) if kind_of_file == XLSX else {}
    sheets = []
    for meta in workbook.sheets_metadata:
        if meta.visible != SheetVisibleEnum.Visible:
            continue
        try:
            sheet = workbook.get_sheet_by_name(meta.name)
        except Exception:  # noqa: BLE001, S112 - a chart sheet or a damaged one: skip it
            continue
        start = sheet.start
        sheets.append(Sheet(
            name=meta.name,
            rows=sheet.iter_rows() if start is not None else [],
            col_offset=start[1] if start is not None else 0,
            merged=list(sheet.merged_cell_ranges or []),
            formulas=formulas.get(meta.name, {}),
        ))  # fmt: skip
    return sheets, ""


def _csv_sheet(path: Path) -> tuple[Sheet, str]:
    with open(path, "rb") as handle:
        data = handle.read()
    text, encoding = decode_text(data)
    legacy = guess_legacy_bytes(data) if encoding == LEGACY_FONT else None
    del data
    reader = csv.reader(io.StringIO(text), delimiter=sniff_delimiter(text[:65536]))
    return Sheet(name="", rows=reader, legacy=legacy), encoding


# --- Formulas in .xlsx --------------------------------------------------------------------

_CELL_REF = re.compile(r"^([A-Z]{1,3})(\d+)$")


def cell_position(ref: str) -> tuple[int, int] | None:
    """'D7' → (6, 3), 0-based (row, column)."""
    match = _CELL_REF.match(ref)
    if not match:
        return None
    column = 0
    for letter in match.group(1):
        column = column * 26 + ord(letter) - 64
    return int(match.group(2)) - 1, column - 1


def cell_name(row: int, column: int) -> str:
    """(6, 3) → 'D7'."""
    letters = ""
    column += 1
    while column:
        column, rest = divmod(column - 1, 26)
        letters = chr(65 + rest) + letters
    return f"{letters}{row + 1}"


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _sheet_paths(archive: zipfile.ZipFile) -> dict[str, str]:
    """Sheet name → path of its XML inside the archive."""
    workbook = _parse(archive.read("xl/workbook.xml"))
    relations = _parse(archive.read("xl/_rels/workbook.xml.rels"))
    targets = {
        r.get("Id"): r.get("Target", "") for r in relations if _local(r.tag) == "Relationship"
    }
    paths = {}
    for element in workbook.iter():
        if _local(element.tag) != "sheet":
            continue
        rid = next((v for k, v in element.attrib.items() if _local(k) == "id"), None)
        target = targets.get(rid, "")
        if target:
            member = target.lstrip("/") if target.startswith("/") else f"xl/{target}"
            paths[element.get("name", "")] = member
    return paths


def _parse(data: bytes):
    if b"<!DOCTYPE" in data[:4096]:  # spreadsheets never declare a DTD
        raise FileProblem(P.FILE_NOT_SPREADSHEET)
    return ElementTree.fromstring(data)  # noqa: S314 - no DTD (checked above)


def _has_formula(archive: zipfile.ZipFile, member: str) -> bool:
    tail = b""
    with archive.open(member) as handle:
        while chunk := handle.read(1 << 20):
            if _FORMULA_TAG.search(tail + chunk):
                return True
            tail = chunk[-16:]
    return False


def _formulas_in(archive: zipfile.ZipFile, member: str) -> dict[tuple[int, int], str]:
    found: dict[tuple[int, int], str] = {}
    with archive.open(member) as handle:
        head = handle.peek(4096) if hasattr(handle, "peek") else b""
        if b"<!DOCTYPE" in head[:4096]:
            return found
        for _event, element in ElementTree.iterparse(handle, events=("end",)):  # noqa: S314
            if _local(element.tag) != "c":
                continue
            for child in element:
                if _local(child.tag) == "f":
                    position = cell_position(element.get("r", ""))
                    if position is not None:
                        found[position] = "=" + (child.text or "…")
                    break
            element.clear()
            if len(found) >= MAX_FORMULAS:
                break
    return found


def _xlsx_formulas(path: Path) -> dict[str, dict[tuple[int, int], str]]:
    """Sheet name → cells holding a formula. Sheets without one are read only as bytes."""
    result: dict[str, dict[tuple[int, int], str]] = {}
    try:
        with zipfile.ZipFile(path) as archive:
            for name, member in _sheet_paths(archive).items():
                if member in archive.namelist() and _has_formula(archive, member):
                    result[name] = _formulas_in(archive, member)
    except (KeyError, zipfile.BadZipFile, ElementTree.ParseError):
        return result
    return result
