"""Importing learners. New learners are the fast path: on PostgreSQL the records are
streamed with COPY while the file is checked, then their ``admit`` events and guardians."""

from __future__ import annotations

import datetime as dt
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

    def write(self, new_rows: list[LearnerRow], changes: list[LearnerChange], *, reason: str,
              job_id: int | None = None):  # fmt: skip
        admitted = learners_admit(
            new_rows, actor=self.actor, institution=self.institution, year=self.year,
            today=self.today, reason=reason, job_id=job_id,
        )  # fmt: skip
        return admitted, self.apply_changes(changes, reason=reason)

    # Streaming: new rows are written while the file is checked (see AdmitWriter).
    def admit_writer(self, *, reason: str, job_id: int | None, expected: int) -> AdmitWriter:
        return AdmitWriter(actor=self.actor, institution=self.institution, year=self.year,
                           today=self.today, reason=reason, job_id=job_id,
                           expected=expected)  # fmt: skip

    def apply_changes(self, changes: list[LearnerChange], *, reason: str) -> int:
        return learners_apply_changes(
            changes, actor=self.actor, institution=self.institution, year=self.year,
            today=self.today, reason=reason,
        )  # fmt: skip


# --- New learners --------------------------------------------------------------------------

# The columns of learners_learner that differ from row to row, in table order.
PER_ROW = [
    "id", "full_name", "search_name", "date_of_birth", "sex", "personal_id", "ethnicity_code",
    "nationality", "address", "education_id", "current_class_id", "grade",
    "personal_id_status", "disability", "place_of_birth",
]  # fmt: skip


def _constants(model, overrides: dict[str, object]) -> dict[str, object]:
    """The value of every column of ``model`` that is the same on every new row."""
    return {f.attname: overrides.get(f.attname, f.get_default())
            for f in model._meta.concrete_fields}  # fmt: skip


def learners_admit(rows: list[LearnerRow], *, actor, institution, year, today, reason,
                   job_id: int | None = None) -> int:  # fmt: skip
    """Create learners from checked rows: the records with new education identifiers, an
    ``admit`` event each (carrying the import job), and their guardian."""
    if not rows:
        return 0
    with AdmitWriter(actor=actor, institution=institution, year=year, today=today,
                     reason=reason, job_id=job_id, expected=len(rows)) as writer:  # fmt: skip
        writer.add(rows)
    return writer.written


class AdmitWriter:
    model = Learner

    """Writes new learners as they are checked, batch by batch.

    On PostgreSQL the learner rows go into one COPY that stays open while the file is
    read, so the database stores one batch while the next is being checked; the events
    and guardians follow with COPY when the file ends. Elsewhere (SQLite) the rows are
    kept and written with ``bulk_create`` at the end. Primary keys and education
    identifiers are reserved ahead (``expected``: the dry run's count of new rows), and
    more are reserved if the file turns out to hold more.

    Who wrote the rows, when, why and from which file is the import job's own audit entry
    ("import.commit", with the file's SHA-256); each ``admit`` event names the job, so a
    learner's history leads to it. Later changes are audited one record at a time.
    """

    def __init__(self, *, actor, institution, year, today, reason, job_id, expected: int):
        self.actor, self.institution, self.year = actor, institution, year
        self.today, self.reason, self.job_id = today, reason, job_id
        self.expected = max(expected, 0)
        self.copy = bulk.uses_copy()
        self.written = 0
        self.ids: list[int] = []  # primary keys of the learners written, in file order
        self.rows: list[LearnerRow] = []  # the rows written (kept for the end)
        self.where: list[tuple[str, dict]] = []  # their sheet and its column labels
        self._pks: list[int] = []
        self._education_ids: list[str] = []
        self._next = 0
        self._stream = None
        self._events: list[str] = []
        self._guardians: list[str] = []

    # -- set-up ---------------------------------------------------------------------------

    def __enter__(self) -> AdmitWriter:
        now = timezone.now()
        self.now = now
        self.constants = _constants(Learner, {
            "institution_id": self.institution.pk, "ethnicity_list": ETHNICITY_LIST_1979,
            "status": LearnerStatus.STUDYING, "policy_categories": [],
            "enrolled_on": self.today, "version": 1, "created_at": now, "updated_at": now,
            "phone": "",
        })  # fmt: skip
        if self.copy:
            self._copy_templates()
            self._reserve(self.expected)
        return self

    def __exit__(self, kind, error, traceback) -> None:
        if error is not None:
            if self._stream is not None:
                self._stream.__exit__(kind, error, traceback)
                self._stream = None
            return
        self.close()

    def _reserve(self, count: int) -> None:
        """More primary keys and identifiers (never while a COPY is open)."""
        if count <= 0:
            return
        from truongso.learners.services import education_id_issue

        self._pks += bulk.reserve_ids(Learner._meta.db_table, count)
        self._education_ids += education_id_issue(institution=self.institution, count=count)

    # -- writing --------------------------------------------------------------------------

    def add(self, rows: list[LearnerRow], sheet: str = "", labels: dict | None = None) -> None:
        """Write ``rows`` (new learners, checked), read from ``sheet`` whose column labels
        by key are ``labels`` (for problems found after writing)."""
        if not rows:
            return
        self.where.extend([(sheet, labels or {})] * len(rows))
        if not self.copy:
            self.rows.extend(rows)
            self.written += len(rows)
            return
        missing = self._next + len(rows) - len(self._pks)
        if missing > 0:  # more new rows than the dry run counted
            self._close_stream()
            self._reserve(max(missing, 1000))
        if self._stream is None:
            self._open_stream()
        first = self._next
        pks = self._pks[first : first + len(rows)]
        education_ids = self._education_ids[first : first + len(rows)]
        self._next += len(rows)
        self._copy.write(self._learner_lines(rows, pks, education_ids))
        self._events.append(self._event_lines(rows, pks))
        if any(r.guardian_name for r in rows):
            self._guardians.append(self._guardian_lines(rows, pks))
        self.ids += pks
        self.rows.extend(rows)
        self.written += len(rows)

    def close(self) -> None:
        if not self.copy:
            self._write_objects()
            return
        self._close_stream()
        bulk.copy_lines(EnrolmentEvent._meta.db_table, self._event_columns, self._events)
        if self._guardians:
            bulk.copy_lines(Guardian._meta.db_table, self._guardian_columns, self._guardians)
        self._events, self._guardians = [], []

    def _open_stream(self) -> None:
        self._stream = bulk.copy_stream(Learner._meta.db_table, self._learner_columns)
        self._copy = self._stream.__enter__()

    def _close_stream(self) -> None:
        if self._stream is not None:
            self._stream.__exit__(None, None, None)
            self._stream = None

    # -- COPY lines -----------------------------------------------------------------------

    def _copy_templates(self) -> None:
        self._learner_columns = [f.column for f in Learner._meta.concrete_fields]
        self._learner_template = bulk.line_template(
            self._learner_columns, PER_ROW,
            {k: bulk.copy_value(v) for k, v in self.constants.items()},
        )  # fmt: skip
        self._default_nationality = self.constants["nationality"]
        self._event_columns = [
            f.column for f in EnrolmentEvent._meta.concrete_fields if f.name != "id"
        ]
        self._event_template = bulk.line_template(
            self._event_columns, ["learner_id", "school_year_id", "to_class_id", "grade"],
            {k: bulk.copy_value(v) for k, v in _constants(EnrolmentEvent, {
                "institution_id": self.institution.pk, "kind": EnrolmentEventKind.ADMIT,
                "occurred_on": self.today, "reason": self.reason, "actor_id": self.actor.pk,
                "import_job_id": self.job_id, "created_at": self.now,
            }).items()},
        )  # fmt: skip
        self._year_id = str(self.year.pk) if self.year else bulk.NULL
        self._guardian_columns = [
            f.column for f in Guardian._meta.concrete_fields if f.name != "id"
        ]
        self._guardian_template = bulk.line_template(
            self._guardian_columns, ["learner_id", "relationship", "full_name", "phone"],
            {k: bulk.copy_value(v) for k, v in _constants(
                Guardian, {"institution_id": self.institution.pk}).items()},
        )  # fmt: skip
        self._dates: dict[dt.date, str] = {}

    def _iso(self, day: dt.date | None) -> str:
        if day is None:
            return bulk.NULL
        found = self._dates.get(day)
        if found is None:
            found = self._dates[day] = day.isoformat()
        return found

    def _learner_lines(self, rows, pks, education_ids) -> str:
        NULL, text, iso = bulk.NULL, bulk.copy_text, self._iso
        template, nationality = self._learner_template, self._default_nationality
        return "".join(
            template % (
                pk, text(r.full_name), text(r.search_name), iso(r.date_of_birth), r.sex,
                r.personal_id, r.ethnicity_code, r.nationality or nationality,
                text(r.address), education_id, NULL if r.class_id is None else r.class_id,
                NULL if r.grade is None else r.grade, r.personal_id_status, r.disability,
                text(r.place_of_birth),
            )
            for r, pk, education_id in zip(rows, pks, education_ids, strict=True)
        )  # fmt: skip

    def _event_lines(self, rows, pks) -> str:
        NULL, template, year_id = bulk.NULL, self._event_template, self._year_id
        return "".join(
            template % (pk, NULL if r.class_id is None else year_id,
                        NULL if r.class_id is None else r.class_id,
                        NULL if r.grade is None else r.grade)
            for r, pk in zip(rows, pks, strict=True)
        )  # fmt: skip

    def _guardian_lines(self, rows, pks) -> str:
        text, template = bulk.copy_text, self._guardian_template
        return "".join(
            template % (pk, r.guardian_relationship, text(r.guardian_name),
                        text(r.guardian_phone))
            for r, pk in zip(rows, pks, strict=True) if r.guardian_name
        )  # fmt: skip

    # -- elsewhere: bulk_create -----------------------------------------------------------

    def _write_objects(self) -> None:
        from truongso.learners.services import education_id_issue

        rows = self.rows
        if not rows:
            return
        education_ids = education_id_issue(institution=self.institution, count=len(rows))
        learners = []
        for row, education_id in zip(rows, education_ids, strict=True):
            learner = Learner(**{k: v for k, v in self.constants.items() if k != "id"})
            for name in PER_ROW[1:]:
                setattr(learner, name, getattr(row, name, None))
            learner.current_class_id = row.class_id
            learner.nationality = row.nationality or self.constants["nationality"]
            learner.education_id = education_id
            learners.append(learner)
        Learner.objects.bulk_create(learners, batch_size=500)
        self.ids = [learner.pk for learner in learners]
        year = self.year
        EnrolmentEvent.objects.bulk_create([
            EnrolmentEvent(
                institution_id=self.institution.pk, learner_id=learner.pk,
                kind=EnrolmentEventKind.ADMIT, occurred_on=self.today,
                school_year_id=year.pk if (year and row.class_id) else None,
                to_class_id=row.class_id, grade=row.grade, reason=self.reason,
                actor=self.actor, import_job_id=self.job_id,
            )
            for row, learner in zip(rows, learners, strict=True)
        ], batch_size=1000)  # fmt: skip
        Guardian.objects.bulk_create([
            Guardian(institution_id=self.institution.pk, learner_id=learner.pk,
                     **_guardian_values(row))
            for row, learner in zip(rows, learners, strict=True) if row.guardian_name
        ], batch_size=1000)  # fmt: skip

    # -- numbers another school holds -----------------------------------------------------

    def taken_elsewhere(self) -> dict[int, str]:
        """The learners just written whose personal ID belongs to a learner of another
        institution (the check the engine leaves to the end when rows are streamed):
        primary key → personal ID."""
        from truongso.imports.selectors import personal_ids_taken_by_others

        return personal_ids_taken_by_others(Learner, institution=self.institution, ids=self.ids)

    def remove(self, pks: set[int]) -> None:
        """Take back learners written by this import (in its transaction)."""
        EnrolmentEvent.objects.filter(learner_id__in=pks).delete()
        Guardian.objects.filter(learner_id__in=pks).delete()
        Learner.objects.filter(pk__in=pks, institution=self.institution).delete()
        kept = [n for n, pk in enumerate(self.ids) if pk not in pks]
        self.ids = [self.ids[n] for n in kept]
        self.rows = [self.rows[n] for n in kept]
        self.where = [self.where[n] for n in kept]
        self.written = len(self.ids)


def _guardian_values(row: LearnerRow) -> dict[str, str]:
    return {"relationship": row.guardian_relationship, "full_name": row.guardian_name,
            "phone": row.guardian_phone}  # fmt: skip


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
