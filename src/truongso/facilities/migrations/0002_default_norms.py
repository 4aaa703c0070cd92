"""The norms a new installation starts with (see rules/default_norms.py)."""

from decimal import Decimal

from django.db import migrations


def add_norms(apps, schema_editor):
    from truongso.facilities.rules.default_norms import DEFAULT_NORMS

    Norm = apps.get_model("facilities", "Norm")
    for code, kind, value, kinds, source, note in DEFAULT_NORMS:
        Norm.objects.get_or_create(
            code=code,
            defaults={"kind": kind, "value": Decimal(value), "kinds": kinds, "source": source,
                      "note": note},
        )  # fmt: skip


def remove_norms(apps, schema_editor):
    from truongso.facilities.rules.default_norms import DEFAULT_NORMS

    apps.get_model("facilities", "Norm").objects.filter(
        code__in=[row[0] for row in DEFAULT_NORMS]
    ).delete()


class Migration(migrations.Migration):
    dependencies = [("facilities", "0001_initial")]

    operations = [migrations.RunPython(add_norms, remove_norms)]
