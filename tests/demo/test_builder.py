"""The demonstration province, built small: three schools, three learners per class."""

import datetime as dt
from collections import Counter

import pytest
from django.core.management import CommandError, call_command

from truongso.academics.models import SchoolClass, SchoolYear, TeachingAssignment
from truongso.academics.selectors import class_list
from truongso.accounts.models import RoleAssignment, User
from truongso.core.rules.text import fold, normalise_name
from truongso.demo.builder import (
    DEMO_PASSWORD,
    DEMO_USERNAMES,
    SCHOOL_PLANS,
    DemoError,
    DemoOptions,
    _Builder,
    demo_build,
    demo_exists,
    demo_reset,
)
from truongso.demo.staffing import class_subjects
from truongso.learners.models import EnrolmentEvent, Guardian, Learner, LearnerStatus
from truongso.learners.selectors import learner_list
from truongso.learners.services import personal_id_status
from truongso.staff.models import Position, StaffMember
from truongso.units.models import Institution, InstitutionKind

TODAY = dt.date(2026, 11, 23)
TINY = DemoOptions(
    schools=3, classes_per_grade=2, class_size=(3, 3), preschool_class_size=(2, 2),
    transfers=2, drop_outs=1, today=TODAY,
)  # fmt: skip


@pytest.fixture
def demo(thai_nguyen):
    return demo_build(TINY)


def _user(username):
    return User.objects.get(username=username)


def test_default_plan_has_every_kind_and_about_200_classes():
    assert len(SCHOOL_PLANS) == 20
    assert {p.kind for p in SCHOOL_PLANS} == set(InstitutionKind.values)
    builder = _Builder(DemoOptions())
    assert sum(len(builder.class_layout(p)) for p in SCHOOL_PLANS) == 208
    assert SCHOOL_PLANS[0].kind == InstitutionKind.LOWER_SECONDARY


def test_schools_years_and_classes(demo):
    schools = Institution.objects.order_by("code")
    assert [(s.code, s.name, s.kind, s.grade_from, s.grade_to) for s in schools] == [
        ("19020002", "Trường Tiểu học Quan Triều", "primary", 1, 5),
        ("19030001", "Trường THCS Phan Đình Phùng", "lower_secondary", 6, 9),
        ("19030003", "Trường THCS Tân Cương", "lower_secondary", 6, 9),
    ]
    for school in schools:
        assert school.province.code == "19"
        assert school.managing_unit == school.commune  # communes manage these since 2025
        assert school.search_name == fold(school.name)
        assert abs(float(school.latitude) - school.commune.latitude) <= 0.01
        assert school.email.endswith("@thainguyen.edu.vn")
    assert list(SchoolYear.objects.values_list("name", "is_current")) == [
        ("2026-2027", True), ("2025-2026", False),
    ]  # fmt: skip
    current = SchoolClass.objects.filter(school_year__name="2026-2027")
    flagship = Institution.objects.get(code="19030001")
    assert list(current.filter(institution=flagship).values_list("name", flat=True)) == [
        "6A1", "6A2", "7A1", "7A2", "8A1", "8A2", "9A1", "9A2",
    ]  # fmt: skip
    primary = current.filter(institution__code="19020002")
    assert list(primary.values_list("name", flat=True)) == [
        "1A", "1B", "2A", "2B", "3A", "3B", "4A", "4B", "5A", "5B",
    ]  # fmt: skip
    assert current.count() == 26
    # Last year's classes of the learners promoted this year (not the first grade).
    previous = SchoolClass.objects.filter(school_year__name="2025-2026")
    assert previous.count() == 6 + 4 * 2 + 6
    assert demo.counts["classes"] == 26


def test_every_class_has_a_homeroom_teacher_and_all_its_subjects(demo):
    classes = SchoolClass.objects.filter(school_year__is_current=True)
    assert classes.filter(homeroom_teacher=None).count() == 0
    leads = Counter(classes.values_list("homeroom_teacher", flat=True))
    assert max(leads.values()) == 1
    for school_class in classes:
        assert school_class.homeroom_teacher.institution_id == school_class.institution_id
        index = "ABCDEFGHIK".index(school_class.name[-1]) if school_class.grade <= 5 else int(
            school_class.name[-1]) - 1  # fmt: skip
        expected = {code for code, _p in class_subjects(school_class.grade, index, _curriculum())}
        assigned = TeachingAssignment.objects.filter(school_class=school_class)
        assert set(assigned.values_list("subject__code", flat=True)) == expected
        for assignment in assigned.select_related("staff_member", "subject"):
            assert assignment.institution_id == school_class.institution_id
            assert assignment.staff_member.institution_id == school_class.institution_id
            assert assignment.subject in assignment.staff_member.subjects.all()


def _curriculum():
    from truongso.academics.models import CurriculumSubject

    result = {}
    for row in CurriculumSubject.objects.select_related("subject"):
        result.setdefault(row.grade, []).append(
            (row.subject.code, row.periods_per_year, row.is_elective)
        )
    return result


def test_staff(demo):
    for school in Institution.objects.all():
        staff = StaffMember.objects.filter(institution=school)
        positions = Counter(staff.values_list("position", flat=True))
        assert positions[Position.PRINCIPAL] == 1
        assert positions[Position.ACADEMIC_AFFAIRS] == 1
        assert positions[Position.ACCOUNTANT] == 1
        assert positions[Position.TEACHER] >= 8
    members = StaffMember.objects.all()
    assert len({m.education_id for m in members}) == members.count()
    for member in members:
        assert member.search_name == fold(member.full_name)
        assert member.personal_id_problems == ()
        assert member.qualification and member.employment_status and member.major
    assert demo.counts["staff"] == members.count()


def test_learners_and_their_derived_fields(demo):
    learners = list(Learner.objects.select_related("current_class", "institution"))
    assert len(learners) == 78 == demo.counts["learners"]
    assert len({x.education_id for x in learners}) == 78
    assert Counter(x.status for x in learners) == {
        LearnerStatus.STUDYING: 77, LearnerStatus.DROPPED_OUT: 1,
    }  # fmt: skip
    for learner in learners:
        assert learner.full_name == normalise_name(learner.full_name)
        assert learner.search_name == fold(learner.full_name)
        assert learner.personal_id_status == personal_id_status(learner)
        assert learner.education_id.startswith("19") and len(learner.education_id) == 10
        assert learner.current_class.institution_id == learner.institution_id
        assert learner.grade == learner.current_class.grade
        born = 2026 - 5 - learner.grade
        assert born - 1 <= learner.date_of_birth.year <= born + 1
        assert learner.sex in ("M", "F")
        assert learner.ethnicity_code and learner.address.endswith("Tỉnh Thái Nguyên")
        assert learner.guardians.exists()
        assert set(learner.guardians.values_list("institution_id", flat=True)) == {
            learner.institution_id
        }
        learner.full_clean()
    versions = Counter(x.version for x in learners)
    assert versions == {1: 75, 2: 3}  # two transfers and one drop-out


def test_enrolment_history(demo):
    kinds = Counter(EnrolmentEvent.objects.values_list("kind", flat=True))
    # Learners above the first grade of their school were promoted last year.
    assert kinds == {"admit": 78, "promote": 36 + 24, "transfer_out": 2, "transfer_in": 2,
                     "drop_out": 1}  # fmt: skip
    for event in EnrolmentEvent.objects.filter(kind="transfer_in").select_related("learner"):
        out = EnrolmentEvent.objects.get(learner=event.learner, kind="transfer_out")
        assert out.institution_id == event.other_institution_id != event.institution_id
        assert event.learner.institution_id == event.institution_id
        assert event.learner.current_class == event.to_class
    promote = EnrolmentEvent.objects.filter(kind="promote").select_related("from_class", "to_class")
    for event in promote:
        assert event.from_class.school_year.name == "2025-2026"
        assert event.from_class.grade + 1 == event.to_class.grade
        assert event.occurred_on == dt.date(2026, 5, 31)
    dropped = Learner.objects.get(status=LearnerStatus.DROPPED_OUT)
    assert dropped.grade >= 6
    assert list(dropped.events.values_list("kind", flat=True))[-1] == "drop_out"


def test_accounts_and_what_they_see(demo):
    assert set(User.objects.values_list("username", flat=True)) == set(DEMO_USERNAMES)
    for username in DEMO_USERNAMES:
        assert _user(username).check_password(DEMO_PASSWORD)
    assert _user("admin").is_superuser
    assert [(x.username, x.role) for x in demo.logins] == [
        ("admin", "Quản trị hệ thống"), ("bo.gddt", "Cán bộ Bộ GD&ĐT"),
        ("so.gddt", "Cán bộ Sở GD&ĐT"), ("hieutruong", "Hiệu trưởng"),
        ("giaovu", "Giáo vụ / văn phòng trường"), ("giaovien", "Giáo viên"),
        ("phuhuynh", "Phụ huynh"), ("yte", "Nhân viên y tế trường học"),
    ]  # fmt: skip
    flagship = Institution.objects.get(code="19030001")
    everyone = set(Learner.objects.values_list("pk", flat=True))
    at_flagship = set(Learner.objects.filter(institution=flagship).values_list("pk", flat=True))

    def seen(username):
        return set(learner_list(actor=_user(username)).values_list("pk", flat=True))

    assert seen("admin") == seen("bo.gddt") == seen("so.gddt") == everyone
    assert seen("hieutruong") == seen("giaovu") == at_flagship
    assert RoleAssignment.objects.get(user__username="hieutruong").institution == flagship
    assert _user("hieutruong").staff_member.position == Position.PRINCIPAL
    assert _user("giaovu").staff_member.position == Position.ACADEMIC_AFFAIRS

    teacher = _user("giaovien").staff_member
    assert teacher.institution == flagship
    assert list(teacher.homeroom_classes.values_list("name", flat=True)) == ["6A1"]
    assert sorted(
        teacher.teaching_assignments.values_list("school_class__name", "subject__code")
    ) == [("6A1", "TOAN"), ("6A2", "TOAN")]
    in_classes = set(
        Learner.objects.filter(current_class__institution=flagship,
                               current_class__name__in=["6A1", "6A2"]).values_list("pk", flat=True)
    )  # fmt: skip
    assert seen("giaovien") == in_classes
    assert len(in_classes) == 6
    assert sorted(c.name for c in class_list(actor=_user("giaovien"))) == ["6A1", "6A2"]

    guardian = Guardian.objects.get(user__username="phuhuynh")
    assert seen("phuhuynh") == {guardian.learner_id}
    assert guardian.learner.current_class.name == "6A1"
    assert guardian.learner.status == LearnerStatus.STUDYING
    assert _user("phuhuynh").full_name == guardian.full_name


def test_same_seed_same_people_and_reset(thai_nguyen):
    def people():
        return sorted(
            Learner.objects.values_list("full_name", "date_of_birth", "sex", "personal_id")
        )

    demo_build(TINY)
    first = people()
    assert demo_exists(TINY)
    demo_reset(TINY)
    assert not demo_exists(TINY)
    assert Learner.objects.count() == Institution.objects.count() == User.objects.count() == 0
    demo_build(TINY)
    assert people() == first


def test_without_units_the_demo_says_what_to_do(db):
    with pytest.raises(DemoError, match="load_units"):
        demo_build(TINY)


def test_command_is_idempotent(thai_nguyen, capsys):
    call_command("load_demo", schools=2, classes_per_grade=1, class_size=2)
    out = capsys.readouterr().out
    rows = [line.split()[:4] for line in out.splitlines()]
    assert ["giaovien", "TruongSo@2025", "Giáo", "viên"] in rows
    assert "Trường THCS Phan Đình Phùng, chủ nhiệm lớp 6A1" in out
    counts = (Institution.objects.count(), Learner.objects.count(), User.objects.count())
    assert counts == (2, 2 * 4 + 2 * 5, 8)  # the seven foundation accounts and the nurse
    call_command("load_demo")
    assert "Dữ liệu mẫu đã có" in capsys.readouterr().out
    assert (Institution.objects.count(), Learner.objects.count(), User.objects.count()) == counts
    call_command("load_demo", reset=True, schools=1, classes_per_grade=2, class_size=1)
    assert (Institution.objects.count(), Learner.objects.count(), User.objects.count()) == (
        1, 8, 8,
    )  # fmt: skip


def test_existing_account_with_a_demo_name_is_reported(thai_nguyen):
    User.objects.create_user(username="admin", password="x")
    assert not demo_exists(TINY)
    with pytest.raises(DemoError, match="admin"):
        demo_build(TINY)
    assert Institution.objects.count() == 0
    with pytest.raises(CommandError, match="load_demo --reset"):
        call_command("load_demo", schools=1, class_size=1)
    call_command("load_demo", reset=True, schools=1, class_size=1)
    assert Institution.objects.count() == 1
    assert User.objects.get(username="admin").is_superuser
