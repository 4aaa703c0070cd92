"""The built-in rule sets, version 1 of each: the defaults shipped with the software.

An administrator corrects a parameter by saving a new version (never by editing
these): results always name the version they were computed with.
"""

from __future__ import annotations

from decimal import Decimal as D

from truongso.assessment.rules.common import RuleSetInfo, ScoreScale
from truongso.assessment.rules.labels import (
    Level,
    PrimaryOutcome,
    QualityRating,
    SubjectRating,
)
from truongso.assessment.rules.labels import VocationalLevel as V
from truongso.assessment.rules.parameters import (
    CONTINUING,
    PRIMARY,
    RETAKE_HIGHEST,
    SECONDARY,
    VOCATIONAL,
    Band,
    LetterGrade,
    LevelRule,
    OutcomeRule,
    PrimaryRules,
    Rules,
    SecondaryRules,
    VocationalRules,
)

T, K, DAT, CD = Level.TOT, Level.KHA, Level.DAT, Level.CHUA_DAT

# (semester II, semester I) → year, Circular 22/2021 article 8 as given in the domain
# reference: every one of the 16 pairs.
CONDUCT_TABLE_TT22 = (
    (T, T, T), (T, K, T), (T, DAT, K), (T, CD, K),
    (K, T, K), (K, K, K), (K, DAT, K), (K, CD, DAT),
    (DAT, T, K), (DAT, K, DAT), (DAT, DAT, DAT), (DAT, CD, DAT),
    (CD, T, CD), (CD, K, CD), (CD, DAT, CD), (CD, CD, CD),
)  # fmt: skip

# Grade 6 from 2021-22, grades 7 and 10 from 2022-23, 8 and 11 from 2023-24,
# 9 and 12 from 2024-25.
ROLLOUT_TT22 = ((6, 2021), (7, 2022), (8, 2023), (9, 2024), (10, 2022), (11, 2023), (12, 2024))


def _secondary(info: RuleSetInfo) -> SecondaryRules:
    return SecondaryRules(
        info=info,
        score_scale=ScoreScale(D("0"), D("10"), 1, round_extra=True),
        regular_counts=((35, 2), (70, 3), (None, 4)),
        mid_term_weight=2,
        end_of_term_weight=3,
        semester_weights=(1, 2),
        average_places=1,
        learning_levels=(
            LevelRule(T, all_min=D("6.5"), count_min=D("8.0"), count=6, max_not_passed=0),
            LevelRule(K, all_min=D("5.0"), count_min=D("6.5"), count=6, max_not_passed=0),
            LevelRule(DAT, all_min=D("3.5"), count_min=D("5.0"), count=6, max_not_passed=1),
        ),
        one_subject_adjustment=True,
        conduct_table=CONDUCT_TABLE_TT22,
        max_days_absent=45,
        promotion_min_conduct=DAT,
        promotion_min_learning=DAT,
        retest_below=D("5.0"),
        retest_replaces_year_average=True,
        award_gioi_min_conduct=T,
        award_gioi_min_learning=T,
        award_xuat_sac_min=D("9.0"),
        award_xuat_sac_count=6,
    )


TT22_2021 = _secondary(
    RuleSetInfo("tt22-2021", 1, "22/2021/TT-BGDĐT", SECONDARY, 2021, ROLLOUT_TT22)
)
# Continuing education: same calculations; its roll-out is assumed to follow
# Circular 22's (UNVERIFIED).
TT43_2021 = _secondary(
    RuleSetInfo("tt43-2021", 1, "43/2021/TT-BGDĐT", CONTINUING, 2021, ROLLOUT_TT22)
)

HTT, HT = SubjectRating.HOAN_THANH_TOT, SubjectRating.HOAN_THANH
TT27_2020 = PrimaryRules(
    info=RuleSetInfo(
        "tt27-2020",
        1,
        "27/2020/TT-BGDĐT",
        PRIMARY,
        2020,
        ((1, 2020), (2, 2021), (3, 2022), (4, 2023), (5, 2024)),
    ),  # fmt: skip
    score_scale=ScoreScale(D("1"), D("10"), 0, round_extra=False),
    outcome_rules=(
        OutcomeRule(PrimaryOutcome.HOAN_THANH_XUAT_SAC, HTT, QualityRating.TOT, D("9")),
        OutcomeRule(PrimaryOutcome.HOAN_THANH_TOT, HTT, QualityRating.TOT, D("7")),
        # The test threshold 5 is UNVERIFIED; so is "qualities at least Đạt", which
        # the domain table leaves out (set quality_min to null to drop it).
        OutcomeRule(PrimaryOutcome.HOAN_THANH, HT, QualityRating.DAT, D("5")),
    ),
    tested_subjects=("TV", "TOAN", "NN1", "LSDL", "TINCN", "KH"),
)

TT04_2022 = VocationalRules(
    info=RuleSetInfo("tt04-2022", 1, "04/2022/TT-BLĐTBXH", VOCATIONAL, 2022),
    score_scale=ScoreScale(D("0"), D("10"), 1, round_extra=True),
    year_bands=(
        Band(D("9.0"), V.XUAT_SAC),
        Band(D("8.0"), V.GIOI),
        Band(D("7.0"), V.KHA),
        Band(D("5.0"), V.TRUNG_BINH),
        Band(D("0"), V.YEU),
    ),  # fmt: skip
    letter_table=(
        LetterGrade("A", D("8.5"), D("4.0")),
        LetterGrade("B", D("7.0"), D("3.0")),
        LetterGrade("C", D("5.5"), D("2.0")),
        LetterGrade("D", D("4.0"), D("1.0")),
        LetterGrade("F", D("0"), D("0.0")),
    ),  # fmt: skip
    gpa_places=2,
    credit_bands=(
        Band(D("3.50"), V.XUAT_SAC),
        Band(D("3.00"), V.GIOI),
        Band(D("2.50"), V.KHA),
        Band(D("2.00"), V.TRUNG_BINH),
        Band(D("0"), V.YEU),
    ),  # fmt: skip
    pass_min_points=D("1.0"),
    discipline_drop_from=V.GIOI,
    retake_caps=((1, V.GIOI), (2, V.KHA)),
    graduation_min_gpa=D("2.00"),
    retake_counts=RETAKE_HIGHEST,
)

BUILTIN_RULE_SETS: tuple[Rules, ...] = (TT27_2020, TT22_2021, TT43_2021, TT04_2022)
