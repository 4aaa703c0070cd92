"""Recomputing every term and year result of a school year (Circular 22/2021) for many
learners through the product's bulk path, against DuckDB SQL implementing the same rules
over the same scores, in the same run. Every result is compared exactly; the ratio of
the times is printed (target: at most 3x DuckDB).

    make bench BENCH=bench/results_recompute_duckdb.py BENCH_ARGS="--learners 100000"

The data set (written with COPY, fast, for this benchmark only): upper secondary schools
of about 1,000 learners, classes of 40 in grades 10-12 with 12 subjects (8 compulsory,
4 electives taught to the class: 9 scored, 3 assessed by comment), full score sets for
both terms (regular scores by periods, mid-term, end-of-term), conduct for both terms,
days absent for some learners.

Timed: the product's ``results_recompute_all`` (force: every learner, from what is
stored; read, compute with the pure rules in worker processes, COPY of the results),
and DuckDB computing the same result tables with SQL from tables already loaded into
it. Not timed: generating the data, exporting the scores from PostgreSQL and loading
them into DuckDB, comparing.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import resource
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT / "src"), str(ROOT)]
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "truongso.settings")

import django  # noqa: E402

django.setup()

import duckdb  # noqa: E402
from django.db import connection  # noqa: E402

from truongso.academics.models import (  # noqa: E402
    CurriculumSubject,
    SchoolClass,
    Subject,
    TeachingAssignment,
)
from truongso.academics.services import curriculum_load, school_year_ensure  # noqa: E402
from truongso.accounts.models import User  # noqa: E402
from truongso.assessment.models import (  # noqa: E402
    AbsenceRecord,
    ConductRating,
    LearnerTermResult,
    LearnerYearResult,
    ScoreEntry,
    SubjectResult,
)
from truongso.assessment.services.recompute_all import results_recompute_all  # noqa: E402
from truongso.imports.bulk import copy_lines  # noqa: E402
from truongso.learners.models import Learner  # noqa: E402
from truongso.learners.services import prepare_learner  # noqa: E402
from truongso.staff.models import StaffMember  # noqa: E402
from truongso.staff.services import prepare_staff  # noqa: E402
from truongso.units.models import AdministrativeUnit, Institution, InstitutionKind  # noqa: E402

YEAR = 2025
ELECTIVES = ("VL", "HH", "SH", "TIN")
LEVELS = ("tot", "kha", "dat", "chua_dat")
RANK = {"chua_dat": 0, "dat": 1, "kha": 2, "tot": 3}


def say(text: str) -> None:
    print(text, flush=True)


# --- data ---------------------------------------------------------------------------


def _units():
    from truongso.units.services import unit_set_path

    made = []
    parent = None
    for code, name, level in (("VN", "Việt Nam", "country"), ("97", "Tỉnh Bench", "province"),
                              ("99999", "Xã Bench", "commune")):  # fmt: skip
        unit, _ = AdministrativeUnit.objects.get_or_create(
            code=code, level=level,
            defaults={"name": name, "search_name": name.lower(), "parent": parent,
                      "valid_from": None if level == "country" else dt.date(2025, 7, 1)},
        )  # fmt: skip
        if not unit.path:
            unit_set_path(unit)
            unit.save(update_fields=["path"])
        made.append(unit)
        parent = unit
    return made


def generate(learners: int, seed: int) -> None:
    """Institutions, classes, learners, teaching assignments, scores, conduct, absences."""
    rng = random.Random(seed)
    curriculum_load()
    year = school_year_ensure(YEAR, current=True)
    terms = {t.number: t for t in year.terms.all()}
    _country, province, commune = _units()
    User.objects.filter(username="bench.bo").delete()
    User.objects.create_superuser(username="bench.bo", password=None, full_name="Bench")
    n_schools = max(1, learners // 1000)
    schools = Institution.objects.bulk_create([
        Institution(code=f"97300{i:05d}", name=f"Trường THPT Bench {i}", search_name=f"bench {i}",
                    kind=InstitutionKind.UPPER_SECONDARY, grade_from=10, grade_to=12,
                    commune=commune, province=province, managing_unit=province)
        for i in range(n_schools)
    ])  # fmt: skip
    staff = []
    for school in schools:
        member = StaffMember(institution=school, full_name="Giáo Viên", sex="F",
                             date_of_birth=dt.date(1985, 1, 1))  # fmt: skip
        prepare_staff(member)
        staff.append(member)
    StaffMember.objects.bulk_create(staff)
    sizes = [learners // n_schools + (1 if i < learners % n_schools else 0)
             for i in range(n_schools)]  # fmt: skip
    classes = []
    for school, size in zip(schools, sizes, strict=True):
        for j in range(max(1, round(size / 40))):
            classes.append(SchoolClass(institution=school, school_year=year, grade=10 + j % 3,
                                       name=f"{10 + j % 3}A{j // 3 + 1}"))  # fmt: skip
    SchoolClass.objects.bulk_create(classes, batch_size=5000)
    by_school: dict[int, list[SchoolClass]] = {}
    for c in classes:
        by_school.setdefault(c.institution_id, []).append(c)
    electives = {s.code: s for s in Subject.objects.filter(code__in=ELECTIVES)}
    member_of = {m.institution_id: m for m in staff}
    TeachingAssignment.objects.bulk_create([
        TeachingAssignment(institution_id=c.institution_id, school_class=c, subject=electives[e],
                           staff_member=member_of[c.institution_id])
        for c in classes for e in ELECTIVES
    ], batch_size=10000)  # fmt: skip

    template = Learner(institution=schools[0], current_class=classes[0], grade=10,
                       full_name="Nguyễn Văn An", sex="M", date_of_birth=dt.date(2010, 5, 2),
                       ethnicity_code="01", address="Xã Bench")  # fmt: skip
    prepare_learner(template)
    columns = ["full_name", "search_name", "date_of_birth", "sex", "personal_id",
               "ethnicity_code", "ethnicity_list", "nationality", "phone", "address", "grade",
               "status", "personal_id_status", "disability", "policy_categories",
               "place_of_birth", "version", "created_at", "updated_at", "current_class_id",
               "institution_id"]  # fmt: skip
    now = dt.datetime.now(dt.UTC).isoformat()
    fixed = {c: getattr(template, c) for c in columns}
    say(f"  {n_schools} schools, {len(classes)} classes; writing {learners} learners")
    lines = []
    for school, size in zip(schools, sizes, strict=True):
        cls = by_school[school.pk]
        for k in range(size):
            c = cls[k % len(cls)]
            row = dict(fixed, grade=c.grade, current_class_id=c.pk, institution_id=school.pk,
                       full_name=f"Học Sinh {k}", search_name=f"hoc sinh {k}",
                       created_at=now, updated_at=now, policy_categories="[]")  # fmt: skip
            lines.append("\t".join(str(row[col]) for col in columns) + "\n")
    copy_lines("learners_learner", columns, lines)
    del lines

    specs = []
    for row in CurriculumSubject.objects.filter(grade=10).select_related("subject"):
        if row.is_elective and row.subject.code not in ELECTIVES:
            continue
        if row.assessment_mode == "scored":
            count = 2 if row.periods_per_year <= 35 else 3 if row.periods_per_year <= 70 else 4
            specs.append((row.subject_id, count))
        elif row.assessment_mode == "comment":
            specs.append((row.subject_id, 0))
    assert len(specs) == 12, specs
    say(f"  writing {learners * 24} score rows, conduct and absences")
    ids = Learner.objects.filter(institution__in=schools).values_list(
        "id", "current_class_id", "institution_id"
    ).order_by("id")  # fmt: skip
    score_cols = ["institution_id", "school_class_id", "learner_id", "subject_id", "term_id",
                  "regular", "mid_term", "end_of_term", "rating", "comment", "version",
                  "updated_at"]  # fmt: skip
    extra = [f.name for f in ScoreEntry._meta.concrete_fields
             if f.name in ("mid_term_rating", "end_of_term_rating")]  # fmt: skip
    score_cols += extra
    conduct_cols = ["institution_id", "school_class_id", "learner_id", "term_id", "level",
                    "comment", "version", "updated_at"]  # fmt: skip
    absence_cols = ["institution_id", "school_class_id", "learner_id", "term_id", "days_excused",
                    "days_unexcused", "version", "updated_at"]  # fmt: skip

    def score(mean: float) -> str:
        value = min(10.0, max(0.0, rng.gauss(mean, 1.3)))
        return f"{round(value * 2) / 2:.1f}" if rng.random() < 0.8 else f"{value:.1f}"

    scores, conduct, absences = [], [], []
    tail = "\t" * len(extra) if extra else ""
    for learner_id, class_id, school_id in ids.iterator(chunk_size=20000):
        mean = rng.gauss(7.0, 1.4)
        head = f"{school_id}\t{class_id}\t{learner_id}\t"
        for term in terms.values():
            for subject_id, count in specs:
                if count:
                    regular = ", ".join(f'"{score(mean)}"' for _ in range(count))
                    scores.append(f"{head}{subject_id}\t{term.pk}\t[{regular}]\t{score(mean)}\t"
                                  f"{score(mean)}\t\t\t1\t{now}{tail}\n")  # fmt: skip
                else:
                    rating = "chua_dat" if rng.random() < 0.02 else "dat"
                    scores.append(f"{head}{subject_id}\t{term.pk}\t[]\t\\N\t\\N\t{rating}\t\t1\t"
                                  f"{now}{tail}\n")  # fmt: skip
            level = LEVELS[min(3, int(abs(rng.gauss(0, 0.9))))]
            conduct.append(f"{head}{term.pk}\t{level}\t\t1\t{now}\n")
            if rng.random() < 0.1:
                days = int(rng.expovariate(1 / 8))
                absences.append(f"{head}{term.pk}\t{days}\t{rng.randrange(3)}\t1\t{now}\n")
        if len(scores) >= 500_000:
            _copy_scores(scores, score_cols)
    _copy_scores(scores, score_cols)
    copy_lines(ConductRating._meta.db_table, conduct_cols, conduct)
    copy_lines(AbsenceRecord._meta.db_table, absence_cols, absences)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


def _copy_scores(lines: list[str], columns: list[str]) -> None:
    # Bench data only: the foreign keys of these rows are known to hold.
    with connection.cursor() as cursor:
        cursor.execute("SET session_replication_role = replica")
        copy_lines(ScoreEntry._meta.db_table, columns, lines)
        cursor.execute("SET session_replication_role = DEFAULT")
    lines.clear()


# --- DuckDB --------------------------------------------------------------------------


def export(con, folder: Path) -> None:
    """The scores, conduct, absences and the class subjects, from PostgreSQL into DuckDB
    tables (not timed)."""
    queries = {
        "scores": f"SELECT learner_id, school_class_id, subject_id, term_id, regular::text, "
        f"mid_term, end_of_term, rating FROM {ScoreEntry._meta.db_table}",
        "conduct": f"SELECT learner_id, term_id, level FROM {ConductRating._meta.db_table}",
        "absences": f"SELECT learner_id, term_id, days_excused + days_unexcused AS days "
        f"FROM {AbsenceRecord._meta.db_table}",
        "learners": "SELECT l.id AS learner_id, l.current_class_id AS class_id, "
        "c.institution_id FROM learners_learner l JOIN academics_schoolclass c "
        "ON c.id = l.current_class_id WHERE l.status = 'studying'",
        "terms": "SELECT id AS term_id, number FROM academics_term",
        "class_subjects": "SELECT c.id AS class_id, s.id AS subject_id, s.code, "
        "cs.assessment_mode = 'scored' AS scored, CASE WHEN cs.periods_per_year <= 35 THEN 2 "
        "WHEN cs.periods_per_year <= 70 THEN 3 ELSE 4 END AS regular_count "
        "FROM academics_schoolclass c JOIN academics_curriculumsubject cs ON cs.grade = c.grade "
        "JOIN academics_subject s ON s.id = cs.subject_id "
        "WHERE cs.assessment_mode IN ('scored', 'comment') AND (NOT cs.is_elective OR EXISTS "
        "(SELECT 1 FROM academics_teachingassignment t WHERE t.school_class_id = c.id "
        "AND t.subject_id = s.id))",
    }
    with connection.cursor() as cursor:
        for name, query in queries.items():
            path = folder / f"{name}.csv"
            with (
                path.open("wb") as out,
                cursor.cursor.copy(f"COPY ({query}) TO STDOUT (FORMAT csv, HEADER)") as copy,
            ):
                for block in copy:
                    out.write(block)
            con.execute(
                f"CREATE TABLE {name} AS SELECT * FROM read_csv_auto('{path}', header=true)"
            )
    con.execute("ALTER TABLE scores ALTER mid_term TYPE DECIMAL(4,1)")
    con.execute("ALTER TABLE scores ALTER end_of_term TYPE DECIMAL(4,1)")


# The rules of Circular 22/2021 (rule set tt22-2021@1) in SQL. Averages are computed in
# tenths with integers: round half up of a/b (a, b > 0) is (2a + b) // (2b).
LEVEL_SQL = """CASE
  WHEN {np} <= 0 AND {b65} = 0 AND {g80} >= 6 THEN 3
  WHEN {np} <= 0 AND {b50} = 0 AND {g65} >= 6 THEN 2
  WHEN {np} <= 1 AND {b35} = 0 AND {g50} >= 6 THEN 1
  ELSE 0 END"""


def duckdb_compute(con) -> None:
    """The result tables: subject results per term and year, learning and conduct per
    term and year, promotion with re-test subjects, award."""
    con.execute("""
CREATE OR REPLACE TABLE term_subject AS
WITH base AS (
  SELECT l.learner_id, cs.subject_id, cs.code, cs.scored, cs.regular_count, t.number AS period,
         s.mid_term, s.end_of_term, s.rating,
         list_filter(CAST(from_json(coalesce(s.regular, '[]'), '["VARCHAR"]') AS DECIMAL(4,1)[]),
                     lambda x: x IS NOT NULL) AS vals
  FROM learners l
  JOIN class_subjects cs ON cs.class_id = l.class_id
  CROSS JOIN terms t
  LEFT JOIN scores s ON s.learner_id = l.learner_id AND s.subject_id = cs.subject_id
                    AND s.term_id = t.term_id
), tenths AS (
  SELECT *, coalesce(list_sum(list_transform(vals[1:regular_count],
                                    lambda x: CAST(x * 10 AS BIGINT))), 0)
            + 2 * CAST(mid_term * 10 AS BIGINT) + 3 * CAST(end_of_term * 10 AS BIGINT) AS num,
         least(len(vals), regular_count) + 5 AS den
  FROM base
)
SELECT learner_id, subject_id, code, scored, period,
  CASE WHEN scored AND mid_term IS NOT NULL AND end_of_term IS NOT NULL
            AND len(vals) >= regular_count
       THEN CAST((2 * num + den) // (2 * den) AS DECIMAL(4,1)) / 10 END AS average,
  CASE WHEN NOT scored THEN nullif(rating, '') END AS rating
FROM tenths
""")
    con.execute("""
CREATE OR REPLACE TABLE year_subject AS
SELECT a.learner_id, a.subject_id, a.code, a.scored, 0 AS period,
  CASE WHEN a.scored AND a.average IS NOT NULL AND b.average IS NOT NULL THEN
    CAST((2 * (CAST(a.average * 10 AS BIGINT) + 2 * CAST(b.average * 10 AS BIGINT)) + 3) // 6
         AS DECIMAL(4,1)) / 10 END AS average,
  CASE WHEN NOT a.scored THEN b.rating END AS rating
FROM term_subject a JOIN term_subject b
  ON b.learner_id = a.learner_id AND b.subject_id = a.subject_id AND b.period = 2
WHERE a.period = 1
""")
    con.execute("CREATE OR REPLACE TABLE subject_results AS SELECT * FROM term_subject "
                "UNION ALL SELECT * FROM year_subject")  # fmt: skip
    con.execute(f"""
CREATE OR REPLACE TABLE learning AS
WITH flags AS (
  SELECT learner_id, period, subject_id,
    (scored AND average IS NULL) OR (NOT scored AND rating IS NULL) AS incomplete,
    CAST(NOT scored AND rating = 'chua_dat' AS INT) AS np,
    CAST(scored AND average < 6.5 AS INT) AS b65, CAST(scored AND average >= 8.0 AS INT) AS g80,
    CAST(scored AND average < 5.0 AS INT) AS b50, CAST(scored AND average >= 6.5 AS INT) AS g65,
    CAST(scored AND average < 3.5 AS INT) AS b35, CAST(scored AND average >= 5.0 AS INT) AS g50
  FROM subject_results
), totals AS (
  SELECT *, sum(np) OVER w AS t_np, sum(b65) OVER w AS t_b65, sum(g80) OVER w AS t_g80,
    sum(b50) OVER w AS t_b50, sum(g65) OVER w AS t_g65, sum(b35) OVER w AS t_b35,
    sum(g50) OVER w AS t_g50, bool_or(incomplete) OVER w AS any_incomplete
  FROM flags WINDOW w AS (PARTITION BY learner_id, period)
), per_subject AS (
  SELECT learner_id, period, any_incomplete,
    {
        LEVEL_SQL.format(
            np="t_np", b65="t_b65", g80="t_g80", b50="t_b50", g65="t_g65", b35="t_b35", g50="t_g50"
        )
    } AS base,
    {
        LEVEL_SQL.format(
            np="(t_np - np)",
            b65="(t_b65 - b65)",
            g80="(t_g80 - g80)",
            b50="(t_b50 - b50)",
            g65="(t_g65 - g65)",
            b35="(t_b35 - b35)",
            g50="(t_g50 - g50)",
        )
    } AS without
  FROM totals
)
SELECT learner_id, period,
  CASE WHEN NOT any_incomplete THEN
    CASE WHEN base < 3 AND max(without) >= base + 2 THEN base + 1 ELSE base END END AS level,
  CASE WHEN NOT any_incomplete THEN base END AS base_level
FROM per_subject GROUP BY learner_id, period, any_incomplete, base
""")
    con.execute("""
CREATE OR REPLACE TABLE conduct_year_table (s2 VARCHAR, s1 VARCHAR, y VARCHAR);
INSERT INTO conduct_year_table VALUES
 ('tot','tot','tot'),('tot','kha','tot'),('tot','dat','kha'),('tot','chua_dat','kha'),
 ('kha','tot','kha'),('kha','kha','kha'),('kha','dat','kha'),('kha','chua_dat','dat'),
 ('dat','tot','kha'),('dat','kha','dat'),('dat','dat','dat'),('dat','chua_dat','dat'),
 ('chua_dat','tot','chua_dat'),('chua_dat','kha','chua_dat'),('chua_dat','dat','chua_dat'),
 ('chua_dat','chua_dat','chua_dat');
""")
    con.execute("""
CREATE OR REPLACE TABLE year_results AS
WITH c AS (
  SELECT l.learner_id,
    max(CASE WHEN t.number = 1 THEN nullif(c.level, '') END) AS c1,
    max(CASE WHEN t.number = 2 THEN nullif(c.level, '') END) AS c2
  FROM learners l LEFT JOIN conduct c ON c.learner_id = l.learner_id
  LEFT JOIN terms t ON t.term_id = c.term_id GROUP BY l.learner_id
), d AS (
  SELECT l.learner_id, coalesce(sum(a.days), 0) AS days
  FROM learners l LEFT JOIN absences a ON a.learner_id = l.learner_id GROUP BY l.learner_id
), y AS (
  SELECT learner_id,
    list_sort(list(code) FILTER (WHERE (scored AND average < 5.0) OR rating = 'chua_dat'))
      AS retests,
    count(*) FILTER (WHERE scored AND average >= 9.0) AS high
  FROM year_subject GROUP BY learner_id
), r AS (
  SELECT c.learner_id, cy.y AS conduct, g.level AS learning, d.days, y.retests, y.high
  FROM c JOIN d USING (learner_id) JOIN y USING (learner_id)
  LEFT JOIN conduct_year_table cy ON cy.s2 = c.c2 AND cy.s1 = c.c1
  LEFT JOIN learning g ON g.learner_id = c.learner_id AND g.period = 0
)
SELECT learner_id, conduct, learning, days,
  CASE WHEN days > 45 THEN 'repeat'
       WHEN conduct IS NULL OR learning IS NULL THEN NULL
       WHEN conduct <> 'chua_dat' AND learning > 0 THEN 'promoted'
       WHEN conduct = 'chua_dat' THEN 'summer_conduct_training'
       ELSE 'summer_retests' END AS promotion,
  CASE WHEN days <= 45 AND conduct IS NOT NULL AND learning = 0 THEN retests
       ELSE [] END AS retest_subjects,
  CASE WHEN conduct IS NULL OR learning IS NULL THEN NULL
       WHEN conduct = 'tot' AND learning = 3 THEN
         CASE WHEN high >= 6 THEN 'hoc_sinh_xuat_sac' ELSE 'hoc_sinh_gioi' END END AS award
FROM r
""")


# --- comparing -----------------------------------------------------------------------


def compare(con, folder: Path) -> dict[str, int]:
    """The product's stored results, exported into DuckDB, against DuckDB's: the number
    of results that differ (and of results on one side only)."""
    with connection.cursor() as cursor:
        for name, query in {
            "p_subject": f"SELECT learner_id, subject_id, period, average, nullif(rating, '') AS "
            f"rating FROM {SubjectResult._meta.db_table}",
            "p_term": f"SELECT r.learner_id, t.number AS period, nullif(learning, '') AS learning,"
            f" nullif(learning_base, '') AS learning_base, conduct, days_absent FROM "
            f"{LearnerTermResult._meta.db_table} r JOIN academics_term t ON t.id = r.term_id",
            "p_year": f"SELECT learner_id, nullif(learning, '') AS learning, "
            f"nullif(learning_base, '') AS learning_base, nullif(conduct, '') AS conduct, "
            f"days_absent, nullif(promotion, '') AS promotion, retest_subjects::text AS retests,"
            f" nullif(award, '') AS award FROM {LearnerYearResult._meta.db_table}",
        }.items():
            path = folder / f"{name}.csv"
            with (
                path.open("wb") as out,
                cursor.cursor.copy(f"COPY ({query}) TO STDOUT (FORMAT csv, HEADER)") as copy,
            ):
                for block in copy:
                    out.write(block)
            con.execute(f"CREATE OR REPLACE TABLE {name} AS SELECT * FROM "
                        f"read_csv_auto('{path}', header=true, all_varchar=true)")  # fmt: skip
    lv = "CASE {x} WHEN 3 THEN 'tot' WHEN 2 THEN 'kha' WHEN 1 THEN 'dat' WHEN 0 THEN 'chua_dat' END"
    checks = {
        "subject results": """
          SELECT count(*) FROM p_subject p FULL JOIN subject_results d
            ON d.learner_id = CAST(p.learner_id AS BIGINT)
           AND d.subject_id = CAST(p.subject_id AS BIGINT)
           AND d.period = CAST(p.period AS INT)
          WHERE p.learner_id IS NULL OR d.learner_id IS NULL
             OR CAST(p.average AS DECIMAL(4,1)) IS DISTINCT FROM d.average
             OR p.rating IS DISTINCT FROM d.rating""",
        "term results": f"""
          SELECT count(*) FROM p_term p FULL JOIN (
            SELECT g.learner_id, g.period, g.level, g.base_level, c.level AS conduct,
                   coalesce(a.days, 0) AS days
            FROM learning g JOIN terms t ON t.number = g.period
            LEFT JOIN conduct c ON c.learner_id = g.learner_id AND c.term_id = t.term_id
            LEFT JOIN absences a ON a.learner_id = g.learner_id AND a.term_id = t.term_id
            WHERE g.period > 0) d
            ON d.learner_id = CAST(p.learner_id AS BIGINT) AND d.period = CAST(p.period AS INT)
          WHERE p.learner_id IS NULL OR d.learner_id IS NULL
             OR p.learning IS DISTINCT FROM {lv.format(x="d.level")}
             OR p.learning_base IS DISTINCT FROM {lv.format(x="d.base_level")}
             OR p.conduct IS DISTINCT FROM d.conduct
             OR CAST(p.days_absent AS INT) IS DISTINCT FROM d.days""",
        "year results": f"""
          SELECT count(*) FROM p_year p FULL JOIN (
            SELECT y.*, g.base_level FROM year_results y
            JOIN learning g ON g.learner_id = y.learner_id AND g.period = 0) d
            ON d.learner_id = CAST(p.learner_id AS BIGINT)
          WHERE p.learner_id IS NULL OR d.learner_id IS NULL
             OR p.learning IS DISTINCT FROM {lv.format(x="d.learning")}
             OR p.learning_base IS DISTINCT FROM {lv.format(x="d.base_level")}
             OR p.conduct IS DISTINCT FROM d.conduct
             OR CAST(p.days_absent AS INT) IS DISTINCT FROM d.days
             OR p.promotion IS DISTINCT FROM d.promotion
             OR CAST(from_json(p.retests, '["VARCHAR"]') AS VARCHAR[])
                IS DISTINCT FROM d.retest_subjects
             OR p.award IS DISTINCT FROM d.award""",
    }
    return {name: con.execute(sql).fetchone()[0] for name, sql in checks.items()}


# --- main ------------------------------------------------------------------------------


def cpu() -> float:
    me = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return me.ru_utime + me.ru_stime + children.ru_utime + children.ru_stime


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--learners", type=int,
                        default=int(os.environ.get("BENCH_LEARNERS", 1_000_000)))  # fmt: skip
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--workers", type=int, default=None)
    parser.add_argument("--threads", type=int, default=os.cpu_count() or 1)
    args = parser.parse_args()
    if connection.vendor != "postgresql":
        sys.exit("This benchmark needs PostgreSQL (DATABASE_URL); see bench/README.md.")
    say(f"load average before: {os.getloadavg()}")
    if not ScoreEntry.objects.exists():
        started = time.perf_counter()
        say(f"generating {args.learners} learners with full score sets")
        generate(args.learners, args.seed)
        say(f"  generated in {time.perf_counter() - started:.1f} s")
    learners = Learner.objects.count()
    actor = User.objects.get(username="bench.bo")
    from truongso.academics.models import SchoolYear

    year = SchoolYear.objects.get(name=f"{YEAR}-{YEAR + 1}")

    def progress(done, total, summary):
        if done == total or done % 5000 < 500:
            say(f"  {done}/{total} classes, {summary.learners} learners")

    say(f"product: results_recompute_all (force), {learners} learners")
    cpu0, t0 = cpu(), time.perf_counter()
    summary = results_recompute_all(actor=actor, school_year=year, force=True,
                                    workers=args.workers, progress=progress)  # fmt: skip
    product_wall, product_cpu = time.perf_counter() - t0, cpu() - cpu0
    say(f"  {summary.learners} learners, {summary.subject_rows} subject rows, "
        f"{summary.term_rows} term rows, {summary.year_rows} year rows, "
        f"{summary.rule_sets}")  # fmt: skip
    load_product = os.getloadavg()

    with tempfile.TemporaryDirectory(prefix="bench-duckdb-") as tmp:
        folder = Path(tmp)
        con = duckdb.connect(str(folder / "bench.duckdb"))
        con.execute(f"SET threads = {args.threads}")
        t = time.perf_counter()
        export(con, folder)
        say(f"export to DuckDB (not timed): {time.perf_counter() - t:.1f} s")
        cpu0, t0 = cpu(), time.perf_counter()
        duckdb_compute(con)
        duck_wall, duck_cpu = time.perf_counter() - t0, cpu() - cpu0
        load_duck = os.getloadavg()
        diffs = compare(con, folder)
        con.close()

    say("")
    say(f"{'':34} {'wall s':>10} {'CPU s':>10}   load average after")
    say(f"{'product bulk recompute':34} {product_wall:10.2f} {product_cpu:10.2f}   {load_product}")
    say(f"{'DuckDB SQL (same rules)':34} {duck_wall:10.2f} {duck_cpu:10.2f}   {load_duck}")
    say(f"{'ratio product / DuckDB':34} {product_wall / duck_wall:9.2f}x "
        f"{product_cpu / duck_cpu:9.2f}x   (target: at most 3x)")  # fmt: skip
    say(f"learners per second: product {summary.learners / product_wall:,.0f}, "
        f"DuckDB {summary.learners / duck_wall:,.0f}")  # fmt: skip
    say(
        "CPU: the benchmark process and its worker processes (PostgreSQL's server not "
        "counted); DuckDB's threads run in this process."
    )
    for name, count in diffs.items():
        say(f"results that differ, {name}: {count}")
    if any(diffs.values()):
        sys.exit("the product and DuckDB disagree")
    say("every result agrees exactly")


if __name__ == "__main__":
    main()
