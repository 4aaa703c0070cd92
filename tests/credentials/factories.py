"""Issuing credentials in tests: keys for the world's schools and one call to issue."""

from __future__ import annotations

import datetime as dt

from truongso.credentials import services
from truongso.credentials.models import CredentialType
from truongso.credentials.services import Candidate, Issuance

ISSUE_DATE = dt.date(2025, 6, 30)


def keys_for(world) -> None:
    services.issuer_key_create(actor=world.principal_a, institution=world.school_a)
    services.issuer_key_create(actor=world.principal_b, institution=world.school_b)


def issuance(code: str = "lower_secondary_diploma", **overrides) -> Issuance:
    values = {
        "credential_type": CredentialType.objects.get(code=code),
        "issue_date": ISSUE_DATE,
        "graduation_year": 2025,
        "signer_name": "Nguyễn Văn Hùng",
        "signer_title": "Hiệu trưởng",
    }
    values.update(overrides)
    return Issuance(**values)


def candidate(name="Nguyễn Văn An", born=dt.date(2010, 5, 2), **extra) -> Candidate:
    values = {"sex": "M", "place_of_birth": "Hà Nội", "classification": "Khá"}
    values.update(extra)
    return Candidate(holder_name=name, date_of_birth=born, **values)


def issue(world, *candidates, school=None, actor=None, kind=None):
    school = school or world.school_a
    actor = actor or (world.principal_a if school == world.school_a else world.principal_b)
    return services.credential_issue(
        actor=actor,
        institution=school,
        issuance=kind or issuance(),
        candidates=list(candidates) or [candidate()],
    )
