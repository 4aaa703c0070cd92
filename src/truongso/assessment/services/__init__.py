"""Writes of the assessment app. Rule sets: ``rule_sets``; the gradebook (scores,
conduct, absences, comment phrases): ``gradebook``; term closure: ``closure``; the
computed results: ``results``."""

from truongso.assessment.services.closure import term_close, term_reopen
from truongso.assessment.services.gradebook import (
    EditConflict,
    Saved,
    absences_set,
    comment_phrase_add,
    comment_phrase_delete,
    conduct_set,
    score_set,
)
from truongso.assessment.services.results import RecomputeSummary, results_recompute
from truongso.assessment.services.rule_sets import (
    rule_set_check_revision,
    rule_set_revise,
    rule_set_rules,
    rule_sets_load_builtin,
)

__all__ = [
    "EditConflict",
    "RecomputeSummary",
    "Saved",
    "absences_set",
    "comment_phrase_add",
    "comment_phrase_delete",
    "conduct_set",
    "results_recompute",
    "rule_set_check_revision",
    "rule_set_revise",
    "rule_set_rules",
    "rule_sets_load_builtin",
    "score_set",
    "term_close",
    "term_reopen",
]
