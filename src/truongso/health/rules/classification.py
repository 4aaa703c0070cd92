"""Classification of growth z-scores as the WHO does (pure Python).

- Stunting (thấp còi), height-for-age: HAZ < −2 stunted, HAZ < −3 severely stunted.
- Thinness (gầy còm), BMI-for-age: BAZ < −2 thin, BAZ < −3 severely thin.
- Overweight and obesity (thừa cân, béo phì), BMI-for-age:
  5–19 years (WHO 2007): BAZ > +1 overweight, BAZ > +2 obese;
  under 5 years (WHO 2006): BAZ > +2 overweight, BAZ > +3 obese.

The bounds are strict: a z of exactly −2.00 is not stunted, exactly +1.00 at age 10 is
not overweight.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

# Stored codes.
NORMAL = "normal"
STUNTED = "stunted"
SEVERELY_STUNTED = "severely_stunted"
SEVERELY_THIN = "severely_thin"
THIN = "thin"
OVERWEIGHT = "overweight"
OBESE = "obese"

STUNTED_CODES = (STUNTED, SEVERELY_STUNTED)
THIN_CODES = (THIN, SEVERELY_THIN)


@dataclass(frozen=True)
class Classification:
    stature: str  # "" (unknown), NORMAL, STUNTED, SEVERELY_STUNTED
    nutrition: str  # "" (unknown), SEVERELY_THIN, THIN, NORMAL, OVERWEIGHT, OBESE


def classify_stature(haz: Decimal | None) -> str:
    if haz is None:
        return ""
    if haz < -3:
        return SEVERELY_STUNTED
    if haz < -2:
        return STUNTED
    return NORMAL


def classify_nutrition(baz: Decimal | None, *, under_five: bool) -> str:
    if baz is None:
        return ""
    if baz < -3:
        return SEVERELY_THIN
    if baz < -2:
        return THIN
    obese, overweight = (3, 2) if under_five else (2, 1)
    if baz > obese:
        return OBESE
    if baz > overweight:
        return OVERWEIGHT
    return NORMAL


def classify(haz: Decimal | None, baz: Decimal | None, *, under_five: bool) -> Classification:
    return Classification(classify_stature(haz), classify_nutrition(baz, under_five=under_five))
