"""Import one million learners from a CSV file, next to COPY of the same rows.

    DATABASE_URL=postgres://… python bench/import_learners.py [--rows N] [--guardians]
                                                               [--profile]

Needs PostgreSQL (``make bench`` gives a throwaway cluster). In one run it:

1. creates a fresh institution (grades 1–12, 50 classes per grade) in the current school
   year, and a principal;
2. writes a CSV file of N learners (default 1,000,000) with realistic Vietnamese names,
   dates of birth that fit their grade, personal identification numbers that agree with
   them, ethnicities, addresses and classes that exist;
3. anchor: empties the learner and audit tables (TRUNCATE: a throwaway database only),
   then COPY the same rows, already typed (psycopg ``write_row``), into learners_learner,
   in one transaction;
4. empties the learner tables again (a fresh state), then checks the file (the dry run,
   timed but not part of the ratio);
5. the real path: ``imports.services.import_job_commit`` — read the file again, check
   every row and stream the new learners into COPY as each batch is checked, then their
   ``admit`` events (naming the job) and the job's audit entry, in one transaction —
   exactly as the commit button does, but called directly;
6. prints rows/s for both and the ratio (real path / anchor), and where the real path
   spends its time (the import logs its phases at DEBUG level; no personal data).
"""

from __future__ import annotations

import argparse
import cProfile
import csv
import datetime as dt
import logging
import os
import platform
import pstats
import random
import shutil
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "truongso.settings")
sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "src"))

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.core.files import File  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from psycopg.types.json import Jsonb  # noqa: E402

from truongso.academics.models import SchoolClass  # noqa: E402
from truongso.academics.services import school_year_ensure  # noqa: E402
from truongso.accounts.models import Role, RoleAssignment, User  # noqa: E402
from truongso.core.rules.text import fold  # noqa: E402
from truongso.imports import services  # noqa: E402
from truongso.imports.models import ImportStatus  # noqa: E402
from truongso.units.models import AdministrativeUnit, Institution, InstitutionKind  # noqa: E402

# fmt: off
SURNAMES = [
    ("Nguyễn", 380), ("Trần", 110), ("Lê", 95), ("Phạm", 70), ("Hoàng", 30), ("Huỳnh", 21),
    ("Phan", 45), ("Vũ", 20), ("Võ", 19), ("Đặng", 21), ("Bùi", 20), ("Đỗ", 14), ("Hồ", 13),
    ("Ngô", 13), ("Dương", 10), ("Lý", 5), ("Đinh", 6), ("Trịnh", 5), ("Đoàn", 5), ("Lâm", 4),
    ("Mai", 4), ("Trương", 4), ("Lưu", 3), ("Tạ", 2), ("Cao", 3), ("Hà", 3), ("Tô", 2),
    ("Quách", 1), ("Lương", 3), ("Thái", 2),
]
MIDDLE = {
    "M": ["Văn", "Đức", "Minh", "Quốc", "Hữu", "Thành", "Gia", "Anh", "Công", "Đăng", "Xuân",
          "Tuấn", "Hoàng", "Trọng", "Bảo", "Nhật", "Thanh", "Quang", "Duy", "Khánh"],
    "F": ["Thị", "Ngọc", "Thu", "Thanh", "Phương", "Bảo", "Khánh", "Mai", "Minh", "Hồng",
          "Thùy", "Thảo", "Kim", "Diệu", "Hoài", "Tuyết", "Quỳnh", "Gia", "Lan", "Hà"],
}
GIVEN = {
    "M": ["An", "Bình", "Cường", "Dũng", "Duy", "Hải", "Hiếu", "Hoàng", "Huy", "Hùng", "Khang",
          "Khoa", "Long", "Minh", "Nam", "Nghĩa", "Phúc", "Quân", "Sơn", "Tài", "Thắng", "Tiến",
          "Trung", "Tuấn", "Việt", "Vinh", "Đạt", "Đức", "Kiên", "Lâm", "Lộc", "Mạnh", "Nhân",
          "Phong", "Quang", "Thành", "Thịnh", "Toàn", "Trí", "Tú", "Vũ", "Bảo", "Khôi", "Hưng"],
    "F": ["Anh", "Chi", "Dung", "Giang", "Hà", "Hạnh", "Hằng", "Hoa", "Hương", "Lan", "Linh",
          "Mai", "My", "Ngân", "Ngọc", "Nhung", "Oanh", "Phương", "Quỳnh", "Thảo", "Trang",
          "Uyên", "Vy", "Yến", "Diệp", "Hiền", "Huyền", "Loan", "Ly", "Nga", "Nhi", "Như",
          "Thư", "Thủy", "Trâm", "Tâm", "Vân", "Xuân", "Ánh", "Châu", "Khuê", "Tuyết", "Hân"],
}
ETHNICITIES = [("Kinh", 850), ("Tày", 20), ("Thái", 19), ("Mường", 15), ("Khơ-me", 14),
               ("HMông", 13), ("Nùng", 11), ("Dao", 9), ("Hoa", 8), ("Gia-rai", 4),
               ("Ê-đê", 4), ("Ba-na", 3)]
ETHNICITY_CODES = {"Kinh": "01", "Tày": "02", "Thái": "03", "Hoa": "04", "Khơ-me": "05",
                   "Mường": "06", "Nùng": "07", "HMông": "08", "Dao": "09", "Gia-rai": "10",
                   "Ê-đê": "12", "Ba-na": "13"}
PROVINCES = [("001", "Hà Nội"), ("079", "Thành phố Hồ Chí Minh"), ("031", "Hải Phòng"),
             ("048", "Đà Nẵng"), ("092", "Cần Thơ"), ("036", "Nam Định"), ("038", "Thanh Hóa"),
             ("040", "Nghệ An"), ("046", "Thừa Thiên Huế"), ("075", "Đồng Nai")]
STREETS = ["Láng", "Lê Lợi", "Trần Hưng Đạo", "Nguyễn Trãi", "Hai Bà Trưng", "Lý Thường Kiệt",
           "Điện Biên Phủ", "Quang Trung", "Bạch Đằng", "Hùng Vương", "Phan Đình Phùng"]
HEADER = ["Họ và tên", "Ngày sinh", "Giới tính", "Số định danh cá nhân", "Dân tộc", "Quốc tịch",
          "Lớp", "Địa chỉ", "Nơi sinh"]
GUARDIAN_HEADER = ["Họ tên cha/mẹ/người giám hộ", "Quan hệ", "Điện thoại phụ huynh"]
# fmt: on
CLASSES_PER_GRADE = 50


def say(text: str) -> None:
    print(text, flush=True)


def rate(label: str, seconds: float, rows: int, cpu: tuple[float, float] | None = None) -> None:
    line = f"{label:<40} {seconds:8.2f} s {rows / seconds:>10,.0f} rows/s"
    if cpu is not None:
        line += f"   (CPU: Python {cpu[0]:.1f} s, PostgreSQL {cpu[1]:.1f} s)"
    say(line)


class CpuClock:
    """CPU seconds used by this process and by its PostgreSQL backend (same machine):
    on a shared machine they vary less than wall-clock time."""

    def __init__(self) -> None:
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_backend_pid()")
            self.stat = Path(f"/proc/{cursor.fetchone()[0]}/stat")
        self.tick = os.sysconf("SC_CLK_TCK")

    def _server(self) -> float:
        try:
            fields = self.stat.read_text().rsplit(")", 1)[1].split()
        except OSError:  # the server runs elsewhere
            return float("nan")
        return (int(fields[11]) + int(fields[12])) / self.tick  # utime + stime

    def now(self) -> tuple[float, float]:
        return time.process_time(), self._server()

    def since(self, start: tuple[float, float]) -> tuple[float, float]:
        now = self.now()
        return now[0] - start[0], now[1] - start[1]


def setup_world(run: str):
    year = school_year_ensure(2025, current=True)
    country, _ = AdministrativeUnit.objects.get_or_create(
        code="VN",
        level="country",
        valid_from=None,
        defaults={"name": "Việt Nam", "search_name": "viet nam"},
    )
    province, _ = AdministrativeUnit.objects.get_or_create(
        code="01",
        level="province",
        valid_from=dt.date(2025, 7, 1),
        defaults={"name": "Thành phố Hà Nội", "search_name": "thanh pho ha noi", "parent": country},
    )
    name = f"Trường phổ thông nhiều cấp {run}"
    institution = Institution.objects.create(
        code=f"BENCH{run}",
        name=name,
        search_name=fold(name),
        kind=InstitutionKind.MULTI_LEVEL,
        grade_from=1,
        grade_to=12,
        commune=province,
        province=province,
        managing_unit=province,
    )
    classes = SchoolClass.objects.bulk_create(
        [
            SchoolClass(institution=institution, school_year=year, grade=grade, name=f"{grade}A{n}")
            for grade in range(1, 13)
            for n in range(1, CLASSES_PER_GRADE + 1)
        ]
    )
    principal = User.objects.create_user(username=f"bench_{run}", password=None)
    RoleAssignment.objects.create(user=principal, role=Role.PRINCIPAL, institution=institution)
    return year, institution, classes, principal


def weighted(pairs):
    values = [v for v, _w in pairs]
    weights = [w for _v, w in pairs]
    return values, weights


def generate(path: Path, rows: int, classes, guardians: bool, seed: int = 2025):
    """Write the CSV; return the typed rows (for the anchor)."""
    rng = random.Random(seed)
    surnames, surname_w = weighted(SURNAMES)
    ethnicities, ethnicity_w = weighted(ETHNICITIES)
    seen: set[tuple[str, dt.date]] = set()
    serials: dict[str, int] = {}
    typed = []
    by_grade = {}
    for c in classes:
        by_grade.setdefault(c.grade, []).append(c)
    with open(path, "w", encoding="utf-8", newline="") as handle:
        out = csv.writer(handle)
        out.writerow(HEADER + (GUARDIAN_HEADER if guardians else []))
        for _ in range(rows):
            grade = rng.randint(1, 12)
            school_class = rng.choice(by_grade[grade])
            sex = "M" if rng.random() < 0.515 else "F"
            while True:
                name_parts = [rng.choices(surnames, surname_w)[0], rng.choice(MIDDLE[sex])]
                if rng.random() < 0.45:
                    name_parts.append(rng.choice(MIDDLE[sex]))
                name_parts.append(rng.choice(GIVEN[sex]))
                name = " ".join(name_parts)
                birth_year = 2025 - (grade + 5) - (1 if rng.random() < 0.04 else 0)
                dob = dt.date(birth_year, 1, 1) + dt.timedelta(days=rng.randrange(365))
                key = (fold(name), dob)  # the importer compares names without diacritics
                if key not in seen and len(set(name_parts)) == len(name_parts):
                    seen.add(key)
                    break
            code, province_name = rng.choice(PROVINCES)
            prefix = f"{code}{2 if sex == 'M' else 3}{dob.year % 100:02d}"
            serials[prefix] = serials.get(prefix, rng.randrange(1000)) + 1 + rng.randrange(3)
            personal_id = f"{prefix}{serials[prefix]:06d}"
            ethnicity = rng.choices(ethnicities, ethnicity_w)[0]
            address = f"Số {rng.randint(1, 300)} đường {rng.choice(STREETS)}, {province_name}"
            place = rng.choice(PROVINCES)[1]
            line = [
                name,
                dob.strftime("%d/%m/%Y"),
                "Nam" if sex == "M" else "Nữ",
                personal_id,
                ethnicity,
                "Việt Nam",
                school_class.name,
                address,
                place,
            ]
            if guardians:
                father = f"{name_parts[0]} {rng.choice(MIDDLE['M'])} {rng.choice(GIVEN['M'])}"
                line += [father, "Cha", f"09{rng.randrange(10**8):08d}"]
            out.writerow(line)
            typed.append(
                (
                    name,
                    fold(name),
                    dob,
                    sex,
                    personal_id,
                    ETHNICITY_CODES[ethnicity],
                    address,
                    school_class.pk,
                    grade,
                    place,
                )
            )
    return typed


ANCHOR_COLUMNS = (
    "full_name, search_name, date_of_birth, sex, personal_id, ethnicity_code, ethnicity_list, "
    "nationality, phone, address, institution_id, education_id, current_class_id, grade, "
    "status, personal_id_status, disability, policy_categories, place_of_birth, enrolled_on, "
    "version, created_at, updated_at"
)


def anchor_rows(typed, institution):
    now = dt.datetime.now(dt.UTC)
    today = dt.date.today()
    empty = Jsonb([])
    return [
        (
            name,
            search,
            dob,
            sex,
            pid,
            ethnicity,
            "TCTK-1979",
            "VN",
            "",
            address,
            institution.pk,
            f"99{i:08d}",
            class_id,
            grade,
            "studying",
            "ok",
            "",
            empty,
            place,
            today,
            1,
            now,
            now,
        )
        for i, (
            name,
            search,
            dob,
            sex,
            pid,
            ethnicity,
            address,
            class_id,
            grade,
            place,
        ) in enumerate(typed)
    ]


def fresh_state() -> None:
    with connection.cursor() as cursor:
        cursor.execute(
            "TRUNCATE learners_learner, learners_guardian, learners_enrolmentevent, "
            "audit_auditentry, imports_importproblem CASCADE"
        )
        cursor.execute("VACUUM ANALYZE learners_learner")
        cursor.execute("CHECKPOINT")


def run_anchor(rows) -> float:
    start = time.perf_counter()
    statement = f"COPY learners_learner ({ANCHOR_COLUMNS}) FROM STDIN"
    with transaction.atomic(), connection.cursor() as cursor, cursor.cursor.copy(statement) as copy:
        for row in rows:
            copy.write_row(row)
    return time.perf_counter() - start


class PhaseLog(logging.Handler):
    """Prints the phase timings the import logs at DEBUG level (no personal data), with the
    CPU time used since the previous one."""

    def __init__(self, clock: CpuClock) -> None:
        super().__init__()
        self.clock = clock
        self.last = clock.now()

    def emit(self, record: logging.LogRecord) -> None:
        python, server = self.clock.since(self.last)
        self.last = self.clock.now()
        say(
            f"        · {record.getMessage():<52} CPU: Python {python:5.1f} s, "
            f"PostgreSQL {server:5.1f} s"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--guardians", action="store_true", help="add a guardian to each row")
    parser.add_argument("--profile", action="store_true", help="profile the real path")
    parser.add_argument(
        "--allow-truncate",
        action="store_true",
        help="run outside make bench: the learner and audit tables are EMPTIED",
    )
    args = parser.parse_args()
    if connection.vendor != "postgresql":
        sys.exit("This benchmark needs PostgreSQL: set DATABASE_URL (make bench does).")
    if not (os.environ.get("PG_TEST_CLUSTER_DIR") or args.allow_truncate):
        sys.exit(
            "This benchmark empties the learner and audit tables: run it with make bench "
            "(a throwaway cluster) or pass --allow-truncate on a throwaway database."
        )
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        server = cursor.fetchone()[0]
    say(
        f"machine: {platform.machine()}, {os.cpu_count()} CPUs, load {os.getloadavg()[0]:.1f}, "
        f"Python {platform.python_version()}, PostgreSQL {server}"
    )
    run = dt.datetime.now().strftime("%Y%m%d%H%M%S")
    workdir = Path(tempfile.mkdtemp(prefix="truongso-bench-"))
    try:
        settings.MEDIA_ROOT = workdir / "media"
        settings.IMPORT_INLINE_MAX_ROWS = 10**12  # run in this process, as the task would
        settings.IMPORT_MAX_FILE_BYTES = 10**12
        _year, institution, classes, principal = setup_world(run)
        path = workdir / "hoc_sinh.csv"
        start = time.perf_counter()
        typed = generate(path, args.rows, classes, args.guardians)
        size = path.stat().st_size / 1e6
        took = time.perf_counter() - start
        say(f"generated {args.rows:,} rows ({size:.0f} MB CSV) in {took:.1f} s")

        rows = anchor_rows(typed, institution)
        del typed
        fresh_state()
        clock = CpuClock()
        cpu_start = clock.now()
        anchor = run_anchor(rows)
        anchor_cpu = clock.since(cpu_start)
        rate("anchor  COPY of typed rows (write_row)", anchor, args.rows, anchor_cpu)
        del rows

        fresh_state()
        with open(path, "rb") as handle:
            upload = File(handle, name=path.name)
            job = services.import_job_create(
                actor=principal, institution=institution, kind="learners", upload=upload
            )
        start = time.perf_counter()
        job = services.import_job_check_start(actor=principal, job=job)
        check = time.perf_counter() - start
        rate("dry run (read + check, nothing written)", check, args.rows)
        if job.status != ImportStatus.CHECKED or job.count_new != args.rows:
            sys.exit(f"unexpected dry run: status={job.status} new={job.count_new}")
        with connection.cursor() as cursor:
            cursor.execute("CHECKPOINT")

        phases = PhaseLog(clock)
        for name in ("truongso.imports.services", "truongso.imports.bulk"):
            logging.getLogger(name).setLevel(logging.DEBUG)
            logging.getLogger(name).addHandler(phases)
            logging.getLogger(name).propagate = False
        profiler = cProfile.Profile() if args.profile else None
        cpu_start = phases.last = clock.now()
        start = time.perf_counter()
        if profiler:
            profiler.enable()
        job = services.import_job_commit(actor=principal, job=job, mode="all_or_nothing")
        if profiler:
            profiler.disable()
        real = time.perf_counter() - start
        real_cpu = clock.since(cpu_start)
        if job.status != ImportStatus.DONE or job.written_new != args.rows:
            sys.exit(f"import did not write every row: status={job.status} failure={job.failure}")
        rate("import  (read + check + write: commit)", real, args.rows, real_cpu)
        say(f"ratio   import / COPY: {anchor / real:.2f}x  (target 0.70x)")
        say(f"        by CPU time (Python + PostgreSQL): {sum(anchor_cpu) / sum(real_cpu):.2f}x")
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT count(*) FROM learners_learner WHERE institution_id = %s", [institution.pk]
            )
            learners = cursor.fetchone()[0]
            cursor.execute(
                "SELECT count(*) FROM learners_enrolmentevent WHERE import_job_id = %s", [job.pk]
            )
            events = cursor.fetchone()[0]
            cursor.execute(
                "SELECT count(*) FROM audit_auditentry WHERE action = 'import.commit' "
                "AND object_id = %s",
                [str(job.pk)],
            )
            entries = cursor.fetchone()[0]
        say(
            f"written: {learners:,} learners, {events:,} admit events naming the job, "
            f"{entries:,} audit entry for the job"
        )
        if (learners, events, entries) != (args.rows, args.rows, 1):
            sys.exit("the import did not write what it should")
        if profiler:
            stats = pstats.Stats(profiler)
            stats.sort_stats("cumulative").print_stats(30)
            stats.sort_stats("tottime").print_stats(30)
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main()
