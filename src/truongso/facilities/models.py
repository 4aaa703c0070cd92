"""Facilities (cơ sở vật chất): land, buildings, rooms, teacher housing, utilities,
sanitation and the equipment inventory of each school, and the reference data they are
measured against: the minimum teaching-equipment lists (danh mục thiết bị dạy học tối
thiểu) and the norms for rooms and sanitation.

Every row that belongs to a school carries ``institution_id``. The lists and the norms
are national reference data, changed only by administrators."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _


class Condition(models.TextChoices):
    """Condition of a building, a room, housing or a toilet block."""

    GOOD = "good", _("Tốt")
    NEEDS_REPAIR = "needs_repair", _("Cần sửa chữa")
    UNSAFE = "unsafe", _("Không an toàn")


class EquipmentCondition(models.TextChoices):
    GOOD = "good", _("Dùng tốt")
    NEEDS_REPAIR = "needs_repair", _("Cần sửa chữa")
    BROKEN = "broken", _("Hỏng")


class Structure(models.TextChoices):
    PERMANENT = "permanent", _("Kiên cố")
    SEMI_PERMANENT = "semi_permanent", _("Bán kiên cố")
    TEMPORARY = "temporary", _("Tạm")


class RoomType(models.TextChoices):
    CLASSROOM = "classroom", _("Phòng học")
    SUBJECT_ROOM = "subject_room", _("Phòng học bộ môn")
    LABORATORY = "laboratory", _("Phòng thí nghiệm")
    COMPUTER_ROOM = "computer_room", _("Phòng tin học")
    LANGUAGE_ROOM = "language_room", _("Phòng ngoại ngữ")
    LIBRARY = "library", _("Thư viện")
    MULTIPURPOSE_HALL = "multipurpose_hall", _("Nhà đa năng")
    EQUIPMENT_STORE = "equipment_store", _("Kho thiết bị")
    ADMINISTRATION = "administration", _("Phòng hành chính, quản trị")
    HEALTH_ROOM = "health_room", _("Phòng y tế")
    STAFF_ROOM = "staff_room", _("Phòng giáo viên")
    OTHER = "other", _("Khác")


class WaterSource(models.TextChoices):
    PIPED = "piped", _("Nước máy")
    DRILLED_WELL = "drilled_well", _("Giếng khoan")
    DUG_WELL = "dug_well", _("Giếng đào")
    RAINWATER = "rainwater", _("Nước mưa")
    SURFACE = "surface", _("Nước sông, suối, hồ")
    NONE = "none", _("Không có")


class PerUnit(models.TextChoices):
    CLASS = "class", _("Mỗi lớp")
    SCHOOL = "school", _("Mỗi trường")


class SchoolRow(models.Model):
    """A row that belongs to one school (tenant key ``institution_id``)."""

    institution = models.ForeignKey("units.Institution", on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True


class Site(SchoolRow):
    """Khu đất / điểm trường: a plot of land with its land-use certificate."""

    name = models.CharField(_("tên điểm trường"), max_length=120)
    address = models.CharField(_("địa chỉ"), max_length=255, blank=True, default="")
    is_main = models.BooleanField(_("điểm trường chính"), default=False)
    land_area_m2 = models.DecimalField(
        _("diện tích đất (m²)"), max_digits=10, decimal_places=1, default=Decimal(0),
        validators=[MinValueValidator(0)],
    )  # fmt: skip
    land_use_certificate = models.CharField(
        _("số giấy chứng nhận quyền sử dụng đất"), max_length=60, blank=True, default=""
    )
    certificate_issued_on = models.DateField(_("ngày cấp giấy chứng nhận"), null=True, blank=True)

    class Meta:
        verbose_name = _("điểm trường")
        verbose_name_plural = _("điểm trường")
        ordering = ["-is_main", "name", "pk"]

    def __str__(self) -> str:
        return self.name


class Building(SchoolRow):
    """Dãy nhà / khối nhà."""

    site = models.ForeignKey(Site, on_delete=models.PROTECT, related_name="buildings")
    name = models.CharField(_("tên nhà"), max_length=120)
    floors = models.PositiveSmallIntegerField(_("số tầng"), default=1)
    year_built = models.PositiveSmallIntegerField(_("năm xây dựng"), null=True, blank=True)
    structure = models.CharField(
        _("kết cấu"), max_length=20, choices=Structure.choices, default=Structure.PERMANENT
    )
    condition = models.CharField(
        _("tình trạng"), max_length=20, choices=Condition.choices, default=Condition.GOOD
    )

    class Meta:
        verbose_name = _("nhà")
        verbose_name_plural = _("nhà")
        ordering = ["name", "pk"]

    def __str__(self) -> str:
        return self.name


class Room(SchoolRow):
    building = models.ForeignKey(Building, on_delete=models.PROTECT, related_name="rooms")
    floor = models.PositiveSmallIntegerField(_("tầng"), default=1)
    name = models.CharField(_("tên phòng"), max_length=120)
    room_type = models.CharField(_("loại phòng"), max_length=30, choices=RoomType.choices)
    area_m2 = models.DecimalField(
        _("diện tích (m²)"), max_digits=8, decimal_places=1, default=Decimal(0),
        validators=[MinValueValidator(0)],
    )  # fmt: skip
    condition = models.CharField(
        _("tình trạng"), max_length=20, choices=Condition.choices, default=Condition.GOOD
    )
    capacity = models.PositiveSmallIntegerField(_("số chỗ ngồi"), default=0)

    class Meta:
        verbose_name = _("phòng")
        verbose_name_plural = _("phòng")
        ordering = ["building__name", "floor", "name", "pk"]
        indexes = [models.Index(fields=["institution", "room_type"])]

    def __str__(self) -> str:
        return self.name


class TeacherHousing(SchoolRow):
    """Nhà công vụ giáo viên."""

    site = models.ForeignKey(
        Site, null=True, blank=True, on_delete=models.PROTECT, related_name="housing"
    )
    name = models.CharField(_("tên nhà công vụ"), max_length=120)
    units = models.PositiveSmallIntegerField(_("số phòng ở"), default=1)
    area_m2 = models.DecimalField(
        _("diện tích (m²)"), max_digits=8, decimal_places=1, default=Decimal(0),
        validators=[MinValueValidator(0)],
    )  # fmt: skip
    condition = models.CharField(
        _("tình trạng"), max_length=20, choices=Condition.choices, default=Condition.GOOD
    )
    occupants = models.PositiveSmallIntegerField(_("số giáo viên đang ở"), default=0)

    class Meta:
        verbose_name = _("nhà công vụ")
        verbose_name_plural = _("nhà công vụ")
        ordering = ["name", "pk"]

    def __str__(self) -> str:
        return self.name


class Utilities(SchoolRow):
    """Điện, internet, nước sạch của một trường (one row per institution)."""

    institution = models.OneToOneField(
        "units.Institution", on_delete=models.PROTECT, related_name="+"
    )
    grid_power = models.BooleanField(_("có điện lưới"), default=False)
    internet = models.BooleanField(_("có internet"), default=False)
    internet_mbps = models.PositiveIntegerField(_("tốc độ internet (Mbps)"), null=True, blank=True)
    water_source = models.CharField(
        _("nguồn nước"), max_length=20, choices=WaterSource.choices, default=WaterSource.NONE
    )
    water_treated = models.BooleanField(_("nước được lọc, xử lý"), default=False)

    class Meta:
        verbose_name = _("điện, nước, internet")
        verbose_name_plural = _("điện, nước, internet")

    def __str__(self) -> str:
        return str(self.institution_id)


class ToiletBlock(SchoolRow):
    """Khu vệ sinh: places for girls, boys, staff; accessible places; hand-washing points."""

    site = models.ForeignKey(
        Site, null=True, blank=True, on_delete=models.PROTECT, related_name="toilets"
    )
    name = models.CharField(_("tên khu vệ sinh"), max_length=120)
    places_girls = models.PositiveSmallIntegerField(_("chỗ cho học sinh nữ"), default=0)
    places_boys = models.PositiveSmallIntegerField(_("chỗ cho học sinh nam"), default=0)
    places_staff = models.PositiveSmallIntegerField(_("chỗ cho cán bộ, giáo viên"), default=0)
    places_accessible = models.PositiveSmallIntegerField(_("chỗ cho người khuyết tật"), default=0)
    handwashing_points = models.PositiveSmallIntegerField(_("số vòi rửa tay"), default=0)
    has_water = models.BooleanField(_("có nước"), default=True)
    condition = models.CharField(
        _("tình trạng"), max_length=20, choices=Condition.choices, default=Condition.GOOD
    )

    class Meta:
        verbose_name = _("khu vệ sinh")
        verbose_name_plural = _("khu vệ sinh")
        ordering = ["name", "pk"]

    def __str__(self) -> str:
        return self.name


class EquipmentList(models.Model):
    """One version of a minimum teaching-equipment list (danh mục thiết bị dạy học tối
    thiểu), e.g. the list of Circular 37/2021 for lower secondary. Loading the list again
    with changes makes a new version; the newest is the one in force."""

    code = models.CharField(_("mã danh mục"), max_length=40)
    version = models.PositiveIntegerField(_("phiên bản"), default=1)
    name = models.CharField(_("tên danh mục"), max_length=255)
    legal_source = models.CharField(_("văn bản ban hành"), max_length=255)
    effective_on = models.DateField(_("ngày hiệu lực"))
    is_current = models.BooleanField(_("đang áp dụng"), default=True)
    loaded_at = models.DateTimeField(auto_now_add=True)
    loaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )  # fmt: skip
    source_file = models.CharField(_("tệp nguồn"), max_length=255, blank=True, default="")
    digest = models.CharField(max_length=64, editable=False, default="")

    class Meta:
        verbose_name = _("danh mục thiết bị tối thiểu")
        verbose_name_plural = _("danh mục thiết bị tối thiểu")
        ordering = ["code", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["code", "version"], name="equipment_list_version")
        ]

    def __str__(self) -> str:
        return f"{self.name} (v{self.version})"


class EquipmentListItem(models.Model):
    """One line of a list: what each class (or the school) of a grade must have.
    ``code`` names the item across versions of the list; the inventory refers to it."""

    equipment_list = models.ForeignKey(
        EquipmentList, on_delete=models.CASCADE, related_name="items"
    )
    code = models.CharField(_("mã thiết bị"), max_length=40)
    name = models.CharField(_("tên thiết bị"), max_length=255)
    search_name = models.CharField(max_length=255, editable=False, default="")
    grade = models.PositiveSmallIntegerField(_("khối"))
    subject_code = models.CharField(_("môn học"), max_length=20)
    unit = models.CharField(_("đơn vị tính"), max_length=20, default="")
    quantity = models.PositiveIntegerField(_("số lượng"))
    per = models.CharField(_("tính theo"), max_length=10, choices=PerUnit.choices)
    note = models.CharField(_("ghi chú"), max_length=255, blank=True, default="")

    class Meta:
        verbose_name = _("thiết bị trong danh mục")
        verbose_name_plural = _("thiết bị trong danh mục")
        ordering = ["grade", "subject_code", "code"]
        constraints = [
            models.UniqueConstraint(fields=["equipment_list", "code"], name="equipment_item_code")
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class EquipmentItem(SchoolRow):
    """Thiết bị của trường, đặt ở một phòng (hoặc trong kho chung khi không có phòng)."""

    room = models.ForeignKey(
        Room, null=True, blank=True, on_delete=models.PROTECT, related_name="equipment"
    )
    # The code of a line of a minimum list, or empty for equipment outside the lists.
    list_item_code = models.CharField(_("mã thiết bị theo danh mục"), max_length=40, blank=True,
                                      default="", db_index=True)  # fmt: skip
    name = models.CharField(_("tên thiết bị"), max_length=255)
    search_name = models.CharField(max_length=255, editable=False, default="", db_index=True)
    quantity = models.PositiveIntegerField(_("số lượng"), default=1)
    condition = models.CharField(
        _("tình trạng"), max_length=20, choices=EquipmentCondition.choices,
        default=EquipmentCondition.GOOD,
    )  # fmt: skip
    year_acquired = models.PositiveSmallIntegerField(_("năm đưa vào sử dụng"), null=True,
                                                     blank=True)  # fmt: skip

    class Meta:
        verbose_name = _("thiết bị")
        verbose_name_plural = _("thiết bị")
        ordering = ["search_name", "pk"]

    def __str__(self) -> str:
        return self.name


class NormKind(models.TextChoices):
    """What a norm measures; the rule for each is in ``rules/norms.py``."""

    CLASSROOMS_PER_CLASS = "classrooms_per_class", _("Phòng học trên lớp")
    LEARNERS_PER_GIRLS_PLACE = "learners_per_girls_place", _("Học sinh nữ trên một chỗ vệ sinh")
    LEARNERS_PER_BOYS_PLACE = "learners_per_boys_place", _("Học sinh nam trên một chỗ vệ sinh")
    ACCESSIBLE_PLACES = "accessible_places", _("Chỗ vệ sinh cho người khuyết tật mỗi trường")
    LEARNERS_PER_HANDWASHING = "learners_per_handwashing", _("Học sinh trên một vòi rửa tay")
    LAND_M2_PER_LEARNER = "land_m2_per_learner", _("Diện tích đất (m²) trên học sinh")
    LIBRARIES = "libraries", _("Thư viện mỗi trường")
    COMPUTER_ROOMS = "computer_rooms", _("Phòng tin học mỗi trường")
    SUBJECT_ROOMS = "subject_rooms", _("Phòng học bộ môn, thí nghiệm mỗi trường")


class Norm(models.Model):
    """A norm (định mức) for rooms or sanitation, with where it comes from."""

    code = models.CharField(_("mã"), max_length=40, unique=True)
    kind = models.CharField(_("loại định mức"), max_length=40, choices=NormKind.choices)
    value = models.DecimalField(_("giá trị"), max_digits=8, decimal_places=2,
                                validators=[MinValueValidator(0)])  # fmt: skip
    # Institution kinds it applies to, comma-separated; empty = every kind.
    kinds = models.CharField(_("áp dụng cho cấp học"), max_length=200, blank=True, default="")
    source = models.CharField(_("căn cứ"), max_length=255)
    note = models.CharField(_("ghi chú"), max_length=255, blank=True, default="")
    is_active = models.BooleanField(_("đang áp dụng"), default=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("định mức")
        verbose_name_plural = _("định mức")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.code

    @property
    def kind_list(self) -> list[str]:
        return [k.strip() for k in self.kinds.split(",") if k.strip()]
