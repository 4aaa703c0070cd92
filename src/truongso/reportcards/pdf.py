"""The printable PDF of a report card version (Typst, Be Vietnam Pro), in the layout
of the official học bạ: see templates/reportcards/report_card.typ.

A signed (approved) version carries its signed QR code with the short verification URL
beside it, and the QR text in the PDF's keywords, so the public page can verify an
uploaded PDF as it does a diploma's."""

from __future__ import annotations

from pathlib import Path

from truongso.core.typst import render_pdf
from truongso.credentials import conf
from truongso.credentials.models import ReportCardCredential
from truongso.credentials.qr import qr_svg
from truongso.reportcards.models import ReportCardVersion
from truongso.reportcards.rules.content import printed

TEMPLATE = Path(__file__).parent / "templates" / "reportcards" / "report_card.typ"


def content_pdf(
    content: dict, *, timestamp: int, sha256: str | None = None, signed: dict | None = None
) -> bytes:
    """The PDF of a report card's content (the same content gives the same bytes).
    ``signed``: ``credential_id`` and ``qr_text`` of its signed credential, if any."""
    data = printed(content, sha256)
    data["credential_id"] = (signed or {}).get("credential_id", "")
    data["qr_text"] = (signed or {}).get("qr_text", "")
    data["verify_url"] = conf.verify_url() if signed else ""
    inputs = {"qr": qr_svg(data["qr_text"])} if signed else None
    return render_pdf(TEMPLATE, data, timestamp=timestamp, inputs=inputs)


def report_card_pdf(version: ReportCardVersion) -> bytes:
    """The PDF of a version. Only an approved version can have been signed (the
    credential is issued from the content that records the approval), so a draft or
    checked version's PDF needs no look-up of its credential."""
    signed = None
    if version.content.get("approved"):
        signed = (
            ReportCardCredential.objects.filter(version_id=version.pk)
            .values("credential_id", "qr_text")
            .first()
        )
    return content_pdf(
        version.content,
        timestamp=int(version.created_at.timestamp()),
        sha256=version.sha256,
        signed=signed,
    )
