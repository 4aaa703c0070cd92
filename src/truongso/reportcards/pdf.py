"""The printable PDF of a report card version (Typst, Be Vietnam Pro), in the layout
of the official học bạ: see templates/reportcards/report_card.typ."""

from __future__ import annotations

from pathlib import Path

from truongso.core.typst import render_pdf
from truongso.reportcards.models import ReportCardVersion
from truongso.reportcards.rules.content import printed

TEMPLATE = Path(__file__).parent / "templates" / "reportcards" / "report_card.typ"


def content_pdf(content: dict, *, timestamp: int, sha256: str | None = None) -> bytes:
    """The PDF of a report card's content (the same content gives the same bytes)."""
    return render_pdf(TEMPLATE, printed(content, sha256), timestamp=timestamp)


def report_card_pdf(version: ReportCardVersion) -> bytes:
    return content_pdf(
        version.content, timestamp=int(version.created_at.timestamp()), sha256=version.sha256
    )
