"""The Django admin: an edit of a rule set's parameters saves a new version."""

import json

import pytest
from django.urls import reverse

from tests.world import PASSWORD
from truongso.assessment.models import RuleSet
from truongso.assessment.rules.builtin import TT22_2021
from truongso.assessment.rules.parameters import to_parameters
from truongso.assessment.selectors import rule_set_get
from truongso.audit.models import AuditEntry


@pytest.fixture
def admin_client(client, world):
    client.login(username=world.superuser.username, password=PASSWORD)
    return client


def change(client, row, parameters, note="Sửa theo văn bản hợp nhất"):
    url = reverse("admin:assessment_ruleset_change", args=[row.pk])
    return client.post(url, {"parameters": json.dumps(parameters), "note": note})


def test_admin_edit_creates_a_new_version(admin_client, world):
    old = rule_set_get("tt22-2021@1")
    page = admin_client.get(reverse("admin:assessment_ruleset_change", args=[old.pk]))
    assert page.status_code == 200
    parameters = to_parameters(TT22_2021)
    parameters["retest_replaces_year_average"] = False
    response = change(admin_client, old, parameters)
    new = rule_set_get("tt22-2021")
    assert new.label == "tt22-2021@2"
    assert response.status_code == 302
    assert response.url == reverse("admin:assessment_ruleset_change", args=[new.pk])
    old.refresh_from_db()
    assert old.parameters["retest_replaces_year_average"] is True
    assert new.parameters["retest_replaces_year_average"] is False
    entry = AuditEntry.objects.get(action="rule_set.revise")
    assert (entry.actor, entry.reason) == (world.superuser, "Sửa theo văn bản hợp nhất")


def test_admin_shows_a_wrong_parameter_and_saves_nothing(admin_client):
    row = rule_set_get("tt22-2021@1")
    parameters = to_parameters(TT22_2021)
    parameters["learning_levels"][0]["count"] = "sáu"
    response = change(admin_client, row, parameters)
    assert response.status_code == 200
    assert "Tham số learning_levels[0].count: sai kiểu dữ liệu: cần một số nguyên" in (
        response.content.decode())  # fmt: skip
    response = change(admin_client, row, to_parameters(TT22_2021))
    assert "giống hệt phiên bản 1" in response.content.decode()
    assert RuleSet.objects.filter(code="tt22-2021").count() == 1


def test_admin_cannot_add_or_delete(admin_client):
    assert admin_client.get(reverse("admin:assessment_ruleset_add")).status_code == 403
    row = rule_set_get("tt22-2021@1")
    url = reverse("admin:assessment_ruleset_delete", args=[row.pk])
    assert admin_client.get(url).status_code == 403
