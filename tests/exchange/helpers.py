"""Build wire-format batches by hand, as a child node would send them."""

import uuid

from truongso.exchange.rules.wire import FORMAT

CHANGED_AT = "2025-10-01T08:00:00+07:00"


def record(record_type, data, *, code="01000001", version=1, event="new", record_id=None):
    return {
        "record_id": str(record_id or uuid.uuid4()),
        "type": record_type,
        "event": event,
        "version": version,
        "changed_at": CHANGED_AT,
        "institution_code": code,
        "data": data,
    }


def learner_data(name="Ngô Thị Mai", pid="", school_class=None, **extra):
    return {
        "full_name": name, "date_of_birth": "2014-03-04", "sex": "F", "personal_id": pid,
        "ethnicity_code": "01", "ethnicity_list": "1979", "nationality": "VN", "phone": "",
        "address": "Số 2 phố Huế", "disability": "", "policy_categories": [],
        "place_of_birth": "", "grade": 6, "status": "studying", "enrolled_on": "2025-09-05",
        "education_id": "", "school_class": school_class, **extra,
    }  # fmt: skip


def class_data(name="6A9", year="2025-2026", grade=6):
    return {"school_year": year, "grade": grade, "name": name, "room": "",
            "homeroom_teacher": None}  # fmt: skip


def batch(node_id, records, *, cursor=1, batch_id=None):
    return {
        "format": FORMAT,
        "batch_id": str(batch_id or uuid.uuid4()),
        "node_id": node_id,
        "cursor": cursor,
        "sent_at": CHANGED_AT,
        "records": records,
    }


def store_results(learner, school_class, year, *, maths="8.5", literature="7.0"):
    """Results as the assessment app stores them after a computation: the two subjects'
    results and the learner's result for term I and for the year."""
    from decimal import Decimal

    from truongso.academics.models import Subject
    from truongso.assessment.models import LearnerTermResult, LearnerYearResult, SubjectResult

    base = {"institution_id": learner.institution_id, "school_class": school_class,
            "learner": learner, "school_year": year, "rule_set": "tt22-2021@1"}  # fmt: skip
    for period in (1, 0):
        for code, average in (("TOAN", maths), ("NV", literature)):
            SubjectResult.objects.create(subject=Subject.objects.get(code=code), period=period,
                                         average=Decimal(average), **base)  # fmt: skip
    LearnerTermResult.objects.create(term=year.terms.get(number=1), learning="kha",
                                     learning_base="kha", conduct="tot", days_absent=2,
                                     **base)  # fmt: skip
    LearnerYearResult.objects.create(learning="kha", learning_base="kha", conduct="tot",
                                     days_absent=3, promotion="promoted", award="",
                                     **base)  # fmt: skip
