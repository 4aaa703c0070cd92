"""Base58 with the Bitcoin alphabet (base58-btc), as used by multibase prefix ``z``.

Encoding: the bytes are read as one big-endian unsigned integer and written in base 58
with the alphabet below; every leading zero byte becomes one leading ``1``. Decoding is
the reverse and rejects any character outside the alphabet.
"""

from __future__ import annotations

ALPHABET = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"
_INDEX = {char: value for value, char in enumerate(ALPHABET)}

# A multibase base58-btc string of this many characters is far beyond anything we handle
# (a signature is 88); refusing longer input keeps the quadratic big-int work bounded.
MAX_ENCODED_LENGTH = 4096


class Base58Error(ValueError):
    """The text is not valid base58-btc."""


_CHUNK = 58**10  # ten digits at a time: one big-integer division per ten digits
_PAIRS = [high + low for high in ALPHABET for low in ALPHABET]  # two digits, 0 … 58² − 1


def b58encode(data: bytes) -> str:
    """Encode bytes as base58-btc text."""
    zeros = len(data) - len(data.lstrip(b"\0"))
    number = int.from_bytes(data, "big")
    pairs: list[str] = []
    while number:
        number, chunk = divmod(number, _CHUNK)
        for _ in range(5):
            chunk, pair = divmod(chunk, 3364)
            pairs.append(_PAIRS[pair])
    # The most significant chunk is padded with zero digits ("1"): the number's own
    # digits start at its first non-zero one.
    return "1" * zeros + "".join(reversed(pairs)).lstrip("1")


def b58decode(text: str) -> bytes:
    """Decode base58-btc text; raise Base58Error on any character outside the alphabet."""
    if not isinstance(text, str):
        raise Base58Error("base58 input must be text")
    if len(text) > MAX_ENCODED_LENGTH:
        raise Base58Error("base58 input too long")
    number = 0
    for start in range(0, len(text), 10):  # ten digits at a time in a small integer
        chunk = text[start : start + 10]
        value = 0
        for char in chunk:
            digit = _INDEX.get(char)
            if digit is None:
                raise Base58Error(f"character {char!r} is not in the base58-btc alphabet")
            value = value * 58 + digit
        number = number * 58 ** len(chunk) + value
    zeros = len(text) - len(text.lstrip("1"))
    body = number.to_bytes((number.bit_length() + 7) // 8, "big") if number else b""
    return b"\0" * zeros + body


def multibase_z_encode(data: bytes) -> str:
    """Multibase base58-btc: ``z`` followed by the base58-btc text."""
    return "z" + b58encode(data)


def multibase_z_decode(text: str) -> bytes:
    """Decode a multibase base58-btc string (must start with ``z``)."""
    if not isinstance(text, str) or not text.startswith("z"):
        raise Base58Error("multibase base58-btc text must start with 'z'")
    return b58decode(text[1:])
