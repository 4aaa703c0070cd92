"""Wording of the computed results for the pages and exports."""

from __future__ import annotations

from django.utils.translation import gettext as _

from truongso.assessment.rules.vocational import (
    DOWNGRADE_DISCIPLINE,
    DOWNGRADE_RETAKES,
    GRADUATION_CREDITS,
    GRADUATION_GPA,
    year_graduation_minimum,
)


def graduation_text(transcript) -> str:
    """ "Đủ điều kiện tốt nghiệp", "Chưa đủ điều kiện: …" or "Chưa đủ dữ liệu: …"."""
    t = transcript
    if t.incomplete:
        return _("Chưa đủ dữ liệu: %(missing)s") % {"missing": "; ".join(t.missing)}
    if t.graduation.eligible:
        return _("Đủ điều kiện tốt nghiệp")
    reasons = []
    if GRADUATION_CREDITS in t.graduation.reasons:
        reasons.append(
            _("mới tích lũy %(earned)s/%(required)s tín chỉ")
            % {"earned": t.graduation.earned_credits, "required": t.graduation.required_credits}
        )
    if GRADUATION_GPA in t.graduation.reasons:
        if t.credit_based:
            text = _("điểm trung bình tích lũy %(gpa)s dưới %(minimum)s")
            minimum = t.rules.graduation_min_gpa
        else:
            text = _("điểm trung bình toàn khóa %(gpa)s dưới %(minimum)s")
            minimum = year_graduation_minimum(t.rules)
        reasons.append(text % {"gpa": t.graduation.gpa, "minimum": minimum})
    return _("Chưa đủ điều kiện: %(reasons)s") % {"reasons": "; ".join(reasons)}


def downgrade_texts(classification) -> list[str]:
    texts = []
    downgrades = getattr(classification, "downgrades", ())
    if DOWNGRADE_DISCIPLINE in downgrades:
        texts.append(_("hạ một mức do bị kỷ luật từ mức cảnh cáo trở lên"))
    if DOWNGRADE_RETAKES in downgrades:
        texts.append(_("hạ mức do có mô-đun phải học lại"))
    return texts
