"""OneRoster 1.2 CSV export: files and headers as the binding lists them, stable sourcedIds,
references that resolve, minimised personal data, scoping, audit, page, command, API."""

import csv
import io
import zipfile

import pytest
from django.core.exceptions import PermissionDenied
from django.core.management import CommandError, call_command
from django.test import Client

from tests.api.conftest import ApiClient
from truongso.accounts.tokens import api_token_create
from truongso.audit.models import AuditEntry
from truongso.imports.oneroster import AUDIT_ACTION, oneroster_export
from truongso.imports.rules.oneroster import HEADERS, grade_code, sourced_id, split_name

FILES = [
    "manifest.csv", "orgs.csv", "academicSessions.csv", "courses.csv", "classes.csv",
    "users.csv", "roles.csv", "enrollments.csv", "demographics.csv",
]  # fmt: skip


def _read(data: bytes) -> dict[str, list[dict[str, str]]]:
    """Each CSV of the zip as a list of rows keyed by the header; headers under '#'."""
    out: dict[str, list] = {}
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        out["#names"] = archive.namelist()
        for name in archive.namelist():
            rows = list(csv.reader(io.StringIO(archive.read(name).decode("utf-8"))))
            out[f"#{name}"] = rows[0]
            out[name] = [dict(zip(rows[0], row, strict=True)) for row in rows[1:]]
    return out


def _export(actor, world, **kwargs) -> dict:
    export = oneroster_export(actor=actor, school_year=world.year, **kwargs)
    try:
        return _read(export.path.read_bytes())
    finally:
        export.path.unlink()


def test_files_and_headers_are_those_of_the_binding(world):
    data = _export(world.principal_a, world, institutions=[world.school_a])
    assert data["#names"] == FILES
    assert data["#manifest.csv"] == ["propertyName", "value"]
    assert data["#orgs.csv"] == [
        "sourcedId", "status", "dateLastModified", "name", "type", "identifier",
        "parentSourcedId",
    ]  # fmt: skip
    assert data["#academicSessions.csv"] == [
        "sourcedId", "status", "dateLastModified", "title", "type", "startDate", "endDate",
        "parentSourcedId", "schoolYear",
    ]  # fmt: skip
    assert data["#courses.csv"] == [
        "sourcedId", "status", "dateLastModified", "schoolYearSourcedId", "title",
        "courseCode", "grades", "orgSourcedId", "subjects", "subjectCodes",
    ]  # fmt: skip
    assert data["#classes.csv"] == [
        "sourcedId", "status", "dateLastModified", "title", "grades", "courseSourcedId",
        "classCode", "classType", "location", "schoolSourcedId", "termSourcedIds", "subjects",
        "subjectCodes", "periods",
    ]  # fmt: skip
    assert data["#users.csv"] == [
        "sourcedId", "status", "dateLastModified", "enabledUser", "username", "userIds",
        "givenName", "familyName", "middleName", "identifier", "email", "sms", "phone",
        "agentSourcedIds", "grades", "password", "userMasterIdentifier", "resourceSourcedIds",
        "preferredGivenName", "preferredMiddleName", "preferredFamilyName",
        "primaryOrgSourcedId", "pronouns",
    ]  # fmt: skip
    assert data["#roles.csv"] == [
        "sourcedId", "status", "dateLastModified", "userSourcedId", "roleType", "role",
        "beginDate", "endDate", "orgSourcedId", "userProfileSourcedId",
    ]  # fmt: skip
    assert data["#enrollments.csv"] == [
        "sourcedId", "status", "dateLastModified", "classSourcedId", "schoolSourcedId",
        "userSourcedId", "role", "primary", "beginDate", "endDate",
    ]  # fmt: skip
    assert data["#demographics.csv"] == [
        "sourcedId", "status", "dateLastModified", "birthDate", "sex",
        "americanIndianOrAlaskaNative", "asian", "blackOrAfricanAmerican",
        "nativeHawaiianOrOtherPacificIslander", "white", "demographicRaceTwoOrMoreRaces",
        "hispanicOrLatinoEthnicity", "countryOfBirthCode", "stateOfBirthAbbreviation",
        "cityOfBirth", "publicSchoolResidenceStatus",
    ]  # fmt: skip
    assert {name: list(h) for name, h in HEADERS.items()} == {
        name: data[f"#{name}"] for name in FILES
    }


def test_manifest_declares_bulk_files_and_absent_ones(world):
    data = _export(world.principal_a, world, institutions=[world.school_a])
    manifest = {row["propertyName"]: row["value"] for row in data["manifest.csv"]}
    assert manifest == {
        "manifest.version": "1.0",
        "oneroster.version": "1.2",
        "file.academicSessions": "bulk",
        "file.categories": "absent",
        "file.classes": "bulk",
        "file.classResources": "absent",
        "file.courses": "bulk",
        "file.courseResources": "absent",
        "file.demographics": "bulk",
        "file.enrollments": "bulk",
        "file.lineItemLearningObjectiveIds": "absent",
        "file.lineItems": "absent",
        "file.lineItemScoreScales": "absent",
        "file.orgs": "bulk",
        "file.resources": "absent",
        "file.resultLearningObjectiveIds": "absent",
        "file.results": "absent",
        "file.resultScoreScales": "absent",
        "file.roles": "bulk",
        "file.scoreScales": "absent",
        "file.userProfiles": "absent",
        "file.userResources": "absent",
        "file.users": "bulk",
        "source.systemName": "Trường Số",
        "source.systemCode": "truongso",
    }
    # Bulk files leave status and dateLastModified empty.
    for name in FILES[1:]:
        for row in data[name]:
            assert (row["status"], row["dateLastModified"]) == ("", ""), name


def test_contents_of_school_a(world):
    data = _export(world.principal_a, world, institutions=[world.school_a])
    school = sourced_id("org", "01000001")
    assert data["orgs.csv"] == [
        {"sourcedId": sourced_id("org", "unit", "01"), "status": "", "dateLastModified": "",
         "name": "Thành phố Hà Nội", "type": "district", "identifier": "01",
         "parentSourcedId": ""},
        {"sourcedId": school, "status": "", "dateLastModified": "",
         "name": "Trường THCS Ba Đình", "type": "school", "identifier": "01000001",
         "parentSourcedId": sourced_id("org", "unit", "01")},
    ]  # fmt: skip
    sessions = [(r["title"], r["type"], r["startDate"], r["endDate"], r["schoolYear"])
                for r in data["academicSessions.csv"]]  # fmt: skip
    assert sessions == [
        ("2025-2026", "schoolYear", "2025-09-05", "2026-05-31", "2026"),
        ("Học kỳ I 2025-2026", "semester", "2025-09-05", "2026-01-15", "2026"),
        ("Học kỳ II 2025-2026", "semester", "2026-01-16", "2026-05-31", "2026"),
    ]
    assert sorted((r["title"], r["courseCode"], r["grades"]) for r in data["courses.csv"]) == [
        ("Khối 6 – sinh hoạt lớp", "K6", "06"),
        ("Ngữ văn 6", "NV-6", "06"),
        ("Toán 6", "TOAN-6", "06"),
    ]
    classes = sorted((r["title"], r["classType"], r["grades"]) for r in data["classes.csv"])
    assert classes == [
        ("6A1", "homeroom", "06"),
        ("6A1 · Ngữ văn", "scheduled", "06"),
        ("6A1 · Toán", "scheduled", "06"),
        ("6A2", "homeroom", "06"),
    ]
    roles = {r["userSourcedId"]: r["role"] for r in data["roles.csv"]}
    people = sorted(
        (r["familyName"], r["middleName"], r["givenName"], roles[r["sourcedId"]])
        for r in data["users.csv"]
    )
    assert people == [
        ("Hoàng", "Thị", "Em", "student"),
        ("Lê", "Văn", "Minh", "teacher"),
        ("Lê", "Đức", "Cường", "student"),
        ("Nguyễn", "Văn", "An", "student"),
        ("Nguyễn", "Văn", "Ba", "guardian"),
        ("Phạm", "Minh", "Dũng", "student"),
        ("Trần", "Thị", "Bình", "student"),
        ("Trần", "Thị", "Hoa", "teacher"),
        ("Vũ", "Hương", "Giang", "student"),
    ]
    assert {r["roleType"] for r in data["roles.csv"]} == {"primary"}
    assert {r["orgSourcedId"] for r in data["roles.csv"]} == {school}
    an = next(
        r for r in data["users.csv"] if r["sourcedId"] == sourced_id("learner", world.learner_an.pk)
    )
    ba = next(r for r in data["users.csv"] if r["givenName"] == "Ba")
    assert an["agentSourcedIds"] == ba["sourcedId"]
    assert ba["agentSourcedIds"] == an["sourcedId"]
    assert an["grades"] == "06"
    assert an["primaryOrgSourcedId"] == school
    assert len(data["enrollments.csv"]) == 16
    teachers = [r for r in data["enrollments.csv"] if r["role"] == "teacher"]
    assert {r["primary"] for r in teachers} == {"true"}
    assert len(teachers) == 4
    students = [r for r in data["enrollments.csv"] if r["role"] == "student"]
    assert {r["primary"] for r in students} == {"false"}
    demographics = {r["sourcedId"]: (r["birthDate"], r["sex"]) for r in data["demographics.csv"]}
    assert demographics[an["sourcedId"]] == ("2014-05-02", "male")
    assert demographics[sourced_id("learner", world.learner_binh.pk)] == ("2014-05-02", "female")
    assert demographics[sourced_id("staff", world.teacher_a1.pk)] == ("1985-03-01", "female")
    assert len(demographics) == 8


def test_enrollments_reference_exported_users_classes_and_schools(world):
    data = _export(world.ministry, world)
    users = {r["sourcedId"] for r in data["users.csv"]}
    classes = {r["sourcedId"] for r in data["classes.csv"]}
    orgs = {r["sourcedId"] for r in data["orgs.csv"]}
    courses = {r["sourcedId"] for r in data["courses.csv"]}
    sessions = {r["sourcedId"] for r in data["academicSessions.csv"]}
    assert len(data["enrollments.csv"]) == 16 + 4  # school B: 6B1, homeroom teacher, 3 learners
    for row in data["enrollments.csv"]:
        assert row["userSourcedId"] in users
        assert row["classSourcedId"] in classes
        assert row["schoolSourcedId"] in orgs
    for row in data["classes.csv"]:
        assert row["courseSourcedId"] in courses
        assert row["schoolSourcedId"] in orgs
        assert set(row["termSourcedIds"].split(",")) <= sessions
    for row in data["roles.csv"]:
        assert row["userSourcedId"] in users
        assert row["orgSourcedId"] in orgs
    for row in data["users.csv"]:
        for agent in filter(None, row["agentSourcedIds"].split(",")):
            assert agent in users
    for row in data["demographics.csv"]:
        assert row["sourcedId"] in users
    for name in FILES[1:]:
        ids = [r["sourcedId"] for r in data[name]]
        assert len(ids) == len(set(ids)), name


def test_sourced_ids_are_stable_between_exports(world):
    first = _export(world.principal_a, world, institutions=[world.school_a])
    second = _export(world.principal_a, world, institutions=[world.school_a])
    for name in FILES:
        assert first[name] == second[name], name
    by_province = _export(world.province_p1, world)
    assert {r["sourcedId"] for r in first["users.csv"]} == {
        r["sourcedId"] for r in by_province["users.csv"]
    }
    assert sourced_id("learner", 42) == sourced_id("learner", 42)
    assert sourced_id("learner", 42) != sourced_id("staff", 42)


def test_no_personal_id_phone_or_address(world):
    data = _export(world.principal_a, world, institutions=[world.school_a])
    text = repr(data)
    assert "001214012345" not in text  # An's personal identification number
    assert "0912345678" not in text  # his father's phone
    assert "Láng" not in text  # the address
    assert {r["phone"] for r in data["users.csv"]} == {""}
    assert {r["sms"] for r in data["users.csv"]} == {""}


def test_without_demographics(world):
    data = _export(world.principal_a, world, institutions=[world.school_a], demographics=False)
    assert "demographics.csv" not in data["#names"]
    manifest = {row["propertyName"]: row["value"] for row in data["manifest.csv"]}
    assert manifest["file.demographics"] == "absent"


def test_teacher_of_a_cannot_export_b_nor_a(world):
    with pytest.raises(PermissionDenied):
        oneroster_export(actor=world.teacher_a1_user, school_year=world.year,
                         institutions=[world.school_b])  # fmt: skip
    with pytest.raises(PermissionDenied):
        oneroster_export(actor=world.teacher_a1_user, school_year=world.year,
                         institutions=[world.school_a])  # fmt: skip
    with pytest.raises(PermissionDenied):
        oneroster_export(actor=world.teacher_a1_user, school_year=world.year)


def test_principal_of_a_cannot_export_b_and_province_only_its_own(world):
    with pytest.raises(PermissionDenied):
        oneroster_export(actor=world.principal_a, school_year=world.year,
                         institutions=[world.school_a, world.school_b])  # fmt: skip
    with pytest.raises(PermissionDenied):
        oneroster_export(actor=world.province_p2, school_year=world.year,
                         institutions=[world.school_a])  # fmt: skip
    data = _export(world.province_p2, world)
    assert [r["name"] for r in data["orgs.csv"]] == [
        "Thành phố Hồ Chí Minh", "Trường THCS Sài Gòn",
    ]  # fmt: skip


def test_export_is_audited(world):
    before = AuditEntry.objects.count()
    _export(world.principal_a, world, institutions=[world.school_a])
    assert AuditEntry.objects.count() == before + 1
    entry = AuditEntry.objects.latest("id")
    assert entry.action == AUDIT_ACTION
    assert entry.actor == world.principal_a
    assert (entry.object_type, entry.object_id) == ("units.institution", str(world.school_a.pk))
    assert entry.institution_id == world.school_a.pk
    assert entry.after == {
        "format": "OneRoster 1.2 CSV",
        "school_year": "2025-2026",
        "institutions": 1,
        "demographics": True,
        "rows": {
            "orgs.csv": 2, "academicSessions.csv": 3, "courses.csv": 3, "classes.csv": 4,
            "users.csv": 9, "roles.csv": 9, "enrollments.csv": 16, "demographics.csv": 8,
        },
    }  # fmt: skip


def test_rules():
    assert split_name("Nguyễn Văn An") == ("An", "Nguyễn", "Văn")
    assert split_name("Tôn Nữ Thị Ngọc Hân") == ("Hân", "Tôn", "Nữ Thị Ngọc")
    assert split_name("Hùng") == ("Hùng", "", "")
    assert [grade_code(g) for g in (0, 1, 9, 12, None, 13)] == ["PK", "01", "09", "12", "", ""]


# --- Page, command, API ---------------------------------------------------------------


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_page_downloads_the_zip(world):
    client = _client(world.principal_a)
    page = client.get("/data/export/oneroster/", {"institution": world.school_a.pk})
    assert page.status_code == 200
    assert "Xuất dữ liệu OneRoster" in page.content.decode()
    response = client.post(
        "/data/export/oneroster/",
        {"institution": world.school_a.pk, "school_year": world.year.pk, "demographics": "on"},
    )
    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    assert 'filename="oneroster-01000001-' in response["Content-Disposition"]
    data = _read(b"".join(response.streaming_content))
    assert data["#names"] == FILES


def test_page_refuses_school_b_to_principal_a_and_teachers(world):
    response = _client(world.principal_a).post(
        "/data/export/oneroster/", {"institution": world.school_b.pk, "school_year": world.year.pk}
    )
    assert response.status_code == 200  # the form again, with the error on the school
    assert "institution" in response.context["form"].errors
    assert _client(world.teacher_a1_user).get("/data/export/oneroster/").status_code == 403


def test_institution_page_links_to_the_export(world):
    html = _client(world.principal_a).get(f"/units/institutions/{world.school_a.pk}/")
    assert f"/data/export/oneroster/?institution={world.school_a.pk}" in html.content.decode()
    html = _client(world.teacher_a1_user).get(f"/units/institutions/{world.school_a.pk}/")
    assert "/data/export/oneroster/" not in html.content.decode()


def test_command_writes_the_zip(world, tmp_path):
    out = tmp_path / "a.zip"
    call_command("oneroster_export", "--institution", "01000001", "--year", "2025", "-o", out,
                 stdout=io.StringIO())  # fmt: skip
    data = _read(out.read_bytes())
    assert data["#names"] == FILES
    assert len(data["users.csv"]) == 9
    entry = AuditEntry.objects.latest("id")
    assert (entry.action, entry.actor, entry.reason) == (
        AUDIT_ACTION, None, "manage.py oneroster_export",
    )  # fmt: skip


def test_command_with_a_user_is_scoped(world, tmp_path):
    with pytest.raises(CommandError):
        call_command("oneroster_export", "--institution", "79000001", "--year", "2025",
                     "-o", tmp_path / "b.zip", "--user", "ht_a")  # fmt: skip
    with pytest.raises(CommandError):
        call_command("oneroster_export", "--institution", "01000001", "--year", "1999",
                     "-o", tmp_path / "c.zip")  # fmt: skip
    assert not (tmp_path / "b.zip").exists()


def _api(user) -> ApiClient:
    _token, raw = api_token_create(actor=user, user=user, name="tests")
    return ApiClient(raw)


def test_api_export(world):
    response = _api(world.principal_a).get(
        f"/institutions/{world.school_a.pk}/oneroster", {"year": 2025, "demographics": "false"}
    )
    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    data = _read(b"".join(response.streaming_content))
    assert data["#names"] == [name for name in FILES if name != "demographics.csv"]


def test_api_export_is_scoped(world):
    teacher = _api(world.teacher_a1_user)
    assert (
        teacher.get(f"/institutions/{world.school_b.pk}/oneroster", {"year": 2025}).status_code
        == 404
    )
    assert (
        teacher.get(f"/institutions/{world.school_a.pk}/oneroster", {"year": 2025}).status_code
        == 403
    )
    principal = _api(world.principal_a)
    assert (
        principal.get(f"/institutions/{world.school_a.pk}/oneroster", {"year": 1999}).status_code
        == 422
    )
