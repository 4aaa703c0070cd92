"""Pure cryptographic rules for credentials: no Django imports, no network, no clock.

Modules:

- ``base58``, ``multikey``: base58-btc and Ed25519 Multikey / did:key encoding.
- ``verification``: the common outcome of every verifier (valid / altered / unknown key /
  malformed).
- ``keyring``: trusted public keys with their validity windows.
- ``signer``: the signing interface and Ed25519 keys kept encrypted at rest.
- ``data_integrity``: W3C Data Integrity proofs, cryptosuite ``eddsa-jcs-2022``.
- ``documents``: Verifiable Credential 2.0 builders (Open Badges 3.0 diploma, CLR 2.0
  report card).
- ``status_list``: W3C Bitstring Status List (revocation, suspension).
- ``cose``, ``qr_payload``: the compact signed QR payload (CBOR, COSE_Sign1, zlib, base45).
- ``merkle``, ``signed_note``: the append-only register log (RFC 9162) and its signed
  checkpoints.
- ``diploma_number``: diploma numbers with ISO 7064 MOD 97-10 check digits.

See docs/credentials-crypto.md for the formats.
"""
