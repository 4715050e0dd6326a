"""Where a `next` parameter may send the browser: only to a path on this site."""
from __future__ import annotations

import re
from urllib.parse import unquote, urlsplit

_UNSAFE_CHARS = re.compile(r"[\x00-\x20\x7f\\]")
_UNSAFE_DECODED = re.compile(r"[\x00-\x1f\x7f\\]")


def safe_next(target: str | None) -> str | None:
    """Return `target` if it is a path on this site, else None (no open redirect).

    Refused: absolute URLs, scheme-relative ones ("//host"), backslashes, control characters
    and whitespace, and the same tricks percent-encoded ("/%2F%2Fhost", "/%5Chost").
    """
    if not target or _UNSAFE_CHARS.search(target):
        return None
    decoded = target
    for _round in range(3):  # "%252F" is "%2F" after one round, "/" after two
        decoded = unquote(decoded)
    for candidate in (target, decoded):
        parts = urlsplit(candidate)
        if parts.scheme or parts.netloc or not candidate.startswith("/"):
            return None
        if candidate.startswith("//") or _UNSAFE_DECODED.search(candidate):
            return None
    return target
