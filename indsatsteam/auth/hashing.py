"""Argon2 password hashing with the app's ARGON2_PARAMS (cheap in tests; production uses
argon2's defaults, RFC 9106 low-memory). The one place that reads them."""

from __future__ import annotations

import secrets

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from flask import current_app

_hashers: dict[tuple, PasswordHasher] = {}
_dummy_hashes: dict[tuple, str] = {}


def _params() -> tuple:
    return tuple(sorted(current_app.config.get("ARGON2_PARAMS", {}).items()))


def hasher() -> PasswordHasher:
    params = _params()
    if params not in _hashers:
        _hashers[params] = PasswordHasher(**dict(params))
    return _hashers[params]


def dummy_hash() -> str:
    """A hash of a random password, verified when there is no real one to check, so every
    login answer takes one argon2 run."""
    params = _params()
    if params not in _dummy_hashes:
        _dummy_hashes[params] = hasher().hash(secrets.token_urlsafe(16))
    return _dummy_hashes[params]


def verify(password_hash: str, password: str) -> bool:
    try:
        return hasher().verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False
