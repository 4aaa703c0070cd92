"""Typst with the Be Vietnam Pro font from its Python package: the PDFs of the
credentials and the report cards.

A template is compiled by a ``typst.Compiler`` made once per template file and process,
so the fonts are read once; the data goes in through ``sys.inputs`` (JSON), never
spliced into the markup.
"""

from __future__ import annotations

import functools
import json
import threading
from pathlib import Path
from typing import Any

import fontpkg_be_vietnam_pro
import typst


def font_folder() -> str:
    """The folder of the Be Vietnam Pro font files (Vietnamese diacritics)."""
    return str(Path(fontpkg_be_vietnam_pro.ROOT) / "files")


@functools.cache
def _compiler(template: Path) -> tuple[typst.Compiler, threading.Lock]:
    compiler = typst.Compiler(
        str(template), root=str(template.parent), font_paths=[font_folder()],
        ignore_system_fonts=True,
    )  # fmt: skip
    return compiler, threading.Lock()


def render_pdf(
    template: Path, data: dict[str, Any], *, timestamp: int, inputs: dict[str, str] | None = None
) -> bytes:
    """The PDF of ``template`` with ``data`` as ``sys.inputs.data`` (JSON) and any
    other string ``inputs``; ``timestamp`` (seconds) is the document's date, so the
    same data gives the same bytes."""
    compiler, lock = _compiler(template)
    sys_inputs = {"data": json.dumps(data, ensure_ascii=False), **(inputs or {})}
    with lock:
        return compiler.compile(sys_inputs=sys_inputs, timestamp=timestamp)
