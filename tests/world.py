"""A small, fully known world for tests: two provinces, three schools, every role.

    country VN
    ├── province P1 (01) ── commune C1 ── school A (THCS, grades 6–9), school A2 (TH)
    └── province P2 (79) ── commune C2 ── school B (THCS)

Classes 6A1 (homeroom: teacher_a1, maths also teacher_a1, literature teacher_a2),
6A2 (homeroom teacher_a2) at school A; 6B1 at school B. Each class has three learners.
"""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

from truongso.academics.models import SchoolClass, Subject, TeachingAssignment
from truongso.academics.services import curriculum_load, school_year_ensure
from truongso.accounts.models import Role, RoleAssignment, User
from truongso.core.rules.text import fold
from truongso.learners.models import Guardian, Learner
from truongso.learners.services import prepare_learner
from truongso.staff.models import Position, StaffMember
from truongso.staff.services import prepare_staff
from truongso.units.models import AdministrativeUnit, Institution, InstitutionKind
from truongso.units.services import unit_set_path

PASSWORD = "Mat-khau-2025!"


def _unit(code, name, level, parent=None, valid_from=dt.date(2025, 7, 1)):
    unit = AdministrativeUnit.objects.create(
        code=code, name=name, search_name=fold(name), level=level, parent=parent,
        valid_from=None if level == "country" else valid_from,
    )  # fmt: skip
    unit_set_path(unit)
    unit.save(update_fields=["path"])
    return unit


def _school(code, name, commune, province, kind=InstitutionKind.LOWER_SECONDARY, grades=(6, 9)):
    return Institution.objects.create(
        code=code, name=name, search_name=fold(name), kind=kind, grade_from=grades[0],
        grade_to=grades[1], commune=commune, province=province, managing_unit=province,
    )  # fmt: skip


def _user(username, role=None, institution=None, unit=None, **extra):
    user = User.objects.create_user(username=username, password=PASSWORD, full_name=username)
    for key, value in extra.items():
        setattr(user, key, value)
    user.save()
    if role:
        RoleAssignment.objects.create(user=user, role=role, institution=institution, unit=unit)
    return user


def _staff(institution, name, user=None, position=Position.TEACHER):
    member = StaffMember(
        institution=institution, full_name=name, sex="F", position=position, user=user,
        date_of_birth=dt.date(1985, 3, 1),
    )  # fmt: skip
    prepare_staff(member)
    member.save()
    return member


def _learner(institution, school_class, name, sex="M", dob=dt.date(2014, 5, 2), pid=""):
    learner = Learner(
        institution=institution, current_class=school_class, grade=school_class.grade,
        full_name=name, sex=sex, date_of_birth=dob, personal_id=pid, ethnicity_code="01",
        address="Số 1 đường Láng",
    )  # fmt: skip
    prepare_learner(learner)
    learner.save()
    return learner


def build_world() -> SimpleNamespace:
    w = SimpleNamespace()
    curriculum_load()
    w.year = school_year_ensure(2025, current=True)
    w.next_year = school_year_ensure(2026)
    w.country = _unit("VN", "Việt Nam", "country")
    w.p1 = _unit("01", "Thành phố Hà Nội", "province", w.country)
    w.c1 = _unit("00004", "Phường Ba Đình", "commune", w.p1)
    w.p2 = _unit("79", "Thành phố Hồ Chí Minh", "province", w.country)
    w.c2 = _unit("26734", "Phường Sài Gòn", "commune", w.p2)
    w.school_a = _school("01000001", "Trường THCS Ba Đình", w.c1, w.p1)
    w.school_a2 = _school("01000002", "Trường Tiểu học Kim Đồng", w.c1, w.p1,
                          kind=InstitutionKind.PRIMARY, grades=(1, 5))  # fmt: skip
    w.school_b = _school("79000001", "Trường THCS Sài Gòn", w.c2, w.p2)

    w.ministry = _user("bo", Role.MINISTRY_OFFICER, unit=w.country)
    w.province_p1 = _user("so_hanoi", Role.PROVINCE_OFFICER, unit=w.p1)
    w.province_p2 = _user("so_hcm", Role.PROVINCE_OFFICER, unit=w.p2)
    w.principal_a = _user("ht_a", Role.PRINCIPAL, institution=w.school_a)
    w.staff_a = _user("gv_vu_a", Role.SCHOOL_STAFF, institution=w.school_a)
    w.principal_b = _user("ht_b", Role.PRINCIPAL, institution=w.school_b)
    w.teacher_a1_user = _user("gv_a1", Role.TEACHER, institution=w.school_a)
    w.teacher_a2_user = _user("gv_a2", Role.TEACHER, institution=w.school_a)
    w.teacher_b_user = _user("gv_b", Role.TEACHER, institution=w.school_b)
    w.nobody = _user("khach")
    w.superuser = _user("quantri", is_superuser=True, is_staff=True)

    w.teacher_a1 = _staff(w.school_a, "Trần Thị Hoa", w.teacher_a1_user)
    w.teacher_a2 = _staff(w.school_a, "Lê Văn Minh", w.teacher_a2_user)
    w.teacher_b = _staff(w.school_b, "Phạm Thị Lan", w.teacher_b_user)

    w.class_a1 = SchoolClass.objects.create(
        institution=w.school_a, school_year=w.year, grade=6, name="6A1",
        homeroom_teacher=w.teacher_a1,
    )  # fmt: skip
    w.class_a2 = SchoolClass.objects.create(
        institution=w.school_a, school_year=w.year, grade=6, name="6A2",
        homeroom_teacher=w.teacher_a2,
    )  # fmt: skip
    w.class_a1_next = SchoolClass.objects.create(
        institution=w.school_a, school_year=w.next_year, grade=7, name="7A1"
    )
    w.class_a1_repeat = SchoolClass.objects.create(
        institution=w.school_a, school_year=w.next_year, grade=6, name="6A1"
    )
    w.class_b1 = SchoolClass.objects.create(
        institution=w.school_b, school_year=w.year, grade=6, name="6B1",
        homeroom_teacher=w.teacher_b,
    )  # fmt: skip
    maths = Subject.objects.get(code="TOAN")
    literature = Subject.objects.get(code="NV")
    TeachingAssignment.objects.create(institution=w.school_a, school_class=w.class_a1,
                                      subject=maths, staff_member=w.teacher_a1)  # fmt: skip
    TeachingAssignment.objects.create(institution=w.school_a, school_class=w.class_a1,
                                      subject=literature, staff_member=w.teacher_a2)  # fmt: skip

    w.learner_an = _learner(w.school_a, w.class_a1, "Nguyễn Văn An", pid="001214012345")
    w.learner_binh = _learner(w.school_a, w.class_a1, "Trần Thị Bình", sex="F")
    w.learner_cuong = _learner(w.school_a, w.class_a1, "Lê Đức Cường")
    w.learner_dung = _learner(w.school_a, w.class_a2, "Phạm Minh Dũng")
    w.learner_em = _learner(w.school_a, w.class_a2, "Hoàng Thị Em", sex="F")
    w.learner_giang = _learner(w.school_a, w.class_a2, "Vũ Hương Giang", sex="F")
    w.learner_b1 = _learner(w.school_b, w.class_b1, "Nguyễn Văn An", dob=dt.date(2014, 1, 9))
    w.learner_b2 = _learner(w.school_b, w.class_b1, "Đỗ Thị Hạnh", sex="F")
    w.learner_b3 = _learner(w.school_b, w.class_b1, "Bùi Quang Huy")

    w.guardian_an_user = _user("ph_an")
    Guardian.objects.create(
        institution=w.school_a, learner=w.learner_an, relationship="father",
        full_name="Nguyễn Văn Ba", phone="0912345678", user=w.guardian_an_user,
    )  # fmt: skip
    return w
