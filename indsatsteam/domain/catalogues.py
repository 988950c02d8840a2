"""The two recommendation catalogues an analysis chooses from, and which kind of service
uses which.

The catalogues' first wording (Socialstyrelsen's publications) is seeded by migration 0002;
the admin edits them later as new versions.
"""

from __future__ import annotations

from dataclasses import dataclass

from .providers import CATALOGUE_BOSTOTTE, CATALOGUE_BOTILBUD, catalogue_for

BOTILBUD = CATALOGUE_BOTILBUD
BOSTOTTE = CATALOGUE_BOSTOTTE

CATALOGUE_TITLES: dict[str, str] = {
    BOTILBUD: "Syv anbefalinger for kvalitet på botilbud",
    BOSTOTTE: "Ti kvalitetstemaer for bostøtte",
}


@dataclass(frozen=True)
class ItemWords:
    """What a catalogue calls its items: the botilbud catalogue has anbefalinger, the
    bostøtte catalogue kvalitetstemaer (as the mapping of bostøtte calls them)."""

    one: str        # "anbefaling"
    many: str       # "anbefalinger"
    the_many: str   # "anbefalingerne"

    @property
    def One(self) -> str:  # noqa: N802 (the capitalised word, for headings)
        return self.one[0].upper() + self.one[1:]

    @property
    def Many(self) -> str:  # noqa: N802
        return self.many[0].upper() + self.many[1:]


ITEM_WORDS: dict[str, ItemWords] = {
    BOTILBUD: ItemWords("anbefaling", "anbefalinger", "anbefalingerne"),
    BOSTOTTE: ItemWords("kvalitetstema", "kvalitetstemaer", "kvalitetstemaerne"),
}


def item_words(code: str) -> ItemWords:
    return ITEM_WORDS.get(code, ITEM_WORDS[BOTILBUD])


def catalogue_code_for(kind: str) -> str:
    """The catalogue code for a kind of service; DomainError for a kind that may not apply."""
    return catalogue_for(kind)
