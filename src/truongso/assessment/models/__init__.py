"""Assessment models: the rule sets (reference data) and the gradebook of each school
(scores, conduct, absences, term closures, comment phrases) with the results computed
from it."""

from truongso.assessment.models.gradebook import (
    AbsenceRecord,
    CommentPhrase,
    ConductRating,
    PassRating,
    Rating,
    ScoreEntry,
    TermClosure,
)
from truongso.assessment.models.primary import (
    PrimaryQualityEntry,
    PrimarySubjectEntry,
    PrimaryYearResult,
)
from truongso.assessment.models.results import (
    AwardKind,
    LearnerTermResult,
    LearnerYearResult,
    Period,
    Promotion,
    SubjectResult,
)
from truongso.assessment.models.rule_sets import EducationLevel, RuleSet
from truongso.assessment.models.summer import ElectiveChoice, SummerReassessment

__all__ = [
    "AbsenceRecord",
    "AwardKind",
    "CommentPhrase",
    "ConductRating",
    "EducationLevel",
    "ElectiveChoice",
    "LearnerTermResult",
    "LearnerYearResult",
    "PassRating",
    "Period",
    "PrimaryQualityEntry",
    "PrimarySubjectEntry",
    "PrimaryYearResult",
    "Promotion",
    "Rating",
    "RuleSet",
    "ScoreEntry",
    "SubjectResult",
    "SummerReassessment",
    "TermClosure",
]
