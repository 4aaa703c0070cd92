"""Store version 1 of the built-in rule sets (Circulars 27/2020, 22/2021, 43/2021,
04/2022) so that results can be computed right after installation."""

from django.db import migrations


def load(apps, schema_editor):
    from truongso.assessment.rules.builtin import BUILTIN_RULE_SETS
    from truongso.assessment.rules.parameters import to_parameters

    RuleSet = apps.get_model("assessment", "RuleSet")
    for rules in BUILTIN_RULE_SETS:
        info = rules.info
        RuleSet.objects.get_or_create(
            code=info.code,
            version=info.version,
            defaults={
                "regulation": info.regulation,
                "education_level": info.education_level,
                "first_school_year": info.first_school_year,
                "parameters": to_parameters(rules),
                "note": "Bộ quy tắc mặc định",
            },
        )


class Migration(migrations.Migration):
    dependencies = [("assessment", "0001_initial")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
