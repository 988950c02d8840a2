"""The recommendation catalogues as the migrations seed them (DOMAIN.md's wording)."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from indsatsteam.domain.catalogues import BOSTOTTE, BOTILBUD, CATALOGUE_TITLES
from indsatsteam.extensions import db
from indsatsteam.models import RecommendationCatalogue

BOTILBUD_RECOMMENDATIONS = [
    (1, "Se borgeren som ekspert i eget liv og tag udgangspunkt i borgerens egne "
        "perspektiver"),
    (2, "Arbejd med mål og opfølgning med udgangspunkt i borgerens ønsker og behov"),
    (3, "Samarbejd med borgeren om at skabe et trygt og hjemligt miljø på botilbuddet"),
    (4, "Respektér borgerens private hjem, og skab fleksible fællesområder"),
    (5, "Støt borgeren i at deltage i fællesskaber og aktiviteter, som giver borgeren "
        "større trivsel"),
    (6, "Hav fokus på borgerens sundhed"),
    (7, "Koordinér og skab sammenhæng i borgerens indsats sammen med borgeren"),
]
BOSTOTTE_THEMES = [
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
]


def _seeded(code: str) -> RecommendationCatalogue:
    return db.session.execute(select(RecommendationCatalogue).where(
        RecommendationCatalogue.code == code, RecommendationCatalogue.version == 1)).scalar_one()


@pytest.mark.parametrize(("code", "expected"), [(BOTILBUD, BOTILBUD_RECOMMENDATIONS),
                                                 (BOSTOTTE, BOSTOTTE_THEMES)])
def test_the_first_version_has_the_published_wording(app, code, expected):
    catalogue = _seeded(code)
    assert catalogue.title == CATALOGUE_TITLES[code] and catalogue.is_current
    rows = sorted((r.number, r.title) for r in catalogue.recommendations)
    assert rows == expected


def test_only_the_two_catalogues_are_seeded(app):
    codes = db.session.execute(select(RecommendationCatalogue.code)).scalars().all()
    assert sorted(codes) == sorted(CATALOGUE_TITLES)
