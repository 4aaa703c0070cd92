"""What issuing writes, pinned byte for byte: with the key, the clock, the credential ids
and the status indexes fixed, the signed documents, their hashes, the QR texts, the
register rows, the audit entries and the log entries must equal the recorded ones.

The recorded values (``vectors/issuance/pinned.json``) were produced by the issuance path
as it was before it was made faster; any change to what is signed or stored shows here.
Values that depend on database ids (primary keys) are replaced by names before comparing.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import random
import uuid

import pytest

from tests.credentials.factories import candidate, issuance
from tests.credentials.helpers import VECTORS
from truongso.audit.models import AuditEntry
from truongso.credentials import services
from truongso.credentials.models import Checkpoint, Credential, CredentialType, LogEntry
from truongso.credentials.rules import signer as signer_rules
from truongso.credentials.services import keys as key_services
from truongso.credentials.services import status as status_services

PINNED = VECTORS / "issuance" / "pinned.json"
MOMENT = dt.datetime(2025, 7, 1, 1, 2, 3, tzinfo=dt.UTC)
REGISTER_FIELDS = (
    "credential_id", "holder_name", "search_name", "date_of_birth", "sex", "place_of_birth",
    "graduation_year", "classification", "field_of_study", "field_of_study_en",
    "diploma_number", "register_number", "issue_date", "signer_name", "signer_title",
    "signed_at", "document", "document_hash", "qr_text", "status_index", "status",
    "status_reason", "relation",
)  # fmt: skip


def _sealed_key(*, key_id, secret, scrypt_n=signer_rules.DEFAULT_SCRYPT_N):
    seed = hashlib.sha256(key_id.encode("utf-8")).digest()
    sealed = signer_rules.seal_private_key(seed, key_id=key_id, secret=secret, scrypt_n=scrypt_n)
    return signer_rules.SealedKey(sealed, key_id, signer_rules._public_of(seed))


@pytest.fixture
def fixed(monkeypatch):
    """A fixed clock, keys derived from their ids, counted uuids, seeded status indexes."""
    monkeypatch.setattr("django.utils.timezone.now", lambda: MOMENT)
    monkeypatch.setattr(key_services, "generate_sealed_key", _sealed_key)
    counter = iter(range(1, 1000))
    monkeypatch.setattr(uuid, "uuid4", lambda: uuid.UUID(int=next(counter) << 64 | 0xABCDEF))
    rng = random.Random(7)
    original = status_services.random_free_index

    def seeded(is_taken, size, **options):
        return original(is_taken, size, randbelow=rng.randrange, **options)

    monkeypatch.setattr(status_services, "random_free_index", seeded)


def _names(world, credentials) -> dict[str, dict[int, str]]:
    """Primary keys that vary between runs, by field, as stable names."""
    names: dict[str, dict[int, str]] = {
        "institution_id": {world.school_a.pk: "<school>"},
        "learner_id": {world.learner_an.pk: "<learner an>"},
        "credential_type_id": {t.pk: t.code for t in CredentialType.objects.all()},
        "key_id": {},
        "credential_id": {},
        "actor_id": {world.principal_a.pk: "<principal>"},
    }
    for position, credential in enumerate(credentials):
        names["credential_id"][credential.pk] = f"<credential {position}>"
        names["key_id"][credential.key_id] = "<key>"
    return names


def _stable(values: dict, names) -> dict:
    return {
        field: names[field].get(value, value) if field in names else value
        for field, value in values.items()
    }


def _record(world, credentials) -> dict:
    names = _names(world, credentials)
    pks = [c.pk for c in credentials]
    rows = []
    for credential in Credential.objects.filter(pk__in=pks).order_by("pk"):
        row = {}
        for name in REGISTER_FIELDS:
            value = getattr(credential, name)
            row[name] = value.isoformat() if isinstance(value, dt.date) else value
        row["learner"] = names["learner_id"].get(credential.learner_id)
        row["created_by"] = names["actor_id"].get(credential.created_by_id)
        row["type"] = names["credential_type_id"][credential.credential_type_id]
        row["batch"] = credential.batch_id
        rows.append(row)
    audit = [
        {
            "action": entry.action,
            "object": names["credential_id"].get(int(entry.object_id)),
            "object_type": entry.object_type,
            "actor": names["actor_id"].get(entry.actor_id),
            "institution": names["institution_id"].get(entry.institution_id),
            "before": entry.before,
            "after": _stable(entry.after, names),
            "reason": entry.reason,
        }
        for entry in AuditEntry.objects.filter(
            action="credential.issue", object_id__in=[str(pk) for pk in pks]
        ).order_by("object_id")
    ]
    log = [
        {
            "event": entry.event,
            "body": entry.body,
            "leaf_hash": entry.leaf_hash,
            "credential": names["credential_id"].get(entry.credential_id),
            "institution": names["institution_id"].get(entry.institution_id),
        }
        for entry in LogEntry.objects.filter(credential_id__in=pks).order_by("index")
    ]
    checkpoint = Checkpoint.objects.order_by("-size").first()
    return {
        "register": rows,
        "audit": audit,
        "log": log,
        "checkpoint": {
            "size": checkpoint.size,
            "root_hash": checkpoint.root_hash,
            "peaks": checkpoint.peaks,
            "note": checkpoint.note,
        },
    }


def issue_pinned(world) -> dict:
    """Issue three lower-secondary diplomas and two bilingual certificates at school A."""
    services.issuer_key_create(actor=world.principal_a, institution=world.school_a)
    CredentialType.objects.filter(code="certificate").update(bilingual=True)
    diplomas = services.credential_issue(
        actor=world.principal_a,
        institution=world.school_a,
        issuance=issuance(),
        candidates=[
            candidate(learner_id=world.learner_an.pk),
            candidate("trần  thị bích", dt.date(2010, 1, 9), sex="F", place_of_birth=""),
            candidate("Lê Văn Đức", dt.date(2009, 12, 31), sex="", classification="Giỏi"),
        ],
    )
    certificates = services.credential_issue(
        actor=world.principal_a,
        institution=world.school_a,
        issuance=issuance("certificate"),
        candidates=[
            candidate(
                "Phạm Thu Hà", dt.date(2001, 2, 3), classification="",
                field_of_study="Tin học ứng dụng", field_of_study_en="Applied computing",
            ),
            candidate(
                "Võ Minh\tNam", dt.date(1999, 11, 30), classification="",
                field_of_study="Kế toán \\ tài chính", place_of_birth='Huế "cũ"',
            ),
        ],
        reason="Đợt cấp tháng 7",
    )  # fmt: skip
    return _record(world, [*diplomas, *certificates])


def test_issuance_writes_exactly_the_recorded_documents_rows_and_log(world, fixed):
    actual = issue_pinned(world)
    expected = json.loads(PINNED.read_text(encoding="utf-8"))
    assert actual["register"] == expected["register"]
    assert actual["audit"] == expected["audit"]
    assert actual["log"] == expected["log"]
    assert actual["checkpoint"] == expected["checkpoint"]
