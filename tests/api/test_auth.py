"""Token authentication: creation, storage as a hash, revocation, audit, session + CSRF."""

import hashlib
import io
import json
import re

import pytest
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import reverse

from tests.api.conftest import ApiClient
from truongso.accounts.models import ApiToken
from truongso.accounts.tokens import api_token_create, api_token_revoke
from truongso.audit.models import AuditEntry

LISTS = ["/me", "/units", "/institutions", "/classes", "/learners", "/staff", "/tokens"]


@pytest.mark.parametrize("path", LISTS)
def test_no_token_is_refused(world, path):
    response = ApiClient().get(path)
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == 'Bearer realm="api"'
    assert response.json() == {
        "detail": "Cần xác thực: gửi mã truy cập API trong tiêu đề “Authorization: Bearer <mã>”."
    }


def test_unknown_token_is_refused(world):
    assert ApiClient("not-a-token").get("/learners").status_code == 401
    assert ApiClient("").get("/learners").status_code == 401


def test_revoked_token_is_refused(world):
    token, raw = api_token_create(actor=world.principal_a, user=world.principal_a, name="sync")
    client = ApiClient(raw)
    assert client.get("/learners").status_code == 200
    api_token_revoke(actor=world.principal_a, token=token)
    response = client.get("/learners")
    assert response.status_code == 401
    assert (
        client.post(f"/learners/{world.learner_an.pk}/withdraw", {"reason": "x"}).status_code == 401
    )


def test_token_of_an_inactive_account_is_refused(world):
    _token, raw = api_token_create(actor=world.principal_a, user=world.principal_a, name="sync")
    world.principal_a.is_active = False
    world.principal_a.save()
    assert ApiClient(raw).get("/me").status_code == 401


def test_a_revoked_token_is_refused_even_with_a_session(world):
    token, raw = api_token_create(actor=world.principal_a, user=world.principal_a, name="sync")
    api_token_revoke(actor=world.principal_a, token=token)
    client = ApiClient(raw)
    client.client.force_login(world.principal_a)
    assert client.get("/me").status_code == 401


def test_token_is_stored_only_as_its_hash(world):
    token, raw = api_token_create(actor=world.principal_a, user=world.principal_a, name="Đồng bộ")
    assert len(raw) == 43  # secrets.token_urlsafe(32)
    row = ApiToken.objects.get(pk=token.pk)
    assert row.key_hash == hashlib.sha256(raw.encode()).hexdigest()
    assert row.key_prefix == raw[:8]
    assert raw not in {row.name, row.key_hash, row.key_prefix}


def test_create_and_revoke_are_audited_without_the_token(world):
    token, raw = api_token_create(actor=world.principal_a, user=world.principal_a, name="Đồng bộ")
    api_token_revoke(actor=world.principal_a, token=token)
    entries = AuditEntry.objects.filter(object_type="accounts.apitoken").order_by("pk")
    assert [e.action for e in entries] == ["api_token.create", "api_token.revoke"]
    assert [e.actor_id for e in entries] == [world.principal_a.pk, world.principal_a.pk]
    assert entries[0].after == {
        "user_id": world.principal_a.pk,
        "name": "Đồng bộ",
        "key_prefix": raw[:8],
        "revoked_at": None,
    }
    assert entries[1].before["revoked_at"] is None
    assert entries[1].after["revoked_at"] is not None
    dumped = json.dumps([[e.before, e.after] for e in entries])
    assert raw not in dumped
    assert token.key_hash not in dumped


def test_someone_else_cannot_revoke_my_token(world):
    from django.core.exceptions import PermissionDenied

    token, _raw = api_token_create(actor=world.principal_a, user=world.principal_a, name="x")
    with pytest.raises(PermissionDenied):
        api_token_revoke(actor=world.principal_b, token=token)
    with pytest.raises(PermissionDenied):
        api_token_create(actor=world.principal_b, user=world.principal_a, name="x")


def test_use_is_recorded(world):
    token, raw = api_token_create(actor=world.principal_a, user=world.principal_a, name="x")
    assert token.last_used_at is None
    ApiClient(raw).get("/me")
    token.refresh_from_db()
    assert token.last_used_at is not None


def test_me(world, api_as):
    response = api_as(world.principal_a).get("/me")
    assert response.status_code == 200
    assert response.json() == {
        "id": world.principal_a.pk,
        "username": "ht_a",
        "full_name": "ht_a",
        "roles": [
            {
                "role": "principal",
                "institution_id": world.school_a.pk,
                "unit_id": None,
                "valid_from": None,
                "valid_to": None,
            }
        ],
    }


def test_tokens_through_the_api(world, api_as):
    client = api_as(world.principal_a)
    response = client.post("/tokens", {"name": "Báo cáo"})
    assert response.status_code == 201
    created = response.json()
    assert created["name"] == "Báo cáo"
    assert created["key_prefix"] == created["token"][:8]
    new_client = ApiClient(created["token"])
    assert new_client.get("/me").json()["username"] == "ht_a"
    listed = client.get("/tokens").json()["items"]
    assert [t["name"] for t in listed] == ["Báo cáo", "tests"]
    assert all("token" not in t and "key_hash" not in t for t in listed)
    # Another person's token is not found; mine is revoked.
    other = api_as(world.principal_b)
    assert other.post(f"/tokens/{created['id']}/revoke").status_code == 404
    response = client.post(f"/tokens/{created['id']}/revoke")
    assert response.status_code == 200
    assert response.json()["revoked_at"] is not None
    assert new_client.get("/me").status_code == 401


def test_token_name_is_required(world, api_as):
    response = api_as(world.principal_a).post("/tokens", {"name": "  "})
    assert response.status_code == 422
    assert response.json()["errors"] == {"name": ["Hãy đặt tên cho mã truy cập."]}


def test_session_reads_and_needs_csrf_to_write(world):
    client = Client(enforce_csrf_checks=True)
    client.force_login(world.principal_a)
    assert client.get("/api/v1/me").json()["username"] == "ht_a"
    body = json.dumps({"name": "docs"})
    refused = client.post("/api/v1/tokens", body, content_type="application/json")
    assert refused.status_code == 403
    assert not ApiToken.objects.filter(name="docs").exists()
    client.get("/api/v1/docs")  # sets the CSRF cookie
    csrf = client.cookies["csrftoken"].value
    accepted = client.post(
        "/api/v1/tokens", body, content_type="application/json", headers={"X-CSRFToken": csrf}
    )
    assert accepted.status_code == 201
    assert ApiToken.objects.filter(name="docs", user=world.principal_a).count() == 1


def test_anonymous_write_is_401_not_a_csrf_failure(world):
    client = Client(enforce_csrf_checks=True)
    response = client.post("/api/v1/tokens", "{}", content_type="application/json")
    assert response.status_code == 401


def test_management_command_creates_lists_and_revokes(world):
    out, err = io.StringIO(), io.StringIO()
    call_command("api_token", "create", "--user", "so_hanoi", "--name", "Đồng bộ", stdout=out,
                 stderr=err)  # fmt: skip
    raw = out.getvalue().strip()
    assert len(raw) == 43
    token = ApiToken.objects.get(user=world.province_p1)
    assert token.name == "Đồng bộ"
    assert ApiClient(raw).get("/me").json()["username"] == "so_hanoi"
    entry = AuditEntry.objects.get(action="api_token.create")
    assert entry.actor_id is None
    assert raw not in json.dumps(entry.after)

    listing = io.StringIO()
    call_command("api_token", "list", "--user", "so_hanoi", stdout=listing)
    assert listing.getvalue().startswith(f"#{token.pk}\t{raw[:8]}…\tĐồng bộ\t")
    assert raw not in listing.getvalue()

    done = io.StringIO()
    call_command("api_token", "revoke", "--user", "so_hanoi", "--prefix", raw[:8], stdout=done)
    token.refresh_from_db()
    assert token.revoked_at is not None
    assert ApiClient(raw).get("/me").status_code == 401
    with pytest.raises(CommandError):
        call_command("api_token", "create", "--user", "nobody-here", "--name", "x")
    with pytest.raises(CommandError):
        call_command("api_token", "revoke", "--id", "999999")


def test_token_page_creates_shows_once_and_revokes(world):
    client = Client()
    client.force_login(world.teacher_a1_user)
    url = reverse("accounts:api_tokens")
    assert client.get(url).status_code == 200
    response = client.post(url, {"name": "Sổ điểm"})
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    token = ApiToken.objects.get(user=world.teacher_a1_user)
    html = response.content.decode()
    raw = re.search(r'id="new-token" type="text" readonly value="([^"]+)"', html).group(1)
    assert hashlib.sha256(raw.encode()).hexdigest() == token.key_hash
    again = client.get(url).content.decode()
    assert raw not in again
    assert f"{token.key_prefix}…" in again
    # Someone else's token cannot be revoked from their page.
    other = Client()
    other.force_login(world.teacher_a2_user)
    revoke_url = reverse("accounts:api_token_revoke", args=[token.pk])
    assert other.post(revoke_url).status_code == 404
    token.refresh_from_db()
    assert token.revoked_at is None
    assert client.post(revoke_url).status_code == 302
    token.refresh_from_db()
    assert token.revoked_at is not None
    assert ApiClient(raw).get("/me").status_code == 401


def test_token_page_needs_sign_in(world):
    response = Client().get(reverse("accounts:api_tokens"))
    assert response.status_code == 302
    assert ApiToken.objects.count() == 0
