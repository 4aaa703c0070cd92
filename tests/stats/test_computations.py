import datetime as dt

from truongso.learners.services import learner_withdraw
from truongso.stats import services
from truongso.stats.rules.cells import total

DIMS = ["grade", "sex", "ethnicity", "disability"]


def test_snapshot_counts_learners_enrolled_on_the_cutoff(world, boy):
    # An left before the cut-off: not counted. Bình left after it: still counted.
    learner_withdraw(actor=world.principal_a, learner=world.learner_an,
                     on=dt.date(2025, 9, 20), reason="Chuyển vùng")  # fmt: skip
    learner_withdraw(actor=world.principal_a, learner=world.learner_binh,
                     on=dt.date(2025, 10, 20), reason="Chuyển vùng")  # fmt: skip
    snap = services.snapshot_take(actor=world.principal_a, institution=world.school_a,
                                  report_round=boy)  # fmt: skip
    learners = snap.values["learners.by_grade"]
    assert learners == {"6|M|01|0": 2, "6|F|01|0": 3}
    assert total(learners, DIMS, sex="F") == 3
    assert snap.values["classes.by_grade"] == {"6": 2}
    assert snap.values["staff.by_position"] == {"teacher|-": 2}
    assert snap.values["institutions.count"] == {"lower_secondary|1": 1}
    assert snap.values["learners.by_age"] == {"6|11": 5}
    assert snap.values["classes.size_out_of_range"] == {"6": 2}
    assert snap.unit_path == world.c1.path


def test_snapshot_uses_a_registered_module_source(world, boy, monkeypatch):
    from truongso.core.indicators import IndicatorSource
    from truongso.stats import catalogue
    from truongso.stats import services as svc

    fake = IndicatorSource(
        code="facilities.classrooms", label="Phòng học", unit="count",
        compute=lambda ids, cutoff: dict.fromkeys(ids, 7),
    )  # fmt: skip
    internet = IndicatorSource(
        code="facilities.schools_internet", label="Internet", unit="count",
        compute=lambda ids, cutoff: dict.fromkeys(ids, 1),
    )  # fmt: skip
    monkeypatch.setattr(catalogue, "indicator_sources", lambda: [fake, internet])
    monkeypatch.setattr(svc, "indicator_sources", lambda: [fake, internet])
    report = services.report_prepare(actor=world.principal_a, institution=world.school_a,
                                     report_round=boy)  # fmt: skip
    assert report.values["facilities.classrooms"] == {"": 7}
    # A figure typed in until the facilities module offers it now comes from it.
    assert report.values["institutions.internet"] == {"": 1}
    assert "institutions.two_sessions" not in report.values


def test_every_figure_the_catalogue_takes_from_a_module_is_offered_by_it():
    from truongso.core.indicators import indicator_sources
    from truongso.stats.catalogue import read_catalogue

    offered = {source.code for source in indicator_sources()}
    wanted = {entry["prefer_source"] for entry in read_catalogue() if entry["prefer_source"]}
    assert wanted == {"facilities.schools_internet", "facilities.schools_clean_water"}
    assert wanted <= offered


def test_typed_figures_come_from_the_facilities_records(world, boy):
    from truongso.facilities.models import Utilities
    from truongso.facilities.services import utilities_set

    utilities_set(actor=world.principal_a, institution=world.school_a, fields={
        "grid_power": True, "internet": True, "water_source": "piped"})  # fmt: skip
    # Recorded before the round's cut-off date (records count from their creation).
    Utilities.objects.filter(institution=world.school_a).update(
        created_at=dt.datetime(2025, 9, 1, tzinfo=dt.UTC)
    )
    report = services.report_prepare(actor=world.principal_a, institution=world.school_a,
                                     report_round=boy)  # fmt: skip
    assert report.values["institutions.internet"] == {"": 1}
    assert report.values["institutions.clean_water"] == {"": 1}
    assert report.values["facilities.schools_grid_power"] == {"": 1}
    assert report.values["facilities.classrooms"] == {"": 0}
