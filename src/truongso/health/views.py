"""Pages for school health: thin, the rules live in services and selectors. Every page
that shows a learner's health data reads it through a logging selector."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from truongso.academics.models import SchoolClass
from truongso.academics.selectors import current_school_year
from truongso.accounts.access import scope_for
from truongso.health import exports, selectors, services
from truongso.health.chart import Point, growth_svg
from truongso.health.forms import (
    PREFIXES,
    CampaignForm,
    InsuranceCardForm,
    VaccinationForm,
    rows_from_post,
)
from truongso.health.models import Vaccination
from truongso.health.rules import growth as g
from truongso.health.rules.entry import typing_bounds
from truongso.web.shortcuts import add_service_errors, get_or_404, paginate


def _xlsx(content: bytes, name: str) -> HttpResponse:
    response = HttpResponse(
        content,
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = f'attachment; filename="{name}.xlsx"'
    return response


@login_required
def home(request):
    """Per role: the schools whose figures one may see (offices, principals, nurses), the
    homeroom classes (teachers), the children (guardians)."""
    user = request.user
    scope = scope_for(user)
    institutions = paginate(request, selectors.summary_institutions(actor=user))
    homeroom = (
        SchoolClass.objects.filter(pk__in=scope.homeroom_class_ids)
        .select_related("institution", "school_year")
        .order_by("-school_year__starts_on", "name")
    )
    children = selectors.health_learners(actor=user).filter(pk__in=scope.guardian_learner_ids)
    return render(
        request,
        "health/home.html",
        {
            "institutions": institutions,
            "page_obj": institutions,
            "homeroom": homeroom,
            "children": children.order_by("search_name", "pk"),
            "is_office": scope.is_office,
        },
    )


@login_required
def offices_xlsx(request):
    year = current_school_year()
    institutions = list(selectors.summary_institutions(actor=request.user))
    counts = selectors.counts_by_institution(
        [i.pk for i in institutions], year.starts_on, year.ends_on
    )
    rows = [(i, counts.get(i.pk, selectors.GrowthSummary())) for i in institutions]
    return _xlsx(exports.institutions_workbook(rows), f"y-te-{year.name}")


def _school_context(request, pk: int):
    institution = get_or_404(selectors.institution_for_health, actor=request.user, pk=pk)
    year = current_school_year()
    rows = selectors.school_summary(actor=request.user, institution=institution, school_year=year)
    return institution, year, rows


@login_required
def school(request, pk: int):
    institution, year, rows = _school_context(request, pk)
    campaigns = paginate(
        request, selectors.campaign_list(actor=request.user, institution_id=institution.pk)
    )
    can_record = selectors.can_record(actor=request.user, institution_id=institution.pk)
    return render(
        request,
        "health/school.html",
        {
            "institution": institution,
            "year": year,
            "rows": rows[:-1],
            "total": rows[-1],
            "campaigns": campaigns,
            "page_obj": campaigns,
            "can_record": can_record,
        },
    )


@login_required
def school_xlsx(request, pk: int):
    institution, year, rows = _school_context(request, pk)
    title = f"{institution.name} — {year.name}"
    return _xlsx(exports.summary_workbook(title, rows), f"y-te-truong-{institution.pk}")


@login_required
def campaign_new(request, pk: int):
    institution = get_or_404(selectors.institution_for_health, actor=request.user, pk=pk)
    if not selectors.can_record(actor=request.user, institution_id=institution.pk):
        raise PermissionDenied
    year = current_school_year()
    classes = list(
        SchoolClass.objects.filter(institution=institution, school_year=year).order_by(
            "grade", "name"
        )
    )
    form = CampaignForm(request.POST or None, classes=classes, initial={"date": dt.date.today()})
    if request.method == "POST" and form.is_valid():
        chosen = [c for c in classes if str(c.pk) in form.cleaned_data["classes"]]
        try:
            campaign = services.campaign_create(
                actor=request.user, institution=institution, school_year=year,
                name=form.cleaned_data["name"], date=form.cleaned_data["date"], classes=chosen,
            )  # fmt: skip
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Đã tạo đợt khám %(name)s.") % {"name": campaign.name})
            return redirect("health:campaign", pk=campaign.pk)
    return render(request, "health/campaign_new.html", {"institution": institution, "form": form})


@login_required
def campaign(request, pk: int):
    found = get_or_404(selectors.campaign_get, actor=request.user, pk=pk)
    classes = found.classes.order_by("grade", "name")
    return render(
        request,
        "health/campaign.html",
        {
            "campaign": found,
            "classes": classes,
            "can_record": selectors.can_record(
                actor=request.user, institution_id=found.institution_id
            ),
            "entered": found.checkups.count(),
        },
    )


def _entry_objects(request, pk: int, class_pk: int):
    found = get_or_404(selectors.campaign_get, actor=request.user, pk=pk)
    school_class = found.classes.filter(pk=class_pk).select_related("school_year").first()
    if school_class is None:
        from django.http import Http404

        raise Http404
    return found, school_class


@login_required
def entry(request, pk: int, class_pk: int):
    """The whole class on one page: a row per learner, tab through height and weight."""
    found, school_class = _entry_objects(request, pk, class_pk)
    can_record = selectors.can_record(actor=request.user, institution_id=found.institution_id)
    result = None
    typed: dict[int, dict[str, str]] = {}
    if request.method == "POST":
        if not can_record:
            raise PermissionDenied
        sheet = selectors.campaign_sheet(
            actor=request.user, campaign=found, school_class=school_class
        )
        typed = rows_from_post(request.POST, [row.learner.pk for row in sheet])
        try:
            result = services.checkups_record(
                actor=request.user, campaign=found, school_class=school_class, rows=typed
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return redirect("health:campaign", pk=found.pk)
        if not result.errors and not result.warnings:
            messages.success(
                request,
                _("Đã lưu %(saved)s học sinh (%(same)s không đổi).")
                % {"saved": result.saved, "same": result.unchanged},
            )
            return redirect("health:entry", pk=found.pk, class_pk=school_class.pk)
    sheet = selectors.campaign_sheet(actor=request.user, campaign=found, school_class=school_class)
    rows = []
    for row in sheet:
        learner, checkup = row.learner, row.checkup
        values = {
            "height": checkup.height_cm if checkup else "",
            "weight": checkup.weight_kg if checkup else "",
            "vision_left": checkup.vision_left if checkup else "",
            "vision_right": checkup.vision_right if checkup else "",
            "dental": checkup.dental if checkup else "",
            "notes": checkup.notes if checkup else "",
        }
        errors = result.errors.get(learner.pk, {}) if result else {}
        if errors:
            values = typed.get(learner.pk, values)
        age = g.age_on(learner.date_of_birth, found.date)
        rows.append(
            {
                "learner": learner,
                "checkup": checkup,
                "values": values,
                "names": {col: f"{prefix}{learner.pk}" for col, prefix in PREFIXES.items()},
                "errors": errors,
                "warnings": result.warnings.get(learner.pk, []) if result else [],
                "bounds": typing_bounds(learner.sex, age),
                "age": age,
            }
        )
    return render(
        request,
        "health/entry.html",
        {
            "campaign": found,
            "school_class": school_class,
            "rows": rows,
            "result": result,
            "can_record": can_record,
        },
    )


@login_required
def entry_xlsx(request, pk: int, class_pk: int):
    found, school_class = _entry_objects(request, pk, class_pk)
    sheet = selectors.campaign_sheet(
        actor=request.user, campaign=found, school_class=school_class, channel="export"
    )
    title = f"{found.name} — {school_class.name}"
    return _xlsx(
        exports.sheet_workbook(title, sheet), f"kham-suc-khoe-{found.pk}-{school_class.pk}"
    )


@login_required
def class_view(request, pk: int):
    school_class = get_or_404(selectors.class_for_health, actor=request.user, pk=pk)
    summary = selectors.class_summary(actor=request.user, school_class=school_class)
    page = paginate(
        request,
        selectors.health_learners(actor=request.user)
        .filter(current_class=school_class)
        .order_by("search_name", "pk"),
    )
    rows = selectors.class_latest_checkups(actor=request.user, school_class=school_class)
    shown = {lr.pk for lr in page.object_list}
    return render(
        request,
        "health/class.html",
        {
            "school_class": school_class,
            "summary": summary,
            "rows": [r for r in rows if r.learner.pk in shown],
            "page_obj": page,
        },
    )


@login_required
def class_xlsx(request, pk: int):
    school_class = get_or_404(selectors.class_for_health, actor=request.user, pk=pk)
    rows = selectors.class_latest_checkups(
        actor=request.user, school_class=school_class, channel="export"
    )
    title = f"{school_class.name} — {school_class.school_year.name}"
    return _xlsx(exports.sheet_workbook(title, rows), f"y-te-lop-{school_class.pk}")


def _charts(record) -> list[str]:
    learner = record.learner
    legend = {"median": _("Trung vị"), "child": learner.full_name, "age": _("Tuổi (năm)")}
    heights, bmis = [], []
    for checkup in record.checkups:
        age = g.age_on(learner.date_of_birth, checkup.date)
        if age is None:
            continue
        months = age.months
        heights.append(Point(months, checkup.height_cm))
        bmis.append(Point(months, checkup.bmi))
    return [
        svg
        for svg in (
            growth_svg(
                indicator=g.HFA,
                sex=learner.sex,
                points=heights,
                unit="cm",
                legend=legend,
                title=_("Chiều cao theo tuổi (chuẩn WHO)"),
            ),  # fmt: skip
            growth_svg(
                indicator=g.BFA,
                sex=learner.sex,
                points=bmis,
                unit="kg/m²",
                legend=legend,
                title=_("BMI theo tuổi (chuẩn WHO)"),
            ),  # fmt: skip
        )
        if svg
    ]


@login_required
def learner(request, pk: int):
    record = get_or_404(selectors.learner_health_record, actor=request.user, pk=pk)
    can_record = selectors.can_record(
        actor=request.user, institution_id=record.learner.institution_id
    )
    card = record.insurance_card
    context = {
        "record": record,
        "learner": record.learner,
        "charts": _charts(record),
        "can_record": can_record,
        "today": dt.date.today(),
        "card_valid": card is not None and card.valid_from <= dt.date.today() <= card.valid_to,
    }
    if can_record:
        context["vaccination_form"] = VaccinationForm(initial={"date": dt.date.today()})
        context["card_form"] = InsuranceCardForm(
            initial={"number": card.number, "valid_from": card.valid_from,
                     "valid_to": card.valid_to} if card else None
        )  # fmt: skip
        context["views"] = selectors.view_log(actor=request.user, learner_pk=pk)[:20]
    return render(request, "health/learner.html", context)


@login_required
def learner_xlsx(request, pk: int):
    record = get_or_404(
        selectors.learner_health_record, actor=request.user, pk=pk, channel="export"
    )
    return _xlsx(exports.learner_workbook(record), f"suc-khoe-{record.learner.pk}")


def _learner_for_write(request, pk: int):
    found = get_or_404(selectors.health_learners(actor=request.user).get, pk=pk)
    if not selectors.can_record(actor=request.user, institution_id=found.institution_id):
        raise PermissionDenied
    return found


@login_required
@require_POST
def vaccination_add(request, pk: int):
    found = _learner_for_write(request, pk)
    form = VaccinationForm(request.POST)
    if form.is_valid():
        try:
            services.vaccination_add(actor=request.user, learner=found, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
    if form.errors:
        for field_errors in form.errors.values():
            for message in field_errors:
                messages.error(request, message)
    else:
        messages.success(request, _("Đã ghi mũi tiêm."))
    return redirect(reverse("health:learner", args=[pk]) + "#vaccinations")


@login_required
@require_POST
def vaccination_delete(request, pk: int, vaccination_pk: int):
    found = _learner_for_write(request, pk)
    vaccination = get_or_404(Vaccination.objects.filter(learner=found).get, pk=vaccination_pk)
    services.vaccination_delete(actor=request.user, vaccination=vaccination)
    messages.success(request, _("Đã xóa mũi tiêm."))
    return redirect(reverse("health:learner", args=[pk]) + "#vaccinations")


@login_required
@require_POST
def insurance(request, pk: int):
    found = _learner_for_write(request, pk)
    form = InsuranceCardForm(request.POST)
    if form.is_valid():
        try:
            services.insurance_card_set(actor=request.user, learner=found, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
    if form.errors:
        for field_errors in form.errors.values():
            for message in field_errors:
                messages.error(request, message)
    else:
        messages.success(request, _("Đã lưu thẻ bảo hiểm y tế."))
    return redirect(reverse("health:learner", args=[pk]) + "#insurance")
