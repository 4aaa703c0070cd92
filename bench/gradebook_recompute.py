"""One score change in a class of 45 learners, next to a trivial anchor.

    python bench/gradebook_recompute.py [--learners 45] [--repeat 50]

Uses ``DATABASE_URL`` when set (PostgreSQL: ``make bench`` gives a throwaway
cluster); otherwise a fresh SQLite file in a temporary folder, migrated first. In one
run it:

1. builds a lower-secondary school with one grade-6 class of N learners (default 45),
   every subject of the grade filled for both terms (random valid scores, fixed seed),
   conduct and absences set, and computes the results once;
2. anchor: a single-row UPDATE of one gradebook row by primary key, in a transaction;
3. ``score_set``: one cell changed by the subject teacher — access check, validation
   with the rule set, version check, audit entry, and the recomputation of what depends
   on it (that learner's subject, term and year results); then the same through the
   page's JSON endpoint (Django's test client: session, CSRF-exempt client, access,
   the row's averages in the answer);
4. ``results_recompute`` of the whole class after one score changed: every learner's
   inputs are read and fingerprinted, the one whose inputs changed is recomputed, only
   changed rows are written;
5. the same from scratch (no stored results: every row created);

and prints the median wall-clock time of each, its minimum, the median CPU time of this
process (which leaves out waiting for a busy machine), and the ratio of the median to
the anchor's.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import platform
import random
import statistics
import sys
import tempfile
import time
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "truongso.settings")
_TMP = None
if "DATABASE_URL" not in os.environ:
    _TMP = tempfile.TemporaryDirectory(prefix="truongso-bench-")
    os.environ["DATABASE_URL"] = f"sqlite:///{_TMP.name}/bench.sqlite3"

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.db.models import F  # noqa: E402
from django.test import Client  # noqa: E402
from django.urls import reverse  # noqa: E402

from truongso.academics.models import SchoolClass, Subject, TeachingAssignment  # noqa: E402
from truongso.academics.services import curriculum_load, school_year_ensure  # noqa: E402
from truongso.accounts.models import Role, RoleAssignment, User  # noqa: E402
from truongso.assessment.models import (  # noqa: E402
    AbsenceRecord,
    ConductRating,
    LearnerTermResult,
    LearnerYearResult,
    ScoreEntry,
    SubjectResult,
)
from truongso.assessment.selectors.gradebook import class_context  # noqa: E402
from truongso.assessment.services import results_recompute, score_set  # noqa: E402
from truongso.learners.models import Learner  # noqa: E402
from truongso.learners.services import prepare_learner  # noqa: E402
from truongso.staff.models import StaffMember  # noqa: E402
from truongso.staff.services import prepare_staff  # noqa: E402
from truongso.units.models import AdministrativeUnit, Institution, InstitutionKind  # noqa: E402

GIVEN = ["An", "Bình", "Chi", "Dũng", "Giang", "Hà", "Hải", "Hạnh", "Hoa", "Huy", "Khánh",
         "Lan", "Linh", "Long", "Mai", "Minh", "My", "Nam", "Ngọc", "Phúc", "Quân", "Thảo",
         "Trang", "Tú", "Vy"]  # fmt: skip
SURNAMES = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Vũ", "Đặng", "Bùi", "Đỗ"]


def _score(rng: random.Random) -> str:
    return str(Decimal(rng.randint(30, 100)) / 10)


def build(learners: int):
    rng = random.Random(2025)
    tag = f"{os.getpid() % 100000:05d}"  # several runs may share one database
    curriculum_load()
    year = school_year_ensure(2025, current=True)
    province = AdministrativeUnit.objects.create(
        code=f"B{tag}", name="Tỉnh Bench", search_name="tinh bench", level="province"
    )
    school = Institution.objects.create(
        code=f"91{tag}", name="Trường THCS Bench", search_name="truong thcs bench",
        kind=InstitutionKind.LOWER_SECONDARY, grade_from=6, grade_to=9, commune=province,
        province=province, managing_unit=province,
    )  # fmt: skip
    user = User.objects.create_user(username=f"gv_bench_{tag}", password="x")  # noqa: S106
    RoleAssignment.objects.create(user=user, role=Role.TEACHER, institution=school)
    teacher = StaffMember(institution=school, full_name="Giáo viên Bench", sex="F",
                          position="teacher", user=user)  # fmt: skip
    prepare_staff(teacher)
    teacher.save()
    school_class = SchoolClass.objects.create(
        institution=school, school_year=year, grade=6, name="6A1", homeroom_teacher=teacher
    )
    maths = Subject.objects.get(code="TOAN")
    TeachingAssignment.objects.create(institution=school, school_class=school_class,
                                      subject=maths, staff_member=teacher)  # fmt: skip
    people = []
    for i in range(learners):
        learner = Learner(
            institution=school, current_class=school_class, grade=6, sex="MF"[i % 2],
            full_name=f"{rng.choice(SURNAMES)} Văn {rng.choice(GIVEN)}",
        )  # fmt: skip
        prepare_learner(learner)
        people.append(learner)
    Learner.objects.bulk_create(people)
    people = list(Learner.objects.filter(current_class=school_class))
    context = class_context(school_class)
    rows, conduct, absences = [], [], []
    for learner in people:
        for number, term in context.terms.items():
            for subject in context.subjects:
                row = ScoreEntry(institution=school, school_class=school_class, learner=learner,
                                 subject=subject.subject, term=term, version=1)  # fmt: skip
                if subject.scored:
                    row.regular = [str(Decimal(_score(rng)).quantize(Decimal("0.1")))
                                   for _ in range(subject.regular_count)]  # fmt: skip
                    row.mid_term = Decimal(_score(rng))
                    row.end_of_term = Decimal(_score(rng))
                else:
                    row.rating = "dat" if rng.random() < 0.95 else "chua_dat"
                rows.append(row)
            conduct.append(
                ConductRating(
                    institution=school,
                    school_class=school_class,
                    learner=learner,
                    term=term,
                    version=1,
                    level=rng.choice(["tot", "tot", "kha", "dat"]),
                )
            )
            absences.append(AbsenceRecord(institution=school, school_class=school_class,
                                          learner=learner, term=term, version=1,
                                          days_excused=rng.randint(0, 5)))  # fmt: skip
            del number
    ScoreEntry.objects.bulk_create(rows)
    ConductRating.objects.bulk_create(conduct)
    AbsenceRecord.objects.bulk_create(absences)
    results_recompute(school_class=school_class)
    return school_class, maths, user, people, context


@contextlib.contextmanager
def measure(into: list[tuple[float, float]]):
    """Append (wall-clock seconds, this process's CPU seconds) of the block to ``into``.
    CPU time leaves out waiting for a busy machine (and PostgreSQL's own work)."""
    wall, cpu = time.perf_counter(), time.process_time()
    yield
    into.append((time.perf_counter() - wall, time.process_time() - cpu))


def timed(fn, repeat: int) -> list[tuple[float, float]]:
    times: list[tuple[float, float]] = []
    for i in range(repeat):
        with measure(times):
            fn(i)
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--learners", type=int, default=45)
    parser.add_argument("--repeat", type=int, default=50)
    args = parser.parse_args()
    if _TMP is not None:
        call_command("migrate", verbosity=0)
    school_class, maths, teacher, people, context = build(args.learners)
    term = context.terms[1]
    learner = people[len(people) // 2]
    entry = ScoreEntry.objects.get(learner=learner, subject=maths, term=term)

    def anchor(_i: int) -> None:
        with transaction.atomic():
            ScoreEntry.objects.filter(pk=entry.pk).update(version=F("version") + 1)

    def one_change(i: int) -> None:
        version = ScoreEntry.objects.get(pk=entry.pk).version
        score_set(actor=teacher, school_class=school_class, subject=maths, term=term,
                  learner=learner, field="mid_term", value=("6.5", "7.5")[i % 2],
                  version=version)  # fmt: skip

    other = ScoreEntry.objects.get(learner=people[0], subject=maths, term=term)

    def class_after_change(i: int) -> None:
        # One score changed (written directly, so that the class's recomputation has
        # that learner to recompute), then the whole class is recomputed.
        ScoreEntry.objects.filter(pk=other.pk).update(
            end_of_term=("5.5", "6.5")[i % 2], version=F("version") + 1
        )
        with measure(after_change):
            results_recompute(school_class=school_class, term=term)

    def class_from_scratch(_i: int) -> None:
        SubjectResult.objects.all().delete()
        LearnerTermResult.objects.all().delete()
        LearnerYearResult.objects.all().delete()
        with measure(scratch):
            results_recompute(school_class=school_class, term=term)

    client = Client()
    client.force_login(teacher)
    cell_url = reverse("assessment:cell", args=[school_class.pk, maths.code])

    def page_request(i: int) -> None:
        version = ScoreEntry.objects.get(pk=entry.pk).version
        response = client.post(
            cell_url,
            {
                "term": 1,
                "learner": learner.pk,
                "field": "end_of_term",
                "value": ("7", "8")[i % 2],
                "version": version,
            },
        )
        assert response.status_code == 200, response.content

    scratch: list[tuple[float, float]] = []
    after_change: list[tuple[float, float]] = []
    for _warm in range(3):
        anchor(0)
        one_change(_warm)
    runs = {
        "anchor: one-row UPDATE by primary key": timed(anchor, args.repeat),
        "score_set: one cell, with its recomputation": timed(one_change, args.repeat),
        "POST of one cell by the page (session, access, JSON)": timed(page_request, args.repeat),
    }
    timed(class_after_change, max(5, args.repeat // 2))
    runs["results_recompute: whole class after one change"] = after_change
    timed(class_from_scratch, 5)
    runs["results_recompute: whole class from scratch"] = scratch
    base = statistics.median(wall for wall, _cpu in runs["anchor: one-row UPDATE by primary key"])
    print(f"{platform.python_implementation()} {platform.python_version()}, "
          f"{connection.vendor}, {platform.machine()}, {os.cpu_count()} CPUs, load average "
          f"{os.getloadavg()[0]:.1f}; class of {len(people)} learners, "
          f"{len(context.subjects)} subjects")  # fmt: skip
    print(f"{'':54} {'median':>9} {'min':>9} {'CPU':>9}  ratio")
    for name, times in runs.items():
        walls = [wall for wall, _cpu in times]
        median = statistics.median(walls)
        cpu = statistics.median(cpu for _wall, cpu in times)
        print(f"{name:54} {median * 1000:6.2f} ms {min(walls) * 1000:6.2f} ms "
              f"{cpu * 1000:6.2f} ms  {median / base:6.1f}")  # fmt: skip


if __name__ == "__main__":
    main()
