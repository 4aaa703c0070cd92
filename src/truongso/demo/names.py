"""Realistic Vietnamese names, phones and addresses for demonstration data.

Pure data and functions of a ``random.Random`` (no Django): the same seed gives the
same people. Family names follow their real frequency (Nguyễn ≈ 38 %, Trần ≈ 11 %,
Lê ≈ 9.5 % …); middle and given names depend on sex; a few ethnic minorities of the
northern mountains have their own family names.
"""

from __future__ import annotations

import random
from bisect import bisect_right
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import accumulate

# Share in per cent of the population (national figures, rounded).
FAMILY_NAMES: dict[str, float] = {
    "Nguyễn": 38.4, "Trần": 11.0, "Lê": 9.5, "Phạm": 7.0, "Hoàng": 4.0, "Huỳnh": 1.1,
    "Phan": 4.5, "Vũ": 2.6, "Võ": 1.3, "Đặng": 2.1, "Bùi": 2.0, "Đỗ": 1.4, "Hồ": 1.3,
    "Ngô": 1.3, "Dương": 1.0, "Lý": 0.5, "Đào": 0.9, "Đoàn": 0.8, "Trịnh": 0.8,
    "Trương": 0.7, "Đinh": 0.7, "Lương": 0.6, "Mai": 0.6, "Hà": 0.6, "Tạ": 0.4,
    "Phùng": 0.4, "Cao": 0.4, "Lưu": 0.4, "Chu": 0.3, "Nông": 0.3, "Triệu": 0.3,
    "Tô": 0.3, "Vương": 0.3, "Lâm": 0.3, "Quách": 0.2, "Kiều": 0.2, "Khổng": 0.1,
}  # fmt: skip

MIDDLE_NAMES_MALE: dict[str, float] = {
    "Văn": 26, "Đức": 9, "Minh": 9, "Quang": 6, "Hữu": 5, "Công": 4, "Thanh": 4,
    "Xuân": 3, "Gia": 4, "Hoàng": 4, "Tuấn": 2, "Trung": 2, "Bảo": 4, "Anh": 3,
    "Duy": 3, "Tiến": 2, "Mạnh": 2, "Việt": 2, "Đăng": 2, "Khánh": 2, "Nhật": 2, "Quốc": 3,
}  # fmt: skip
MIDDLE_NAMES_FEMALE: dict[str, float] = {
    "Thị": 30, "Ngọc": 8, "Thu": 5, "Thanh": 5, "Minh": 5, "Phương": 4, "Hồng": 3,
    "Khánh": 4, "Bảo": 4, "Mai": 2, "Kim": 3, "Thùy": 3, "Hà": 2, "Diệu": 2, "Quỳnh": 2,
    "Hải": 2, "Tuệ": 2, "Gia": 3, "Huyền": 1, "Lan": 2, "Bích": 1, "Hoài": 2, "Mỹ": 2,
}  # fmt: skip
GIVEN_NAMES_MALE: dict[str, float] = {
    "An": 4, "Anh": 5, "Bảo": 2, "Bình": 2, "Cường": 2, "Dũng": 3, "Duy": 2, "Đạt": 3,
    "Đức": 3, "Hải": 3, "Hiếu": 2, "Hoàng": 2, "Hùng": 3, "Huy": 4, "Khang": 3,
    "Khánh": 2, "Khoa": 2, "Kiên": 2, "Lâm": 2, "Long": 3, "Lộc": 2, "Mạnh": 2, "Minh": 5,
    "Nam": 4, "Nghĩa": 2, "Phát": 2, "Phong": 2, "Phúc": 3, "Quân": 3, "Quang": 2,
    "Sơn": 3, "Tài": 2, "Tâm": 2, "Thắng": 2, "Thành": 3, "Thịnh": 2, "Toàn": 2,
    "Trung": 3, "Tuấn": 4, "Tùng": 2, "Việt": 2, "Vinh": 2, "Vũ": 2, "Khôi": 3,
    "Đăng": 2, "Hưng": 3, "Kiệt": 2, "Nguyên": 2, "Tú": 2, "Trí": 2,
}  # fmt: skip
GIVEN_NAMES_FEMALE: dict[str, float] = {
    "An": 3, "Anh": 5, "Chi": 3, "Diệp": 1, "Dung": 2, "Duyên": 2, "Giang": 3, "Hà": 3,
    "Hân": 3, "Hằng": 2, "Hạnh": 2, "Hiền": 2, "Hoa": 2, "Hồng": 2, "Huyền": 3,
    "Hương": 3, "Lan": 2, "Linh": 5, "Loan": 1, "Ly": 2, "Mai": 3, "My": 3, "Nga": 2,
    "Ngân": 3, "Ngọc": 3, "Nhi": 4, "Nhung": 2, "Oanh": 1, "Phương": 3, "Quyên": 1,
    "Quỳnh": 2, "Tâm": 2, "Thảo": 4, "Thu": 2, "Thủy": 2, "Trang": 4, "Trâm": 2,
    "Uyên": 2, "Vân": 2, "Vy": 3, "Yến": 2, "Thư": 3, "Châu": 1, "Khuê": 1, "Như": 2,
}  # fmt: skip

# Family names of some ethnic groups (1979 code list) of the northern mountains.
MINORITY_FAMILY_NAMES: dict[str, dict[str, float]] = {
    "02": {"Hoàng": 5, "Nông": 4, "Lương": 2, "Ma": 2, "Hà": 2, "Triệu": 2, "Lục": 1,
           "Đàm": 1, "Bế": 1, "Nguyễn": 2},  # Tày
    "07": {"Hoàng": 4, "Nông": 3, "Lục": 2, "Vi": 2, "Lăng": 1, "Mông": 1, "Nguyễn": 1},  # Nùng
    "09": {"Triệu": 4, "Bàn": 3, "Đặng": 3, "Lý": 2, "Chu": 1},  # Dao
    "08": {"Giàng": 3, "Sùng": 3, "Vừ": 2, "Lù": 2, "Hầu": 1, "Thào": 2, "Mùa": 1},  # HMông
    "15": {"Lâm": 2, "Trần": 2, "Hoàng": 2, "La": 1, "Nịnh": 1},  # Sán Chay
    "18": {"Diệp": 2, "Lý": 2, "Trương": 1, "Lục": 1, "Đặng": 1},  # Sán Dìu
    "04": {"Lâm": 2, "Lý": 2, "Trương": 1, "Quách": 1, "Hứa": 1},  # Hoa
}  # fmt: skip
# HMông names: middle name "A" (male) or "Thị" (female) and their own given names.
HMONG_GIVEN_MALE = ("Páo", "Chứ", "Sính", "Vàng", "Dế", "Tủa", "Lử", "Chớ", "Sểnh")
HMONG_GIVEN_FEMALE = ("Mỷ", "Pà", "Dợ", "Sua", "Mai", "Chi", "Say", "Cở", "Xua")

OCCUPATIONS: dict[str, float] = {
    "Nông dân": 22, "Công nhân": 18, "Kinh doanh": 10, "Buôn bán": 8, "Lao động tự do": 10,
    "Cán bộ, công chức": 7, "Giáo viên": 4, "Nhân viên văn phòng": 6, "Lái xe": 3,
    "Nội trợ": 5, "Kỹ sư": 2, "Bác sĩ": 1, "Bộ đội": 1, "Công an": 1, "Thợ may": 2,
}  # fmt: skip

# Mobile prefixes of the main networks (10-digit numbers).
MOBILE_PREFIXES = (
    "032", "033", "034", "035", "036", "037", "038", "039", "086", "096", "097", "098",
    "081", "082", "083", "084", "085", "088", "091", "094", "070", "076", "077", "078",
    "079", "089", "090", "093", "056", "058",
)  # fmt: skip

STREETS = (
    "Hoàng Văn Thụ", "Lương Ngọc Quyến", "Quang Trung", "Phan Đình Phùng", "Bến Oánh",
    "Cách Mạng Tháng Tám", "Minh Cầu", "Thống Nhất", "Dương Tự Minh", "Lê Quý Đôn",
    "Túc Duyên", "Hùng Vương", "Tân Thịnh", "Bắc Sơn", "Quyết Thắng", "Việt Bắc",
)  # fmt: skip
HAMLETS = (
    "Đồng Tâm", "Làng Mới", "Bãi Bông", "Tân Lập", "Đồng Xe", "Na Mao", "Cầu Đá",
    "Khuôn Ngàn", "Đồng Bầu", "Ao Sen", "Nà Pục", "Bản Vèn", "Làng Chàng", "Tiến Bộ",
    "Trung Tâm", "Hòa Bình", "Phú Thọ", "Đồng Lạnh", "Gốc Vải", "Thác Lở",
)  # fmt: skip


class Weighted:
    """Draw from a dict of weights fast (cumulative weights computed once)."""

    def __init__(self, weights: dict[str, float]):
        self.values: Sequence[str] = tuple(weights)
        self.cumulative = tuple(accumulate(weights.values()))
        self.total = self.cumulative[-1]

    def draw(self, rng: random.Random) -> str:
        # What random.choices does for one item, without its overhead.
        return self.values[bisect_right(self.cumulative, rng.random() * self.total)]


_FAMILY = Weighted(FAMILY_NAMES)
_MIDDLE = {"M": Weighted(MIDDLE_NAMES_MALE), "F": Weighted(MIDDLE_NAMES_FEMALE)}
_GIVEN = {"M": Weighted(GIVEN_NAMES_MALE), "F": Weighted(GIVEN_NAMES_FEMALE)}
_MINORITY = {code: Weighted(w) for code, w in MINORITY_FAMILY_NAMES.items()}
_OCCUPATIONS = Weighted(OCCUPATIONS)


def family_name(rng: random.Random, ethnicity_code: str = "01") -> str:
    table = _MINORITY.get(ethnicity_code, _FAMILY)
    return table.draw(rng)


def person_name(
    rng: random.Random, sex: str, ethnicity_code: str = "01", family: str | None = None
) -> str:
    """A full name "Family Middle Given" for sex 'M' or 'F'."""
    family = family or family_name(rng, ethnicity_code)
    if ethnicity_code == "08":
        middle = "A" if sex == "M" else "Thị"
        given = rng.choice(HMONG_GIVEN_MALE if sex == "M" else HMONG_GIVEN_FEMALE)
        return f"{family} {middle} {given}"
    middle = _MIDDLE[sex].draw(rng)
    given = _GIVEN[sex].draw(rng)
    while given == middle:
        given = _GIVEN[sex].draw(rng)
    return f"{family} {middle} {given}"


def family_of(full_name: str) -> str:
    return full_name.split(" ", 1)[0]


def occupation(rng: random.Random) -> str:
    return _OCCUPATIONS.draw(rng)


def mobile_phone(rng: random.Random) -> str:
    return rng.choice(MOBILE_PREFIXES) + f"{rng.randrange(10**7):07d}"


def street_address(rng: random.Random, commune_name: str, province_name: str, urban: bool) -> str:
    """A house in a residential group (phường) or a hamlet (xã)."""
    if urban:
        if rng.random() < 0.6:
            place = f"Số {rng.randint(1, 250)}, đường {rng.choice(STREETS)}"
        else:
            place = f"Tổ dân phố {rng.randint(1, 30)}"
    else:
        place = f"Xóm {rng.choice(HAMLETS)}"
    return f"{place}, {commune_name}, {province_name}"


@dataclass(frozen=True)
class PersonalIdPlan:
    """How to make a personal identification number: where the birth was registered
    (old province codes, 3 digits, with weights) and the share missing or wrong."""

    registration_codes: dict[str, float]
    missing_share: float = 0.03
    mismatch_share: float = 0.01

    def __post_init__(self) -> None:
        object.__setattr__(self, "places", Weighted(self.registration_codes))


def personal_id(rng: random.Random, birth_year: int, sex: str, plan: PersonalIdPlan) -> str:
    """A 12-digit number that agrees with the birth year and sex (the last 6 digits
    random), or "" (missing) or a number whose 4th or 5th–6th digits disagree, in the
    shares of ``plan``. The caller checks uniqueness."""
    roll = rng.random()
    if roll < plan.missing_share:
        return ""
    century = (birth_year // 100) * 100
    century_digit = {1900: 0, 2000: 2, 2100: 4}.get(century, 2) + (0 if sex == "M" else 1)
    year = birth_year % 100
    if roll < plan.missing_share + plan.mismatch_share:
        if rng.random() < 0.5:
            century_digit ^= 1  # the other sex
        else:
            year = (year + rng.choice((-1, 1))) % 100  # a neighbouring year
    place = plan.places.draw(rng)  # type: ignore[attr-defined]
    return f"{place}{century_digit}{year:02d}{rng.randrange(10**6):06d}"
