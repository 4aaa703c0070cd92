from django.contrib.auth.decorators import login_required
from django.db import connection
from django.http import JsonResponse
from django.shortcuts import render

from truongso.accounts.access import scope_for
from truongso.audit.selectors import recent_changes
from truongso.web import selectors


def healthz(request):
    """200 when the database answers, 503 otherwise."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception:  # noqa: BLE001 - any database failure means unhealthy
        return JsonResponse({"status": "unavailable"}, status=503)
    return JsonResponse({"status": "ok"})


@login_required
def home(request):
    """One home page, with a section for each role the user holds."""
    user = request.user
    scope = scope_for(user)
    context: dict = {"scope": scope}
    if scope.is_office:
        context["office"] = selectors.office_summary(actor=user)
    if scope.managed_institution_ids:
        context["schools"] = [
            selectors.school_summary(actor=user, institution=institution)
            for institution in selectors.managed_institutions(actor=user)
        ]
        context["recent_changes"] = recent_changes(actor=user)[:10]
    if scope.teacher_institution_ids:
        context["teacher_classes"] = list(selectors.teacher_classes(actor=user))
    if scope.guardian_learner_ids:
        context["children"] = list(selectors.guardian_children(actor=user))
    return render(request, "web/home.html", context)
