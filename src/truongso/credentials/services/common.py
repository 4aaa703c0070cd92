"""Helpers the credential services share: the clock, counters, opening keys."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from django.core.exceptions import ValidationError
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from truongso.credentials import conf
from truongso.credentials.models import IssuerKey, RegisterCounter
from truongso.credentials.rules.signer import SealedKeyError, SealedKeySigner
from truongso.imports import bulk


def now_seconds() -> dt.datetime:
    """Now, aware, in whole seconds (proofs and QR codes carry whole seconds)."""
    return timezone.now().replace(microsecond=0)


def counter_take(name: str, count: int = 1) -> int:
    """Reserve ``count`` values of a counter that only grows; returns the first.

    Must run inside a transaction: the counter row stays locked until it ends, and a
    rolled-back transaction gives its values back unused (nothing was issued with them).
    """
    RegisterCounter.objects.get_or_create(name=name)
    counter = RegisterCounter.objects.select_for_update().get(name=name)
    first = counter.next_value
    RegisterCounter.objects.filter(pk=counter.pk).update(next_value=F("next_value") + count)
    return first


def open_signer(key: IssuerKey) -> SealedKeySigner:
    """The key's signer, opened with the node's secret (in memory only)."""
    if not key.sealed_private_key:
        raise ValidationError(
            _("Khóa %(key)s không có khóa bí mật trên máy chủ này.") % {"key": key.key_id}
        )
    try:
        return SealedKeySigner(key.sealed_private_key, secret=conf.key_secret())
    except SealedKeyError:
        raise ValidationError(
            _(
                "Không mở được khóa ký %(key)s: biến môi trường CREDENTIALS_KEY_SECRET "
                "không đúng với bí mật đã dùng khi tạo khóa."
            )
            % {"key": key.key_id}
        )


def rows_insert(model, objects: list) -> list:
    """Insert new rows (inside the caller's transaction): COPY on PostgreSQL, with primary
    keys reserved from the table's sequence first, ``bulk_create`` elsewhere. The objects
    get their primary keys either way; ``auto_now_add`` fields are filled as Django does."""
    if not objects:
        return objects
    if not bulk.uses_copy():
        return model.objects.bulk_create(objects, batch_size=2000)
    fields = list(model._meta.concrete_fields)
    for obj, pk in zip(objects, bulk.reserve_ids(model._meta.db_table, len(objects)), strict=True):
        obj.pk = pk
    value = bulk.copy_value

    def lines():
        for obj in objects:
            yield "\t".join([value(f.pre_save(obj, True)) for f in fields]) + "\n"
            obj._state.adding = False
            obj._state.db = "default"

    bulk.copy_lines(model._meta.db_table, [f.column for f in fields], lines())
    return objects


def rows_insert_values(
    model,
    constants: dict[str, object],
    columns: Sequence[str],
    rows: Sequence[tuple],
    *,
    instances: bool = True,
) -> list:
    """Insert new rows given as values: ``constants`` (attribute name → value) shared by
    every row, and for each row a tuple in ``columns`` order. Returns the rows as model
    instances with their primary keys, as ``rows_insert`` would (with ``instances=False``,
    on PostgreSQL, only the primary keys).

    On PostgreSQL the shared values are written as COPY text once and each line is put
    together from them and the row's own values; no model instance is made before the
    rows are written. ``auto_now_add`` fields not given take one moment for all rows."""
    if not rows:
        return []
    meta = model._meta
    constants = dict(constants)
    moment = timezone.now()
    for field in meta.concrete_fields:
        name = field.attname
        if getattr(field, "auto_now_add", False) and name not in constants and name not in columns:
            constants[name] = moment
    names = [f.attname for f in meta.concrete_fields]
    pk_name = meta.pk.attname
    known = set(constants) | set(columns) | {pk_name}
    for field in meta.concrete_fields:
        if field.attname not in known:
            constants[field.attname] = field.get_default()
    if not bulk.uses_copy():
        objects = [model(**constants, **dict(zip(columns, row, strict=True))) for row in rows]
        return model.objects.bulk_create(objects, batch_size=2000)
    pks = bulk.reserve_ids(meta.db_table, len(rows))
    db_columns = {f.attname: f.column for f in meta.concrete_fields}
    shared = list(constants)
    # Each line: the primary key, the row's own values, then the shared values' text.
    suffix = "".join("\t" + bulk.copy_value(constants[name]) for name in shared) + "\n"
    value = bulk.copy_value
    bulk.copy_lines(
        meta.db_table,
        [db_columns[name] for name in (pk_name, *columns, *shared)],
        (
            "\t".join([str(pk), *map(value, row)]) + suffix
            for pk, row in zip(pks, rows, strict=True)
        ),
    )
    if not instances:
        return pks
    order = [(name in constants, name) for name in names]  # (shared?, name)
    objects = []
    for pk, row in zip(pks, rows, strict=True):
        values = dict(zip(columns, row, strict=True))
        values[pk_name] = pk
        objects.append(
            model.from_db(
                "default", names, [constants[n] if fixed else values[n] for fixed, n in order]
            )
        )
    return objects
