"""The place where an approved report card is signed.

``report_card_sign`` is called by ``services.report_card_approve`` inside the approval's
transaction, with the version just approved. Today it does nothing: the report card is
valid in this system through its workflow (checked by the homeroom teacher, approved by
the principal), its audit entries and the SHA-256 of its canonical JSON.

When the credentials module issues report cards, this function will:

1. build a Comprehensive Learner Record (CLR 2.0) credential from ``version.content``
   (the subjects and results as its associations and results);
2. sign it with the institution's Ed25519 key (``eddsa-jcs-2022``, as the diplomas);
3. append it to the register's Merkle log and give it a status-list entry;
4. return the credential, to be linked from the version.

The signature will cover the canonical JSON whose digest is ``version.sha256``, so a
version's content and its credential can always be matched. Raising here rolls the
approval back: a card is never approved without its signature once signing exists.
"""

from __future__ import annotations

from typing import Any


def report_card_sign(*, actor: Any, version: Any) -> None:
    """Sign the approved ``version`` of a report card. A no-op for now (see above)."""
    return None
