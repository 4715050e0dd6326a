"""Password hashing (Argon2id) and the password rules; pure, no session.

Hashes use argon2-cffi's default parameters, the RFC 9106 "second recommended option"
(Argon2id, t=3, 64 MiB, p=4). A hash made with other parameters still verifies and is
replaced at the next successful sign-in (`needs_rehash`).
"""
from __future__ import annotations

import secrets

from argon2 import Parameters, PasswordHasher, profiles
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

from practices.i18n import Message

# NIST SP 800-63B-4 (2024), 3.1.1.2: at least 15 characters for a password used alone, and
# verifiers should accept at least 64; no composition rules.
MIN_PASSWORD_LENGTH = 15
MAX_PASSWORD_LENGTH = 256

_hasher = PasswordHasher.from_parameters(profiles.RFC_9106_LOW_MEMORY)
# Verified against when the e-mail address is unknown, so that answering "no such user" costs
# as much time as a wrong password (no account enumeration by timing). Made on first use:
# hashing takes ~0.1 s, too slow for import time.
_dummy_hash: str | None = None


def use_parameters(params: Parameters) -> None:
    """Hash new passwords with `params` from now on (tests use argon2.profiles.CHEAPEST)."""
    global _hasher, _dummy_hash
    _hasher = PasswordHasher.from_parameters(params)
    _dummy_hash = None


def hash_password(password: str) -> str:
    """Return the Argon2id hash of `password` in PHC string format."""
    return _hasher.hash(password)


def verify_password(stored_hash: str | None, password: str) -> bool:
    """Tell whether `password` matches `stored_hash`; None checks against a dummy hash."""
    global _dummy_hash
    if stored_hash is None:
        _dummy_hash = _dummy_hash or _hasher.hash(secrets.token_urlsafe(16))
    try:
        return _hasher.verify(stored_hash or _dummy_hash, password) and stored_hash is not None
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


def needs_rehash(stored_hash: str) -> bool:
    """Tell whether `stored_hash` was made with parameters other than the current ones."""
    return _hasher.check_needs_rehash(stored_hash)


def password_problem(password: str) -> str | None:
    """Return why `password` is not acceptable, or None when it is."""
    if not isinstance(password, str):
        return Message("must be text")
    if len(password) < MIN_PASSWORD_LENGTH:
        return Message("must be at least %(min)d characters long (a few words will do)",
                       min=MIN_PASSWORD_LENGTH)
    if len(password) > MAX_PASSWORD_LENGTH:
        return Message("must be at most %(max)d characters long", max=MAX_PASSWORD_LENGTH)
    return None


def generate_password() -> str:
    """Return a random password of 20 URL-safe characters (about 120 bits)."""
    return secrets.token_urlsafe(15)
