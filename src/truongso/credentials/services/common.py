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
