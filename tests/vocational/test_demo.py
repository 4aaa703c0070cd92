import datetime as dt

from truongso.accounts.models import User
from truongso.demo.extensions import DemoContext
from truongso.units.models import InstitutionKind
from truongso.vocational import demo, selectors
from truongso.vocational.models import Cohort, ModuleEnrolment, Programme


def _ctx(voc):
    w = voc.world
    return DemoContext(
        seed=7, today=dt.date(2025, 11, 1), year=w.year, previous_year=None, province=w.p1,
        schools=[(w.school_a, InstitutionKind.LOWER_SECONDARY),
                 (voc.college, InstitutionKind.COLLEGE)],
        classes={}, staff={}, users={},
    )  # fmt: skip


def test_demo_builds_a_programme_cohort_scores_and_retakes_and_resets(voc):
    ctx = _ctx(voc)
    counts = demo.build(ctx)
    programme = Programme.objects.get(institution=voc.college, code="6520227")
    assert programme.modules.count() == 20
    cohort = Cohort.objects.get(programme=programme)
    assert cohort.start_year == 2023
    assert cohort.members.count() == 30
    assert counts["Người học giáo dục nghề nghiệp"] == 30
    scored = ModuleEnrolment.objects.filter(cohort=cohort, score__isnull=False)
    assert set(scored.values_list("semester", flat=True)) <= {1, 2, 3, 4}
    assert counts["Điểm mô-đun (giáo dục nghề nghiệp)"] == scored.count()
    assert counts["Lượt học lại mô-đun"] == ModuleEnrolment.objects.filter(attempt=2).count() > 0
    # semester 5 enrolled, not scored
    assert ModuleEnrolment.objects.filter(cohort=cohort, semester=5, score__isnull=True).exists()
    principal = User.objects.get(username="hieutruong.cd")
    assert ("hieutruong.cd", "Hiệu trưởng", voc.college.name) in [
        (u, str(r), str(wh)) for u, r, wh in ctx.logins]  # fmt: skip
    rows = selectors.graduation_list(actor=principal, cohort=cohort)
    assert len(rows) == 30 and all(not r.eligible for r in rows)  # the course is not over
    assert demo.build(ctx) == {}  # built once
    demo.reset([voc.college.pk])
    assert not Programme.objects.filter(institution=voc.college).exists()
    assert not User.objects.filter(username="hieutruong.cd").exists()
