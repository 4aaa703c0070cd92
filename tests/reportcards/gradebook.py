"""Fill a class's gradebook of the known world with known scores (rows written as
seed data, results computed by the assessment service)."""

from __future__ import annotations

from decimal import Decimal

from truongso.assessment.models import AbsenceRecord, ConductRating, ScoreEntry
from truongso.assessment.selectors.gradebook import class_context, class_learners
from truongso.assessment.services import results_recompute

# Maths of the first learner: the worked example of the regulation in term I.
MATHS_TERM_1 = (["8", "9", "10", "6"], "7", "8")


def fill(school_class, *, learners=None, score_1="8", score_2="9", conduct=("tot", "tot"),
         days_excused=(2, 1), maths_term_1=None, comment="Chăm chỉ, tiến bộ"):  # fmt: skip
    """Every subject of the class for both terms: regular, mid- and end-of-term scores
    ``score_1`` in term I and ``score_2`` in term II, comment subjects Đạt; conduct and
    days absent as given. ``maths_term_1`` replaces maths in term I."""
    context = class_context(school_class)
    learners = learners or class_learners(school_class)
    rows, conducts, absences = [], [], []
    for learner in learners:
        for number, term in context.terms.items():
            score = score_1 if number == 1 else score_2
            for subject in context.subjects:
                row = ScoreEntry(institution_id=school_class.institution_id,
                                 school_class=school_class, learner=learner,
                                 subject=subject.subject, term=term, version=1,
                                 comment=f"{comment} ({subject.code} HK{number})")  # fmt: skip
                if subject.scored:
                    regular, mid, end = [score] * subject.regular_count, score, score
                    if subject.code == "TOAN" and number == 1 and maths_term_1:
                        regular, mid, end = maths_term_1
                    row.regular = [str(Decimal(v).quantize(Decimal("0.1"))) for v in regular]
                    row.mid_term, row.end_of_term = Decimal(mid), Decimal(end)
                else:
                    row.rating = "dat"
                rows.append(row)
            conducts.append(ConductRating(institution_id=school_class.institution_id,
                                          school_class=school_class, learner=learner, term=term,
                                          version=1, level=conduct[number - 1]))  # fmt: skip
            absences.append(AbsenceRecord(institution_id=school_class.institution_id,
                                          school_class=school_class, learner=learner, term=term,
                                          version=1,
                                          days_excused=days_excused[number - 1]))  # fmt: skip
    ScoreEntry.objects.bulk_create(rows)
    ConductRating.objects.bulk_create(conducts)
    AbsenceRecord.objects.bulk_create(absences)
    results_recompute(school_class=school_class)
