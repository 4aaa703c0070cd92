"""Reads of facilities, scoped to the acting user: a school's managers read (and write)
their school; offices read the schools of their units. The lists and the norms are
public reference data."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, Q, QuerySet, Sum

from truongso.academics.models import SchoolClass
from truongso.academics.selectors import current_school_year
from truongso.accounts.access import institutions_q, school_rows_q, scope_for
from truongso.core.rules.text import fold
from truongso.facilities.models import (
    Building,
    Condition,
    EquipmentCondition,
    EquipmentItem,
    EquipmentList,
    EquipmentListItem,
    Norm,
    Room,
    RoomType,
    Site,
    TeacherHousing,
    ToiletBlock,
    Utilities,
)
from truongso.facilities.rules.equipment_gaps import (
    GapLine,
    GapSummary,
    Held,
    ListLine,
    add_summaries,
    equipment_gaps,
    summarise,
)
from truongso.facilities.rules.norms import (
    NormCheck,
    NormSpec,
    SchoolFacts,
    is_clean_water,
    norm_checks,
)
from truongso.learners.models import Learner, LearnerStatus
from truongso.units.models import AdministrativeUnit, Institution

# The kinds of records a school keeps, by the name used in URLs and the API.
KINDS: dict[str, type] = {
    "sites": Site,
    "buildings": Building,
    "rooms": Room,
    "housing": TeacherHousing,
    "toilets": ToiletBlock,
    "equipment": EquipmentItem,
}
RELATED = {
    "buildings": ["site"],
    "rooms": ["building"],
    "housing": ["site"],
    "toilets": ["site"],
    "equipment": ["room", "room__building"],
}
SUBJECT_ROOM_TYPES = (RoomType.SUBJECT_ROOM, RoomType.LABORATORY, RoomType.LANGUAGE_ROOM)


# --- Schools -----------------------------------------------------------------------------


def facility_schools(*, actor) -> QuerySet[Institution]:
    """Institutions whose facilities the actor may read: their own school, or the schools
    of the units an office oversees."""
    scope = scope_for(actor)
    q = institutions_q(scope)
    if not scope.is_office:
        q &= Q(pk__in=scope.managed_institution_ids)
    return (
        Institution.objects.filter(q).select_related("commune", "province").order_by("name", "pk")
    )


def facility_school_get(*, actor, pk: int, write: bool = False) -> Institution:
    """One school whose facilities the actor may read (or change, with ``write``)."""
    scope = scope_for(actor)
    if write and not scope.manages(int(pk)):
        raise Institution.DoesNotExist
    return facility_schools(actor=actor).get(pk=pk)


# --- Records -----------------------------------------------------------------------------


def facility_list(
    *,
    actor,
    kind: str,
    institution_id: int | None = None,
    query: str = "",
    condition: str = "",
    room_id: int | None = None,
    room_type: str = "",
    write: bool = False,
) -> QuerySet:
    model = KINDS[kind]
    qs = model.objects.filter(school_rows_q(scope_for(actor), write=write))
    if RELATED.get(kind):
        qs = qs.select_related(*RELATED[kind])
    if institution_id is not None:
        qs = qs.filter(institution_id=institution_id)
    if query:
        if kind == "equipment":
            folded = fold(query)
            qs = qs.filter(Q(search_name__contains=folded) | Q(list_item_code__iexact=query))
        else:
            qs = qs.filter(name__icontains=query)
    if condition:
        qs = qs.filter(condition=condition)
    if room_id is not None and kind == "equipment":
        qs = qs.filter(room_id=room_id)
    if room_type and kind == "rooms":
        qs = qs.filter(room_type=room_type)
    return qs


def facility_get(*, actor, kind: str, pk: int, write: bool = False):
    """One record the actor may read (or change): ``DoesNotExist`` otherwise."""
    return facility_list(actor=actor, kind=kind, write=write).get(pk=pk)


def utilities_get(*, actor, institution: Institution) -> Utilities:
    """The school's utilities, or an unsaved blank row when none were recorded."""
    facility_school_get(actor=actor, pk=institution.pk)
    found = Utilities.objects.filter(institution=institution).first()
    return found or Utilities(institution=institution)


# --- Figures from the records (no access check: callers pass ids they may read) -----------


def rooms_by_type(institution_ids: Iterable[int]) -> dict[int, dict[str, int]]:
    result: dict[int, dict[str, int]] = defaultdict(dict)
    rows = (
        Room.objects.filter(institution_id__in=list(institution_ids))
        .values_list("institution_id", "room_type")
        .annotate(n=Count("pk"))
    )
    for institution_id, room_type, n in rows:
        result[institution_id][room_type] = n
    return dict(result)


def classes_by_grade(institution_ids: Iterable[int]) -> dict[int, dict[int, int]]:
    """Classes of the current school year per grade, per institution."""
    year = current_school_year()
    result: dict[int, dict[int, int]] = defaultdict(dict)
    if year is None:
        return {}
    rows = (
        SchoolClass.objects.filter(institution_id__in=list(institution_ids), school_year=year)
        .values_list("institution_id", "grade")
        .annotate(n=Count("pk"))
    )
    for institution_id, grade, n in rows:
        result[institution_id][grade] = n
    return dict(result)


def equipment_held(institution_ids: Iterable[int]) -> dict[int, dict[str, Held]]:
    """Items of the minimum lists held, by code: in good condition and not usable."""
    good: dict[tuple[int, str], int] = defaultdict(int)
    bad: dict[tuple[int, str], int] = defaultdict(int)
    rows = (
        EquipmentItem.objects.filter(institution_id__in=list(institution_ids))
        .exclude(list_item_code="")
        .values_list("institution_id", "list_item_code", "condition")
        .annotate(n=Sum("quantity"))
    )
    for institution_id, code, condition, n in rows:
        target = good if condition == EquipmentCondition.GOOD else bad
        target[(institution_id, code)] += n or 0
    result: dict[int, dict[str, Held]] = defaultdict(dict)
    for key in set(good) | set(bad):
        result[key[0]][key[1]] = Held(good=good.get(key, 0), unusable=bad.get(key, 0))
    return dict(result)


def current_lists() -> QuerySet[EquipmentList]:
    return EquipmentList.objects.filter(is_current=True).order_by("code")


def equipment_lists() -> QuerySet[EquipmentList]:
    """Every version of every list, those in force first."""
    return EquipmentList.objects.annotate(item_count=Count("items")).order_by(
        "-is_current", "code", "-version"
    )


def current_list_lines() -> list[ListLine]:
    items = EquipmentListItem.objects.filter(equipment_list__is_current=True).order_by(
        "grade", "subject_code", "code"
    )
    return [
        ListLine(code=i.code, name=i.name, grade=i.grade, subject_code=i.subject_code,
                 unit=i.unit, quantity=i.quantity, per=i.per)
        for i in items
    ]  # fmt: skip


def list_item_by_code(code: str) -> EquipmentListItem | None:
    return (
        EquipmentListItem.objects.filter(equipment_list__is_current=True, code=code)
        .select_related("equipment_list")
        .first()
    )


def active_norms() -> list[NormSpec]:
    return [
        NormSpec(code=n.code, kind=n.kind, value=n.value, kinds=tuple(n.kind_list))
        for n in Norm.objects.filter(is_active=True).order_by("code")
    ]


def school_facts(institution_ids: Iterable[int]) -> dict[int, SchoolFacts]:
    ids = list(institution_ids)
    data: dict[int, dict] = {i: {} for i in ids}
    for institution_id, grades in classes_by_grade(ids).items():
        data[institution_id]["classes"] = sum(grades.values())
    learners = (
        Learner.objects.filter(institution_id__in=ids, status=LearnerStatus.STUDYING)
        .values_list("institution_id", "sex")
        .annotate(n=Count("pk"))
    )
    for institution_id, sex, n in learners:
        d = data[institution_id]
        d["learners"] = d.get("learners", 0) + n
        if sex == "F":
            d["girls"] = d.get("girls", 0) + n
        elif sex == "M":
            d["boys"] = d.get("boys", 0) + n
    rooms = (
        Room.objects.filter(institution_id__in=ids)
        .exclude(condition=Condition.UNSAFE)
        .values_list("institution_id", "room_type")
        .annotate(n=Count("pk"))
    )
    for institution_id, room_type, n in rooms:
        d = data[institution_id]
        if room_type == RoomType.CLASSROOM:
            d["classrooms"] = d.get("classrooms", 0) + n
        elif room_type == RoomType.LIBRARY:
            d["libraries"] = d.get("libraries", 0) + n
        elif room_type == RoomType.COMPUTER_ROOM:
            d["computer_rooms"] = d.get("computer_rooms", 0) + n
        elif room_type in SUBJECT_ROOM_TYPES:
            d["subject_rooms"] = d.get("subject_rooms", 0) + n
    toilets = (
        ToiletBlock.objects.filter(institution_id__in=ids)
        .exclude(condition=Condition.UNSAFE)
        .values("institution_id")
        .annotate(
            girls=Sum("places_girls"),
            boys=Sum("places_boys"),
            accessible=Sum("places_accessible"),
            washing=Sum("handwashing_points"),
        )  # fmt: skip
    )
    for row in toilets:
        d = data[row["institution_id"]]
        d["places_girls"] = row["girls"] or 0
        d["places_boys"] = row["boys"] or 0
        d["places_accessible"] = row["accessible"] or 0
        d["handwashing_points"] = row["washing"] or 0
    land = (
        Site.objects.filter(institution_id__in=ids)
        .values("institution_id")
        .annotate(area=Sum("land_area_m2"))
    )
    for row in land:
        data[row["institution_id"]]["land_m2"] = row["area"] or Decimal(0)
    return {i: SchoolFacts(**d) for i, d in data.items()}


def clean_water_ids(institution_ids: Iterable[int]) -> set[int]:
    return {
        institution_id
        for institution_id, source, treated in Utilities.objects.filter(
            institution_id__in=list(institution_ids)
        ).values_list("institution_id", "water_source", "water_treated")
        if is_clean_water(source, treated)
    }


# --- Reports -----------------------------------------------------------------------------


@dataclass
class SchoolReport:
    """The gap report of one school: equipment against the lists, and the norms."""

    institution: Institution
    gaps: list[GapLine]
    summary: GapSummary
    norms: list[NormCheck]

    @property
    def norms_short(self) -> int:
        return sum(1 for n in self.norms if n.status != "enough")


def _reports(institutions: list[Institution], *, lines=None, norms=None) -> list[SchoolReport]:
    ids = [i.pk for i in institutions]
    lines = current_list_lines() if lines is None else lines
    norms = active_norms() if norms is None else norms
    grades = classes_by_grade(ids)
    held = equipment_held(ids)
    facts = school_facts(ids)
    reports = []
    for institution in institutions:
        gaps = equipment_gaps(lines, grades.get(institution.pk, {}), held.get(institution.pk, {}))
        reports.append(
            SchoolReport(
                institution=institution, gaps=gaps, summary=summarise(gaps),
                norms=norm_checks(norms, facts[institution.pk], institution.kind),
            )
        )  # fmt: skip
    return reports


def school_gap_report(*, actor, institution: Institution) -> SchoolReport:
    facility_school_get(actor=actor, pk=institution.pk)
    return _reports([institution])[0]


@dataclass
class RollupRow:
    report: SchoolReport
    classrooms: int = 0
    clean_water: bool = False
    internet: bool = False
    grid_power: bool = False
    toilet_places: int = 0


@dataclass
class Rollup:
    rows: list[RollupRow] = field(default_factory=list)
    summary: GapSummary = field(default_factory=GapSummary)
    schools: int = 0
    schools_short_equipment: int = 0
    schools_short_norms: int = 0
    classrooms: int = 0
    clean_water: int = 0
    internet: int = 0
    grid_power: int = 0
    toilet_places: int = 0


def office_rollup(*, actor, unit: AdministrativeUnit | None = None, query: str = "") -> Rollup:
    """One row per school the actor may read (in ``unit`` when given), and the totals."""
    schools = facility_schools(actor=actor)
    if unit is not None:
        if unit.level == "province":
            schools = schools.filter(province=unit)
        elif unit.level != "country":
            schools = schools.filter(commune__path__startswith=unit.path)
    if query:
        schools = schools.filter(search_name__contains=fold(query))
    institutions = list(schools)
    ids = [i.pk for i in institutions]
    reports = _reports(institutions)
    rooms = rooms_by_type(ids)
    water = clean_water_ids(ids)
    utilities = {u.institution_id: u for u in Utilities.objects.filter(institution_id__in=ids)}
    places = dict(
        ToiletBlock.objects.filter(institution_id__in=ids)
        .values("institution_id")
        .annotate(n=Sum("places_girls") + Sum("places_boys") + Sum("places_accessible"))
        .values_list("institution_id", "n")
    )
    rollup = Rollup()
    for report in reports:
        pk = report.institution.pk
        u = utilities.get(pk)
        row = RollupRow(
            report=report,
            classrooms=rooms.get(pk, {}).get(RoomType.CLASSROOM, 0),
            clean_water=pk in water,
            internet=bool(u and u.internet),
            grid_power=bool(u and u.grid_power),
            toilet_places=places.get(pk) or 0,
        )
        rollup.rows.append(row)
        rollup.schools += 1
        rollup.schools_short_equipment += 1 if report.summary.items_short else 0
        rollup.schools_short_norms += 1 if report.norms_short else 0
        rollup.classrooms += row.classrooms
        rollup.clean_water += row.clean_water
        rollup.internet += row.internet
        rollup.grid_power += row.grid_power
        rollup.toilet_places += row.toilet_places
    rollup.summary = add_summaries(r.summary for r in reports)
    return rollup


# --- The school's overview ---------------------------------------------------------------


@dataclass
class SchoolOverview:
    institution: Institution
    utilities: Utilities
    clean_water: bool
    sites: int
    land_m2: Decimal
    buildings: int
    rooms: dict[str, int]
    rooms_unsafe: int
    housing_units: int
    toilet_blocks: int
    facts: SchoolFacts
    equipment_items: int

    @property
    def room_rows(self) -> list[tuple[str, str, int]]:
        return [(v, label, self.rooms.get(v, 0)) for v, label in RoomType.choices]


def school_overview(*, actor, institution: Institution) -> SchoolOverview:
    facility_school_get(actor=actor, pk=institution.pk)
    pk = institution.pk
    utilities = utilities_get(actor=actor, institution=institution)
    facts = school_facts([pk])[pk]
    return SchoolOverview(
        institution=institution,
        utilities=utilities,
        clean_water=is_clean_water(utilities.water_source, utilities.water_treated),
        sites=Site.objects.filter(institution_id=pk).count(),
        land_m2=facts.land_m2,
        buildings=Building.objects.filter(institution_id=pk).count(),
        rooms=rooms_by_type([pk]).get(pk, {}),
        rooms_unsafe=Room.objects.filter(institution_id=pk, condition=Condition.UNSAFE).count(),
        housing_units=TeacherHousing.objects.filter(institution_id=pk).aggregate(n=Sum("units"))[
            "n"
        ]
        or 0,
        toilet_blocks=ToiletBlock.objects.filter(institution_id=pk).count(),
        facts=facts,
        equipment_items=EquipmentItem.objects.filter(institution_id=pk).aggregate(
            n=Sum("quantity")
        )["n"]
        or 0,
    )


def equipment_list_items(*, list_id: int, query: str = "") -> QuerySet[EquipmentListItem]:
    qs = EquipmentListItem.objects.filter(equipment_list_id=list_id)
    if query:
        qs = qs.filter(Q(search_name__contains=fold(query)) | Q(code__iexact=query))
    return qs.order_by("grade", "subject_code", "code")


def equipment_list_get(*, pk: int) -> EquipmentList:
    return EquipmentList.objects.get(pk=pk)


def norms_all() -> QuerySet[Norm]:
    return Norm.objects.order_by("code")


def norm_get(*, pk: int) -> Norm:
    return Norm.objects.get(pk=pk)
