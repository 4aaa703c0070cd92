from truongso.exchange.rules.wire import (
    acknowledged_version,
    outbound_event,
    result_key,
    send_order,
    type_rank,
    version_decision,
)


def test_an_older_version_never_overwrites_a_newer_one():
    assert version_decision(3, None) == "apply"
    assert version_decision(3, 2) == "apply"
    assert version_decision(3, 3) == "same"
    assert version_decision(2, 3) == "older"


def test_events_and_acknowledgements():
    assert outbound_event(cancelled=False, sent_version=0) == "new"
    assert outbound_event(cancelled=False, sent_version=4) == "update"
    assert outbound_event(cancelled=True, sent_version=0) == "cancel"
    assert acknowledged_version(5, 3) == 5
    assert acknowledged_version(3, 5) == 5


def test_what_a_record_refers_to_comes_first():
    order = sorted(["enrolment_event", "learner", "class", "staff", "institution"], key=type_rank)
    assert order == ["institution", "staff", "class", "learner", "enrolment_event"]


def test_guardians_assignments_and_results_come_after_the_learners_and_classes():
    order = sorted(["result", "teaching_assignment", "guardian", "learner", "class", "staff"],
                   key=type_rank)  # fmt: skip
    assert order == ["staff", "class", "learner", "guardian", "teaching_assignment", "result"]


def test_a_record_held_back_goes_after_the_others():
    rows = [("class", True, 1), ("learner", False, 2), ("result", False, 3), ("class", False, 4)]
    ordered = sorted(rows, key=lambda r: send_order(r[0], deferred=r[1], serial=r[2]))
    assert ordered == [("class", False, 4), ("learner", False, 2), ("result", False, 3),
                       ("class", True, 1)]  # fmt: skip


def test_a_result_is_keyed_by_school_year_and_period():
    assert result_key(7, 0) == "7:0"
    assert result_key(7, 2) == "7:2"
