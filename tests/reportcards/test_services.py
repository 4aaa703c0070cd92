"""Report cards on the known world (tests/world.py): content with exact values, the
workflow (ready → approve → locked; a change after approval is a new version), who may
do what, the PDF and the background run."""

import zipfile

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.reportcards.gradebook import MATHS_TERM_1, fill
from truongso.audit.models import AuditEntry
from truongso.reportcards import selectors, services
from truongso.reportcards.models import JobStatus, ReportCard, ReportCardCopy, ReportCardVersion
from truongso.reportcards.pdf import report_card_pdf
from truongso.reportcards.rules.content import canonical_json, content_sha256


@pytest.fixture
def cards(world):
    fill(world.class_a1, maths_term_1=MATHS_TERM_1)
    services.report_cards_generate(actor=world.teacher_a1_user, school_class=world.class_a1)
    return {c.learner_id: c for c in ReportCard.objects.filter(school_class=world.class_a1)}


def _card(world, learner):
    return ReportCard.objects.select_related("current_version").get(learner=learner)


def test_content_has_exact_values(world, cards):
    card = _card(world, world.learner_an)
    content = card.current_version.content
    assert content["learner"] == {
        "education_id": world.learner_an.education_id or "",
        "personal_id": "001214012345",
        "full_name": "Nguyễn Văn An",
        "date_of_birth": "2014-05-02",
        "sex": "M",
        "ethnicity": "Kinh",
        "place_of_birth": "",
    }
    assert content["class"] == {"name": "6A1", "grade": 6}
    assert content["school"]["name"] == "Trường THCS Ba Đình"
    assert content["school_year"] == "2025-2026"
    assert content["homeroom_teacher"] == "Trần Thị Hoa"
    subjects = {s["code"]: s for s in content["subjects"]}
    # Maths term I is the worked example (71/9 → 7.9); term II all 9; year (7.9 + 18)/3.
    assert (subjects["TOAN"]["term_1"], subjects["TOAN"]["term_2"], subjects["TOAN"]["year"]) == (
        "7.9", "9.0", "8.6")  # fmt: skip
    assert (subjects["NV"]["term_1"], subjects["NV"]["term_2"], subjects["NV"]["year"]) == (
        "8.0", "9.0", "8.7")  # fmt: skip
    assert subjects["GDTC"]["year"] == "dat"
    assert subjects["NV"]["comment_term_2"] == "Chăm chỉ, tiến bộ (NV HK2)"
    assert content["conduct"] == {"term_1": "tot", "term_2": "tot", "year": "tot"}
    assert content["learning"] == {"term_1": "tot", "term_2": "tot", "year": "tot"}
    assert content["days_absent"] == {"term_1": 2, "term_2": 1, "year": 3}
    assert content["promotion"] == {"decision": "promoted", "retest_subjects": []}
    assert content["award"] == "hoc_sinh_gioi"
    assert content["rule_sets"] == ["tt22-2021@1"]
    assert content["incomplete"] == []
    assert content["remarks"] == {"homeroom": "", "principal": ""}
    assert content["checked"] is None and content["approved"] is None
    assert card.current_version.sha256 == content_sha256(content)
    assert card.current_version.sha256 == __import__("hashlib").sha256(
        canonical_json(content)).hexdigest()  # fmt: skip
    assert len(cards) == 3


def test_generating_again_without_change_makes_no_version(world, cards):
    summary = services.report_cards_generate(actor=world.principal_a, school_class=world.class_a1)
    assert (summary.created, summary.refreshed, summary.unchanged) == (0, 0, 3)
    assert ReportCardVersion.objects.count() == 3


def test_ready_approve_locks_and_a_change_makes_a_new_version(world, cards):
    card = _card(world, world.learner_an)
    services.report_card_mark_ready(actor=world.teacher_a1_user, report_card=card)
    card = _card(world, world.learner_an)
    assert card.status == "ready"
    assert card.current_version.content["checked"]["by"] == "gv_a1"
    services.report_card_approve(actor=world.principal_a, report_card=card)
    card = _card(world, world.learner_an)
    approved = card.current_version
    assert (card.status, approved.number, approved.status) == ("approved", 3, "approved")
    assert card.approved_version_id == approved.pk
    assert approved.content["approved"]["by"] == "ht_a"
    # Locked: a bulk run leaves it alone, the teacher cannot change it.
    summary = services.report_cards_generate(actor=world.principal_a, school_class=world.class_a1)
    assert summary.unchanged == 3
    with pytest.raises(PermissionDenied):
        services.report_card_set_remark(actor=world.teacher_a1_user, report_card=card,
                                        kind="homeroom", text="Ngoan")  # fmt: skip
    with pytest.raises(ValidationError) as error:
        services.report_card_set_remark(actor=world.principal_a, report_card=card,
                                        kind="homeroom", text="Ngoan")  # fmt: skip
    assert "reason" in error.value.message_dict
    # A manager changes it with a reason: a new draft version; the approved one stays.
    services.report_card_set_remark(actor=world.principal_a, report_card=card, kind="homeroom",
                                    text="Ngoan, học tốt", reason="Bổ sung nhận xét")  # fmt: skip
    card = _card(world, world.learner_an)
    assert (card.status, card.current_version.number) == ("draft", 4)
    assert card.current_version.content["remarks"]["homeroom"] == "Ngoan, học tốt"
    assert card.current_version.content["approved"] is None
    assert card.approved_version_id == approved.pk
    kept = ReportCardVersion.objects.get(pk=approved.pk)
    assert kept.content == approved.content and kept.sha256 == approved.sha256
    assert list(card.versions.values_list("number", "status")) == [
        (1, "draft"), (2, "ready"), (3, "approved"), (4, "draft")]  # fmt: skip
    actions = list(AuditEntry.objects.filter(object_type="reportcards.reportcard",
                                             object_id=str(card.pk))
                   .order_by("id").values_list("action", flat=True))  # fmt: skip
    assert actions == ["report_card.create", "report_card.ready", "report_card.approve",
                       "report_card.remark_homeroom"]  # fmt: skip


def test_changed_results_after_approval_need_a_reason(world, cards):
    from truongso.assessment.models import ScoreEntry
    from truongso.assessment.services import results_recompute

    card = _card(world, world.learner_an)
    services.report_card_mark_ready(actor=world.teacher_a1_user, report_card=card)
    services.report_card_approve(actor=world.principal_a, report_card=card)
    ScoreEntry.objects.filter(learner=world.learner_an, subject__code="NV",
                              term__number=2).update(end_of_term="10")  # fmt: skip
    results_recompute(school_class=world.class_a1)
    summary = services.report_cards_generate(actor=world.principal_a, school_class=world.class_a1)
    assert summary.locked == 1
    with pytest.raises(ValidationError):
        services.report_card_refresh(actor=world.principal_a, report_card=card)
    services.report_card_refresh(actor=world.principal_a, report_card=card, reason="Chấm lại")
    card = _card(world, world.learner_an)
    subjects = {s["code"]: s for s in card.current_version.content["subjects"]}
    assert subjects["NV"]["term_2"] == "9.3"  # (9·4 + 18 + 30) / 9 = 84/9
    assert (card.status, card.current_version.number) == ("draft", 4)
    assert card.approved_version.number == 3


def test_teacher_of_another_class_cannot_mark_ready(world, cards):
    card = _card(world, world.learner_an)
    with pytest.raises(PermissionDenied):
        services.report_card_mark_ready(actor=world.teacher_a2_user, report_card=card)
    with pytest.raises(PermissionDenied):
        services.report_card_mark_ready(actor=world.teacher_b_user, report_card=card)
    with pytest.raises(PermissionDenied):
        services.report_cards_generate(actor=world.teacher_a2_user, school_class=world.class_a1)
    # School staff may mark ready; only the principal approves.
    services.report_card_mark_ready(actor=world.staff_a, report_card=card)
    with pytest.raises(PermissionDenied):
        services.report_card_approve(actor=world.staff_a, report_card=card)
    with pytest.raises(PermissionDenied):
        services.report_card_approve(actor=world.teacher_a1_user, report_card=card)


def test_office_reads_but_cannot_approve(world, cards):
    card = _card(world, world.learner_an)
    services.report_card_mark_ready(actor=world.teacher_a1_user, report_card=card)
    assert selectors.report_card_get(actor=world.province_p1, pk=card.pk) == card
    with pytest.raises(PermissionDenied):
        services.report_card_approve(actor=world.province_p1, report_card=card)
    with pytest.raises(ReportCard.DoesNotExist):
        selectors.report_card_get(actor=world.province_p2, pk=card.pk)
    assert _card(world, world.learner_an).status == "ready"


def test_guardian_sees_only_their_own_child(world, cards):
    guardian = world.guardian_an_user
    assert [c.learner_id for c in selectors.report_card_list(actor=guardian)] == [
        world.learner_an.pk]  # fmt: skip
    assert [c.learner_id for c in selectors.guardian_cards(actor=guardian)] == [
        world.learner_an.pk]  # fmt: skip
    with pytest.raises(ReportCard.DoesNotExist):
        selectors.report_card_get(actor=guardian, pk=cards[world.learner_binh.pk].pk)
    with pytest.raises(PermissionDenied):
        services.report_card_mark_ready(actor=guardian, report_card=cards[world.learner_an.pk])
    # A teacher who only teaches the class (not homeroom) sees no report card.
    assert list(selectors.report_card_list(actor=world.teacher_a2_user)) == []


def test_incomplete_card_cannot_be_marked_ready(world):
    from truongso.assessment.models import ScoreEntry
    from truongso.assessment.services import results_recompute

    fill(world.class_a1)
    ScoreEntry.objects.filter(learner=world.learner_binh, subject__code="TOAN",
                              term__number=2).update(end_of_term=None)  # fmt: skip
    results_recompute(school_class=world.class_a1)
    summary = services.report_cards_generate(actor=world.principal_a, school_class=world.class_a1)
    assert (summary.created, summary.incomplete) == (3, 1)
    card = _card(world, world.learner_binh)
    assert card.current_version.content["incomplete"] == ["thiếu điểm cuối kỳ môn Toán học kỳ II"]
    with pytest.raises(ValidationError) as error:
        services.report_card_mark_ready(actor=world.teacher_a1_user, report_card=card)
    assert "thiếu điểm cuối kỳ môn Toán học kỳ II" in error.value.messages[0]


def test_completion_of_lower_secondary_only_grade_9_by_the_principal(world, cards):
    card = _card(world, world.learner_an)
    with pytest.raises(PermissionDenied):
        services.report_card_set_completion(actor=world.staff_a, report_card=card, completed=True)
    with pytest.raises(ValidationError):
        services.report_card_set_completion(actor=world.principal_a, report_card=card,
                                            completed=True)  # fmt: skip


def test_pdf_renders_with_the_learners_name(world, cards):
    card = _card(world, world.learner_an)
    pdf = report_card_pdf(card.current_version)
    assert pdf.startswith(b"%PDF")
    # The title (XMP metadata, UTF-8) names the learner; the keywords carry the digest.
    assert "Học bạ Nguyễn Văn An 2025-2026".encode() in pdf
    assert card.current_version.sha256.encode() in pdf
    # The same version gives the same bytes.
    assert report_card_pdf(card.current_version) == pdf


def test_copy_log(world, cards):
    card = _card(world, world.learner_an)
    services.report_card_copy_issue(actor=world.principal_a, report_card=card,
                                    recipient="Trường THPT Chu Văn An",
                                    purpose="Chuyển trường")  # fmt: skip
    with pytest.raises(PermissionDenied):
        services.report_card_copy_issue(actor=world.guardian_an_user, report_card=card,
                                        recipient="Ai đó")  # fmt: skip
    services.report_card_copy_issue(actor=world.guardian_an_user, report_card=card)
    rows = list(ReportCardCopy.objects.order_by("id").values_list("recipient", "purpose"))
    assert rows == [("Trường THPT Chu Văn An", "Chuyển trường"), ("ph_an", "")]


def _card_selects(queries) -> list[str]:
    return [q["sql"] for q in queries if 'FROM "reportcards_reportcard"' in q["sql"]]


def test_copy_of_a_card_read_under_the_same_scope_is_not_read_again(world, cards):
    card = selectors.report_card_for_copy(actor=world.guardian_an_user,
                                          pk=_card(world, world.learner_an).pk)  # fmt: skip
    with CaptureQueriesContext(connection) as queries:
        copy = services.report_card_copy_issue(actor=world.guardian_an_user, report_card=card)
    assert _card_selects(queries.captured_queries) == []
    assert (copy.report_card_id, copy.version_id, copy.issued_by) == (
        card.pk, card.current_version_id, world.guardian_an_user)  # fmt: skip
    entry = AuditEntry.objects.get(action="report_card.copy")
    assert (entry.object_id, entry.actor_id) == (str(copy.pk), world.guardian_an_user.pk)


def test_copy_of_a_card_read_by_someone_else_is_checked_again(world, cards):
    an = _card(world, world.learner_an)
    # Read by the school's principal, handed with another actor: each is read again
    # under the actor's own scope, and refused where that scope does not reach.
    card = selectors.report_card_get(actor=world.principal_a, pk=an.pk)
    for outsider in (world.principal_b, world.teacher_b_user, world.teacher_a2_user):
        with pytest.raises(ReportCard.DoesNotExist):
            services.report_card_copy_issue(actor=outsider, report_card=card)
    assert ReportCardCopy.objects.count() == 0
    with CaptureQueriesContext(connection) as queries:
        services.report_card_copy_issue(actor=world.guardian_an_user, report_card=card)
    assert len(_card_selects(queries.captured_queries)) == 1
    assert ReportCardCopy.objects.get().issued_by == world.guardian_an_user
    # The same user loaded again is another scope: the card is read again.
    again = type(world.guardian_an_user).objects.get(pk=world.guardian_an_user.pk)
    mine = selectors.report_card_for_copy(actor=world.guardian_an_user, pk=an.pk)
    assert selectors.read_under_scope(world.guardian_an_user, mine) is True
    assert selectors.read_under_scope(again, mine) is False


def test_copy_selector_is_scoped(world, cards):
    an = _card(world, world.learner_an)
    binh = _card(world, world.learner_binh)
    assert selectors.report_card_for_copy(actor=world.guardian_an_user, pk=an.pk).pk == an.pk
    for actor, pk in ((world.guardian_an_user, binh.pk), (world.principal_b, an.pk),
                      (world.teacher_a2_user, an.pk), (world.teacher_b_user, an.pk)):  # fmt: skip
        with pytest.raises(ReportCard.DoesNotExist):
            selectors.report_card_for_copy(actor=actor, pk=pk)
    card = selectors.report_card_for_copy(actor=world.teacher_a1_user, pk=an.pk)
    assert (card.school_year.name, card.current_version.number) == ("2025-2026", 1)


def test_pdf_of_an_unapproved_version_looks_up_no_credential(world, cards,
                                                            django_assert_num_queries):  # fmt: skip
    card = _card(world, world.learner_an)
    with django_assert_num_queries(0):
        pdf = report_card_pdf(card.current_version)
    assert card.current_version.sha256.encode() in pdf


def test_copies_of_a_run_are_logged_at_once_and_only_when_all_are_readable(world, cards):
    versions = [c.current_version for c in _cards_of(world.class_a1)]
    with pytest.raises(ReportCard.DoesNotExist):
        services.report_card_copies_issue(actor=world.teacher_a2_user, versions=versions)
    assert (ReportCardCopy.objects.count(), AuditEntry.objects.filter(
        action="report_card.copies").count()) == (0, 0)  # fmt: skip
    copies = services.report_card_copies_issue(actor=world.teacher_a1_user, versions=versions,
                                               purpose="In  cả lớp")  # fmt: skip
    rows = ReportCardCopy.objects.order_by("report_card_id")
    logged = [(r.report_card_id, r.version_id, r.issued_by, r.recipient, r.purpose) for r in rows]
    assert logged == [
        (v.report_card_id, v.pk, world.teacher_a1_user, "gv_a1", "In cả lớp")
        for v in sorted(versions, key=lambda v: v.report_card_id)
    ]  # fmt: skip
    assert len(copies) == 3
    entry = AuditEntry.objects.get(action="report_card.copies")
    assert entry.after == {"copies": 3, "report_cards": sorted(v.report_card_id for v in versions),
                           "versions": sorted(v.pk for v in versions),
                           "purpose": "In cả lớp"}  # fmt: skip
    assert AuditEntry.objects.filter(action="report_card.copy").count() == 0


def _cards_of(school_class):
    return list(ReportCard.objects.filter(school_class=school_class).select_related(
        "current_version"))  # fmt: skip


def test_background_job_for_a_school_records_progress(world):
    fill(world.class_a1)
    fill(world.class_a2)
    job = services.report_card_job_start(actor=world.principal_a, institution=world.school_a,
                                         school_year=world.year)  # fmt: skip
    assert (job.status, job.total, job.done) == (JobStatus.DONE, 6, 6)
    assert (job.created, job.refreshed, job.locked) == (6, 0, 0)
    with job.file.open("rb") as handle, zipfile.ZipFile(handle) as archive:
        names = sorted(archive.namelist())
        assert len(names) == 6
        assert names[0].startswith("6a1/")
        assert archive.read(names[0]).startswith(b"%PDF")
    # Every PDF of the run is in the log of copies; one audit entry per class.
    copies = ReportCardCopy.objects.filter(issued_by=world.principal_a)
    school_cards = ReportCard.objects.filter(institution=world.school_a)
    assert sorted(copies.values_list("report_card_id", flat=True)) == sorted(
        school_cards.values_list("pk", flat=True))  # fmt: skip
    assert set(copies.values_list("purpose", flat=True)) == {"In học bạ cả lớp"}
    entries = AuditEntry.objects.filter(action="report_card.copies").order_by("id")
    assert [(e.object_id, e.after["copies"]) for e in entries] == [(str(job.pk), 3)] * 2
    with pytest.raises(PermissionDenied):
        services.report_card_job_start(actor=world.teacher_a1_user, institution=world.school_a,
                                       school_year=world.year)  # fmt: skip
