"""History pages: who changed what, when, from what to what, and why."""

from __future__ import annotations

from django.apps import apps
from django.contrib.auth.decorators import login_required
from django.core.exceptions import FieldDoesNotExist
from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _

from truongso.audit import selectors
from truongso.web.shortcuts import get_or_404, paginate

# Where the "back" link of a history page goes, by record type.
DETAIL_URLS = {
    "learner": "learners:detail",
    "staff": "staff:detail",
    "class": "academics:class_detail",
    "institution": "units:institution_detail",
}
FOREIGN_KEY_NAMES = {"units.institution": "institution", "academics.schoolclass": "class"}


def _field(model, attname: str):
    if model is None:
        return None
    for field in model._meta.concrete_fields:
        if field.attname == attname or field.name == attname:
            return field
    try:
        return model._meta.get_field(attname)
    except FieldDoesNotExist:
        return None


def _display(field, value, names: dict) -> str:
    if value is None or value == "" or value == []:
        return "—"
    if isinstance(value, bool):
        return _("Có") if value else _("Không")
    if field is not None and field.choices:
        labels = {str(k): str(v) for k, v in field.flatchoices}
        return labels.get(str(value), str(value))
    if field is not None and getattr(field, "related_model", None) is not None:
        label = field.related_model._meta.label_lower
        name = names.get((label, value))
        return name or f"#{value}"
    if isinstance(value, list):
        from truongso.learners.models import PolicyCategory

        labels = dict(PolicyCategory.choices)
        return ", ".join(str(labels.get(v, v)) for v in value)
    return str(value)


def _names(entries, actor) -> dict:
    """Names for the institutions and classes that history values point to."""
    from truongso.academics.selectors import class_list

    institution_ids, class_ids = set(), set()
    for entry in entries:
        for data in (entry.before or {}, entry.after or {}):
            for key, value in data.items():
                if not isinstance(value, int) or isinstance(value, bool):
                    continue
                if key in ("institution_id", "other_institution_id"):
                    institution_ids.add(value)
                elif key.endswith("class_id"):
                    class_ids.add(value)
    names = {
        ("units.institution", pk): n
        for pk, n in selectors.institution_names(institution_ids).items()
    }
    if class_ids:
        for c in class_list(actor=actor).filter(pk__in=class_ids):
            names[("academics.schoolclass", c.pk)] = f"{c.name} ({c.school_year})"
    return names


def history_rows(entries, actor, main_type: str = "") -> list[dict]:
    from truongso.web.templatetags.truongso import action_label

    names = _names(entries, actor)
    rows = []
    for entry in entries:
        try:
            model = apps.get_model(entry.object_type)
        except (LookupError, ValueError):
            model = None
        changes = []
        for key, before, after in entry.changed_fields():
            field = _field(model, key)
            label = str(field.verbose_name) if field is not None else key
            changes.append(
                {
                    "field": label[:1].upper() + label[1:],
                    "before": _display(field, before, names),
                    "after": _display(field, after, names),
                }
            )
        rows.append(
            {
                "entry": entry,
                "action": action_label(entry.action),
                "related": ""
                if entry.object_type == main_type
                else (model._meta.verbose_name if model is not None else entry.object_type),
                "changes": changes,
            }
        )
    return rows


def render_history(request, *, record, record_type: str, entries):
    page = paginate(request, entries)
    return render(
        request,
        "audit/history.html",
        {
            "record": record,
            "record_type": record_type,
            "page_obj": page,
            "rows": history_rows(
                page.object_list, request.user, selectors.RECORD_TYPES[record_type]
            ),
            "back_url": reverse(DETAIL_URLS[record_type], args=[record.pk]),
        },
    )


@login_required
def record(request, record_type: str, object_id: int):
    if record_type not in selectors.RECORD_TYPES:
        raise Http404
    record, entries = get_or_404(
        selectors.record_history, actor=request.user, record_type=record_type, object_id=object_id
    )
    return render_history(request, record=record, record_type=record_type, entries=entries)
