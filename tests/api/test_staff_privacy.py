"""Teachers may list their colleagues, but not read their identity and contact details."""

import datetime as dt

from truongso.staff.services import staff_update


def test_colleagues_do_not_get_identity_or_contact(world, api_as):
    staff_update(actor=world.principal_a, member=world.teacher_a2,
                 fields={"personal_id": "001185000111", "phone": "0912000111",
                         "address": "5 Tràng Tiền"})  # fmt: skip
    path = f"/staff/{world.teacher_a2.pk}"

    colleague = api_as(world.teacher_a1_user).get(path).json()
    assert colleague["full_name"] == "Lê Văn Minh"
    assert colleague["personal_id"] == ""
    assert colleague["phone"] == ""
    assert colleague["address"] == ""
    assert colleague["date_of_birth"] is None
    listed = api_as(world.teacher_a1_user).get("/staff", {"limit": 50}).json()["items"]
    assert {item["personal_id"] for item in listed} == {""}

    for reader in (world.principal_a, world.province_p1):
        full = api_as(reader).get(path).json()
        assert full["personal_id"] == "001185000111"
        assert full["phone"] == "0912000111"
        assert full["address"] == "5 Tràng Tiền"
        assert full["date_of_birth"] == dt.date(1985, 3, 1).isoformat()
