"""API tokens (mã truy cập API): create, revoke, list, and authenticate a bearer token.

A token is ``secrets.token_urlsafe(32)``, shown once when created. Only its SHA-256
hash is stored, with its first characters (``key_prefix``) so a person can tell their
tokens apart. Creating and revoking a token is audited; the token itself never is.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from truongso.accounts.access import require
from truongso.accounts.models import ApiToken, User
from truongso.audit.services import audit_record

PREFIX_LENGTH = 8
# last_used_at is written at most this often per token, not on every request.
LAST_USED_RESOLUTION = dt.timedelta(minutes=1)


def token_hash(raw: str) -> str:
    """The stored form of a token: hex SHA-256 of its text."""
    return hashlib.sha256(raw.encode("utf-8")).hexdigest()


def _snapshot(token: ApiToken) -> dict:
    """What the audit log keeps about a token: never the token nor its hash."""
    return {
        "user_id": token.user_id,
        "name": token.name,
        "key_prefix": token.key_prefix,
        "revoked_at": token.revoked_at.isoformat() if token.revoked_at else None,
    }


def _may_act_for(actor, user: User) -> bool:
    """A person manages their own tokens; ``actor=None`` is the operator's command line."""
    return actor is None or (getattr(actor, "pk", None) is not None and actor.pk == user.pk)


@transaction.atomic
def api_token_create(*, actor, user: User, name: str) -> tuple[ApiToken, str]:
    """Create a token for ``user``. Returns the row and the token text, which is not
    stored anywhere and cannot be shown again."""
    require(_may_act_for(actor, user))
    name = " ".join((name or "").split())
    if not name:
        raise ValidationError({"name": _("Hãy đặt tên cho mã truy cập.")})
    if not user.is_active:
        raise ValidationError({"user": _("Tài khoản đã bị khoá.")})
    raw = secrets.token_urlsafe(32)
    token = ApiToken(user=user, name=name, key_prefix=raw[:PREFIX_LENGTH], key_hash=token_hash(raw))
    token.full_clean()
    token.save()
    audit_record(
        actor=actor, action="api_token.create", instance=token, before=None, after=_snapshot(token)
    )
    return token, raw


@transaction.atomic
def api_token_revoke(*, actor, token: ApiToken) -> ApiToken:
    """Revoke a token; a revoked token is refused from then on. Revoking twice is a no-op."""
    require(_may_act_for(actor, token.user))
    token = ApiToken.objects.select_for_update().get(pk=token.pk)
    if token.revoked_at is not None:
        return token
    before = _snapshot(token)
    token.revoked_at = timezone.now()
    token.save(update_fields=["revoked_at"])
    audit_record(
        actor=actor,
        action="api_token.revoke",
        instance=token,
        before=before,
        after=_snapshot(token),
    )
    return token


def api_token_list(*, actor) -> QuerySet[ApiToken]:
    """The actor's own tokens, newest first."""
    if getattr(actor, "pk", None) is None:
        return ApiToken.objects.none()
    return ApiToken.objects.filter(user_id=actor.pk).order_by("-created_at", "-pk")


def api_token_get(*, actor, pk: int) -> ApiToken:
    """One of the actor's own tokens; ApiToken.DoesNotExist otherwise."""
    return api_token_list(actor=actor).select_related("user").get(pk=pk)


def api_token_authenticate(raw: str) -> User | None:
    """The active user holding this unrevoked token, or None."""
    raw = (raw or "").strip()
    if not raw or len(raw) > 200:
        return None
    token = (
        ApiToken.objects.filter(key_hash=token_hash(raw), revoked_at__isnull=True)
        .select_related("user")
        .first()
    )
    if token is None or not token.user.is_active:
        return None
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at >= LAST_USED_RESOLUTION:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.user
