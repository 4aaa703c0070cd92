import io

from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import load_workbook

from tests.facilities.conftest import SMALL_LIST
from tests.world import PASSWORD
from truongso.facilities.models import EquipmentList, Norm, Room, Site


def _login(client, user):
    assert client.login(username=user.username, password=PASSWORD)
    return client


def _csv(rows):
    return "\n".join(",".join(r) for r in rows).encode("utf-8")


def test_home_leads_a_school_to_its_page_and_an_office_to_the_rollup(world, client):
    _login(client, world.principal_a)
    response = client.get("/facilities/")
    assert response["Location"] == f"/facilities/school/{world.school_a.pk}/"
    page = client.get(response["Location"]).content.decode()
    assert "Trường THCS Ba Đình" in page
    client.logout()
    _login(client, world.province_p1)
    assert client.get("/facilities/")["Location"] == "/facilities/office/"
    page = client.get("/facilities/office/").content.decode()
    assert "Trường THCS Ba Đình" in page and "Trường THCS Sài Gòn" not in page
    client.logout()
    _login(client, world.teacher_a1_user)
    assert client.get("/facilities/").status_code == 403


def test_school_adds_rooms_lists_and_exports_them(world, client):
    _login(client, world.principal_a)
    base = f"/facilities/school/{world.school_a.pk}"
    assert client.post(f"{base}/sites/new/", {"name": "Điểm chính", "land_area_m2": "800"}
                       ).status_code == 302  # fmt: skip
    site = Site.objects.get()
    assert client.post(f"{base}/buildings/new/", {
        "site": site.pk, "name": "Nhà A", "floors": "3", "structure": "permanent",
        "condition": "good"}).status_code == 302  # fmt: skip
    building = site.buildings.get()
    response = client.post(f"{base}/rooms/new/", {
        "building": building.pk, "floor": "4", "name": "P401", "room_type": "classroom",
        "area_m2": "54", "condition": "good", "capacity": "45"})  # fmt: skip
    assert response.status_code == 200
    assert "Nhà Nhà A chỉ có 3 tầng." in response.content.decode()
    assert Room.objects.count() == 0
    for n in range(1, 4):
        client.post(f"{base}/rooms/new/", {
            "building": building.pk, "floor": "1", "name": f"P10{n}", "room_type": "classroom",
            "area_m2": "54", "condition": "good", "capacity": "45"})  # fmt: skip
    assert Room.objects.count() == 3
    page = client.get(f"{base}/rooms/", {"q": "P102"}).content.decode()
    assert "P102" in page and "P101" not in page
    export = client.get(f"{base}/rooms.xlsx")
    sheet = load_workbook(io.BytesIO(export.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[1][:4] == ("STT", "Tên phòng", "Loại phòng", "Nhà")
    assert [r[1] for r in rows[2:]] == ["P101", "P102", "P103"]
    data = {"grid_power": "on", "internet": "on", "internet_mbps": "50", "water_source": "piped"}
    assert client.post(f"{base}/utilities/", data).status_code == 302
    page = client.get(f"{base}/").content.decode()
    assert "Nước sạch" in page


def test_other_school_gets_404_on_every_page(world, client):
    _login(client, world.principal_b)
    base = f"/facilities/school/{world.school_a.pk}"
    for url in [f"{base}/", f"{base}/rooms/", f"{base}/rooms.xlsx", f"{base}/gaps/",
                f"{base}/gaps.xlsx", f"{base}/rooms/new/", f"{base}/utilities/"]:  # fmt: skip
        assert client.get(url).status_code == 404, url
    assert client.post(f"{base}/sites/new/", {"name": "x"}).status_code == 404
    assert Site.objects.count() == 0
    client.logout()
    _login(client, world.province_p1)
    assert client.get(f"{base}/rooms/").status_code == 200
    assert client.get(f"{base}/rooms/new/").status_code == 404
    assert client.get("/facilities/office/").status_code == 200


def test_gap_page_and_export(world, client, school_a_equipment):
    _login(client, world.principal_a)
    page = client.get(f"/facilities/school/{world.school_a.pk}/gaps/").content.decode()
    assert "Kính hiển vi" in page
    export = client.get(f"/facilities/school/{world.school_a.pk}/gaps.xlsx")
    rows = list(load_workbook(io.BytesIO(export.content)).active.iter_rows(values_only=True))
    assert rows[2] == (1, "T6-KHTN", "Kính hiển vi", 6, "KHTN", "cái", 8, 5, 2, 1, 2, "Thiếu")
    client.logout()
    _login(client, world.ministry)
    export = client.get("/facilities/office.xlsx")
    rows = list(load_workbook(io.BytesIO(export.content)).active.iter_rows(values_only=True))
    assert rows[-1][2:] == ("Tổng cộng", 0, 0, 0, 0, 0, 25, 15, 12, 3, 3)


def test_upload_page_loads_or_reports_row_and_column(world, client):
    _login(client, world.principal_a)
    assert client.get("/facilities/lists/upload/").status_code == 403
    client.logout()
    _login(client, world.ministry)
    bad = [*SMALL_LIST[1:], SMALL_LIST[2][:9] + ["nhiều", "class", ""]]
    response = client.post("/facilities/lists/upload/", {
        "file": SimpleUploadedFile("ds.csv", _csv(bad), "text/csv")})  # fmt: skip
    assert response.status_code == 200
    html = response.content.decode()
    assert "Chưa nạp gì" in html
    assert "Dòng 6: cột “quantity”: số lượng phải là số nguyên dương, không phải “nhiều”." in html
    assert EquipmentList.objects.count() == 0
    response = client.post("/facilities/lists/upload/", {
        "file": SimpleUploadedFile("ds.csv", _csv(SMALL_LIST[1:]), "text/csv")})  # fmt: skip
    assert response.status_code == 302
    listing = EquipmentList.objects.get()
    assert (listing.code, listing.version, listing.items.count()) == ("TEST-37", 1, 4)
    assert client.get(f"/facilities/lists/{listing.pk}/").status_code == 200
    export = client.get(f"/facilities/lists/{listing.pk}.xlsx")
    rows = list(load_workbook(io.BytesIO(export.content)).active.iter_rows(values_only=True))
    assert len(rows) == 2 + 4


def test_norms_page_and_editing(world, client):
    _login(client, world.principal_a)
    assert client.get("/facilities/norms/").status_code == 200
    norm_pk = Norm.objects.get(code="thu_vien").pk
    assert client.get(f"/facilities/norms/{norm_pk}/").status_code == 403
    client.logout()
    _login(client, world.ministry)
    response = client.post(f"/facilities/norms/{norm_pk}/", {
        "value": "2", "kinds": "primary, lower_secondary", "source": "TT 13/2020",
        "note": "", "is_active": "on"})  # fmt: skip
    assert response.status_code == 302
    rows = list(load_workbook(io.BytesIO(client.get("/facilities/norms.xlsx").content)
                              ).active.iter_rows(values_only=True))  # fmt: skip
    assert ("thu_vien", "Thư viện mỗi trường", 2, "primary,lower_secondary", "TT 13/2020") in [
        r[1:6] for r in rows]  # fmt: skip
