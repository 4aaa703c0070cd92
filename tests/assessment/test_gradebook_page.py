"""The gradebook grid page: how many queries it sends, and the rows it reads in one
query (cells, versions, term and year results, learners who moved away)."""

import re
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation

from truongso.academics.models import Subject
from truongso.assessment import display
from truongso.assessment.models import ScoreEntry
from truongso.assessment.selectors.gradebook import class_terms, gradebook_get, gradebook_rows
from truongso.assessment.services import score_set
from truongso.assessment.templatetags.gradebook_grid import score_text
from truongso.learners.models import Learner

pytestmark = pytest.mark.django_db

FULL = {"regular_1": "8", "regular_2": "9.5", "regular_3": "10", "regular_4": "6",
        "mid_term": "7", "end_of_term": "8"}  # fmt: skip


def _fill(world, learner, cells, term_number, actor=None):
    subject = Subject.objects.get(code="TOAN")
    term = class_terms(world.class_a1)[term_number]
    version = 0
    for field, value in cells.items():
        version = score_set(actor=actor or world.teacher_a1_user, school_class=world.class_a1,
                            subject=subject, term=term, learner=learner, field=field,
                            value=value, version=version).row.version  # fmt: skip


def _get(user, url):
    client = Client()
    client.force_login(user)
    return client.get(url)


def _url(world, subject="TOAN", term=1):
    return reverse("assessment:gradebook", args=[world.class_a1.pk, subject]) + f"?term={term}"


def test_the_page_sends_ten_queries_at_most(world, django_assert_max_num_queries):
    _fill(world, world.learner_an, FULL, 1)
    client = Client()
    client.force_login(world.teacher_a1_user)
    # session, user, class, scope, rule sets, terms, subjects, closure, rows, phrases
    with django_assert_max_num_queries(10):
        response = client.get(_url(world))
    assert response.status_code == 200


def test_rows_read_in_one_query(world, django_assert_num_queries):
    _fill(world, world.learner_an, FULL, 1)
    _fill(world, world.learner_an, FULL, 2)
    _fill(world, world.learner_binh, {"mid_term": "6.5", "comment": "Cần cố gắng"}, 2)
    # Cường moves away after scores were entered: still listed, marked as moved.
    _fill(world, world.learner_cuong, {"regular_1": "5"}, 2)
    Learner.objects.filter(pk=world.learner_cuong.pk).update(current_class=world.class_a2)
    book = gradebook_get(actor=world.teacher_a1_user, class_pk=world.class_a1.pk,
                         subject_code="TOAN")  # fmt: skip
    term = book.context.terms[2]
    with django_assert_num_queries(1):
        rows = gradebook_rows(gradebook=book, term=term)
    assert [row.learner.full_name for row in rows] == [
        "Nguyễn Văn An", "Trần Thị Bình", "Lê Đức Cường"]  # fmt: skip
    an, binh, cuong = rows
    assert an.cells == {"regular_1": Decimal("8.0"), "regular_2": Decimal("9.5"),
                        "regular_3": Decimal("10.0"), "regular_4": Decimal("6.0"),
                        "mid_term": Decimal("7.0"), "end_of_term": Decimal("8.0"),
                        "comment": ""}  # fmt: skip
    assert an.version == ScoreEntry.objects.get(learner=world.learner_an, term=term).version
    # (8 + 9.5 + 10 + 6 + 2×7 + 3×8) / 9 = 7.94 → 7.9, both terms alike → year 7.9
    assert (an.term_result.average, an.year_result.average) == (Decimal("7.9"), Decimal("7.9"))
    assert an.term_result.missing == [] and an.current
    assert binh.cells["mid_term"] == Decimal("6.5") and binh.cells["comment"] == "Cần cố gắng"
    assert binh.cells["regular_1"] is None and binh.cells["end_of_term"] is None
    assert binh.term_result.average is None and binh.term_result.missing != []
    assert binh.year_result is not None and binh.year_result.average is None
    assert cuong.cells["regular_1"] == Decimal("5.0") and not cuong.current


def test_grid_html_of_a_row(world):
    _fill(world, world.learner_an, FULL, 1)
    _fill(world, world.learner_an, FULL, 2)
    html = _get(world.teacher_a1_user, _url(world, term=2)).content.decode()
    an = world.learner_an.pk
    row = re.search(rf'<tr data-learner="{an}".*?</tr>', html, re.S).group(0)
    assert (
        f'<input class="cell" name="c-{an}-regular_2" value="9,5" data-field="regular_2" '
        'data-saved="9,5" autocomplete="off" aria-label="TX2 – Nguyễn Văn An" '
        'inputmode="decimal" size="3" maxlength="4">' in row
    )
    assert '<td class="num avg" data-result="term" title="">7,9</td>' in row
    assert '<td class="num avg" data-result="year" title="">7,9</td>' in row
    assert f'<input class="cell comment" name="c-{an}-comment" value=""' in row
    # Read only for the homeroom teacher of 6A1 in literature: texts, no inputs.
    html = _get(world.teacher_a1_user, _url(world, "NV", term=2)).content.decode()
    row = re.search(rf'<tr data-learner="{an}".*?</tr>', html, re.S).group(0)
    assert "<input class=" not in row
    assert row.count('<td class="num">') == 7  # the number, 4 TX, GK, CK (all empty)


def test_missing_items_are_named_in_the_title(world):
    _fill(world, world.learner_binh, {"mid_term": "6.5"}, 1)
    html = _get(world.teacher_a1_user, _url(world)).content.decode()
    binh = world.learner_binh.pk
    row = re.search(rf'<tr data-learner="{binh}".*?</tr>', html, re.S).group(0)
    title = re.search(r'data-result="term" title="([^"]*)"', row).group(1)
    assert title and "Toán" in title


@pytest.mark.parametrize("value", ["8", "8.0", "7.5", "10.0", "0.0", "9.50"])
def test_score_text_as_display(value):
    with translation.override("vi"):
        assert score_text(Decimal(value), ",") == display.score_text(Decimal(value))
    with translation.override("en"):
        assert score_text(Decimal(value), ".") == display.score_text(Decimal(value))
