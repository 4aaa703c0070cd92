"""The OpenAPI document and the interactive docs page (served locally, under the CSP)."""

import json
import re

from django.contrib.staticfiles import finders
from django.test import Client

from truongso.web.middleware import POLICY

EXPECTED = {
    "/api/v1/me": {"get"},
    "/api/v1/tokens": {"get", "post"},
    "/api/v1/tokens/{token_id}/revoke": {"post"},
    "/api/v1/units": {"get"},
    "/api/v1/units/{unit_id}": {"get"},
    "/api/v1/units/{unit_id}/children": {"get"},
    "/api/v1/institutions": {"get", "post"},
    "/api/v1/institutions/{institution_id}": {"get", "patch"},
    "/api/v1/institutions/map": {"get"},
    "/api/v1/institutions/{institution_id}/oneroster": {"get"},
    "/api/v1/classes": {"get", "post"},
    "/api/v1/classes/{class_id}": {"get", "patch"},
    "/api/v1/classes/{class_id}/roster": {"get"},
    "/api/v1/learners": {"get", "post"},
    "/api/v1/learners/{learner_id}": {"get", "patch"},
    "/api/v1/learners/{learner_id}/events": {"get"},
    "/api/v1/learners/{learner_id}/transfer": {"post"},
    "/api/v1/learners/{learner_id}/change-class": {"post"},
    "/api/v1/learners/{learner_id}/withdraw": {"post"},
    "/api/v1/learners/{learner_id}/drop-out": {"post"},
    "/api/v1/staff": {"get", "post"},
    "/api/v1/staff/{staff_id}": {"get", "patch"},
    "/api/v1/credentials/verify": {"post"},
    "/api/v1/attendance/classes/{class_id}/days/{day}": {"get", "put"},
    "/api/v1/attendance/classes/{class_id}/months/{year}/{month}": {"get"},
    "/api/v1/report-cards": {"get"},
    "/api/v1/report-cards/{card_id}": {"get"},
    "/api/v1/report-cards/{card_id}/versions": {"get"},
    "/api/v1/report-cards/{card_id}/versions/{number}": {"get"},
    "/api/v1/report-cards/{card_id}/pdf": {"get"},
    "/api/v1/vocational/programmes": {"get"},
    "/api/v1/vocational/programmes/{programme_id}": {"get"},
    "/api/v1/vocational/programmes/{programme_id}/modules": {"get"},
    "/api/v1/vocational/cohorts/{cohort_id}/learners/{learner_id}/transcript": {"get"},
    "/api/v1/health/learners/{learner_id}/checkups": {"get"},
    "/api/v1/health/learners/{learner_id}/vaccinations": {"get", "post"},
    "/api/v1/health/learners/{learner_id}/vaccinations/{vaccination_id}": {"delete"},
    "/api/v1/health/learners/{learner_id}/insurance-card": {"get", "put"},
    "/api/v1/health/campaigns": {"get"},
    "/api/v1/health/campaigns/{campaign_id}/classes/{class_id}/checkups": {"get", "post"},
    "/api/v1/health/summary": {"get"},
    "/api/v1/facilities/schools/{institution_id}/utilities": {"get", "put"},
    "/api/v1/facilities/schools/{institution_id}/gaps": {"get"},
    "/api/v1/facilities/rollup": {"get"},
    "/api/v1/facilities/equipment-lists": {"get"},
    "/api/v1/facilities/norms": {"get"},
    "/api/v1/facilities/sites": {"get", "post"},
    "/api/v1/facilities/sites/{record_id}": {"delete", "get", "patch"},
    "/api/v1/facilities/buildings": {"get", "post"},
    "/api/v1/facilities/buildings/{record_id}": {"delete", "get", "patch"},
    "/api/v1/facilities/rooms": {"get", "post"},
    "/api/v1/facilities/rooms/{record_id}": {"delete", "get", "patch"},
    "/api/v1/facilities/housing": {"get", "post"},
    "/api/v1/facilities/housing/{record_id}": {"delete", "get", "patch"},
    "/api/v1/facilities/toilets": {"get", "post"},
    "/api/v1/facilities/toilets/{record_id}": {"delete", "get", "patch"},
    "/api/v1/facilities/equipment": {"get", "post"},
    "/api/v1/facilities/equipment/{record_id}": {"delete", "get", "patch"},
    "/api/v1/training/records": {"get", "post"},
    "/api/v1/training/records/{record_id}": {"delete", "get", "patch"},
    "/api/v1/training/appraisals": {"get", "put"},
    "/api/v1/training/summary": {"get"},
    "/api/v1/exchange/batches": {"post"},
    "/api/v1/exchange/conflicts": {"get"},
    "/api/v1/statistics/rounds": {"get"},
    "/api/v1/statistics/reports": {"get"},
    "/api/v1/statistics/reports/{report_id}": {"get"},
    "/api/v1/statistics/reports/{report_id}/dhis2": {"get"},
}
# Open to anyone, without a token (verifying a diploma needs no account).
PUBLIC = {"/api/v1/credentials/verify"}
# Answers that are one document, not a list: a GeoJSON map, a OneRoster zip, a PDF, a
# transcript, and reports (one document with its rows and their total).
NOT_LISTS = {
    "/api/v1/institutions/map",
    "/api/v1/institutions/{institution_id}/oneroster",
    "/api/v1/report-cards/{card_id}/pdf",
    "/api/v1/vocational/cohorts/{cohort_id}/learners/{learner_id}/transcript",
    "/api/v1/health/summary",
    "/api/v1/health/learners/{learner_id}/insurance-card",
    "/api/v1/facilities/schools/{institution_id}/utilities",
    "/api/v1/facilities/schools/{institution_id}/gaps",
    "/api/v1/facilities/rollup",
    "/api/v1/training/summary",
    "/api/v1/statistics/reports/{report_id}/dhis2",
}


def _document():
    response = Client().get("/api/v1/openapi.json")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    return json.loads(response.content)


def test_openapi_lists_every_path(db):
    doc = _document()
    assert doc["openapi"].startswith("3.")
    assert doc["info"]["title"] == "Trường Số API"
    assert {path: set(ops) for path, ops in doc["paths"].items()} == EXPECTED


def test_every_operation_needs_authentication(db):
    doc = _document()
    schemes = doc["components"]["securitySchemes"]
    assert schemes["BearerTokenAuth"] == {"type": "http", "scheme": "bearer"}
    assert schemes["SessionAuth"]["in"] == "cookie"
    for path, operations in doc["paths"].items():
        for method, operation in operations.items():
            if path in PUBLIC:
                assert "security" not in operation, (path, method)
                continue
            assert operation["security"] == [{"BearerTokenAuth": []}, {"SessionAuth": []}], (
                path,
                method,
            )


def test_every_list_is_paginated_by_cursor(db):
    doc = _document()
    lists = [
        (path, ops["get"])
        for path, ops in doc["paths"].items()
        if "get" in ops
        and "{" not in path.rsplit("/", 1)[-1]
        and path != "/api/v1/me"
        and path not in NOT_LISTS
    ]
    assert len(lists) == 30
    for path, operation in lists:
        names = {p["name"] for p in operation["parameters"]}
        assert {"limit", "cursor"} <= names, path
        ref = operation["responses"]["200"]["content"]["application/json"]["schema"]["$ref"]
        schema = doc["components"]["schemas"][ref.rsplit("/", 1)[-1]]
        assert set(schema["properties"]) == {"items", "next_cursor"}, path


def test_docs_page_loads_nothing_from_another_host(db):
    response = Client().get("/api/v1/docs")
    assert response.status_code == 200
    html = response.content.decode()
    urls = re.findall(r"(?:https?:)?//[^\s\"'<>)]+", html)
    assert urls == []
    assert 'src="/static/ninja/swagger-ui-bundle.js"' in html
    assert 'src="/static/ninja/swagger-ui-init.js"' in html
    assert 'href="/static/ninja/swagger-ui.css"' in html
    # The only inline <script> is a JSON data block, which the CSP does not execute.
    inline = re.findall(r"<script(?![^>]*\bsrc=)([^>]*)>", html)
    assert inline == [' type="application/json" id="swagger-settings"']
    settings_json = re.search(r'id="swagger-settings">(.*?)</script>', html, re.S).group(1)
    assert json.loads(settings_json)["url"] == "/api/v1/openapi.json"
    assert json.loads(settings_json)["validatorUrl"] is None
    assert response["Content-Security-Policy"] == POLICY
    assert "script-src 'self';" in POLICY


def test_swagger_files_ship_with_the_package():
    for name in ("swagger-ui-bundle.js", "swagger-ui-init.js", "swagger-ui.css"):
        assert finders.find(f"ninja/{name}") is not None, name
