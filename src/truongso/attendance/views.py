"""Pages for attendance: thin, the rules live in services and selectors."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from truongso.academics.selectors import class_get
from truongso.accounts.access import scope_for
from truongso.attendance import selectors, services
from truongso.attendance.exports import class_month_workbook, school_month_workbook
from truongso.attendance.forms import PRESENT, marks_from_post, parse_day, parse_month
from truongso.attendance.models import AttendanceStatus
from truongso.units.selectors import institution_get
from truongso.web.shortcuts import get_or_404


def _choices():
    return [
        (PRESENT, _("Có mặt")),
        (AttendanceStatus.ABSENT_EXCUSED, _("Có phép")),
        (AttendanceStatus.ABSENT_UNEXCUSED, _("Không phép")),
        (AttendanceStatus.LATE, _("Muộn")),
    ]


@login_required
def take(request, pk: int):
    school_class = get_or_404(class_get, actor=request.user, pk=pk)
    today = dt.date.today()
    day = parse_day(request.POST.get("date") or request.GET.get("date")) or today
    roster = selectors.class_roster_on(actor=request.user, school_class=school_class, day=day)
    can_take = services.can_take_attendance(request.user, school_class)
    errors: list[str] = []
    if request.method == "POST":
        if not can_take:
            raise PermissionDenied
        marks = marks_from_post(request.POST, [lr.pk for lr in roster])
        try:
            changed = services.attendance_take(
                actor=request.user,
                school_class=school_class,
                day=day,
                marks=marks,
                reason=request.POST.get("reason", "").strip(),
            )
        except ValidationError as error:
            errors = error.messages
        else:
            messages.success(
                request,
                _("Đã lưu điểm danh lớp %(name)s ngày %(day)s (%(n)s thay đổi).")
                % {"name": school_class.name, "day": day.strftime("%d/%m/%Y"), "n": changed},
            )
            return redirect(f"{reverse('attendance:take', args=[pk])}?date={day.isoformat()}")
    current = selectors.class_day_marks(actor=request.user, school_class=school_class, day=day)
    if request.method == "POST":
        current = {lr.pk: request.POST.get(f"s_{lr.pk}", PRESENT) for lr in roster}
    rows = [(lr, current.get(lr.pk) or PRESENT) for lr in roster]
    return render(
        request,
        "attendance/take.html",
        {
            "school_class": school_class,
            "day": day,
            "today": today,
            "previous_day": day - dt.timedelta(days=1),
            "next_day": day + dt.timedelta(days=1) if day < today else None,
            "rows": rows,
            "choices": _choices(),
            "can_take": can_take,
            "taken": selectors.class_day_taken(
                actor=request.user, school_class=school_class, day=day
            ),
            "errors": errors,
            "manages": scope_for(request.user).manages(school_class.institution_id),
        },
    )


def _month_context(request):
    year, month = parse_month(request.GET.get("month"), dt.date.today())
    first = dt.date(year, month, 1)
    previous = (first - dt.timedelta(days=1)).replace(day=1)
    following = (first + dt.timedelta(days=32)).replace(day=1)
    return (
        year,
        month,
        {
            "month_value": f"{year:04d}-{month:02d}",
            "previous_month": f"{previous.year:04d}-{previous.month:02d}",
            "next_month": f"{following.year:04d}-{following.month:02d}",
            "first": first,
        },
    )


@login_required
def class_month(request, pk: int):
    school_class = get_or_404(class_get, actor=request.user, pk=pk)
    year, month, context = _month_context(request)
    summary = selectors.class_month_summary(
        actor=request.user, school_class=school_class, year=year, month=month
    )
    context.update({"school_class": school_class, "summary": summary})
    return render(request, "attendance/class_month.html", context)


@login_required
def class_month_xlsx(request, pk: int):
    school_class = get_or_404(class_get, actor=request.user, pk=pk)
    year, month = parse_month(request.GET.get("month"), dt.date.today())
    summary = selectors.class_month_summary(
        actor=request.user, school_class=school_class, year=year, month=month
    )
    return _xlsx(
        class_month_workbook(summary), f"diem-danh-{school_class.pk}-{year:04d}-{month:02d}"
    )


def _school(request, pk: int):
    institution = get_or_404(institution_get, actor=request.user, pk=pk)
    scope = scope_for(request.user)
    if not (scope.manages(institution.pk) or scope.is_office):
        raise PermissionDenied
    return institution


@login_required
def school_month(request, pk: int):
    institution = _school(request, pk)
    year, month, context = _month_context(request)
    rows = selectors.school_month_summary(
        actor=request.user, institution=institution, year=year, month=month
    )
    context.update({"institution": institution, "rows": rows[:-1], "total": rows[-1]})
    return render(request, "attendance/school_month.html", context)


@login_required
def school_month_xlsx(request, pk: int):
    institution = _school(request, pk)
    year, month = parse_month(request.GET.get("month"), dt.date.today())
    rows = selectors.school_month_summary(
        actor=request.user, institution=institution, year=year, month=month
    )
    return _xlsx(
        school_month_workbook(institution, rows),
        f"diem-danh-truong-{institution.pk}-{year:04d}-{month:02d}",
    )


def _xlsx(content: bytes, name: str) -> HttpResponse:
    response = HttpResponse(
        content,
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = f'attachment; filename="{name}.xlsx"'
    return response


@login_required
def alerts(request, pk: int):
    institution = _school(request, pk)
    return render(
        request,
        "attendance/alerts.html",
        {
            "institution": institution,
            "alerts": selectors.absence_alerts(actor=request.user, institution_id=institution.pk),
            "warn_at": selectors.ALERT_WARN_DAYS,
            "limit": selectors.ALERT_LIMIT_DAYS,
        },
    )
