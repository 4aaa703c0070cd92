"""Helpers every view uses: 404 for records out of scope, pagination, service errors."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any, TypeVar

from django.conf import settings
from django.core.exceptions import NON_FIELD_ERRORS, ObjectDoesNotExist, ValidationError
from django.core.paginator import Page, Paginator
from django.http import Http404

T = TypeVar("T")


def get_or_404(selector: Callable[..., T], **kwargs: Any) -> T:
    """Call a scoped selector; a missing record and one outside the user's scope are
    the same 404, so nobody learns that another school's record exists."""
    try:
        return selector(**kwargs)
    except (ObjectDoesNotExist, ValueError, TypeError):
        raise Http404


def paginate(request, queryset, per_page: int | None = None) -> Page:
    paginator = Paginator(queryset, per_page or settings.PAGE_SIZE)
    return paginator.get_page(request.GET.get("page"))


def int_or_none(value: Any) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def date_or_none(value: Any) -> dt.date | None:
    try:
        return dt.date.fromisoformat(str(value))
    except (TypeError, ValueError):
        return None


def add_service_errors(form, error: ValidationError) -> None:
    """Show a service's ValidationError on the form: on the field it names when the form
    has that field, otherwise at the top of the form."""
    if hasattr(error, "error_dict"):
        for name, errors in error.error_dict.items():
            field = name if name in form.fields else None
            if name == NON_FIELD_ERRORS:
                field = None
            for item in errors:
                form.add_error(field, item.messages if field is None else item)
    else:
        form.add_error(None, error.messages)
