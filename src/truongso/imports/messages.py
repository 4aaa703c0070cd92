"""The message for each problem code, translated, and where it happened."""

from __future__ import annotations

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from truongso.imports.rules import problems as P

MESSAGES = {
    P.FILE_EMPTY: _("Tệp rỗng (0 byte). Hãy chọn lại tệp đã lưu."),
    P.FILE_TOO_LARGE: _(
        "Tệp quá lớn (%(size)s MB). Tối đa %(max)s MB: hãy chia thành nhiều tệp nhỏ hơn."
    ),
    P.FILE_NOT_SPREADSHEET: _(
        "Tệp không phải bảng tính. Hãy tải lên tệp Excel (.xlsx, .xls), OpenDocument (.ods) "
        "hoặc CSV (.csv)."
    ),
    P.FILE_PASSWORD: _("Tệp được đặt mật khẩu. Hãy bỏ mật khẩu trong Excel rồi tải lên lại."),
    P.FILE_NO_HEADER: _(
        "Không tìm thấy dòng tiêu đề. Dòng tiêu đề phải có ít nhất hai cột như trong tệp mẫu, "
        "ví dụ 'Họ và tên' và 'Ngày sinh'."
    ),
    P.FILE_NO_ROWS: _("Không có dòng dữ liệu nào dưới dòng tiêu đề."),
    P.COLUMN_MISSING: _("Thiếu cột bắt buộc '%(label)s'."),
    P.COLUMN_UNKNOWN: _("Cột '%(label)s' không có trong tệp mẫu nên được bỏ qua."),
    P.COLUMN_DUPLICATE: _(
        "Cột '%(label)s' trùng với cột '%(first)s' đã có; chỉ đọc cột '%(first)s'."
    ),
    P.HEADER_MERGED: _(
        "Ô tiêu đề %(range)s bị gộp (Merge). Các cột trong vùng gộp, trừ cột đầu, không có "
        "tiêu đề nên bị bỏ qua: hãy bỏ gộp ô và đặt một tiêu đề cho mỗi cột."
    ),
    P.CELL_FORMULA: _(
        "Ô %(cell)s chứa công thức (%(formula)s) thay vì giá trị. Hãy sao chép rồi dán "
        "dạng giá trị (Paste Special → Values)."
    ),
    P.ROW_EMPTY: _("Dòng trống, đã bỏ qua."),
    P.TOO_MANY_PROBLEMS: _(
        "Còn %(count)s vấn đề khác không được liệt kê. Hãy sửa các lỗi trên rồi kiểm tra lại."
    ),
    P.TEXT_TCVN3: _(
        "Chữ gõ bằng bảng mã TCVN3 (phông .VnTime, ABC) '%(value)s' đã được chuyển sang "
        "Unicode: '%(converted)s'. Hãy kiểm tra lại."
    ),
    P.TEXT_VNI: _(
        "Chữ gõ bằng bảng mã VNI (phông VNI-Times) '%(value)s' đã được chuyển sang "
        "Unicode: '%(converted)s'. Hãy kiểm tra lại."
    ),
    P.TEXT_TOO_LONG: _("Dài %(length)s ký tự, quá giới hạn %(max)s ký tự."),
    P.REQUIRED: _("Chưa nhập (bắt buộc)."),
    P.DATE_NOT_A_DATE: _(
        "'%(value)s' không phải là ngày. Hãy nhập theo dạng ngày/tháng/năm, ví dụ 05/09/2014."
    ),
    P.DATE_IMPOSSIBLE: _("'%(value)s' không phải là ngày có thật (sai ngày hoặc tháng)."),
    P.DATE_FUTURE: _("Ngày '%(value)s' chưa đến."),
    P.DATE_TOO_OLD: _("Ngày '%(value)s' trước năm 1900."),
    P.AGE_GRADE: _(
        "Học sinh %(age)s tuổi (tính theo năm %(year)s) là bất thường ở khối %(grade)s "
        "(thường %(usual)s tuổi). Hãy kiểm tra ngày sinh và lớp."
    ),
    P.SEX_UNKNOWN: _("Giới tính '%(value)s' không hợp lệ: hãy ghi Nam hoặc Nữ."),
    P.ETHNICITY_UNKNOWN: _(
        "Dân tộc '%(value)s' không có trong danh mục 54 dân tộc. Hãy chọn trong danh sách "
        "của tệp mẫu, ví dụ Kinh, Tày, Thái, Mường."
    ),
    P.NATIONALITY_UNKNOWN: _(
        "Quốc tịch '%(value)s' không hợp lệ: hãy ghi Việt Nam hoặc mã nước 2 chữ cái (VN, LA…)."
    ),
    P.CHOICE_UNKNOWN: _("'%(value)s' không có trong danh sách chọn của cột này."),
    P.PID_NOT_12_DIGITS: _("Số định danh cá nhân '%(value)s' phải gồm đúng 12 chữ số."),
    P.PID_ZEROS_RESTORED: _(
        "Ô được định dạng số nên số định danh '%(value)s' mất số 0 ở đầu; đã đọc là "
        "'%(restored)s'. Hãy định dạng cột là văn bản (Text)."
    ),
    P.PID_CENTURY_SEX: _(
        "Chữ số thứ 4 của số định danh %(value)s là %(digit)s, không khớp với giới tính và "
        "thế kỷ sinh (phải là %(expected)s). Hãy kiểm tra số, ngày sinh và giới tính."
    ),
    P.PID_YEAR: _(
        "Chữ số thứ 5–6 của số định danh %(value)s là %(digits)s, không khớp với năm sinh "
        "%(year)s. Hãy kiểm tra số và ngày sinh."
    ),
    P.PHONE_SUSPICIOUS: _(
        "Số điện thoại '%(value)s' có vẻ không đúng (10 chữ số, bắt đầu bằng 0)."
    ),
    P.EMAIL_INVALID: _("Địa chỉ thư điện tử '%(value)s' không hợp lệ."),
    P.CLASS_UNKNOWN: _(
        "Lớp '%(value)s' không có trong năm học %(year)s của trường. Hãy tạo lớp trước hoặc "
        "sửa tên lớp."
    ),
    P.GRADE_UNKNOWN: _("Khối '%(value)s' không hợp lệ: hãy ghi số từ 0 (mầm non) đến 12."),
    P.GRADE_NOT_TAUGHT: _("Trường chỉ có các khối %(low)s đến %(high)s, không có khối %(value)s."),
    P.SCHOOL_YEAR_UNKNOWN: _("Năm học '%(value)s' không có: hãy ghi dạng 2025-2026."),
    P.TEACHER_UNKNOWN: _("Không tìm thấy giáo viên '%(value)s' trong trường."),
    P.TEACHER_AMBIGUOUS: _(
        "Có %(count)s giáo viên tên '%(value)s' trong trường: hãy ghi mã định danh của giáo viên."
    ),
    P.GUARDIAN_WITHOUT_NAME: _(
        "Có quan hệ hoặc điện thoại phụ huynh nhưng không có họ tên phụ huynh: thông tin "
        "phụ huynh được bỏ qua."
    ),
    P.DUP_FILE_PID: _("Số định danh %(value)s trùng với dòng %(other_row)s trong tệp."),
    P.DUP_FILE_NAME_DOB: _(
        "%(name)s, sinh ngày %(date)s, trùng họ tên và ngày sinh với dòng %(other_row)s trong tệp."
    ),
    P.DUP_FILE_EDU_ID: _("Mã định danh %(value)s trùng với dòng %(other_row)s trong tệp."),
    P.DUP_FILE_CLASS: _("Lớp '%(value)s' trùng với dòng %(other_row)s trong tệp."),
    P.DUP_FILE_SAME_LEARNER: _(
        "Dòng này và dòng %(other_row)s trong tệp cùng chỉ một người đã có: %(name)s."
    ),
    P.DUP_DB_PID_HERE: _(
        "Số định danh %(value)s đã thuộc về %(name)s (mã định danh %(code)s) của trường."
    ),
    P.DUP_DB_PID_ELSEWHERE: _(
        "Số định danh %(value)s đã được dùng cho một người ở trường khác. Nếu là học sinh "
        "chuyển đến, hãy đề nghị trường cũ làm thủ tục chuyển trường."
    ),
    P.EDU_ID_UNKNOWN: _(
        "Không có ai mang mã định danh %(value)s trong trường. Để thêm người mới, hãy để "
        "trống cột mã định danh."
    ),
    P.EDU_ID_ELSEWHERE: _("Mã định danh %(value)s thuộc về một người của trường khác."),
    P.NAME_DOB_AMBIGUOUS: _(
        "Trường có %(count)s người cùng tên %(name)s và cùng ngày sinh: hãy ghi mã định danh "
        "để chọn đúng người."
    ),
}


def problem_message(code: str, params: dict) -> str:
    template = MESSAGES.get(code)
    if template is None:
        return code
    try:
        return str(template) % params
    except (KeyError, TypeError, ValueError):
        return str(template)


def located(*, sheet: str, row: int | None, column: str, message: str) -> str:
    """ "Sheet 'Học sinh', dòng 7, cột 'Ngày sinh': …" (a CSV file has no sheet)."""
    parts = []
    if sheet:
        parts.append(gettext("Sheet '%(sheet)s'") % {"sheet": sheet})
    if row:
        parts.append(gettext("dòng %(row)s") % {"row": row})
    if column:
        parts.append(gettext("cột '%(column)s'") % {"column": column})
    if not parts:
        return message
    where = ", ".join(parts)
    return f"{where[:1].upper()}{where[1:]}: {message}"
