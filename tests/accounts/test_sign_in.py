import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from tests.world import PASSWORD
from truongso.accounts.models import User
from truongso.audit.models import AuditEntry


def _post(client, username, password, **extra):
    return client.post(
        reverse("accounts:sign_in"), {"username": username, "password": password, **extra}
    )


def test_sign_in_redirects_home_and_signs_in(world):
    client = Client()
    response = _post(client, "gv_a1", PASSWORD)
    assert response.status_code == 302
    assert response["Location"] == reverse("web:home")
    assert client.get(reverse("web:home")).status_code == 200


def test_sign_in_follows_safe_next_only(world):
    client = Client()
    response = _post(client, "gv_a1", PASSWORD, next="/learners/")
    assert response["Location"] == "/learners/"
    other = Client()
    response = _post(other, "gv_a1", PASSWORD, next="https://evil.example/")
    assert response["Location"] == reverse("web:home")


def test_pages_need_sign_in(world):
    response = Client().get(reverse("learners:list"))
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:sign_in") + "?next=/learners/"


def test_lockout_after_threshold_and_message_reveals_nothing(world, settings):
    settings.LOCKOUT_THRESHOLD = 3
    settings.LOCKOUT_MINUTES = 15
    client = Client()
    unknown = _post(client, "no_such_user", "x").content.decode()
    for attempt in range(1, 3):
        response = _post(client, "gv_a1", "wrong")
        assert response.status_code == 200
        assert User.objects.get(username="gv_a1").failed_sign_ins == attempt
        assert User.objects.get(username="gv_a1").locked_until is None
    _post(client, "gv_a1", "wrong")
    user = User.objects.get(username="gv_a1")
    assert user.failed_sign_ins == 0
    assert user.locked_until is not None
    assert user.locked_until > timezone.now() + dt.timedelta(minutes=14)
    # The right password is refused while locked, with the same message as for an
    # unknown username.
    locked = _post(client, "gv_a1", PASSWORD)
    assert locked.status_code == 200
    assert "_auth_user_id" not in client.session
    message = "Không đăng nhập được: tên đăng nhập hoặc mật khẩu không đúng"
    assert message in locked.content.decode()
    assert message in unknown
    entry = AuditEntry.objects.get(action="account.lock")
    assert entry.object_type == "accounts.user"
    assert entry.object_id == str(user.pk)
    assert entry.after["failed_sign_ins"] == 3


def test_lock_expires_and_success_resets_counter(world, settings):
    settings.LOCKOUT_THRESHOLD = 3
    user = User.objects.get(username="gv_a1")
    User.objects.filter(pk=user.pk).update(
        failed_sign_ins=0, locked_until=timezone.now() - dt.timedelta(seconds=1)
    )
    client = Client()
    _post(client, "gv_a1", "wrong")
    assert User.objects.get(pk=user.pk).failed_sign_ins == 1
    response = _post(client, "gv_a1", PASSWORD)
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.failed_sign_ins == 0
    assert user.locked_until is None


def test_failures_must_be_in_a_row(world, settings):
    settings.LOCKOUT_THRESHOLD = 3
    client = Client()
    _post(client, "gv_a1", "wrong")
    _post(client, "gv_a1", "wrong")
    assert _post(client, "gv_a1", PASSWORD).status_code == 302
    client.post(reverse("accounts:sign_out"))
    _post(client, "gv_a1", "wrong")
    _post(client, "gv_a1", "wrong")
    user = User.objects.get(username="gv_a1")
    assert user.failed_sign_ins == 2
    assert user.locked_until is None
    assert not AuditEntry.objects.filter(action="account.lock").exists()


def test_sign_out_needs_post(world):
    client = Client()
    client.force_login(world.teacher_a1_user)
    assert client.get(reverse("accounts:sign_out")).status_code == 405
    response = client.post(reverse("accounts:sign_out"))
    assert response.status_code == 302
    assert client.get(reverse("web:home")).status_code == 302


def test_password_change(world):
    client = Client()
    client.force_login(world.teacher_a1_user)
    url = reverse("accounts:password_change")
    bad = client.post(url, {"old_password": "nope", "new_password1": "Hoa-phuong-do-2026",
                            "new_password2": "Hoa-phuong-do-2026"})  # fmt: skip
    assert bad.status_code == 200
    assert bad.context["form"].errors["old_password"]
    ok = client.post(url, {"old_password": PASSWORD, "new_password1": "Hoa-phuong-do-2026",
                           "new_password2": "Hoa-phuong-do-2026"})  # fmt: skip
    assert ok.status_code == 302
    user = User.objects.get(pk=world.teacher_a1_user.pk)
    assert user.check_password("Hoa-phuong-do-2026")
    # Still signed in after the change.
    assert client.get(reverse("web:home")).status_code == 200
    entry = AuditEntry.objects.get(action="account.password_change")
    assert entry.before is None and entry.after is None


@pytest.mark.parametrize("username", ["gv_a1", "GV_A1 ", ""])
def test_sign_in_form_errors_are_shown(world, username):
    response = _post(Client(), username, "")
    assert response.status_code == 200
    assert response.context["form"].errors["password"]
