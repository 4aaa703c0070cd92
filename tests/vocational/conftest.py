"""A college in province P1 and an intermediate school in P2, added to the test world,
with one credit-based programme of four modules and a cohort of three learners."""

import datetime as dt
from types import SimpleNamespace

import pytest

from tests.world import _school, _user
from truongso.accounts.models import Role
from truongso.learners.models import Learner
from truongso.learners.services import education_id_issue, prepare_learner
from truongso.units.models import InstitutionKind
from truongso.vocational import services


@pytest.fixture
def voc(world):
    v = SimpleNamespace(world=world)
    v.college = _school("01800001", "Trường Cao đẳng Công nghiệp Hà Nội", world.c1, world.p1,
                        kind=InstitutionKind.COLLEGE, grades=(0, 0))  # fmt: skip
    v.school_b = _school("79700001", "Trường Trung cấp Kỹ thuật Sài Gòn", world.c2, world.p2,
                         kind=InstitutionKind.VOCATIONAL_INTERMEDIATE, grades=(0, 0))  # fmt: skip
    v.principal = _user("ht_cd", Role.PRINCIPAL, institution=v.college)
    v.principal_b = _user("ht_tc", Role.PRINCIPAL, institution=v.school_b)
    v.programme = services.programme_create(
        actor=v.principal, institution=v.college,
        fields={"code": "6480201", "name": "Công nghệ thông tin", "level": "college",
                "mode": "credit", "duration_semesters": 6, "required_credits": 12},
    )  # fmt: skip
    v.m1 = _module(v, "MH01", 3, 1)
    v.m2 = _module(v, "MH02", 2, 1)
    v.m3 = _module(v, "MĐ03", 4, 2)
    v.m4 = _module(v, "MĐ04", 3, 2)
    v.cohort = services.cohort_create(
        actor=v.principal, programme=v.programme, name="CNTT K1", start_year=2024
    )
    v.an = _learner_plain(v.college, "Nguyễn Văn An", dt.date(2005, 3, 1))
    v.binh = _learner_plain(v.college, "Trần Thị Bình", dt.date(2005, 6, 2), sex="F")
    v.cuong = _learner_plain(v.college, "Lê Đức Cường", dt.date(2004, 11, 9))
    services.cohort_add_learners(actor=v.principal, cohort=v.cohort, learners=[v.an, v.binh,
                                                                             v.cuong])  # fmt: skip
    v.programme_b = services.programme_create(
        actor=v.principal_b, institution=v.school_b,
        fields={"code": "5480202", "name": "Tin học ứng dụng", "level": "intermediate",
                "mode": "year", "duration_semesters": 4, "required_credits": 5},
    )  # fmt: skip
    return v


def _module(v, code, credits, semester, compulsory=True):
    return services.module_create(
        actor=v.principal, programme=v.programme,
        fields={"code": code, "name": f"Mô-đun {code}", "credits": credits,
                "theory_hours": 15 * credits, "practice_hours": 30 * credits,
                "semester": semester, "compulsory": compulsory},
    )  # fmt: skip


def _learner_plain(institution, name, dob, sex="M"):
    learner = Learner(
        institution=institution, full_name=name, sex=sex, date_of_birth=dob,
        ethnicity_code="01", education_id=education_id_issue(institution=institution)[0],
    )  # fmt: skip
    prepare_learner(learner)
    learner.save()
    return learner
