"""Which `next` targets we may redirect to after login: only paths on this site."""

from __future__ import annotations

import unicodedata
from urllib.parse import unquote, urlsplit


def _is_local_path(target: str, *, allow_space: bool = False) -> bool:
    if not target.startswith("/") or target.startswith("//"):
        return False
    # Browsers read "\" as "/", so "/\evil.example" would become "//evil.example".
    if "\\" in target:
        return False
    # Browsers drop tabs and newlines inside URLs ("/\t/evil" → "//evil"), and control
    # characters could split a Location header.
    for char in target:
        if char == " " and allow_space:
            continue
        if char.isspace() or unicodedata.category(char).startswith("C"):
            return False
    parts = urlsplit(target)
    return not parts.scheme and not parts.netloc


def is_safe_next(target: str | None) -> bool:
    """True for a same-site relative path such as "/ansoegninger/3?x=1"."""
    if not target:
        return False
    # Check again after one round of percent-decoding, in case some layer decodes
    # "/%5Cevil.example" or "/%2F%2Fevil.example" before the browser sees it. A decoded
    # space is harmless there, so "?q=a%20b" stays allowed.
    return _is_local_path(target) and _is_local_path(unquote(target), allow_space=True)


def safe_next(target: str | None, default: str) -> str:
    """`target` if it is safe to redirect to, otherwise `default`."""
    return target if target is not None and is_safe_next(target) else default
