from tests.api.conftest import api_as, walk  # noqa: F401
from truongso.vocational import services
from truongso.vocational.models import ModuleEnrolment


def test_programmes_and_modules_are_scoped(voc, api_as):  # noqa: F811
    college = api_as(voc.principal)
    items = walk(college, "/vocational/programmes")
    assert [(p["code"], p["rule_set"], p["module_count"]) for p in items] == [
        ("6480201", "tt04-2022@1", 4)
    ]
    modules = walk(college, f"/vocational/programmes/{voc.programme.pk}/modules")
    assert [(m["code"], m["credits"], m["semester"]) for m in modules] == [
        ("MH01", 3, 1), ("MH02", 2, 1), ("MĐ03", 4, 2), ("MĐ04", 3, 2)]  # fmt: skip
    other = api_as(voc.principal_b)
    assert other.get(f"/vocational/programmes/{voc.programme.pk}").status_code == 404
    assert other.get(f"/vocational/programmes/{voc.programme.pk}/modules").status_code == 404
    office = api_as(voc.world.province_p1)
    assert [p["code"] for p in walk(office, "/vocational/programmes")] == ["6480201"]


def test_transcript(voc, api_as):  # noqa: F811
    services.cohort_enrol_semester(actor=voc.principal, cohort=voc.cohort, semester=1)
    for module, value in ((voc.m1, "9"), (voc.m2, "7")):
        e = ModuleEnrolment.objects.get(learner=voc.an, module=module)
        services.module_scores_record(actor=voc.principal, cohort=voc.cohort, module=module,
                                      scores={e.pk: value})  # fmt: skip
    path = f"/vocational/cohorts/{voc.cohort.pk}/learners/{voc.an.pk}/transcript"
    body = api_as(voc.world.province_p1).get(path).json()
    assert body["semesters"][0]["average"] == "3.60"  # (3×4 + 2×3)/5
    assert body["cumulative"] == "3.60"
    assert body["classification"] == "xuat_sac"
    assert (body["eligible"], body["incomplete"], body["earned_credits"]) == (False, False, 5)
    assert body["status"] == "Chưa đủ điều kiện: mới tích lũy 5/12 tín chỉ"
    assert api_as(voc.world.province_p2).get(path).status_code == 404
