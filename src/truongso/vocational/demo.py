"""Demo data of vocational programmes.

The foundation demo makes an intermediate school and a college with no learners
(their plan has no classes). For each of them this adds a principal account, a
programme of 20 modules, a cohort of learners who started two school years ago,
their module scores for the four semesters already past, retakes of the modules
some of them failed (scored in a later semester), and one warning-level discipline.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db.models import Q
from django.utils.translation import gettext as _

from truongso.accounts.models import Role, RoleAssignment, User
from truongso.audit.models import AuditEntry
from truongso.demo import names
from truongso.demo.builder import DEMO_PASSWORD
from truongso.learners.models import Learner, LearnerStatus
from truongso.learners.services import education_id_issue, prepare_learner
from truongso.units.models import InstitutionKind
from truongso.vocational import services
from truongso.vocational.models import (
    Cohort,
    CohortMember,
    DisciplineRecord,
    Module,
    ModuleEnrolment,
    Programme,
)

ACCOUNTS = {
    InstitutionKind.COLLEGE: "hieutruong.cd",
    InstitutionKind.VOCATIONAL_INTERMEDIATE: "hieutruong.tc",
}
COHORT_SIZE = 30
PAST_SEMESTERS = 4

# (code, name, credits, theory hours, practice hours, planned semester, compulsory)
MODULES = (
    ("MH01", "Giáo dục chính trị", 4, 41, 29, 1, True),
    ("MH02", "Pháp luật", 2, 18, 12, 1, True),
    ("MH03", "Giáo dục thể chất", 2, 5, 55, 1, True),
    ("MH04", "Giáo dục quốc phòng và an ninh", 3, 36, 39, 1, True),
    ("MH05", "Tin học", 3, 15, 60, 1, True),
    ("MH06", "Tiếng Anh", 5, 42, 78, 2, True),
    ("MĐ07", "Kỹ thuật điện cơ bản", 3, 30, 30, 2, True),
    ("MĐ08", "Vẽ kỹ thuật", 2, 15, 30, 2, True),
    ("MĐ09", "An toàn lao động", 2, 20, 10, 2, True),
    ("MĐ10", "Đo lường điện", 3, 20, 40, 3, True),
    ("MĐ11", "Khí cụ điện", 3, 20, 40, 3, True),
    ("MĐ12", "Máy điện", 4, 30, 60, 3, True),
    ("MĐ13", "Trang bị điện", 4, 30, 60, 4, True),
    ("MĐ14", "Điện tử công nghiệp", 3, 25, 50, 4, True),
    ("MĐ15", "PLC cơ bản", 3, 20, 55, 4, True),
    ("MĐ16", "Cung cấp điện", 3, 30, 30, 5, True),
    ("MĐ17", "PLC nâng cao", 3, 15, 60, 5, True),
    ("MĐ18", "Điều khiển điện khí nén", 2, 15, 30, 5, False),
    ("MĐ19", "Thực tập sản xuất", 6, 0, 270, 6, True),
    ("MĐ20", "Khóa luận tốt nghiệp", 4, 0, 180, 6, False),
)
REQUIRED_CREDITS = sum(m[2] for m in MODULES if m[6])


def _principal(ctx, school, username: str) -> User:
    user = User.objects.create_user(
        username=username,
        password=DEMO_PASSWORD,
        full_name=names.person_name(ctx.rng(f"vocational:{username}"), "M"),
    )
    RoleAssignment.objects.create(user=user, role=Role.PRINCIPAL, institution=school)
    ctx.logins.append((username, str(Role.PRINCIPAL.label), school.name))
    return user


def _learners(ctx, school, rng, start_year: int) -> list[Learner]:
    ids = iter(education_id_issue(institution=school, count=COHORT_SIZE))
    learners = []
    for _n in range(COHORT_SIZE):
        sex = "M" if rng.random() < 0.6 else "F"
        learner = Learner(
            institution=school,
            full_name=names.person_name(rng, sex),
            sex=sex,
            date_of_birth=dt.date(start_year - 18, rng.randint(1, 12), rng.randint(1, 28)),
            ethnicity_code="01",
            education_id=next(ids),
            status=LearnerStatus.STUDYING,
            enrolled_on=dt.date(start_year, 9, 5),
        )
        prepare_learner(learner)
        learners.append(learner)
    return Learner.objects.bulk_create(learners)


def _score(rng, ability: float) -> str:
    value = max(Decimal("0"), min(Decimal("10"), Decimal(str(round(rng.gauss(ability, 1.2), 1)))))
    return str(value)


def _build_school(ctx, school, kind) -> dict[str, int]:
    rng = ctx.rng(f"vocational:{school.code}")
    actor = _principal(ctx, school, ACCOUNTS[kind])
    college = kind == InstitutionKind.COLLEGE
    programme = services.programme_create(
        actor=actor,
        institution=school,
        fields={
            "code": "6520227" if college else "5520227",
            "name": "Điện công nghiệp",
            "name_en": "Industrial Electricity",
            "level": "college" if college else "intermediate",
            "mode": "credit",
            "duration_semesters": 6,
            "required_credits": REQUIRED_CREDITS,
        },
    )
    modules = [
        services.module_create(
            actor=actor,
            programme=programme,
            fields={
                "code": code,
                "name": name,
                "credits": credits,
                "theory_hours": theory,
                "practice_hours": practice,
                "semester": semester,
                "compulsory": compulsory,
            },
        )  # fmt: skip
        for code, name, credits, theory, practice, semester, compulsory in MODULES
    ]
    start_year = ctx.year.starts_on.year - 2
    cohort = services.cohort_create(
        actor=actor, programme=programme, name=f"ĐCN K{start_year % 100}", start_year=start_year
    )
    learners = _learners(ctx, school, rng, start_year)
    services.cohort_add_learners(
        actor=actor, cohort=cohort, learners=learners, joined_on=dt.date(start_year, 9, 5)
    )
    ability = {lr.pk: rng.uniform(5.5, 8.8) for lr in learners}
    scores = 0
    retakes = 0
    for semester in range(1, PAST_SEMESTERS + 2):
        services.cohort_enrol_semester(actor=actor, cohort=cohort, semester=semester)
        if semester > PAST_SEMESTERS:
            break  # the current semester: enrolled, not scored yet
        for module in (m for m in modules if m.semester == semester):
            sheet = {
                e.pk: _score(rng, ability[e.learner_id])
                for e in ModuleEnrolment.objects.filter(cohort=cohort, module=module)
            }
            scores += services.module_scores_record(
                actor=actor, cohort=cohort, module=module, scores=sheet
            )
    # Failed modules (F) of the first three semesters are retaken the next semester.
    failed = ModuleEnrolment.objects.filter(
        cohort=cohort, letter="F", semester__lt=PAST_SEMESTERS
    ).select_related("module")
    for enrolment in list(failed):
        retake = services.module_retake(
            actor=actor, enrolment=enrolment, semester=enrolment.semester + 1,
            reason=_("Học lại mô-đun chưa đạt"),
        )  # fmt: skip
        scores += services.module_scores_record(
            actor=actor, cohort=cohort, module=enrolment.module,
            scores={retake.pk: _score(rng, ability[enrolment.learner_id] + 1)},
        )  # fmt: skip
        retakes += 1
    best = max(learners, key=lambda lr: ability[lr.pk])
    services.discipline_record(
        actor=actor, cohort=cohort, learner=best, level="warning",
        decided_on=dt.date(start_year + 1, 3, 10), reason=_("Vi phạm quy chế thi"),
    )  # fmt: skip
    return {"modules": len(modules), "learners": len(learners), "scores": scores,
            "retakes": retakes}  # fmt: skip


def build(ctx) -> dict[str, int]:
    totals = {"modules": 0, "learners": 0, "scores": 0, "retakes": 0}
    for school, kind in ctx.schools:
        if kind not in ACCOUNTS or User.objects.filter(username=ACCOUNTS[kind]).exists():
            continue
        for key, value in _build_school(ctx, school, kind).items():
            totals[key] += value
    if not totals["learners"]:
        return {}
    return {
        _("Người học giáo dục nghề nghiệp"): totals["learners"],
        _("Điểm mô-đun (giáo dục nghề nghiệp)"): totals["scores"],
        _("Lượt học lại mô-đun"): totals["retakes"],
    }


def reset(institution_ids: list[int]) -> None:
    users = list(User.objects.filter(username__in=ACCOUNTS.values()).values_list("pk", flat=True))
    DisciplineRecord.objects.filter(institution_id__in=institution_ids).delete()
    ModuleEnrolment.objects.filter(institution_id__in=institution_ids).delete()
    CohortMember.objects.filter(institution_id__in=institution_ids).delete()
    Cohort.objects.filter(institution_id__in=institution_ids).delete()
    Module.objects.filter(institution_id__in=institution_ids).delete()
    Programme.objects.filter(institution_id__in=institution_ids).delete()
    AuditEntry.objects.filter(Q(actor_id__in=users)).delete()
    RoleAssignment.objects.filter(user_id__in=users).delete()
    User.objects.filter(pk__in=users).delete()
