"""People's names as stored and as searched: one normal form, so that "Zoë", "ZOË" and a
"Zoë" typed with a combining diaeresis (NFD, as macOS file names and some keyboards give it)
are the same name to a search, on SQLite and PostgreSQL alike.

SQLite's lower() and LIKE fold ASCII letters only, and neither engine treats a precomposed
letter and its decomposed spelling as equal; so the comparison is made on a key computed in
Python: Unicode's canonical caseless form (The Unicode Standard, section 3.13, D145:
NFD(casefold(NFD(text))), here recomposed to NFC to store it compactly).
"""
from __future__ import annotations

import unicodedata


def nfc(text: str) -> str:
    """Return `text` in Unicode normal form C (composed), as names are stored."""
    return unicodedata.normalize("NFC", text)


def fold(text: str) -> str:
    """Return the caseless, canonically normalised form of `text` ("ZOË" and "zoe\\u0308"
    both give "zoë")."""
    return nfc(unicodedata.normalize("NFD", text).casefold())


def search_key(name: str | None, email: str | None) -> str:
    """Return the text an account is found by: its name and address, folded, on one line."""
    return fold(f"{name or ''} {email or ''}".strip())
