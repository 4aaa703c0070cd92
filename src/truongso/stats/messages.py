"""The sentences of the validation problems, in the user's language."""

from __future__ import annotations

from django.utils.translation import gettext as _

from truongso.stats.rules.cells import split_key


def _texts() -> dict[str, str]:
    return {
        "sex_sum": _(
            "Số học sinh nam (%(male)s) cộng nữ (%(female)s) không bằng tổng số học sinh "
            "(%(total)s)."
        ),
        "total_mismatch": _(
            "Tổng số học sinh đã nhập (%(typed)s) khác tổng tính từ hồ sơ (%(total)s)."
        ),
        "without_class": _("%(count)s học sinh đang học chưa được xếp lớp."),
        "grade_without_class": _("Khối %(grade)s có %(learners)s học sinh nhưng không có lớp."),
        "class_size": _(
            "Khối %(grade)s: bình quân %(average)s học sinh/lớp, ngoài khoảng %(low)s–%(high)s."
        ),
        "classes_out_of_range": _(
            "Khối %(grade)s: %(count)s lớp có sĩ số dưới %(low)s hoặc trên %(high)s."
        ),
        "grade_growth": _(
            "Khối %(grade)s có %(count)s học sinh, nhiều hơn khối %(previous_grade)s "
            "(%(previous_count)s) quá 20%%."
        ),
        "too_young": _("%(count)s học sinh %(age)s tuổi học khối %(grade)s: kiểm tra ngày sinh."),
        "pupil_teacher_ratio": _("Tỉ lệ học sinh/giáo viên là %(ratio)s, trên %(limit)s."),
        "no_teachers": _("Trường có %(learners)s học sinh nhưng không có giáo viên nào."),
        "year_change": _(
            "%(indicator)s thay đổi %(change)s%% so với năm trước (%(before)s → %(now)s)."
        ),
    }


def problem_text(problem: dict) -> str:
    params = dict(problem.get("params", {}))
    if problem["code"] == "year_change":
        from truongso.stats.models import Indicator

        indicator = Indicator.objects.filter(code=params.get("indicator")).first()
        if indicator is not None:
            params["indicator"] = indicator.label
    if problem["code"] == "classes_out_of_range":
        params["grade"] = split_key(params.get("grade", ""), ["grade"]).get("grade", "")
    template = _texts().get(problem["code"], problem["code"])
    try:
        return template % params
    except (KeyError, TypeError, ValueError):
        return template
