import datetime as dt

from truongso.core.indicators import indicator_sources
from truongso.vocational import services
from truongso.vocational.models import ModuleEnrolment


def _source(code):
    return next(s for s in indicator_sources() if s.code == code)


def test_indicators(voc):
    services.cohort_enrol_semester(actor=voc.principal, cohort=voc.cohort, semester=1)
    services.cohort_enrol_semester(actor=voc.principal, cohort=voc.cohort, semester=2)
    for module in (voc.m1, voc.m2, voc.m3, voc.m4):
        for learner, value in ((voc.an, "8"), (voc.binh, "3")):
            e = ModuleEnrolment.objects.get(learner=learner, module=module)
            services.module_scores_record(actor=voc.principal, cohort=voc.cohort, module=module,
                                          scores={e.pk: value})  # fmt: skip
    ids = [voc.college.pk, voc.school_b.pk]
    today = dt.date.today()
    assert _source("vocational.learners_enrolled").compute(ids, today) == {voc.college.pk: 3}
    assert _source("vocational.graduates_eligible").compute(ids, today) == {voc.college.pk: 1}
    assert _source("vocational.programmes").compute(ids, today) == {
        voc.college.pk: 1, voc.school_b.pk: 1}  # fmt: skip
    assert _source("vocational.programmes").compute(ids, dt.date(2000, 1, 1)) == {}
