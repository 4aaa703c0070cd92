import base64
import datetime as dt
import json
import re
import zlib

import base45
import cbor2
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.credentials.factories import candidate, issue, keys_for
from truongso.credentials import services
from truongso.credentials.rules.data_integrity import create_proof
from truongso.credentials.rules.diploma_number import make_diploma_number, printed_diploma_number
from truongso.credentials.rules.signer import Ed25519Signer
from truongso.credentials.services.common import now_seconds, open_signer

DID_A = "did:web:truongso.example:credentials:did:01000001"
API = "/api/v1/credentials/verify"


@pytest.fixture
def keyed(world):
    keys_for(world)
    return world


@pytest.fixture
def diploma(keyed):
    [credential] = issue(keyed, candidate("Nguyễn Văn An", dt.date(2010, 5, 2)))
    return credential


def _answer(response) -> str:
    match = re.search(r'<section class="verify-answer (\w+)"', response.content.decode())
    return match.group(1) if match else ""


def _answer_block(response) -> str:
    text = response.content.decode()
    return text[text.index('<section class="verify-answer') : text.index("</section>")]


def _api(client, **body):
    return client.post(API, body, content_type="application/json")


def test_page_renders_for_anyone_without_inline_script_or_style(db, client):
    response = client.get("/verify/?n=01C25 0000001 23")
    assert response.status_code == 200
    page = response.content.decode()
    assert "Xác minh văn bằng, chứng chỉ" in page
    assert 'value="01C25 0000001 23"' in page
    assert re.search(r"<script(?![^>]*\bsrc=)[^>]*>", page) is None
    assert " style=" not in page and "<style" not in page
    assert "script-src 'self'" in response["Content-Security-Policy"]


def test_valid_qr_file_and_number(diploma, client):
    response = client.post("/verify/", {"way": "qr", "qr": diploma.qr_text})
    assert _answer(response) == "valid"
    block = _answer_block(response)
    assert "Nguyễn Văn An" in block and "02/05/2010" in block
    # The number as the paper prints it: series, serial and check digits apart.
    printed = printed_diploma_number(diploma.diploma_number)
    assert "Trường THCS Ba Đình" in block and printed in block
    assert "Hà Nội" not in block.replace("Thành phố Hà Nội", "")  # place of birth not shown
    upload = {"way": "file", "document": _file(diploma.document)}
    assert _answer(client.post("/verify/", upload)) == "valid"
    number = diploma.diploma_number
    spaced = f"{number[:5]} {number[5:12]} {number[12:]}".lower()
    response = client.post("/verify/", {"way": "number", "number": spaced,
                                        "date_of_birth": "02/05/2010"})  # fmt: skip
    assert _answer(response) == "valid"
    body = _api(client, qr=diploma.qr_text).json()
    assert body["answer"] == "valid"
    assert body["credential"]["holder_name"] == "Nguyễn Văn An"
    assert body["credential"]["date_of_birth"] == "2010-05-02"
    assert body["issuer"] == DID_A
    assert body["status_checked"] is True
    assert set(body["credential"]) == {
        "title", "issuer_name", "holder_name", "date_of_birth", "issue_date",
        "diploma_number", "register_number", "classification", "field_of_study", "kind",
    }  # fmt: skip
    assert body["credential"]["kind"] == "diploma"
    body = _api(client, credential=json.loads(diploma.document)).json()
    assert body["answer"] == "valid"
    body = _api(client, diploma_number=number, date_of_birth="2010-05-02").json()
    assert body["answer"] == "valid"


def _file(text: str, name="van-bang.json"):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, text.encode("utf-8"), content_type="application/json")


def test_a_changed_value_or_flipped_byte_is_altered(diploma, client):
    changed = diploma.document.replace('"value": "Khá"', '"value": "Giỏi"')
    assert changed != diploma.document
    assert _api(client, credential=changed).json()["answer"] == "altered"
    raw = bytearray(diploma.document.encode())
    position = raw.index(b"Nguy") + 1  # inside the holder's name
    raw[position] ^= 0x01
    body = _api(client, credential=raw.decode()).json()
    assert body["answer"] == "altered"
    assert body["credential"] is None and body["credential_id"] is None
    response = client.post("/verify/", {"way": "file", "document": _file(raw.decode())})
    assert _answer(response) == "altered"
    assert "Nguyễn Văn An" not in _answer_block(response)


def test_revoked_and_suspended(diploma, keyed, client):
    services.credential_suspend(actor=keyed.principal_a, credential=diploma, reason="Xác minh")
    assert _api(client, qr=diploma.qr_text).json()["answer"] == "suspended"
    services.credential_revoke(actor=keyed.principal_a, credential=diploma, reason="Gian lận")
    for body in (
        _api(client, qr=diploma.qr_text).json(),
        _api(client, credential=diploma.document).json(),
        _api(client, diploma_number=diploma.diploma_number, date_of_birth="2010-05-02").json(),
    ):
        assert body["answer"] == "revoked"
        assert body["title"] == "Đã bị thu hồi"
    response = client.post("/verify/", {"way": "qr", "qr": diploma.qr_text})
    assert _answer(response) == "revoked"


def test_signed_by_a_revoked_key_after_its_revocation(keyed, client):
    [a] = issue(keyed)
    [b] = issue(keyed, candidate("Đỗ Thị Hạnh"), school=keyed.school_b)
    key_a = services.current_key(keyed.school_a)
    key_b = services.current_key(keyed.school_b)
    # School A's key leaked before it signed: its signature is refused.
    services.issuer_key_revoke(
        actor=keyed.principal_a, key=key_a, reason="Lộ khóa", revoked_from=a.signed_at
    )
    # School B's key is revoked only after it signed: what it signed still verifies.
    services.issuer_key_revoke(
        actor=keyed.principal_b, key=key_b, reason="Thay thiết bị",
        revoked_from=b.signed_at + dt.timedelta(seconds=1),
    )  # fmt: skip
    body = _api(client, credential=a.document).json()
    assert (body["answer"], body["reason"]) == ("unknown_issuer", "key_not_valid_at_signing_time")
    assert "không còn hiệu lực vào thời điểm ký" in body["message"]
    assert _api(client, qr=a.qr_text).json()["answer"] == "unknown_issuer"
    assert _api(client, diploma_number=a.diploma_number,
                date_of_birth="2010-05-02").json()["answer"] == "unknown_issuer"  # fmt: skip
    assert _api(client, credential=b.document).json()["answer"] == "valid"
    assert _api(client, qr=b.qr_text).json()["answer"] == "valid"


def test_unknown_issuer_and_a_document_outside_the_register(diploma, keyed, client):
    forged = json.loads(diploma.document)
    del forged["proof"]
    stranger = Ed25519Signer(bytes(range(32)), f"{DID_A}#key-9")
    signed = create_proof(forged, stranger, created=now_seconds())
    body = _api(client, credential=signed).json()
    assert (body["answer"], body["reason"]) == ("unknown_issuer", "key_not_trusted")
    # Signed with the school's real key but never entered in the register (a stolen key).
    forged["id"] = "urn:uuid:00000000-0000-4000-8000-000000000000"
    signer = open_signer(services.current_key(keyed.school_a))
    signed = create_proof(forged, signer, created=now_seconds())
    body = _api(client, credential=signed).json()
    assert (body["answer"], body["reason"]) == ("unknown", "not_in_register")


def _qr_parts(text):
    message = cbor2.loads(zlib.decompress(base45.b45decode(text[4:])))
    return message


def _qr_text(message):
    return "VN1:" + base45.b45encode(zlib.compress(cbor2.dumps(message), 9)).decode()


def test_a_forged_qr(diploma, client):
    message = _qr_parts(diploma.qr_text)
    protected, unprotected, payload, signature = message.value
    claims = cbor2.loads(payload)
    claims[4] = "Trần Văn Giả"
    forged = cbor2.CBORTag(18, [protected, unprotected, cbor2.dumps(claims, canonical=True),
                                signature])  # fmt: skip
    body = _api(client, qr=_qr_text(forged)).json()
    assert body["answer"] == "altered"
    assert body["credential"] is None
    # A QR made by someone else's key under no known kid: unknown issuer.
    stranger = Ed25519Signer(bytes(range(32)), f"{DID_A}#key-9")
    from truongso.credentials.rules.cose import sign1

    fake = sign1(cbor2.dumps(claims, canonical=True), stranger, b"12345678")
    text = "VN1:" + base45.b45encode(zlib.compress(fake, 9)).decode()
    assert _api(client, qr=text).json()["answer"] == "unknown_issuer"
    for garbage in ("hello", "VN1:!!!", "VN1:" + base64.b64encode(b"x" * 40).decode()):
        body = _api(client, qr=garbage).json()
        assert body["answer"] == "unknown" and body["reason"].startswith("unreadable")
    response = client.post("/verify/", {"way": "qr", "qr": "not a code"})
    assert _answer(response) == "unknown"


def test_wrong_birth_date_answers_exactly_as_an_unknown_number(diploma, client):
    unknown = make_diploma_number("01C25", 999)
    answers, pages, queries = [], [], []
    for number, born in ((diploma.diploma_number, "2010-05-03"), (unknown, "2010-05-02")):
        with CaptureQueriesContext(connection) as captured:
            answers.append(_api(client, diploma_number=number, date_of_birth=born).json())
        queries.append(len(captured.captured_queries))
        day = dt.date.fromisoformat(born).strftime("%d/%m/%Y")
        response = client.post("/verify/", {"way": "number", "number": number,
                                            "date_of_birth": day})  # fmt: skip
        pages.append(_answer_block(response))
    assert answers[0] == answers[1]
    assert answers[0]["answer"] == "unknown" and answers[0]["reason"] == "not_found"
    assert pages[0] == pages[1]
    assert queries[0] == queries[1]
    typo = diploma.diploma_number[:-1] + str((int(diploma.diploma_number[-1]) + 1) % 10)
    body = _api(client, diploma_number=typo, date_of_birth="2010-05-02").json()
    assert body["reason"] == "bad_check_digits"


def test_rate_limit(db, client, settings):
    settings.CREDENTIALS_RATE_LIMIT = 3
    settings.CREDENTIALS_LOOKUP_RATE_LIMIT = 2
    settings.CREDENTIALS_RATE_WINDOW = 10**9  # one window for the whole test
    statuses = [client.post("/verify/", {"way": "qr", "qr": "x"}).status_code for _ in range(3)]
    assert statuses == [200, 200, 200]
    response = client.post("/verify/", {"way": "qr", "qr": "x"})
    assert response.status_code == 429
    assert "quá nhiều lần" in response.content.decode()
    assert _api(client, qr="x").status_code == 429
    other = client.post(API, {"qr": "x"}, content_type="application/json", REMOTE_ADDR="10.0.0.9")
    assert other.status_code == 200
    assert client.get("/verify/").status_code == 200  # reading the page does not count


def test_number_lookups_have_their_own_smaller_budget(diploma, client, settings):
    settings.CREDENTIALS_LOOKUP_RATE_LIMIT = 2
    settings.CREDENTIALS_RATE_WINDOW = 10**9
    body = {"diploma_number": diploma.diploma_number, "date_of_birth": "2010-05-02"}
    assert [_api(client, **body).status_code for _ in range(3)] == [200, 200, 429]
    assert _api(client, qr=diploma.qr_text).status_code == 200


def test_api_input_errors(db, client):
    assert _api(client).status_code == 422
    assert _api(client, qr="x", diploma_number="1").status_code == 422
    response = _api(client, diploma_number="01C25000000123")
    assert response.status_code == 422
    assert "date_of_birth" in response.json()["errors"]
