import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from tests.stats.conftest import approved
from tests.world import _user
from truongso.academics.services import school_year_ensure
from truongso.accounts.models import Role
from truongso.audit.models import AuditEntry
from truongso.core.rules.text import fold
from truongso.stats import selectors, services
from truongso.stats.models import Report, ReportStatus
from truongso.stats.rules.cells import add, from_json, total
from truongso.units.models import AdministrativeUnit, UnitSuccession
from truongso.units.services import unit_set_path

DIMS = ["grade", "sex", "ethnicity", "disability"]


def _learners(figures):
    return total(figures.get("learners.by_grade", {}), DIMS)


def _all_approved(world, report_round):
    approved(world, world.school_a, report_round, world.principal_a, world.province_p1)
    approved(world, world.school_b, report_round, world.principal_b, world.province_p2)
    return Report.objects.get(institution=world.school_a, is_current=True)


def test_rollups_add_up_at_every_level(world, boy):
    _all_approved(world, boy)
    national, n = selectors.rollup(report_round=boy, unit=world.country)
    p1, n1 = selectors.rollup(report_round=boy, unit=world.p1)
    p2, n2 = selectors.rollup(report_round=boy, unit=world.p2)
    c1, _ = selectors.rollup(report_round=boy, unit=world.c1)
    assert (n, n1, n2) == (2, 1, 1)
    assert (_learners(national), _learners(p1), _learners(p2), _learners(c1)) == (9, 6, 3, 6)
    both = {}
    add(both, p1)
    add(both, p2)
    assert both == national
    assert national["classes.by_grade"] == {"6": 3}
    assert national["institutions.count"] == {"lower_secondary|1": 2}
    # The drill-down of the country is its provinces, adding up to the country.
    parts = selectors.rollup_parts(report_round=boy, unit=world.country)
    assert [(p.name, _learners(p.figures)) for p in parts] == [
        ("Thành phố Hà Nội", 6), ("Thành phố Hồ Chí Minh", 3),
    ]  # fmt: skip
    # The province's report freezes the roll-up; the ministry approves it.
    report = services.unit_report_prepare(actor=world.province_p1, unit=world.p1,
                                          report_round=boy)  # fmt: skip
    assert (report.parts, from_json(report.values)) == (1, p1)
    services.report_submit(actor=world.province_p1, report=report)
    services.report_approve(actor=world.ministry, report=report)
    assert Report.objects.get(pk=report.pk).status == ReportStatus.APPROVED


def test_only_approved_reports_are_rolled_up(world, boy):
    report = services.report_prepare(actor=world.principal_a, institution=world.school_a,
                                     report_round=boy)  # fmt: skip
    services.report_submit(actor=world.principal_a, report=report)
    assert selectors.rollup(report_round=boy, unit=world.p1) == ({}, 0)


def _legacy(code, name, level, parent, valid_from=None):
    unit = AdministrativeUnit.objects.create(
        code=code, name=name, search_name=fold(name), level=level, parent=parent,
        valid_from=valid_from, valid_to=dt.date(2025, 6, 30),
    )  # fmt: skip
    unit_set_path(unit)
    unit.save(update_fields=["path"])
    return unit


def test_rollup_before_july_2025_follows_the_63_province_tree(world):
    old_p1 = _legacy("01", "Thành phố Hà Nội (cũ)", "province", world.country)
    district = _legacy("001", "Quận Ba Đình", "district", old_p1)
    oc1 = _legacy("00001", "Phường Phúc Xá", "commune", district)
    oc2 = _legacy("00004", "Phường Trúc Bạch", "commune", district)
    old_p2 = _legacy("79", "Thành phố Hồ Chí Minh (cũ)", "province", world.country)
    district2 = _legacy("760", "Quận 1", "district", old_p2)
    oc3 = _legacy("26734", "Phường Bến Nghé", "commune", district2)
    for old, new in ((oc1, world.c1), (oc2, world.c1), (oc3, world.c2)):
        UnitSuccession.objects.create(predecessor=old, successor=new)
    year = school_year_ensure(2024)
    rnd = services.round_open(actor=world.ministry, form="boy", school_year=year,
                              cutoff=dt.date(2024, 9, 30))  # fmt: skip
    # Today's province office reports for the schools that were in the old province.
    approved(world, world.school_a, rnd, world.principal_a, world.province_p1)
    principal_a2 = _user("ht_a2", Role.PRINCIPAL, institution=world.school_a2)
    approved(world, world.school_a2, rnd, principal_a2, world.province_p1)
    approved(world, world.school_b, rnd, world.principal_b, world.province_p2)
    report = Report.objects.get(institution=world.school_a, report_round=rnd)
    # Ba Đình ward was formed from two wards of one district: the school sits in it.
    assert report.unit_path == district.path
    levels = {u.name: _learners(selectors.rollup(report_round=rnd, unit=u)[0])
              for u in (world.country, old_p1, district, old_p2, district2)}  # fmt: skip
    assert levels == {
        "Việt Nam": 9, "Thành phố Hà Nội (cũ)": 6, "Quận Ba Đình": 6,
        "Thành phố Hồ Chí Minh (cũ)": 3, "Quận 1": 3,
    }  # fmt: skip
    parts = selectors.rollup_parts(report_round=rnd, unit=world.country)
    assert [(p.name, p.reports) for p in parts] == [
        ("Thành phố Hà Nội (cũ)", 2), ("Thành phố Hồ Chí Minh (cũ)", 1),
    ]  # fmt: skip
    # Today's provinces are not in the tree of 2024 and have nothing.
    assert selectors.rollup(report_round=rnd, unit=world.p1) == ({}, 0)
    # The office of today's Hà Nội prepares the legacy province's report, not Sài Gòn's.
    unit_report = services.unit_report_prepare(actor=world.province_p1, unit=old_p1,
                                               report_round=rnd)  # fmt: skip
    assert unit_report.parts == 2
    with pytest.raises(PermissionDenied):
        services.unit_report_prepare(actor=world.province_p1, unit=old_p2, report_round=rnd)


def test_resubmission_is_a_new_version_and_the_old_one_stays(world, boy):
    first = services.report_prepare(actor=world.principal_a, institution=world.school_a,
                                    report_round=boy)  # fmt: skip
    services.report_submit(actor=world.principal_a, report=first)
    with pytest.raises(ValidationError):
        services.report_prepare(actor=world.principal_a, institution=world.school_a,
                                report_round=boy)  # fmt: skip
    with pytest.raises(ValidationError) as error:
        services.report_return(actor=world.province_p1, report=first, reason="  ")
    assert error.value.message_dict == {"reason": ["Cần ghi lý do trả lại báo cáo."]}
    services.report_return(actor=world.province_p1, report=first, reason="Thiếu lớp 6A3")
    second = services.report_prepare(actor=world.principal_a, institution=world.school_a,
                                     report_round=boy)  # fmt: skip
    assert (second.pk != first.pk, second.version, second.status) == (True, 2, "draft")
    first.refresh_from_db()
    assert (first.version, first.status, first.is_current) == (1, "returned", False)
    assert first.return_reason == "Thiếu lớp 6A3"
    assert first.snapshot_id != second.snapshot_id
    services.report_submit(actor=world.principal_a, report=second)
    services.report_approve(actor=world.province_p1, report=second)
    versions = selectors.report_versions(actor=world.province_p1, report=second)
    assert [(r.version, r.status) for r in versions] == [(2, "approved"), (1, "returned")]
    actions = list(
        AuditEntry.objects.filter(object_type="stats.report").order_by("pk")
        .values_list("action", "object_id")
    )  # fmt: skip
    assert [a for a, _ in actions] == [
        "stats.report_prepare", "stats.report_submit", "stats.report_return",
        "stats.report_prepare", "stats.report_submit", "stats.report_approve",
    ]  # fmt: skip
    # Later changes to the records do not change the approved report.
    from truongso.learners.services import learner_withdraw

    learner_withdraw(actor=world.principal_a, learner=world.learner_em,
                     on=dt.date(2025, 9, 1), reason="x")  # fmt: skip
    second.refresh_from_db()
    assert _learners(from_json(second.values)) == 6


def test_a_province_officer_sees_only_their_province(world, boy):
    _all_approved(world, boy)
    services.unit_report_prepare(actor=world.province_p2, unit=world.p2, report_round=boy)
    seen = {r.owner_name for r in selectors.report_list(actor=world.province_p1)}
    assert seen == {"Trường THCS Ba Đình"}
    seen_p2 = {r.owner_name for r in selectors.report_list(actor=world.province_p2)}
    assert seen_p2 == {"Trường THCS Sài Gòn", "Thành phố Hồ Chí Minh"}
    assert {r.owner_name for r in selectors.report_list(actor=world.ministry)} == {
        "Trường THCS Ba Đình", "Trường THCS Sài Gòn", "Thành phố Hồ Chí Minh",
    }  # fmt: skip
    # A school sees only itself; a teacher nothing.
    assert {r.owner_name for r in selectors.report_list(actor=world.principal_b)} == {
        "Trường THCS Sài Gòn"
    }
    assert list(selectors.report_list(actor=world.teacher_a1_user)) == []
    school_b = Report.objects.get(institution=world.school_b)
    with pytest.raises(Report.DoesNotExist):
        selectors.report_get(actor=world.province_p1, pk=school_b.pk)
    with pytest.raises(PermissionDenied):
        services.report_prepare(actor=world.principal_a, institution=world.school_b,
                                report_round=boy)  # fmt: skip
    with pytest.raises(PermissionDenied):
        services.unit_report_prepare(actor=world.province_p1, unit=world.p2, report_round=boy)


def test_a_school_cannot_approve_and_an_office_cannot_submit_for_a_school(world, boy):
    report = services.report_prepare(actor=world.principal_a, institution=world.school_a,
                                     report_round=boy)  # fmt: skip
    with pytest.raises(PermissionDenied):
        services.report_submit(actor=world.province_p1, report=report)
    services.report_submit(actor=world.principal_a, report=report)
    for actor in (world.principal_a, world.province_p2):
        with pytest.raises(PermissionDenied):
            services.report_approve(actor=actor, report=report)
