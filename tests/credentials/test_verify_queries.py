"""The public verification reads only the rows a credential names, and gives the answer the
whole key registry would give."""

import datetime as dt
import json

import pytest
from django.db import connection

from tests.credentials.factories import candidate, issue, keys_for
from truongso.credentials import services, verify
from truongso.credentials.rules.data_integrity import create_proof
from truongso.credentials.rules.signer import Ed25519Signer
from truongso.credentials.services.common import now_seconds, open_signer
from truongso.credentials.verifier import check_document

API = "/api/v1/credentials/verify"


@pytest.fixture
def keyed(world):
    keys_for(world)
    return world


@pytest.fixture
def diploma(keyed):
    [credential] = issue(keyed, candidate("Nguyễn Văn An", dt.date(2010, 5, 2)))
    return credential


def _resigned(document: str, signer) -> dict:
    data = json.loads(document)
    del data["proof"]
    return create_proof(data, signer, created=now_seconds())


def _statements(send) -> tuple[object, list[str]]:
    statements: list[str] = []

    def record(execute, sql, params, many, context):
        statements.append(sql)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(record):
        result = send()
    return result, statements


def test_the_issuer_and_key_rows_answer_as_the_whole_registry(diploma, keyed):
    key_b = services.current_key(keyed.school_b)
    root = services.current_key(None)
    documents = {
        "genuine": json.loads(diploma.document),
        "another school's key": _resigned(diploma.document, open_signer(key_b)),
        "the root key": _resigned(diploma.document, open_signer(root)),
        "a stranger's key": _resigned(
            diploma.document, Ed25519Signer(bytes(range(32)), f"{key_b.controller}#key-9")
        ),
        "no proof": {k: v for k, v in json.loads(diploma.document).items() if k != "proof"},
        "not an object": ["x"],
    }
    findings = {
        name: (check_document(doc, verify.node_registry()),
               check_document(doc, verify.registry_for(doc)))
        for name, doc in documents.items()
    }  # fmt: skip
    for name, (whole, part) in findings.items():
        assert part == whole, name
    answers = {name: (whole.answer, whole.reason) for name, (whole, _) in findings.items()}
    assert answers == {
        "genuine": ("valid", ""),
        "another school's key": ("unknown_issuer", "key_not_for_issuer"),
        "the root key": ("unknown_issuer", "key_not_trusted"),
        "a stranger's key": ("unknown_issuer", "key_not_trusted"),
        "no proof": ("unknown", "unreadable:no_proof"),
        "not an object": ("unknown", "unreadable:not_an_object"),
    }
    assert findings["genuine"][1].shown.issuer_name == "Trường THCS Ba Đình"


def test_a_credential_is_verified_with_one_query_and_a_number_with_two(diploma, client):
    body = {"credential": json.loads(diploma.document)}
    response, statements = _statements(
        lambda: client.post(API, body, content_type="application/json")
    )
    assert response.json()["answer"] == "valid"
    # The register's row with the key it was signed with.
    assert len(statements) == 1
    assert "credentials_credential" in statements[0] and "credentials_issuerkey" in statements[0]
    lookup = {"diploma_number": diploma.diploma_number, "date_of_birth": "2010-05-02"}
    response, statements = _statements(
        lambda: client.post(API, lookup, content_type="application/json")
    )
    assert response.json()["answer"] == "valid"
    assert len(statements) == 2
    # The issuer's keys and the key the proof names, not every key of the node.
    assert "credentials_issuerkey" in statements[1] and " WHERE " in statements[1]


def test_documents_the_register_row_does_not_vouch_for(diploma, keyed):
    signer_a = open_signer(services.current_key(keyed.school_a))
    changed = json.loads(diploma.document)
    del changed["proof"]
    changed["name"] = "Bằng giả"
    outside = dict(changed, id="urn:uuid:00000000-0000-4000-8000-000000000000")
    key_b = services.current_key(keyed.school_b)
    documents = {
        # The register's id, re-signed with the school's real key: not what was issued.
        "same id, other content": create_proof(changed, signer_a, created=now_seconds()),
        "not in the register": create_proof(outside, signer_a, created=now_seconds()),
        "another school's key": _resigned(diploma.document, open_signer(key_b)),
    }
    found = {}
    for name, document in documents.items():
        finding, statements = _statements(lambda d=document: verify.verify_document(d))
        found[name] = (finding.answer, finding.reason, len(statements))
    assert found == {
        "same id, other content": ("altered", "differs_from_register", 1),
        # The diploma and report-card tables, then the keys the document names.
        "not in the register": ("unknown", "not_in_register", 3),
        "another school's key": ("unknown_issuer", "key_not_for_issuer", 2),
    }


def test_revocation_and_a_key_rotation_count_from_the_next_request(diploma, keyed, client):
    body = {"credential": json.loads(diploma.document)}
    assert client.post(API, body, content_type="application/json").json()["answer"] == "valid"
    services.credential_revoke(actor=keyed.principal_a, credential=diploma, reason="Gian lận")
    assert client.post(API, body, content_type="application/json").json()["answer"] == "revoked"
    # A rotation keeps what the old key signed valid (and revoked stays revoked).
    services.issuer_key_rotate(actor=keyed.principal_a, institution=keyed.school_a)
    assert client.post(API, body, content_type="application/json").json()["answer"] == "revoked"
    [other] = issue(keyed, candidate("Lê Thị Bình", dt.date(2010, 1, 9)))
    other_body = {"credential": json.loads(other.document)}
    answer = client.post(API, other_body, content_type="application/json").json()
    assert (answer["answer"], answer["reason"]) == ("valid", "")
    services.issuer_key_revoke(
        actor=keyed.principal_a, key=services.current_key(keyed.school_a), reason="Lộ khóa",
        revoked_from=other.signed_at,
    )  # fmt: skip
    answer = client.post(API, other_body, content_type="application/json").json()
    assert (answer["answer"], answer["reason"]) == (
        "unknown_issuer", "key_not_valid_at_signing_time",
    )  # fmt: skip
