from tests.api.conftest import api_as  # noqa: F401
from truongso.facilities.models import Room, Site


def test_school_writes_its_own_and_reads_gaps(world, api_as, school_a_equipment):  # noqa: F811
    api = api_as(world.principal_a)
    building = school_a_equipment["building"]
    room = {"institution": world.school_a.pk, "building_id": building.pk, "floor": 1,
            "name": "P101", "room_type": "classroom", "area_m2": "54", "capacity": 45}  # fmt: skip
    response = api.post("/facilities/rooms", room)
    assert response.status_code == 201, response.content
    room_id = response.json()["id"]
    assert api.patch(f"/facilities/rooms/{room_id}", {"condition": "needs_repair"}
                     ).json()["condition"] == "needs_repair"  # fmt: skip
    bad = api.post("/facilities/rooms", {
        "institution": world.school_a.pk, "building_id": building.pk, "floor": 9, "name": "P901",
        "room_type": "classroom"})  # fmt: skip
    assert bad.status_code == 422
    assert bad.json()["errors"] == {"floor": ["Nhà Nhà A chỉ có 2 tầng."]}
    names = [r["name"] for r in api.get("/facilities/rooms").json()["items"]]
    assert names == ["Phòng KHTN", "P101"]
    gaps = api.get(f"/facilities/schools/{world.school_a.pk}/gaps").json()
    assert gaps["summary"]["items_short"] == 4
    assert [(g["code"], g["status"]) for g in gaps["equipment"]] == [
        ("T6-KHTN", "missing"), ("T6-NN", "broken"), ("T6-TOAN", "enough")]  # fmt: skip
    put = api.client.put(
        f"/api/v1/facilities/schools/{world.school_a.pk}/utilities",
        '{"grid_power": true, "water_source": "drilled_well", "water_treated": true}',
        content_type="application/json", headers=api._headers(),
    )  # fmt: skip
    assert put.status_code == 200
    assert put.json()["clean_water"] is True


def test_api_is_scoped(world, api_as, school_a_equipment):  # noqa: F811
    site = school_a_equipment["site"]
    b = api_as(world.principal_b)
    assert b.get(f"/facilities/sites/{site.pk}").status_code == 404
    assert b.get("/facilities/sites").json()["items"] == []
    assert b.patch(f"/facilities/sites/{site.pk}", {"name": "x"}).status_code == 404
    assert b.post("/facilities/sites", {"institution": world.school_a.pk, "name": "x"}
                  ).status_code == 422  # fmt: skip
    assert b.get(f"/facilities/schools/{world.school_a.pk}/gaps").status_code == 404
    officer = api_as(world.province_p1)
    assert officer.get(f"/facilities/sites/{site.pk}").json()["name"] == "Điểm chính"
    assert officer.patch(f"/facilities/sites/{site.pk}", {"name": "x"}).status_code == 403
    rollup = officer.get("/facilities/rollup").json()
    assert [s["code"] for s in rollup["schools"]] == ["01000001", "01000002"]
    assert rollup["total"]["items_short"] == 4
    other = api_as(world.province_p2)
    assert other.get(f"/facilities/sites/{site.pk}").status_code == 404
    assert Site.objects.get().name == "Điểm chính"
    assert Room.objects.count() == 1
