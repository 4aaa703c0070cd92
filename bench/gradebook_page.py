"""The gradebook page of a class of 45 learners, against the raw SQL that fetches its data.

    make bench BENCH=bench/gradebook_page.py        # PostgreSQL (needed for the anchor)

Builds the class of ``bench/gradebook_recompute.py`` (45 learners, every subject of
grade 6 with full score sets for both terms, conduct, absences, results computed), then,
200 times each, alternating which goes first:

- **page**: the subject teacher's GET of the grid of mathematics, term I, through
  Django's test client (session, middleware, access checks, selectors, the rendered
  HTML);
- **anchor**: the SQL that fetches the same data through a separate plain psycopg
  connection: the class's learners, their rows of the subject and term, and their
  subject results for the term and the year.

Prints p50, p95 and mean of both, the ratio (target: at most 3x at p95), the number of
queries the page sends, and the load average.
"""

from __future__ import annotations

import argparse
import cProfile
import os
import pstats
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT / "src"), str(ROOT), str(ROOT / "bench")]
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "truongso.settings")

import django  # noqa: E402

django.setup()

import psycopg  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.urls import reverse  # noqa: E402
from gradebook_recompute import build  # noqa: E402

LEARNERS_SQL = """
SELECT id, full_name, date_of_birth, sex, status, current_class_id
FROM learners_learner
WHERE (current_class_id = %(class)s AND status = 'studying')
   OR id IN (SELECT learner_id FROM assessment_scoreentry WHERE school_class_id = %(class)s)
ORDER BY full_name
"""
ENTRIES_SQL = """
SELECT learner_id, regular, mid_term, end_of_term, rating, comment, version
FROM assessment_scoreentry
WHERE school_class_id = %(class)s AND subject_id = %(subject)s AND term_id = %(term)s
"""
RESULTS_SQL = """
SELECT learner_id, period, average, rating, missing
FROM assessment_subjectresult
WHERE school_class_id = %(class)s AND subject_id = %(subject)s
  AND school_year_id = %(year)s AND period IN (%(period)s, 0)
"""


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--learners", type=int, default=45)
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--profile", action="store_true", help="cProfile of 50 page requests")
    args = parser.parse_args()
    if connection.vendor != "postgresql":
        sys.exit("This benchmark needs PostgreSQL (DATABASE_URL); see bench/README.md.")
    school_class, maths, teacher, people, context = build(args.learners)
    term = context.terms[1]
    url = reverse("assessment:gradebook", args=[school_class.pk, maths.code]) + "?term=1"
    client = Client()
    client.force_login(teacher)
    params = {"class": school_class.pk, "subject": maths.pk, "term": term.pk,
              "year": school_class.school_year_id, "period": term.number}  # fmt: skip
    settings = connection.settings_dict
    raw = psycopg.connect(
        host=settings["HOST"], port=settings["PORT"] or 5432, dbname=settings["NAME"],
        user=settings["USER"], password=settings["PASSWORD"], autocommit=True,
    )  # fmt: skip

    def page() -> int:
        response = client.get(url)
        assert response.status_code == 200, response.status_code
        return len(response.content)

    def anchor() -> int:
        with raw.cursor() as cursor:
            rows = 0
            for sql in (LEARNERS_SQL, ENTRIES_SQL, RESULTS_SQL):
                cursor.execute(sql, params)
                rows += len(cursor.fetchall())
        return rows

    size = page()
    rows = anchor()
    assert rows == 4 * len(people), rows  # learners, their rows, term and year results
    queries: list[str] = []

    def count(execute, sql, params, many, context):
        queries.append(sql)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(count):
        page()
    for _warm in range(10):
        page()
        anchor()
    if args.profile:
        profile = cProfile.Profile()
        profile.enable()
        for _ in range(50):
            page()
        profile.disable()
        pstats.Stats(profile).sort_stats("tottime").print_stats(30)

    times: dict[str, list[float]] = {"page": [], "anchor": []}
    cpu: dict[str, list[float]] = {"page": [], "anchor": []}
    for i in range(args.requests):
        order = (("page", page), ("anchor", anchor))
        for name, fn in order if i % 2 == 0 else order[::-1]:
            wall, started = time.perf_counter(), time.process_time()
            fn()
            times[name].append(time.perf_counter() - wall)
            cpu[name].append(time.process_time() - started)
    raw.close()

    print(f"load average {os.getloadavg()}; class of {len(people)} learners; page "
          f"{size:,} bytes, {len(queries)} queries; anchor {rows} rows in 3 queries")  # fmt: skip
    print(f"{'':26} {'p50 ms':>9} {'p95 ms':>9} {'mean ms':>9} {'CPU p50 ms':>11}")
    for name in ("page", "anchor"):
        values = [t * 1000 for t in times[name]]
        print(f"{name:26} {percentile(values, 50):9.2f} {percentile(values, 95):9.2f} "
              f"{statistics.mean(values):9.2f} "
              f"{percentile([c * 1000 for c in cpu[name]], 50):11.2f}")  # fmt: skip
    p50 = percentile(times["page"], 50) / percentile(times["anchor"], 50)
    p95 = percentile(times["page"], 95) / percentile(times["anchor"], 95)
    print(f"{'ratio page / anchor':26} {p50:8.2f}x {p95:8.2f}x   (target: at most 3x at p95)")


if __name__ == "__main__":
    main()
