from decimal import Decimal

from truongso.training.selectors import staff_summary, training_records


def _courses(actor, **kwargs):
    return sorted(r.course for r in training_records(actor=actor, **kwargs))


def test_school_a_cannot_see_school_b(trained):
    w = trained
    assert _courses(w.principal_b) == ["Học liệu số"]
    assert len(_courses(w.principal_a)) == 5
    assert "Học liệu số" not in _courses(w.staff_a)
    assert _courses(w.province_p2) == ["Học liệu số"]
    assert len(_courses(w.province_p1)) == 5
    assert len(_courses(w.ministry)) == 6
    assert _courses(w.nobody) == []


def test_a_teacher_reads_only_their_own(trained):
    w = trained
    assert _courses(w.teacher_a1_user) == ["Kỹ năng số cho giáo viên", "Soạn bài giảng điện tử"]
    assert _courses(w.teacher_a2_user) == ["Chương trình GDPT 2018 môn Ngữ văn"]
    assert staff_summary(actor=w.teacher_a1_user, school_year=w.year) == ([], staff_summary(
        actor=w.nobody, school_year=w.year)[1])  # fmt: skip


def test_filters(trained):
    w = trained
    assert _courses(w.principal_a, kind="digital_skills") == [
        "Kỹ năng số", "Kỹ năng số cho giáo viên", "Quản trị trường học số"]  # fmt: skip
    assert _courses(w.principal_a, query="tran thi hoa") == [
        "Kỹ năng số cho giáo viên", "Soạn bài giảng điện tử"]  # fmt: skip
    assert _courses(w.principal_a, staff_member_id=w.teacher_a2.pk) == [
        "Chương trình GDPT 2018 môn Ngữ văn"]  # fmt: skip
    assert _courses(w.principal_a, school_year=w.next_year) == []


def _row(rows, name):
    return next(r for r in rows if r.institution.name == name)


def test_school_summary_shares_and_ratios(trained):
    w = trained
    rows, total = staff_summary(actor=w.principal_a, school_year=w.year)
    assert [r.institution.name for r in rows] == ["Trường THCS Ba Đình"]
    a = rows[0]
    # In service: Hoa, Minh (teachers), the principal, the accountant; Tạ Văn Đi left.
    assert (a.staff, a.teachers, a.learners, a.classes) == (4, 2, 6, 2)
    assert (a.teachers_digital_skills, a.teachers_digital_materials) == (1, 0)
    assert a.digital_skills_share == Decimal("50.0")
    assert a.learners_per_staff == Decimal("1.50")
    assert a.teachers_per_class == Decimal("1.00")
    # Hours of the year: 24 + 16 + 40 + 24 + 24.
    assert (a.hours, a.records) == (128, 5)


def test_office_roll_up(trained):
    w = trained
    rows, total = staff_summary(actor=w.province_p1, school_year=w.year)
    assert [r.institution.name for r in rows] == ["Trường THCS Ba Đình", "Trường Tiểu học Kim Đồng"]
    assert _row(rows, "Trường Tiểu học Kim Đồng").digital_skills_share is None
    assert (total.staff, total.teachers, total.learners) == (4, 2, 6)
    rows, total = staff_summary(actor=w.ministry, school_year=w.year)
    assert len(rows) == 3
    # Summed, then divided: 2 of 3 teachers trained; 9 learners / 5 staff; 3 teachers / 3.
    assert (total.staff, total.teachers, total.learners, total.classes) == (5, 3, 9, 3)
    assert total.digital_skills_share == Decimal("66.7")
    assert total.digital_materials_share == Decimal("33.3")
    assert total.learners_per_staff == Decimal("1.80")
    assert total.teachers_per_class == Decimal("1.00")
    assert total.hours == 158
