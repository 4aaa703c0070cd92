"""The content of a report card as plain data: its canonical form and digest, and what
the printed form (mẫu học bạ) shows for it. No Django here.

The content is a JSON object (``FORMAT`` names its layout):

    {"format": "truongso.reportcard/1", "school_year": "2024-2025",
     "learner": {"education_id", "personal_id", "full_name", "date_of_birth" (ISO),
                 "sex" (M/F), "ethnicity", "place_of_birth"},
     "class": {"name", "grade"}, "school": {"code", "name", "province", "commune"},
     "homeroom_teacher": "...",
     "subjects": [{"code", "name", "scored", "term_1", "term_2", "year",
                   "comment_term_1", "comment_term_2"}],     averages as "7.9" or
                                                            "dat"/"chua_dat", or null
     "conduct": {"term_1", "term_2", "year"}, "learning": {...}  codes tot/kha/dat/chua_dat
     "learning_adjusted": {"term_1": bool, ...},
     "days_absent": {"term_1", "term_2", "year"},
     "promotion": {"decision", "retest_subjects": [names]}, "award": code or "",
     "remarks": {"homeroom", "principal"},
     "lower_secondary_completion": null | {"completed": bool, "by", "at"},
     "rule_sets": ["tt22-2021@1"], "incomplete": [messages],
     "checked": null | {"by", "at"}, "approved": null | {"by", "at"}}

The digest is the SHA-256 of the RFC 8785 (JCS) canonical JSON, the same
canonicalisation the credentials use, so a signature over a version later covers
exactly these bytes.
"""

from __future__ import annotations

import hashlib
from typing import Any

import rfc8785

FORMAT = "truongso.reportcard/1"
PERIODS = ("term_1", "term_2", "year")

# The printed form is the official Vietnamese one: its words are fixed here.
LEVELS = {"tot": "Tốt", "kha": "Khá", "dat": "Đạt", "chua_dat": "Chưa đạt"}
PASS = {"dat": "Đ", "chua_dat": "CĐ"}
PROMOTION = {
    "promoted": "Được lên lớp",
    "summer_retests": "Kiểm tra lại trong hè",
    "summer_conduct_training": "Rèn luyện trong hè",
    "repeat": "Ở lại lớp",
}
AWARDS = {"hoc_sinh_gioi": "Học sinh Giỏi", "hoc_sinh_xuat_sac": "Học sinh Xuất sắc"}
SEXES = {"M": "Nam", "F": "Nữ"}
LOWER_SECONDARY_LAST_GRADE = 9


def canonical_json(content: dict[str, Any]) -> bytes:
    """RFC 8785 canonical JSON (sorted keys, no spaces, UTF-8). The content holds no
    floats: averages are strings."""
    return rfc8785.dumps(content)


def content_sha256(content: dict[str, Any]) -> str:
    return hashlib.sha256(canonical_json(content)).hexdigest()


def without_workflow(content: dict[str, Any]) -> dict[str, Any]:
    """The content without who checked and approved it: what the data says."""
    return {k: v for k, v in content.items() if k not in ("checked", "approved")}


def _date(iso: str | None) -> str:
    if not iso:
        return ""
    year, month, day = iso[:10].split("-")
    return f"{day}/{month}/{year}"


def _cell(value: str | None, scored: bool) -> str:
    if value is None or value == "":
        return ""
    return value if scored else PASS.get(value, value)


def printed(content: dict[str, Any], sha256: str | None = None) -> dict[str, Any]:
    """What the printed form shows, every value a plain string (Typst reads it as
    JSON): dates as dd/mm/yyyy, codes as the form's words. ``sha256``: the stored digest
    of the content (computed when not given)."""
    learner = content.get("learner", {})
    subjects = []
    for item in content.get("subjects", []):
        comment = item.get("comment_term_2") or item.get("comment_term_1") or ""
        subjects.append(
            {
                "name": item.get("name", ""),
                "term_1": _cell(item.get("term_1"), item.get("scored", True)),
                "term_2": _cell(item.get("term_2"), item.get("scored", True)),
                "year": _cell(item.get("year"), item.get("scored", True)),
                "comment": comment,
            }
        )
    conduct = content.get("conduct", {})
    learning = content.get("learning", {})
    days = content.get("days_absent", {})
    promotion = content.get("promotion") or {}
    decision = PROMOTION.get(promotion.get("decision") or "", "")
    if promotion.get("retest_subjects"):
        decision += " (" + ", ".join(promotion["retest_subjects"]) + ")"
    completion = content.get("lower_secondary_completion")
    if completion is None:
        completion_text = ""
    elif completion.get("completed"):
        completion_text = "Hoàn thành chương trình trung học cơ sở"
    else:
        completion_text = "Chưa hoàn thành chương trình trung học cơ sở"
    checked = content.get("checked") or {}
    approved = content.get("approved") or {}
    school = content.get("school", {})
    return {
        "school_year": content.get("school_year", ""),
        "school": school.get("name", ""),
        "school_code": school.get("code", ""),
        "province": school.get("province", ""),
        "commune": school.get("commune", ""),
        "class": content.get("class", {}).get("name", ""),
        "grade": str(content.get("class", {}).get("grade", "")),
        "full_name": learner.get("full_name", ""),
        "date_of_birth": _date(learner.get("date_of_birth")),
        "sex": SEXES.get(learner.get("sex", ""), ""),
        "ethnicity": learner.get("ethnicity", ""),
        "place_of_birth": learner.get("place_of_birth", ""),
        "personal_id": learner.get("personal_id", ""),
        "education_id": learner.get("education_id", ""),
        "subjects": subjects,
        "conduct": [LEVELS.get(conduct.get(p) or "", "") for p in PERIODS],
        "learning": [LEVELS.get(learning.get(p) or "", "") for p in PERIODS],
        "days_absent": [str(days.get(p, "")) if days.get(p) is not None else "" for p in PERIODS],
        "promotion": decision,
        "award": AWARDS.get(content.get("award") or "", ""),
        "homeroom_remark": (content.get("remarks") or {}).get("homeroom", ""),
        "principal_remark": (content.get("remarks") or {}).get("principal", ""),
        "completion": completion_text,
        "homeroom_teacher": content.get("homeroom_teacher", ""),
        "checked_by": checked.get("by", ""),
        "checked_on": _date(checked.get("at")),
        "approved_by": approved.get("by", ""),
        "approved_on": _date(approved.get("at")),
        "incomplete": list(content.get("incomplete", [])),
        "draft": not approved,
        "sha256": sha256 or content_sha256(content),
    }
