import json
import re
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from tests.credentials.factories import candidate, issue, keys_for
from truongso.credentials import services
from truongso.credentials.models import Checkpoint, IssuerKey, LogEntry
from truongso.credentials.pdf import credential_pdf
from truongso.credentials.rules.data_integrity import create_proof
from truongso.credentials.rules.signer import Ed25519Signer
from truongso.credentials.services.common import now_seconds


def run(*args) -> str:
    out = StringIO()
    call_command("credentials", *args, stdout=out, stderr=StringIO())
    return out.getvalue()


@pytest.fixture
def diplomas(world):
    keys_for(world)
    return issue(world, candidate("Nguyễn Văn An"), candidate("Lê Thị Bình"))


def test_log_verify_finds_the_log_intact_then_every_tampering(diplomas, world):
    services.credential_revoke(actor=world.principal_a, credential=diplomas[1], reason="Sai")
    output = run("log-verify")
    assert re.match(r"The register log is intact: 6 entries, 5 checkpoints, root [0-9a-f]{64}\.",
                    output)  # fmt: skip
    entry = LogEntry.objects.get(index=3)
    LogEntry.objects.filter(pk=entry.pk).update(body=entry.body.replace("issue", "issuX"))
    with pytest.raises(CommandError, match="problems"):
        run("log-verify")
    LogEntry.objects.filter(pk=entry.pk).update(body=entry.body)
    run("log-verify")
    checkpoint = Checkpoint.objects.get(size=5)
    Checkpoint.objects.filter(pk=checkpoint.pk).update(root_hash="00" * 32)
    with pytest.raises(CommandError):
        run("log-verify")
    Checkpoint.objects.filter(pk=checkpoint.pk).update(root_hash=checkpoint.root_hash)
    LogEntry.objects.filter(index=5).delete()  # the revocation disappears from the log
    with pytest.raises(CommandError):
        run("log-verify")


def test_offline_verification_with_the_cache(diplomas, world, tmp_path):
    cache = tmp_path / "cache"
    with pytest.raises(CommandError, match="cache-update"):
        run("verify", "VN1:XYZ", "--cache", str(cache))
    output = run("cache-update", "--cache", str(cache))
    assert output.startswith("Cached 2 issuer keys of 2 issuers and 2 status lists")
    document = tmp_path / "an.json"
    document.write_text(diplomas[0].document, encoding="utf-8")
    output = run("verify", str(document), "--cache", str(cache))
    assert output.startswith("Hợp lệ (valid)")
    assert "holder_name: Nguyễn Văn An" in output
    assert "Status as of " in output
    # Revoked after the cache was made: offline still says valid, as of the cache's date…
    services.credential_revoke(actor=world.principal_a, credential=diplomas[0], reason="Sai")
    assert run("verify", str(document), "--cache", str(cache)).startswith("Hợp lệ (valid)")
    # …until the cache is updated.
    run("cache-update", "--cache", str(cache))
    with pytest.raises(CommandError) as error:
        run("verify", str(document), "--cache", str(cache))
    assert error.value.returncode == 1 and str(error.value) == "revoked"
    # The QR text and the PDF verify offline; their status is not checked.
    output = run("verify", diplomas[1].qr_text, "--cache", str(cache))
    assert output.startswith("Hợp lệ (valid)") and "Status not checked" in output
    pdf = tmp_path / "binh.pdf"
    pdf.write_bytes(credential_pdf(diplomas[1]))
    assert run("verify", str(pdf), "--cache", str(cache)).startswith("Hợp lệ (valid)")


def test_offline_altered_and_unknown_issuer(diplomas, tmp_path):
    cache = tmp_path / "cache"
    run("cache-update", "--cache", str(cache))
    altered = tmp_path / "altered.json"
    altered.write_text(diplomas[0].document.replace("Nguyễn Văn An", "Nguyễn Văn Ăn"))
    with pytest.raises(CommandError, match="altered"):
        run("verify", str(altered), "--cache", str(cache))
    forged = json.loads(diplomas[0].document)
    del forged["proof"]
    stranger = Ed25519Signer(bytes(range(32)), forged["issuer"]["id"] + "#key-7")
    path = tmp_path / "forged.json"
    path.write_text(json.dumps(create_proof(forged, stranger, created=now_seconds())))
    with pytest.raises(CommandError, match="unknown_issuer"):
        run("verify", str(path), "--cache", str(cache))
    with pytest.raises(CommandError, match="unknown"):
        run("verify", "not a QR", "--cache", str(cache))


def test_cache_from_downloaded_files_needs_a_trusted_root(diplomas, client, tmp_path):
    downloads = tmp_path / "downloads"
    (downloads / "status").mkdir(parents=True)
    registry = client.get("/credentials/keys.json").content
    (downloads / "keys.json").write_bytes(registry)
    url = json.loads(diplomas[0].document)["credentialStatus"][0]["statusListCredential"]
    path = url.split("https://truongso.example")[1]
    (downloads / "status" / "a.json").write_bytes(client.get(path).content)
    cache = tmp_path / "cache"
    with pytest.raises(CommandError, match="trusted-roots.json"):
        run("cache-update", "--cache", str(cache), "--from-dir", str(downloads))
    root = IssuerKey.objects.get(institution__isnull=True).multikey
    with pytest.raises(CommandError, match="None of the given root keys"):
        run("cache-update", "--cache", str(cache), "--from-dir", str(downloads),
            "--root-key", "z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK")  # fmt: skip
    output = run("cache-update", "--cache", str(cache), "--from-dir", str(downloads),
                 "--root-key", root)  # fmt: skip
    assert "and 1 status lists" in output
    document = tmp_path / "an.json"
    document.write_text(diplomas[0].document, encoding="utf-8")
    assert run("verify", str(document), "--cache", str(cache)).startswith("Hợp lệ (valid)")
    tampered = json.loads(registry)
    tampered["issuers"][0]["name"] = "Trường giả"
    (downloads / "keys.json").write_text(json.dumps(tampered))
    with pytest.raises(CommandError, match="not trusted"):
        run("cache-update", "--cache", str(cache), "--from-dir", str(downloads))


def test_key_commands(world):
    output = run("key-create", "--institution", "01000001")
    assert output.strip() == "did:web:truongso.example:credentials:did:01000001#key-1"
    with pytest.raises(CommandError, match="key-rotate"):
        run("key-create", "--institution", "01000001")
    assert run("key-rotate", "--institution", "01000001").strip().endswith("#key-2")
    run("key-rotate", "--root")
    with pytest.raises(CommandError):
        run("key-rotate")
    output = run("key-revoke", "--key", "did:web:truongso.example:credentials:did:01000001#key-1",
                 "--reason", "Lộ khóa", "--from", "2025-07-01T08:00:00+07:00")  # fmt: skip
    assert "revoked from 2025-07-01T01:00:00+00:00" in output
    listing = run("keys")
    assert listing.count("\n") == 4
    assert "root\tdid:web:truongso.example:credentials#root-1" in listing
    assert "retired" in listing and "current" in listing and "revoked from" in listing
    with pytest.raises(CommandError, match="No institution"):
        run("key-create", "--institution", "99")


def test_pdf_command(diplomas, tmp_path):
    out = tmp_path / "x.pdf"
    run("pdf", diplomas[0].diploma_number, "--out", str(out))
    assert out.read_bytes().startswith(b"%PDF")
    with pytest.raises(CommandError, match="No credential"):
        run("pdf", "01C25000099999", "--out", str(out))
