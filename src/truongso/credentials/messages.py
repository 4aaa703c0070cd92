"""What each verification answer says to a person (page, API, command), translated."""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from truongso.credentials.verifier import Answer, Finding

TITLES = {
    Answer.VALID: gettext_lazy("Hợp lệ"),
    Answer.REVOKED: gettext_lazy("Đã bị thu hồi"),
    Answer.SUSPENDED: gettext_lazy("Đang bị tạm đình chỉ"),
    Answer.ALTERED: gettext_lazy("Đã bị sửa đổi"),
    Answer.UNKNOWN_ISSUER: gettext_lazy("Không rõ nơi cấp"),
    Answer.UNKNOWN: gettext_lazy("Không xác minh được"),
}


def title(finding: Finding) -> str:
    return str(TITLES[finding.answer])


def _report_card_explanation(finding: Finding, issuer: str) -> str | None:
    """The answer for a genuine signed report card (học bạ), or None for another one."""
    issuer = issuer or _("cơ sở giáo dục")
    if finding.answer is Answer.VALID:
        if not finding.status_checked:
            return _(
                "Chữ ký số hợp lệ: học bạ do %(issuer)s ký và chưa bị sửa đổi. Chưa kiểm tra "
                "được trạng thái; hãy xác minh trực tuyến để chắc chắn."
            ) % {"issuer": issuer}
        return _(
            "Học bạ do %(issuer)s ký số sau khi giáo viên chủ nhiệm kiểm tra và hiệu trưởng "
            "duyệt, chưa bị sửa đổi và là bản đang có hiệu lực."
        ) % {"issuer": issuer}
    if finding.answer is Answer.REVOKED and finding.reason == "superseded":
        return _(
            "Học bạ do %(issuer)s ký nhưng đã được thay bằng một phiên bản duyệt sau (chỉnh "
            "sửa): bản này không còn giá trị. Hãy xin bản mới nhất từ nhà trường."
        ) % {"issuer": issuer}
    if finding.answer is Answer.REVOKED:
        return _("Học bạ do %(issuer)s ký nhưng đã bị thu hồi: không còn giá trị.") % {
            "issuer": issuer
        }
    if finding.answer is Answer.SUSPENDED:
        return _("Học bạ do %(issuer)s ký đang bị tạm đình chỉ. Hãy liên hệ nhà trường.") % {
            "issuer": issuer
        }
    return None


def explanation(finding: Finding) -> str:
    """One or two sentences: what the answer means and what to do."""
    issuer = finding.shown.issuer_name if finding.shown and finding.shown.issuer_name else ""
    if finding.genuine and finding.shown is not None and finding.shown.kind == "report_card":
        text = _report_card_explanation(finding, issuer)
        if text is not None:
            return text
    if finding.answer is Answer.VALID:
        if not finding.status_checked:
            return _(
                "Chữ ký số hợp lệ: văn bằng do %(issuer)s cấp và chưa bị sửa đổi. Chưa kiểm "
                "tra được trạng thái thu hồi; hãy xác minh trực tuyến để chắc chắn."
            ) % {"issuer": issuer or _("cơ sở giáo dục")}
        return _("Văn bằng do %(issuer)s cấp, chưa bị sửa đổi và đang có hiệu lực.") % {
            "issuer": issuer or _("cơ sở giáo dục")
        }
    if finding.answer is Answer.REVOKED:
        return _(
            "Văn bằng do %(issuer)s cấp nhưng đã bị thu hồi, hủy bỏ: không còn giá trị sử dụng."
        ) % {"issuer": issuer or _("cơ sở giáo dục")}
    if finding.answer is Answer.SUSPENDED:
        return _(
            "Văn bằng do %(issuer)s cấp đang bị tạm đình chỉ trong khi được xem xét. Hãy liên "
            "hệ nơi cấp."
        ) % {"issuer": issuer or _("cơ sở giáo dục")}
    if finding.answer is Answer.ALTERED:
        return _(
            "Nội dung không khớp với chữ ký số: văn bằng đã bị sửa sau khi cấp, hoặc không "
            "phải bản do nơi cấp phát hành. Không công nhận văn bằng này."
        )
    if finding.answer is Answer.UNKNOWN_ISSUER:
        if finding.reason == "key_not_valid_at_signing_time":
            return _(
                "Chữ ký được tạo bằng khóa không còn hiệu lực vào thời điểm ký (khóa đã bị thu "
                "hồi hoặc đã được thay). Không công nhận văn bằng này; hãy liên hệ nơi cấp."
            )
        return _(
            "Chữ ký không thuộc cơ sở giáo dục nào mà hệ thống này biết. Văn bằng có thể bị "
            "giả mạo hoặc do hệ thống khác cấp."
        )
    if finding.reason == "bad_check_digits":
        return _(
            "Số hiệu không đúng (hai chữ số kiểm tra cuối không khớp): hãy kiểm tra lại từng "
            "ký tự trên văn bằng."
        )
    if finding.reason in ("not_found", "not_in_register"):
        return _(
            "Không có văn bằng nào trong sổ gốc khớp với thông tin đã nhập. Hãy kiểm tra lại "
            "số hiệu và ngày sinh như in trên văn bằng."
        )
    return _(
        "Không đọc được nội dung đã gửi. Hãy dán nguyên văn nội dung mã QR (bắt đầu bằng "
        "VN1:) hoặc tải lên tệp văn bằng số (.json) do nơi cấp phát hành."
    )
