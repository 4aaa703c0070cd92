import datetime as dt

from tests.demo.conftest import thai_nguyen  # noqa: F401 - the fixture
from tests.demo.test_builder import TINY
from truongso.accounts.access import scope_for
from truongso.accounts.models import User
from truongso.core.indicators import indicator_sources
from truongso.demo.builder import demo_build, demo_reset
from truongso.health.models import Campaign, Checkup
from truongso.health.selectors import counts_by_institution
from truongso.units.models import Institution


def test_demo_nurse_and_campaign_then_reset(thai_nguyen):  # noqa: F811
    result = demo_build(TINY)
    nurse = User.objects.get(username="yte")
    assert "yte" in [login.username for login in result.logins]
    campaign = Campaign.objects.get()
    flagship = campaign.institution
    assert scope_for(nurse).nurse_institution_ids == {flagship.pk}
    checkups = Checkup.objects.filter(campaign=campaign)
    assert checkups.count() > 0
    assert not checkups.filter(haz__isnull=True).exists()
    demo_reset(TINY)
    assert Checkup.objects.count() == Campaign.objects.count() == 0
    assert not User.objects.filter(username="yte").exists()
    assert Institution.objects.count() == 0


def test_indicators_are_the_counts(world):
    from tests.world import _user
    from truongso.accounts.models import Role
    from truongso.health.services import campaign_create, checkups_record

    nurse = _user("yte_x", Role.SCHOOL_NURSE, institution=world.school_a)
    campaign = campaign_create(
        actor=nurse, institution=world.school_a, school_year=world.year, name="K",
        date=dt.date(2025, 10, 1), classes=[world.class_a1],
    )  # fmt: skip
    checkups_record(
        actor=nurse, campaign=campaign, school_class=world.class_a1,
        rows={
            world.learner_an.pk: {"height": "124", "weight": "25"},
            world.learner_binh.pk: {"height": "145", "weight": "55"},
        },
    )  # fmt: skip
    sources = {s.code: s for s in indicator_sources() if s.code.startswith("health.")}
    assert sorted(sources) == [
        "health.checked", "health.obese", "health.overweight", "health.stunted", "health.thin"
    ]  # fmt: skip
    ids = [world.school_a.pk, world.school_b.pk]
    cutoff = dt.date(2026, 5, 31)
    values = {code: s.compute(ids, cutoff) for code, s in sources.items()}
    assert values == {
        "health.checked": {world.school_a.pk: 2},
        "health.stunted": {world.school_a.pk: 1},
        "health.thin": {world.school_a.pk: 0},
        "health.overweight": {world.school_a.pk: 0},
        "health.obese": {world.school_a.pk: 1},
    }
    assert counts_by_institution(ids, dt.date(2026, 10, 2), dt.date(2027, 1, 1)) == {}
