import json
from decimal import Decimal

from tests.api.conftest import ApiClient
from truongso.accounts.tokens import api_token_create
from truongso.core.indicators import indicator_sources


def _api(user):
    _token, raw = api_token_create(actor=user, user=user, name="tests")
    return ApiClient(raw)


def test_records_scoped_and_written_through_the_service(trained):
    w = trained
    b = _api(w.principal_b)
    listed = b.get("/training/records").json()
    assert [r["course"] for r in listed["items"]] == ["Học liệu số"]
    assert b.get(f"/training/records/{w.rec_hoa.pk}").status_code == 404
    created = b.post("/training/records", {
        "staff_member": w.teacher_b.pk, "course": "Kỹ năng số", "starts_on": "2025-11-03",
        "ends_on": "2025-11-01", "hours": 8})  # fmt: skip
    assert created.status_code == 422
    assert created.json()["errors"] == {
        "ends_on": ["Ngày kết thúc (01/11/2025) trước ngày bắt đầu (03/11/2025)."]
    }
    created = b.post("/training/records", {
        "staff_member": w.teacher_b.pk, "course": "Kỹ năng số", "starts_on": "2025-11-03",
        "ends_on": "2025-11-04", "hours": 8, "digital_skills": True})  # fmt: skip
    assert created.status_code == 201 and created.json()["staff_member_name"] == "Phạm Thị Lan"
    # School B cannot write for school A's staff (not even see them).
    assert b.post("/training/records", {
        "staff_member": w.teacher_a1.pk, "course": "X", "starts_on": "2025-11-03",
        "ends_on": "2025-11-04"}).status_code == 422  # fmt: skip
    changed = b.patch(f"/training/records/{created.json()['id']}", {"hours": 12})
    assert (changed.status_code, changed.json()["hours"]) == (200, 12)


def test_appraisal_and_summary(trained):
    w = trained
    a = _api(w.principal_a)
    body = {"staff_member": w.teacher_a1.pk, "school_year": "2025-2026",
            "professional_standard": "Tốt", "official_rating": "tot"}  # fmt: skip
    put = a.client.put("/api/v1/training/appraisals", json.dumps(body),
                       content_type="application/json", headers=a._headers())  # fmt: skip
    assert put.status_code == 200
    assert (put.json()["professional_standard"], put.json()["official_rating"]) == ("tot", "tot")
    rows = _api(w.ministry).get("/training/summary", {"school_year": "2025-2026"}).json()
    total = rows[-1]
    assert total["institution_id"] is None
    assert (total["teachers"], Decimal(total["digital_skills_share"])) == (3, Decimal("66.7"))
    assert Decimal(total["learners_per_staff"]) == Decimal("1.80")


def test_indicators_computed_from_the_records(trained):
    w = trained
    sources = {s.code: s for s in indicator_sources() if s.code.startswith("training.")}
    import datetime as dt

    ids = [w.school_a.pk, w.school_b.pk]
    cutoff = dt.date(2025, 12, 31)
    assert sources["training.teachers_digital_skills"].compute(ids, cutoff) == {
        w.school_a.pk: 1, w.school_b.pk: 1}  # fmt: skip
    assert sources["training.teachers_digital_materials"].compute(ids, cutoff) == {
        w.school_a.pk: 0, w.school_b.pk: 1}  # fmt: skip
    # Hours of the school year up to the cut-off: Hoa's March course is not yet counted.
    assert sources["training.hours"].compute(ids, cutoff) == {
        w.school_a.pk: 112, w.school_b.pk: 30}  # fmt: skip
    from truongso.training.services import staff_appraisal_set

    staff_appraisal_set(actor=w.principal_a, staff_member=w.teacher_a2, school_year=w.year,
                        professional_standard="Khá", official_rating="hoan_thanh")  # fmt: skip
    assert sources["training.standard.kha"].compute(ids, cutoff) == {
        w.school_a.pk: 1, w.school_b.pk: 0}  # fmt: skip
