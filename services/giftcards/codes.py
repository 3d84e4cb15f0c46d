"""Gift-card codes: unguessable, with no character a person could misread, printed in groups of four.

The alphabet leaves out 0/O, 1/I/L and similar pairs, so a code read aloud over the phone or copied from
a printed card is typed right. 16 characters of 31 give about 79 bits: guessing is hopeless even before
the rate limit. Whatever a customer types (spaces, dashes, lower case) is normalised before lookup.
"""

from __future__ import annotations

import secrets

ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
LENGTH = 16
GROUP = 4


def new_code() -> str:
    """A fresh code in its stored form (16 characters, no separators)."""
    return "".join(secrets.choice(ALPHABET) for _ in range(LENGTH))


def normalize_code(typed: str | None) -> str:
    """The stored form of what a customer typed: upper case, separators and spaces dropped.

    Returns "" for anything that cannot be a code, so a lookup of it simply finds nothing.
    """
    text = "".join(ch for ch in (typed or "")[:80].upper() if ch not in " -_.\t\u200f\u200e")
    return text if 4 <= len(text) <= 32 and text.isascii() and text.replace("-", "").isalnum() else ""


def format_code(code: str) -> str:
    """XXXX-XXXX-XXXX-XXXX, the way the card and the emails print it."""
    if len(code) != LENGTH or any(ch not in ALPHABET for ch in code):
        return code  # an older code (legacy or demo) keeps its own shape
    return "-".join(code[i : i + GROUP] for i in range(0, LENGTH, GROUP))


def mask_code(code: str) -> str:
    """Only the last four characters, for staff roles that may see a card's state but not spend it."""
    return "••••-" + code[-4:] if len(code) > 4 else "••••"
