"""A real parent node in its own process, on its own SQLite database, on loopback.

The parent dies in the middle of a batch (before committing), is started again, and
the child pushes again: every record arrives exactly once. Then the same for a batch of
learners' results."""

import os
import socket
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.exchange.helpers import store_results
from truongso.exchange.models import OutboxRecord, OutgoingBatch
from truongso.exchange.services.push import exchange_push, http_transport
from truongso.learners.models import Learner

ROOT = Path(__file__).resolve().parents[2]
PYTHON = sys.executable


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Parent:
    def __init__(self, tmp_path: Path):
        self.db = tmp_path / "parent.sqlite3"
        self.port = _free_port()
        self.env = {
            **{k: v for k, v in os.environ.items() if not k.startswith("EXCHANGE_")},
            "DATABASE_URL": f"sqlite:///{self.db}",
            "TRUONGSO_VAR_DIR": str(tmp_path),
            "SECRET_KEY": "parent-test-secret",
            "ALLOWED_HOSTS": "127.0.0.1",
            "DEBUG": "false",
            "DJANGO_SETTINGS_MODULE": "truongso.settings",
            "PYTHONPATH": str(ROOT / "src"),
            "LOG_LEVEL": "ERROR",
        }
        self.process = None

    def prepare(self) -> str:
        subprocess.run([PYTHON, "manage.py", "migrate", "--noinput", "-v", "0"], cwd=ROOT,
                       env=self.env, check=True)  # fmt: skip
        out = subprocess.run([PYTHON, "tests/exchange/parent_setup.py"], cwd=ROOT, env=self.env,
                             check=True, capture_output=True, text=True)  # fmt: skip
        return out.stdout.strip().splitlines()[-1]

    def start(self, **extra_env):
        env = {**self.env, **extra_env}
        self.process = subprocess.Popen(
            [PYTHON, "-m", "waitress", f"--listen=127.0.0.1:{self.port}", "--threads=2",
             "truongso.wsgi:application"],
            cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )  # fmt: skip
        for _ in range(600):
            if self.process.poll() is not None:
                raise RuntimeError("the parent server did not start")
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=1).close()
                return
            except OSError:
                time.sleep(0.1)
        raise RuntimeError("the parent server is not listening")

    def wait_dead(self) -> int:
        return self.process.wait(timeout=60)

    def stop(self):
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=30)

    def rows(self, sql: str, *params):
        with sqlite3.connect(self.db) as connection:
            return connection.execute(sql, params).fetchall()


@pytest.fixture
def parent(tmp_path):
    node = Parent(tmp_path)
    yield node
    node.stop()


def test_parent_dies_mid_batch_and_the_resent_batch_loses_and_duplicates_nothing(
    world, parent, settings
):
    token = parent.prepare()
    settings.EXCHANGE_NODE_ID = "tinh-thu"
    settings.EXCHANGE_PARENT_URL = f"http://127.0.0.1:{parent.port}"
    settings.EXCHANGE_PARENT_TOKEN = token
    settings.EXCHANGE_BATCH_SIZE = 8
    settings.EXCHANGE_TIMEOUT = 60

    # 3 institutions, 3 staff, 5 classes, 9 learners, 1 guardian, 2 teaching assignments:
    # 23 records, batches of 8.
    parent.start(EXCHANGE_TEST_EXIT_AFTER_RECORDS="5")
    report = exchange_push()
    assert parent.wait_dead() == 17
    assert report.batches == 0
    assert "Không kết nối được nút cấp trên" in report.error
    assert parent.rows("select count(*) from exchange_inboundrecord") == [(0,)]
    assert parent.rows("select count(*) from learners_learner") == [(0,)]
    waiting = OutgoingBatch.objects.get(acknowledged_at__isnull=True)
    assert waiting.cursor == 1
    assert waiting.record_count == 8

    parent.start()
    report = exchange_push()
    assert report.error == ""
    assert report.batches == 3
    assert report.cursors == [1, 2, 3]
    assert OutgoingBatch.objects.get(cursor=1).batch_id == waiting.batch_id  # resent as it was
    assert (report.sent, report.applied, report.skipped, report.conflicts) == (23, 23, 0, 0)

    assert parent.rows("select count(*), count(distinct record_id) from exchange_inboundrecord"
                       ) == [(23, 23)]  # fmt: skip
    assert parent.rows("select record_type, count(*) from exchange_inboundrecord "
                       "group by record_type order by record_type") == [
        ("class", 5), ("guardian", 1), ("institution", 3), ("learner", 9), ("staff", 3),
        ("teaching_assignment", 2),
    ]  # fmt: skip
    assert parent.rows("select count(*) from learners_learner") == [(9,)]
    assert parent.rows("select count(*) from academics_schoolclass") == [(5,)]
    assert parent.rows("select count(*) from staff_staffmember") == [(3,)]
    assert parent.rows("select count(*) from units_institution") == [(3,)]
    assert parent.rows("select count(*) from exchange_receivedbatch") == [(3,)]
    # The parent gave every learner an identifier; the school now holds the same ones.
    parent_ids = {r[0] for r in parent.rows("select education_id from learners_learner")}
    assert len(parent_ids) == 9 and None not in parent_ids
    assert set(Learner.objects.values_list("education_id", flat=True)) == parent_ids
    assert not OutboxRecord.objects.filter(sent_version=0).exists()

    # Nothing pending: nothing sent. The first batch sent again is answered from the
    # stored answer and changes nothing.
    assert exchange_push().batches == 0
    answer = http_transport(OutgoingBatch.objects.get(cursor=1).payload)
    assert answer["replayed"] is True
    assert len(answer["applied"]) == 8
    assert parent.rows("select count(*) from exchange_inboundrecord") == [(23,)]
    assert parent.rows("select count(*) from exchange_receivedbatch") == [(3,)]

    # A change at the school goes up as version 2 of the same record.
    learner = Learner.objects.get(pk=world.learner_binh.pk)
    Learner.objects.filter(pk=learner.pk).update(address="Số 9 phố Huế")
    report = exchange_push()
    assert (report.batches, report.sent, report.applied) == (1, 1, 1)
    record = OutboxRecord.objects.get(record_type="learner", local_id=learner.pk)
    assert (record.version, record.sent_version) == (2, 2)
    assert parent.rows(
        "select l.address from learners_learner l join exchange_inboundrecord r "
        "on r.local_id = l.id and r.record_type = 'learner' where r.record_id = ?",
        record.record_id.hex,
    ) == [("Số 9 phố Huế",)]
    assert parent.rows("select count(*) from learners_learner") == [(9,)]

    # Results computed at the schools go up after everything else. The parent dies in the
    # middle of their batch; pushed again, each arrives exactly once, as it was computed.
    store_results(world.learner_an, world.class_a1, world.year)
    store_results(world.learner_b1, world.class_b1, world.year, maths="6.5")
    parent.stop()
    parent.start(EXCHANGE_TEST_EXIT_AFTER_RECORDS="3")
    report = exchange_push()
    assert parent.wait_dead() == 17
    assert report.batches == 0
    waiting = OutgoingBatch.objects.get(acknowledged_at__isnull=True)
    assert (waiting.cursor, [r["type"] for r in waiting.payload["records"]]) == (5, ["result"] * 4)
    assert parent.rows("select count(*) from exchange_receivedresult") == [(0,)]

    parent.start()
    report = exchange_push()
    assert (report.error, report.cursors, report.sent, report.applied) == ("", [5], 4, 4)
    assert parent.rows(
        "select i.code, l.full_name, r.period, r.rule_set, r.learning, r.conduct, "
        "r.days_absent, r.promotion, r.version from exchange_receivedresult r "
        "join units_institution i on i.id = r.institution_id "
        "join learners_learner l on l.id = r.learner_id order by i.code, r.period"
    ) == [
        ("01000001", "Nguyễn Văn An", 0, "tt22-2021@1", "kha", "tot", 3, "promoted", 1),
        ("01000001", "Nguyễn Văn An", 1, "tt22-2021@1", "kha", "tot", 2, "", 1),
        ("79000001", "Nguyễn Văn An", 0, "tt22-2021@1", "kha", "tot", 3, "promoted", 1),
        ("79000001", "Nguyễn Văn An", 1, "tt22-2021@1", "kha", "tot", 2, "", 1),
    ]  # fmt: skip
    assert parent.rows(
        "select i.code, r.period, s.subject_code, cast(s.average as text) "
        "from exchange_receivedsubjectresult s join exchange_receivedresult r "
        "on r.id = s.result_id join units_institution i on i.id = r.institution_id "
        "where s.subject_code = 'TOAN' order by i.code, r.period"
    ) == [("01000001", 0, "TOAN", "8.5"), ("01000001", 1, "TOAN", "8.5"),
          ("79000001", 0, "TOAN", "6.5"), ("79000001", 1, "TOAN", "6.5")]  # fmt: skip
    assert parent.rows("select count(*) from exchange_receivedsubjectresult") == [(8,)]
    assert parent.rows("select count(*) from exchange_inboundrecord where record_type = 'result'"
                       ) == [(4,)]  # fmt: skip
    # Kept as received: the parent's own results tables are untouched.
    assert parent.rows("select count(*) from assessment_learneryearresult") == [(0,)]
    answer = http_transport(OutgoingBatch.objects.get(cursor=5).payload)
    assert (answer["replayed"], len(answer["applied"])) == (True, 4)
    assert parent.rows("select count(*) from exchange_receivedresult") == [(4,)]
