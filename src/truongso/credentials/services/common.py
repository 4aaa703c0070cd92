"""Helpers the credential services share: the clock, counters, opening keys."""

from __future__ import annotations

import datetime as dt

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
