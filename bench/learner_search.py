"""Learner search of a province officer over a million learners: the real list path
next to the raw SQL of the same queries, in the same run.

    DATABASE_URL=postgres://… python bench/learner_search.py [--searches 200] [--learners N]

Needs PostgreSQL (``make bench`` gives a throwaway cluster). In one run it:

1. makes sure the database holds at least N learners (default 1,000,000, or
   BENCH_LEARNERS), running ``load_units`` and the large-data generator
   (``manage.py generate``) for the missing ones, all in one province;
2. takes a province officer of that province (the account ``bench.so``, created once);
3. real path, per search: a fresh user object (as the auth middleware gives each
   request), ``learners.selectors.learner_list(actor=…, query=…)`` — which computes the
   officer's scope — then what the list page does: Django's ``Paginator`` with 25 per
   page, ``get_page(1)`` (the count) and the rows of the first page;
4. anchor: the same two SQL statements Django sent (same WHERE, ORDER BY, LIMIT),
   captured once per query and run through a plain psycopg connection;
5. alternates real path and anchor for every search (``--searches`` in all, cycling
   through a mix of name searches, "nguyen van an" first), after one warm-up round, and
   prints p50 and p95 of both and their ratio (target: at most 3×).
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import sys
import time
from pathlib import Path

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "truongso.settings")
sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "src"))

import django  # noqa: E402

django.setup()

import psycopg  # noqa: E402
from django.core.paginator import Paginator  # noqa: E402
from django.db import connection  # noqa: E402
from django.db.models import Count  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from truongso.accounts.models import Role, RoleAssignment, User  # noqa: E402
from truongso.demo.generator import GenerateOptions, generate  # noqa: E402
from truongso.learners.models import Learner  # noqa: E402
from truongso.learners.selectors import learner_list  # noqa: E402
from truongso.units.loader import units_load  # noqa: E402
from truongso.units.models import AdministrativeUnit  # noqa: E402

PROVINCE = "19"
OFFICER = "bench.so"
PER_PAGE = 25
QUERIES = (
    "nguyen van an", "tran thi linh", "le minh", "pham duc anh", "hoang thi thu",
    "vu quang huy", "dang thi mai", "bui van nam", "do minh khoi", "nguyen ngoc",
)  # fmt: skip


def ensure_learners(wanted: int) -> int:
    have = Learner.objects.count()
    if have >= wanted:
        return have
    if not AdministrativeUnit.objects.filter(level="province").exists():
        print("loading administrative units…", flush=True)
        units_load()
    missing = wanted - have
    print(f"generating {missing:,} learners (have {have:,})…", flush=True)
    report = generate(
        GenerateOptions(learners=missing, seed=have + 1, province_code=PROVINCE),
        progress=lambda message: print(f"  {message}", flush=True),
    )
    print(f"generated in {report.seconds:.0f} s", flush=True)
    return Learner.objects.count()


def officer() -> User:
    """A province officer of the province that holds the most learners."""
    busiest = (
        Learner.objects.values("institution__province")
        .annotate(n=Count("id"))
        .order_by("-n")
        .first()
    )
    province = AdministrativeUnit.objects.get(pk=busiest["institution__province"])
    user, _created = User.objects.get_or_create(username=OFFICER, defaults={"full_name": OFFICER})
    RoleAssignment.objects.get_or_create(user=user, role=Role.PROVINCE_OFFICER, unit=province)
    return user


def real_path(user_pk: int, query: str) -> tuple[int, list[int], float]:
    """What the learner list page does for one request (the user loaded as by the
    authentication middleware, outside the timing)."""
    user = User.objects.get(pk=user_pk)
    started = time.perf_counter()
    page = Paginator(learner_list(actor=user, query=query), PER_PAGE).get_page(1)
    ids = [learner.pk for learner in page.object_list]
    elapsed = time.perf_counter() - started
    return page.paginator.count, ids, elapsed


def captured_sql(user_pk: int, query: str) -> tuple[str, str | None]:
    """The count and first-page statements Django sends for this search (no page
    statement when nothing matches: Django does not query an empty slice)."""
    with CaptureQueriesContext(connection) as captured:
        real_path(user_pk, query)
    statements = [q["sql"] for q in captured.captured_queries]
    count = [s for s in statements if s.startswith('SELECT COUNT(*) AS "__count" FROM "learn')]
    rows = [s for s in statements if s.startswith('SELECT "learners_learner"."id"')]
    assert len(count) == 1 and len(rows) <= 1, statements
    return count[0], (rows[0] if rows else None)


def anchor(
    raw: psycopg.Connection, count_sql: str, rows_sql: str | None
) -> tuple[int, list[int], float]:
    started = time.perf_counter()
    rows = []
    with raw.cursor() as cursor:
        cursor.execute(count_sql)
        (count,) = cursor.fetchone()
        if rows_sql is not None:
            cursor.execute(rows_sql)
            rows = cursor.fetchall()
    elapsed = time.perf_counter() - started
    return count, [r[0] for r in rows], elapsed


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--searches", type=int, default=200)
    parser.add_argument(
        "--learners", type=int, default=int(os.environ.get("BENCH_LEARNERS", 1_000_000))
    )
    options = parser.parse_args()
    if connection.vendor != "postgresql":
        sys.exit("This benchmark needs PostgreSQL: set DATABASE_URL=postgres://…")
    total = ensure_learners(options.learners)
    user = officer()
    in_scope = learner_list(actor=User.objects.get(pk=user.pk)).count()
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        (server_version,) = cursor.fetchone()
    settings = connection.settings_dict
    raw = psycopg.connect(
        dbname=settings["NAME"], user=settings["USER"], password=settings["PASSWORD"],
        host=settings["HOST"], port=settings["PORT"] or None, autocommit=True,
    )  # fmt: skip

    statements = {q: captured_sql(user.pk, q) for q in QUERIES}
    matches = {}
    for q in QUERIES:  # warm-up round; both paths must agree
        count, ids, _t = real_path(user.pk, q)
        raw_count, raw_ids, _t = anchor(raw, *statements[q])
        assert (count, ids) == (raw_count, raw_ids), q
        matches[q] = count

    real_times: list[float] = []
    raw_times: list[float] = []
    per_query: dict[str, tuple[list[float], list[float]]] = {q: ([], []) for q in QUERIES}
    for n in range(options.searches):
        q = QUERIES[n % len(QUERIES)]
        if n % 2:  # alternate which goes first
            raw_t = anchor(raw, *statements[q])[2]
            real_t = real_path(user.pk, q)[2]
        else:
            real_t = real_path(user.pk, q)[2]
            raw_t = anchor(raw, *statements[q])[2]
        real_times.append(real_t)
        raw_times.append(raw_t)
        per_query[q][0].append(real_t)
        per_query[q][1].append(raw_t)
    raw.close()

    ms = 1000
    real50, real95 = percentile(real_times, 0.5) * ms, percentile(real_times, 0.95) * ms
    raw50, raw95 = percentile(raw_times, 0.5) * ms, percentile(raw_times, 0.95) * ms
    print()
    print("learner search: province officer, list page (count + first 25 by name)")
    print(
        f"  {total:,} learners, {in_scope:,} in the officer's scope; PostgreSQL "
        f"{server_version}; Python {platform.python_version()}; {os.cpu_count()} cores"
    )
    print(f"  {options.searches} searches over {len(QUERIES)} queries; per query, the matches")
    print("  and the median ms of the Django path / raw SQL:")
    for q in QUERIES:
        real_q, raw_q = per_query[q]
        median = (f"{statistics.median(real_q) * 1000:9.1f} /{statistics.median(raw_q) * 1000:9.1f}"
                  if real_q else "")  # fmt: skip
        print(f"    {q!r:>18}: {matches[q]:>7,} {median}")
    print(f"  {'':24}{'p50 ms':>10}{'p95 ms':>10}{'mean ms':>10}")
    print(
        f"  {'Django path':24}{real50:>10.2f}{real95:>10.2f}"
        f"{statistics.fmean(real_times) * ms:>10.2f}"
    )
    print(
        f"  {'raw SQL (psycopg)':24}{raw50:>10.2f}{raw95:>10.2f}"
        f"{statistics.fmean(raw_times) * ms:>10.2f}"
    )
    print(f"  {'ratio':24}{real50 / raw50:>9.2f}×{real95 / raw95:>9.2f}×   (target ≤ 3×)")


if __name__ == "__main__":
    main()
