from truongso.exchange.rules.wire import (
    acknowledged_version,
    outbound_event,
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
