"""Large data for benchmarks: institutions of about 1,000 learners, classes of about
40, and as many learners as asked (up to a million and more), each with its ``admit``
event.

Every derived column is filled by the functions the services use (``prepare_learner``
for the folded name and the ID check, ``education_id_issue`` for unique identifiers,
``version`` 1 as on creation). On PostgreSQL rows are written with COPY; elsewhere
with bulk_create. Deterministic for a given seed and starting database.
"""

from __future__ import annotations

import datetime as dt
import json
import math
import random
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from operator import attrgetter
from queue import Queue

from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from truongso.academics.models import SchoolClass
from truongso.academics.services import school_year_ensure
from truongso.core.rules.text import fold
from truongso.demo import names
from truongso.demo.builder import (
    LEVEL_CODES,
    NAME_PATTERNS,
    DemoError,
    profile_for,
    school_start_year,
)
from truongso.learners.models import EnrolmentEvent, EnrolmentEventKind, Learner
from truongso.learners.services import education_id_issue, prepare_learner
from truongso.units.models import (
    DEFAULT_GRADE_SPAN,
    AdministrativeUnit,
    Institution,
    InstitutionKind,
)

K = InstitutionKind
# Two primary and two lower secondary schools for each upper secondary one.
KIND_CYCLE = (K.PRIMARY, K.LOWER_SECONDARY, K.PRIMARY, K.UPPER_SECONDARY, K.LOWER_SECONDARY)
# Tables written in bulk; from this many learners their secondary indexes are rebuilt.
BULK_TABLES = ("learners_learner", "learners_enrolmentevent")
BULK_LOAD_MIN = 100_000
GENERATED_SERIAL_BASE = 1_000_000  # generated codes: province, level, 7-digit serial ≥ this


@dataclass(frozen=True)
class GenerateOptions:
    learners: int
    seed: int = 1
    province_code: str = "19"
    all_provinces: bool = False
    school_size: int = 1000
    class_size: int = 40
    chunk: int = 20_000
    today: dt.date | None = None


@dataclass
class GenerateReport:
    institutions: int = 0
    classes: int = 0
    learners: int = 0
    events: int = 0
    seconds: float = 0.0
    by_status: dict[str, int] = field(default_factory=dict)


@dataclass
class _School:
    institution: Institution
    size: int
    classes: list[SchoolClass] = field(default_factory=list)


def _split(total: int, parts: int) -> list[int]:
    """``total`` in ``parts`` nearly equal whole parts, larger ones first."""
    base, extra = divmod(total, parts)
    return [base + (1 if i < extra else 0) for i in range(parts)]


class _Generator:
    def __init__(self, options: GenerateOptions, progress: Callable[[str], None]):
        if options.learners < 1:
            raise DemoError(_("Số học sinh phải lớn hơn 0."))
        self.o = options
        self.progress = progress
        self.rng = random.Random(options.seed)
        self.today = options.today or dt.date.today()
        self.used_ids: set[str] = set()
        self.postgres = connection.vendor == "postgresql"

    def places(self) -> list[tuple[AdministrativeUnit, list[AdministrativeUnit]]]:
        units = AdministrativeUnit.objects.in_force_on(self.today)
        provinces = units.filter(level="province").order_by("code")
        if not self.o.all_provinces:
            provinces = provinces.filter(code=self.o.province_code)
        result = []
        for province in provinces:
            communes = list(units.filter(level="commune", parent=province).order_by("code"))
            if communes:
                result.append((province, communes))
        if not result:
            raise DemoError(
                _("Chưa có danh mục đơn vị hành chính (tỉnh mã %(code)s): hãy chạy load_units.")
                % {"code": self.o.province_code}
            )
        return result

    def run(self) -> GenerateReport:
        """Everything in one transaction: an interrupted run leaves nothing behind (and,
        on PostgreSQL, the indexes dropped for a bulk load come back on rollback)."""
        started = time.perf_counter()
        report = GenerateReport()
        with transaction.atomic():
            self.year = school_year_ensure(school_start_year(self.today), current=True)
            schools = self.make_schools(self.places())
            report.institutions = len(schools)
            report.classes = sum(len(s.classes) for s in schools)
            self.progress(
                _("%(schools)d cơ sở giáo dục, %(classes)d lớp đã tạo.")
                % {"schools": report.institutions, "classes": report.classes}
            )
            dropped = self.drop_indexes() if self.bulk_load() else []
            report.learners, report.events = self.make_learners(schools)
            self.restore_indexes(dropped)
        if self.postgres:
            with connection.cursor() as cursor:
                for table in BULK_TABLES + ("units_institution", "academics_schoolclass"):
                    cursor.execute(f"ANALYZE {table}")
        report.seconds = time.perf_counter() - started
        return report

    def bulk_load(self) -> bool:
        """Large loads into a table not much larger than the load go faster without the
        secondary indexes, rebuilt once at the end."""
        if not self.postgres or self.o.learners < BULK_LOAD_MIN:
            return False
        return Learner.objects.count() <= self.o.learners

    def drop_indexes(self) -> list[tuple[str, str]]:
        """Drop the indexes of the bulk tables that back no constraint; return (name,
        definition) to recreate them."""
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT i.relname, pg_get_indexdef(i.oid) FROM pg_index x "
                "JOIN pg_class i ON i.oid = x.indexrelid JOIN pg_class t ON t.oid = x.indrelid "
                "LEFT JOIN pg_constraint c ON c.conindid = x.indexrelid "
                "WHERE t.relname = ANY(%s) AND c.oid IS NULL ORDER BY i.relname",
                [list(BULK_TABLES)],
            )
            indexes = cursor.fetchall()
            for name, _definition in indexes:
                cursor.execute(f"DROP INDEX {connection.ops.quote_name(name)}")
        self.progress(_("Tạm bỏ %(n)d chỉ mục trong khi nạp.") % {"n": len(indexes)})
        return indexes

    def restore_indexes(self, indexes: list[tuple[str, str]]) -> None:
        if not indexes:
            return
        with connection.cursor() as cursor:
            # Foreign keys are checked at commit; PostgreSQL builds no index on a table
            # with pending checks, so run them now.
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cursor.execute("SET LOCAL maintenance_work_mem = '512MB'")
            for number, (name, definition) in enumerate(indexes, start=1):
                started = time.perf_counter()
                cursor.execute(definition)
                self.progress(
                    _("chỉ mục %(i)d/%(n)d %(name)s: %(seconds).1f giây")
                    % {"i": number, "n": len(indexes), "name": name,
                       "seconds": time.perf_counter() - started}
                )  # fmt: skip

    # ---- institutions and classes ---------------------------------------------------

    def make_schools(self, places) -> list[_School]:
        count = math.ceil(self.o.learners / self.o.school_size)
        sizes = _split(self.o.learners, count)
        serial = GENERATED_SERIAL_BASE + Institution.objects.count()
        rows = []
        for i, size in enumerate(sizes):
            province, communes = places[i % len(places)]
            commune = self.rng.choice(communes)
            kind = KIND_CYCLE[i % len(KIND_CYCLE)]
            place = commune.short_name or commune.name
            name = f"{NAME_PATTERNS[kind].format(place=place, province='')} số {i + 1}"
            grade_from, grade_to = DEFAULT_GRADE_SPAN[kind]
            institution = Institution(
                code=f"{province.code}{LEVEL_CODES[kind]}{serial + i:07d}",
                name=name,
                search_name=fold(name),
                kind=kind,
                grade_from=grade_from,
                grade_to=grade_to,
                commune=commune,
                province=province,
                managing_unit=province if kind == K.UPPER_SECONDARY else commune,
                address=names.street_address(
                    self.rng, commune.name, province.name, urban=commune.kind == "Phường"
                ),
            )
            rows.append(_School(institution, size))
        Institution.objects.bulk_create([s.institution for s in rows], batch_size=2000)
        classes = []
        for school in rows:
            institution = school.institution
            span = institution.grade_to - institution.grade_from + 1
            n_classes = max(1, round(school.size / self.o.class_size))
            for j in range(n_classes):
                grade = institution.grade_from + j % span
                school.classes.append(
                    SchoolClass(
                        institution=institution,
                        school_year=self.year,
                        grade=grade,
                        name=f"{grade}A{j // span + 1}",
                    )
                )
            classes.extend(school.classes)
        SchoolClass.objects.bulk_create(classes, batch_size=5000)
        return rows

    # ---- learners -----------------------------------------------------------------

    def issue_education_ids(self, schools: list[_School]) -> dict[int, Iterator[str]]:
        """One block of identifiers per province, from the counter the services use."""
        totals: dict[int, int] = {}
        first: dict[int, Institution] = {}
        for school in schools:
            pid = school.institution.province_id
            totals[pid] = totals.get(pid, 0) + school.size
            first.setdefault(pid, school.institution)
        return {
            pid: iter(education_id_issue(institution=first[pid], count=total))
            for pid, total in totals.items()
        }

    def learner_rows(self, schools: list[_School], ids: dict[int, Iterator[str]]):
        """Learners in order (``_LearnerRow``), each prepared by ``prepare_learner``."""
        rng = self.rng
        start = self.year.starts_on.year
        now = timezone.now()
        jan_first = {y: dt.date(y, 1, 1).toordinal() for y in range(start - 25, start + 1)}
        profiles = {}
        for school in schools:
            institution = school.institution
            province = institution.province
            if province.pk not in profiles:
                profile = profile_for(province.code)
                profiles[province.pk] = (profile, names.Weighted(profile.ethnicities))
            profile, ethnicities = profiles[province.pk]
            urban = institution.commune.kind == "Phường"
            sizes = _split(school.size, len(school.classes))
            for school_class, size in zip(school.classes, sizes, strict=True):
                for _n in range(size):
                    sex = "M" if rng.random() < 0.515 else "F"
                    ethnicity = ethnicities.draw(rng)
                    birth_year = start - 5 - school_class.grade - (rng.random() < 0.06)
                    birth = dt.date.fromordinal(jan_first[birth_year] + rng.randrange(365))
                    while True:
                        number = names.personal_id(rng, birth.year, sex, profile.id_plan)
                        if not number or number not in self.used_ids:
                            self.used_ids.add(number)
                            break
                    row = _LearnerRow()
                    row.institution_id = institution.pk
                    row.current_class_id = school_class.pk
                    row.grade = school_class.grade
                    row.full_name = names.person_name(rng, sex, ethnicity)
                    row.sex = sex
                    row.date_of_birth = birth
                    row.personal_id = number
                    row.ethnicity_code = ethnicity
                    row.address = names.street_address(
                        rng, institution.commune.name, province.name, urban=urban
                    )
                    row.enrolled_on = self.year.starts_on
                    row.education_id = next(ids[province.pk])
                    row.created_at = row.updated_at = now
                    prepare_learner(row)  # type: ignore[arg-type]  (duck-typed: same rules)
                    yield row

    def make_learners(self, schools: list[_School]) -> tuple[int, int]:
        total = sum(s.size for s in schools)
        ids = self.issue_education_ids(schools)
        chunks = _chunks(self.learner_rows(schools, ids), self.o.chunk)
        if self.postgres:
            # Rows are made in a second thread while this one writes the previous chunk.
            chunks = _prefetch(chunks)
        written = 0
        started = time.perf_counter()
        for chunk in chunks:
            self.write(chunk)
            written += len(chunk)
            self.report_progress(written, total, started)
        return written, written

    def report_progress(self, written: int, total: int, started: float) -> None:
        rate = written / max(time.perf_counter() - started, 1e-9)
        self.progress(
            _("học sinh: %(done)d/%(total)d (%(pct).0f %%, %(rate).0f/giây)")
            % {"done": written, "total": total, "pct": 100 * written / total, "rate": rate}
        )

    def admit_event(self, row: _LearnerRow) -> tuple:
        """The event ``learner_create`` writes with a new learner (EVENT_COLUMNS)."""
        return (
            row.institution_id, row.id, ADMIT, row.enrolled_on, self.year.pk,
            row.current_class_id, row.grade, "", row.created_at,
        )  # fmt: skip

    def write(self, chunk: list[_LearnerRow]) -> None:
        if not self.postgres:
            learners = [Learner(**row.values()) for row in chunk]
            Learner.objects.bulk_create(learners, batch_size=2000)
            for row, learner in zip(chunk, learners, strict=True):
                row.id = learner.pk
            events = [
                EnrolmentEvent(**dict(zip(EVENT_COLUMNS, self.admit_event(row), strict=True)))
                for row in chunk
            ]
            EnrolmentEvent.objects.bulk_create(events, batch_size=2000)
            return
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_get_serial_sequence('learners_learner', 'id')")
            sequence = cursor.fetchone()[0]
            cursor.execute(
                "SELECT nextval(%s::regclass) FROM generate_series(1, %s)",
                [sequence, len(chunk)],
            )
            for row, (pk,) in zip(chunk, cursor.fetchall(), strict=True):
                row.id = pk
            _copy(cursor, Learner, _LearnerRow.__slots__, (row.as_tuple() for row in chunk))
            _copy(cursor, EnrolmentEvent, EVENT_COLUMNS, (self.admit_event(r) for r in chunk))


ADMIT = EnrolmentEventKind.ADMIT.value
EVENT_COLUMNS = (
    "institution_id", "learner_id", "kind", "occurred_on", "school_year_id", "to_class_id",
    "grade", "reason", "created_at",
)  # fmt: skip
_LEARNER_FIELDS = list(Learner._meta.concrete_fields)
_JSON_AT = [i for i, f in enumerate(_LEARNER_FIELDS) if f.get_internal_type() == "JSONField"]


class _LearnerRow:
    """A learner as plain attributes (much cheaper than a model instance), with the
    model's defaults; ``prepare_learner`` fills the derived ones."""

    __slots__ = tuple(f.attname for f in _LEARNER_FIELDS)
    _defaults = tuple((f.attname, f.get_default()) for f in _LEARNER_FIELDS if f.attname != "id")
    _getter = attrgetter(*__slots__)

    def __init__(self) -> None:
        for name, value in self._defaults:
            setattr(self, name, value)
        self.id = None
        # As a learner created without categories: the service's check returns [] at once.
        self.policy_categories = None

    def values(self) -> dict:
        return {name: getattr(self, name) for name in self.__slots__}

    def as_tuple(self) -> list:
        values = list(self._getter(self))
        for i in _JSON_AT:
            values[i] = json.dumps(values[i]) if values[i] else "[]"
        return values


def _chunks(rows: Iterator, size: int) -> Iterator[list]:
    chunk = []
    for row in rows:
        chunk.append(row)
        if len(chunk) >= size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def _prefetch(chunks: Iterator[list], depth: int = 2) -> Iterator[list]:
    """Run the ``chunks`` generator in a thread, ``depth`` chunks ahead."""
    queue: Queue = Queue(maxsize=depth)
    done = object()

    def produce() -> None:
        try:
            for chunk in chunks:
                queue.put(chunk)
        except BaseException as error:  # handed to the consumer, raised there
            queue.put(error)
        queue.put(done)

    thread = threading.Thread(target=produce, daemon=True)
    thread.start()
    while True:
        item = queue.get()
        if item is done:
            break
        if isinstance(item, BaseException):
            raise item
        yield item
    thread.join()


def _copy(cursor, model, columns: tuple[str, ...], rows: Iterable) -> None:
    """COPY ``rows`` (sequences of values in the order of ``columns``, attribute names)
    into the model's table through the psycopg cursor under Django's wrapper."""
    by_name = {f.attname: f.column for f in model._meta.concrete_fields}
    names_ = ", ".join(connection.ops.quote_name(by_name[c]) for c in columns)
    table = connection.ops.quote_name(model._meta.db_table)
    raw = cursor.connection.cursor()
    with raw.copy(f"COPY {table} ({names_}) FROM STDIN") as copy:
        for row in rows:
            copy.write_row(row)


def generate(
    options: GenerateOptions, progress: Callable[[str], None] = lambda message: None
) -> GenerateReport:
    """Create the institutions, classes, learners and admit events. See the module."""
    return _Generator(options, progress).run()
