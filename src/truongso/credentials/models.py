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
    credential = models.ForeignKey(
        "Credential", null=True, blank=True, on_delete=models.PROTECT, related_name="log_entries"
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


class CredentialKind(models.TextChoices):
    DIPLOMA = "diploma", _("Văn bằng")
    CERTIFICATE = "certificate", _("Chứng chỉ")


class CredentialType(models.Model):
    """A kind of diploma or certificate an institution issues (extensible in the admin).

    ``series_code`` goes into the diploma numbers (letters other than I and O, digits);
    ``institution_kinds`` lists the kinds of institution that may issue it (empty: any).
    """

    code = models.SlugField(_("mã"), max_length=40, unique=True)
    kind = models.CharField(_("loại"), max_length=20, choices=CredentialKind.choices)
    name = models.CharField(_("tên văn bằng"), max_length=200)
    name_en = models.CharField(_("tên tiếng Anh"), max_length=200, blank=True, default="")
    bilingual = models.BooleanField(_("song ngữ Việt – Anh"), default=False)
    achievement_type = models.CharField(
        _("loại thành tích (Open Badges)"), max_length=40, default="Diploma"
    )
    description = models.CharField(_("mô tả"), max_length=500, blank=True, default="")
    criteria = models.CharField(_("điều kiện cấp"), max_length=500, blank=True, default="")
    has_classification = models.BooleanField(_("có xếp loại"), default=False)
    has_major = models.BooleanField(_("có ngành, nghề đào tạo"), default=False)
    series_code = models.CharField(_("ký hiệu trong số hiệu"), max_length=2)
    institution_kinds = models.JSONField(_("cấp học được cấp"), default=list, blank=True)
    valid_until = models.DateField(_("cấp đến ngày"), null=True, blank=True)
    is_active = models.BooleanField(_("đang dùng"), default=True)

    class Meta:
        verbose_name = _("loại văn bằng, chứng chỉ")
        verbose_name_plural = _("loại văn bằng, chứng chỉ")
        ordering = ["kind", "name"]

    def __str__(self) -> str:
        return self.name

    @property
    def title(self) -> str:
        """The title as printed: both languages for a bilingual diploma."""
        if self.bilingual and self.name_en:
            return f"{self.name} / {self.name_en}"
        return self.name


class CredentialStatus(models.TextChoices):
    ACTIVE = "active", _("Đang có hiệu lực")
    REVOKED = "revoked", _("Đã thu hồi, hủy bỏ")
    SUSPENDED = "suspended", _("Tạm đình chỉ")


class Relation(models.TextChoices):
    NONE = "", _("Cấp lần đầu")
    REISSUE = "reissue", _("Cấp lại (do sai sót của nơi cấp)")
    AMENDMENT = "amendment", _("Chỉnh sửa nội dung (thay đổi hộ tịch)")


class StatusPurpose(models.TextChoices):
    REVOCATION = "revocation", _("Thu hồi")
    SUSPENSION = "suspension", _("Tạm đình chỉ")


class StatusList(models.Model):
    """A W3C Bitstring Status List of one institution for one year and purpose.

    ``bits`` is the list (at least 131,072 bits, so a fetch reveals nothing about which
    credential is checked); ``document`` the signed BitstringStatusListCredential served
    at its stable URL, signed again whenever a bit changes."""

    institution = models.ForeignKey(
        "units.Institution", on_delete=models.PROTECT, related_name="status_lists"
    )
    year = models.PositiveSmallIntegerField(_("năm"))
    purpose = models.CharField(_("mục đích"), max_length=12, choices=StatusPurpose.choices)
    sequence = models.PositiveSmallIntegerField(default=1)
    size = models.PositiveIntegerField()
    bits = models.BinaryField()
    document = models.TextField(blank=True, default="")
    signed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("danh sách trạng thái")
        verbose_name_plural = _("danh sách trạng thái")
        ordering = ["institution_id", "year", "purpose", "sequence"]
        constraints = [
            models.UniqueConstraint(
                fields=["institution", "year", "purpose", "sequence"],
                name="credentials_status_list_unique",
            )
        ]

    def __str__(self) -> str:
        return f"{self.institution_id}/{self.year}/{self.purpose}/{self.sequence}"


class IssuanceBatch(models.Model):
    """Candidates for one issuance (from a file or a class), checked before anything is
    issued: the principal sees every row and its problems, then issues them all."""

    class State(models.TextChoices):
        DRAFT = "draft", _("Chờ cấp")
        ISSUED = "issued", _("Đã cấp")
        CANCELLED = "cancelled", _("Đã hủy")

    institution = models.ForeignKey("units.Institution", on_delete=models.PROTECT, related_name="+")
    credential_type = models.ForeignKey(
        CredentialType, verbose_name=_("loại văn bằng"), on_delete=models.PROTECT
    )
    issue_date = models.DateField(_("ngày cấp"))
    graduation_year = models.PositiveSmallIntegerField(_("năm tốt nghiệp"))
    signer_name = models.CharField(_("người ký"), max_length=150)
    signer_title = models.CharField(_("chức vụ người ký"), max_length=100)
    source = models.CharField(max_length=200, blank=True, default="")
    rows = models.JSONField(default=list)
    problems = models.JSONField(default=list)
    state = models.CharField(max_length=10, choices=State.choices, default=State.DRAFT)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    issued_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("đợt cấp văn bằng")
        verbose_name_plural = _("đợt cấp văn bằng")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.credential_type} {self.issue_date} ({len(self.rows)})"

    @property
    def has_errors(self) -> bool:
        return any(p.get("severity", "error") == "error" for p in self.problems)


class SignedRecord(models.Model):
    """What every signed credential of the register keeps: the hash of its signed
    document, its QR text, its place in the institution's status lists and its status,
    and who issued it when. Diplomas and signed report cards share the status lists, so
    an index is taken once across both (``services.status._taken``)."""

    document_hash = models.CharField(max_length=64)
    qr_text = models.TextField(_("mã QR"))
    revocation_list = models.ForeignKey(StatusList, on_delete=models.PROTECT, related_name="+")
    suspension_list = models.ForeignKey(StatusList, on_delete=models.PROTECT, related_name="+")
    status_index = models.PositiveIntegerField()
    status = models.CharField(
        _("trạng thái"),
        max_length=10,
        choices=CredentialStatus.choices,
        default=CredentialStatus.ACTIVE,
    )
    status_reason = models.CharField(_("lý do"), max_length=500, blank=True, default="")
    status_changed_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        abstract = True


class Credential(SignedRecord):
    """One entry of the diploma register (sổ gốc cấp văn bằng, Circular 21/2019): what
    the paper shows, the signed credential, its status.

    A diploma is issued once. A reissue (the issuer's error) or an amendment (a change of
    civil status) is a new entry pointing to the original, which is revoked.
    """

    institution = models.ForeignKey(
        "units.Institution", on_delete=models.PROTECT, related_name="credentials"
    )
    credential_type = models.ForeignKey(
        CredentialType, verbose_name=_("loại văn bằng"), on_delete=models.PROTECT
    )
    learner = models.ForeignKey(
        "learners.Learner",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="credentials",
    )
    batch = models.ForeignKey(
        IssuanceBatch, null=True, blank=True, on_delete=models.SET_NULL, related_name="credentials"
    )
    credential_id = models.CharField(_("mã văn bằng số"), max_length=80, unique=True)
    holder_name = models.CharField(_("họ và tên"), max_length=150)
    search_name = models.CharField(max_length=150, editable=False, db_index=True)
    date_of_birth = models.DateField(_("ngày sinh"))
    sex = models.CharField(_("giới tính"), max_length=1, blank=True, default="")
    place_of_birth = models.CharField(_("nơi sinh"), max_length=200, blank=True, default="")
    graduation_year = models.PositiveSmallIntegerField(_("năm tốt nghiệp"))
    classification = models.CharField(_("xếp loại"), max_length=60, blank=True, default="")
    field_of_study = models.CharField(_("ngành, nghề"), max_length=200, blank=True, default="")
    field_of_study_en = models.CharField(
        _("ngành, nghề (tiếng Anh)"), max_length=200, blank=True, default=""
    )
    diploma_number = models.CharField(_("số hiệu"), max_length=20, unique=True)
    register_number = models.CharField(_("số vào sổ gốc"), max_length=30)
    issue_date = models.DateField(_("ngày cấp"))
    signer_name = models.CharField(_("người ký"), max_length=150)
    signer_title = models.CharField(_("chức vụ người ký"), max_length=100)
    signed_at = models.DateTimeField(_("thời điểm ký"))
    key = models.ForeignKey(IssuerKey, on_delete=models.PROTECT, related_name="credentials")
    document = models.TextField(_("văn bằng số (JSON đã ký)"))
    original = models.ForeignKey(
        "self",
        verbose_name=_("văn bằng gốc"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="replacements",
    )
    relation = models.CharField(
        _("hình thức cấp"), max_length=10, choices=Relation.choices, blank=True, default=""
    )

    class Meta:
        verbose_name = _("văn bằng")
        verbose_name_plural = _("sổ gốc văn bằng")
        ordering = ["-issue_date", "register_number", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["revocation_list", "status_index"], name="credentials_status_index_unique"
            ),
            models.UniqueConstraint(
                fields=["institution", "register_number"], name="credentials_register_unique"
            ),
        ]
        indexes = [
            models.Index(fields=["institution", "issue_date"]),
            models.Index(fields=["institution", "search_name"]),
        ]

    def __str__(self) -> str:
        return f"{self.diploma_number} {self.holder_name}"


class ReportCardCredential(SignedRecord):
    """The signed report card (học bạ số): a CLR 2.0 ``ClrCredential`` issued when the
    principal approves a version of a report card, signed by the institution's key.

    One per approved version (never changed). An approval after an amendment issues a new
    one pointing to the ``previous`` credential of the same card, which is revoked, as the
    register does for a reissued diploma (Circular 21/2019): only the latest approved
    version is valid. Status indexes share the institution's status lists with diplomas.
    """

    institution = models.ForeignKey(
        "units.Institution", on_delete=models.PROTECT, related_name="report_card_credentials"
    )
    report_card = models.ForeignKey(
        "reportcards.ReportCard", on_delete=models.PROTECT, related_name="credentials"
    )
    version = models.OneToOneField(
        "reportcards.ReportCardVersion",
        verbose_name=_("phiên bản học bạ"),
        on_delete=models.PROTECT,
        related_name="credential",
    )
    credential_id = models.CharField(_("mã học bạ số"), max_length=80, unique=True)
    holder_name = models.CharField(_("họ và tên"), max_length=150)
    date_of_birth = models.DateField(_("ngày sinh"), null=True, blank=True)
    school_year = models.CharField(_("năm học"), max_length=20)
    content_sha256 = models.CharField(max_length=64)
    signed_at = models.DateTimeField(_("thời điểm ký"))
    key = models.ForeignKey(IssuerKey, on_delete=models.PROTECT, related_name="+")
    document = models.TextField(_("học bạ số (JSON đã ký)"))
    previous = models.OneToOneField(
        "self",
        verbose_name=_("học bạ số trước đó"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="replacement",
    )

    class Meta:
        verbose_name = _("học bạ số")
        verbose_name_plural = _("học bạ số")
        ordering = ["-signed_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["revocation_list", "status_index"],
                name="credentials_report_card_status_index_unique",
            ),
        ]
        indexes = [models.Index(fields=["institution", "signed_at"])]

    def __str__(self) -> str:
        return f"{self.credential_id} {self.holder_name}"
