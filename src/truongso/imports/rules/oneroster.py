"""OneRoster 1.2 CSV binding: the files, their columns in order, and the pure mappings
from our data to its values (no Django).

The export is a *bulk* data set: every file listed as ``bulk`` in the manifest holds the
whole of its data, and, as the binding requires for bulk files, the ``status`` and
``dateLastModified`` columns are left empty (they are for delta files only).
"""

from __future__ import annotations

import datetime as dt
import uuid

ONEROSTER_VERSION = "1.2"
MANIFEST_VERSION = "1.0"
SYSTEM_NAME = "Trường Số"
SYSTEM_CODE = "truongso"

# Columns of each file, in the order the binding lists them.
HEADERS: dict[str, tuple[str, ...]] = {
    "manifest.csv": ("propertyName", "value"),
    "orgs.csv": (
        "sourcedId", "status", "dateLastModified", "name", "type", "identifier",
        "parentSourcedId",
    ),
    "academicSessions.csv": (
        "sourcedId", "status", "dateLastModified", "title", "type", "startDate", "endDate",
        "parentSourcedId", "schoolYear",
    ),
    "courses.csv": (
        "sourcedId", "status", "dateLastModified", "schoolYearSourcedId", "title",
        "courseCode", "grades", "orgSourcedId", "subjects", "subjectCodes",
    ),
    "classes.csv": (
        "sourcedId", "status", "dateLastModified", "title", "grades", "courseSourcedId",
        "classCode", "classType", "location", "schoolSourcedId", "termSourcedIds", "subjects",
        "subjectCodes", "periods",
    ),
    "users.csv": (
        "sourcedId", "status", "dateLastModified", "enabledUser", "username", "userIds",
        "givenName", "familyName", "middleName", "identifier", "email", "sms", "phone",
        "agentSourcedIds", "grades", "password", "userMasterIdentifier", "resourceSourcedIds",
        "preferredGivenName", "preferredMiddleName", "preferredFamilyName",
        "primaryOrgSourcedId", "pronouns",
    ),
    "roles.csv": (
        "sourcedId", "status", "dateLastModified", "userSourcedId", "roleType", "role",
        "beginDate", "endDate", "orgSourcedId", "userProfileSourcedId",
    ),
    "enrollments.csv": (
        "sourcedId", "status", "dateLastModified", "classSourcedId", "schoolSourcedId",
        "userSourcedId", "role", "primary", "beginDate", "endDate",
    ),
    "demographics.csv": (
        "sourcedId", "status", "dateLastModified", "birthDate", "sex",
        "americanIndianOrAlaskaNative", "asian", "blackOrAfricanAmerican",
        "nativeHawaiianOrOtherPacificIslander", "white", "demographicRaceTwoOrMoreRaces",
        "hispanicOrLatinoEthnicity", "countryOfBirthCode", "stateOfBirthAbbreviation",
        "cityOfBirth", "publicSchoolResidenceStatus",
    ),
}  # fmt: skip

# Every file the 1.2 manifest names, in its order; those we write are "bulk".
MANIFEST_FILES = (
    "academicSessions", "categories", "classes", "classResources", "courses",
    "courseResources", "demographics", "enrollments", "lineItemLearningObjectiveIds",
    "lineItems", "lineItemScoreScales", "orgs", "resources", "resultLearningObjectiveIds",
    "results", "resultScoreScales", "roles", "scoreScales", "userProfiles", "userResources",
    "users",
)  # fmt: skip

DATA_FILES = tuple(name for name in HEADERS if name != "manifest.csv")

# A fixed namespace: sourcedIds are UUIDs derived from it, the kind of record and our ids,
# so the same record has the same sourcedId in every export of this node.
NAMESPACE = uuid.UUID("6f1d3c1e-52a7-5b8e-9c1d-7472756f6e67")


def sourced_id(kind: str, *parts: object) -> str:
    """``sourced_id("learner", 42)`` → a UUID that depends only on its arguments."""
    return str(uuid.uuid5(NAMESPACE, ":".join([kind, *(str(p) for p in parts)])))


def manifest_rows(written: set[str]) -> list[tuple[str, str]]:
    """The manifest: versions, each file ``bulk`` (written) or ``absent``, the source."""
    rows = [("manifest.version", MANIFEST_VERSION), ("oneroster.version", ONEROSTER_VERSION)]
    for name in MANIFEST_FILES:
        rows.append((f"file.{name}", "bulk" if f"{name}.csv" in written else "absent"))
    rows += [("source.systemName", SYSTEM_NAME), ("source.systemCode", SYSTEM_CODE)]
    return rows


def grade_code(grade: int | None) -> str:
    """CEDS grade level: 0 (mầm non) → PK, 1–12 → 01–12; unknown → empty."""
    if grade is None:
        return ""
    if grade == 0:
        return "PK"
    if 1 <= grade <= 12:
        return f"{grade:02d}"
    return ""


def split_name(full_name: str) -> tuple[str, str, str]:
    """A Vietnamese name, family name first: ``Nguyễn Văn An`` → (given ``An``, family
    ``Nguyễn``, middle ``Văn``). One word is a given name only."""
    words = (full_name or "").split()
    if not words:
        return "", "", ""
    if len(words) == 1:
        return words[0], "", ""
    return words[-1], words[0], " ".join(words[1:-1])


SEX = {"M": "male", "F": "female"}


def sex_value(sex: str) -> str:
    """Our M/F → the binding's male/female; anything else → unspecified."""
    return SEX.get(sex or "", "unspecified")


def date_value(day: dt.date | None) -> str:
    return day.isoformat() if day else ""


def school_year_value(ends_on: dt.date) -> str:
    """The binding's schoolYear is the calendar year the school year ends in."""
    return str(ends_on.year)


def joined(values: list[str] | tuple[str, ...]) -> str:
    """A multi-valued field: the values joined by commas (the CSV writer quotes it)."""
    return ",".join(v for v in values if v)
