"""Singular or plural where a count meets a noun, for Python code (templates use Flask-Babel's
`ngettext`, which Jinja gets from Flask-Babel). Babel's ngettext without a catalogue: the
source strings are Danish, and Danish has one form for 1 and another for everything else."""

from __future__ import annotations

from babel.support import NullTranslations

_SOURCE = NullTranslations()


def ngettext(singular: str, plural: str, n: int, **variables) -> str:
    """E.g. ngettext("%(num)s aktivt forløb", "%(num)s aktive forløb", 1) → "1 aktivt forløb"."""
    variables.setdefault("num", n)
    return _SOURCE.ngettext(singular, plural, n) % variables
