"""The .xlsx exports of the facilities lists and reports."""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Iterable
from decimal import Decimal

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font


def workbook(title: str, header: list, rows: Iterable[list], heading: list | None = None) -> bytes:
    """One sheet: an optional heading line, a bold header, then the rows (numbered)."""
    wb = Workbook(write_only=True)
    ws = wb.create_sheet(str(title)[:31])
    if heading:
        ws.append([str(h) for h in heading])
    bold = Font(bold=True)
    cells = []
    for label in [_("STT"), *header]:
        cell = WriteOnlyCell(ws, value=str(label))
        cell.font = bold
        cells.append(cell)
    ws.append(cells)
    for number, row in enumerate(rows, start=1):
        line: list = [number]
        for value in row:
            if isinstance(value, dt.date):
                cell = WriteOnlyCell(ws, value=value)
                cell.number_format = "DD/MM/YYYY"
                line.append(cell)
            elif isinstance(value, Decimal):
                line.append(float(value))
            else:
                line.append(value if value is None or isinstance(value, int | float) else
                            str(value))  # fmt: skip
        ws.append(line)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()
