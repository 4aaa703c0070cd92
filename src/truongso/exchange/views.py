"""Pages of the exchange: sync state, the conflict queue, resolving a conflict."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from truongso.accounts.access import scope_for
from truongso.exchange import selectors
from truongso.exchange.models import ConflictStatus
from truongso.exchange.services.conflicts import ACCEPT, MERGE, REJECT, conflict_resolve
from truongso.exchange.tasks import exchange_push_task
from truongso.web.shortcuts import get_or_404, paginate


def _require_exchange(request):
    if not selectors.may_see_exchange(scope_for(request.user)):
        raise PermissionDenied


@login_required
def status(request):
    _require_exchange(request)
    rows = selectors.school_sync_list(actor=request.user)
    return render(
        request,
        "exchange/status.html",
        {
            "page_obj": paginate(request, rows),
            "node": selectors.node_sync(actor=request.user),
            "open_conflicts": selectors.conflict_list(actor=request.user).count(),
            "can_push": bool(scope_for(request.user).managed_institution_ids)
            or scope_for(request.user).national,
        },
    )


@login_required
@require_POST
def push(request):
    scope = scope_for(request.user)
    if not (scope.managed_institution_ids or scope.national):
        raise PermissionDenied
    exchange_push_task.enqueue()
    messages.success(request, _("Đã bắt đầu gửi dữ liệu lên cơ sở dữ liệu ngành."))
    return redirect("exchange:status")


@login_required
def conflicts(request):
    _require_exchange(request)
    status_filter = request.GET.get("status") or ConflictStatus.OPEN
    if status_filter not in ConflictStatus.values:
        status_filter = ConflictStatus.OPEN
    rows = selectors.conflict_list(actor=request.user, status=status_filter)
    return render(
        request,
        "exchange/conflicts.html",
        {
            "page_obj": paginate(request, rows),
            "status_filter": status_filter,
            "statuses": ConflictStatus.choices,
        },
    )


@login_required
def conflict(request, pk: int):
    _require_exchange(request)
    item = get_or_404(selectors.conflict_get, actor=request.user, pk=pk)
    may_resolve = selectors.can_resolve(scope_for(request.user), item)
    errors: list[str] = []
    if request.method == "POST":
        if not may_resolve:
            raise PermissionDenied
        action = request.POST.get("action", "")
        note = request.POST.get("note", "")
        try:
            conflict_resolve(actor=request.user, conflict=item, action=action, note=note)
        except ValidationError as error:
            errors = error.messages
        else:
            messages.success(request, _("Đã xử lý xung đột."))
            return redirect("exchange:conflicts")
    data = item.payload.get("data", {})
    return render(
        request,
        "exchange/conflict.html",
        {
            "item": item,
            "data_rows": sorted(data.items()),
            "may_resolve": may_resolve and item.status == ConflictStatus.OPEN,
            "can_merge": item.existing_learner_id is not None,
            "errors": errors,
            "note": request.POST.get("note", ""),
            "ACCEPT": ACCEPT,
            "MERGE": MERGE,
            "REJECT": REJECT,
        },
    )
