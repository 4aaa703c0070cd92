"""Signing the diplomas of one issuance, with what they share encoded and hashed once.

Every diploma of an issuance has the same issuer, achievement, dates, schema, proof
options and signing key; only the holder, the numbers, the status entries and the
credential id change. ``DiplomaBatch.sign`` gives, for one diploma, exactly what

- ``create_proof(diploma_credential(diploma), signer, created=signed_at)`` signs,
- ``json.dumps(signed, ensure_ascii=False)`` stores,
- ``credential_hash(signed)`` hashes (SHA-256 of its RFC 8785 form), and
- ``encode_qr(claims, signer)`` prints,

byte for byte, without encoding the shared members again: the RFC 8785 form of an
object is its members sorted by name, so the document's form is put together from the
members encoded once for the batch and the few encoded for the diploma; the proof
configuration, and so its SHA-256, is the same for every diploma of the batch. The
tests compare every output with the general functions above.

The shortcut holds only for members made of text (and the constant ``false`` of
``hashed``): anything else in a varying field (not ``str``), or text that is not valid
Unicode (a lone surrogate), makes ``sign`` fall back to the general functions, which
give or refuse exactly as before.
"""

from __future__ import annotations

import hashlib
import json
import zlib
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

import cbor2

from .base58 import multibase_z_encode
from .cose import COSE_SIGN1_TAG, encode_protected, sig_structure
from .data_integrity import (
    ASSERTION_METHOD,
    CRYPTOSUITE,
    PROOF_TYPE,
    canonicalize,
    create_proof,
    format_datetime,
    proof_configuration,
)
from .documents import (
    OB_V3_CONTEXT,
    OB_V3_SCHEMA,
    SCHEMA_VALIDATOR,
    VC_V2_CONTEXT,
    Diploma,
    Holder,
    Issuer,
    diploma_achievement,
    diploma_credential,
    diploma_subject,
)
from .keyring import short_kid
from .qr_payload import (
    MAX_TEXT_LENGTH,
    PREFIX,
    ClaimKey,
    CredentialKind,
    QrClaims,
    QrError,
    _text,
    b45encode,
    credential_hash,
    encode_qr,
)
from .signer import Signer
from .status_list import StatusEntry

# RFC 8785 for values of text, lists, objects and false: the C encoder, keys sorted.
_CANONICAL = json.JSONEncoder(
    ensure_ascii=False, separators=(",", ":"), sort_keys=True, allow_nan=False
).encode
# What ``json.dumps(value, ensure_ascii=False)`` writes (the stored document).
_STORED = json.JSONEncoder(ensure_ascii=False).encode
_KEY = json.encoder.py_encode_basestring  # a member name, as both encoders write it


@dataclass(frozen=True)
class SignedDiploma:
    """One signed diploma: its id, the stored JSON, the SHA-256 of its RFC 8785 form,
    and its QR text."""

    credential_id: str
    document: str
    digest: bytes
    qr_text: str


class _Object:
    """An object with fixed member names in a fixed order, some of them the same for the
    whole batch: ``join`` writes it from the varying members' encoded values."""

    def __init__(self, names: Sequence[str], fixed: dict[str, str], item: str, key: str):
        self.pieces: list[str] = []
        self.slots: list[tuple[int, str]] = []
        text = "{"
        for position, name in enumerate(names):
            text += (item if position else "") + _KEY(name) + key
            if name in fixed:
                text += fixed[name]
            else:
                self.pieces.append(text)
                self.slots.append((len(self.pieces), name))
                self.pieces.append("")
                text = ""
        self.pieces.append(text + "}")

    def join(self, values: dict[str, str]) -> str:
        pieces = self.pieces.copy()
        for position, name in self.slots:
            pieces[position] = values[name]
        return "".join(pieces)


class DiplomaBatch:
    """What the diplomas of one issuance share, encoded and hashed once."""

    def __init__(
        self,
        *,
        issuer: Issuer,
        achievement_id: str,
        title: str,
        description: str,
        criteria: str,
        issued_at: datetime,
        achievement_type: str,
        language: str = "vi",
        signer: Signer,
        signed_at: datetime,
        qr_kind: CredentialKind,
        issue_date: date,
    ) -> None:
        self.issuer = issuer
        self.achievement_id = achievement_id
        self.title = title
        self.description = description
        self.criteria = criteria
        self.issued_at = issued_at
        self.achievement_type = achievement_type
        self.language = language
        self.signer = signer
        self.signed_at = signed_at
        self.qr_kind = qr_kind
        self.issue_date = issue_date
        issued = format_datetime(issued_at)
        context = [VC_V2_CONTEXT, OB_V3_CONTEXT]
        constants: dict[str, Any] = {
            "@context": context,
            "type": ["VerifiableCredential", "AchievementCredential"],
            "name": title,
            "issuer": issuer.profile(),
            "validFrom": issued,
            "awardedDate": issued,
            "credentialSchema": [{"id": OB_V3_SCHEMA, "type": SCHEMA_VALIDATOR}],
        }
        # The proof configuration is the same for every diploma, and so is its hash.
        options = {
            "type": PROOF_TYPE,
            "cryptosuite": CRYPTOSUITE,
            "created": format_datetime(signed_at),
            "verificationMethod": signer.key_id,
            "proofPurpose": ASSERTION_METHOD,
        }
        self.proof_config = proof_configuration({"@context": context}, options)
        self.proof_hash = hashlib.sha256(canonicalize(self.proof_config)).digest()
        canonical_fixed = {name: canonicalize(value).decode() for name, value in constants.items()}
        stored_fixed = {name: _STORED(value) for name, value in constants.items()}
        top = [
            "@context", "id", "type", "name", "issuer", "validFrom", "awardedDate",
            "credentialSubject", "credentialStatus", "credentialSchema",
        ]  # fmt: skip
        self._canonical = _Object(sorted(top), canonical_fixed, ",", ":")
        self._canonical_signed = _Object(sorted([*top, "proof"]), canonical_fixed, ",", ":")
        self._stored = _Object([*top, "proof"], stored_fixed, ", ", ": ")
        proof_names = [*self.proof_config, "proofValue"]
        proof_fixed = {name: _CANONICAL(value) for name, value in self.proof_config.items()}
        self._proof_canonical = _Object(sorted(proof_names), proof_fixed, ",", ":")
        proof_fixed = {name: _STORED(value) for name, value in self.proof_config.items()}
        self._proof_stored = _Object(proof_names, proof_fixed, ", ", ": ")
        self._achievements: dict[tuple[str | None, bool], dict[str, Any]] = {}
        # The QR: the claims every diploma shares, checked once as encode_qr checks them.
        self._qr_claims = {
            int(ClaimKey.ISSUER): issuer.id,
            int(ClaimKey.KIND): int(qr_kind),
            int(ClaimKey.ISSUE_DATE): issue_date.isoformat(),
            int(ClaimKey.TITLE): title,
            int(ClaimKey.SIGNED_AT): int(signed_at.timestamp()),
        }
        QrClaims(
            issuer=issuer.id, credential_id="-", kind=qr_kind, holder_name="-",
            issue_date=issue_date, title=title, signed_at=signed_at,
        ).to_cbor_map()  # fmt: skip
        self._protected = encode_protected(short_kid(signer.public_key))

    def _achievement(self, field_of_study: str | None, classified: bool) -> dict[str, Any]:
        variant = (field_of_study, classified)
        found = self._achievements.get(variant)
        if found is None:
            found = diploma_achievement(
                achievement_id=self.achievement_id,
                achievement_type=self.achievement_type,
                title=self.title,
                description=self.description,
                criteria=self.criteria,
                language=self.language,
                field_of_study=field_of_study,
                classified=classified,
            )
            self._achievements[variant] = found
        return found

    def diploma(
        self,
        *,
        credential_id: str,
        holder: Holder,
        diploma_number: str,
        register_number: str,
        field_of_study: str | None,
        classification: str | None,
        status: Sequence[StatusEntry],
    ) -> Diploma:
        """The same diploma as a ``Diploma`` (for the general functions)."""
        return Diploma(
            credential_id=credential_id,
            issuer=self.issuer,
            holder=holder,
            achievement_id=self.achievement_id,
            title=self.title,
            description=self.description,
            criteria=self.criteria,
            diploma_number=diploma_number,
            register_number=register_number,
            issued_at=self.issued_at,
            achievement_type=self.achievement_type,
            field_of_study=field_of_study,
            classification=classification,
            language=self.language,
            status=tuple(status),
        )

    def sign(
        self,
        *,
        credential_id: str,
        holder: Holder,
        diploma_number: str,
        register_number: str,
        field_of_study: str | None,
        classification: str | None,
        status: Sequence[StatusEntry],
    ) -> SignedDiploma:
        """Sign one diploma of the batch (see the module's docstring)."""
        texts = (
            credential_id, holder.name, diploma_number, register_number,
            holder.id or "", holder.sex or "", holder.place_of_birth or "",
            holder.ethnicity or "", field_of_study or "", classification or "",
        )  # fmt: skip
        plain = len(status) == 2 and all(type(text) is str for text in texts)
        if plain and type(holder.date_of_birth) is date:
            try:
                return self._sign(
                    credential_id, holder, diploma_number, register_number, field_of_study,
                    classification, status,
                )  # fmt: skip
            except UnicodeEncodeError:
                pass
        return self._sign_general(
            self.diploma(
                credential_id=credential_id, holder=holder, diploma_number=diploma_number,
                register_number=register_number, field_of_study=field_of_study,
                classification=classification, status=status,
            )
        )  # fmt: skip

    def _sign(
        self, credential_id, holder, diploma_number, register_number, field_of_study,
        classification, status,
    ) -> SignedDiploma:  # fmt: skip
        achievement = self._achievement(field_of_study or None, bool(classification))
        subject = diploma_subject(
            holder=holder, achievement=achievement, achievement_id=self.achievement_id,
            classification=classification or None, diploma_number=diploma_number,
            register_number=register_number,
        )  # fmt: skip
        entries = [entry.as_json() for entry in status]
        varying = {
            "id": _CANONICAL(credential_id),
            "credentialSubject": _CANONICAL(subject),
            "credentialStatus": _CANONICAL(entries),
        }
        unsecured = self._canonical.join(varying).encode("utf-8")
        signature = self.signer.sign(self.proof_hash + hashlib.sha256(unsecured).digest())
        proof_value = multibase_z_encode(signature)
        varying["proof"] = self._proof_canonical.join({"proofValue": _CANONICAL(proof_value)})
        digest = hashlib.sha256(self._canonical_signed.join(varying).encode("utf-8")).digest()
        document = self._stored.join({
            "id": _STORED(credential_id),
            "credentialSubject": _STORED(subject),
            "credentialStatus": _STORED(entries),
            "proof": self._proof_stored.join({"proofValue": _STORED(proof_value)}),
        })  # fmt: skip
        claims = dict(self._qr_claims)
        claims[ClaimKey.CREDENTIAL_ID] = _text(credential_id, "credential_id")
        claims[ClaimKey.HOLDER_NAME] = _text(holder.name, "holder_name")
        claims[ClaimKey.DATE_OF_BIRTH] = holder.date_of_birth.isoformat()
        claims[ClaimKey.DIPLOMA_NUMBER] = _text(diploma_number, "diploma_number")
        claims[ClaimKey.REGISTER_NUMBER] = _text(register_number, "register_number")
        if classification:
            claims[ClaimKey.CLASSIFICATION] = _text(classification, "classification")
        claims[ClaimKey.CREDENTIAL_HASH] = digest
        return SignedDiploma(credential_id, document, digest, self._qr(claims))

    def _qr(self, claims: dict[int, Any]) -> str:
        payload = cbor2.dumps({int(key): value for key, value in claims.items()}, canonical=True)
        protected = self._protected
        signature = self.signer.sign(sig_structure(protected, payload))
        message = cbor2.dumps(cbor2.CBORTag(COSE_SIGN1_TAG, [protected, {}, payload, signature]))
        text = PREFIX + b45encode(zlib.compress(message, 9))
        if len(text) > MAX_TEXT_LENGTH:
            raise QrError("the claims are too long for a QR code")
        return text

    def _sign_general(self, diploma: Diploma) -> SignedDiploma:
        signed = create_proof(diploma_credential(diploma), self.signer, created=self.signed_at)
        digest = credential_hash(signed)
        claims = QrClaims(
            issuer=diploma.issuer.id,
            credential_id=diploma.credential_id,
            kind=self.qr_kind,
            holder_name=diploma.holder.name,
            issue_date=self.issue_date,
            title=self.title,
            signed_at=self.signed_at,
            date_of_birth=diploma.holder.date_of_birth,
            diploma_number=diploma.diploma_number,
            register_number=diploma.register_number,
            classification=diploma.classification,
            credential_hash=digest,
        )
        return SignedDiploma(
            diploma.credential_id,
            json.dumps(signed, ensure_ascii=False),
            digest,
            encode_qr(claims, self.signer),
        )
