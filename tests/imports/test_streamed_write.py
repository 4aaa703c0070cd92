"""Writing while checking (PostgreSQL streams new rows into COPY as the file is read).

The numbers another institution holds are then checked once the rows are in, so these
tests change the database between the dry run and the commit: the commit must find
what the dry run could not, say where, and write nothing it should not. The same tests
run on SQLite, where rows are checked first and written after; the outcome must be the
same.
"""

from __future__ import annotations

import datetime as dt

from django.db import connection

from tests.imports.conftest import csv_upload
from tests.imports.test_learner_import import CLEAN, _problems, _upload_and_check
from truongso.audit.models import AuditEntry
from truongso.imports import services
from truongso.imports.models import ImportStatus
from truongso.learners.models import EnrolmentEvent, Guardian, Learner
from truongso.learners.services import learner_create

HOA_PID = "001314555555"  # Đinh Thị Hoa, row 2 of CLEAN


def _hoa_enrols_at_school_b(world):
    return learner_create(
        actor=world.principal_b,
        institution=world.school_b,
        fields={"full_name": "Đinh Thị Hoa", "sex": "F", "date_of_birth": dt.date(2014, 2, 3),
                "personal_id": HOA_PID},
    )  # fmt: skip


def _counts():
    return (
        Learner.objects.count(),
        EnrolmentEvent.objects.count(),
        Guardian.objects.count(),
        AuditEntry.objects.filter(action="import.commit").count(),
    )


ELSEWHERE = (
    "",  # a CSV file has one sheet, without a name
    2,
    "Số định danh cá nhân",
    "dup_db_pid_elsewhere",
    "error",
)


def test_all_or_nothing_refuses_a_number_taken_since_the_dry_run(world):
    job = _upload_and_check(world, csv_upload(CLEAN))
    assert (job.count_new, job.count_error_rows) == (2, 0)
    _hoa_enrols_at_school_b(world)
    before = _counts()
    job = services.import_job_commit(actor=world.principal_a, job=job, mode="all_or_nothing")
    assert job.status == ImportStatus.CHECKED
    assert job.failure == "Kiểm tra lại trước khi ghi thấy lỗi mới: không có gì được ghi."
    assert _counts() == before
    assert [p[:5] for p in _problems(job) if p[3] == "dup_db_pid_elsewhere"] == [ELSEWHERE]
    assert (job.count_new, job.count_error_rows) == (1, 1)


def test_valid_rows_leaves_out_a_number_taken_since_the_dry_run(world):
    job = _upload_and_check(world, csv_upload(CLEAN))
    _hoa_enrols_at_school_b(world)
    learners, events, guardians, commits = _counts()
    job = services.import_job_commit(actor=world.principal_a, job=job, mode="valid_rows")
    assert job.status == ImportStatus.DONE
    assert (job.written_new, job.written_updated) == (1, 0)
    assert (job.count_new, job.count_error_rows) == (1, 1)
    # Khải is written; Hoa of school A is not (nor her guardian, nor her event).
    assert _counts() == (learners + 1, events + 1, guardians, commits + 1)
    assert Learner.objects.filter(full_name="Âu Văn Khải", institution=world.school_a).exists()
    assert not Learner.objects.filter(personal_id=HOA_PID, institution=world.school_a).exists()
    if connection.vendor == "postgresql":  # the planner is left as it was found
        with connection.cursor() as cursor:
            cursor.execute("SHOW enable_nestloop")
            assert cursor.fetchone()[0] == "on"
    assert [p[:5] for p in _problems(job) if p[3] == "dup_db_pid_elsewhere"] == [ELSEWHERE]
    commit = AuditEntry.objects.get(action="import.commit")
    assert (commit.after["new"], commit.after["error_rows"]) == (1, 1)


def test_more_new_rows_than_the_dry_run_counted_are_all_written(world):
    job = _upload_and_check(world, csv_upload(CLEAN))
    # Fewer identifiers reserved ahead than needed: more are reserved on the way.
    job.count_new = 0
    job.save(update_fields=["count_new"])
    job = services.import_job_commit(actor=world.principal_a, job=job, mode="all_or_nothing")
    assert job.status == ImportStatus.DONE
    assert job.written_new == 2
    created = Learner.objects.filter(
        institution=world.school_a, full_name__in=["Đinh Thị Hoa", "Âu Văn Khải"]
    )
    assert created.count() == 2
    assert len(set(created.values_list("education_id", flat=True))) == 2
    assert EnrolmentEvent.objects.filter(learner__in=created, import_job_id=job.pk).count() == 2
    assert list(Guardian.objects.filter(learner__in=created).values_list("full_name", "phone")) == [
        ("Đinh Văn Lực", "0987654321")
    ]


def test_a_streamed_job_reports_its_rows_and_its_counts(world):
    job = _upload_and_check(world, csv_upload(CLEAN))
    job = services.import_job_commit(actor=world.principal_a, job=job, mode="all_or_nothing")
    assert job.status == ImportStatus.DONE
    assert job.rows_done == job.rows_total == 4  # the file's rows, its header included
    assert (job.count_new, job.count_updated, job.count_unchanged) == (2, 0, 1)


def test_the_check_of_many_new_numbers_finds_the_same(world, monkeypatch):
    """From HASH_JOIN_FROM new records on, the check joins by hash (PostgreSQL): lowered
    here to one, the number taken since the dry run is still found, and only that one."""
    from truongso.imports import selectors

    monkeypatch.setattr(selectors, "HASH_JOIN_FROM", 1)
    job = _upload_and_check(world, csv_upload(CLEAN))
    _hoa_enrols_at_school_b(world)
    job = services.import_job_commit(actor=world.principal_a, job=job, mode="valid_rows")
    assert (job.written_new, job.count_error_rows) == (1, 1)
    assert [p[:5] for p in _problems(job) if p[3] == "dup_db_pid_elsewhere"] == [ELSEWHERE]
    assert not Learner.objects.filter(personal_id=HOA_PID, institution=world.school_a).exists()
    if connection.vendor == "postgresql":  # the planner is left as it was found
        with connection.cursor() as cursor:
            cursor.execute("SHOW enable_nestloop")
            assert cursor.fetchone()[0] == "on"
