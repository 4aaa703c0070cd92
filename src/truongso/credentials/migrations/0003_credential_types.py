"""The kinds of diploma and certificate every node starts with (more in the admin)."""

import datetime

from django.db import migrations

TYPES = [
    {
        "code": "upper_secondary_diploma",
        "kind": "diploma",
        "name": "Bằng tốt nghiệp trung học phổ thông",
        "name_en": "Upper Secondary School Graduation Diploma",
        "achievement_type": "SecondarySchoolDiploma",
        "description": "Bằng tốt nghiệp trung học phổ thông",
        "criteria": "Được công nhận tốt nghiệp trung học phổ thông.",
        "series_code": "T",
        "institution_kinds": ["upper_secondary", "multi_level", "continuing"],
    },
    {
        "code": "lower_secondary_diploma",
        "kind": "diploma",
        "name": "Bằng tốt nghiệp trung học cơ sở",
        "name_en": "Lower Secondary School Graduation Diploma",
        "achievement_type": "SecondarySchoolDiploma",
        "description": "Bằng tốt nghiệp trung học cơ sở",
        "criteria": "Được công nhận tốt nghiệp trung học cơ sở.",
        "has_classification": True,
        "series_code": "C",
        "institution_kinds": ["lower_secondary", "multi_level", "continuing"],
        # Abolished by the amended Education Law from 2026-01-01 (completion is on the
        # report card); kept for the diplomas issued until then.
        "valid_until": datetime.date(2025, 12, 31),
    },
    {
        "code": "vocational_intermediate_diploma",
        "kind": "diploma",
        "name": "Bằng tốt nghiệp trung cấp",
        "name_en": "Intermediate Diploma",
        "bilingual": True,
        "achievement_type": "Diploma",
        "description": "Bằng tốt nghiệp trình độ trung cấp",
        "criteria": "Hoàn thành chương trình đào tạo trình độ trung cấp.",
        "has_classification": True,
        "has_major": True,
        "series_code": "TC",
        "institution_kinds": ["vocational_intermediate", "college"],
    },
    {
        "code": "college_diploma",
        "kind": "diploma",
        "name": "Bằng tốt nghiệp cao đẳng",
        "name_en": "College Diploma",
        "bilingual": True,
        "achievement_type": "Diploma",
        "description": "Bằng tốt nghiệp trình độ cao đẳng",
        "criteria": "Hoàn thành chương trình đào tạo trình độ cao đẳng.",
        "has_classification": True,
        "has_major": True,
        "series_code": "CD",
        "institution_kinds": ["college"],
    },
    {
        "code": "certificate",
        "kind": "certificate",
        "name": "Chứng chỉ",
        "name_en": "Certificate",
        "achievement_type": "Certificate",
        "description": "Chứng chỉ",
        "criteria": "Hoàn thành chương trình và đạt yêu cầu đánh giá.",
        "has_major": True,
        "series_code": "CC",
        "institution_kinds": [],
    },
]


def create_types(apps, schema_editor):
    CredentialType = apps.get_model("credentials", "CredentialType")
    for data in TYPES:
        CredentialType.objects.update_or_create(code=data["code"], defaults=data)


def remove_types(apps, schema_editor):
    CredentialType = apps.get_model("credentials", "CredentialType")
    CredentialType.objects.filter(code__in=[t["code"] for t in TYPES]).delete()


class Migration(migrations.Migration):
    dependencies = [("credentials", "0002_credentialtype_credential_logentry_credential_and_more")]

    operations = [migrations.RunPython(create_types, remove_types)]
