"""The demonstration province: schools, staff, classes, learners, guardians, a little
history and one account for each role, built on the loaded unit tree.

Reproducible (a fixed random seed) and fast (bulk writes). Derived fields are set by
the same functions the services use (``prepare_learner``, ``prepare_staff``,
``education_id_issue``, ``institution_create``). ``DemoOptions`` shrinks the demo for
tests (two schools, a few learners per class).
"""

from __future__ import annotations

import datetime as dt
import random
from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from truongso.academics.models import (
    CurriculumSubject,
    SchoolClass,
    Subject,
    TeachingAssignment,
)
from truongso.academics.services import curriculum_load, school_year_ensure
from truongso.accounts.models import Role, RoleAssignment, User
from truongso.audit.models import AuditEntry
from truongso.core.rules.text import fold
from truongso.demo import names
from truongso.demo.extensions import DemoContext, extensions_build, extensions_reset
from truongso.demo.names import PersonalIdPlan
from truongso.demo.staffing import ClassSlot, TeachingPlan, plan_teaching
from truongso.learners.models import (
    Disability,
    EnrolmentEvent,
    EnrolmentEventKind,
    Guardian,
    Learner,
    LearnerStatus,
    PolicyCategory,
)
from truongso.learners.services import education_id_issue, prepare_learner
from truongso.staff.models import EmploymentStatus, Position, Qualification, StaffMember
from truongso.staff.services import prepare_staff
from truongso.units.models import (
    DEFAULT_GRADE_SPAN,
    AdministrativeUnit,
    Institution,
    InstitutionKind,
    Ownership,
)
from truongso.units.services import institution_create

DEMO_PASSWORD = "TruongSo@2025"  # noqa: S105 (published demo password)
DEMO_SEED = 2025
DEMO_USERNAMES = (
    "admin",
    "bo.gddt",
    "so.gddt",
    "hieutruong",
    "giaovu",
    "giaovien",
    "phuhuynh",
    "yte",
)

K = InstitutionKind

# Two-digit level part of institution codes (01–05 are the sector's education levels).
LEVEL_CODES = {
    K.PRESCHOOL: "01", K.PRIMARY: "02", K.LOWER_SECONDARY: "03", K.UPPER_SECONDARY: "04",
    K.CONTINUING: "05", K.MULTI_LEVEL: "06", K.VOCATIONAL_INTERMEDIATE: "07", K.COLLEGE: "08",
}  # fmt: skip
NAME_PATTERNS = {
    K.PRESCHOOL: "Trường Mầm non {place}",
    K.PRIMARY: "Trường Tiểu học {place}",
    K.LOWER_SECONDARY: "Trường THCS {place}",
    K.UPPER_SECONDARY: "Trường THPT {place}",
    K.MULTI_LEVEL: "Trường TH, THCS và THPT {place}",
    K.CONTINUING: "Trung tâm GDNN-GDTX {place}",
    K.VOCATIONAL_INTERMEDIATE: "Trường Trung cấp Kinh tế - Kỹ thuật {province}",
    K.COLLEGE: "Trường Cao đẳng Công nghiệp {province}",
}
EMAIL_PREFIXES = {
    K.PRESCHOOL: "mn", K.PRIMARY: "th", K.LOWER_SECONDARY: "thcs", K.UPPER_SECONDARY: "thpt",
    K.MULTI_LEVEL: "ptlc", K.CONTINUING: "gdtx", K.VOCATIONAL_INTERMEDIATE: "tc", K.COLLEGE: "cd",
}  # fmt: skip
# Preschool groups by age (all grade 0): mầm 3 years old, chồi 4, lá 5.
PRESCHOOL_GROUPS = (("Mầm", 3), ("Chồi", 4), ("Lá", 5))
CLASS_LETTERS = "ABCDEFGHIK"
# Since July 2025 communes manage preschools, primary and lower secondary schools.
COMMUNE_MANAGED = {K.PRESCHOOL, K.PRIMARY, K.LOWER_SECONDARY}


@dataclass(frozen=True)
class SchoolPlan:
    kind: str
    classes_per_grade: int
    ownership: str = Ownership.PUBLIC
    grades: tuple[int, int] | None = None

    @property
    def grade_span(self) -> tuple[int, int]:
        return self.grades or DEFAULT_GRADE_SPAN[self.kind]

    @property
    def has_classes(self) -> bool:
        return self.kind not in (K.VOCATIONAL_INTERMEDIATE, K.COLLEGE)


# The flagship lower secondary school first; a tiny demo takes the first few.
SCHOOL_PLANS = (
    SchoolPlan(K.LOWER_SECONDARY, 4),
    SchoolPlan(K.PRIMARY, 4),
    SchoolPlan(K.LOWER_SECONDARY, 4),
    SchoolPlan(K.UPPER_SECONDARY, 6),
    SchoolPlan(K.PRESCHOOL, 2),
    SchoolPlan(K.PRIMARY, 3),
    SchoolPlan(K.MULTI_LEVEL, 1, Ownership.PRIVATE, (1, 12)),
    SchoolPlan(K.CONTINUING, 2, grades=(10, 12)),
    SchoolPlan(K.PRIMARY, 2),
    SchoolPlan(K.LOWER_SECONDARY, 2),
    SchoolPlan(K.UPPER_SECONDARY, 4),
    SchoolPlan(K.PRESCHOOL, 2, Ownership.COMMUNITY),
    SchoolPlan(K.PRIMARY, 2),
    SchoolPlan(K.VOCATIONAL_INTERMEDIATE, 0),
    SchoolPlan(K.COLLEGE, 0),
    SchoolPlan(K.PRESCHOOL, 1, Ownership.PRIVATE),
    SchoolPlan(K.PRIMARY, 4),
    SchoolPlan(K.LOWER_SECONDARY, 3),
    SchoolPlan(K.UPPER_SECONDARY, 4),
    SchoolPlan(K.PRESCHOOL, 2),
)


@dataclass(frozen=True)
class ProvinceProfile:
    """What makes the people of a province look real: ethnic groups (1979 codes, with
    weights), where births were registered (old province codes), the landline prefix
    and the communes to put the schools in (most central first)."""

    ethnicities: dict[str, float]
    id_plan: PersonalIdPlan
    landline: str
    communes: tuple[str, ...] = ()


PROFILES = {
    # Thái Nguyên (merged with Bắc Kạn in 2025): Kinh, Tày, Nùng, Dao, Sán Chay, Sán Dìu…
    "19": ProvinceProfile(
        ethnicities={
            "01": 70,
            "02": 15,
            "07": 6,
            "09": 3.5,
            "15": 2,
            "18": 1.5,
            "08": 1,
            "04": 0.5,
            "06": 0.5,
        },  # fmt: skip
        id_plan=PersonalIdPlan({"019": 75, "006": 20, "001": 3, "024": 2}),
        landline="0208",
        communes=(
            "05443",
            "05482",
            "05455",
            "05467",
            "05503",
            "05830",
            "05860",
            "05518",
            "05908",
            "05569",
            "01843",
            "05692",
            "05611",
            "05716",
            "01906",
            "05500",
            "05488",
            "05890",
            "05641",
            "02086",
        ),  # fmt: skip
    ),
}


def profile_for(province_code: str) -> ProvinceProfile:
    return PROFILES.get(province_code) or ProvinceProfile(
        ethnicities={"01": 100},
        id_plan=PersonalIdPlan({f"0{province_code}": 100}),
        landline="024",
    )


@dataclass(frozen=True)
class DemoOptions:
    province_code: str = "19"
    schools: int = len(SCHOOL_PLANS)
    classes_per_grade: int | None = None  # None: each school's own plan
    class_size: tuple[int, int] = (35, 45)
    preschool_class_size: tuple[int, int] = (25, 32)
    transfers: int = 6
    drop_outs: int = 8
    seed: int = DEMO_SEED
    today: dt.date | None = None


@dataclass
class Login:
    username: str
    role: str
    where: str


@dataclass
class DemoResult:
    logins: list[Login]
    counts: dict[str, int] = field(default_factory=dict)
    # What the modules' own demo data added, by label.
    extra: dict[str, int] = field(default_factory=dict)


class DemoError(Exception):
    """The demonstration data cannot be built (e.g. the unit list is not loaded)."""


def school_start_year(today: dt.date) -> int:
    """The school year containing ``today`` starts in this year (from August on, the
    new school year is the current one)."""
    return today.year if today.month >= 8 else today.year - 1


def flagship_code(province_code: str) -> str:
    return f"{province_code}{LEVEL_CODES[K.LOWER_SECONDARY]}0001"


def demo_exists(options: DemoOptions | None = None) -> bool:
    """The demo's first school is there."""
    options = options or DemoOptions()
    return Institution.objects.filter(code=flagship_code(options.province_code)).exists()


def demo_institution_codes(options: DemoOptions) -> list[str]:
    """The codes of every school the demo may have made (whatever its size was)."""
    return [_institution_code(options.province_code, p, i) for i, p in enumerate(SCHOOL_PLANS)]


def _institution_code(province_code: str, plan: SchoolPlan, index: int) -> str:
    return f"{province_code}{LEVEL_CODES[plan.kind]}{index + 1:04d}"


@transaction.atomic
def demo_reset(options: DemoOptions | None = None) -> None:
    """Remove the demonstration schools with everything in them, and the demo accounts
    (with the audit entries about them: this is demonstration data only)."""
    options = options or DemoOptions()
    institutions = list(
        Institution.objects.filter(code__in=demo_institution_codes(options)).values_list(
            "pk", flat=True
        )
    )
    users = list(User.objects.filter(username__in=DEMO_USERNAMES).values_list("pk", flat=True))
    extensions_reset(institutions)
    AuditEntry.objects.filter(Q(institution_id__in=institutions) | Q(actor_id__in=users)).delete()
    EnrolmentEvent.objects.filter(
        Q(institution_id__in=institutions)
        | Q(other_institution_id__in=institutions)
        | Q(actor_id__in=users)
    ).delete()
    Guardian.objects.filter(Q(institution_id__in=institutions) | Q(user_id__in=users)).delete()
    Learner.objects.filter(institution_id__in=institutions).delete()
    TeachingAssignment.objects.filter(institution_id__in=institutions).delete()
    SchoolClass.objects.filter(institution_id__in=institutions).delete()
    StaffMember.objects.filter(institution_id__in=institutions).delete()
    RoleAssignment.objects.filter(
        Q(institution_id__in=institutions) | Q(user_id__in=users)
    ).delete()
    User.objects.filter(pk__in=users).delete()
    Institution.objects.filter(pk__in=institutions).delete()


class _Builder:
    def __init__(self, options: DemoOptions):
        self.o = options
        self.rng = random.Random(options.seed)
        self.today = options.today or dt.date.today()
        self.profile = profile_for(options.province_code)
        self.ethnicities = names.Weighted(self.profile.ethnicities)
        self.staff_id_plan = PersonalIdPlan(
            self.profile.id_plan.registration_codes, missing_share=0, mismatch_share=0
        )
        self.used_personal_ids: set[str] = set()
        self.class_keys: dict[int, tuple[int, int]] = {}

    # ---- places -------------------------------------------------------------------

    def load_places(self) -> None:
        units = AdministrativeUnit.objects.in_force_on(self.today)
        self.country = units.filter(level="country").first()
        self.province = units.filter(level="province", code=self.o.province_code).first()
        if self.country is None or self.province is None:
            raise DemoError(
                _("Chưa có danh mục đơn vị hành chính (tỉnh mã %(code)s): hãy chạy load_units.")
                % {"code": self.o.province_code}
            )
        communes = list(units.filter(level="commune", parent=self.province).order_by("code"))
        if not communes:
            raise DemoError(_("Tỉnh %(name)s chưa có xã, phường.") % {"name": self.province})
        by_code = {c.code: c for c in communes}
        preferred = [by_code[c] for c in self.profile.communes if c in by_code]
        self.communes = preferred + [c for c in communes if c not in preferred]

    def history_day(self, offset: int) -> dt.date:
        """A day ``offset`` days into the current school year, never after today."""
        return min(
            self.year.starts_on + dt.timedelta(days=offset), max(self.today, self.year.starts_on)
        )

    # ---- people -------------------------------------------------------------------

    def personal_id(self, birth: dt.date, sex: str, plan: PersonalIdPlan) -> str:
        while True:
            number = names.personal_id(self.rng, birth.year, sex, plan)
            if not number or number not in self.used_personal_ids:
                self.used_personal_ids.add(number)
                return number

    def birthday(self, year: int) -> dt.date:
        return dt.date(year, 1, 1) + dt.timedelta(days=self.rng.randrange(365))

    def address(self, commune: AdministrativeUnit) -> str:
        if self.rng.random() < 0.2:
            commune = self.rng.choice(self.communes)
        return names.street_address(
            self.rng, commune.name, self.province.name, urban=commune.kind == "Phường"
        )

    # ---- build --------------------------------------------------------------------

    def build(self) -> DemoResult:
        self.load_places()
        curriculum_load()
        start = school_start_year(self.today)
        self.previous_year = school_year_ensure(start - 1)
        self.year = school_year_ensure(start, current=True)
        self.subjects = {s.code: s for s in Subject.objects.all()}
        self.curriculum: dict[int, list[tuple[str, int, bool]]] = {}
        for row in CurriculumSubject.objects.filter(curriculum="GDPT2018").select_related(
            "subject"
        ):
            self.curriculum.setdefault(row.grade, []).append(
                (row.subject.code, row.periods_per_year, row.is_elective)
            )
        self.admin = self.make_user("admin", _("Quản trị hệ thống"), is_superuser=True)
        self.schools: list[tuple[Institution, SchoolPlan]] = []
        self.school_names = set(Institution.objects.values_list("name", flat=True))
        for index, plan in enumerate(SCHOOL_PLANS[: self.o.schools]):
            self.schools.append((self.make_institution(index, plan), plan))
        self.classes: dict[int, list[SchoolClass]] = {}
        self.staff: dict[int, dict[str, StaffMember]] = {}
        self.teaching: dict[int, TeachingPlan] = {}
        for number, (school, plan) in enumerate(self.schools):
            self.make_school(school, plan, flagship=number == 0)
        self.make_learners()
        self.make_history()
        logins = self.make_accounts()
        ctx = DemoContext(
            seed=self.o.seed,
            today=self.today,
            year=self.year,
            previous_year=self.previous_year,
            province=self.province,
            schools=[(school, plan.kind) for school, plan in self.schools],
            classes=self.classes,
            staff=self.staff,
            users={u.username: u for u in User.objects.filter(username__in=DEMO_USERNAMES)},
        )
        extra = extensions_build(ctx)
        logins += [Login(*login) for login in ctx.logins]
        return DemoResult(logins=logins, counts=self.counts(), extra=extra)

    def make_user(self, username: str, full_name: str, **extra) -> User:
        user = User.objects.create_user(
            username=username, password=DEMO_PASSWORD, full_name=full_name, **extra
        )
        if extra.get("is_superuser"):
            user.is_staff = True
            user.save(update_fields=["is_staff"])
        return user

    def make_institution(self, index: int, plan: SchoolPlan) -> Institution:
        commune = self.communes[index % len(self.communes)]
        province_short = self.province.short_name or self.province.name
        place = commune.short_name or commune.name
        base = NAME_PATTERNS[plan.kind].format(place=place, province=province_short)
        name, number = base, 2
        while name in self.school_names:
            name, number = f"{base} số {number}", number + 1
        self.school_names.add(name)
        slug = EMAIL_PREFIXES[plan.kind] + fold(place).replace(" ", "")
        domain = fold(province_short).replace(" ", "") + ".edu.vn"
        lat, lon = commune.latitude, commune.longitude
        if lat is None or lon is None:
            lat, lon = self.province.latitude, self.province.longitude
        grade_from, grade_to = plan.grade_span
        fields = {
            "code": _institution_code(self.o.province_code, plan, index),
            "name": name,
            "kind": plan.kind,
            "grade_from": grade_from,
            "grade_to": grade_to,
            "ownership": plan.ownership,
            "commune": commune,
            "managing_unit": commune if plan.kind in COMMUNE_MANAGED else self.province,
            "address": names.street_address(
                self.rng, commune.name, self.province.name, urban=commune.kind == "Phường"
            ),
            "phone": f"{self.profile.landline}{self.rng.randrange(10**7):07d}",
            "email": f"{slug}@{domain}",
            "website": f"https://{slug}.{domain}",
        }
        if lat is not None and lon is not None:
            fields["latitude"] = Decimal(f"{lat + self.rng.uniform(-0.01, 0.01):.6f}")
            fields["longitude"] = Decimal(f"{lon + self.rng.uniform(-0.01, 0.01):.6f}")
        return institution_create(actor=self.admin, fields=fields, reason=_("Dữ liệu mẫu"))

    # ---- classes and staff ----------------------------------------------------------

    def class_name(self, plan: SchoolPlan, grade: int, index: int) -> str:
        if plan.kind == K.PRESCHOOL:
            return f"{PRESCHOOL_GROUPS[grade][0]} {CLASS_LETTERS[index]}"
        if plan.kind == K.PRIMARY:
            return f"{grade}{CLASS_LETTERS[index]}"
        return f"{grade}A{index + 1}"

    def class_layout(self, plan: SchoolPlan) -> list[tuple[int, int, str]]:
        """(grade, index, name) of this year's classes. Preschool groups use the
        ``grade`` slot for their age group (the class grade is 0)."""
        per_grade = self.o.classes_per_grade or plan.classes_per_grade
        if not plan.has_classes or per_grade == 0:
            return []
        if plan.kind == K.PRESCHOOL:
            groups = range(len(PRESCHOOL_GROUPS))
            return [(g, i, self.class_name(plan, g, i)) for g in groups for i in range(per_grade)]
        low, high = plan.grade_span
        return [
            (g, i, self.class_name(plan, g, i))
            for g in range(low, high + 1)
            for i in range(per_grade)
        ]

    def make_school(self, school: Institution, plan: SchoolPlan, *, flagship: bool) -> None:
        layout = self.class_layout(plan)
        grade_of = (lambda g: 0) if plan.kind == K.PRESCHOOL else (lambda g: g)  # noqa: E731
        slots = [ClassSlot((g, i), grade_of(g), i) for g, i, _n in layout]
        teaching = plan_teaching(slots, self.curriculum, reserved=("TOAN", 2) if flagship else None)
        self.teaching[school.pk] = teaching
        members = self.make_staff(school, plan, teaching)
        classes = []
        for g, i, name in layout:
            number = teaching.homeroom.get((g, i))
            classes.append(
                SchoolClass(
                    institution=school,
                    school_year=self.year,
                    grade=grade_of(g),
                    name=name,
                    homeroom_teacher=members.get(f"t{number}") if number is not None else None,
                    room=f"P.{(g % 10) + 1}{i + 1:02d}",
                )
            )
        SchoolClass.objects.bulk_create(classes)
        by_key = {(g, i): c for (g, i, _n), c in zip(layout, classes, strict=True)}
        for key, c in by_key.items():
            self.class_keys[c.pk] = key
        TeachingAssignment.objects.bulk_create(
            TeachingAssignment(
                institution=school,
                school_class=by_key[key],
                subject=self.subjects[code],
                staff_member=members[f"t{number}"],
            )
            for key, code, number in teaching.assignments
        )
        self.classes[school.pk] = classes
        self.staff[school.pk] = members

    def make_staff(
        self, school: Institution, plan: SchoolPlan, teaching: TeachingPlan
    ) -> dict[str, StaffMember]:
        """Principal, vice principals, office staff and the planned teachers, keyed
        "principal", "academic_affairs", … and "t<number>" for teachers."""
        rng = self.rng
        roles: list[tuple[str, str, list[str]]] = [("principal", Position.PRINCIPAL, [])]
        vice = 1 if len(teaching.teachers) < 30 else 2
        roles += [(f"vice{i}", Position.VICE_PRINCIPAL, []) for i in range(vice)]
        office = [Position.ACADEMIC_AFFAIRS, Position.ACCOUNTANT, Position.NURSE]
        if plan.kind != K.PRESCHOOL:
            office += [Position.LIBRARIAN, Position.EQUIPMENT]
        if plan.kind in (K.UPPER_SECONDARY, K.MULTI_LEVEL, K.COLLEGE):
            office.append(Position.IT)
        roles += [(str(position), position, []) for position in office]
        if not plan.has_classes:
            lecturers = 8 if plan.kind == K.COLLEGE else 6
            roles += [(f"t{n}", Position.TEACHER, []) for n in range(lecturers)]
        roles += [(f"t{t.number}", Position.TEACHER, t.subjects) for t in teaching.teachers]
        ids = iter(education_id_issue(institution=school, count=len(roles)))
        members: dict[str, StaffMember] = {}
        for key, position, subjects in roles:
            female_share = 0.97 if plan.kind == K.PRESCHOOL else 0.72
            if position == Position.PRINCIPAL:
                female_share = 0.45
            sex = "F" if rng.random() < female_share else "M"
            ethnicity = self.ethnicities.draw(rng)
            birth = self.birthday(rng.randint(1968, 2001))
            member = StaffMember(
                institution=school,
                education_id=next(ids),
                full_name=names.person_name(rng, sex, ethnicity),
                sex=sex,
                date_of_birth=birth,
                personal_id=self.personal_id(birth, sex, self.staff_id_plan),
                ethnicity_code=ethnicity,
                phone=names.mobile_phone(rng),
                address=self.address(school.commune),
                position=position,
                qualification=self.qualification(plan, position),
                major=self.major(plan, position, subjects),
                employment_status=self.employment_status(position),
                hired_on=min(dt.date(birth.year + rng.randint(22, 26), 9, 1), self.today),
            )
            prepare_staff(member)
            members[key] = member
        StaffMember.objects.bulk_create(members.values())
        links = [
            StaffMember.subjects.through(
                staffmember_id=members[key].pk, subject_id=self.subjects[c].pk
            )
            for key, _p, subjects in roles
            for c in subjects
        ]
        StaffMember.subjects.through.objects.bulk_create(links)
        return members

    def qualification(self, plan: SchoolPlan, position: str) -> str:
        r = self.rng.random()
        if position in (
            Position.ACCOUNTANT,
            Position.NURSE,
            Position.LIBRARIAN,
            Position.EQUIPMENT,
            Position.IT,
        ):
            return Qualification.COLLEGE if r < 0.3 else Qualification.BACHELOR
        if plan.kind == K.COLLEGE:
            return Qualification.DOCTORATE if r < 0.2 else Qualification.MASTER
        if plan.kind == K.PRESCHOOL:
            return Qualification.COLLEGE if r < 0.3 else Qualification.BACHELOR
        if position in (Position.PRINCIPAL, Position.VICE_PRINCIPAL) or r < 0.15:
            return Qualification.MASTER
        return Qualification.BACHELOR

    MAJORS = {
        "NV": "Sư phạm Ngữ văn", "TOAN": "Sư phạm Toán học", "NN1": "Sư phạm Tiếng Anh",
        "GDCD": "Giáo dục chính trị", "LSDL": "Sư phạm Lịch sử",
        "KHTN": "Sư phạm Khoa học tự nhiên",
        "CN": "Sư phạm Kĩ thuật công nghiệp", "TIN": "Sư phạm Tin học",
        "TINCN": "Sư phạm Tin học", "GDTC": "Giáo dục thể chất", "AN": "Sư phạm Âm nhạc",
        "MT": "Sư phạm Mĩ thuật", "HDTNHN": "Tâm lí học giáo dục", "GDDP": "Sư phạm Địa lí",
        "LS": "Sư phạm Lịch sử", "DL": "Sư phạm Địa lí", "GDKTPL": "Giáo dục chính trị",
        "VL": "Sư phạm Vật lí", "HH": "Sư phạm Hoá học", "SH": "Sư phạm Sinh học",
        "GDQPAN": "Giáo dục quốc phòng và an ninh",
    }  # fmt: skip
    OFFICE_MAJORS = {
        Position.PRINCIPAL: "Quản lí giáo dục", Position.VICE_PRINCIPAL: "Quản lí giáo dục",
        Position.ACADEMIC_AFFAIRS: "Quản lí giáo dục", Position.ACCOUNTANT: "Kế toán",
        Position.NURSE: "Điều dưỡng", Position.LIBRARIAN: "Thông tin - Thư viện",
        Position.EQUIPMENT: "Sư phạm Vật lí", Position.IT: "Công nghệ thông tin",
    }  # fmt: skip

    def major(self, plan: SchoolPlan, position: str, subjects: list[str]) -> str:
        if position != Position.TEACHER:
            return self.OFFICE_MAJORS.get(position, "")
        if plan.kind == K.PRESCHOOL:
            return "Giáo dục Mầm non"
        if not subjects:
            return "Kĩ thuật" if plan.kind == K.VOCATIONAL_INTERMEDIATE else "Công nghệ kĩ thuật"
        if "TV" in subjects:
            return "Giáo dục Tiểu học"
        return self.MAJORS.get(subjects[0], "")

    def employment_status(self, position: str) -> str:
        if position in (Position.PRINCIPAL, Position.VICE_PRINCIPAL):
            return EmploymentStatus.PERMANENT
        r = self.rng.random()
        if r < 0.80:
            return EmploymentStatus.PERMANENT
        if r < 0.94:
            return EmploymentStatus.CONTRACT
        if r < 0.985:
            return EmploymentStatus.PROBATION
        return EmploymentStatus.LEAVE

    # ---- learners -----------------------------------------------------------------

    def make_learners(self) -> None:
        total = 0
        plans = []
        for school, plan in self.schools:
            for school_class in self.classes[school.pk]:
                low, high = (
                    self.o.preschool_class_size if plan.kind == K.PRESCHOOL else self.o.class_size
                )
                size = self.rng.randint(low, high)
                plans.append((school, plan, school_class, size))
                total += size
        if not total:
            self.learners: list[Learner] = []
            return
        ids = iter(education_id_issue(institution=self.schools[0][0], count=total))
        self.previous_classes = self.make_previous_classes()
        learners: list[Learner] = []
        for school, plan, school_class, size in plans:
            for _n in range(size):
                learners.append(self.make_learner(school, plan, school_class, next(ids)))
        Learner.objects.bulk_create(learners, batch_size=2000)
        self.learners = learners
        self.make_guardians(learners)
        self.make_enrolment_events(learners)

    def age_group(self, school_class: SchoolClass) -> int:
        """Age of a preschool group from its name (Mầm 3, Chồi 4, Lá 5)."""
        word = school_class.name.split(" ")[0]
        return dict(PRESCHOOL_GROUPS).get(word, 5)

    def make_learner(
        self, school: Institution, plan: SchoolPlan, school_class: SchoolClass, education_id: str
    ) -> Learner:
        rng = self.rng
        start = self.year.starts_on.year
        sex = "M" if rng.random() < 0.515 else "F"
        ethnicity = self.ethnicities.draw(rng)
        if school_class.grade == 0:
            age = self.age_group(school_class)
            birth_year = start - age
            entered = start - (age - 3)
        else:
            birth_year = start - 5 - school_class.grade
            roll = rng.random()
            if roll < 0.06:
                birth_year -= 1  # started late or repeated a grade
            elif roll < 0.07:
                birth_year += 1  # started early
            entered = start - (school_class.grade - school.grade_from)
        birth = self.birthday(birth_year)
        policies = []
        r = rng.random()
        if r < 0.04:
            policies.append(PolicyCategory.POOR_HOUSEHOLD.value)
        elif r < 0.07:
            policies.append(PolicyCategory.NEAR_POOR_HOUSEHOLD.value)
        if ethnicity != "01" and school.commune.kind != "Phường" and rng.random() < 0.3:
            policies.append(PolicyCategory.ETHNIC_MINORITY_DIFFICULT_AREA.value)
        if rng.random() < 0.003:
            policies.append(PolicyCategory.WAR_INVALID_CHILD.value)
        disability = ""
        if rng.random() < 0.007:
            disability = rng.choice([d.value for d in Disability if d.value])
        learner = Learner(
            institution=school,
            current_class=school_class,
            grade=school_class.grade,
            full_name=names.person_name(rng, sex, ethnicity),
            sex=sex,
            date_of_birth=birth,
            personal_id=self.personal_id(birth, sex, self.profile.id_plan),
            ethnicity_code=ethnicity,
            address=self.address(school.commune),
            phone=names.mobile_phone(rng)
            if school_class.grade >= 10 and rng.random() < 0.5
            else "",
            disability=disability,
            policy_categories=policies,
            place_of_birth=f"{rng.choice(self.communes[:6]).name}, {self.province.name}",
            enrolled_on=dt.date(entered, 9, 5),
            education_id=education_id,
            status=LearnerStatus.STUDYING,
        )
        prepare_learner(learner)
        return learner

    def make_previous_classes(self) -> dict[tuple[int, str], SchoolClass]:
        """Last year's classes of the learners promoted this year: class (g, i) of this
        year was class (g − 1, i) last year. Keyed by (institution, this year's name)."""
        previous: dict[tuple[int, str], SchoolClass] = {}
        rows = []
        for school, plan in self.schools:
            if plan.kind == K.PRESCHOOL:
                continue
            for school_class in self.classes[school.pk]:
                g, i = self.class_keys[school_class.pk]
                if g <= school.grade_from:
                    continue
                row = SchoolClass(
                    institution=school,
                    school_year=self.previous_year,
                    grade=g - 1,
                    name=self.class_name(plan, g - 1, i),
                )
                rows.append(row)
                previous[(school.pk, school_class.name)] = row
        SchoolClass.objects.bulk_create(rows)
        return previous

    def make_guardians(self, learners: list[Learner]) -> None:
        rng = self.rng
        rows = []
        for learner in learners:
            family = names.family_of(learner.full_name)
            birth = learner.date_of_birth.year
            has_father = rng.random() < 0.9
            has_mother = rng.random() < 0.96 or not has_father
            if has_father:
                rows.append(
                    self.guardian(
                        learner,
                        Guardian.Relationship.FATHER,
                        names.person_name(rng, "M", learner.ethnicity_code, family=family),
                        birth,
                    )
                )
            if has_mother:
                rows.append(
                    self.guardian(
                        learner,
                        Guardian.Relationship.MOTHER,
                        names.person_name(rng, "F", learner.ethnicity_code),
                        birth,
                    )
                )
            if rng.random() < 0.02:
                rows.append(
                    self.guardian(
                        learner,
                        Guardian.Relationship.GUARDIAN,
                        names.person_name(rng, rng.choice("MF"), learner.ethnicity_code),
                        birth - 25,
                    )
                )
        Guardian.objects.bulk_create(rows, batch_size=2000)

    def guardian(self, learner: Learner, relationship: str, full_name: str, child_birth: int):
        rng = self.rng
        return Guardian(
            institution_id=learner.institution_id,
            learner=learner,
            relationship=relationship,
            full_name=full_name,
            phone=names.mobile_phone(rng) if rng.random() < 0.93 else "",
            occupation=names.occupation(rng),
            year_of_birth=child_birth - rng.randint(22, 40),
        )

    def make_enrolment_events(self, learners: list[Learner]) -> None:
        years = {
            self.year.starts_on.year: self.year,
            self.previous_year.starts_on.year: self.previous_year,
        }
        events = []
        for learner in learners:
            school_class = learner.current_class
            entered = learner.enrolled_on.year
            previous = self.previous_classes.get((learner.institution_id, school_class.name))
            if entered == self.year.starts_on.year:
                to_class = school_class
            elif entered == self.previous_year.starts_on.year:
                to_class = previous
            else:
                to_class = None
            events.append(
                EnrolmentEvent(
                    institution_id=learner.institution_id,
                    learner=learner,
                    kind=EnrolmentEventKind.ADMIT,
                    occurred_on=learner.enrolled_on,
                    school_year=years.get(entered),
                    to_class=to_class,
                    grade=to_class.grade if to_class else learner.institution.grade_from,
                    actor=self.admin,
                )
            )
            if previous is not None:
                events.append(
                    EnrolmentEvent(
                        institution_id=learner.institution_id,
                        learner=learner,
                        kind=EnrolmentEventKind.PROMOTE,
                        occurred_on=self.previous_year.ends_on,
                        school_year=self.previous_year,
                        from_class=previous,
                        to_class=school_class,
                        grade=previous.grade,
                        actor=self.admin,
                    )
                )
        EnrolmentEvent.objects.bulk_create(events, batch_size=2000)

    # ---- history ------------------------------------------------------------------

    def make_history(self) -> None:
        """A few transfers between demo schools of the same kind and a few drop-outs,
        written as the services write them (events on both sides, version + 1)."""
        if not self.learners:
            return
        rng = self.rng
        by_kind: dict[str, list[Institution]] = {}
        for school, plan in self.schools:
            if self.classes.get(school.pk):
                by_kind.setdefault(plan.kind, []).append(school)
        protected = {c.pk for c in self.classes[self.schools[0][0].pk][:2]}
        candidates = [x for x in self.learners if x.current_class_id not in protected]
        rng.shuffle(candidates)
        events, changed = [], []
        transfers = 0
        for learner in candidates:
            if transfers >= self.o.transfers:
                break
            others = [
                s
                for s in by_kind.get(learner.institution.kind, [])
                if s.pk != learner.institution_id
            ]
            targets = [c for s in others for c in self.classes[s.pk] if c.grade == learner.grade]
            if not targets:
                continue
            to_class = rng.choice(targets)
            day = self.history_day(20 + 7 * transfers)
            reason = rng.choice([_("Gia đình chuyển nơi ở"), _("Theo nguyện vọng gia đình")])
            source = learner.institution
            events.append(
                EnrolmentEvent(
                    institution=source,
                    learner=learner,
                    kind=EnrolmentEventKind.TRANSFER_OUT,
                    occurred_on=day,
                    reason=reason,
                    actor=self.admin,
                    grade=learner.grade,
                    from_class=learner.current_class,
                    other_institution=to_class.institution,
                )
            )
            events.append(
                EnrolmentEvent(
                    institution=to_class.institution,
                    learner=learner,
                    kind=EnrolmentEventKind.TRANSFER_IN,
                    occurred_on=day,
                    reason=reason,
                    actor=self.admin,
                    grade=to_class.grade,
                    to_class=to_class,
                    other_institution=source,
                )
            )
            learner.institution = to_class.institution
            learner.current_class = to_class
            learner.enrolled_on = day
            learner.version += 1
            changed.append(learner)
            Guardian.objects.filter(learner=learner).update(institution=to_class.institution)
            transfers += 1
        moved = {x.pk for x in changed}
        drop_outs = 0
        for learner in candidates:
            if drop_outs >= self.o.drop_outs:
                break
            if learner.pk in moved or (learner.grade or 0) < 6:
                continue
            reason = rng.choice(
                [
                    _("Hoàn cảnh gia đình khó khăn"),
                    _("Đi làm cùng gia đình"),
                    _("Học lực yếu, không muốn đi học"),
                ]
            )
            events.append(
                EnrolmentEvent(
                    institution_id=learner.institution_id,
                    learner=learner,
                    kind=EnrolmentEventKind.DROP_OUT,
                    occurred_on=self.history_day(30 + 9 * drop_outs),
                    reason=reason,
                    actor=self.admin,
                    grade=learner.grade,
                    from_class=learner.current_class,
                )
            )
            learner.status = LearnerStatus.DROPPED_OUT
            learner.version += 1
            changed.append(learner)
            drop_outs += 1
        EnrolmentEvent.objects.bulk_create(events)
        Learner.objects.bulk_update(
            changed, ["institution", "current_class", "grade", "enrolled_on", "status", "version"]
        )

    # ---- accounts -----------------------------------------------------------------

    def make_accounts(self) -> list[Login]:
        flagship = self.schools[0][0]
        members = self.staff[flagship.pk]
        logins = [Login("admin", _("Quản trị hệ thống"), _("Toàn hệ thống"))]

        def account(
            username: str,
            role: str,
            *,
            unit=None,
            institution=None,
            member=None,
            full_name: str = "",
            where: str = "",
        ) -> User:
            user = self.make_user(username, member.full_name if member else full_name)
            RoleAssignment.objects.create(user=user, role=role, unit=unit, institution=institution)
            if member is not None:
                member.user = user
                member.save(update_fields=["user"])
            logins.append(Login(username, str(Role(role).label), where))
            return user

        rng = self.rng
        account(
            "bo.gddt",
            Role.MINISTRY_OFFICER,
            unit=self.country,
            full_name=names.person_name(rng, "M"),
            where=self.country.name,
        )
        account(
            "so.gddt",
            Role.PROVINCE_OFFICER,
            unit=self.province,
            full_name=names.person_name(rng, "F"),
            where=self.province.name,
        )
        account(
            "hieutruong",
            Role.PRINCIPAL,
            institution=flagship,
            member=members["principal"],
            where=flagship.name,
        )
        account(
            "giaovu",
            Role.SCHOOL_STAFF,
            institution=flagship,
            member=members[str(Position.ACADEMIC_AFFAIRS)],
            where=flagship.name,
        )
        teaching = self.teaching[flagship.pk]
        if teaching.reserved_teacher is not None:
            teacher = members[f"t{teaching.reserved_teacher}"]
            homeroom = next(
                c for c in self.classes[flagship.pk] if c.homeroom_teacher_id == teacher.pk
            )
            account(
                "giaovien",
                Role.TEACHER,
                institution=flagship,
                member=teacher,
                where=_("%(school)s, chủ nhiệm lớp %(name)s")
                % {"school": flagship.name, "name": homeroom.name},
            )
            guardian = (
                Guardian.objects.filter(
                    learner__current_class=homeroom, learner__status=LearnerStatus.STUDYING
                )
                .select_related("learner")
                .order_by("learner__search_name", "learner_id", "relationship")
                .first()
            )
            if guardian is not None:
                user = self.make_user("phuhuynh", guardian.full_name)
                guardian.user = user
                guardian.save(update_fields=["user"])
                logins.append(
                    Login(
                        "phuhuynh",
                        str(Role.GUARDIAN.label),
                        _("Phụ huynh của %(name)s, lớp %(class)s")
                        % {"name": guardian.learner.full_name, "class": homeroom.name},
                    )
                )
        return logins

    def counts(self) -> dict[str, int]:
        ids = [s.pk for s, _p in self.schools]
        return {
            "institutions": len(ids),
            "classes": SchoolClass.objects.filter(
                institution_id__in=ids, school_year=self.year
            ).count(),
            "staff": StaffMember.objects.filter(institution_id__in=ids).count(),
            "learners": Learner.objects.filter(institution_id__in=ids).count(),
            "guardians": Guardian.objects.filter(institution_id__in=ids).count(),
            "events": EnrolmentEvent.objects.filter(institution_id__in=ids).count(),
            **{
                f"personal_id_{k}": v
                for k, v in Counter(
                    Learner.objects.filter(institution_id__in=ids).values_list(
                        "personal_id_status", flat=True
                    )
                ).items()
            },
        }


@transaction.atomic
def demo_build(options: DemoOptions | None = None) -> DemoResult:
    """Build the demonstration data (call ``demo_exists`` first). Refuses, saying
    which, when accounts with the demo's usernames exist already."""
    taken = sorted(
        User.objects.filter(username__in=DEMO_USERNAMES).values_list("username", flat=True)
    )
    if taken:
        raise DemoError(
            _("Đã có tài khoản trùng tên với tài khoản mẫu: %(names)s. Hãy đổi tên hoặc xóa "
              "các tài khoản đó (load_demo --reset xóa chúng) rồi chạy lại.")
            % {"names": ", ".join(taken)}
        )  # fmt: skip
    return _Builder(options or DemoOptions()).build()
