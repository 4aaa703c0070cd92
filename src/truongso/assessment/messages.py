"""Translated wording of what the pure rules report as codes: missing items of
incomplete results, bad input, rule sets not in force, wrong parameters."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from truongso.assessment.rules import common, evaluation, gradebook, parameters, selection
from truongso.assessment.rules.common import Missing
from truongso.assessment.rules.labels import (
    Award,
    Level,
    PrimaryOutcome,
    QualityRating,
    SubjectRating,
    VocationalLevel,
)
from truongso.assessment.rules.secondary import PromotionOutcome

TERM_NAMES = {1: "I", 2: "II"}

# Vietnamese labels of the stable codes, for the interface.
LABELS = {
    Level.TOT: gettext_lazy("Tốt"),
    Level.KHA: gettext_lazy("Khá"),
    Level.DAT: gettext_lazy("Đạt"),
    Level.CHUA_DAT: gettext_lazy("Chưa đạt"),
    SubjectRating.HOAN_THANH_TOT: gettext_lazy("Hoàn thành tốt"),
    SubjectRating.HOAN_THANH: gettext_lazy("Hoàn thành"),
    SubjectRating.CHUA_HOAN_THANH: gettext_lazy("Chưa hoàn thành"),
    QualityRating.CAN_CO_GANG: gettext_lazy("Cần cố gắng"),
    PrimaryOutcome.HOAN_THANH_XUAT_SAC: gettext_lazy("Hoàn thành xuất sắc"),
    VocationalLevel.XUAT_SAC: gettext_lazy("Xuất sắc"),
    VocationalLevel.GIOI: gettext_lazy("Giỏi"),
    VocationalLevel.TRUNG_BINH: gettext_lazy("Trung bình"),
    VocationalLevel.YEU: gettext_lazy("Yếu"),
    PromotionOutcome.PROMOTED: gettext_lazy("Lên lớp"),
    PromotionOutcome.CONDUCT_TRAINING: gettext_lazy("Rèn luyện trong hè"),
    PromotionOutcome.RETESTS: gettext_lazy("Kiểm tra lại"),
    PromotionOutcome.REPEAT: gettext_lazy("Ở lại lớp"),
    Award.GIOI: gettext_lazy("Học sinh Giỏi"),
    Award.XUAT_SAC: gettext_lazy("Học sinh Xuất sắc"),
    Award.TIEU_BIEU: gettext_lazy("Học sinh Tiêu biểu hoàn thành tốt trong học tập và rèn luyện"),
}


def label(code: str) -> str:
    """The Vietnamese label of a rating code ("kha" → "Khá"); the code if unknown.
    Codes shared by several scales ("dat", "tot", "kha") have the same label."""
    for key, text in LABELS.items():
        if key.value == code:
            return str(text)
    return code


def year_name(start_year: int | None) -> str:
    return "" if start_year is None else f"{start_year}-{start_year + 1}"


def missing_text(item: Missing) -> str:
    """E.g. "thiếu điểm cuối kỳ môn Toán học kỳ I"."""
    values = {"subject": item.subject, "term": TERM_NAMES.get(item.term or 0, ""),
              "count": item.count}  # fmt: skip
    in_term = item.term is not None
    what = item.what
    if what == common.MISSING_REGULAR:
        text = _("thiếu %(count)s điểm đánh giá thường xuyên môn %(subject)s học kỳ %(term)s")
    elif what == common.MISSING_MID_TERM:
        text = _("thiếu điểm giữa kỳ môn %(subject)s học kỳ %(term)s")
    elif what == common.MISSING_END_OF_TERM:
        text = _("thiếu điểm cuối kỳ môn %(subject)s học kỳ %(term)s")
    elif what == common.MISSING_SEMESTER:
        text = (_("thiếu điểm môn %(subject)s học kỳ %(term)s") if in_term
                else _("thiếu kết quả cả năm môn %(subject)s"))  # fmt: skip
    elif what == common.MISSING_COMMENT:
        text = _("thiếu kết quả Đạt/Chưa đạt môn %(subject)s học kỳ %(term)s")
    elif what == gradebook.MISSING_MID_TERM_RATING:
        text = _("thiếu đánh giá giữa kỳ (Đạt/Chưa đạt) môn %(subject)s học kỳ %(term)s")
    elif what == gradebook.MISSING_END_OF_TERM_RATING:
        text = _("thiếu đánh giá cuối kỳ (Đạt/Chưa đạt) môn %(subject)s học kỳ %(term)s")
    elif what == common.MISSING_SUBJECTS:
        text = _("chưa có môn học nào")
    elif what == common.MISSING_CONDUCT:
        text = (_("thiếu kết quả rèn luyện học kỳ %(term)s") if in_term
                else _("thiếu kết quả rèn luyện cả năm"))  # fmt: skip
    elif what == common.MISSING_DAYS_ABSENT:
        text = _("thiếu số ngày nghỉ học cả năm")
    elif what == common.MISSING_RETEST:
        text = _("thiếu kết quả kiểm tra lại môn %(subject)s")
    elif what == common.MISSING_CONDUCT_AFTER_TRAINING:
        text = _("thiếu kết quả rèn luyện sau rèn luyện trong hè")
    elif what == common.MISSING_RATING:
        text = _("thiếu mức đánh giá cuối năm môn %(subject)s")
    elif what == common.MISSING_TEST:
        text = _("thiếu điểm bài kiểm tra định kỳ cuối năm môn %(subject)s")
    elif what == common.MISSING_QUALITY:
        text = _("thiếu mức đánh giá phẩm chất, năng lực “%(subject)s”")
    elif what == common.MISSING_QUALITIES:
        text = _("thiếu đánh giá phẩm chất, năng lực")
    elif what == common.MISSING_SCORE:
        text = (_("thiếu điểm mô-đun %(subject)s") if item.subject
                else _("thiếu điểm trung bình năm học"))  # fmt: skip
    else:
        text = _("thiếu dữ liệu: %(subject)s") if item.subject else _("thiếu dữ liệu")
    return text % values


_EXPECTED = {
    "object": gettext_lazy("một đối tượng JSON {…}"),
    "list": gettext_lazy("một danh sách […]"),
    "list of 2": gettext_lazy("một danh sách hai phần tử"),
    "list of 3": gettext_lazy("một danh sách ba phần tử"),
    "text": gettext_lazy("một chuỗi ký tự"),
    "boolean": gettext_lazy("true hoặc false"),
    "number": gettext_lazy("một số"),
    "integer": gettext_lazy("một số nguyên"),
    "grade": gettext_lazy("số khối (1–12)"),
    "learners": gettext_lazy('một đối tượng JSON dạng {"learners": […]}'),
}


class _Blank(dict):
    """Formatting values: a detail the code did not give shows as nothing."""

    def __missing__(self, key: str) -> str:
        return ""


def _shown(value: Any) -> str:
    if isinstance(value, tuple | list):
        return ", ".join(str(v) for v in value)
    return "null" if value is None else str(value)


def problem_text(code: str, details: dict[str, Any]) -> str:
    """The message for a code of bad input (InvalidInput, ParameterError, Problem)."""
    values = {key: _shown(value) for key, value in details.items()}
    if "expected" in details:
        values["expected"] = str(_EXPECTED.get(details["expected"], details["expected"]))
    if "outcome" in details:
        values["outcome"] = label(details["outcome"])
    texts = {
        common.NOT_A_NUMBER: _("“%(value)s” không phải là một số"),
        common.OUT_OF_RANGE: _("điểm %(value)s nằm ngoài thang điểm %(minimum)s–%(maximum)s"),
        common.NOT_AN_INTEGER: _("“%(value)s” phải là một số nguyên"),
        common.TOO_MANY_PLACES: _("“%(value)s” có quá %(places)s chữ số thập phân"),
        common.UNKNOWN_LABEL: _(
            "“%(value)s” không phải là mức đánh giá hợp lệ; dùng một trong: %(allowed)s"
        ),
        common.TOO_MANY_REGULAR: _(
            "có %(count)s điểm đánh giá thường xuyên, nhiều hơn %(expected)s điểm quy định "
            "cho môn học %(periods)s tiết/năm"
        ),
        common.NEGATIVE: _("“%(value)s” không được là số âm"),
        common.NOT_POSITIVE: _("“%(value)s” phải lớn hơn 0"),
        common.RETEST_NOT_REQUIRED: _("môn %(subject)s không thuộc diện kiểm tra lại"),
        evaluation.WRONG_TYPE: _("sai kiểu dữ liệu: cần %(expected)s"),
        evaluation.UNKNOWN_FIELD: _("trường không được hỗ trợ; các trường hợp lệ: %(allowed)s"),
        evaluation.REQUIRED: _("thiếu %(what)s"),
        evaluation.DUPLICATE_ID: _("mã “%(value)s” trùng với một người học khác"),
        evaluation.MIXED_KINDS: _(
            "môn học vừa có điểm số vừa có kết quả Đạt/Chưa đạt; hai học kỳ phải cùng "
            "một hình thức đánh giá"
        ),
        evaluation.SUMMER_NOT_NEEDED: _(
            "người học không phải rèn luyện hay kiểm tra lại trong hè (kết quả: %(outcome)s)"
        ),
        evaluation.NOT_JSON: _(
            "dữ liệu vào không phải JSON hợp lệ (dòng %(line)s, cột %(column)s): %(error)s"
        ),
        parameters.MISSING_KEY: _("thiếu tham số này"),
        parameters.UNKNOWN_KEY: _("tham số không được hỗ trợ"),
        parameters.INCOMPLETE_TABLE: _("bảng chưa đủ các dòng cần thiết"),
        parameters.NOT_DESCENDING: _("các ngưỡng phải giảm dần"),
        parameters.BAD_VALUE: _("giá trị không hợp lệ"),
    }
    text = texts.get(code)
    if text is None:
        return _("dữ liệu không hợp lệ (%(code)s)") % {"code": code}
    return text % _Blank(values)


def evaluation_problem_text(problem: evaluation.Problem) -> str:
    """E.g. 'Người học “HS001” (learners[0]), subjects.Toán.semester_1.mid_term:
    điểm 11 nằm ngoài thang điểm 0–10'."""
    message = problem_text(problem.code, problem.details)
    if problem.index is None:
        where = problem.path
    elif problem.learner:
        where = _("Người học “%(learner)s” (learners[%(index)s])") % {
            "learner": problem.learner, "index": problem.index}  # fmt: skip
        if problem.path:
            where = f"{where}, {problem.path}"
    else:
        where = _("Người học thứ %(number)s (learners[%(index)s])") % {
            "number": problem.index + 1, "index": problem.index}  # fmt: skip
        if problem.path:
            where = f"{where}, {problem.path}"
    return f"{where}: {message}" if where else message


def parameter_error_text(error: parameters.ParameterError) -> str:
    details = {k: v for k, v in error.details.items() if k != "path"}
    message = problem_text(error.code, details)
    if "allowed" in details and error.code == parameters.BAD_VALUE:
        message = _("%(message)s; dùng một trong: %(allowed)s") % {
            "message": message, "allowed": _shown(details["allowed"])}  # fmt: skip
    return _("Tham số %(path)s: %(message)s") % {"path": error.path, "message": message}


def not_in_force_text(result: selection.NotInForce) -> str:
    """Why no rule set applies, saying which regulation would and from when."""
    values = {
        "level": result.education_level,
        "year": year_name(result.school_year),
        "grade": result.grade,
        "regulation": result.regulation,
        "from": year_name(result.from_school_year),
    }
    if result.reason == selection.LEVEL_NOT_ASSESSED:
        text = _("Cấp học “%(level)s” không có bộ quy tắc đánh giá kết quả học tập.")
    elif result.reason == selection.NO_RULE_SET:
        text = _(
            "Chưa có bộ quy tắc đánh giá nào cho cấp học “%(level)s”; "
            "hãy chạy “manage.py assessment load-rule-sets”."
        )
    elif result.reason == selection.BEFORE_FIRST:
        text = _(
            "Năm học %(year)s trước khi Thông tư %(regulation)s được áp dụng (từ năm học "
            "%(from)s); hệ thống chưa có quy định đánh giá cho năm học này."
        )
    elif result.reason == selection.GRADE_NOT_YET:
        text = _(
            "Khối %(grade)s năm học %(year)s chưa áp dụng Thông tư %(regulation)s (khối "
            "%(grade)s áp dụng từ năm học %(from)s); hệ thống chưa có quy định đánh giá "
            "trước đó."
        )
    else:
        text = _("Thông tư %(regulation)s không áp dụng cho khối %(grade)s.")
    return text % values


def cell_error_text(error: common.InvalidInput, *, scored: bool, conduct: bool = False) -> str:
    """What is wrong with a value typed in a gradebook cell, for the teacher."""
    details = error.details
    if error.code == common.UNKNOWN_LABEL:
        if conduct:
            return _("“%(value)s” không phải là mức rèn luyện; nhập T (Tốt), K (Khá), Đ (Đạt) "
                     "hoặc CĐ (Chưa đạt).") % {"value": details.get("value", "")}  # fmt: skip
        return _("“%(value)s” không hợp lệ; nhập Đ (Đạt) hoặc CĐ (Chưa đạt).") % {
            "value": details.get("value", "")}  # fmt: skip
    if error.code == common.NOT_A_NUMBER:
        return _("“%(value)s” không phải là điểm; nhập một số từ 0 đến 10, ví dụ 7.5.") % {
            "value": details.get("value", "")}  # fmt: skip
    if error.code == common.OUT_OF_RANGE:
        return _("Điểm %(value)s nằm ngoài thang điểm %(minimum)s–%(maximum)s.") % {
            "value": details.get("value", ""), "minimum": details.get("minimum"),
            "maximum": details.get("maximum")}  # fmt: skip
    if error.code in (common.TOO_MANY_PLACES, common.NOT_AN_INTEGER):
        return _("Điểm “%(value)s” chỉ được có một chữ số thập phân, ví dụ 7.5.") % {
            "value": details.get("value", "")}  # fmt: skip
    if error.code == gradebook.COMMENT_TOO_LONG:
        return _("Nhận xét dài %(length)s ký tự, quá %(maximum)s ký tự.") % details
    if error.code == gradebook.UNKNOWN_CELL:
        return _("Không có ô “%(field)s” trong sổ điểm môn này.") % details
    return problem_text(error.code, details)


def missing_items_text(items, subject_names: dict[str, str]) -> list[str]:
    """The missing items of a stored result, with subject codes shown as names."""
    out = []
    for item in items:
        name = subject_names.get(item.subject, item.subject)
        out.append(missing_text(Missing(item.what, name, item.term, item.count)))
    return out
