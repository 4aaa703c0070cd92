"""Load the indicator catalogue from stats/catalogue/indicators.json."""

from django.db import migrations

FIELDS = (
    "label", "unit", "forms", "kinds", "disaggregation", "computation", "prefer_source",
    "aggregate", "layout", "dhis2_code", "definition", "order",
)  # fmt: skip


def load(apps, schema_editor):
    from truongso.stats.catalogue import read_catalogue

    Indicator = apps.get_model("stats", "Indicator")
    for entry in read_catalogue():
        Indicator.objects.update_or_create(
            code=entry["code"], defaults={f: entry[f] for f in FIELDS}
        )


class Migration(migrations.Migration):
    dependencies = [("stats", "0001_initial")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
