"""Rules for the library of methods and tools: which themes and recommendations an entry
supports (stored as codes, so a new catalogue version keeps them) and its links."""

from __future__ import annotations

from collections.abc import Iterable

from .catalogues import CATALOGUE_TITLES
from .errors import DomainError
from .themes import THEMES

THEME_CODES = tuple(code for code, _name in THEMES)
MAX_LINKS = 10
MAX_LINK_LENGTH = 500


def check_theme_codes(codes: Iterable[str], *, field: str = "theme_codes") -> list[str]:
    """The theme codes in the order of the themes; DomainError for an unknown one."""
    wanted = set(codes)
    if wanted - set(THEME_CODES):
        raise DomainError("Vælg temaerne på listen", field=field)
    return [code for code in THEME_CODES if code in wanted]


def parse_recommendation_ref(ref: str) -> tuple[str, int] | None:
    """"botilbud:6" → ("botilbud", 6); None if it is not such a reference."""
    code, _, number = ref.partition(":")
    if code not in CATALOGUE_TITLES or not (number.isascii() and number.isdigit()):
        return None
    value = int(number)
    return (code, value) if 1 <= value <= 99 else None


def check_recommendation_refs(refs: Iterable[str], *,
                              field: str = "recommendation_refs") -> list[str]:
    parsed = []
    for ref in dict.fromkeys(refs):
        item = parse_recommendation_ref(ref)
        if item is None:
            raise DomainError("Vælg anbefalingerne på listen", field=field)
        parsed.append(item)
    order = list(CATALOGUE_TITLES)
    return [f"{code}:{number}" for code, number in
            sorted(parsed, key=lambda p: (order.index(p[0]), p[1]))]


def check_links(text: str, *, field: str = "links") -> list[str]:
    """One web address per line (https:// or http://), at most MAX_LINKS."""
    links = [line.strip() for line in text.splitlines() if line.strip()]
    if len(links) > MAX_LINKS:
        raise DomainError(f"Skriv højst {MAX_LINKS} links", field=field)
    for link in links:
        if (not link.startswith(("https://", "http://")) or len(link) > MAX_LINK_LENGTH
                or any(c.isspace() for c in link) or not link.isprintable()):
            raise DomainError("Skriv ét link pr. linje, der begynder med https://", field=field)
    return links
