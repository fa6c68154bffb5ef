"""Verification codes: random, unguessable and easy to type.

A code is 20 characters of Crockford's base32 alphabet (digits and upper-case letters
without I, L, O and U), drawn from :mod:`secrets`: 20 × 5 = 100 bits of entropy, so a
guess succeeds with probability 2⁻¹⁰⁰ per certificate. Codes are stored and put in URLs in
their canonical form (20 characters, no dashes) and shown grouped by five,
``K7M2Q-9XDPA-3HWTC-8RNVB``. Typed codes are normalized the way Crockford specifies:
case and dashes are ignored, ``O`` reads as ``0`` and ``I``/``L`` as ``1``.
(Source: Douglas Crockford, "Base32", https://www.crockford.com/base32.html.)
"""

from __future__ import annotations

import math
import secrets

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
CODE_LENGTH = 20
GROUP = 5
#: Bits of entropy of one code (100).
CODE_BITS = int(CODE_LENGTH * math.log2(len(ALPHABET)))

_READS_AS = str.maketrans({"O": "0", "I": "1", "L": "1"})
_IGNORED = str.maketrans("", "", "- \t\u00a0\u2010\u2011\u2012\u2013\u2014")


def generate_code() -> str:
    """Return a new canonical code: 20 characters of Crockford base32 (100 bits)."""
    return "".join(secrets.choice(ALPHABET) for _ in range(CODE_LENGTH))


def normalize_code(raw: str | None) -> str | None:
    """Canonical form of a typed or scanned code, or None when it cannot be a code.

    Upper-cases, drops dashes and spaces, reads ``O`` as ``0`` and ``I``/``L`` as ``1``.
    Returns None unless the result is exactly 20 characters of the alphabet.
    """
    if not raw:
        return None
    value = raw.strip().upper().translate(_IGNORED).translate(_READS_AS)
    if len(value) != CODE_LENGTH or any(ch not in ALPHABET for ch in value):
        return None
    return value


def format_code(code: str | None) -> str:
    """Group a canonical code by five for reading: ``K7M2Q-9XDPA-3HWTC-8RNVB``."""
    if not code:
        return ""
    return "-".join(code[i:i + GROUP] for i in range(0, len(code), GROUP))
