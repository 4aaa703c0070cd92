"""Large-data generation, run small. On PostgreSQL (DATABASE_URL) the same tests run
the COPY path; on SQLite the bulk_create path."""

import datetime as dt
from collections import Counter

import pytest
from django.core.management import call_command
from django.db import connection

from truongso.academics.models import SchoolClass
from truongso.audit.services import model_snapshot
from truongso.core.rules.text import fold
from truongso.demo import generator
from truongso.demo.builder import DemoError
from truongso.demo.generator import GenerateOptions, generate
from truongso.learners.models import EnrolmentEvent, IdentifierCounter, Learner
from truongso.learners.services import prepare_learner
from truongso.units.models import Institution

TODAY = dt.date(2026, 11, 23)


def test_counts_sizes_and_derived_fields(thai_nguyen):
    province, communes = thai_nguyen
    messages = []
    report = generate(
        GenerateOptions(learners=2500, seed=7, chunk=1000, today=TODAY), progress=messages.append
    )
    assert (report.institutions, report.learners, report.events) == (3, 2500, 2500)
    schools = list(Institution.objects.order_by("pk"))
    assert [s.kind for s in schools] == ["primary", "lower_secondary", "primary"]
    assert [s.learners.count() for s in schools] == [834, 833, 833]
    assert {s.province_id for s in schools} == {province.pk}
    assert {s.commune_id for s in schools} <= {c.pk for c in communes}
    assert all(s.search_name == fold(s.name) for s in schools)
    classes = SchoolClass.objects.filter(school_year__name="2026-2027")
    assert classes.count() == report.classes == 21 + 21 + 21
    # 834 learners in 21 classes: 15 of 40 and 6 of 39; 833: 14 of 40 and 7 of 39.
    sizes = Counter(c.learners.count() for c in classes)
    assert sizes == {40: 15 + 14 + 14, 39: 6 + 7 + 7}
    assert messages[-1].startswith("học sinh: 2500/2500")

    learners = list(Learner.objects.select_related("current_class"))
    assert len({x.education_id for x in learners}) == 2500
    assert IdentifierCounter.objects.get(prefix="19").next_value == 2501
    for learner in learners:
        copy = Learner(**{f.attname: getattr(learner, f.attname)
                          for f in Learner._meta.concrete_fields})  # fmt: skip
        copy.search_name = copy.personal_id_status = ""
        prepare_learner(copy)
        assert model_snapshot(copy) == model_snapshot(learner)
        assert learner.search_name == copy.search_name
        assert (learner.version, learner.status, learner.policy_categories) == (1, "studying", [])
        assert learner.grade == learner.current_class.grade
        assert learner.institution_id == learner.current_class.institution_id
        assert learner.date_of_birth.year in (2026 - 5 - learner.grade, 2026 - 6 - learner.grade)
        learner.full_clean()
    statuses = Counter(x.personal_id_status for x in learners)
    assert set(statuses) == {"ok", "warning", "missing"}
    assert statuses["ok"] > 2300
    events = EnrolmentEvent.objects.all()
    assert events.count() == 2500
    assert set(events.values_list("kind", flat=True)) == {"admit"}
    for event in events.select_related("learner"):
        assert event.institution_id == event.learner.institution_id
        assert event.to_class_id == event.learner.current_class_id
        assert event.occurred_on == event.learner.enrolled_on == dt.date(2026, 9, 5)


def test_same_seed_same_learners_and_runs_add_up(thai_nguyen):
    generate(GenerateOptions(learners=120, seed=3, today=TODAY))
    first = sorted(Learner.objects.values_list("full_name", "date_of_birth", "personal_id"))
    Learner.objects.all().delete()
    generate(GenerateOptions(learners=120, seed=3, today=TODAY))
    assert sorted(Learner.objects.values_list("full_name", "date_of_birth", "personal_id")) == first
    assert Institution.objects.count() == 2
    assert len(set(Institution.objects.values_list("code", flat=True))) == 2


def test_all_provinces(thai_nguyen):
    from tests.demo.conftest import _unit

    country = thai_nguyen[0].parent
    hanoi = _unit("01", "Thành phố Hà Nội", "province", country, "Hà Nội", "Thành phố")
    _unit("00004", "Phường Ba Đình", "commune", hanoi, "Ba Đình", "Phường")
    generate(GenerateOptions(learners=4000, all_provinces=True, today=TODAY))
    by_province = Counter(Learner.objects.values_list("institution__province__code", flat=True))
    assert by_province == {"01": 2000, "19": 2000}
    assert Learner.objects.filter(institution__province__code="01",
                                  education_id__startswith="01").count() == 2000  # fmt: skip


def test_command(thai_nguyen, capsys):
    call_command("generate", learners=50, seed=2)
    out = capsys.readouterr().out
    assert "Xong: 1 cơ sở giáo dục, 1 lớp, 50 học sinh, 50 sự kiện" in out
    with pytest.raises(DemoError):
        generate(GenerateOptions(learners=0))


@pytest.mark.skipif(connection.vendor != "postgresql", reason="COPY and index rebuild")
def test_bulk_load_rebuilds_the_indexes_it_drops(thai_nguyen, monkeypatch):
    def indexes():
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT indexname, indexdef FROM pg_indexes WHERE tablename IN "
                "('learners_learner', 'learners_enrolmentevent') ORDER BY indexname"
            )
            return cursor.fetchall()

    before = indexes()
    assert "learners_learner_search_trgm" in dict(before)
    monkeypatch.setattr(generator, "BULK_LOAD_MIN", 100)
    messages = []
    generate(GenerateOptions(learners=300, today=TODAY), progress=messages.append)
    assert indexes() == before
    dropped = len([m for m in messages if m.startswith("chỉ mục ")])
    assert dropped == len(before) - 3  # all but the primary keys and the unique identifier
    assert Learner.objects.count() == EnrolmentEvent.objects.count() == 300
