"""Writes for imports: receive a file, check it (dry run), write it (commit).

A file is checked first: every row is read and checked, nothing is written, and the
problems are stored for the report. Writing checks the file again (the database may
have changed) and writes in one transaction: either every valid row (rows with errors
skipped) or, in all-or-nothing mode, every row — refused while any row has an error.
Files with more rows than IMPORT_INLINE_MAX_ROWS are checked and written by a
background task, which records its progress on the job.
"""

from __future__ import annotations

import hashlib
import logging
import time
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import DEFAULT_DB_ALIAS, DatabaseError, connections, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from truongso.accounts.access import require, scope_for
from truongso.audit.services import audit_record
from truongso.imports import bulk, engine
from truongso.imports.kinds import importer_for
from truongso.imports.messages import problem_message
from truongso.imports.models import CommitMode, ImportJob, ImportKind, ImportProblem, ImportStatus
from truongso.imports.readers import FileProblem, count_rows, file_type
from truongso.imports.rules import problems as P
from truongso.imports.selectors import numbers_used_elsewhere
from truongso.units.models import Institution

logger = logging.getLogger(__name__)
MB = 1024 * 1024


def _may_import(actor, institution_id: int) -> None:
    require(scope_for(actor).manages(institution_id))


def import_job_create(*, actor, institution: Institution, kind: str, upload) -> ImportJob:
    """Keep the uploaded file (under MEDIA_ROOT/private) and open a job for it.

    Raises ValidationError for a file that is empty, too large or not a spreadsheet."""
    _may_import(actor, institution.pk)
    if kind not in ImportKind.values:
        raise ValidationError({"kind": _("Loại dữ liệu không hợp lệ.")})
    limit = settings.IMPORT_MAX_FILE_BYTES
    if not upload.size:
        raise ValidationError({"file": problem_message(P.FILE_EMPTY, {})})
    if upload.size > limit:
        params = {"size": f"{upload.size / MB:.1f}", "max": f"{limit / MB:.0f}"}
        raise ValidationError({"file": problem_message(P.FILE_TOO_LARGE, params)})
    digest = hashlib.sha256()
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    job = ImportJob(
        institution=institution, kind=kind, created_by=actor,
        original_name=Path(upload.name or "").name[:255] or "import", size_bytes=upload.size,
        sha256=digest.hexdigest(),
    )  # fmt: skip
    job.file.save(job.original_name, upload, save=False)
    path = Path(job.file.path)
    try:
        job.rows_total = count_rows(path, file_type(path, job.original_name))
    except FileProblem as problem:
        job.file.delete(save=False)
        raise ValidationError({"file": problem_message(problem.code, problem.params)})
    job.save()
    audit_record(actor=actor, action="import.upload", instance=job, before=None,
                 after={"kind": kind, "file": job.original_name, "sha256": job.sha256,
                        "size_bytes": job.size_bytes})  # fmt: skip
    return job


def runs_in_background(job: ImportJob) -> bool:
    return job.rows_total > settings.IMPORT_INLINE_MAX_ROWS


def import_job_check_start(*, actor, job: ImportJob) -> ImportJob:
    """Check now, or in the background for a large file."""
    _may_import(actor, job.institution_id)
    if runs_in_background(job):
        from truongso.imports.tasks import import_job_check_task

        import_job_check_task.enqueue(job.pk, actor.pk)
        job.refresh_from_db()
        return job
    return import_job_check(actor=actor, job=job)


def _progress(job: ImportJob):
    def report(done: int) -> None:
        ImportJob.objects.filter(pk=job.pk).update(rows_done=done)

    return report


class _ProgressAside:
    """Progress of a streamed write, told on a connection of its own (the job's own
    connection is busy with COPY, and its transaction is not visible until the end)."""

    def __init__(self, job: ImportJob):
        self.job_id = job.pk
        self.connection = connections.create_connection(DEFAULT_DB_ALIAS)

    def __call__(self, done: int) -> None:
        try:
            with self.connection.cursor() as cursor:
                cursor.execute(
                    "UPDATE imports_importjob SET rows_done = %s WHERE id = %s",
                    [done, self.job_id],
                )
        except DatabaseError:  # progress is a courtesy; the write goes on
            logger.warning("import job %s: progress not recorded", self.job_id)

    def close(self) -> None:
        self.connection.close()


def import_job_check(*, actor, job: ImportJob) -> ImportJob:
    """The dry run: read and check every row, store the problems and the counts."""
    _may_import(actor, job.institution_id)
    ImportJob.objects.filter(pk=job.pk).update(status=ImportStatus.CHECKING, rows_done=0)
    try:
        importer = importer_for(job.kind, actor=actor, institution=job.institution)
        outcome = engine.run(importer, Path(job.file.path), keep=False, progress=_progress(job))
    except Exception as error:  # noqa: BLE001 - the job must not stay "checking" forever
        logger.error("import job %s: check failed (%s)", job.pk, type(error).__name__)
        job.status = ImportStatus.REJECTED
        job.failure = _("Không kiểm tra được tệp do lỗi hệ thống. Hãy thử lại sau.")
        job.save()
        return job
    _store(job, outcome)
    job.status = ImportStatus.REJECTED if outcome.fatal else ImportStatus.CHECKED
    job.checked_at = timezone.now()
    job.failure = ""
    job.save()
    return job


def _store(job: ImportJob, outcome: engine.Outcome) -> None:
    """Replace the job's problems and counts by those of ``outcome``."""
    job.encoding = outcome.encoding
    job.rows_done = job.rows_total = max(job.rows_total, outcome.rows_done)
    job.count_new, job.count_updated = outcome.new, outcome.updated
    job.count_unchanged, job.count_error_rows = outcome.unchanged, outcome.error_rows
    job.count_warning_rows, job.count_empty_rows = outcome.warning_rows, outcome.empty_rows
    job.file_errors = outcome.fatal
    sheets: dict[str, int] = {}
    for item in outcome.problems:
        sheets.setdefault(item.sheet, len(sheets))
    # By sheet, then row (file-level problems first); stable, so a row keeps its order.
    problems = sorted(outcome.problems, key=lambda p: (sheets[p.sheet], p.row or 0))
    if outcome.problems_left_out:
        problems.append(engine.Located("", None, "", P.info(
            P.TOO_MANY_PROBLEMS, count=outcome.problems_left_out)))  # fmt: skip
    with transaction.atomic():
        ImportProblem.objects.filter(job=job).delete()
        ImportProblem.objects.bulk_create(
            (
                ImportProblem(
                    job=job, institution_id=job.institution_id, sheet=item.sheet[:100],
                    row=item.row, column=item.column[:150], code=item.problem.code,
                    severity=item.problem.severity, params=item.problem.params,
                    message=problem_message(item.problem.code, item.problem.params),
                )
                for item in problems
            ),
            batch_size=2000,
        )  # fmt: skip


def import_job_commit(*, actor, job: ImportJob, mode: str) -> ImportJob:
    """Ask for the checked file to be written: now, or in the background when large."""
    _may_import(actor, job.institution_id)
    if mode not in CommitMode.values:
        raise ValidationError({"mode": _("Hãy chọn cách ghi dữ liệu.")})
    with transaction.atomic():
        job = ImportJob.objects.select_for_update().get(pk=job.pk)
        if job.status != ImportStatus.CHECKED or job.file_errors:
            raise ValidationError(_("Tệp này chưa được kiểm tra xong hoặc đã được ghi."))
        if mode == CommitMode.ALL_OR_NOTHING and job.count_error_rows:
            raise ValidationError(
                _("Còn %(count)s dòng có lỗi: hãy sửa tệp rồi tải lên lại, hoặc chọn ghi các "
                  "dòng hợp lệ.") % {"count": job.count_error_rows}
            )  # fmt: skip
        job.status, job.mode, job.rows_done = ImportStatus.WRITING, mode, 0
        job.committed_by = actor
        job.failure = ""
        job.save()
    if runs_in_background(job):
        from truongso.imports.tasks import import_job_write_task

        import_job_write_task.enqueue(job.pk, actor.pk)
        job.refresh_from_db()
        return job
    return import_job_write(actor=actor, job=job)


def import_job_write(*, actor, job: ImportJob) -> ImportJob:
    """Check the file again and write it, all in one transaction."""
    _may_import(actor, job.institution_id)
    job.refresh_from_db()
    if job.status != ImportStatus.WRITING:
        raise ValidationError(_("Tệp này không ở trạng thái chờ ghi."))
    try:
        started = time.perf_counter()
        importer = importer_for(job.kind, actor=actor, institution=job.institution)
        if _streams(importer, job):
            return _write_streaming(actor=actor, job=job, importer=importer)
        outcome = engine.run(importer, Path(job.file.path), keep=True, progress=_progress(job))
        checked = time.perf_counter()
        logger.debug("import job %s: read and checked in %.2f s", job.pk, checked - started)
        refused = outcome.fatal or (job.mode == CommitMode.ALL_OR_NOTHING and outcome.error_rows)
        if refused:
            _store(job, outcome)
            job.status = ImportStatus.REJECTED if outcome.fatal else ImportStatus.CHECKED
            job.failure = _("Kiểm tra lại trước khi ghi thấy lỗi mới: không có gì được ghi.")
            job.save()
            return job
        reason = _reason(job)
        with transaction.atomic():
            written_new, written_updated = importer.write(
                outcome.new_rows, outcome.changes, reason=reason, job_id=job.pk
            )
            _done(actor, job, outcome, written_new, written_updated)
        logger.debug("import job %s: written in %.2f s (commit included)", job.pk,
                     time.perf_counter() - checked)  # fmt: skip
    except Exception as error:  # noqa: BLE001 - nothing was written; say so and keep the job
        logger.error("import job %s: write failed (%s)", job.pk, type(error).__name__)
        ImportJob.objects.filter(pk=job.pk).update(
            status=ImportStatus.CHECKED,
            failure=_("Ghi dữ liệu không thành công, không có gì được ghi. Hãy thử lại."),
        )
        job.refresh_from_db()
    return job


def _reason(job: ImportJob) -> str:
    return _("Nhập từ tệp %(name)s (lần nhập số %(id)s)") % {
        "name": job.original_name, "id": job.pk}  # fmt: skip


def _done(actor, job: ImportJob, outcome, written_new: int, written_updated: int) -> None:
    """Record a written job (inside the writing transaction) with its audit entry: who
    wrote which file (its SHA-256), when, why, and what it did."""
    _store(job, outcome)
    job.written_new, job.written_updated = written_new, written_updated
    job.status, job.committed_at = ImportStatus.DONE, timezone.now()
    job.save()
    audit_record(actor=actor, action="import.commit", instance=job, before=None, after={
        "kind": job.kind, "file": job.original_name, "sha256": job.sha256,
        "mode": job.mode, "new": written_new, "updated": written_updated,
        "unchanged": outcome.unchanged, "error_rows": outcome.error_rows,
    }, reason=_reason(job))  # fmt: skip


def _streams(importer, job: ImportJob) -> bool:
    """Write new rows while the file is checked: on PostgreSQL, for a kind that can, and
    when no error found on the way can undo a row already written — all or nothing (any
    error undoes everything), or a dry run without errors (a row refused now is simply
    not written: a duplicate in the file refuses the later row, never the earlier)."""
    return (
        bulk.uses_copy()
        and hasattr(importer, "admit_writer")
        and (job.mode == CommitMode.ALL_OR_NOTHING or not job.count_error_rows)
    )


class _Refused(Exception):
    def __init__(self, outcome: engine.Outcome):
        super().__init__("refused")
        self.outcome = outcome


def _write_streaming(*, actor, job: ImportJob, importer) -> ImportJob:
    """Check and write in one pass and one transaction (engine.run with a ``sink``)."""
    started = time.perf_counter()
    reason = _reason(job)
    progress = _ProgressAside(job)
    try:
        with transaction.atomic():
            with importer.admit_writer(
                reason=reason, job_id=job.pk, expected=job.count_new
            ) as writer:
                outcome = engine.run(
                    importer, Path(job.file.path), keep=True, progress=progress, sink=writer.add
                )
                if outcome.fatal or (job.mode == CommitMode.ALL_OR_NOTHING and outcome.error_rows):
                    raise _Refused(outcome)
            logger.debug("import job %s: read, checked and streamed in %.2f s", job.pk,
                         time.perf_counter() - started)  # fmt: skip
            _numbers_elsewhere(job, writer, outcome)
            if job.mode == CommitMode.ALL_OR_NOTHING and outcome.error_rows:
                raise _Refused(outcome)
            written_updated = importer.apply_changes(outcome.changes, reason=reason)
            _done(actor, job, outcome, writer.written, written_updated)
    except _Refused as refused:
        _store(job, refused.outcome)
        job.status = ImportStatus.REJECTED if refused.outcome.fatal else ImportStatus.CHECKED
        job.failure = _("Kiểm tra lại trước khi ghi thấy lỗi mới: không có gì được ghi.")
        job.save()
    finally:
        progress.close()
    logger.debug("import job %s: written in %.2f s (commit included)", job.pk,
                 time.perf_counter() - started)  # fmt: skip
    return job


def _numbers_elsewhere(job: ImportJob, writer, outcome: engine.Outcome) -> None:
    """The check a streamed write leaves to the end, once the rows are in: a personal ID
    that belongs to a learner of another institution refuses its row (taken back again),
    and an unknown education identifier that another institution uses is said to be so."""
    taken = writer.taken_elsewhere()
    if taken:
        position = {pk: n for n, pk in enumerate(writer.ids)}
        for pk, personal_id in sorted(taken.items()):
            n = position[pk]
            sheet, labels = writer.where[n]
            outcome.add(engine.Located(
                sheet, writer.rows[n].row, labels.get("personal_id", ""),
                P.error(P.DUP_DB_PID_ELSEWHERE, "personal_id", value=personal_id),
            ))  # fmt: skip
        outcome.new -= len(taken)
        outcome.error_rows += len(taken)
        if job.mode != CommitMode.ALL_OR_NOTHING:
            writer.remove(set(taken))
    unknown = {
        item.problem.params.get("value")
        for item in outcome.problems
        if item.problem.code == P.EDU_ID_UNKNOWN
    }
    if unknown:
        _pids, elsewhere = numbers_used_elsewhere(
            type(writer).model, institution=job.institution, personal_ids=set(),
            education_ids=unknown,
        )  # fmt: skip
        for item in outcome.problems:
            problem = item.problem
            if problem.code == P.EDU_ID_UNKNOWN and problem.params.get("value") in elsewhere:
                item.problem = P.error(P.EDU_ID_ELSEWHERE, problem.column, **problem.params)
