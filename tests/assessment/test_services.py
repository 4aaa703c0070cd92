import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from truongso.academics.services import school_year_ensure
from truongso.accounts.models import User
from truongso.assessment.models import RuleSet
from truongso.assessment.rules.builtin import BUILTIN_RULE_SETS, TT22_2021
from truongso.assessment.rules.parameters import to_parameters
from truongso.assessment.rules.secondary import semester_average
from truongso.assessment.selectors import (
    RuleSetNotFound,
    RuleSetNotInForce,
    rule_set_get,
    rule_set_in_force,
    rule_set_latest_versions,
)
from truongso.assessment.services import (
    rule_set_revise,
    rule_set_rules,
    rule_sets_load_builtin,
)
from truongso.audit.models import AuditEntry


@pytest.fixture
def admin_user(db):
    return User.objects.create_superuser(username="admin_rules", password="x", email="")


def test_migration_stores_every_builtin_rule_set(db):
    assert [r.label for r in rule_set_latest_versions()] == [
        "tt43-2021@1", "tt27-2020@1", "tt22-2021@1", "tt04-2022@1"]  # fmt: skip
    for rules in BUILTIN_RULE_SETS:
        assert rule_set_rules(rule_set_get(rules.info.code)) == rules


def test_load_builtin_is_idempotent_and_audited(db):
    assert rule_sets_load_builtin() == []
    RuleSet.objects.filter(code="tt27-2020").delete()
    created = rule_sets_load_builtin()
    assert [r.label for r in created] == ["tt27-2020@1"]
    entry = AuditEntry.objects.get(action="rule_set.load")
    assert entry.object_id == str(created[0].pk)
    assert entry.after["parameters"]["score_min"] == "1"


def test_revise_creates_a_new_version_and_keeps_the_old(admin_user):
    old = rule_set_get("tt22-2021")
    parameters = to_parameters(TT22_2021)
    parameters["one_subject_adjustment"] = False
    parameters["max_days_absent"] = 40
    new = rule_set_revise(actor=admin_user, rule_set=old, parameters=parameters,
                          note="Sửa theo công văn")  # fmt: skip
    assert new.label == "tt22-2021@2"
    assert new.created_by == admin_user
    old.refresh_from_db()
    assert old.parameters == to_parameters(TT22_2021)
    assert rule_set_rules(rule_set_get("tt22-2021@1")) == TT22_2021
    rules = rule_set_rules(rule_set_get("tt22-2021"))
    assert (rules.info.label, rules.one_subject_adjustment, rules.max_days_absent) == (
        "tt22-2021@2", False, 40)  # fmt: skip
    # results record the version they came from
    result = semester_average(rules, subject="Toán", term=1, regular=[8, 9, 10, 6], mid_term=7,
                              end_of_term=8)  # fmt: skip
    assert result.rule_set == "tt22-2021@2"
    entry = AuditEntry.objects.get(action="rule_set.revise")
    assert entry.actor == admin_user
    assert entry.reason == "Sửa theo công văn"
    assert entry.before["version"] == 1 and entry.after["version"] == 2
    assert entry.before["parameters"]["max_days_absent"] == 45
    assert entry.after["parameters"]["max_days_absent"] == 40


def test_revise_stores_canonical_decimals(admin_user):
    parameters = to_parameters(TT22_2021)
    parameters["retest_below"] = 5  # typed as a number
    new = rule_set_revise(actor=admin_user, rule_set=rule_set_get("tt22-2021"),
                          parameters=parameters, note="x")  # fmt: skip
    assert new.parameters["retest_below"] == "5"


def test_revise_refuses_bad_unchanged_and_unauthorised(admin_user, world):
    old = rule_set_get("tt22-2021")
    parameters = to_parameters(TT22_2021)
    with pytest.raises(ValidationError) as caught:
        rule_set_revise(actor=admin_user, rule_set=old, parameters=parameters, note="x")
    assert "giống hệt phiên bản 1" in caught.value.message_dict["parameters"][0]
    parameters["max_days_absent"] = "nhiều"
    with pytest.raises(ValidationError) as caught:
        rule_set_revise(actor=admin_user, rule_set=old, parameters=parameters, note="x")
    assert caught.value.message_dict["parameters"] == [
        "Tham số max_days_absent: sai kiểu dữ liệu: cần một số nguyên"]  # fmt: skip
    parameters["max_days_absent"] = 40
    with pytest.raises(ValidationError):
        rule_set_revise(actor=admin_user, rule_set=old, parameters=parameters, note=" ")
    with pytest.raises(PermissionDenied):
        rule_set_revise(actor=world.principal_a, rule_set=old, parameters=parameters, note="x")
    assert RuleSet.objects.filter(code="tt22-2021").count() == 1


def test_rule_set_get_by_id(db):
    assert rule_set_get("tt22-2021@1").label == "tt22-2021@1"
    with pytest.raises(RuleSetNotFound) as caught:
        rule_set_get("tt22-2021@7")
    assert caught.value.messages == [
        "Không có bộ quy tắc “tt22-2021@7”. Các bộ quy tắc hiện có: "
        "tt43-2021, tt27-2020, tt22-2021, tt04-2022."
    ]


def test_rule_set_in_force_by_year_date_and_school_year(db):
    assert rule_set_in_force(education_level="lower_secondary", school_year=2021, grade=6).code == (
        "tt22-2021")  # fmt: skip
    assert rule_set_in_force(education_level="primary", on_date=dt.date(2023, 3, 1),
                             grade=3).code == "tt27-2020"  # fmt: skip
    year = school_year_ensure(2022)
    assert rule_set_in_force(education_level="continuing", school_year=year, grade=7).code == (
        "tt43-2021")  # fmt: skip


def test_grade_not_yet_covered_says_so(db):
    with pytest.raises(RuleSetNotInForce) as caught:
        rule_set_in_force(education_level="lower_secondary", school_year=2021, grade=7)
    assert caught.value.messages == [
        "Khối 7 năm học 2021-2022 chưa áp dụng Thông tư 22/2021/TT-BGDĐT (khối 7 áp dụng từ "
        "năm học 2022-2023); hệ thống chưa có quy định đánh giá trước đó."
    ]
    with pytest.raises(RuleSetNotInForce) as caught:
        rule_set_in_force(education_level="primary", school_year=2019, grade=1)
    assert caught.value.messages == [
        "Năm học 2019-2020 trước khi Thông tư 27/2020/TT-BGDĐT được áp dụng (từ năm học "
        "2020-2021); hệ thống chưa có quy định đánh giá cho năm học này."
    ]


def test_newest_version_is_in_force(admin_user):
    parameters = to_parameters(TT22_2021)
    parameters["max_days_absent"] = 40
    rule_set_revise(actor=admin_user, rule_set=rule_set_get("tt22-2021"), parameters=parameters,
                    note="x")  # fmt: skip
    row = rule_set_in_force(education_level="upper_secondary", school_year=2024, grade=12)
    assert row.label == "tt22-2021@2"
