"""The indicator catalogue (admins only): versioned like the recommendation catalogues, so
adding, editing or withdrawing an indicator saves a new version and a forløb that agreed on an
indicator keeps the row, and the definition, it agreed on."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from indsatsteam import clock
from indsatsteam.admin import indicator_services as indicators
from indsatsteam.admin.indicator_services import IndicatorInput
from indsatsteam.domain.errors import DomainError
from indsatsteam.domain.indicators import Direction, IndicatorUnit, OutcomeArea
from indsatsteam.extensions import db
from indsatsteam.models import (
    AuditEvent,
    EngagementIndicator,
    Indicator,
    IndicatorCatalogue,
    Role,
)

from helpers import aware, field_error, text_of

NEW = IndicatorInput(outcome_area="community", name="Borgere med en frivillig aktivitet",
                     definition="Andel af borgerne, der er frivillige i en forening.",
                     unit="percent", direction="higher")


def _form(values: IndicatorInput = NEW, **changes) -> dict:
    data = {"outcome_area": values.outcome_area, "name": values.name,
            "definition": values.definition, "unit": values.unit,
            "direction": values.direction}
    return {**data, **changes}


def _versions() -> list[tuple[int, bool, int]]:
    return [(c.version, c.is_current, len(c.indicators)) for c in db.session.execute(
        select(IndicatorCatalogue).order_by(IndicatorCatalogue.version)).scalars()]


@pytest.fixture
def admin_client(app, login, make_user):
    clock.freeze(aware(2027, 1, 10, 9, 0))
    client = app.test_client()
    login(client, make_user(Role.ADMIN, name="Anna Administrator"))
    return client


# --- the services ------------------------------------------------------------------------------

def test_the_current_indicators_are_version_1_by_number(app):
    current = indicators.current_indicators()
    assert [i.number for i in current] == list(range(1, 11))
    assert {i.catalogue.version for i in current} == {1}
    assert current[0].name == "Borgere med en plan lavet sammen med dem"
    assert (current[0].unit, current[0].direction) == (IndicatorUnit.PERCENT, Direction.HIGHER)


def test_by_area_follows_the_initiatives_order(app):
    areas = indicators.by_area(indicators.current_indicators())
    assert [area for area, _rows in areas] == list(OutcomeArea)
    assert [i.number for i in dict(areas)[OutcomeArea.LESS_INTRUSIVE]] == [7, 8, 9]


def test_each_change_is_a_new_version_and_a_forloeb_keeps_its_row(app, make_engagement):
    engagement = make_engagement()
    agreed = indicators.current_indicator(8)  # Magtanvendelser den seneste måned
    engagement.indicators.append(EngagementIndicator(
        indicator=agreed, baseline_value=4, baseline_date=date(2027, 1, 5), target_value=1))
    db.session.commit()

    added = indicators.add_indicator(NEW)
    db.session.commit()
    assert (added.version, added.title) == (2, "Indikatorer for effekt")
    assert [i.number for i in added.indicators] == [*range(1, 11), 11]

    edited = indicators.edit_indicator(8, IndicatorInput(
        "less_intrusive", "Magtanvendelser det seneste kvartal", "Antal indberettede "
        "magtanvendelser inden for de seneste tre måneder.", "count", "lower"))
    db.session.commit()
    withdrawn = indicators.withdraw_indicator(3)
    db.session.commit()
    assert _versions() == [(1, False, 10), (2, False, 11), (3, False, 11), (4, True, 10)]
    assert [i.number for i in withdrawn.indicators] == [1, 2, *range(4, 12)]
    assert edited.indicators[7].name == "Magtanvendelser det seneste kvartal"
    assert indicators.current_indicator(8).name == "Magtanvendelser det seneste kvartal"
    assert indicators.current_indicator(3) is None

    # The forløb still points at version 1's row, with the definition it agreed on.
    db.session.expire_all()
    row = engagement.indicators[0]
    assert row.indicator_id == agreed.id and row.indicator.catalogue.version == 1
    assert row.indicator.name == "Magtanvendelser den seneste måned"
    # Every row of every version is kept.
    assert db.session.execute(select(Indicator)).scalars().all().__len__() == 10 + 11 + 11 + 10


def test_a_new_indicator_gets_a_number_never_used_before(app):
    indicators.withdraw_indicator(10)
    db.session.commit()
    added = indicators.add_indicator(NEW)
    db.session.commit()
    assert [i.number for i in added.indicators][-1] == 11


@pytest.mark.parametrize(("changes", "field", "message"), [
    (dict(name="  "), "name", "Skriv indikatorens navn"),
    (dict(name="x" * 201), "name", "Skriv højst 200 tegn"),
    (dict(name="borgernes oplevede TRIVSEL"), "name",
     "Der er allerede en indikator med det navn i kataloget"),
    (dict(definition=" "), "definition", "Skriv, hvordan indikatoren måles"),
    (dict(outcome_area="happiness"), "outcome_area", "Vælg et af de fem områder"),
    (dict(unit="kilo"), "unit", "Vælg en af enhederne"),
    (dict(direction="sideways"), "direction", "Vælg, hvilken retning der er bedre"),
])
def test_the_service_refuses_with_a_danish_message_at_the_field(app, changes, field, message):
    values = IndicatorInput(**{**NEW.__dict__, **changes})
    with pytest.raises(DomainError) as refused:
        indicators.add_indicator(values)
    assert (refused.value.field, refused.value.message) == (field, message)


def test_unchanged_edits_unknown_numbers_and_the_last_indicator_are_refused(app):
    first = indicators.current_indicator(1)
    same = IndicatorInput(first.outcome_area.value, first.name + " ", first.definition,
                          first.unit.value, first.direction.value)
    with pytest.raises(DomainError, match="ingen ændringer"):
        indicators.edit_indicator(1, same)
    # Its own name is not a duplicate of itself.
    indicators.edit_indicator(1, IndicatorInput(**{**same.__dict__, "definition": "Ny tekst"}))
    db.session.commit()
    with pytest.raises(DomainError, match="findes ikke"):
        indicators.withdraw_indicator(99)
    for number in range(1, 10):
        indicators.withdraw_indicator(number)
        db.session.commit()
    with pytest.raises(DomainError, match="mindst én indikator"):
        indicators.withdraw_indicator(10)


def test_without_any_catalogue_the_first_addition_makes_version_1(app):
    db.session.execute(IndicatorCatalogue.__table__.delete())
    db.session.commit()
    assert indicators.current_indicators() == []
    first = indicators.add_indicator(NEW)
    db.session.commit()
    assert (first.version, [i.number for i in first.indicators]) == (1, [1])


# --- the pages ---------------------------------------------------------------------------------

def test_the_page_lists_the_indicators_by_area_with_unit_and_direction(admin_client):
    page = admin_client.get("/admin/indikatorer")
    assert page.status_code == 200
    text = text_of(page)
    for area in OutcomeArea:
        assert area.label in text
    assert "Magtanvendelser den seneste måned" in text and "Lavere er bedre" in text
    assert "Andel i %" in text and "Skala 1–5" in text and "Dage" in text
    assert "Version 1" in text and "(gældende)" in text
    assert text.index("Trivsel, sundhed og mestring") < text.index(
        "Uddannelse og beskæftigelse")
    assert "/admin/indikatorer" in admin_client.get("/admin/").get_data(as_text=True)


def test_the_admin_adds_edits_and_withdraws_and_reads_old_versions(admin_client, post):
    form = admin_client.get("/admin/indikatorer/ny")
    assert form.status_code == 200 and "Tilføj indikator" in text_of(form)
    response = post(admin_client, "/admin/indikatorer/ny", _form())
    assert response.status_code == 302
    page = text_of(admin_client.get("/admin/indikatorer"))
    assert "Borgere med en frivillig aktivitet er gemt i kataloget som version 2" in page

    edit = admin_client.get("/admin/indikatorer/2/ret")
    assert 'value="Borgernes oplevede trivsel"' in edit.get_data(as_text=True)
    response = post(admin_client, "/admin/indikatorer/2/ret", _form(
        IndicatorInput("wellbeing", "Borgernes trivsel", "Gennemsnit fra 1 til 5.", "scale",
                       "higher")))
    assert response.status_code == 302
    assert post(admin_client, "/admin/indikatorer/9/traek-tilbage").status_code == 302
    page = text_of(admin_client.get("/admin/indikatorer"))
    assert "Dage indlagt i psykiatrien er trukket tilbage i version 4" in page
    assert "Dage indlagt i psykiatrien" not in page.split("trukket tilbage")[1]
    assert _versions()[-1] == (4, True, 10)

    old = admin_client.get("/admin/indikatorer/versioner/1")
    assert old.status_code == 200
    old_text = text_of(old)
    assert "En tidligere version, kun til visning" in old_text
    assert "Dage indlagt i psykiatrien" in old_text and "Borgernes oplevede trivsel" in old_text
    assert "traek-tilbage" not in old.get_data(as_text=True)
    assert admin_client.get("/admin/indikatorer/versioner/99").status_code == 404
    # Only the current version's indicators can be edited or withdrawn.
    assert admin_client.get("/admin/indikatorer/9/ret").status_code == 404
    assert post(admin_client, "/admin/indikatorer/9/traek-tilbage").status_code == 404


@pytest.mark.parametrize(("changes", "field", "message"), [
    (dict(name=""), "name", "Skriv indikatorens navn"),
    (dict(name="x" * 201), "name", "Skriv højst 200 tegn"),
    (dict(definition=""), "definition", "Skriv, hvordan indikatoren måles"),
    (dict(definition="x" * 3001), "definition", "Skriv højst 3000 tegn"),
    (dict(outcome_area=""), "outcome_area", "Vælg et af de fem områder"),
    (dict(unit=""), "unit", "Vælg en af enhederne"),
    (dict(direction=""), "direction", "Vælg, hvilken retning der er bedre"),
    (dict(name="Magtanvendelser den seneste måned"), "name",
     "Der er allerede en indikator med det navn i kataloget"),
])
def test_a_refused_form_shows_the_danish_message_next_to_the_field(admin_client, post, changes,
                                                                   field, message):
    response = post(admin_client, "/admin/indikatorer/ny", _form(**changes))
    assert response.status_code == 400
    assert field_error(response, field) == message
    assert _versions() == [(1, True, 10)]


def test_a_choice_not_on_the_list_is_refused_in_danish(admin_client, post):
    response = post(admin_client, "/admin/indikatorer/ny", _form(unit="kilo", direction="x"))
    assert response.status_code == 400
    for field in ("unit", "direction"):
        message = field_error(response, field)
        assert message and "valid" not in message.lower()
    assert _versions() == [(1, True, 10)]


def test_an_unchanged_edit_says_so(admin_client, post):
    first = indicators.current_indicator(1)
    response = post(admin_client, "/admin/indikatorer/1/ret", _form(IndicatorInput(
        first.outcome_area.value, first.name, first.definition, first.unit.value,
        first.direction.value)))
    assert response.status_code == 400
    assert "Der er ingen ændringer at gemme." in text_of(response)


def test_a_double_click_on_add_saves_one_version(admin_client, post):
    data = _form(submission_key="k" * 20)
    assert post(admin_client, "/admin/indikatorer/ny", data).status_code == 302
    assert post(admin_client, "/admin/indikatorer/ny", data).status_code == 302
    assert _versions() == [(1, False, 10), (2, True, 11)]


def test_without_a_csrf_token_nothing_is_saved(admin_client):
    response = admin_client.post("/admin/indikatorer/ny", data=_form())
    assert response.status_code == 400
    response = admin_client.post("/admin/indikatorer/1/traek-tilbage")
    assert response.status_code == 400
    assert _versions() == [(1, True, 10)]


def test_the_changes_are_in_the_audit_trail_with_danish_labels(admin_client, post):
    post(admin_client, "/admin/indikatorer/ny", _form())
    events = db.session.execute(select(AuditEvent).where(
        AuditEvent.object_type.in_(("indicator", "indicator_catalogue")))).scalars().all()
    assert {(e.object_type, e.action) for e in events} >= {
        ("indicator", "create"), ("indicator_catalogue", "create"),
        ("indicator_catalogue", "update")}
    page = text_of(admin_client.get("/admin/revision"))
    assert "Katalog over indikatorer" in page and "Indikator 11: Borgere med en frivillig" in page


def test_a_forloebs_indicators_and_ratings_go_with_it_and_the_catalogue_stays(app,
                                                                              make_engagement):
    from indsatsteam.models import BenefitRating, Engagement

    engagement = make_engagement()
    engagement.indicators.append(EngagementIndicator(indicator=indicators.current_indicator(1),
                                                     baseline_value=10, target_value=20))
    engagement.benefit_ratings.append(BenefitRating(benefit_code="insight", score=4))
    db.session.commit()
    # The database cascades too (a Core delete, as a bulk clean-up would do it).
    db.session.execute(Engagement.__table__.delete().where(Engagement.id == engagement.id))
    db.session.commit()
    assert db.session.execute(select(EngagementIndicator)).first() is None
    assert db.session.execute(select(BenefitRating)).first() is None
    assert len(indicators.current_indicators()) == 10
