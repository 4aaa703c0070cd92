"""Per-learner elective subjects in upper secondary: the choice is checked against the
curriculum, and the gradebook, the results and the report cards use each learner's
own subjects; the guardian's home page links to their child's results."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse

from truongso.academics.models import SchoolClass, Subject, TeachingAssignment
from truongso.assessment.models import ElectiveChoice, SubjectResult
from truongso.assessment.rules.electives import WRONG_COUNT, elective_choice_problem
from truongso.assessment.selectors.gradebook import class_context, class_terms
from truongso.assessment.services import score_set
from truongso.assessment.services.electives import elective_choices_set
from truongso.audit.models import AuditEntry
from truongso.learners.models import Learner
from truongso.reportcards.selectors import class_content

ELECTIVES_ALL = {"DL", "GDKTPL", "VL", "HH", "SH", "CN", "TIN", "AN", "MT"}


def _choose(actor, school_class, learner, codes):
    return elective_choices_set(actor=actor, school_class=school_class, learner=learner,
                                subject_codes=codes)  # fmt: skip


@pytest.fixture
def class_10(world):
    school_class = SchoolClass.objects.create(
        institution=world.school_a, school_year=world.year, grade=10, name="10A1",
        homeroom_teacher=world.teacher_a1,
    )  # fmt: skip
    # The class is taught physics and chemistry (and the compulsory subjects).
    for code in ("VL", "HH", "SH", "TIN"):
        TeachingAssignment.objects.create(institution=world.school_a, school_class=school_class,
                                          subject=Subject.objects.get(code=code),
                                          staff_member=world.teacher_a2)  # fmt: skip
    for learner in (world.learner_an, world.learner_binh):
        Learner.objects.filter(pk=learner.pk).update(current_class=school_class)
    return school_class


def test_choice_rule():
    assert elective_choice_problem(["VL", "HH", "SH", "TIN"], ELECTIVES_ALL) is None
    assert elective_choice_problem([], ELECTIVES_ALL) is None
    assert elective_choice_problem(["VL", "HH", "SH"], ELECTIVES_ALL) == (
        WRONG_COUNT, {"count": 3, "expected": 4})  # fmt: skip
    assert elective_choice_problem(["VL", "TOAN", "SH", "TIN"], ELECTIVES_ALL) == (
        "not_elective", {"subject": "TOAN"})  # fmt: skip


def test_each_learner_studies_their_own_electives(world, class_10):
    codes = lambda pk: [s.code for s in class_context(class_10).subjects_of(pk)]  # noqa: E731
    compulsory = ["NV", "TOAN", "NN1", "LS", "GDTC", "GDQPAN", "HDTNHN", "GDDP"]
    # Without a choice: the class's electives.
    assert codes(world.learner_an.pk) == [*compulsory, "VL", "HH", "SH", "TIN"]
    with pytest.raises(ValidationError) as caught:
        _choose(world.teacher_a1_user, class_10, world.learner_an, ["DL", "GDKTPL", "VL"])
    assert caught.value.messages == [
        "Nguyễn Văn An: đã chọn 3 môn; mỗi học sinh học đúng 4 môn lựa chọn."]  # fmt: skip
    with pytest.raises(PermissionDenied):
        _choose(world.teacher_a2_user, class_10, world.learner_an, ["DL", "GDKTPL", "VL", "HH"])
    assert not ElectiveChoice.objects.exists()
    _choose(world.teacher_a1_user, class_10, world.learner_an, ["DL", "GDKTPL", "VL", "HH"])
    assert codes(world.learner_an.pk) == [*compulsory, "DL", "GDKTPL", "VL", "HH"]
    assert codes(world.learner_binh.pk) == [*compulsory, "VL", "HH", "SH", "TIN"]
    entry = AuditEntry.objects.get(action="electives.set")
    assert (entry.before, entry.after) == (
        {"subjects": []}, {"subjects": ["DL", "GDKTPL", "HH", "VL"]})  # fmt: skip
    # The class's gradebooks: the union; each learner's results: their own subjects.
    assert [s.code for s in class_context(class_10).subjects][-6:] == [
        "DL", "GDKTPL", "VL", "HH", "SH", "TIN"]  # fmt: skip
    an_subjects = set(
        SubjectResult.objects.filter(learner=world.learner_an, period=0).values_list(
            "subject__code", flat=True)
    )  # fmt: skip
    assert an_subjects == {*compulsory, "DL", "GDKTPL", "VL", "HH"}
    # A learner who did not choose biology has no biology gradebook row and no score.
    term = class_terms(class_10)[1]
    with pytest.raises(ValidationError) as caught:
        score_set(actor=world.principal_a, school_class=class_10,
                  subject=Subject.objects.get(code="SH"), term=term, learner=world.learner_an,
                  field="mid_term", value="8", version=0)  # fmt: skip
    assert caught.value.messages == ["Nguyễn Văn An không học môn lựa chọn Sinh học."]
    # The report card lists the learner's own subjects.
    content = class_content(class_10, [world.learner_an.pk])[world.learner_an.pk]
    assert [s["code"] for s in content["subjects"]][-4:] == ["DL", "GDKTPL", "VL", "HH"]
    # Changing the choice removes the results of the subject given up.
    _choose(world.principal_a, class_10, world.learner_an, ["DL", "GDKTPL", "VL", "SH"])
    assert not SubjectResult.objects.filter(learner=world.learner_an, subject__code="HH").exists()


def _client(user):
    client = Client()
    client.force_login(user)
    return client


def test_electives_page(world, class_10):
    url = reverse("assessment:electives", args=[class_10.pk])
    assert _client(world.teacher_a2_user).get(url).status_code == 404
    assert _client(world.principal_a).get(
        reverse("assessment:electives", args=[world.class_a1.pk])).status_code == 404  # fmt: skip
    client = _client(world.teacher_a1_user)
    page = client.get(url)
    assert page.status_code == 200
    assert "style=" not in page.content.decode() and "<script>" not in page.content.decode()
    an, binh = world.learner_an.pk, world.learner_binh.pk
    response = client.post(url, {f"seen-{an}": "1", f"e-{an}": ["DL", "VL", "HH", "SH"],
                                 f"seen-{binh}": "1", f"e-{binh}": ["DL"]})  # fmt: skip
    assert response.status_code == 400
    assert "Trần Thị Bình: đã chọn 1 môn" in response.content.decode()
    chosen = ElectiveChoice.objects.values_list("learner_id", "subject__code")
    assert sorted(chosen) == sorted((an, c) for c in ("DL", "VL", "HH", "SH"))


def test_guardian_home_links_to_the_childs_results(world):
    page = _client(world.guardian_an_user).get(reverse("web:home"))
    link = reverse("assessment:learner_results", args=[world.learner_an.pk])
    assert f'href="{link}"' in page.content.decode()
    assert _client(world.guardian_an_user).get(link).status_code == 200
    other = reverse("assessment:learner_results", args=[world.learner_binh.pk])
    assert _client(world.guardian_an_user).get(other).status_code == 404
