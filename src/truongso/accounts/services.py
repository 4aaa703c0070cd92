"""Writes for accounts: signing in with lockout, changing a password, unlocking.

Sign-in lockout: after ``settings.LOCKOUT_THRESHOLD`` failed attempts in a row the
account is locked for ``settings.LOCKOUT_MINUTES``. The message shown for a failure is
the same whether the username exists, the password is wrong or the account is locked,
so the form never tells an outsider which usernames exist.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth import authenticate, login
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from truongso.accounts.access import require, scope_for
from truongso.accounts.models import RoleAssignment, User
from truongso.audit.services import audit_record


@dataclass(frozen=True)
class SignInResult:
    ok: bool
    user: User | None = None
    message: str = ""


def sign_in_failure_message() -> str:
    return _(
        "Không đăng nhập được: tên đăng nhập hoặc mật khẩu không đúng, hoặc tài khoản đang "
        "tạm khóa vì nhập sai nhiều lần. Nếu nhập sai %(threshold)s lần liên tiếp, tài khoản "
        "bị khóa %(minutes)s phút."
    ) % {"threshold": settings.LOCKOUT_THRESHOLD, "minutes": settings.LOCKOUT_MINUTES}


def _is_locked(user: User, now: dt.datetime) -> bool:
    return user.locked_until is not None and user.locked_until > now


def sign_in_attempt(*, request, username: str, password: str) -> SignInResult:
    """Check the credentials, keep the failure counter, lock after too many failures
    and, on success, sign the user in on ``request``."""
    username = (username or "").strip()
    now = timezone.now()
    failure = SignInResult(ok=False, message=sign_in_failure_message())
    with transaction.atomic():
        account = User.objects.select_for_update().filter(username=username).first()
        if account is not None and _is_locked(account, now):
            # Run the hasher anyway so a locked account answers as slowly as any other.
            account.check_password(password)
            return failure
        user = authenticate(request, username=username, password=password)
        if user is None:
            if account is not None:
                _count_failure(account, now)
            return failure
        User.objects.filter(pk=user.pk).update(failed_sign_ins=0, locked_until=None)
        user.failed_sign_ins = 0
        user.locked_until = None
    login(request, user)
    return SignInResult(ok=True, user=user)


def _count_failure(account: User, now: dt.datetime) -> None:
    failures = account.failed_sign_ins + 1
    if failures < settings.LOCKOUT_THRESHOLD:
        User.objects.filter(pk=account.pk).update(failed_sign_ins=failures)
        return
    locked_until = now + dt.timedelta(minutes=settings.LOCKOUT_MINUTES)
    User.objects.filter(pk=account.pk).update(failed_sign_ins=0, locked_until=locked_until)
    account.failed_sign_ins = 0
    account.locked_until = locked_until
    audit_record(
        actor=None,
        action="account.lock",
        instance=account,
        before=None,
        after={"locked_until": locked_until.isoformat(), "failed_sign_ins": failures},
        reason=_("Nhập sai mật khẩu %(n)s lần liên tiếp.") % {"n": failures},
    )


@transaction.atomic
def account_unlock(*, actor, account: User, reason: str = "") -> User:
    """Lift a lockout (administrators)."""
    require(bool(getattr(actor, "is_superuser", False)))
    before = {"locked_until": account.locked_until and account.locked_until.isoformat()}
    User.objects.filter(pk=account.pk).update(failed_sign_ins=0, locked_until=None)
    account.failed_sign_ins = 0
    account.locked_until = None
    audit_record(actor=actor, action="account.unlock", instance=account, before=before,
                 after={"locked_until": None}, reason=reason)  # fmt: skip
    return account


@transaction.atomic
def password_change(*, actor, new_password: str) -> User:
    """Set the acting user's own password (the old one is checked by the form).

    The audit entry records that the password changed, never the password or its hash."""
    require(bool(getattr(actor, "is_authenticated", False)))
    actor.set_password(new_password)
    actor.save(update_fields=["password"])
    audit_record(actor=actor, action="account.password_change", instance=actor, before=None,
                 after=None)  # fmt: skip
    return actor


def _assignment_snapshot(assignment: RoleAssignment) -> dict:
    return {
        "user_id": assignment.user_id,
        "role": assignment.role,
        "unit_id": assignment.unit_id,
        "institution_id": assignment.institution_id,
        "valid_from": assignment.valid_from and assignment.valid_from.isoformat(),
        "valid_to": assignment.valid_to and assignment.valid_to.isoformat(),
    }


@transaction.atomic
def role_assignment_save(*, actor, assignment: RoleAssignment) -> RoleAssignment:
    """Create or change a role assignment (administrators), audited."""
    require(scope_for(actor).national and bool(getattr(actor, "is_superuser", False)))
    before = None
    if assignment.pk:
        old = RoleAssignment.objects.filter(pk=assignment.pk).first()
        before = _assignment_snapshot(old) if old else None
    assignment.full_clean()
    assignment.save()
    audit_record(actor=actor, action="role_assignment.save", instance=assignment, before=before,
                 after=_assignment_snapshot(assignment))  # fmt: skip
    return assignment


@transaction.atomic
def role_assignment_delete(*, actor, assignment: RoleAssignment) -> None:
    require(scope_for(actor).national and bool(getattr(actor, "is_superuser", False)))
    audit_record(actor=actor, action="role_assignment.delete", instance=assignment,
                 before=_assignment_snapshot(assignment), after=None)  # fmt: skip
    assignment.delete()
