"""The two recommendation catalogues an analysis chooses from, and which kind of service
uses which.

The catalogues' first wording (Socialstyrelsen's publications) is seeded by migration 0002;
the admin edits them later as new versions.
"""

from __future__ import annotations

from .providers import CATALOGUE_BOSTOTTE, CATALOGUE_BOTILBUD, catalogue_for

BOTILBUD = CATALOGUE_BOTILBUD
BOSTOTTE = CATALOGUE_BOSTOTTE

CATALOGUE_TITLES: dict[str, str] = {
    BOTILBUD: "Syv anbefalinger for kvalitet på botilbud",
    BOSTOTTE: "Ti kvalitetstemaer for bostøtte",
}


def catalogue_code_for(kind: str) -> str:
    """The catalogue code for a kind of service; DomainError for a kind that may not apply."""
    return catalogue_for(kind)
