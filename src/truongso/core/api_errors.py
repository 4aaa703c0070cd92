"""How the API reports errors, and the small helpers its endpoints share.

Every error body has a ``detail`` message; a 422 also has ``errors``, a mapping from
each field at fault to its messages (``__all__`` for an error of the whole request):

    400 {"detail": "..."}            the body is not JSON
    401 {"detail": "..."}            no token, or a revoked or unknown one
    403 {"detail": "..."}            signed in, may see the record, may not do this
    404 {"detail": "..."}            not found, or outside the caller's scope (the same)
    422 {"detail": "...", "errors": {"full_name": ["..."], "__all__": ["..."]}}
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any, TypeVar

from django.core.exceptions import NON_FIELD_ERRORS, ObjectDoesNotExist, ValidationError
from django.http import Http404
from django.utils.translation import gettext as _
from ninja import Schema

T = TypeVar("T")

# Where ninja says an input came from; the field name follows.
_SOURCES = {"body", "query", "path", "header", "cookie", "form", "file"}
# Names of endpoint arguments that hold a whole schema (not a field of the request).
_ARGUMENTS = {"payload", "filters", "ninja_pagination", "data"}


class ErrorOut(Schema):
    detail: str


class ValidationErrorOut(Schema):
    detail: str
    errors: dict[str, list[str]]


def message_unauthorized() -> str:
    return _("Cần xác thực: gửi mã truy cập API trong tiêu đề “Authorization: Bearer <mã>”.")


def message_forbidden() -> str:
    return _("Bạn không có quyền thực hiện thao tác này.")


def message_not_found() -> str:
    return _("Không tìm thấy.")


def message_bad_body() -> str:
    return _("Nội dung gửi lên không phải JSON hợp lệ.")


def message_invalid() -> str:
    return _("Dữ liệu không hợp lệ.")


def django_errors(exc: ValidationError) -> dict[str, list[str]]:
    """A Django ValidationError as {field: [messages]}."""
    if hasattr(exc, "error_dict"):
        return {field: [str(m) for m in messages] for field, messages in exc.message_dict.items()}
    return {NON_FIELD_ERRORS: [str(m) for m in exc.messages]}


def _pydantic_message(error: dict[str, Any]) -> str:
    kind = error.get("type", "")
    ctx = error.get("ctx") or {}
    if kind == "missing":
        return _("Trường này là bắt buộc.")
    if kind in ("int_parsing", "int_type", "int_from_float"):
        return _("Hãy nhập một số nguyên.")
    if kind in ("float_parsing", "float_type", "decimal_parsing", "decimal_type"):
        return _("Hãy nhập một số.")
    if kind.startswith("date") or kind.startswith("datetime"):
        return _("Hãy nhập ngày theo dạng YYYY-MM-DD.")
    if kind in ("bool_parsing", "bool_type"):
        return _("Hãy nhập true hoặc false.")
    if kind in ("literal_error", "enum"):
        expected = str(ctx.get("expected", "")).replace(" or ", ", ")
        return _("Giá trị không hợp lệ; chọn một trong: %(expected)s.") % {"expected": expected}
    if kind == "string_too_long":
        return _("Tối đa %(n)s ký tự.") % {"n": ctx.get("max_length")}
    if kind == "string_type":
        return _("Hãy nhập một chuỗi ký tự.")
    if kind == "list_type":
        return _("Hãy nhập một danh sách.")
    if kind == "greater_than_equal":
        return _("Giá trị phải lớn hơn hoặc bằng %(n)s.") % {"n": ctx.get("ge")}
    if kind == "less_than_equal":
        return _("Giá trị phải nhỏ hơn hoặc bằng %(n)s.") % {"n": ctx.get("le")}
    if kind == "extra_forbidden":
        return _("Trường này không được nhận.")
    if kind == "json_invalid":
        return message_bad_body()
    if kind in ("model_attributes_type", "model_type", "dict_type"):
        return _("Nội dung gửi lên phải là một đối tượng JSON ({...}).")
    return str(error.get("msg", message_invalid()))


def _field_of(loc: list[Any] | tuple[Any, ...]) -> str:
    parts = list(loc)
    if parts and parts[0] in _SOURCES:
        parts = parts[1:]
    if parts and parts[0] in _ARGUMENTS:
        parts = parts[1:]
    return ".".join(str(p) for p in parts) or NON_FIELD_ERRORS


def pydantic_errors(errors: list[dict[str, Any]]) -> dict[str, list[str]]:
    """ninja's request validation errors (pydantic's) as {field: [messages]}."""
    result: dict[str, list[str]] = {}
    for error in errors:
        result.setdefault(_field_of(error.get("loc", ())), []).append(_pydantic_message(error))
    return result


def validation_body(errors: dict[str, list[str]]) -> dict[str, Any]:
    return {"detail": message_invalid(), "errors": errors}


def get_or_404(selector: Callable[..., T], **kwargs: Any) -> T:
    """Call a selector; a record that does not exist or is out of scope is a 404."""
    try:
        return selector(**kwargs)
    except ObjectDoesNotExist:
        raise Http404


def reference(field: str, selector: Callable[..., T], **kwargs: Any) -> T:
    """Resolve an id named in the request body; one the caller cannot see is reported
    on ``field`` as not found (a 422), like one that does not exist."""
    try:
        return selector(**kwargs)
    except ObjectDoesNotExist:
        raise ValidationError({field: _("Không tìm thấy bản ghi được chỉ định.")})


@contextmanager
def renamed_fields(names: dict[str, str]) -> Iterator[None]:
    """Report a service's errors under the API's field names (``current_class`` → ``to_class``)."""
    try:
        yield
    except ValidationError as exc:
        if not hasattr(exc, "error_dict"):
            raise
        raise ValidationError(
            {names.get(field, field): errors for field, errors in exc.error_dict.items()}
        )
