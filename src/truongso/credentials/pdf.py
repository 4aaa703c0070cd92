"""The printable PDF of a credential: its visible content and the signed QR (Typst with the
Be Vietnam Pro font from its Python package; the QR image from segno).

The data goes to Typst as JSON through ``sys.inputs``, never spliced into the markup. The
QR text is also written as the PDF's keyword, so the public page can verify an uploaded
PDF by reading it back.
"""

from __future__ import annotations

import datetime as dt
import functools
import json
from pathlib import Path

import typst

from truongso.core.typst import font_folder
from truongso.credentials import conf
from truongso.credentials.models import Credential
from truongso.credentials.qr import qr_svg
from truongso.credentials.rules.diploma_number import printed_diploma_number

TEMPLATE = Path(__file__).parent / "templates" / "credentials" / "diploma.typ"
SEXES = {"M": ("Nam", "Male"), "F": ("Nữ", "Female")}
MONTHS_EN = (
    "January", "February", "March", "April", "May", "June", "July", "August", "September",
    "October", "November", "December",
)  # fmt: skip


@functools.cache
def _template() -> bytes:
    return TEMPLATE.read_bytes()


def _place(province_name: str) -> str:
    for prefix in ("Thành phố ", "Tỉnh "):
        if province_name.startswith(prefix):
            return province_name[len(prefix) :]
    return province_name


def credential_data(credential: Credential) -> dict:
    """What the PDF prints: the paper's fields, in plain text."""
    kind = credential.credential_type
    bilingual = kind.bilingual
    day = credential.issue_date
    sex = SEXES.get(credential.sex)
    field = credential.field_of_study
    if bilingual and credential.field_of_study_en:
        field = f"{field} / {credential.field_of_study_en}"
    province = credential.institution.province.name if credential.institution.province_id else ""
    date_line = f"ngày {day.day:02d} tháng {day.month:02d} năm {day.year}"
    if bilingual:
        date_line += f" / {day.day:02d} {MONTHS_EN[day.month - 1]} {day.year}"
    return {
        "title": kind.title,
        "name": kind.name,
        "name_en": kind.name_en,
        "bilingual": bilingual,
        "issuer": credential.institution.name,
        "issuer_parent": province,
        "holder_name": credential.holder_name,
        "date_of_birth": credential.date_of_birth.strftime("%d/%m/%Y"),
        "sex": (f"{sex[0]} / {sex[1]}" if bilingual else sex[0]) if sex else "",
        "place_of_birth": credential.place_of_birth,
        "field_of_study": field,
        "graduation_year": str(credential.graduation_year),
        "classification": credential.classification,
        "diploma_number": credential.diploma_number,
        "diploma_number_printed": printed_diploma_number(credential.diploma_number),
        "register_number": credential.register_number,
        "place": _place(province),
        "date_line": date_line,
        "signer_title": credential.signer_title,
        "signer_name": credential.signer_name,
        "verify_url": conf.verify_url(),
        "qr_text": credential.qr_text,
    }


def credential_pdf(credential: Credential) -> bytes:
    data = credential_data(credential)
    signed_at = credential.signed_at.astimezone(dt.UTC)
    return typst.compile(
        _template(),
        font_paths=[font_folder()],
        ignore_system_fonts=True,
        sys_inputs={"data": json.dumps(data, ensure_ascii=False), "qr": qr_svg(credential.qr_text)},
        timestamp=int(signed_at.timestamp()),
    )
