import io
import unicodedata

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def xlsx_upload(build, name="hoc_sinh.xlsx") -> SimpleUploadedFile:
    """An uploaded .xlsx file; ``build(workbook)`` fills it."""
    workbook = openpyxl.Workbook()
    build(workbook)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return SimpleUploadedFile(name, buffer.getvalue())


TONES = "\u0300\u0301\u0303\u0309\u0323"


def windows_1258(text: str) -> bytes:
    """Text as Windows-1258 writes Vietnamese: letters with ă â ê ô ơ ư đ precomposed, tone
    marks as separate combining characters."""
    out = []
    for char in unicodedata.normalize("NFC", text):
        try:
            out.append(char.encode("cp1258"))
        except UnicodeEncodeError:
            parts = unicodedata.normalize("NFD", char)
            base = unicodedata.normalize("NFC", "".join(c for c in parts if c not in TONES))
            tones = "".join(c for c in parts if c in TONES)
            out.append((base + tones).encode("cp1258"))
    return b"".join(out)


def csv_upload(text: str, encoding="utf-8", name="hoc_sinh.csv", bom=b"") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, bom + text.encode(encoding))
