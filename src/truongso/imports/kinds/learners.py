"""Importing learners. New learners are the fast path: on PostgreSQL the records, their
``admit`` events, their guardians and their audit entries are written with COPY."""

from __future__ import annotations

import datetime as dt
import json
from collections import defaultdict

from django.utils import timezone

from truongso.academics.selectors import current_school_year
from truongso.audit.models import AuditEntry
from truongso.audit.services import audit_bulk, model_snapshot
from truongso.core.rules.codelists import ETHNICITY_LIST_1979
from truongso.imports import bulk
from truongso.imports.kinds import PersonImport, choices_everywhere
from truongso.imports.rules.columns import LEARNERS
from truongso.imports.rules.learners import (
    ExistingLearner,
    LearnerChange,
    LearnerContext,
    LearnerPlanner,
    LearnerRow,
    check_learner,
    class_key,
)
from truongso.imports.selectors import (
    LEARNER_VALUES,
    current_classes,
    institution_guardians,
    institution_learners,
)
from truongso.learners.models import (
    Disability,
    EnrolmentEvent,
    EnrolmentEventKind,
    Guardian,
    Learner,
    LearnerStatus,
)
from truongso.learners.services import prepare_learner

ACTION = "learner.import"
RELATIONSHIP_EXTRA = {"bo": "father", "ba": "father", "me": "mother", "ma": "mother",
                      "giam ho": "guardian", "ong": "other", "ba noi": "other"}  # fmt: skip


class LearnerImport(PersonImport):
    model = Learner
    kind = LEARNERS

    def __init__(self, *, actor, institution, today: dt.date | None = None):
        self.actor = actor
        self.institution = institution
        self.today = today or timezone.localdate()
        self.year = current_school_year()
        classes = current_classes(actor=actor, institution=institution)
        self.context = LearnerContext(
            today=self.today,
            school_year_start=self.year.starts_on.year if self.year else self.today.year,
            school_year_name=self.year.name if self.year else "",
            classes={class_key(c.name): (c.pk, c.grade, c.name) for c in classes},
            disabilities=choices_everywhere(Disability),
            relationships=choices_everywhere(Guardian.Relationship, RELATIONSHIP_EXTRA),
        )
        guardians: dict[int, dict[str, tuple[int, str, str]]] = defaultdict(dict)
        for learner_id, relationship, pk, name, phone in institution_guardians(
            actor=actor, institution=institution
        ):
            guardians[learner_id].setdefault(relationship, (pk, name, phone))
        existing = []
        for values in institution_learners(actor=actor, institution=institution):
            record = dict(zip(LEARNER_VALUES, values, strict=True))
            existing.append(ExistingLearner(
                id=record["id"], education_id=record["education_id"] or "",
                full_name=record["full_name"], search_name=record["search_name"],
                date_of_birth=record["date_of_birth"], sex=record["sex"],
                personal_id=record["personal_id"], ethnicity_code=record["ethnicity_code"],
                nationality=record["nationality"], address=record["address"],
                place_of_birth=record["place_of_birth"], disability=record["disability"],
                class_id=record["current_class_id"], guardians=guardians.get(record["id"], {}),
            ))  # fmt: skip
        self.planner = LearnerPlanner(existing)

    def check(self, row: int, cells: dict[str, object]):
        return check_learner(row, cells, self.context)

    def write(self, new_rows: list[LearnerRow], changes: list[LearnerChange], *, reason: str):
        admitted = learners_admit(
            new_rows, actor=self.actor, institution=self.institution, year=self.year,
            today=self.today, reason=reason,
        )  # fmt: skip
        updated = learners_apply_changes(
            changes, actor=self.actor, institution=self.institution, year=self.year,
            today=self.today, reason=reason,
        )  # fmt: skip
        return admitted, updated


# --- New learners --------------------------------------------------------------------------

# The columns of learners_learner that differ from row to row, in table order.
PER_ROW = [
    "id", "full_name", "search_name", "date_of_birth", "sex", "personal_id", "ethnicity_code",
    "nationality", "address", "education_id", "current_class_id", "grade",
    "personal_id_status", "disability", "place_of_birth",
]  # fmt: skip
SNAPSHOT = [
    f.attname for f in Learner._meta.concrete_fields if f.editable and f.name != "search_name"
]  # noqa: E501


def _constants(model, overrides: dict[str, object]) -> dict[str, object]:
    """The value of every column of ``model`` that is the same on every new row."""
    return {f.attname: overrides.get(f.attname, f.get_default())
            for f in model._meta.concrete_fields}  # fmt: skip


def learners_admit(rows: list[LearnerRow], *, actor, institution, year, today, reason) -> int:
    """Create learners from checked rows: the records with new education identifiers
    (one call to education_id_issue), an ``admit`` event each, their guardian, and an
    audit entry each. One code path, two writers: COPY on PostgreSQL, bulk_create else."""
    from truongso.learners.services import education_id_issue

    if not rows:
        return 0
    education_ids = education_id_issue(institution=institution, count=len(rows))
    now = timezone.now()
    constants = _constants(Learner, {
        "institution_id": institution.pk, "ethnicity_list": ETHNICITY_LIST_1979,
        "status": LearnerStatus.STUDYING, "policy_categories": [], "enrolled_on": today,
        "version": 1, "created_at": now, "updated_at": now, "phone": "",
    })  # fmt: skip
    writer = _admit_copy if bulk.uses_copy() else _admit_objects
    writer(rows, education_ids, constants, actor=actor, institution=institution, year=year,
           today=today, reason=reason, now=now)  # fmt: skip
    return len(rows)


def _admit_objects(rows, education_ids, constants, *, actor, institution, year, today, reason,
                   now) -> None:  # fmt: skip
    learners = []
    for row, education_id in zip(rows, education_ids, strict=True):
        learner = Learner(**{k: v for k, v in constants.items() if k != "id"})
        for name in PER_ROW[1:]:
            setattr(learner, name, getattr(row, name, None))
        learner.current_class_id = row.class_id
        learner.nationality = row.nationality or constants["nationality"]
        learner.education_id = education_id
        learners.append(learner)
    Learner.objects.bulk_create(learners, batch_size=500)
    events, entries, guardians = [], [], []
    for row, learner in zip(rows, learners, strict=True):
        events.append(EnrolmentEvent(
            institution_id=institution.pk, learner_id=learner.pk, kind=EnrolmentEventKind.ADMIT,
            occurred_on=today, school_year_id=year.pk if (year and row.class_id) else None,
            to_class_id=row.class_id, grade=row.grade, reason=reason, actor=actor,
        ))  # fmt: skip
        after = model_snapshot(learner)
        if row.guardian_name:
            guardian = _guardian_values(row)
            guardians.append(Guardian(institution_id=institution.pk, learner_id=learner.pk,
                                      **guardian))  # fmt: skip
            after["guardian"] = guardian
        entries.append(AuditEntry(actor=actor, action=ACTION, object_type="learners.learner",
                                  object_id=str(learner.pk), institution_id=institution.pk,
                                  before=None, after=after, reason=reason[:500]))  # fmt: skip
    EnrolmentEvent.objects.bulk_create(events, batch_size=1000)
    Guardian.objects.bulk_create(guardians, batch_size=1000)
    audit_bulk(entries)


def _guardian_values(row: LearnerRow) -> dict[str, str]:
    return {"relationship": row.guardian_relationship, "full_name": row.guardian_name,
            "phone": row.guardian_phone}  # fmt: skip


def _admit_copy(rows, education_ids, constants, *, actor, institution, year, today, reason,
                now) -> None:  # fmt: skip
    ids = bulk.reserve_ids(Learner._meta.db_table, len(rows))
    NULL, text = bulk.NULL, bulk.copy_text
    dates: dict[dt.date, str] = {}

    def iso(day: dt.date | None) -> str:
        if day is None:
            return NULL
        found = dates.get(day)
        if found is None:
            found = dates[day] = day.isoformat()
        return found

    columns = [f.column for f in Learner._meta.concrete_fields]
    template = bulk.line_template(
        columns, PER_ROW, {k: bulk.copy_value(v) for k, v in constants.items()}
    )
    default_nationality = constants["nationality"]
    bulk.copy_lines(Learner._meta.db_table, columns, (
        template % (
            pk, text(r.full_name), text(r.search_name), iso(r.date_of_birth), r.sex,
            r.personal_id, r.ethnicity_code, r.nationality or default_nationality,
            text(r.address), education_id, NULL if r.class_id is None else r.class_id,
            NULL if r.grade is None else r.grade, r.personal_id_status, r.disability,
            text(r.place_of_birth),
        )
        for r, pk, education_id in zip(rows, ids, education_ids, strict=True)
    ))  # fmt: skip

    event_columns = [f.column for f in EnrolmentEvent._meta.concrete_fields if f.name != "id"]
    event_template = bulk.line_template(
        event_columns, ["learner_id", "school_year_id", "to_class_id", "grade"],
        {k: bulk.copy_value(v) for k, v in _constants(EnrolmentEvent, {
            "institution_id": institution.pk, "kind": EnrolmentEventKind.ADMIT,
            "occurred_on": today, "reason": reason, "actor_id": actor.pk, "created_at": now,
        }).items()},
    )  # fmt: skip
    year_id = str(year.pk) if year else NULL
    bulk.copy_lines(EnrolmentEvent._meta.db_table, event_columns, (
        event_template % (pk, NULL if r.class_id is None else year_id,
                          NULL if r.class_id is None else r.class_id,
                          NULL if r.grade is None else r.grade)
        for r, pk in zip(rows, ids, strict=True)
    ))  # fmt: skip

    if any(r.guardian_name for r in rows):
        guardian_columns = [f.column for f in Guardian._meta.concrete_fields if f.name != "id"]
        guardian_template = bulk.line_template(
            guardian_columns, ["learner_id", "relationship", "full_name", "phone"],
            {k: bulk.copy_value(v) for k, v in _constants(
                Guardian, {"institution_id": institution.pk}).items()},
        )  # fmt: skip
        bulk.copy_lines(Guardian._meta.db_table, guardian_columns, (
            guardian_template % (pk, r.guardian_relationship, text(r.guardian_name),
                                 text(r.guardian_phone))
            for r, pk in zip(rows, ids, strict=True) if r.guardian_name
        ))  # fmt: skip

    plain = {k: _plain(v) for k, v in constants.items()}
    base = {k: plain[k] for k in SNAPSHOT}
    dumps = json.JSONEncoder(ensure_ascii=False, separators=(", ", ": ")).encode

    def after(r: LearnerRow, pk: int, education_id: str) -> str:
        snapshot = {**base, "id": pk, "full_name": r.full_name,
                    "date_of_birth": iso(r.date_of_birth) if r.date_of_birth else None,
                    "sex": r.sex, "personal_id": r.personal_id,
                    "ethnicity_code": r.ethnicity_code,
                    "nationality": r.nationality or default_nationality, "address": r.address,
                    "education_id": education_id, "current_class_id": r.class_id,
                    "grade": r.grade, "disability": r.disability,
                    "place_of_birth": r.place_of_birth}  # fmt: skip
        if r.guardian_name:
            snapshot["guardian"] = _guardian_values(r)
        return text(dumps(snapshot))

    audit_columns = [f.column for f in AuditEntry._meta.concrete_fields if f.name != "id"]
    audit_template = bulk.line_template(
        audit_columns, ["object_id", "after"],
        {k: bulk.copy_value(v) for k, v in _constants(AuditEntry, {
            "at": now, "actor_id": actor.pk, "action": ACTION,
            "object_type": Learner._meta.label_lower, "institution_id": institution.pk,
            "before": None, "reason": reason[:500],
        }).items()},
    )  # fmt: skip
    bulk.copy_lines(AuditEntry._meta.db_table, audit_columns, (
        audit_template % (pk, after(r, pk, education_id))
        for r, pk, education_id in zip(rows, ids, education_ids, strict=True)
    ))  # fmt: skip


def _plain(value):
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    return value


# --- Existing learners ---------------------------------------------------------------------

CHUNK = 1000


def learners_apply_changes(changes: list[LearnerChange], *, actor, institution, year, today,
                           reason) -> int:  # fmt: skip
    """Update learners from checked rows, each audited with before and after; a new class
    is recorded as a ``change_class`` event, a guardian added or corrected."""
    if not changes:
        return 0
    now = timezone.now()
    by_id = {c.learner_id: c for c in changes}
    ids = list(by_id)
    for start in range(0, len(ids), CHUNK):
        chunk = ids[start : start + CHUNK]
        learners = list(Learner.objects.select_for_update()
                        .filter(institution=institution, pk__in=chunk).order_by("pk"))  # fmt: skip
        guardian_ids = [
            c.guardian[0] for c in map(by_id.get, chunk) if c.guardian and c.guardian[0]
        ]  # noqa: E501
        guardians = Guardian.objects.select_for_update().in_bulk(guardian_ids)
        entries, events, new_guardians, changed_guardians = [], [], [], []
        changed_fields = {"search_name", "personal_id_status", "version", "updated_at"}
        for learner in learners:
            change = by_id[learner.pk]
            before = model_snapshot(learner)
            for name, value in change.fields.items():
                setattr(learner, name, value)
                changed_fields.add(name)
            if change.class_id is not None:
                events.append(EnrolmentEvent(
                    institution_id=institution.pk, learner=learner,
                    kind=EnrolmentEventKind.CHANGE_CLASS, occurred_on=today, school_year=year,
                    from_class_id=learner.current_class_id, to_class_id=change.class_id,
                    grade=change.grade, reason=reason, actor=actor,
                ))  # fmt: skip
                learner.current_class_id, learner.grade = change.class_id, change.grade
                changed_fields.update({"current_class", "grade"})
            if change.fields or change.class_id is not None:
                prepare_learner(learner)
                learner.version += 1
                learner.updated_at = now
                entries.append(AuditEntry(
                    actor=actor, action=ACTION, object_type="learners.learner",
                    object_id=str(learner.pk), institution_id=institution.pk, before=before,
                    after=model_snapshot(learner), reason=reason[:500],
                ))  # fmt: skip
            if change.guardian is not None:
                pk, relationship, name, phone = change.guardian
                guardian = guardians.get(pk) if pk else None
                if guardian is None:
                    guardian = Guardian(institution_id=institution.pk, learner=learner,
                                        relationship=relationship)  # fmt: skip
                    new_guardians.append(guardian)
                    guardian_before = None
                else:
                    guardian_before = model_snapshot(guardian)
                    changed_guardians.append(guardian)
                guardian.full_name, guardian.phone = name, phone
                entries.append((guardian, guardian_before))
        Learner.objects.bulk_update(
            [lr for lr in learners if by_id[lr.pk].fields or by_id[lr.pk].class_id is not None],
            sorted(changed_fields), batch_size=500,
        )  # fmt: skip
        EnrolmentEvent.objects.bulk_create(events)
        Guardian.objects.bulk_create(new_guardians)
        Guardian.objects.bulk_update(changed_guardians, ["full_name", "phone"])
        audit_bulk([_entry(e, actor=actor, institution=institution, reason=reason)
                    for e in entries])  # fmt: skip
    return len(changes)


def _entry(item, *, actor, institution, reason) -> AuditEntry:
    if isinstance(item, AuditEntry):
        return item
    guardian, before = item
    return AuditEntry(
        actor=actor, action="guardian.save", object_type="learners.guardian",
        object_id=str(guardian.pk), institution_id=institution.pk, before=before,
        after=model_snapshot(guardian), reason=reason[:500],
    )  # fmt: skip
