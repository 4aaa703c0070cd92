"""Writes for school health: campaigns, checkups, vaccinations, insurance cards, and the
log of views of health data. Every change is audited."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from truongso.accounts.access import can_record_health, require, scope_for
from truongso.audit.services import audit_record, model_snapshot
from truongso.health.models import (
    Campaign,
    Checkup,
    HealthRecordView,
    InsuranceCard,
    Vaccination,
    Vaccine,
)
from truongso.health.rules.entry import check_vision, measure
from truongso.learners.models import Learner, LearnerStatus

CHECKUP_FIELDS = [
    "learner", "campaign", "date", "height_cm", "weight_kg", "bmi", "haz", "baz", "stature",
    "nutrition", "vision_left", "vision_right", "dental", "notes",
]  # fmt: skip
COLUMNS = ("height", "weight", "vision_left", "vision_right", "dental", "notes")


def health_views_log(*, actor, learners: Iterable[Learner], channel: str, what: str) -> int:
    """Log that ``actor`` viewed the health data of ``learners`` (page, api, export)."""
    rows = [
        HealthRecordView(
            viewer=actor if getattr(actor, "pk", None) else None,
            learner_id=learner.pk,
            institution_id=learner.institution_id,
            channel=channel,
            what=what,
        )
        for learner in learners
    ]
    HealthRecordView.objects.bulk_create(rows)
    return len(rows)


@transaction.atomic
def campaign_create(*, actor, institution, school_year, name: str, date: dt.date, classes):
    """A checkup campaign of ``institution`` for ``classes`` (its classes of the year)."""
    require(can_record_health(scope_for(actor), institution.pk))
    name = (name or "").strip()
    errors: dict[str, str] = {}
    if not name:
        errors["name"] = _("Hãy đặt tên cho đợt khám.")
    classes = list(classes)
    if not classes:
        errors["classes"] = _("Hãy chọn ít nhất một lớp.")
    foreign = [
        c.name
        for c in classes
        if c.institution_id != institution.pk or c.school_year_id != school_year.pk
    ]
    if foreign:
        errors["classes"] = _("Lớp không thuộc trường trong năm học này: %(names)s.") % {
            "names": ", ".join(foreign)
        }
    if date > dt.date.today():
        errors["date"] = _("Ngày khám không được ở tương lai.")
    if errors:
        raise ValidationError(errors)
    campaign = Campaign.objects.create(
        institution=institution, school_year=school_year, name=name, date=date,
        created_by=actor,
    )  # fmt: skip
    campaign.classes.set(classes)
    audit_record(
        actor=actor, action="health.campaign_create", instance=campaign, before=None,
        after={**model_snapshot(campaign, ["name", "date", "school_year"]),
               "classes": sorted(c.pk for c in classes)},
    )  # fmt: skip
    return campaign


@dataclass
class EntryResult:
    """What happened to a class's sheet: rows saved, rows unchanged, and for each bad row
    its messages by column (those rows were not saved and keep what was typed)."""

    saved: int = 0
    unchanged: int = 0
    skipped: int = 0  # blank rows
    errors: dict[int, dict[str, str]] = field(default_factory=dict)
    warnings: dict[int, list[str]] = field(default_factory=dict)


def _blank(row: dict) -> bool:
    return not any(str(row.get(column) or "").strip() for column in COLUMNS)


@transaction.atomic
def checkups_record(*, actor, campaign: Campaign, school_class, rows: dict[int, dict]):
    """Record the checkups of ``school_class`` in ``campaign`` from ``rows``: learner id →
    {"height", "weight", "vision_left", "vision_right", "dental", "notes"} as typed.
    Good rows are saved (a learner's earlier checkup in the campaign is updated), bad
    rows are reported by learner and column and saved nothing; blank rows are skipped."""
    require(can_record_health(scope_for(actor), campaign.institution_id))
    if not campaign.classes.filter(pk=school_class.pk).exists():
        raise ValidationError(
            _("Lớp %(name)s không thuộc đợt khám này.") % {"name": school_class.name}
        )
    roster = {
        lr.pk: lr
        for lr in Learner.objects.filter(current_class=school_class, status=LearnerStatus.STUDYING)
    }
    existing = {
        ch.learner_id: ch
        for ch in Checkup.objects.select_for_update().filter(
            campaign=campaign, learner_id__in=roster
        )
    }
    result = EntryResult()
    for learner_id, row in rows.items():
        learner = roster.get(int(learner_id))
        if learner is None:
            result.errors[int(learner_id)] = {
                "learner": _("Học sinh (mã %(id)s) không thuộc lớp %(name)s.")
                % {"id": learner_id, "name": school_class.name}
            }
            continue
        if _blank(row):
            result.skipped += 1
            continue
        measured, errors = measure(
            height=row.get("height"), weight=row.get("weight"), sex=learner.sex,
            born=learner.date_of_birth, on=campaign.date, t=_,
        )  # fmt: skip
        extra: dict[str, str] = {}
        for column in ("vision_left", "vision_right"):
            value, message = check_vision(row.get(column, ""), _)
            extra[column] = value
            if message:
                errors[column] = message
        for column, limit in (("dental", 200), ("notes", 500)):
            extra[column] = str(row.get(column) or "").strip()
            if len(extra[column]) > limit:
                errors[column] = _("Tối đa %(n)s ký tự.") % {"n": limit}
        if errors:
            result.errors[learner.pk] = errors
            continue
        if measured.warnings:
            result.warnings[learner.pk] = measured.warnings
        values = {
            "date": campaign.date,
            "height_cm": measured.height_cm,
            "weight_kg": measured.weight_kg,
            "bmi": measured.bmi,
            "age_months": measured.age.months if measured.age else None,
            "reference": measured.age.reference if measured.age else "",
            "haz": measured.haz,
            "baz": measured.baz,
            "stature": measured.stature,
            "nutrition": measured.nutrition,
            **extra,
        }
        checkup = existing.get(learner.pk)
        if checkup is None:
            checkup = Checkup.objects.create(
                institution_id=learner.institution_id, learner=learner,
                school_class=school_class, campaign=campaign, entered_by=actor, **values,
            )  # fmt: skip
            audit_record(
                actor=actor, action="health.checkup_record", instance=checkup, before=None,
                after=model_snapshot(checkup, CHECKUP_FIELDS),
            )  # fmt: skip
            result.saved += 1
            continue
        if all(getattr(checkup, k) == v for k, v in values.items()):
            result.unchanged += 1
            continue
        before = model_snapshot(checkup, CHECKUP_FIELDS)
        for key, value in values.items():
            setattr(checkup, key, value)
        checkup.entered_by = actor
        checkup.save()
        audit_record(
            actor=actor, action="health.checkup_record", instance=checkup, before=before,
            after=model_snapshot(checkup, CHECKUP_FIELDS),
        )  # fmt: skip
        result.saved += 1
    return result


@transaction.atomic
def vaccination_add(*, actor, learner, vaccine: str, dose: int, date: dt.date, notes: str = ""):
    require(can_record_health(scope_for(actor), learner.institution_id))
    errors: dict[str, str] = {}
    if vaccine not in Vaccine.values:
        errors["vaccine"] = _("Hãy chọn vắc xin trong danh sách.")
    if not (1 <= int(dose) <= 10):
        errors["dose"] = _("Mũi thứ phải từ 1 đến 10.")
    if date > dt.date.today():
        errors["date"] = _("Ngày tiêm không được ở tương lai.")
    elif learner.date_of_birth and date < learner.date_of_birth:
        errors["date"] = _("Ngày tiêm trước ngày sinh của học sinh.")
    if (
        not errors
        and Vaccination.objects.filter(learner=learner, vaccine=vaccine, dose=dose).exists()
    ):
        errors["dose"] = _("Mũi này đã được ghi.")
    if errors:
        raise ValidationError(errors)
    vaccination = Vaccination.objects.create(
        institution_id=learner.institution_id, learner=learner, vaccine=vaccine, dose=dose,
        date=date, notes=(notes or "").strip()[:200], entered_by=actor,
    )  # fmt: skip
    audit_record(
        actor=actor, action="health.vaccination_add", instance=vaccination, before=None,
        after=model_snapshot(vaccination, ["learner", "vaccine", "dose", "date", "notes"]),
    )  # fmt: skip
    return vaccination


@transaction.atomic
def vaccination_delete(*, actor, vaccination: Vaccination, reason: str = "") -> None:
    require(can_record_health(scope_for(actor), vaccination.institution_id))
    audit_record(
        actor=actor, action="health.vaccination_delete", instance=vaccination,
        before=model_snapshot(vaccination, ["learner", "vaccine", "dose", "date", "notes"]),
        after=None, reason=reason,
    )  # fmt: skip
    vaccination.delete()


@transaction.atomic
def insurance_card_set(
    *, actor, learner, number: str, valid_from: dt.date, valid_to: dt.date
) -> InsuranceCard:
    """Record or change the learner's health insurance card (thẻ BHYT): 10 characters
    (the social insurance number) or the older 15-character card code."""
    require(can_record_health(scope_for(actor), learner.institution_id))
    number = (number or "").strip().upper().replace(" ", "")
    errors: dict[str, str] = {}
    if len(number) not in (10, 15) or not number.isalnum():
        errors["number"] = _("Số thẻ BHYT gồm 10 chữ số hoặc 15 ký tự (chữ và số).")
    if valid_to < valid_from:
        errors["valid_to"] = _("Ngày hết hạn phải sau ngày bắt đầu.")
    if errors:
        raise ValidationError(errors)
    fields = ["learner", "number", "valid_from", "valid_to"]
    card = InsuranceCard.objects.select_for_update().filter(learner=learner).first()
    before = model_snapshot(card, fields) if card else None
    if card is None:
        card = InsuranceCard(learner=learner, institution_id=learner.institution_id)
    card.number, card.valid_from, card.valid_to = number, valid_from, valid_to
    card.institution_id = learner.institution_id
    card.updated_by = actor
    card.save()
    after = model_snapshot(card, fields)
    if before != after:
        audit_record(
            actor=actor, action="health.insurance_card_set", instance=card, before=before,
            after=after,
        )  # fmt: skip
    return card
