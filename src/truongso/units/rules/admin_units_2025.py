"""The administrative unit trees before and after 1 July 2025, and how one maps into
the other. Pure data transformations (no Django): the loader reads the rows of the
national list (two tables: today's 34 provinces with their communes; the legacy 63
provinces with districts and communes) and the conversion table, and turns them into
unit specifications and succession pairs here.

Keys of the conversion table are folded names without spaces (``tinhhagiang``): a
legacy commune is ``<province key>_<district key>_<commune key>`` (the commune key is
empty for the five island districts that had no communes); a commune of today's tree
is ``<commune key>`` inside its province key.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

REFORM_2025 = dt.date(2025, 7, 1)
LEGACY_END = dt.date(2025, 6, 30)

COUNTRY_CODE = "VN"
COUNTRY_NAME = "Việt Nam"

# Longest first, so "Thành phố" wins over a shorter prefix.
KIND_PREFIXES = (
    "Thành phố", "Thị trấn", "Thị xã", "Đặc khu", "Phường", "Huyện", "Quận", "Tỉnh", "Xã",
)  # fmt: skip


def normalise_unit_name(name: str) -> str:
    """The name with its kind written the usual way ("Thành Phố Bắc Kạn" → "Thành phố
    Bắc Kạn"); the list spells a few prefixes with capitals."""
    name = " ".join((name or "").split())
    for prefix in KIND_PREFIXES:
        if name.lower().startswith(prefix.lower() + " "):
            return prefix + name[len(prefix) :]
    return name


def unit_kind(name: str, given: str | None = None) -> str:
    """The kind of a unit (Tỉnh, Thành phố, Quận, Huyện, Thị xã, Xã, Phường, Thị trấn,
    Đặc khu), read from the start of its name; the list's own type column only when
    the name does not say. The name wins because the type column disagrees with it for
    a few units (e.g. "Phường Việt Hòa" typed Xã while "Xã Vĩnh Hòa" is typed Phường),
    and the names are the official ones."""
    name = normalise_unit_name(name)
    for prefix in KIND_PREFIXES:
        if name.startswith(prefix + " "):
            return prefix
    return (given or "").strip()


# (level, code, valid_from, valid_to): identifies a unit of either tree.
UnitKey = tuple[str, str, dt.date | None, dt.date | None]

COUNTRY_KEY: UnitKey = ("country", COUNTRY_CODE, None, None)


def current_key(level: str, code: str) -> UnitKey:
    return (level, code, REFORM_2025, None)


def legacy_key(level: str, code: str) -> UnitKey:
    return (level, code, None, LEGACY_END)


@dataclass(frozen=True)
class UnitSpec:
    key: UnitKey
    name: str
    short_name: str
    kind: str
    parent: UnitKey | None
    latitude: float | None = None
    longitude: float | None = None

    @property
    def level(self) -> str:
        return self.key[0]

    @property
    def code(self) -> str:
        return self.key[1]


def country_spec() -> UnitSpec:
    return UnitSpec(COUNTRY_KEY, COUNTRY_NAME, COUNTRY_NAME, "", None)


def _spec(key: UnitKey, row: Mapping, prefix: str, parent: UnitKey, kind_column: str = ""):
    """A unit from the columns ``<prefix>``, ``<prefix>Short``, ``<prefix>Lat/Lon``."""
    name = normalise_unit_name(row[prefix])
    return UnitSpec(
        key=key,
        name=name,
        short_name=row.get(f"{prefix}Short") or "",
        kind=unit_kind(name, row.get(kind_column) if kind_column else None),
        parent=parent,
        latitude=row.get(f"{prefix}Lat"),
        longitude=row.get(f"{prefix}Lon"),
    )


def current_specs(rows: Iterable[Mapping]) -> list[UnitSpec]:
    """Today's provinces and communes from rows of the current table (``province``,
    ``provinceShort``, ``provinceCode``, ``provinceLat/Lon``, ``ward``, ``wardShort``,
    ``wardType``, ``wardCode``, ``wardLat/Lon``). Provinces come before communes."""
    provinces: dict[str, UnitSpec] = {}
    communes: list[UnitSpec] = []
    for row in rows:
        pkey = current_key("province", row["provinceCode"])
        if row["provinceCode"] not in provinces:
            provinces[row["provinceCode"]] = _spec(pkey, row, "province", COUNTRY_KEY)
        ckey = current_key("commune", row["wardCode"])
        communes.append(_spec(ckey, row, "ward", pkey, "wardType"))
    return [*provinces.values(), *communes]


def legacy_specs(rows: Iterable[Mapping]) -> list[UnitSpec]:
    """The legacy provinces, districts and communes from rows of the legacy table.
    A row without a commune (island districts) only contributes its district."""
    provinces: dict[str, UnitSpec] = {}
    districts: dict[str, UnitSpec] = {}
    communes: list[UnitSpec] = []
    for row in rows:
        pkey = legacy_key("province", row["provinceCode"])
        if row["provinceCode"] not in provinces:
            provinces[row["provinceCode"]] = _spec(pkey, row, "province", COUNTRY_KEY)
        dkey = legacy_key("district", row["districtCode"])
        if row["districtCode"] not in districts:
            districts[row["districtCode"]] = _spec(dkey, row, "district", pkey, "districtType")
        if row.get("wardCode"):
            ckey = legacy_key("commune", row["wardCode"])
            communes.append(_spec(ckey, row, "ward", dkey, "wardType"))
    return [*provinces.values(), *districts.values(), *communes]


@dataclass(frozen=True)
class Succession:
    predecessor: UnitKey
    successor: UnitKey
    divided: bool


class MappingError(ValueError):
    """The conversion table names a unit that is not in the lists."""


def successions(
    converter: Mapping,
    current_rows: Iterable[Mapping],
    legacy_rows: Iterable[Mapping],
) -> list[Succession]:
    """Every legacy province → its province of today; every legacy commune → the
    commune(s) of today it became (``divided`` when split between several); each of
    the five island districts without communes → the special zone (đặc khu) it became.

    ``converter`` has the keys DICT_PROVINCE (new province key → old province keys),
    DICT_PROVINCE_WARD_NO_DIVIDED (new province key → new commune key → old commune
    keys) and DICT_PROVINCE_WARD_DIVIDED (new province key → old commune key → list of
    {newWardKey, …})."""
    new_province = {}
    new_commune = {}
    for row in current_rows:
        new_province[row["provinceKey"]] = row["provinceCode"]
        new_commune[(row["provinceKey"], row["wardKey"])] = row["wardCode"]
    old_province = {}
    old_commune: dict[str, UnitKey] = {}
    for row in legacy_rows:
        old_province[row["provinceKey"]] = row["provinceCode"]
        old_key = f"{row['provinceKey']}_{row['districtKey']}_{row['wardKey'] or ''}"
        if row.get("wardCode"):
            old_commune[old_key] = legacy_key("commune", row["wardCode"])
        else:
            old_commune[old_key] = legacy_key("district", row["districtCode"])

    def lookup(table: Mapping, key, what: str):
        try:
            return table[key]
        except KeyError:
            raise MappingError(f"{what} not in the unit lists: {key!r}")

    result: list[Succession] = []
    for new_key, old_keys in converter["DICT_PROVINCE"].items():
        successor = current_key("province", lookup(new_province, new_key, "province"))
        for old in old_keys:
            predecessor = legacy_key("province", lookup(old_province, old, "legacy province"))
            result.append(Succession(predecessor, successor, False))
    for province_key, communes in converter["DICT_PROVINCE_WARD_NO_DIVIDED"].items():
        for commune_key, old_keys in communes.items():
            code = lookup(new_commune, (province_key, commune_key), "commune")
            successor = current_key("commune", code)
            for old in old_keys:
                predecessor = lookup(old_commune, old, "legacy commune")
                result.append(Succession(predecessor, successor, False))
    for province_key, olds in converter["DICT_PROVINCE_WARD_DIVIDED"].items():
        for old, parts in olds.items():
            predecessor = lookup(old_commune, old, "legacy commune")
            for part in parts:
                code = lookup(new_commune, (province_key, part["newWardKey"]), "commune")
                result.append(Succession(predecessor, current_key("commune", code), True))
    return result
