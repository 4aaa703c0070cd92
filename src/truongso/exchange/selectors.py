"""Reads of the exchange, scoped to the acting user.

Schools see the sync state of their own institution (what this node still has to send
and what the parent refused); offices see the state of the schools they oversee and
the conflict queue for them."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Count, F, Max, Q, QuerySet

from truongso.accounts.access import Scope, institutions_q, scope_for
from truongso.exchange import conf
from truongso.exchange.models import (
    Conflict,
    ConflictStatus,
    InboundRecord,
    OutboxRecord,
    OutgoingBatch,
    ReceivedBatch,
    SchoolPushState,
    SchoolReceipt,
)
from truongso.exchange.services.outbox import node_institution_ids
from truongso.units.models import Institution


def _visible_institutions(scope: Scope) -> QuerySet[Institution]:
    return Institution.objects.filter(institutions_q(scope)).exclude(
        pk__in=Institution.objects.filter(pk__in=scope.teacher_institution_ids).exclude(
            pk__in=scope.managed_institution_ids
        )
    )


def may_see_exchange(scope: Scope) -> bool:
    return scope.is_office or bool(scope.managed_institution_ids)


def can_resolve(scope: Scope, conflict: Conflict) -> bool:
    """Offices over the school that sent the record resolve its conflicts (the ministry
    those of schools not known here)."""
    if scope.national:
        return True
    if not scope.is_office or conflict.institution_id is None:
        return False
    return Institution.objects.filter(_office_filter(scope), pk=conflict.institution_id).exists()


def _office_filter(scope: Scope) -> Q:
    q = Q(pk__in=[])
    if scope.province_ids:
        q |= Q(province_id__in=scope.province_ids)
    for path in scope.unit_paths:
        q |= Q(commune__path__startswith=path)
    return q


@dataclass(frozen=True)
class SchoolSync:
    """One school's sync state. Sending side (this node pushes the school's records up):
    the last push the parent acknowledged with records of the school, records pending,
    records the parent holds in its conflict queue. Receiving side (the school's node
    pushes here): the last batch received with records of the school, the records
    received, the conflicts open."""

    institution: Institution
    pushed: bool
    last_acknowledged_at: Any
    last_acknowledged_cursor: int
    pending: int
    refused: int
    records_sent: int
    received_records: int
    received_at: Any
    received_cursor: int
    received_node: str
    open_conflicts: int


@dataclass(frozen=True)
class NodeSync:
    node_id: str
    role: str
    parent_url: str
    last_push_at: Any
    waiting_batch: OutgoingBatch | None


def node_sync(*, actor) -> NodeSync:
    """This node's own state towards its parent."""
    last = OutgoingBatch.objects.filter(acknowledged_at__isnull=False).aggregate(
        at=Max("acknowledged_at")
    )["at"]
    waiting = OutgoingBatch.objects.filter(acknowledged_at__isnull=True).order_by("cursor").first()
    return NodeSync(node_id=conf.node_id(), role=conf.role(), parent_url=conf.parent_url(),
                    last_push_at=last, waiting_batch=waiting)  # fmt: skip


def school_sync_list(*, actor) -> list[SchoolSync]:
    """One row per school the user may see (a school: itself; an office: the schools it
    oversees): see ``SchoolSync``."""
    scope = scope_for(actor)
    if not may_see_exchange(scope):
        return []
    schools = list(_visible_institutions(scope).order_by("name", "pk"))
    ids = [s.pk for s in schools]
    out: dict[int, dict[str, int]] = {}
    for row in (
        OutboxRecord.objects.filter(institution_id__in=ids)
        .values("institution_id")
        .annotate(
            total=Count("pk"),
            pending=Count("pk", filter=Q(version__gt=F("sent_version"))),
            refused=Count("pk", filter=~Q(conflict_message="")),
        )
    ):
        out[row["institution_id"]] = row
    pushed = set(node_institution_ids()) if conf.parent_url() or out else set()
    acknowledged = {
        state.institution_id: state
        for state in SchoolPushState.objects.filter(institution_id__in=ids)
    }
    received = dict(
        InboundRecord.objects.filter(institution_id__in=ids)
        .values("institution_id")
        .annotate(total=Count("pk"))
        .values_list("institution_id", "total")
    )
    receipts: dict[int, SchoolReceipt] = {}
    for receipt in (
        SchoolReceipt.objects.filter(institution_id__in=ids)
        .select_related("node")
        .order_by("received_at", "pk")
    ):
        receipts[receipt.institution_id] = receipt  # the latest over the nodes
    conflicts = dict(
        Conflict.objects.filter(institution_id__in=ids, status=ConflictStatus.OPEN)
        .values("institution_id")
        .annotate(n=Count("pk"))
        .values_list("institution_id", "n")
    )
    rows = []
    for school in schools:
        state = acknowledged.get(school.pk)
        receipt = receipts.get(school.pk)
        rows.append(
            SchoolSync(
                institution=school,
                pushed=school.pk in pushed,
                last_acknowledged_at=state.last_acknowledged_at if state else None,
                last_acknowledged_cursor=state.last_cursor if state else 0,
                pending=out.get(school.pk, {}).get("pending", 0),
                refused=out.get(school.pk, {}).get("refused", 0),
                records_sent=out.get(school.pk, {}).get("total", 0),
                received_records=received.get(school.pk, 0),
                received_at=receipt.received_at if receipt else None,
                received_cursor=receipt.cursor if receipt else 0,
                received_node=receipt.node.node_id if receipt else "",
                open_conflicts=conflicts.get(school.pk, 0),
            )
        )
    return rows


def conflict_list(*, actor, status: str | None = ConflictStatus.OPEN) -> QuerySet[Conflict]:
    """The conflict queue for the schools the user oversees (offices) or manages."""
    scope = scope_for(actor)
    if not may_see_exchange(scope):
        return Conflict.objects.none()
    rows = Conflict.objects.select_related("node", "record", "existing_learner__institution")
    if not scope.national:
        rows = rows.filter(institution_id__in=_visible_institutions(scope).values("pk"))
    if status:
        rows = rows.filter(status=status)
    return rows.order_by("-created_at", "-pk")


def conflict_get(*, actor, pk: int) -> Conflict:
    return conflict_list(actor=actor, status=None).get(pk=pk)


def received_batches(*, actor) -> QuerySet[ReceivedBatch]:
    """Batches received from the nodes below (offices only)."""
    scope = scope_for(actor)
    if not scope.is_office:
        return ReceivedBatch.objects.none()
    rows = ReceivedBatch.objects.select_related("node")
    if not scope.national:
        rows = rows.filter(
            node__institutions__in=Institution.objects.filter(_office_filter(scope))
        ).distinct()
    return rows.order_by("-received_at", "-pk")
