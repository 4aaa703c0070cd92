"""The indicator catalogue: data in ``catalogue/indicators.json`` plus the figures the
modules offer through ``truongso.core.indicators.indicator_sources()``.

``read_catalogue()`` is pure (the data migration uses it); ``catalogue_sync()`` writes
the ``Indicator`` table (the ``stats_catalogue`` command and every snapshot call it).
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path

from truongso.core.indicators import indicator_sources

CATALOGUE_FILE = Path(__file__).parent / "catalogue" / "indicators.json"
FIELDS = (
    "label", "unit", "forms", "kinds", "disaggregation", "computation", "prefer_source",
    "aggregate", "layout", "dhis2_code", "definition", "order",
)  # fmt: skip
ALL_FORMS = ["boy", "eoy"]


@cache
def read_catalogue() -> list[dict]:
    """The indicators of the data file, each with every field filled in."""
    with open(CATALOGUE_FILE, encoding="utf-8") as handle:
        data = json.load(handle)
    entries = []
    for order, item in enumerate(data["indicators"], start=1):
        entries.append({
            "code": item["code"],
            "label": item["label"],
            "unit": item.get("unit", "count"),
            "forms": item.get("forms", ALL_FORMS),
            "kinds": item.get("kinds", []),
            "disaggregation": item.get("disaggregation", []),
            "computation": item["computation"],
            "prefer_source": item.get("prefer_source", ""),
            "aggregate": item.get("aggregate", "sum"),
            "layout": item.get("layout", {}),
            "dhis2_code": item.get("dhis2_code", ""),
            "definition": item.get("definition", ""),
            "order": order * 10,
        })  # fmt: skip
    return entries


def module_entries(start_order: int = 10000) -> list[dict]:
    """The modules' figures that the data file does not already name."""
    named = {e["code"] for e in read_catalogue()} | {
        e["prefer_source"] for e in read_catalogue() if e["prefer_source"]
    }
    entries = []
    for offset, source in enumerate(indicator_sources()):
        if source.code in named:
            continue
        entries.append({
            "code": source.code,
            "label": str(source.label),
            "unit": source.unit,
            "forms": ALL_FORMS,
            "kinds": list(source.kinds),
            "disaggregation": [],
            "computation": f"source:{source.code}",
            "prefer_source": "",
            "aggregate": source.aggregate,
            "layout": {},
            "dhis2_code": "",
            "definition": "",
            "order": start_order + offset,
        })  # fmt: skip
    return entries


def catalogue_sync() -> int:
    """Bring the Indicator table in line with the data file and the modules; returns the
    number of rows written. Indicators no longer offered are kept, inactive."""
    from truongso.stats.models import Indicator

    entries = read_catalogue() + module_entries()
    existing = {i.code: i for i in Indicator.objects.all()}
    written = 0
    for entry in entries:
        row = existing.pop(entry["code"], None)
        if row is None:
            Indicator.objects.create(code=entry["code"], **{f: entry[f] for f in FIELDS})
            written += 1
            continue
        changed = [f for f in FIELDS if getattr(row, f) != entry[f]]
        if changed or not row.is_active:
            for f in changed:
                setattr(row, f, entry[f])
            row.is_active = True
            row.save()
            written += 1
    for row in existing.values():
        if row.is_active:
            row.is_active = False
            row.save(update_fields=["is_active"])
            written += 1
    return written
