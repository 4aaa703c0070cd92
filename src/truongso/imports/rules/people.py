"""Matching people in a file (learners, staff) with each other and with the school's
records: duplicates within the file, the record each row updates, and identification
numbers already used by someone else."""

from __future__ import annotations

import datetime as dt
from typing import Any, Protocol

from truongso.imports.rules import problems as P

NEW, UPDATED, UNCHANGED, REJECTED = "new", "updated", "unchanged", "rejected"


class Person(Protocol):
    id: int
    education_id: str
    full_name: str
    search_name: str
    date_of_birth: dt.date | None
    personal_id: str


class RowLike(Protocol):
    row: int
    education_id: str
    full_name: str
    search_name: str
    date_of_birth: dt.date | None
    personal_id: str


class PersonPlanner:
    """Decides for each checked row: new, updated, unchanged, or rejected (adding the
    duplicate and matching problems to the row's problems). Subclasses say what changes."""

    def __init__(self, existing: list[Any]):
        self.by_education_id = {e.education_id: e for e in existing if e.education_id}
        self.by_personal_id: dict[str, Any] = {}
        self.by_name_dob: dict[tuple[str, dt.date | None], list[Any]] = {}
        for e in existing:
            if e.personal_id:
                self.by_personal_id.setdefault(e.personal_id, e)
            self.by_name_dob.setdefault((e.search_name, e.date_of_birth), []).append(e)
        self.seen_personal_id: dict[str, int] = {}
        self.seen_name_dob: dict[tuple[str, dt.date], int] = {}
        self.seen_education_id: dict[str, int] = {}
        self.seen_person: dict[int, int] = {}

    def change(self, row: Any, existing: Any) -> Any | None:
        raise NotImplementedError

    def plan(
        self,
        row: RowLike,
        problems: list[P.Problem],
        *,
        personal_id_elsewhere: bool = False,
        education_id_elsewhere: bool = False,
    ) -> tuple[str, Any]:
        """``*_elsewhere``: the number belongs to someone of another institution."""
        self._duplicates_in_file(row, problems)
        match = self._match(row, problems, education_id_elsewhere)
        if row.personal_id:
            owner = self.by_personal_id.get(row.personal_id)
            if owner is not None and (match is None or owner.id != match.id):
                problems.append(P.error(
                    P.DUP_DB_PID_HERE, "personal_id", value=row.personal_id,
                    name=owner.full_name, code=owner.education_id or "",
                ))  # fmt: skip
            elif owner is None and personal_id_elsewhere:
                problems.append(P.error(P.DUP_DB_PID_ELSEWHERE, "personal_id",
                                        value=row.personal_id))  # fmt: skip
        if match is not None:
            other = self.seen_person.setdefault(match.id, row.row)
            if other != row.row:
                problems.append(P.error(P.DUP_FILE_SAME_LEARNER, "", other_row=other,
                                        name=match.full_name))  # fmt: skip
        for problem in problems:
            if problem.severity == P.ERROR:
                return REJECTED, None
        if match is None:
            return NEW, None
        change = self.change(row, match)
        return (UPDATED, change) if change is not None else (UNCHANGED, None)

    def _duplicates_in_file(self, row: RowLike, problems: list[P.Problem]) -> None:
        if row.education_id:
            other = self.seen_education_id.setdefault(row.education_id, row.row)
            if other != row.row:
                problems.append(P.error(P.DUP_FILE_EDU_ID, "education_id",
                                        value=row.education_id, other_row=other))  # fmt: skip
        if row.personal_id:
            other = self.seen_personal_id.setdefault(row.personal_id, row.row)
            if other != row.row:
                problems.append(P.error(P.DUP_FILE_PID, "personal_id", value=row.personal_id,
                                        other_row=other))  # fmt: skip
        if row.search_name and row.date_of_birth:
            other = self.seen_name_dob.setdefault((row.search_name, row.date_of_birth), row.row)
            if other != row.row:
                problems.append(P.error(
                    P.DUP_FILE_NAME_DOB, "full_name", name=row.full_name,
                    date=row.date_of_birth.strftime("%d/%m/%Y"), other_row=other,
                ))  # fmt: skip

    def _match(self, row: RowLike, problems: list[P.Problem], education_id_elsewhere: bool):
        if row.education_id:
            match = self.by_education_id.get(row.education_id)
            if match is None:
                code = P.EDU_ID_ELSEWHERE if education_id_elsewhere else P.EDU_ID_UNKNOWN
                problems.append(P.error(code, "education_id", value=row.education_id))
            return match
        if row.personal_id and row.personal_id in self.by_personal_id:
            return self.by_personal_id[row.personal_id]
        if not row.search_name:
            return None
        candidates = self.by_name_dob.get((row.search_name, row.date_of_birth), [])
        if len(candidates) > 1:
            problems.append(P.error(P.NAME_DOB_AMBIGUOUS, "full_name", name=row.full_name,
                                    count=len(candidates)))  # fmt: skip
            return None
        return candidates[0] if candidates else None


def changed_fields(row: Any, existing: Any, compared: tuple[str, ...]) -> dict[str, Any]:
    """The compared fields where the row holds a value different from the record's (an
    empty cell never erases a value)."""
    fields: dict[str, Any] = {}
    for name in compared:
        value = getattr(row, name)
        if value not in ("", None) and value != getattr(existing, name):
            fields[name] = value
    return fields
