"""The ratings of each regulation as stable codes, and reading them from the labels
schools type ("Tốt", "T", "Chưa đạt", "CĐ", "Hoàn thành tốt", "HTT" …).

Codes are ASCII and never change; the interface shows the Vietnamese label.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Any, TypeVar

from truongso.assessment.rules.common import UNKNOWN_LABEL, InvalidInput
from truongso.core.rules.text import fold


class Level(StrEnum):
    """Learning and conduct result (Circular 22/2021): Tốt, Khá, Đạt, Chưa đạt."""

    CHUA_DAT = "chua_dat"
    DAT = "dat"
    KHA = "kha"
    TOT = "tot"

    @property
    def rank(self) -> int:
        return _LEVEL_ORDER.index(self)

    @staticmethod
    def of_rank(rank: int) -> Level:
        return _LEVEL_ORDER[max(0, min(rank, len(_LEVEL_ORDER) - 1))]


_LEVEL_ORDER = (Level.CHUA_DAT, Level.DAT, Level.KHA, Level.TOT)


class Pass(StrEnum):
    """Result of a comment-only subject: Đạt or Chưa đạt."""

    NOT_PASSED = "chua_dat"
    PASSED = "dat"


class SubjectRating(StrEnum):
    """Primary (Circular 27/2020): Hoàn thành tốt, Hoàn thành, Chưa hoàn thành."""

    CHUA_HOAN_THANH = "chua_hoan_thanh"
    HOAN_THANH = "hoan_thanh"
    HOAN_THANH_TOT = "hoan_thanh_tot"

    @property
    def rank(self) -> int:
        return list(SubjectRating).index(self)


class QualityRating(StrEnum):
    """Primary qualities and competencies: Tốt, Đạt, Cần cố gắng."""

    CAN_CO_GANG = "can_co_gang"
    DAT = "dat"
    TOT = "tot"

    @property
    def rank(self) -> int:
        return list(QualityRating).index(self)


class PrimaryOutcome(StrEnum):
    """Primary end-of-year outcome."""

    CHUA_HOAN_THANH = "chua_hoan_thanh"
    HOAN_THANH = "hoan_thanh"
    HOAN_THANH_TOT = "hoan_thanh_tot"
    HOAN_THANH_XUAT_SAC = "hoan_thanh_xuat_sac"


class VocationalLevel(StrEnum):
    """Vocational classification (Circular 04/2022/TT-BLĐTBXH)."""

    YEU = "yeu"
    TRUNG_BINH = "trung_binh"
    KHA = "kha"
    GIOI = "gioi"
    XUAT_SAC = "xuat_sac"

    @property
    def rank(self) -> int:
        return list(VocationalLevel).index(self)

    @staticmethod
    def of_rank(rank: int) -> VocationalLevel:
        levels = list(VocationalLevel)
        return levels[max(0, min(rank, len(levels) - 1))]


class Award(StrEnum):
    """Khen thưởng."""

    GIOI = "hoc_sinh_gioi"  # Học sinh Giỏi (secondary)
    XUAT_SAC = "hoc_sinh_xuat_sac"  # Học sinh Xuất sắc (secondary and primary)
    TIEU_BIEU = "hoc_sinh_tieu_bieu"  # primary: Tiêu biểu hoàn thành tốt …


# Folded spellings accepted besides the code itself (fold() strips diacritics and case).
_ALIASES: dict[type, dict[str, str]] = {
    Level: {"tot": "tot", "t": "tot", "kha": "kha", "k": "kha", "dat": "dat", "d": "dat",
            "chua dat": "chua_dat", "cd": "chua_dat", "chua_dat": "chua_dat"},
    Pass: {"dat": "dat", "d": "dat", "chua dat": "chua_dat", "cd": "chua_dat",
           "chua_dat": "chua_dat"},
    SubjectRating: {"hoan thanh tot": "hoan_thanh_tot", "htt": "hoan_thanh_tot",
                    "hoan thanh": "hoan_thanh", "ht": "hoan_thanh",
                    "chua hoan thanh": "chua_hoan_thanh", "cht": "chua_hoan_thanh"},
    QualityRating: {"tot": "tot", "t": "tot", "dat": "dat", "d": "dat",
                    "can co gang": "can_co_gang", "c": "can_co_gang", "ccg": "can_co_gang"},
}  # fmt: skip

E = TypeVar("E", bound=StrEnum)


def parse_label(kind: type[E], value: Any) -> E:
    """``kind`` read from a code or a label typed by a school (case and diacritics
    ignored); raises InvalidInput(UNKNOWN_LABEL) naming the accepted codes."""
    if isinstance(value, kind):
        return value
    if isinstance(value, str):
        key = fold(value)
        code = _ALIASES.get(kind, {}).get(key, key.replace(" ", "_"))
        try:
            return kind(code)
        except ValueError:
            pass
    raise InvalidInput(UNKNOWN_LABEL, value=value, allowed=tuple(m.value for m in kind))
