"""Reads of the assessment app. Rule sets: ``rule_sets``; who may open which gradebook
and what it shows: ``gradebook``; class and learner results: ``results``."""

from truongso.assessment.selectors.rule_sets import (
    RuleSetNotFound,
    RuleSetNotInForce,
    rule_set_get,
    rule_set_in_force,
    rule_set_info,
    rule_set_latest_versions,
    rule_set_versions,
)

__all__ = [
    "RuleSetNotFound",
    "RuleSetNotInForce",
    "rule_set_get",
    "rule_set_in_force",
    "rule_set_info",
    "rule_set_latest_versions",
    "rule_set_versions",
]
