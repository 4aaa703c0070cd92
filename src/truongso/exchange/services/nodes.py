"""Receiving side: register the nodes below this one and what they may push."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.text import slugify
from django.utils.translation import gettext as _

from truongso.accounts.models import Role, RoleAssignment
from truongso.accounts.tokens import api_token_create
from truongso.audit.services import audit_record
from truongso.exchange.models import ChildNode
from truongso.units.models import Institution


def _snapshot(node: ChildNode) -> dict:
    return {
        "node_id": node.node_id,
        "name": node.name,
        "is_active": node.is_active,
        "institutions": sorted(node.institutions.values_list("code", flat=True)),
    }


@transaction.atomic
def child_node_register(
    *, actor, node_id: str, name: str, institution_codes: list[str]
) -> tuple[ChildNode, str]:
    """Register a node below this one (or change the schools it may push for) and give
    it a new token. Returns the node and the token text, shown once, stored hashed.

    Only the ministry or the operator's command line (``actor=None``) registers nodes."""
    from truongso.accounts.access import require, scope_for

    if actor is not None:
        require(scope_for(actor).national)
    node_id = slugify(node_id or "")
    if not node_id:
        raise ValidationError({"node_id": _("Hãy nhập mã nút (chữ, số, dấu gạch ngang).")})
    institutions = list(Institution.objects.filter(code__in=institution_codes))
    missing = sorted(set(institution_codes) - {i.code for i in institutions})
    if missing:
        raise ValidationError(
            {"institutions": _("Không có trường mã: %(codes)s") % {"codes": ", ".join(missing)}}
        )
    node = ChildNode.objects.select_for_update().filter(node_id=node_id).first()
    before = _snapshot(node) if node else None
    if node is None:
        user = get_user_model().objects.create_user(
            username=f"node:{node_id}"[:150], full_name=_("Nút %(id)s") % {"id": node_id}
        )
        user.set_unusable_password()
        user.save()
        node = ChildNode.objects.create(node_id=node_id, name=name or node_id, user=user)
    node.name = name or node.name
    node.is_active = True
    node.save()
    node.institutions.set(institutions)
    # The node's account acts as school staff of exactly these schools.
    RoleAssignment.objects.filter(user=node.user).exclude(institution__in=institutions).delete()
    have = set(RoleAssignment.objects.filter(user=node.user).values_list("institution_id",
                                                                          flat=True))  # fmt: skip
    RoleAssignment.objects.bulk_create(
        RoleAssignment(user=node.user, role=Role.SCHOOL_STAFF, institution=i)
        for i in institutions
        if i.pk not in have
    )
    _token, raw = api_token_create(actor=None, user=node.user, name=f"exchange {node_id}")
    audit_record(actor=actor, action="exchange.node_register", instance=node, before=before,
                 after=_snapshot(node))  # fmt: skip
    return node, raw


def child_node_for_user(user) -> ChildNode | None:
    """The active node whose system account this is (the API's caller)."""
    if user is None or not getattr(user, "pk", None):
        return None
    return ChildNode.objects.filter(user=user, is_active=True).first()
