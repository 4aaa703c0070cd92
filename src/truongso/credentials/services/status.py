"""Status lists: one revocation and one suspension list per institution per year (W3C
Bitstring Status List), signed by the institution's key and served at stable URLs."""

from __future__ import annotations

import json

from django.db import transaction

from truongso.credentials import conf
from truongso.credentials.models import (
    Credential,
    IssuerKey,
    ReportCardCredential,
    StatusList,
    StatusPurpose,
)
from truongso.credentials.rules.data_integrity import create_proof
from truongso.credentials.rules.signer import Signer
from truongso.credentials.rules.status_list import (
    MIN_BITS,
    StatusListError,
    random_free_index,
    status_list_credential,
)
from truongso.credentials.rules.status_list import StatusList as Bits
from truongso.credentials.services.common import now_seconds
from truongso.units.models import Institution


def status_list_url(status_list: StatusList) -> str:
    return conf.status_list_url(
        status_list.institution.code, status_list.year, status_list.purpose, status_list.sequence
    )


def status_list_sign(status_list: StatusList, *, signer: Signer) -> None:
    """Sign the list's current bits as a BitstringStatusListCredential and keep it."""
    moment = now_seconds()
    document = status_list_credential(
        list_url=status_list_url(status_list),
        issuer=conf.institution_did(status_list.institution.code),
        purpose=status_list.purpose,
        status_list=Bits(status_list.size, data=bytes(status_list.bits)),
        valid_from=moment,
    )
    signed = create_proof(document, signer, created=moment)
    status_list.document = json.dumps(signed, ensure_ascii=False)
    status_list.signed_at = moment
    status_list.save(update_fields=["document", "signed_at"])


def _create(institution: Institution, year: int, purpose: str, sequence: int, signer: Signer):
    status_list = StatusList.objects.create(
        institution=institution,
        year=year,
        purpose=purpose,
        sequence=sequence,
        size=MIN_BITS,
        bits=bytes(MIN_BITS // 8),
    )
    status_list.institution = institution
    status_list_sign(status_list, signer=signer)
    return status_list


class IndexAllocator:
    """Random free indexes (the specification's advice: no order to infer) in the
    institution's lists for a year; a new pair of lists when one is nearly full."""

    def __init__(self, institution: Institution, year: int, signer: Signer) -> None:
        self.institution = institution
        self.year = year
        self.signer = signer
        self._open(self._latest_sequence() or 1)

    def _latest_sequence(self) -> int | None:
        latest = (
            StatusList.objects.filter(
                institution=self.institution, year=self.year, purpose=StatusPurpose.REVOCATION
            )
            .order_by("-sequence")
            .first()
        )
        return latest.sequence if latest else None

    def _pair(self, sequence: int) -> tuple[StatusList, StatusList]:
        lists = []
        for purpose in (StatusPurpose.REVOCATION, StatusPurpose.SUSPENSION):
            found = (
                StatusList.objects.select_for_update()
                .filter(
                    institution=self.institution,
                    year=self.year,
                    purpose=purpose,
                    sequence=sequence,
                )  # fmt: skip
                .first()
            )
            if found is None:
                found = _create(self.institution, self.year, purpose, sequence, self.signer)
            found.institution = self.institution
            lists.append(found)
        return lists[0], lists[1]

    def _open(self, sequence: int) -> None:
        self.revocation, self.suspension = self._pair(sequence)
        self.taken = set(_taken(self.revocation))

    def next(self) -> tuple[StatusList, StatusList, int]:
        try:
            index = random_free_index(self.taken.__contains__, self.revocation.size)
        except StatusListError:
            self._open(self.revocation.sequence + 1)
            index = random_free_index(self.taken.__contains__, self.revocation.size)
        self.taken.add(index)
        return self.revocation, self.suspension, index


def _taken(revocation: StatusList) -> list[int]:
    """Indexes used in the list, by diplomas and by report cards alike."""
    taken = list(
        Credential.objects.filter(revocation_list=revocation).values_list("status_index", flat=True)
    )
    taken += ReportCardCredential.objects.filter(revocation_list=revocation).values_list(
        "status_index", flat=True
    )
    return taken


def status_bit_set(status_list: StatusList, index: int, value: bool, *, signer: Signer) -> None:
    """Set or clear one bit and sign the list again (inside the caller's transaction)."""
    locked = (
        StatusList.objects.select_for_update().select_related("institution").get(pk=status_list.pk)
    )
    bits = Bits(locked.size, data=bytes(locked.bits))
    bits.set(index, value)
    locked.bits = bits.to_bytes()
    locked.save(update_fields=["bits"])
    status_list_sign(locked, signer=signer)


@transaction.atomic
def status_lists_resign(*, institution: Institution, key: IssuerKey, signer: Signer) -> int:
    """Sign every list of the institution again with a new key; returns how many."""
    count = 0
    for status_list in StatusList.objects.select_for_update().filter(institution=institution):
        status_list.institution = institution
        status_list_sign(status_list, signer=signer)
        count += 1
    return count
