"""Receiving side: a person resolves a conflict (accept, merge, or reject with a reason)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from truongso.accounts.access import require, scope_for
from truongso.audit.services import audit_record
from truongso.exchange.models import Conflict, ConflictStatus, InboundState
from truongso.exchange.selectors import can_resolve
from truongso.exchange.services.receive import Deferred, Refused, apply_record
from truongso.learners.models import Learner
from truongso.units.models import Institution

ACCEPT = "accept"
MERGE = "merge"
REJECT = "reject"


def _snapshot(conflict: Conflict) -> dict:
    return {"status": conflict.status, "note": conflict.resolution_note,
            "local_id": conflict.record.local_id}  # fmt: skip


@transaction.atomic
def conflict_resolve(*, actor, conflict: Conflict, action: str, note: str = "") -> Conflict:
    """Resolve an open conflict.

    - accept: apply the record as it came (a learner becomes a new learner with its own
      identifier even though the personal ID matches another one);
    - merge: the record is the existing learner (same person): link them, and update the
      learner from the record when it belongs to the node's school;
    - reject: the record is not taken; the reason goes back to the school."""
    conflict = (
        Conflict.objects.select_for_update(of=("self",))
        .select_related("record", "node")
        .get(pk=conflict.pk)
    )
    require(can_resolve(scope_for(actor), conflict))
    if conflict.status != ConflictStatus.OPEN:
        raise ValidationError(_("Xung đột này đã được xử lý."))
    note = " ".join((note or "").split())[:500]
    record = conflict.record
    before = _snapshot(conflict)
    rec = conflict.payload
    node = conflict.node
    allowed = set(node.institutions.values_list("pk", flat=True))
    institution = Institution.objects.filter(code=rec.get("institution_code") or "").first()
    if action == REJECT:
        if not note:
            raise ValidationError({"note": _("Hãy nhập lý do từ chối.")})
        record.state = InboundState.REJECTED
        conflict.status = ConflictStatus.REJECTED
    elif action == MERGE:
        existing = conflict.existing_learner
        if record.record_type != "learner" or existing is None:
            raise ValidationError(_("Chỉ gộp được học sinh trùng với một học sinh đã có."))
        if existing.institution_id in allowed:
            from truongso.exchange.services.receive import _local, learner_mirror_save

            class_id = _local(node, rec["data"].get("school_class"), "class", defer=False)
            learner_mirror_save(actor=actor, learner=Learner.objects.get(pk=existing.pk),
                                institution=existing.institution, data=rec["data"],
                                school_class=existing.institution.classes.filter(
                                    pk=class_id).first(), reason=note)  # fmt: skip
        record.local_id = existing.pk
        record.state = InboundState.APPLIED
        conflict.status = ConflictStatus.MERGED
    elif action == ACCEPT:
        try:
            state, _identifier = apply_record(node, record, rec, institution, allowed, force=True)
        except Refused as refused:
            raise ValidationError(refused.message)
        except Deferred as deferred:
            raise ValidationError(str(deferred))
        record.state = state
        conflict.status = ConflictStatus.ACCEPTED
    else:
        raise ValidationError(_("Cách xử lý không hợp lệ."))
    record.save()
    conflict.resolution_note = note
    conflict.resolved_by = actor
    conflict.resolved_at = timezone.now()
    conflict.delivered_at = None
    conflict.save()
    audit_record(actor=actor, action=f"exchange.conflict_{action}", instance=conflict,
                 before=before, after=_snapshot(conflict), reason=note)  # fmt: skip
    return conflict
