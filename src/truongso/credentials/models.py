"""Credentials: issuer keys, the diploma register (sổ gốc cấp văn bằng), status lists and
the register log.

The cryptographic formats are in ``rules/`` (no Django) and docs/credentials-crypto.md.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from truongso.credentials.rules.keyring import short_kid
from truongso.credentials.rules.multikey import encode_public_key


class IssuerKey(models.Model):
    """An Ed25519 signing key: an institution's (signs its credentials and status lists)
    or, with no institution, the node's root key (signs the key registry and the log's
    checkpoints).

    The private key is kept only sealed (AES-256-GCM under a key derived with scrypt from
    ``CREDENTIALS_KEY_SECRET``). A key is usable from ``valid_from`` until ``valid_to``
    (retired by a rotation) and never from ``revoked_at`` on (compromised). Keys are never
    deleted: what they signed must still verify.
    """

    institution = models.ForeignKey(
        "units.Institution",
        verbose_name=_("cơ sở giáo dục"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="issuer_keys",
    )
    key_id = models.CharField(_("mã khóa"), max_length=255, unique=True)
    controller = models.CharField(_("chủ thể (DID)"), max_length=255, db_index=True)
    public_key = models.BinaryField(_("khóa công khai"), max_length=32)
    sealed_private_key = models.TextField(_("khóa bí mật (đã niêm phong)"), blank=True, default="")
    valid_from = models.DateTimeField(_("hiệu lực từ"))
    valid_to = models.DateTimeField(_("hết hiệu lực từ"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("thu hồi từ"), null=True, blank=True)
    revocation_reason = models.CharField(_("lý do thu hồi"), max_length=500, blank=True, default="")
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("khóa ký")
        verbose_name_plural = _("khóa ký")
        ordering = ["institution_id", "valid_from", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["institution"],
                condition=Q(valid_to__isnull=True, revoked_at__isnull=True),
                name="credentials_one_current_key_per_institution",
            ),
            models.UniqueConstraint(
                fields=["controller"],
                condition=Q(
                    institution__isnull=True, valid_to__isnull=True, revoked_at__isnull=True
                ),
                name="credentials_one_current_root_key",
            ),
        ]

    def __str__(self) -> str:
        return self.key_id

    @property
    def is_root(self) -> bool:
        return self.institution_id is None

    @property
    def public_bytes(self) -> bytes:
        return bytes(self.public_key)

    @property
    def multikey(self) -> str:
        return encode_public_key(self.public_bytes)

    @property
    def kid_hex(self) -> str:
        return short_kid(self.public_bytes).hex()

    @property
    def is_current(self) -> bool:
        return self.valid_to is None and self.revoked_at is None


class Publication(models.Model):
    """A signed document the node publishes as it is (the key registry), re-signed by the
    services whenever what it lists changes, so that serving it needs no key."""

    name = models.CharField(max_length=100, unique=True)
    body = models.TextField()
    updated_at = models.DateTimeField()

    class Meta:
        verbose_name = _("tài liệu công bố")
        verbose_name_plural = _("tài liệu công bố")

    def __str__(self) -> str:
        return self.name


class RegisterCounter(models.Model):
    """A counter that only grows: diploma number serials, register entry numbers, and the
    log's size (its row is locked while the log is appended to)."""

    name = models.CharField(max_length=120, unique=True)
    next_value = models.BigIntegerField(default=1)

    class Meta:
        verbose_name = _("bộ đếm")
        verbose_name_plural = _("bộ đếm")

    def __str__(self) -> str:
        return f"{self.name} → {self.next_value}"


class LogEvent(models.TextChoices):
    KEY_CREATE = "key.create", _("Tạo khóa ký")
    KEY_RETIRE = "key.retire", _("Thay khóa ký")
    KEY_REVOKE = "key.revoke", _("Thu hồi khóa ký")
    ISSUE = "credential.issue", _("Cấp văn bằng")
    REVOKE = "credential.revoke", _("Thu hồi văn bằng")
    SUSPEND = "credential.suspend", _("Tạm đình chỉ văn bằng")
    REINSTATE = "credential.reinstate", _("Khôi phục văn bằng")


class LogEntry(models.Model):
    """One entry of the append-only register log (RFC 9162 leaf). ``body`` is the RFC 8785
    JSON text of the event; it names credentials and keys, never a person."""

    index = models.BigIntegerField(unique=True)
    event = models.CharField(max_length=30, choices=LogEvent.choices)
    body = models.TextField()
    leaf_hash = models.CharField(max_length=64)
    institution = models.ForeignKey(
        "units.Institution", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("mục sổ nhật ký văn bằng")
        verbose_name_plural = _("sổ nhật ký văn bằng")
        ordering = ["index"]

    def __str__(self) -> str:
        return f"#{self.index} {self.event}"


class Checkpoint(models.Model):
    """A signed tree head of the register log (C2SP checkpoint, signed by the root key).

    ``peaks`` are the hashes of the right edge of the tree (hex), so the next append does
    not reread the log."""

    size = models.BigIntegerField(unique=True)
    root_hash = models.CharField(max_length=64)
    peaks = models.JSONField(default=list)
    note = models.TextField()
    key = models.ForeignKey(IssuerKey, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("điểm kiểm tra sổ nhật ký")
        verbose_name_plural = _("điểm kiểm tra sổ nhật ký")
        ordering = ["size"]

    def __str__(self) -> str:
        return f"{self.size} {self.root_hash[:12]}"
