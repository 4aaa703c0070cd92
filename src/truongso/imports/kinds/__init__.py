"""One module per kind of import: how a row is checked against the database, and how
the checked rows are written. Called by imports.services only, inside its transaction."""

from __future__ import annotations

from django.utils import translation

from truongso.imports.rules.columns import CLASSES, LEARNERS, STAFF
from truongso.imports.rules.values import choice_table


def choices_everywhere(choices, extra: dict[str, str] | None = None) -> dict[str, str]:
    """Folded label (Vietnamese or English) or code → code."""
    pairs: list[tuple[str, str]] = []
    for language in ("vi", "en"):
        with translation.override(language):
            pairs += [(code, str(label)) for code, label in choices.choices]
    table = choice_table(pairs)
    for name, code in (extra or {}).items():
        table.setdefault(name, code)
    return table


def translated_headers(kind: str) -> dict[str, str]:
    """The template's headers as translated into every language of the site (a template
    downloaded in English has English headers)."""
    from django.conf import settings

    from truongso.imports.rules.columns import COLUMNS, header_key

    headers: dict[str, str] = {}
    for language, _name in settings.LANGUAGES:
        with translation.override(language):
            for column in COLUMNS[kind]:
                headers.setdefault(header_key(translation.gettext(column.label)), column.key)
    return headers


class PersonImport:
    """What the learner and staff imports share: which personal IDs and education
    identifiers in the file are already used by another record, and the planner that
    decides new / updated / unchanged for each row. Subclasses set ``model`` and
    ``self.planner``."""

    model: type
    institution: object
    planner: object

    def used_elsewhere(self, rows) -> tuple[set[str], set[str]]:
        from truongso.imports.selectors import numbers_used_elsewhere

        return numbers_used_elsewhere(
            self.model,
            institution=self.institution,
            personal_ids={r.personal_id for r in rows if r.personal_id},
            education_ids={r.education_id for r in rows if r.education_id},
        )

    def plan(self, row, problems, pid_elsewhere: bool, edu_elsewhere: bool):
        return self.planner.plan(row, problems, personal_id_elsewhere=pid_elsewhere,
                                 education_id_elsewhere=edu_elsewhere)  # fmt: skip


def importer_for(kind: str, *, actor, institution):
    if kind == LEARNERS:
        from truongso.imports.kinds.learners import LearnerImport

        return LearnerImport(actor=actor, institution=institution)
    if kind == STAFF:
        from truongso.imports.kinds.staff import StaffImport

        return StaffImport(actor=actor, institution=institution)
    if kind == CLASSES:
        from truongso.imports.kinds.classes import ClassImport

        return ClassImport(actor=actor, institution=institution)
    raise ValueError(kind)
