"""The norms a new installation starts with. Administrators change them on the page
"Định mức"; the values here are starting points to check against the documents in
force, not a citation of every article."""

from __future__ import annotations

SCHOOLS = "primary,lower_secondary,upper_secondary,multi_level"
SECONDARY = "lower_secondary,upper_secondary,multi_level"
TT13 = "Thông tư 13/2020/TT-BGDĐT (tiêu chuẩn cơ sở vật chất trường phổ thông)"
SANITATION = "Thông tư 13/2020/TT-BGDĐT; QCVN 01:2011/BYT (nhà tiêu hợp vệ sinh)"

# (code, kind, value, kinds, source, note)
DEFAULT_NORMS = [
    ("phong_hoc_lop", "classrooms_per_class", "1", SCHOOLS, TT13,
     "Mỗi lớp một phòng học."),
    ("dien_tich_dat_hs", "land_m2_per_learner", "10", SCHOOLS, TT13,
     "Khu vực nông thôn; nội thành có thể thấp hơn."),
    ("ve_sinh_nu", "learners_per_girls_place", "20", "", SANITATION,
     "Một chỗ vệ sinh cho mỗi 20 học sinh nữ."),
    ("ve_sinh_nam", "learners_per_boys_place", "30", "", SANITATION,
     "Một chỗ vệ sinh cho mỗi 30 học sinh nam."),
    ("ve_sinh_khuyet_tat", "accessible_places", "1", "", TT13,
     "Ít nhất một chỗ vệ sinh cho người khuyết tật."),
    ("rua_tay", "learners_per_handwashing", "50", "", SANITATION,
     "Một vòi rửa tay cho mỗi 50 học sinh."),
    ("thu_vien", "libraries", "1", SCHOOLS, TT13, "Mỗi trường một thư viện."),
    ("phong_tin_hoc", "computer_rooms", "1", SCHOOLS, TT13, "Mỗi trường một phòng tin học."),
    ("phong_bo_mon", "subject_rooms", "2", SECONDARY, TT13,
     "Phòng học bộ môn và phòng thí nghiệm."),
]  # fmt: skip
