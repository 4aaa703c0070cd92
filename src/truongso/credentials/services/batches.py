"""Issuance batches: the candidates of one issuance, read from a spreadsheet (CSV, Excel,
OpenDocument) or taken from a class, checked row by row before anything is issued.

A batch with an error in any row cannot be issued; the principal fixes the file and
uploads it again. Issuing a checked batch issues every row or none.
"""

from __future__ import annotations

import datetime as dt
import tempfile
from pathlib import Path

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from truongso.accounts.access import can_issue_credentials, require, scope_for
from truongso.audit.services import audit_record
from truongso.core.rules.text import fold
from truongso.credentials.models import (
    Credential,
    CredentialStatus,
    CredentialType,
    IssuanceBatch,
)
from truongso.credentials.services.register import (
    Candidate,
    Issuance,
    candidate_problems,
    clean_candidate,
    credential_issue,
    issuance_problems,
)
from truongso.imports import readers
from truongso.imports.messages import problem_message
from truongso.imports.rules.columns import header_key
from truongso.imports.rules.dates import parse_date
from truongso.imports.rules.values import cell_text, parse_sex
from truongso.learners.models import Learner
from truongso.units.models import Institution

MAX_ROWS = 20_000
HEADER_SEARCH_ROWS = 10

# Column → (label in the template, other headers that mean the same, folded).
COLUMNS = {
    "holder_name": ("Họ và tên", ("ho va ten", "ho ten", "ten hoc sinh", "name", "full name")),
    "date_of_birth": ("Ngày sinh", ("ngay sinh", "ngay thang nam sinh", "date of birth", "dob")),
    "sex": ("Giới tính", ("gioi tinh", "sex", "gender")),
    "place_of_birth": ("Nơi sinh", ("noi sinh", "place of birth")),
    "classification": ("Xếp loại", ("xep loai", "xep loai tot nghiep", "classification")),
    "field_of_study": ("Ngành", ("nganh", "nganh nghe", "nganh dao tao", "major")),
    "field_of_study_en": (
        "Ngành tiếng Anh",
        ("nganh tieng anh", "nganh nghe tieng anh", "major in english", "major english"),
    ),
    "education_id": ("Mã định danh", ("ma dinh danh", "ma hoc sinh", "education id")),
}
_BY_HEADER = {
    alias: key for key, (label, aliases) in COLUMNS.items() for alias in (fold(label), *aliases)
}
SEX_LABELS = {"M": "Nam", "F": "Nữ"}


def template_headers() -> list[str]:
    return [label for label, _aliases in COLUMNS.values()]


def _problem(row: int | None, column: str, message: str, severity: str = "error") -> dict:
    return {"row": row, "column": column, "message": message, "severity": severity}


def _may_issue(actor, institution: Institution) -> None:
    require(can_issue_credentials(scope_for(actor), institution))


def _header(rows: list[list[object]]) -> tuple[int, dict[int, str]] | None:
    for number, cells in enumerate(rows[:HEADER_SEARCH_ROWS]):
        mapping = {}
        for position, cell in enumerate(cells):
            key = _BY_HEADER.get(header_key(cell))
            if key and key not in mapping.values():
                mapping[position] = key
        if {"holder_name", "date_of_birth"} <= set(mapping.values()):
            return number, mapping
    return None


def read_candidate_file(path: Path, name: str) -> tuple[list[dict], list[dict]]:
    """Rows and problems from a spreadsheet; rows are plain dicts (JSON-ready)."""
    try:
        kind = readers.file_type(path, name)
        sheets, _encoding = readers.read_sheets(path, kind)
    except readers.FileProblem as problem:
        return [], [_problem(None, "", problem_message(problem.code, problem.params))]
    if not sheets:
        return [], [_problem(None, "", _("Tệp không có trang tính nào."))]
    rows = []
    for cells in sheets[0].rows:
        rows.append(list(cells))
        if len(rows) > MAX_ROWS + HEADER_SEARCH_ROWS:
            return [], [_problem(None, "", _("Tệp có quá %(n)s dòng.") % {"n": MAX_ROWS})]
    found = _header(rows)
    if found is None:
        message = _("Không tìm thấy dòng tiêu đề có các cột “%(a)s” và “%(b)s”.") % {
            "a": COLUMNS["holder_name"][0], "b": COLUMNS["date_of_birth"][0],
        }  # fmt: skip
        return [], [_problem(None, "", message)]
    header_row, mapping = found
    today = timezone.localdate()
    result, problems = [], []
    for offset, cells in enumerate(rows[header_row + 1 :], start=header_row + 2):
        values = {key: cells[i] if i < len(cells) else None for i, key in mapping.items()}
        if all(cell_text(v) == "" for v in values.values()):
            continue
        row = {key: cell_text(values.get(key)) for key in COLUMNS if key != "date_of_birth"}
        row["row"] = offset
        born, code = parse_date(values.get("date_of_birth"), today)
        row["date_of_birth"] = born.isoformat() if born else None
        if code:
            value = cell_text(values.get("date_of_birth"))
            problems.append(
                _problem(
                    offset, COLUMNS["date_of_birth"][0], problem_message(code, {"value": value})
                )
            )
        if row["sex"]:
            sex = parse_sex(row["sex"])
            if sex is None:
                problems.append(
                    _problem(offset, COLUMNS["sex"][0], _("Giới tính là “Nam” hoặc “Nữ”."))
                )
            row["sex"] = sex or ""
        result.append(row)
    if not result:
        problems.append(_problem(None, "", _("Không có dòng dữ liệu nào dưới dòng tiêu đề.")))
    return result, problems


def _candidate(row: dict) -> Candidate:
    born = row.get("date_of_birth")
    return Candidate(
        holder_name=row.get("holder_name", ""),
        date_of_birth=dt.date.fromisoformat(born) if born else None,
        sex=row.get("sex", ""),
        place_of_birth=row.get("place_of_birth", ""),
        classification=row.get("classification", ""),
        field_of_study=row.get("field_of_study", ""),
        field_of_study_en=row.get("field_of_study_en", ""),
        learner_id=row.get("learner_id"),
    )


def _labels() -> dict[str, str]:
    return {key: label for key, (label, _aliases) in COLUMNS.items()}


def check_rows(
    institution: Institution, issuance: Issuance, rows: list[dict]
) -> tuple[list[dict], list[dict]]:
    """Link learners, check each row and the register; returns (rows, problems)."""
    labels = _labels()
    problems = []
    ids = {row["education_id"] for row in rows if row.get("education_id")}
    learners = {
        education_id: (pk, name, born)
        for education_id, pk, name, born in Learner.objects.filter(
            institution=institution, education_id__in=ids
        ).values_list("education_id", "pk", "search_name", "date_of_birth")
    }
    seen: dict[tuple[str, str], int] = {}
    people = {(fold(r.get("holder_name", "")), r.get("date_of_birth") or "") for r in rows}
    issued = {
        (search_name, born.isoformat()): number
        for search_name, born, number in Credential.objects.filter(
            institution=institution,
            credential_type=issuance.credential_type,
            search_name__in={name for name, _born in people},
        )
        .exclude(status=CredentialStatus.REVOKED)
        .values_list("search_name", "date_of_birth", "diploma_number")
    }
    for row in rows:
        number = row.get("row")
        education_id = row.get("education_id")
        if education_id and "learner_id" not in row:
            found = learners.get(education_id)
            row["learner_id"] = found[0] if found else None
            if found is None:
                problems.append(_problem(
                    number, labels["education_id"],
                    _("Không có học sinh mã định danh %(id)s ở trường; văn bằng vẫn được cấp "
                      "nhưng không gắn với hồ sơ học sinh.") % {"id": education_id},
                    "warning",
                ))  # fmt: skip
            elif found[1] != fold(row.get("holder_name", "")) or (
                found[2] and found[2].isoformat() != row.get("date_of_birth")
            ):
                name = Learner.objects.get(pk=found[0]).full_name
                problems.append(_problem(
                    number, labels["education_id"],
                    _("Mã định danh %(id)s là của học sinh %(name)s, khác họ tên hoặc ngày "
                      "sinh ở dòng này. Hãy kiểm tra lại.") % {"id": education_id, "name": name},
                    "warning",
                ))  # fmt: skip
        candidate = clean_candidate(_candidate(row))
        row["holder_name"] = candidate.holder_name
        for field, message in candidate_problems(candidate, issuance):
            problems.append(_problem(number, labels.get(field, ""), message))
        person = (fold(candidate.holder_name), row.get("date_of_birth") or "")
        if person[0] and person[1]:
            if person in seen:
                problems.append(_problem(
                    number, labels["holder_name"],
                    _("Trùng với dòng %(row)s (cùng họ tên và ngày sinh).") % {"row": seen[person]},
                ))  # fmt: skip
            seen.setdefault(person, number)
            if person in issued:
                problems.append(_problem(
                    number, labels["holder_name"],
                    _("Người này đã được cấp loại văn bằng này (số hiệu %(number)s). Văn bằng "
                      "chỉ cấp một lần; hãy dùng cấp lại hoặc chỉnh sửa.")
                    % {"number": issued[person]},
                ))  # fmt: skip
    return rows, problems


def _issuance_of(batch: IssuanceBatch) -> Issuance:
    return Issuance(
        credential_type=batch.credential_type,
        issue_date=batch.issue_date,
        graduation_year=batch.graduation_year,
        signer_name=batch.signer_name,
        signer_title=batch.signer_title,
    )


@transaction.atomic
def _batch_create(*, actor, institution, issuance, rows, problems, source) -> IssuanceBatch:
    _may_issue(actor, institution)
    found = issuance_problems(institution, issuance)
    if found:
        raise ValidationError(found)
    rows, row_problems = check_rows(institution, issuance, rows)
    batch = IssuanceBatch.objects.create(
        institution=institution,
        credential_type=issuance.credential_type,
        issue_date=issuance.issue_date,
        graduation_year=issuance.graduation_year,
        signer_name=issuance.signer_name.strip(),
        signer_title=issuance.signer_title.strip(),
        source=source[:200],
        rows=rows,
        problems=problems + row_problems,
        created_by=actor if getattr(actor, "pk", None) else None,
    )
    audit_record(
        actor=actor, action="issuance_batch.create", instance=batch, before=None,
        after={"rows": len(rows), "problems": len(batch.problems), "source": batch.source},
    )  # fmt: skip
    return batch


def issuance_batch_from_file(
    *, actor, institution: Institution, issuance: Issuance, upload
) -> IssuanceBatch:
    """Read candidates from an uploaded spreadsheet into a batch to check."""
    _may_issue(actor, institution)
    name = getattr(upload, "name", "") or "upload"
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "candidates"
        with open(path, "wb") as handle:
            for chunk in upload.chunks():
                handle.write(chunk)
        rows, problems = read_candidate_file(path, name)
    return _batch_create(
        actor=actor, institution=institution, issuance=issuance, rows=rows,
        problems=problems, source=name,
    )  # fmt: skip


def issuance_batch_from_learners(
    *, actor, institution: Institution, issuance: Issuance, learners, source: str = ""
) -> IssuanceBatch:
    """Candidates from learner records (e.g. a graduating class)."""
    rows = []
    for position, learner in enumerate(learners, start=1):
        if learner.institution_id != institution.pk:
            raise ValidationError(_("Có học sinh không thuộc trường này."))
        rows.append({
            "row": position,
            "holder_name": learner.full_name,
            "date_of_birth": learner.date_of_birth.isoformat() if learner.date_of_birth else None,
            "sex": learner.sex,
            "place_of_birth": learner.place_of_birth,
            "classification": "",
            "field_of_study": "",
            "field_of_study_en": "",
            "education_id": learner.education_id or "",
            "learner_id": learner.pk,
        })  # fmt: skip
    return _batch_create(
        actor=actor, institution=institution, issuance=issuance, rows=rows, problems=[],
        source=source,
    )  # fmt: skip


@transaction.atomic
def issuance_batch_issue(*, actor, batch: IssuanceBatch) -> list[Credential]:
    """Issue every row of a checked batch (all or none)."""
    _may_issue(actor, batch.institution)
    batch = IssuanceBatch.objects.select_for_update().get(pk=batch.pk)
    if batch.state != IssuanceBatch.State.DRAFT:
        raise ValidationError(_("Đợt cấp này đã được cấp hoặc đã hủy."))
    issuance = _issuance_of(batch)
    rows, problems = check_rows(batch.institution, issuance, [dict(r) for r in batch.rows])
    if any(p["severity"] == "error" for p in problems) or batch.has_errors:
        batch.problems = [p for p in batch.problems if p["row"] is None] + problems
        batch.save(update_fields=["problems"])
        raise ValidationError(_("Danh sách còn lỗi; hãy sửa tệp rồi tải lên lại."))
    credentials = credential_issue(
        actor=actor, institution=batch.institution, issuance=issuance,
        candidates=[_candidate(r) for r in rows], batch=batch,
    )  # fmt: skip
    batch.state = IssuanceBatch.State.ISSUED
    batch.issued_at = timezone.now()
    batch.save(update_fields=["state", "issued_at"])
    return credentials


@transaction.atomic
def issuance_batch_cancel(*, actor, batch: IssuanceBatch) -> IssuanceBatch:
    _may_issue(actor, batch.institution)
    if batch.state != IssuanceBatch.State.DRAFT:
        raise ValidationError(_("Đợt cấp này đã được cấp hoặc đã hủy."))
    batch.state = IssuanceBatch.State.CANCELLED
    batch.save(update_fields=["state"])
    audit_record(
        actor=actor, action="issuance_batch.cancel", instance=batch, before=None, after=None
    )
    return batch


def credential_types_for(institution: Institution):
    """The kinds of credential this institution may issue (some only until a date)."""
    return [
        kind
        for kind in CredentialType.objects.filter(is_active=True).order_by("kind", "name")
        if not kind.institution_kinds or institution.kind in kind.institution_kinds
    ]
