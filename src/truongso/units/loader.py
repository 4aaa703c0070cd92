"""Load the administrative unit trees (before and after 1 July 2025) and the
successions between them from the ``vietnamadminunits`` package.

Idempotent: units are matched on (level, code, validity) and only changed rows are
written; running it twice changes nothing. Bulk writes, a few seconds for ~14,000
units and ~10,700 successions.
"""

from __future__ import annotations

import importlib.util
import json
import sqlite3
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from django.db import transaction
from django.db.models import CharField, OuterRef, Q, Subquery, Value
from django.db.models.functions import Cast, Concat

from truongso.core.rules.text import fold
from truongso.units.models import AdministrativeUnit, UnitSuccession
from truongso.units.rules.admin_units_2025 import (
    COUNTRY_KEY,
    LEGACY_END,
    REFORM_2025,
    Succession,
    UnitKey,
    UnitSpec,
    country_spec,
    current_specs,
    legacy_specs,
    successions,
)

PACKAGE = "vietnamadminunits"
LEVEL_ORDER = ("country", "province", "district", "commune")
UNIT_FIELDS = ("name", "short_name", "search_name", "kind", "parent_id", "latitude", "longitude")
BATCH = 1000


def package_data_dir() -> Path:
    """The data folder of the installed package, found from its ``__file__``."""
    spec = importlib.util.find_spec(PACKAGE)
    if spec is None or spec.origin is None:
        raise RuntimeError(f"The package {PACKAGE} is not installed.")
    return Path(spec.origin).parent / "data"


def read_source(data_dir: Path | None = None) -> tuple[list[dict], list[dict], dict]:
    """The rows of today's table, of the legacy table, and the conversion table."""
    data_dir = data_dir or package_data_dir()
    db = sqlite3.connect(f"file:{data_dir / 'dataset.db'}?mode=ro", uri=True)
    db.row_factory = sqlite3.Row
    try:
        current = [dict(r) for r in db.execute("SELECT * FROM admin_units ORDER BY rowid")]
        legacy = [dict(r) for r in db.execute("SELECT * FROM admin_units_legacy ORDER BY rowid")]
    finally:
        db.close()
    converter = json.loads((data_dir / "converter_2025.json").read_text(encoding="utf-8"))
    return current, legacy, converter


@dataclass
class LoadReport:
    units_created: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    units_updated: int = 0
    paths_set: int = 0
    successions_created: int = 0
    successions_updated: int = 0

    @property
    def changed(self) -> bool:
        return bool(
            sum(self.units_created.values())
            or self.units_updated
            or self.paths_set
            or self.successions_created
            or self.successions_updated
        )


def _key_of(unit) -> UnitKey:
    return (unit.level, unit.code, unit.valid_from, unit.valid_to)


def _round(value: float | None) -> float | None:
    return None if value is None else round(float(value), 6)


def _wanted_values(spec: UnitSpec, parent_id: int | None) -> dict:
    return {
        "name": spec.name,
        "short_name": spec.short_name,
        "search_name": fold(spec.name),
        "kind": spec.kind,
        "parent_id": parent_id,
        "latitude": _round(spec.latitude),
        "longitude": _round(spec.longitude),
    }


def _existing_units() -> dict[UnitKey, AdministrativeUnit]:
    qs = AdministrativeUnit.objects.filter(
        Q(level="country", code=COUNTRY_KEY[1], valid_from__isnull=True, valid_to__isnull=True)
        | Q(valid_from=REFORM_2025, valid_to__isnull=True)
        | Q(valid_from__isnull=True, valid_to=LEGACY_END)
    ).only("id", "level", "code", "valid_from", "valid_to", "path", *UNIT_FIELDS)
    return {_key_of(u): u for u in qs}


def _sync_units(specs: list[UnitSpec], report: LoadReport) -> dict[UnitKey, AdministrativeUnit]:
    units = _existing_units()
    by_level: dict[str, list[UnitSpec]] = defaultdict(list)
    for spec in specs:
        by_level[spec.level].append(spec)
    for level in LEVEL_ORDER:
        to_create, to_update = [], []
        for spec in by_level[level]:
            parent_id = units[spec.parent].pk if spec.parent else None
            wanted = _wanted_values(spec, parent_id)
            unit = units.get(spec.key)
            if unit is None:
                level_, code, valid_from, valid_to = spec.key
                to_create.append(
                    AdministrativeUnit(
                        level=level_, code=code, valid_from=valid_from, valid_to=valid_to, **wanted
                    )
                )
            elif any(getattr(unit, name) != value for name, value in wanted.items()):
                for name, value in wanted.items():
                    setattr(unit, name, value)
                to_update.append(unit)
        for unit in AdministrativeUnit.objects.bulk_create(to_create, batch_size=BATCH):
            units[_key_of(unit)] = unit
        if to_update:
            AdministrativeUnit.objects.bulk_update(to_update, UNIT_FIELDS, batch_size=BATCH)
        report.units_created[level] += len(to_create)
        report.units_updated += len(to_update)
    _sync_paths(units, specs, report)
    return units


def _sync_paths(
    units: dict[UnitKey, AdministrativeUnit], specs: list[UnitSpec], report: LoadReport
) -> None:
    """Materialised paths ("/1/2/35/"), parents first. Rows whose path is already right
    are left alone; the others get ``parent.path || id || '/'`` in one UPDATE per chunk,
    level by level (much faster than a row-by-row bulk_update)."""
    changed: dict[str, list[int]] = defaultdict(list)
    for spec in specs:  # specs are ordered parents first
        unit = units[spec.key]
        parent_path = units[spec.parent].path if spec.parent else "/"
        path = f"{parent_path}{unit.pk}/"
        if unit.path != path:
            unit.path = path
            changed[spec.level].append(unit.pk)
    parent_path = Subquery(
        AdministrativeUnit.objects.filter(pk=OuterRef("parent_id")).values("path")[:1]
    )
    own = Cast("pk", output_field=CharField())
    for level in LEVEL_ORDER:
        ids = changed.get(level, [])
        expression = Concat(
            Value("/") if level == "country" else parent_path, own, Value("/"),
            output_field=CharField(),
        )  # fmt: skip
        for start in range(0, len(ids), BATCH):
            AdministrativeUnit.objects.filter(pk__in=ids[start : start + BATCH]).update(
                path=expression
            )
        report.paths_set += len(ids)


def _sync_successions(
    pairs: list[Succession], units: dict[UnitKey, AdministrativeUnit], report: LoadReport
) -> None:
    wanted: dict[tuple[int, int], bool] = {}
    for pair in pairs:
        wanted[(units[pair.predecessor].pk, units[pair.successor].pk)] = pair.divided
    legacy_ids = [u.pk for key, u in units.items() if key[3] == LEGACY_END]
    existing: dict[tuple[int, int], UnitSuccession] = {}
    for start in range(0, len(legacy_ids), BATCH):
        chunk = legacy_ids[start : start + BATCH]
        for row in UnitSuccession.objects.filter(predecessor_id__in=chunk):
            existing[(row.predecessor_id, row.successor_id)] = row
    to_create, to_update = [], []
    for (pred, succ), divided in wanted.items():
        row = existing.get((pred, succ))
        if row is None:
            to_create.append(
                UnitSuccession(
                    predecessor_id=pred,
                    successor_id=succ,
                    divided=divided,
                    effective_on=REFORM_2025,
                )  # fmt: skip
            )
        elif row.divided != divided or row.effective_on != REFORM_2025:
            row.divided, row.effective_on = divided, REFORM_2025
            to_update.append(row)
    UnitSuccession.objects.bulk_create(to_create, batch_size=BATCH)
    if to_update:
        UnitSuccession.objects.bulk_update(to_update, ["divided", "effective_on"], batch_size=BATCH)
    report.successions_created += len(to_create)
    report.successions_updated += len(to_update)


@transaction.atomic
def units_load(data_dir: Path | None = None) -> LoadReport:
    """Load or refresh the country, both trees and the successions. Idempotent."""
    current_rows, legacy_rows, converter = read_source(data_dir)
    specs = [country_spec(), *current_specs(current_rows), *legacy_specs(legacy_rows)]
    specs.sort(key=lambda s: LEVEL_ORDER.index(s.level))  # stable: parents first
    report = LoadReport()
    units = _sync_units(specs, report)
    _sync_successions(successions(converter, current_rows, legacy_rows), units, report)
    return report
