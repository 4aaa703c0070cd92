"""The QR image of a credential's signed QR text (segno; the text is all in the QR
alphanumeric set, so it is encoded compactly)."""

from __future__ import annotations

import io

import segno


def qr_code(text: str) -> segno.QRCode:
    return segno.make(text, error="m", micro=False)


def qr_svg(text: str, *, scale: int = 4) -> str:
    buffer = io.BytesIO()
    qr_code(text).save(
        buffer, kind="svg", scale=scale, border=4, xmldecl=False, dark="#000", light="#fff"
    )
    return buffer.getvalue().decode("utf-8")
