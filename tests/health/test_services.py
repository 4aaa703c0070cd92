import datetime as dt
from decimal import Decimal as D

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from truongso.audit.models import AuditEntry
from truongso.health.models import Checkup, InsuranceCard, Vaccination
from truongso.health.selectors import counts_by_institution, school_summary
from truongso.health.services import (
    campaign_create,
    checkups_record,
    insurance_card_set,
    vaccination_add,
)


def test_campaign_entry_keeps_good_rows_and_reports_the_bad_one(world, nurse, campaign):
    rows = {
        world.learner_an.pk: {"height": "145,0", "weight": "36.5", "vision_left": "10/10"},
        world.learner_binh.pk: {"height": "14.5", "weight": "36"},
        world.learner_cuong.pk: {"height": "124", "weight": "25", "vision_right": "11"},
    }
    result = checkups_record(actor=nurse, campaign=campaign, school_class=world.class_a1, rows=rows)
    assert result.saved == 1
    assert result.errors == {
        world.learner_binh.pk: {"height": "Chiều cao 14.5 cm nằm ngoài khoảng 40–220 cm."},
        world.learner_cuong.pk: {"vision_right": "Thị lực ghi dạng x/10, ví dụ 10/10 hoặc 8/10."},
    }
    saved = Checkup.objects.get()
    assert saved.learner == world.learner_an
    assert (saved.height_cm, saved.weight_kg, saved.bmi) == (D("145.0"), D("36.5"), D("17.36"))
    assert (saved.age_months, saved.reference, saved.haz, saved.baz) == (
        136,
        "who2007",
        D("0.00"),
        D("0.12"),
    )
    assert (saved.stature, saved.nutrition, saved.vision_left) == ("normal", "normal", "10/10")
    assert saved.institution_id == world.school_a.pk and saved.entered_by == nurse
    assert AuditEntry.objects.filter(action="health.checkup_record").count() == 1

    # Corrected, the bad rows are saved; the good one is unchanged.
    rows[world.learner_binh.pk]["height"] = "145"
    rows[world.learner_cuong.pk]["vision_right"] = "9/10"
    result = checkups_record(actor=nurse, campaign=campaign, school_class=world.class_a1, rows=rows)
    assert (result.saved, result.unchanged, result.errors) == (2, 1, {})
    assert result.warnings == {
        world.learner_cuong.pk: ["Z chiều cao theo tuổi = -3.07, hãy kiểm tra lại."]
    }
    assert Checkup.objects.count() == 3


def test_entry_refuses_others_and_foreign_learners(world, nurse, campaign):
    with pytest.raises(PermissionDenied):
        checkups_record(
            actor=world.teacher_a1_user,
            campaign=campaign,
            school_class=world.class_a1,
            rows={world.learner_an.pk: {"height": "145", "weight": "36"}},
        )
    result = checkups_record(
        actor=nurse,
        campaign=campaign,
        school_class=world.class_a1,
        rows={world.learner_dung.pk: {"height": "145", "weight": "36"}},
    )
    assert list(result.errors[world.learner_dung.pk]) == ["learner"]
    with pytest.raises(ValidationError):
        campaign_create(
            actor=nurse,
            institution=world.school_a,
            school_year=world.year,
            name="X",
            date=dt.date(2025, 10, 1),
            classes=[world.class_b1],
        )


def test_summary_counts_latest_checkup(world, nurse, campaign):
    checkups_record(
        actor=nurse,
        campaign=campaign,
        school_class=world.class_a1,
        rows={
            world.learner_an.pk: {"height": "124", "weight": "25"},  # severely stunted
            world.learner_binh.pk: {"height": "145", "weight": "55"},  # obese
            world.learner_cuong.pk: {"height": "145", "weight": "45"},  # overweight
        },
    )
    checkups_record(
        actor=nurse,
        campaign=campaign,
        school_class=world.class_a2,
        rows={world.learner_dung.pk: {"height": "145", "weight": "28"}},  # thin
    )
    rows = school_summary(
        actor=world.principal_a, institution=world.school_a, school_year=world.year
    )
    a1, a2, total = rows
    assert (a1.label, a1.checked, a1.stunted, a1.severely_stunted, a1.overweight, a1.obese) == (
        "6A1",
        3,
        1,
        1,
        1,
        1,
    )
    assert (a2.checked, a2.thin) == (1, 1)
    assert (total.checked, total.stunted, total.thin, total.overweight, total.obese) == (
        4,
        1,
        1,
        1,
        1,
    )
    assert total.shares == {
        "stunted": D("25.0"),
        "thin": D("25.0"),
        "overweight": D("25.0"),
        "obese": D("25.0"),
    }
    counts = counts_by_institution(
        [world.school_a.pk, world.school_b.pk], dt.date(2025, 9, 1), dt.date(2026, 5, 31)
    )
    assert list(counts) == [world.school_a.pk]
    assert counts[world.school_a.pk].checked == 4


def test_vaccination_and_insurance(world, nurse):
    vaccination_add(
        actor=nurse, learner=world.learner_an, vaccine="mr", dose=1, date=dt.date(2016, 3, 1)
    )
    with pytest.raises(ValidationError) as error:
        vaccination_add(
            actor=nurse, learner=world.learner_an, vaccine="mr", dose=1, date=dt.date(2016, 3, 1)
        )
    assert error.value.message_dict == {"dose": ["Mũi này đã được ghi."]}
    assert Vaccination.objects.count() == 1
    card = insurance_card_set(
        actor=nurse,
        learner=world.learner_an,
        number="hs 4010 1234 56789",
        valid_from=dt.date(2025, 1, 1),
        valid_to=dt.date(2025, 12, 31),
    )
    assert card.number == "HS4010123456789"
    with pytest.raises(ValidationError) as error:
        insurance_card_set(
            actor=nurse,
            learner=world.learner_an,
            number="12",
            valid_from=dt.date(2025, 1, 1),
            valid_to=dt.date(2024, 12, 31),
        )
    assert set(error.value.message_dict) == {"number", "valid_to"}
    with pytest.raises(PermissionDenied):
        insurance_card_set(
            actor=world.staff_a,
            learner=world.learner_an,
            number="0123456789",
            valid_from=dt.date(2025, 1, 1),
            valid_to=dt.date(2025, 12, 31),
        )
    assert InsuranceCard.objects.count() == 1
