"""Cursor pagination: complete walks, stability under inserts, limits, no COUNT, no N+1."""

import base64
import datetime as dt
import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.api.conftest import walk
from truongso.academics.models import SchoolClass
from truongso.core.rules.text import fold
from truongso.learners.models import Learner
from truongso.learners.services import learner_create, prepare_learner

ALL_LEARNERS = [
    # (search_name order, then id): the two "Nguyễn Văn An" by id.
    "Bùi Quang Huy", "Đỗ Thị Hạnh", "Hoàng Thị Em", "Lê Đức Cường", "Nguyễn Văn An",
    "Nguyễn Văn An", "Phạm Minh Dũng", "Trần Thị Bình", "Vũ Hương Giang",
]  # fmt: skip


def _add_learners(world, count, prefix="Học Sinh"):
    rows = []
    for n in range(count):
        learner = Learner(
            institution=world.school_a, current_class=world.class_a2, grade=6,
            full_name=f"{prefix} {n:03d}", sex="M", date_of_birth=dt.date(2014, 1, 1),
        )  # fmt: skip
        prepare_learner(learner)
        rows.append(learner)
    Learner.objects.bulk_create(rows)


@pytest.mark.parametrize("limit", [1, 2, 4, 8, 9, 50])
def test_walk_learners_completely(world, api_as, limit):
    items = walk(api_as(world.ministry), "/learners", limit=limit)
    assert [i["full_name"] for i in items] == ALL_LEARNERS
    ids = [i["id"] for i in items]
    assert len(ids) == len(set(ids)) == 9
    nguyen = [i["id"] for i in items if i["full_name"] == "Nguyễn Văn An"]
    assert nguyen == sorted(nguyen)


def test_walk_classes_with_a_descending_key(world, api_as):
    items = walk(api_as(world.ministry), "/classes", limit=2)
    got = [(i["institution"]["name"], i["school_year"]["name"], i["name"]) for i in items]
    assert got == [
        ("Trường THCS Ba Đình", "2026-2027", "6A1"),
        ("Trường THCS Ba Đình", "2026-2027", "7A1"),
        ("Trường THCS Ba Đình", "2025-2026", "6A1"),
        ("Trường THCS Ba Đình", "2025-2026", "6A2"),
        ("Trường THCS Sài Gòn", "2025-2026", "6B1"),
    ]


@pytest.mark.parametrize(
    ("path", "count"),
    [
        ("/units", 5),
        ("/institutions", 3),
        ("/staff", 3),
        ("/learners/{an}/events", 0),
        ("/tokens", 1),
    ],
)
def test_every_list_walks(world, api_as, path, count):
    items = walk(api_as(world.ministry), path.format(an=world.learner_an.pk), limit=1)
    assert len(items) == count
    assert len({i["id"] for i in items}) == count


def test_stable_under_inserts(world, api_as):
    client = api_as(world.principal_a)
    first = client.get("/learners", {"limit": 3}).json()
    assert [i["full_name"] for i in first["items"]] == [
        "Hoàng Thị Em", "Lê Đức Cường", "Nguyễn Văn An"
    ]  # fmt: skip
    # Meanwhile one learner is admitted before the cursor and one after it.
    learner_create(actor=world.principal_a, institution=world.school_a,
                   fields={"full_name": "Đặng Văn Ba", "sex": "M"})  # fmt: skip
    learner_create(actor=world.principal_a, institution=world.school_a,
                   fields={"full_name": "Trịnh Thị Yến", "sex": "F"})  # fmt: skip
    rest = walk(client, "/learners", limit=2, params={"cursor": first["next_cursor"]})
    assert [i["full_name"] for i in rest] == [
        "Phạm Minh Dũng", "Trần Thị Bình", "Trịnh Thị Yến", "Vũ Hương Giang"
    ]  # fmt: skip
    seen = [i["id"] for i in first["items"] + rest]
    assert len(seen) == len(set(seen))


def test_default_and_maximum_limit(world, api_as):
    _add_learners(world, 51)
    client = api_as(world.principal_a)
    body = client.get("/learners").json()
    assert len(body["items"]) == 50
    assert body["next_cursor"] is not None
    assert len(client.get("/learners", {"limit": 500}).json()["items"]) == 57
    for limit in (0, 501, -1):
        response = client.get("/learners", {"limit": limit})
        assert response.status_code == 422
        assert list(response.json()["errors"]) == ["limit"]


@pytest.mark.parametrize(
    "cursor",
    [
        "not base64 !",
        base64.urlsafe_b64encode(b"[1]").decode(),  # wrong length
        base64.urlsafe_b64encode(b'["a", "b"]').decode(),  # id is not a number
        base64.urlsafe_b64encode(b'{"a": 1}').decode(),
        base64.urlsafe_b64encode(b"[null, 1]").decode(),
    ],
)
def test_invalid_cursor_is_a_422_on_cursor(world, api_as, cursor):
    response = api_as(world.principal_a).get("/learners", {"cursor": cursor})
    assert response.status_code == 422
    assert response.json()["errors"] == {"cursor": ["Con trỏ phân trang không hợp lệ."]}


def test_cursor_with_a_bad_date_is_a_422(world, api_as):
    values = ["Trường THCS Ba Đình", "not-a-date", 6, "6A1", 1]
    cursor = base64.urlsafe_b64encode(json.dumps(values).encode()).decode().rstrip("=")
    response = api_as(world.principal_a).get("/classes", {"cursor": cursor})
    assert response.status_code == 422
    assert list(response.json()["errors"]) == ["cursor"]


def test_cursor_is_opaque_base64_of_the_last_key(world, api_as):
    body = api_as(world.ministry).get("/learners", {"limit": 1}).json()
    cursor = body["next_cursor"]
    padded = cursor + "=" * (-len(cursor) % 4)
    assert json.loads(base64.urlsafe_b64decode(padded)) == [
        fold("Bùi Quang Huy"),
        body["items"][0]["id"],
    ]


LISTS = ["/learners", "/staff", "/institutions", "/classes", "/units", "/classes/{a1}/roster"]


@pytest.mark.parametrize("path", LISTS)
def test_no_count_query_and_no_n_plus_one(world, api_as, path):
    _add_learners(world, 20)
    extra = [
        SchoolClass(institution=world.school_a, school_year=world.year, grade=7, name=f"7X{n}")
        for n in range(10)
    ]
    SchoolClass.objects.bulk_create(extra)
    client = api_as(world.ministry)
    path = path.format(a1=world.class_a2.pk)
    client.get("/me")  # the token's first use is recorded once a minute, not on every call
    counts = []
    for limit in (1, 500):
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(path, {"limit": limit})
        assert response.status_code == 200
        counts.append(len(ctx.captured_queries))
        if path in ("/learners", "/staff", "/institutions", "/units"):
            assert not any("COUNT(" in q["sql"].upper() for q in ctx.captured_queries)
    assert counts[0] == counts[1]
    assert len(response.json()["items"]) > 1


def test_learner_list_query_budget(world, api_as, django_assert_max_num_queries):
    _add_learners(world, 40)
    client = api_as(world.principal_a)
    client.get("/me")
    # token lookup, scope (roles, staff record, guardianships), the page
    with django_assert_max_num_queries(6):
        response = client.get("/learners", {"limit": 100})
    assert len(response.json()["items"]) == 46
