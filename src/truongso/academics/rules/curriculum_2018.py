"""The 2018 general education curriculum (Circular 32/2018/TT-BGDĐT): subjects per
grade, periods per year and how each is assessed (Circular 27/2020 for primary,
Circular 22/2021 for secondary). Pure data, loaded by ``manage.py load_curriculum``.
"""

from __future__ import annotations

# code: (Vietnamese name, English name)
SUBJECTS: dict[str, tuple[str, str]] = {
    "TV": ("Tiếng Việt", "Vietnamese"),
    "NV": ("Ngữ văn", "Literature"),
    "TOAN": ("Toán", "Mathematics"),
    "DD": ("Đạo đức", "Ethics"),
    "NN1": ("Ngoại ngữ 1", "Foreign language 1"),
    "TNXH": ("Tự nhiên và Xã hội", "Nature and society"),
    "LSDL": ("Lịch sử và Địa lí", "History and geography"),
    "KH": ("Khoa học", "Science"),
    "TINCN": ("Tin học và Công nghệ", "Computing and technology"),
    "GDTC": ("Giáo dục thể chất", "Physical education"),
    "AN": ("Âm nhạc", "Music"),
    "MT": ("Mĩ thuật", "Fine arts"),
    "HDTN": ("Hoạt động trải nghiệm", "Experiential activities"),
    "HDTNHN": ("Hoạt động trải nghiệm, hướng nghiệp", "Experiential and career guidance"),
    "GDCD": ("Giáo dục công dân", "Civic education"),
    "KHTN": ("Khoa học tự nhiên", "Natural science"),
    "CN": ("Công nghệ", "Technology"),
    "TIN": ("Tin học", "Computing"),
    "GDDP": ("Nội dung giáo dục của địa phương", "Local education content"),
    "LS": ("Lịch sử", "History"),
    "DL": ("Địa lí", "Geography"),
    "GDKTPL": ("Giáo dục kinh tế và pháp luật", "Economics and law"),
    "VL": ("Vật lí", "Physics"),
    "HH": ("Hoá học", "Chemistry"),
    "SH": ("Sinh học", "Biology"),
    "GDQPAN": ("Giáo dục quốc phòng và an ninh", "Defence and security education"),
}

S, C, R, RT = "scored", "comment", "primary_rating", "primary_tested"

# grade -> [(subject code, periods per year, assessment mode, elective)]
_PRIMARY_ARTS = [("AN", 35, R, False), ("MT", 35, R, False)]
CURRICULUM: dict[int, list[tuple[str, int, str, bool]]] = {
    1: [("TV", 420, RT, False), ("TOAN", 105, RT, False), ("DD", 35, R, False),
        ("TNXH", 70, R, False), ("GDTC", 70, R, False), *_PRIMARY_ARTS, ("HDTN", 105, R, False)],
    2: [("TV", 350, RT, False), ("TOAN", 175, RT, False), ("DD", 35, R, False),
        ("TNXH", 70, R, False), ("GDTC", 70, R, False), *_PRIMARY_ARTS, ("HDTN", 105, R, False)],
    3: [("TV", 245, RT, False), ("TOAN", 175, RT, False), ("NN1", 140, RT, False),
        ("DD", 35, R, False), ("TNXH", 70, R, False), ("TINCN", 70, RT, False),
        ("GDTC", 70, R, False), *_PRIMARY_ARTS, ("HDTN", 105, R, False)],
    **{
        g: [("TV", 245, RT, False), ("TOAN", 175, RT, False), ("NN1", 140, RT, False),
            ("DD", 35, R, False), ("LSDL", 70, RT, False), ("KH", 70, RT, False),
            ("TINCN", 70, RT, False), ("GDTC", 70, R, False), *_PRIMARY_ARTS,
            ("HDTN", 105, R, False)]
        for g in (4, 5)
    },
    **{
        g: [("NV", 140, S, False), ("TOAN", 140, S, False), ("NN1", 105, S, False),
            ("GDCD", 35, S, False), ("LSDL", 105, S, False), ("KHTN", 140, S, False),
            ("CN", 52 if g == 9 else 35, S, False), ("TIN", 35, S, False),
            ("GDTC", 70, C, False), ("AN", 35, C, False), ("MT", 35, C, False),
            ("HDTNHN", 105, C, False), ("GDDP", 35, C, False)]
        for g in (6, 7, 8, 9)
    },
    **{
        g: [("NV", 105, S, False), ("TOAN", 105, S, False), ("NN1", 105, S, False),
            ("LS", 52, S, False), ("GDTC", 70, C, False), ("GDQPAN", 35, S, False),
            ("HDTNHN", 105, C, False), ("GDDP", 35, C, False),
            ("DL", 70, S, True), ("GDKTPL", 70, S, True), ("VL", 70, S, True),
            ("HH", 70, S, True), ("SH", 70, S, True), ("CN", 70, S, True),
            ("TIN", 70, S, True), ("AN", 70, C, True), ("MT", 70, C, True)]
        for g in (10, 11, 12)
    },
}  # fmt: skip
