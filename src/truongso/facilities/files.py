"""Reading an uploaded equipment-list file (.csv, .xlsx, .xls, .ods) into rows, with the
readers of the import engine. The first visible sheet of a spreadsheet is read."""

from __future__ import annotations

from pathlib import Path

from django.utils.translation import gettext as _

from truongso.imports.readers import FileProblem, file_type, read_sheets


class UnreadableFile(Exception):
    pass


def read_rows(path: Path, name: str = "") -> list[list[object]]:
    try:
        kind = file_type(path, name)
        sheets, _encoding = read_sheets(path, kind)
    except FileProblem:
        raise UnreadableFile(
            _("Không đọc được tệp %(name)s: hãy dùng tệp .csv (UTF-8) hoặc .xlsx.")
            % {"name": name or path.name}
        )
    if not sheets:
        return []
    legacy = sheets[0].legacy
    rows = [list(row) for row in sheets[0].rows]
    if legacy:
        from truongso.imports.rules.legacy_text import to_unicode

        rows = [[to_unicode(c, legacy) if isinstance(c, str) else c for c in r] for r in rows]
    return rows
