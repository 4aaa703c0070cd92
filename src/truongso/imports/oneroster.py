"""OneRoster 1.2 CSV export for learning platforms: one zip of manifest.csv, orgs.csv,
academicSessions.csv, courses.csv, classes.csv, users.csv, roles.csv, enrollments.csv and
demographics.csv, for one institution (or every institution the user may export) and one
school year.

Who may export: the institution's principal and school staff, and the education offices
above it (the same users who may export its lists). Everything is read through the
user's scope. Personal data is kept to what a platform needs to build its classes: names,
the education identifier, grade, work e-mail of teachers and e-mail of guardians; never
a personal identification number, phone or address. demographics.csv holds only sex and
birth date, and only of people whose identity the user may see. Every export is written
to the audit log of each institution exported (who, which year, how many rows).

Mapping of our records to OneRoster's: docs/oneroster.md.
"""

from __future__ import annotations

import csv
import io
import tempfile
import zipfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from truongso.academics.models import SchoolClass, SchoolYear, TeachingAssignment
from truongso.academics.selectors import class_list
from truongso.accounts.access import (
    can_read_full_staff_record,
    institutions_q,
    require,
    school_rows_q,
    scope_for,
)
from truongso.audit.services import audit_record
from truongso.imports.rules import oneroster as rules
from truongso.learners.models import Guardian, LearnerStatus
from truongso.learners.selectors import learner_list
from truongso.staff.selectors import staff_list
from truongso.units.models import Institution
from truongso.units.selectors import institution_list

AUDIT_ACTION = "institution.oneroster_export"
ZIP_TYPE = "application/zip"


# --- Reads (scoped to the acting user) ----------------------------------------------------


def exportable_institutions(*, actor) -> QuerySet[Institution]:
    """The institutions the actor may export: those they manage and those their office
    oversees (``institutions_q(write=True)``: a teacher's own school is not among them)."""
    scope = scope_for(actor)
    return institution_list(actor=actor).filter(institutions_q(scope, write=True))


def school_years() -> QuerySet[SchoolYear]:
    """School years are shared reference data (not school records)."""
    return SchoolYear.objects.order_by("-starts_on")


def school_year_by_start(start_year: int) -> SchoolYear:
    """The school year starting in ``start_year`` (2025 → 2025-2026);
    SchoolYear.DoesNotExist otherwise."""
    return SchoolYear.objects.get(name=f"{start_year}-{start_year + 1}")


def _assignments(actor, classes: QuerySet[SchoolClass]) -> QuerySet[TeachingAssignment]:
    return (
        TeachingAssignment.objects.filter(
            school_rows_q(scope_for(actor)), school_class__in=classes.values("pk")
        )
        .select_related("subject")
        .order_by("school_class_id", "subject__code", "pk")
    )


def _guardians(actor, learners) -> QuerySet[Guardian]:
    return Guardian.objects.filter(
        school_rows_q(scope_for(actor)), learner_id__in=learners.values("pk")
    ).order_by("learner_id", "pk")


# --- The export ---------------------------------------------------------------------------


@dataclass
class OneRosterExport:
    path: Path
    counts: dict[str, int] = field(default_factory=dict)
    institutions: list[Institution] = field(default_factory=list)

    def file_name(self) -> str:
        if len(self.institutions) == 1:
            who = self.institutions[0].code
        else:
            who = _("nhieu-truong")
        return f"oneroster-{who}-{timezone.localdate():%Y%m%d}.zip"


@dataclass
class _Sheet:
    """One CSV file being written into the zip, counting its rows."""

    writer: Any
    rows: int = 0

    def add(self, row: Iterable[object]) -> None:
        self.writer.writerow(["" if v is None else v for v in row])
        self.rows += 1


def oneroster_export(
    *,
    actor,
    school_year: SchoolYear,
    institutions: Iterable[Institution] | None = None,
    demographics: bool = True,
    reason: str = "",
) -> OneRosterExport:
    """Write the zip to a temporary file and audit the export. ``institutions`` None:
    every institution the actor may export. PermissionDenied when one of them is not
    the actor's to export."""
    allowed = exportable_institutions(actor=actor)
    if institutions is None:
        chosen = list(allowed.select_related("province"))
    else:
        chosen = list(institutions)
        allowed_ids = set(
            allowed.filter(pk__in=[i.pk for i in chosen]).values_list("pk", flat=True)
        )
        require(all(i.pk in allowed_ids for i in chosen))
        chosen = list(
            Institution.objects.filter(pk__in=allowed_ids)
            .select_related("province")
            .order_by("name", "pk")
        )
    require(bool(chosen))
    files = list(rules.DATA_FILES)
    if not demographics:
        files.remove("demographics.csv")
    handle = tempfile.NamedTemporaryFile(suffix=".zip", delete=False)  # noqa: SIM115
    handle.close()
    path = Path(handle.name)
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        with _csv(archive, "manifest.csv") as sheet:
            for row in rules.manifest_rows(set(files)):
                sheet.add(row)
        counts = _write_data(archive, actor, chosen, school_year, set(files))
    result = OneRosterExport(path=path, counts=counts, institutions=chosen)
    _audit(actor, chosen, school_year, counts, demographics, reason)
    return result


class _csv:
    """``with _csv(archive, name) as sheet``: a CSV member of the zip, header written."""

    def __init__(self, archive: zipfile.ZipFile, name: str):
        self.archive, self.name = archive, name

    def __enter__(self) -> _Sheet:
        self.raw = self.archive.open(self.name, "w")
        self.text = io.TextIOWrapper(self.raw, encoding="utf-8", newline="")
        writer = csv.writer(self.text, lineterminator="\r\n")
        writer.writerow(rules.HEADERS[self.name])
        return _Sheet(writer=writer)

    def __exit__(self, *exc) -> None:
        self.text.flush()
        self.text.detach()
        self.raw.close()


def _write_data(archive, actor, institutions, year, files: set[str]) -> dict[str, int]:
    scope = scope_for(actor)
    ids = [i.pk for i in institutions]
    org = {i.pk: rules.sourced_id("org", i.code) for i in institutions}
    year_sid = rules.sourced_id("schoolYear", year.name)
    terms = list(year.terms.order_by("number"))
    term_sids = [rules.sourced_id("term", year.name, t.number) for t in terms] or [year_sid]
    classes = class_list(actor=actor, school_year=year).filter(institution_id__in=ids)
    class_rows = list(classes)
    assignments = list(_assignments(actor, classes))
    learners = learner_list(actor=actor, status=LearnerStatus.STUDYING).filter(
        current_class__in=classes.values("pk")
    )
    guardians = list(_guardians(actor, learners))
    teachers = (
        staff_list(actor=actor)
        .filter(
            Q(teaching_assignments__school_class__in=classes.values("pk"))
            | Q(homeroom_classes__in=classes.values("pk"))
        )
        .select_related("user")
        .distinct()
    )
    counts: dict[str, int] = {}

    def user_sid(kind: str, pk: int) -> str:
        return rules.sourced_id(kind, pk)

    with _csv(archive, "orgs.csv") as sheet:
        provinces = {}
        for i in institutions:
            provinces[i.province_id] = i.province
        for province in sorted(provinces.values(), key=lambda u: u.code):
            sid = rules.sourced_id("org", "unit", province.code)
            sheet.add([sid, "", "", province.name, "district", province.code, ""])
        for i in institutions:
            parent = rules.sourced_id("org", "unit", i.province.code)
            sheet.add([org[i.pk], "", "", i.name, "school", i.code, parent])
        counts["orgs.csv"] = sheet.rows

    with _csv(archive, "academicSessions.csv") as sheet:
        school_year_value = rules.school_year_value(year.ends_on)
        sheet.add([
            year_sid, "", "", year.name, "schoolYear", rules.date_value(year.starts_on),
            rules.date_value(year.ends_on), "", school_year_value,
        ])  # fmt: skip
        for term, sid in zip(terms, term_sids, strict=False):
            title = _("Học kỳ %(n)s %(year)s") % {"n": "I" * term.number, "year": year.name}
            sheet.add([
                sid, "", "", title,
                "semester", rules.date_value(term.starts_on), rules.date_value(term.ends_on),
                year_sid, school_year_value,
            ])  # fmt: skip
        counts["academicSessions.csv"] = sheet.rows

    # Courses: one per institution, grade and subject taught, and one per institution and
    # grade for the homeroom classes.
    def course_sid(institution_id: int, grade: int, subject_code: str) -> str:
        return rules.sourced_id("course", institution_id, year.name, grade, subject_code)

    homeroom = "homeroom"
    courses: dict[str, list[object]] = {}
    by_class = {c.pk: c for c in class_rows}
    for c in class_rows:
        sid = course_sid(c.institution_id, c.grade, homeroom)
        courses.setdefault(sid, [
            sid, "", "", year_sid, _("Khối %(grade)s – sinh hoạt lớp") % {"grade": c.grade},
            f"K{c.grade}", rules.grade_code(c.grade), org[c.institution_id], "", "",
        ])  # fmt: skip
    for a in assignments:
        c = by_class[a.school_class_id]
        sid = course_sid(c.institution_id, c.grade, a.subject.code)
        courses.setdefault(sid, [
            sid, "", "", year_sid, f"{a.subject.name} {c.grade}", f"{a.subject.code}-{c.grade}",
            rules.grade_code(c.grade), org[c.institution_id], a.subject.name, "",
        ])  # fmt: skip
    with _csv(archive, "courses.csv") as sheet:
        for row in courses.values():
            sheet.add(row)
        counts["courses.csv"] = sheet.rows

    # Classes: each class (lớp) as a homeroom class, and each subject taught to it
    # (phân công chuyên môn) as a scheduled class of the subject's course.
    terms_field = rules.joined(term_sids)
    with _csv(archive, "classes.csv") as sheet:
        for c in class_rows:
            sheet.add([
                rules.sourced_id("class", c.pk), "", "", c.name, rules.grade_code(c.grade),
                course_sid(c.institution_id, c.grade, homeroom), c.name, "homeroom", c.room,
                org[c.institution_id], terms_field, "", "", "",
            ])  # fmt: skip
        for a in assignments:
            c = by_class[a.school_class_id]
            sheet.add([
                rules.sourced_id("class", c.pk, a.subject.code), "", "",
                f"{c.name} · {a.subject.name}", rules.grade_code(c.grade),
                course_sid(c.institution_id, c.grade, a.subject.code),
                f"{c.name}-{a.subject.code}", "scheduled", c.room, org[c.institution_id],
                terms_field, a.subject.name, "", "",
            ])  # fmt: skip
        counts["classes.csv"] = sheet.rows

    learner_rows = list(learners.only(
        "pk", "full_name", "education_id", "grade", "institution_id", "current_class_id",
        "sex", "date_of_birth",
    ))  # fmt: skip
    teacher_rows = list(teachers)
    exported_staff = {m.pk for m in teacher_rows}
    # Each person belongs to the school of the class they are in or teach.
    learner_org = {p.pk: org[by_class[p.current_class_id].institution_id] for p in learner_rows}
    staff_org: dict[int, str] = {}
    for c in class_rows:
        if c.homeroom_teacher_id:
            staff_org.setdefault(c.homeroom_teacher_id, org[c.institution_id])
    for a in assignments:
        staff_org.setdefault(a.staff_member_id, org[by_class[a.school_class_id].institution_id])
    agents: dict[int, list[str]] = {}
    for g in guardians:
        agents.setdefault(g.learner_id, []).append(user_sid("guardian", g.pk))

    role_rows: list[list[str]] = []  # one write handle at a time: roles.csv after users.csv
    with _csv(archive, "users.csv") as sheet:

        def user(sid, name, username, identifier, email, agent_ids, grade, org_sid, role):
            given, family, middle = rules.split_name(name)
            sheet.add([
                sid, "", "", "true", username, "", given, family, middle, identifier, email,
                "", "", rules.joined(agent_ids), grade, "", identifier, "", "", "", "",
                org_sid, "",
            ])  # fmt: skip
            role_rows.append([
                rules.sourced_id("role", sid, role, org_sid), "", "", sid, "primary", role, "",
                "", org_sid, "",
            ])  # fmt: skip

        for learner in learner_rows:
            user(
                user_sid("learner", learner.pk),
                learner.full_name,
                learner.education_id or "",
                learner.education_id or "",
                "",
                agents.get(learner.pk, []),
                rules.grade_code(learner.grade),
                learner_org[learner.pk],
                "student",
            )
        for member in teacher_rows:
            user(
                user_sid("staff", member.pk),
                member.full_name,
                member.user.username if member.user_id else "",
                member.education_id or "",
                member.email,
                [],
                "",
                staff_org[member.pk],
                "teacher",
            )
        for g in guardians:
            user(
                user_sid("guardian", g.pk),
                g.full_name,
                "",
                "",
                g.email,
                [user_sid("learner", g.learner_id)],
                "",
                learner_org[g.learner_id],
                "guardian",
            )
        counts["users.csv"] = sheet.rows
    with _csv(archive, "roles.csv") as sheet:
        for row in role_rows:
            sheet.add(row)
        counts["roles.csv"] = sheet.rows

    with _csv(archive, "enrollments.csv") as sheet:

        def enrol(class_sid, institution_id, person_sid, role, primary):
            sheet.add([
                rules.sourced_id("enrollment", class_sid, person_sid), "", "", class_sid,
                org[institution_id], person_sid, role, "true" if primary else "false", "", "",
            ])  # fmt: skip

        members: dict[int, list[str]] = {}
        for learner in learner_rows:
            members.setdefault(learner.current_class_id, []).append(user_sid("learner", learner.pk))
        for c in class_rows:
            class_sid = rules.sourced_id("class", c.pk)
            if c.homeroom_teacher_id in exported_staff:
                enrol(class_sid, c.institution_id, user_sid("staff", c.homeroom_teacher_id),
                      "teacher", True)  # fmt: skip
            for person in members.get(c.pk, []):
                enrol(class_sid, c.institution_id, person, "student", False)
        for a in assignments:
            c = by_class[a.school_class_id]
            class_sid = rules.sourced_id("class", c.pk, a.subject.code)
            if a.staff_member_id in exported_staff:
                enrol(class_sid, c.institution_id, user_sid("staff", a.staff_member_id),
                      "teacher", True)  # fmt: skip
            for person in members.get(c.pk, []):
                enrol(class_sid, c.institution_id, person, "student", False)
        counts["enrollments.csv"] = sheet.rows

    if "demographics.csv" in files:
        with _csv(archive, "demographics.csv") as sheet:
            blanks = [""] * 11
            for learner in learner_rows:
                sheet.add([
                    user_sid("learner", learner.pk), "", "",
                    rules.date_value(learner.date_of_birth), rules.sex_value(learner.sex),
                    *blanks,
                ])  # fmt: skip
            for member in teacher_rows:
                if not can_read_full_staff_record(scope, member.institution_id):
                    continue
                sheet.add([
                    user_sid("staff", member.pk), "", "",
                    rules.date_value(member.date_of_birth), rules.sex_value(member.sex),
                    *blanks,
                ])  # fmt: skip
            counts["demographics.csv"] = sheet.rows
    return counts


@transaction.atomic
def _audit(actor, institutions, year, counts, demographics, reason) -> None:
    for institution in institutions:
        audit_record(
            actor=actor,
            action=AUDIT_ACTION,
            instance=institution,
            before=None,
            after={
                "format": f"OneRoster {rules.ONEROSTER_VERSION} CSV",
                "school_year": year.name,
                "institutions": len(institutions),
                "demographics": demographics,
                "rows": counts,
            },
            reason=reason,
        )


def read_zip(path: Path) -> Iterator[tuple[str, list[list[str]]]]:
    """The CSV files of an export, parsed (for tests and checks)."""
    with zipfile.ZipFile(path) as archive:
        for name in archive.namelist():
            text = archive.read(name).decode("utf-8")
            yield name, list(csv.reader(io.StringIO(text)))
