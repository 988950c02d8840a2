"""The two recommendation catalogues an analysis chooses from, as first supplied.

The admin can edit the catalogues later (as new versions); this is the wording they
start from, taken from Socialstyrelsen's publications.
"""

from __future__ import annotations

from .providers import CATALOGUE_BOSTOTTE, CATALOGUE_BOTILBUD, catalogue_for

BOTILBUD = CATALOGUE_BOTILBUD
BOSTOTTE = CATALOGUE_BOSTOTTE

CATALOGUE_TITLES: dict[str, str] = {
    BOTILBUD: "Syv anbefalinger for kvalitet på botilbud",
    BOSTOTTE: "Ti kvalitetstemaer for bostøtte",
}

DEFAULT_RECOMMENDATIONS: dict[str, tuple[tuple[int, str], ...]] = {
    # "Anbefalinger til god kvalitet på botilbud" (2022). The web page writes
    # "fælleskaber" in no. 5; we use the correct spelling "fællesskaber".
    BOTILBUD: (
        (1, "Se borgeren som ekspert i eget liv og tag udgangspunkt i borgerens egne "
            "perspektiver"),
        (2, "Arbejd med mål og opfølgning med udgangspunkt i borgerens ønsker og behov"),
        (3, "Samarbejd med borgeren om at skabe et trygt og hjemligt miljø på botilbuddet"),
        (4, "Respektér borgerens private hjem, og skab fleksible fællesområder"),
        (5, "Støt borgeren i at deltage i fællesskaber og aktiviteter, som giver borgeren "
            "større trivsel"),
        (6, "Hav fokus på borgerens sundhed"),
        (7, "Koordinér og skab sammenhæng i borgerens indsats sammen med borgeren"),
    ),
    # "Kortlægning af god kvalitet i praksis i bostøtten" (VIVE 2021).
    BOSTOTTE: (
        (1, "Afsæt i borgernes ønsker, drømme og motivation"),
        (2, "Virke og beskæftigelse"),
        (3, "Familie, venner og fællesskaber"),
        (4, "Brobygning til civilsamfund og frivillige fællesskaber"),
        (5, "Sundhed"),
        (6, "Trivsel og personlig udvikling"),
        (7, "Helhed og sammenhæng"),
        (8, "En fleksibel indsats i og uden for hjemmet"),
        (9, "En fælles faglig tilgang"),
        (10, "Det gode forløb"),
    ),
}


def catalogue_code_for(kind: str) -> str:
    """The catalogue code for a kind of service; DomainError for a kind that may not apply."""
    return catalogue_for(kind)
