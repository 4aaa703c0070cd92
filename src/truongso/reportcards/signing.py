"""The place where an approved report card is signed.

``report_card_sign`` is called by ``services.report_card_approve`` inside the approval's
transaction, with the version just approved. It issues the signed report card: a
Comprehensive Learner Record (CLR 2.0) ``ClrCredential`` built from ``version.content``
(identity as the paper shows it, each subject's results, conduct, learning, days absent,
promotion, award, remarks, and ``version.sha256``), with the homeroom teacher's check as
its evidence, signed with the institution's Ed25519 key (``eddsa-jcs-2022``, as the
diplomas), given a status-list entry and appended to the register's Merkle log (see
``credentials.services.report_cards``). The credential is linked from the version
(``version.credential``).

Raising here rolls the approval back: a card is never approved without its signature (an
institution without a signing key cannot approve until its principal creates one).
"""

from __future__ import annotations

from typing import Any

from truongso.credentials.services.report_cards import report_card_credential_issue


def report_card_sign(*, actor: Any, version: Any) -> Any:
    """Sign the approved ``version`` of a report card; returns its credential."""
    return report_card_credential_issue(actor=actor, version=version)
