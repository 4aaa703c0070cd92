import json

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from truongso.audit.models import AuditEntry
from truongso.credentials import selectors, services
from truongso.credentials.logtree import peaks_append, peaks_root
from truongso.credentials.models import Checkpoint, IssuerKey, LogEntry
from truongso.credentials.registry import RegistryError, read_registry, trusted_key
from truongso.credentials.rules.keyring import KeyRing
from truongso.credentials.rules.merkle import MerkleLog, leaf_hash
from truongso.credentials.rules.signed_note import NoteVerifier, verify_checkpoint
from truongso.credentials.rules.signer import unseal_private_key
from truongso.credentials.services.common import open_signer

DID_A = "did:web:truongso.example:credentials:did:01000001"
NODE = "did:web:truongso.example:credentials"


def _root_ring():
    root = IssuerKey.objects.get(institution__isnull=True)
    return KeyRing([trusted_key({
        "id": root.key_id, "controller": root.controller, "publicKeyMultibase": root.multikey,
    })])  # fmt: skip


def test_principal_creates_the_school_key_and_root_key_appears(world):
    key = services.issuer_key_create(actor=world.principal_a, institution=world.school_a)
    assert key.key_id == f"{DID_A}#key-1"
    assert key.controller == DID_A
    assert len(key.public_bytes) == 32
    assert key.multikey.startswith("z6Mk")
    kid, seed = unseal_private_key(key.sealed_private_key, secret="a test secret, long enough")
    assert kid == key.key_id and len(seed) == 32
    assert seed.hex() not in key.sealed_private_key
    root = IssuerKey.objects.get(institution__isnull=True)
    assert root.key_id == f"{NODE}#root-1"
    entry = AuditEntry.objects.get(action="issuer_key.create", object_id=str(key.pk))
    assert entry.actor == world.principal_a
    assert entry.institution_id == world.school_a.pk
    assert "sealed_private_key" not in entry.after
    assert entry.after["public_key"] == key.multikey
    events = list(LogEntry.objects.values_list("index", "event"))
    assert events == [(0, "key.create"), (1, "key.create")]
    assert json.loads(LogEntry.objects.get(index=1).body)["key"] == key.key_id


def test_only_the_principal_or_an_operator_manages_school_keys(world):
    for actor in (world.principal_b, world.staff_a, world.province_p1, world.teacher_a1_user,
                  world.ministry):  # fmt: skip
        with pytest.raises(PermissionDenied):
            services.issuer_key_create(actor=actor, institution=world.school_a)
    with pytest.raises(PermissionDenied):
        services.issuer_key_create(actor=world.principal_a, institution=None)
    key = services.issuer_key_create(actor=world.superuser, institution=world.school_a)
    with pytest.raises(PermissionDenied):
        services.issuer_key_revoke(actor=world.principal_b, key=key, reason="lộ khóa")
    assert IssuerKey.objects.filter(institution=world.school_a).count() == 1


def test_rotation_keeps_the_old_key_listed_with_its_window(world, client):
    first = services.issuer_key_create(actor=world.principal_a, institution=world.school_a)
    second = services.issuer_key_rotate(actor=world.principal_a, institution=world.school_a)
    first.refresh_from_db()
    assert second.key_id == f"{DID_A}#key-2"
    assert first.valid_to is not None and first.valid_to > second.valid_from
    assert services.current_key(world.school_a) == second
    response = client.get("/credentials/keys.json")
    assert response.status_code == 200
    assert response["Cache-Control"] == "public, max-age=300"
    registry = read_registry(json.loads(response.content), _root_ring())
    assert registry.keys.by_key_id(first.key_id).valid_until == first.valid_to
    assert registry.keys.by_key_id(second.key_id).valid_until is None
    assert registry.issuers[DID_A].name == "Trường THCS Ba Đình"
    assert registry.issuers[DID_A].region == "Thành phố Hà Nội"
    events = list(LogEntry.objects.order_by("index").values_list("event", flat=True))
    assert events == ["key.create", "key.create", "key.retire", "key.create"]


def test_registry_signed_by_another_key_is_refused(world, client):
    services.issuer_key_create(actor=world.principal_a, institution=world.school_a)
    document = json.loads(client.get("/credentials/keys.json").content)
    document["issuers"][0]["name"] = "Trường giả"
    with pytest.raises(RegistryError):
        read_registry(document, _root_ring())
    with pytest.raises(RegistryError):
        read_registry(json.loads(client.get("/credentials/keys.json").content), KeyRing())


def test_revocation_date_is_published(world, client):
    key = services.issuer_key_create(actor=world.principal_a, institution=world.school_a)
    with pytest.raises(ValidationError):
        services.issuer_key_revoke(actor=world.principal_a, key=key, reason="  ")
    revoked = services.issuer_key_revoke(actor=world.principal_a, key=key, reason="Lộ khóa")
    assert revoked.revoked_at is not None
    assert services.current_key(world.school_a) is None
    with pytest.raises(ValidationError, match="chưa có khóa ký"):
        services.signing_key(world.school_a)
    registry = read_registry(json.loads(client.get("/credentials/keys.json").content), _root_ring())
    assert registry.keys.by_key_id(key.key_id).revoked_from == revoked.revoked_at
    did = client.get("/credentials/did/01000001/did.json").json()
    assert did["id"] == DID_A
    assert [m["id"] for m in did["verificationMethod"]] == [key.key_id]
    assert did["assertionMethod"] == []
    with pytest.raises(ValidationError):
        services.issuer_key_revoke(actor=world.principal_a, key=key, reason="lần nữa")


def test_did_documents_and_jwks(world, client):
    assert client.get("/credentials/did/01000001/did.json").status_code == 404
    assert client.get("/credentials/did.json").status_code == 404
    assert client.get("/credentials/keys.json").status_code == 404
    key = services.issuer_key_create(actor=world.principal_a, institution=world.school_a)
    did = client.get("/credentials/did/01000001/did.json").json()
    assert did == {
        "@context": ["https://www.w3.org/ns/did/v1", "https://w3id.org/security/multikey/v1"],
        "id": DID_A,
        "verificationMethod": [{"id": key.key_id, "type": "Multikey", "controller": DID_A,
                                "publicKeyMultibase": key.multikey}],
        "assertionMethod": [key.key_id],
    }  # fmt: skip
    assert client.get("/credentials/did/79000001/did.json").status_code == 404
    node = client.get("/credentials/did.json").json()
    assert node["id"] == NODE
    jwks = client.get("/credentials/jwks.json").json()
    assert [(k["kid"], k["crv"]) for k in jwks["keys"]] == [(key.key_id, "Ed25519")]


def test_checkpoints_verify_and_match_the_entries(world, client):
    services.issuer_key_create(actor=world.principal_a, institution=world.school_a)
    services.issuer_key_create(actor=world.principal_b, institution=world.school_b)
    root = IssuerKey.objects.get(institution__isnull=True)
    verifier = NoteVerifier("truongso.example/credentials/log", root.public_bytes)
    note = client.get("/credentials/log/checkpoint").content.decode()
    result = verify_checkpoint(note, [verifier], origin="truongso.example/credentials/log")
    assert result.ok
    assert result.payload.size == 3
    log = MerkleLog(bytes.fromhex(h) for h in LogEntry.objects.values_list("leaf_hash", flat=True))
    assert result.payload.root == log.root()
    for entry in LogEntry.objects.all():
        assert leaf_hash(entry.body.encode()).hex() == entry.leaf_hash
    assert list(Checkpoint.objects.values_list("size", flat=True)) == [1, 2, 3]
    entries = client.get("/credentials/log/entries?start=1").json()["entries"]
    assert [e["index"] for e in entries] == [1, 2]
    assert entries[0]["entry"]["controller"] == DID_A


def test_peaks_give_the_rfc9162_root_for_every_size():
    leaves = [leaf_hash(bytes([i])) for i in range(40)]
    log = MerkleLog()
    peaks: list[bytes] = []
    assert peaks_root(peaks) == log.root()
    for size, leaf in enumerate(leaves):
        peaks = peaks_append(size, peaks, [leaf])
        log.append_hash(leaf)
        assert peaks_root(peaks) == log.root(), size + 1
    assert peaks_root(peaks_append(0, [], leaves[:13])) == log.root(13)
    assert peaks_root(peaks_append(13, peaks_append(0, [], leaves[:13]), leaves[13:])) == log.root()
    with pytest.raises(ValueError):
        peaks_append(3, [leaves[0]], [leaves[1]])


def test_a_wrong_secret_cannot_open_the_key(world, settings):
    key = services.issuer_key_create(actor=world.principal_a, institution=world.school_a)
    settings.CREDENTIALS_KEY_SECRET = "another secret, long enough"
    with pytest.raises(ValidationError, match="CREDENTIALS_KEY_SECRET"):
        open_signer(key)


def test_key_pages(world, client):
    client.force_login(world.principal_a)
    response = client.post("/credentials/keys/", {"institution": world.school_a.pk, "reason": ""})
    assert response.status_code == 302
    key = IssuerKey.objects.get(institution=world.school_a)
    page = client.get("/credentials/keys/").content.decode()
    assert key.key_id in page
    assert "Khóa gốc" not in page  # a principal does not see the root key
    response = client.post(f"/credentials/keys/{key.pk}/revoke/", {"reason": "Lộ khóa"})
    assert response.status_code == 302
    key.refresh_from_db()
    assert key.revocation_reason == "Lộ khóa"
    client.force_login(world.principal_b)
    assert client.get(f"/credentials/keys/{key.pk}/revoke/").status_code == 404
    response = client.post("/credentials/keys/", {"institution": world.school_a.pk})
    assert response.status_code == 200  # school A is not a choice for B
    assert IssuerKey.objects.filter(institution=world.school_a).count() == 1
    assert selectors.issuer_key_list(actor=world.province_p1).count() == 1
    assert selectors.issuer_key_list(actor=world.province_p2).count() == 0
