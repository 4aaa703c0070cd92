"""Elective subjects in upper secondary (2018 curriculum, Circular 32/2018 as amended
by Circular 13/2022): besides the compulsory subjects, each learner of grades 10–12
studies four subjects chosen from the elective group (geography, economics and law,
physics, chemistry, biology, technology, computing, music, fine arts).

Pure: what a learner's choice must satisfy.
"""

from __future__ import annotations

from collections.abc import Collection

# How many elective subjects a learner studies (our reading of the curriculum: four of
# the nine; a school with a different number per its approved plan changes this).
ELECTIVE_COUNT = 4

WRONG_COUNT = "wrong_count"  # details: count, expected
NOT_ELECTIVE = "not_elective"  # details: subject


def elective_choice_problem(
    chosen: Collection[str], offered: Collection[str], expected: int = ELECTIVE_COUNT
) -> tuple[str, dict] | None:
    """What is wrong with a learner's elective choice (subject codes), or None: every
    subject must be an elective of the grade, and there must be exactly ``expected``
    of them (none at all clears the choice: the class's electives apply)."""
    for subject in sorted(chosen):
        if subject not in offered:
            return NOT_ELECTIVE, {"subject": subject}
    if chosen and len(set(chosen)) != expected:
        return WRONG_COUNT, {"count": len(set(chosen)), "expected": expected}
    return None
