import datetime as dt

import pytest

from tests.world import _user
from truongso.accounts.models import Role
from truongso.health.services import campaign_create


@pytest.fixture
def nurse(world):
    return _user("yte_a", Role.SCHOOL_NURSE, institution=world.school_a)


@pytest.fixture
def campaign(world, nurse):
    return campaign_create(
        actor=nurse, institution=world.school_a, school_year=world.year,
        name="Khám đầu năm", date=dt.date(2025, 10, 1),
        classes=[world.class_a1, world.class_a2],
    )  # fmt: skip
