"""Signing keys: the node's root key and each institution's key; create, rotate, revoke.

Every change is audited, written to the register log, and re-publishes the key registry
(``/credentials/keys.json``), signed by the root key. Keys are never deleted: a rotated key
stays listed with the end of its window, a revoked one with the date from which its
signatures are refused, so everything signed before still verifies.
"""

from __future__ import annotations

import datetime as dt
import json

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from truongso.accounts.access import can_issue_credentials, require, scope_for
from truongso.audit.services import audit_record, model_snapshot
from truongso.credentials import conf
from truongso.credentials.models import IssuerKey, Publication
from truongso.credentials.registry import build_registry, key_json
from truongso.credentials.rules.data_integrity import create_proof
from truongso.credentials.rules.signed_note import NoteVerifier
from truongso.credentials.rules.signer import generate_sealed_key
from truongso.credentials.services.common import now_seconds, open_signer
from truongso.credentials.services.log import LogEvent, log_append
from truongso.credentials.services.status import status_lists_resign
from truongso.units.models import Institution

REGISTRY = "keys.json"
AUDIT_FIELDS = (
    "institution", "key_id", "controller", "valid_from", "valid_to", "revoked_at",
    "revocation_reason",
)  # fmt: skip


def _snapshot(key: IssuerKey) -> dict:
    data = model_snapshot(key, AUDIT_FIELDS)
    data["public_key"] = key.multikey
    return data


def _may_manage(actor, institution: Institution | None) -> None:
    """The command line (actor None) and the node's operators manage every key; a
    principal manages their own institution's key."""
    if actor is None:
        return
    if institution is None:
        require(bool(actor.is_superuser))
        return
    scope = scope_for(actor)
    require(bool(actor.is_superuser) or can_issue_credentials(scope, institution))


def controller_for(institution: Institution | None) -> str:
    return conf.node_did() if institution is None else conf.institution_did(institution.code)


def current_key(institution: Institution | None) -> IssuerKey | None:
    """The key that signs now for the institution (or the node, for None)."""
    qs = IssuerKey.objects.filter(valid_to__isnull=True, revoked_at__isnull=True)
    if institution is None:
        return qs.filter(institution__isnull=True, controller=conf.node_did()).first()
    return qs.filter(institution=institution).first()


def signing_key(institution: Institution) -> IssuerKey:
    """The institution's current key; a clear ValidationError when it has none."""
    key = current_key(institution)
    if key is None:
        raise ValidationError(
            _(
                "%(school)s chưa có khóa ký văn bằng đang hiệu lực. Hiệu trưởng hoặc quản trị "
                "hệ thống tạo khóa ở trang Văn bằng › Khóa ký (hoặc lệnh “manage.py "
                "credentials key-create --institution %(code)s”)."
            )
            % {"school": institution.name, "code": institution.code}
        )
    return key


def _new_key(institution: Institution | None, *, actor, valid_from: dt.datetime) -> IssuerKey:
    controller = controller_for(institution)
    serial = IssuerKey.objects.filter(controller=controller).count() + 1
    prefix = "root" if institution is None else "key"
    key_id = f"{controller}#{prefix}-{serial}"
    while IssuerKey.objects.filter(key_id=key_id).exists():
        serial += 1
        key_id = f"{controller}#{prefix}-{serial}"
    sealed = generate_sealed_key(key_id=key_id, secret=conf.key_secret(), scrypt_n=conf.scrypt_n())
    return IssuerKey.objects.create(
        institution=institution,
        key_id=key_id,
        controller=controller,
        public_key=sealed.public_key,
        sealed_private_key=sealed.sealed,
        valid_from=valid_from,
        created_by=actor if getattr(actor, "pk", None) else None,
    )


def _key_event(event: str, key: IssuerKey, **extra) -> LogEvent:
    data = {"key": key.key_id, "controller": key.controller, "publicKeyMultibase": key.multikey}
    data.update({name: value for name, value in extra.items() if value is not None})
    return LogEvent(event, data, key.institution_id)


def root_key_ensure(*, actor=None) -> IssuerKey:
    """The node's current root key, created on first need."""
    key = current_key(None)
    if key is not None:
        return key
    with transaction.atomic():
        key = _new_key(None, actor=actor, valid_from=now_seconds())
        audit_record(
            actor=actor, action="issuer_key.create", instance=key, before=None,
            after=_snapshot(key), reason=_("Khóa gốc của hệ thống"),
        )  # fmt: skip
        signer = open_signer(key)
        log_append(
            [_key_event("key.create", key, validFrom=key.valid_from.isoformat())],
            root_key=key,
            root_signer=signer,
        )
        registry_publish()
    return key


def _after_change(events: list[LogEvent]) -> None:
    root = root_key_ensure()
    log_append(events, root_key=root, root_signer=open_signer(root))
    registry_publish()


@transaction.atomic
def issuer_key_create(*, actor, institution: Institution | None, reason: str = "") -> IssuerKey:
    """A new signing key for the institution (None: the node's root key).

    When the institution already has a current key, that key is retired (rotation): it
    stays listed, valid for what it signed until the new key takes over.
    """
    _may_manage(actor, institution)
    if institution is None:
        current = current_key(None)
        if current is None:
            return root_key_ensure(actor=actor)
    else:
        current = current_key(institution)
    start = now_seconds()
    events = []
    if current is not None:
        before = _snapshot(current)
        # One second of overlap: a signature made in the rotation's second still verifies.
        current.valid_to = start + dt.timedelta(seconds=1)
        current.save(update_fields=["valid_to"])
        audit_record(
            actor=actor, action="issuer_key.retire", instance=current, before=before,
            after=_snapshot(current), reason=reason,
        )  # fmt: skip
        events.append(_key_event("key.retire", current, validUntil=current.valid_to.isoformat()))
    key = _new_key(institution, actor=actor, valid_from=start)
    audit_record(
        actor=actor, action="issuer_key.create", instance=key, before=None,
        after=_snapshot(key), reason=reason,
    )  # fmt: skip
    events.append(_key_event("key.create", key, validFrom=key.valid_from.isoformat()))
    _after_change(events)
    if institution is not None and current is not None:
        # Lists signed by the old key would stop verifying if that key is revoked later.
        status_lists_resign(institution=institution, key=key, signer=open_signer(key))
    return key


def issuer_key_rotate(*, actor, institution: Institution | None, reason: str = "") -> IssuerKey:
    """Replace the current key with a new one (the old one stays listed, retired)."""
    return issuer_key_create(actor=actor, institution=institution, reason=reason)


@transaction.atomic
def issuer_key_revoke(
    *, actor, key: IssuerKey, reason: str, revoked_from: dt.datetime | None = None
) -> IssuerKey:
    """Refuse the key's signatures made from ``revoked_from`` (default: now) on.

    For a key that leaked: everything it signed before that moment still verifies; what
    it signed later is answered "unknown issuer". Create a new key to go on issuing.
    """
    _may_manage(actor, key.institution)
    key = IssuerKey.objects.select_for_update().get(pk=key.pk)
    if not (reason or "").strip():
        raise ValidationError({"reason": _("Hãy ghi lý do thu hồi khóa.")})
    if key.revoked_at is not None:
        raise ValidationError(_("Khóa này đã bị thu hồi."))
    moment = (revoked_from or now_seconds()).replace(microsecond=0)
    if moment.tzinfo is None:
        raise ValidationError({"revoked_from": _("Thời điểm thu hồi phải có múi giờ.")})
    before = _snapshot(key)
    key.revoked_at = moment
    key.revocation_reason = reason.strip()[:500]
    key.save(update_fields=["revoked_at", "revocation_reason"])
    audit_record(
        actor=actor, action="issuer_key.revoke", instance=key, before=before,
        after=_snapshot(key), reason=reason,
    )  # fmt: skip
    event = _key_event("key.revoke", key, revokedFrom=moment.isoformat())
    if key.is_root:
        # The revoked root key cannot sign its own revocation's checkpoint: a new one does.
        root_key_ensure(actor=actor)
    _after_change([event])
    return key


def _key_entry(key: IssuerKey) -> dict:
    return key_json(
        key_id=key.key_id,
        controller=key.controller,
        multikey=key.multikey,
        valid_from=key.valid_from,
        valid_until=key.valid_to,
        revoked_from=key.revoked_at,
    )


def registry_document() -> dict:
    """The unsigned registry: every key ever used on this node, with its window."""
    keys = IssuerKey.objects.select_related("institution__province").order_by(
        "institution__code", "valid_from", "pk"
    )
    roots = []
    issuers: dict[str, dict] = {}
    origin = conf.log_origin()
    verifiers = []
    for key in keys:
        if key.institution is None:
            roots.append(_key_entry(key))
            verifiers.append(NoteVerifier(origin, key.public_bytes).encode())
            continue
        institution = key.institution
        entry = issuers.setdefault(
            key.controller,
            {
                "id": key.controller,
                "code": institution.code,
                "name": institution.name,
                "region": institution.province.name if institution.province_id else "",
                "keys": [],
            },
        )
        entry["keys"].append(_key_entry(key))
    return build_registry(
        registry_id=conf.registry_url(),
        issuer=conf.node_did(),
        updated=now_seconds(),
        root_keys=roots,
        issuers=list(issuers.values()),
        log_origin=origin,
        log_verifier_keys=verifiers,
    )


def registry_publish() -> Publication:
    """Sign the registry with the current root key and keep it for serving."""
    root = current_key(None)
    if root is None:
        root = root_key_ensure()
    document = registry_document()
    signed = create_proof(document, open_signer(root), created=now_seconds())
    body = json.dumps(signed, ensure_ascii=False, indent=1)
    publication, _created = Publication.objects.update_or_create(
        name=REGISTRY, defaults={"body": body, "updated_at": now_seconds()}
    )
    return publication
