"""Demo data of school health: the nurse account "yte" at the flagship school and a
checkup campaign of its classes, with heights and weights drawn around the WHO curves
(a plausible spread: some stunting and thinness, more overweight in the towns)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.utils.translation import gettext as _

from truongso.accounts.models import Role, RoleAssignment, User
from truongso.health.rules import growth as g

USERNAME = "yte"


def _sample(rng, learner, on: dt.date) -> dict[str, str] | None:
    age = g.age_on(learner.date_of_birth, on)
    if age is None or learner.sex not in ("M", "F"):
        return None
    haz = Decimal(str(round(rng.gauss(-0.55, 1.0), 2)))
    baz = Decimal(str(round(rng.gauss(0.15, 1.15), 2)))
    height = g.lms_for(g.HFA, learner.sex, age)
    bmi = g.lms_for(g.BFA, learner.sex, age)
    h = height.m * (1 + height.l * height.s * haz) ** (1 / height.l)
    b = bmi.m * (1 + bmi.l * bmi.s * baz) ** (1 / bmi.l)
    w = b * (h / 100) ** 2
    return {
        "height": str(h.quantize(Decimal("0.1"))),
        "weight": str(w.quantize(Decimal("0.1"))),
        "vision_left": f"{rng.choice([10, 10, 10, 9, 8, 7])}/10",
        "vision_right": f"{rng.choice([10, 10, 10, 9, 8, 6])}/10",
        "dental": rng.choice(["", "", "", _("Sâu răng"), _("Cao răng")]),
    }


def build(ctx) -> dict[str, int]:
    from truongso.demo.builder import DEMO_PASSWORD
    from truongso.health.services import campaign_create, checkups_record
    from truongso.learners.models import Learner, LearnerStatus

    rng = ctx.rng("health")
    flagship = ctx.flagship
    nurse = User.objects.create_user(
        username=USERNAME, password=DEMO_PASSWORD, full_name="Đặng Thị Thu Hà"
    )
    RoleAssignment.objects.create(user=nurse, role=Role.SCHOOL_NURSE, institution=flagship)
    ctx.users[USERNAME] = nurse
    ctx.logins.append((USERNAME, str(Role.SCHOOL_NURSE.label), flagship.name))
    classes = ctx.classes.get(flagship.pk, [])
    if not classes:
        return {}
    on = min(ctx.today, dt.date.today(), ctx.year.starts_on + dt.timedelta(days=40))
    campaign = campaign_create(
        actor=nurse, institution=flagship, school_year=ctx.year,
        name=_("Khám sức khỏe đầu năm học %(year)s") % {"year": ctx.year.name}, date=on,
        classes=classes,
    )  # fmt: skip
    saved = 0
    for school_class in classes:
        learners = Learner.objects.filter(
            current_class=school_class, status=LearnerStatus.STUDYING
        ).order_by("pk")
        rows = {}
        for learner in learners:
            row = _sample(rng, learner, on)
            if row is not None:
                rows[learner.pk] = row
        result = checkups_record(
            actor=nurse, campaign=campaign, school_class=school_class, rows=rows
        )
        saved += result.saved
    return {_("Lần khám sức khỏe"): saved}


def reset(institution_ids: list[int]) -> None:
    from truongso.health.models import (
        Campaign,
        Checkup,
        HealthRecordView,
        InsuranceCard,
        Vaccination,
    )

    HealthRecordView.objects.filter(institution_id__in=institution_ids).delete()
    Checkup.objects.filter(institution_id__in=institution_ids).delete()
    Campaign.objects.filter(institution_id__in=institution_ids).delete()
    Vaccination.objects.filter(institution_id__in=institution_ids).delete()
    InsuranceCard.objects.filter(institution_id__in=institution_ids).delete()
    HealthRecordView.objects.filter(viewer__username=USERNAME).delete()
