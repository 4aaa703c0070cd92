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

_WRITE_SIZE = 1 << 20  # bytes of COPY text sent at a time


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


class RowWriter:
    """New rows of one model, written as they are made: ``constants`` (attribute name →
    value) shared by every row, and for each row a tuple in ``columns`` order.

    On PostgreSQL the primary keys of ``count`` rows are reserved first (``pks``) and the
    rows go into an open COPY as they are added, so that the database stores them while
    the caller makes the next ones; nothing else may use the connection until the block
    ends. The shared values are written as COPY text once. Elsewhere the rows are inserted
    with ``bulk_create`` when the block ends. ``auto_now_add`` fields not given take one
    moment for all rows on PostgreSQL (``bulk_create`` takes one per row).

        with RowWriter(Model, constants, columns, count) as writer:
            for ...:
                writer.add(row)
        objects = writer.instances()
    """

    def __init__(
        self, model, constants: dict[str, object], columns: Sequence[str], count: int
    ) -> None:
        self.model = model
        self.columns = tuple(columns)
        self.count = count
        self.rows: list[tuple] = []
        meta = model._meta
        constants = dict(constants)
        moment = timezone.now()
        given = set(constants) | set(self.columns)
        for field in meta.concrete_fields:
            if getattr(field, "auto_now_add", False) and field.attname not in given:
                constants[field.attname] = moment
        self.pk_name = meta.pk.attname
        known = set(constants) | set(self.columns) | {self.pk_name}
        for field in meta.concrete_fields:
            if field.attname not in known:
                constants[field.attname] = field.get_default()
        self.constants = constants
        self.copy = bulk.uses_copy()
        self.pks: list[int] = bulk.reserve_ids(meta.db_table, count) if self.copy else []

    def __enter__(self) -> RowWriter:
        if self.copy:
            db_columns = {f.attname: f.column for f in self.model._meta.concrete_fields}
            shared = list(self.constants)
            names = (self.pk_name, *self.columns, *shared)
            self._suffix = (
                "".join("\t" + bulk.copy_value(self.constants[name]) for name in shared) + "\n"
            )
            self._stream = bulk.copy_stream(
                self.model._meta.db_table, [db_columns[name] for name in names]
            )
            self._copy = self._stream.__enter__()
            self._buffer: list[str] = []
            self._size = 0
        return self

    def add(self, row: tuple) -> None:
        if self.copy:
            value = bulk.copy_value
            parts = [str(self.pks[len(self.rows)])]
            for item in row:
                # Most values are text that COPY takes as it is (bulk.copy_text's test).
                if type(item) is str and "\\" not in item and item.isprintable():
                    parts.append(item)
                else:
                    parts.append(value(item))
            line = "\t".join(parts) + self._suffix
            self._buffer.append(line)
            self._size += len(line)
            if self._size >= _WRITE_SIZE:
                self._flush()
        self.rows.append(row)

    def _flush(self) -> None:
        self._copy.write("".join(self._buffer))
        self._buffer.clear()
        self._size = 0

    def __exit__(self, kind, error, trace) -> bool | None:
        if not self.copy:
            if kind is None:
                if len(self.rows) != self.count:
                    raise ValueError(f"{len(self.rows)} rows added, {self.count} reserved")
                columns, constants = self.columns, self.constants
                objects = [
                    self.model(**constants, **dict(zip(columns, row, strict=True)))
                    for row in self.rows
                ]
                self.model.objects.bulk_create(objects, batch_size=2000)
                self.pks = [obj.pk for obj in objects]
            return None
        if kind is not None:  # the COPY is abandoned; the error goes on
            return self._stream.__exit__(kind, error, trace)
        if self._buffer:
            self._flush()
        if len(self.rows) != self.count:
            problem = ValueError(f"{len(self.rows)} rows added, {self.count} reserved")
            self._stream.__exit__(ValueError, problem, None)
            raise problem
        self._stream.__exit__(None, None, None)
        return None

    def instances(self) -> list:
        """The written rows as model instances with their primary keys."""
        names = [f.attname for f in self.model._meta.concrete_fields]
        order = [(name in self.constants, name) for name in names]  # (shared?, name)
        objects = []
        for pk, row in zip(self.pks, self.rows, strict=True):
            values = dict(zip(self.columns, row, strict=True))
            values[self.pk_name] = pk
            objects.append(
                self.model.from_db(
                    "default",
                    names,
                    [self.constants[n] if fixed else values[n] for fixed, n in order],
                )
            )
        return objects


def rows_insert_values(
    model,
    constants: dict[str, object],
    columns: Sequence[str],
    rows: Sequence[tuple],
    *,
    instances: bool = True,
) -> list:
    """Insert new rows given as values (see ``RowWriter``). Returns them as model
    instances with their primary keys, as ``rows_insert`` would, or with
    ``instances=False`` only the primary keys."""
    if not rows:
        return []
    with RowWriter(model, constants, columns, len(rows)) as writer:
        for row in rows:
            writer.add(row)
    return writer.instances() if instances else writer.pks
