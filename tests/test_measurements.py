"""Documented effect in one forløb, through the pages: indicators with baseline and target
agreed in the samarbejdsaftale, the end measurement before the final evaluation, the
follow-up after the forløb with its reminders, and the tilbud's rating of the four benefits."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import select

from indsatsteam import clock
from indsatsteam.engagements import services as engagement_services
from indsatsteam.extensions import db
from indsatsteam.measurements import services as measurements
from indsatsteam.models import (
    BenefitRating,
    EngagementIndicator,
    EngagementRecommendation,
    Indicator,
    Notification,
)
from indsatsteam.reminders.rules import due_reminders
from indsatsteam.reminders.sweep import run_sweep

from helpers import (
    EXPECTATIONS_FORM,
    add_indicators,
    aware,
    field_error,
    laerken_case,
    make_plans,
    text_of,
)
from reminder_helpers import local


@pytest.fixture
def setup(make_user, make_provider, make_round, make_engagement):
    return {**laerken_case(make_user, make_provider, make_round, make_engagement),
            "indicators": {i.number: i for i in measurements.current_indicators()}}


def _as(app, login, user):
    client = app.test_client()
    login(client, user)
    return client


def _baseline_form(rows: dict) -> dict:
    """indicator → (value, date, target) as a browser posts them."""
    data = {}
    for indicator, (value, on, target) in rows.items():
        p = f"i{indicator.id}_"
        data.update({f"{p}chosen": "y", f"{p}value": value, f"{p}on": on, f"{p}target": target})
    return data


# --- the samarbejdsaftale's indicators --------------------------------------------------------

def test_the_tilbud_chooses_indicators_with_danish_decimals(app, post, login, setup):
    engagement, ind = setup["engagement"], setup["indicators"]
    client = _as(app, login, setup["applicant"])
    url = f"/vores-forloeb/{engagement.id}/indikatorer"
    page = client.get(url)
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    # Grouped by the five outcome areas of seed 000, with unit and direction.
    for area in ("Trivsel, sundhed og mestring", "Deltagelse i lokalsamfundets fællesskaber",
                 "Tilfredshed med indsatsen", "Behov for mindre indgribende indsatser",
                 "Uddannelse og beskæftigelse"):
        assert f'<h2 class="mt-7">{area}</h2>' in html
    assert "Andel i %. Højere er bedre." in html and "Antal. Lavere er bedre." in html
    assert 'inputmode="decimal"' in html

    response = post(client, url, _baseline_form({
        ind[1]: ("42,5", "2027-01-05", "60"), ind[8]: ("6", "2027-01-05", "2")}))
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/vores-forloeb/{engagement.id}#effekt")
    rows = {r.indicator.number: r for r in engagement.indicators}
    assert (rows[1].baseline_value, rows[1].baseline_date, rows[1].target_value) == (
        42.5, date(2027, 1, 5), 60)
    assert (rows[8].baseline_value, rows[8].target_value) == (6, 2)
    # The form shows them again the Danish way.
    assert 'value="42,5"' in client.get(url).get_data(as_text=True)
    # The forløb's page lists them for both sides.
    portal = text_of(client.get(f"/vores-forloeb/{engagement.id}"))
    assert "Borgere med en plan lavet sammen med dem" in portal and "42,5 %" in portal
    team = _as(app, login, setup["lead"])
    assert "Magtanvendelser den seneste måned" in text_of(team.get(f"/forloeb/{engagement.id}"))


@pytest.mark.parametrize(("rows", "field", "message"), [
    (lambda ind: {ind[1]: ("tolv", "2027-01-05", "60")}, "value", "Skriv et tal, fx 12 eller 12,5"),
    (lambda ind: {ind[1]: ("101", "2027-01-05", "60")}, "value",
     "Værdien skal ligge mellem 0 og 100 %"),
    (lambda ind: {ind[8]: ("2,5", "2027-01-05", "1")}, "value", "Angiv et helt tal"),
    (lambda ind: {ind[1]: ("40", "2027-01-05", "30")}, "target",
     "Målet skal være bedre end udgangspunktet (højere er bedre)"),
    (lambda ind: {ind[9]: ("4", "2027-01-05", "6")}, "target",
     "Målet skal være bedre end udgangspunktet (lavere er bedre)"),
    (lambda ind: {ind[1]: ("40", "2027-02-05", "60")}, "on",
     "Udgangspunktet kan ikke være målt i fremtiden"),
])
def test_bad_values_are_refused_next_to_their_field_and_nothing_is_kept(
        app, post, login, setup, rows, field, message):
    engagement, ind = setup["engagement"], setup["indicators"]
    client = _as(app, login, setup["applicant"])
    chosen = rows(ind)
    response = post(client, f"/vores-forloeb/{engagement.id}/indikatorer", _baseline_form(chosen))
    assert response.status_code == 400
    indicator = next(iter(chosen))
    assert field_error(response, f"i{indicator.id}_{field}") == message
    # What the user typed is still there.
    assert chosen[indicator][0] in response.get_data(as_text=True)
    db.session.expire_all()
    assert engagement.indicators == []


def test_one_to_five_indicators_can_be_chosen(app, post, login, setup):
    engagement, ind = setup["engagement"], setup["indicators"]
    client = _as(app, login, setup["lead"])
    url = f"/forloeb/{engagement.id}/indikatorer"
    response = post(client, url, {})
    assert response.status_code == 400
    assert "Vælg mindst én indikator" in text_of(response)
    six = {ind[n]: ("", "", "") for n in range(1, 7)}
    response = post(client, url, _baseline_form(six))
    assert response.status_code == 400
    assert "Vælg højst 5 indikatorer" in text_of(response)
    db.session.expire_all()
    assert engagement.indicators == []


def test_agreeing_needs_indicators_with_baseline_and_target(app, post, login, setup):
    engagement, ind = setup["engagement"], setup["indicators"]
    lead = _as(app, login, setup["lead"])
    base = f"/forloeb/{engagement.id}"
    refused = post(lead, base + "/samarbejdsaftale", {**EXPECTATIONS_FORM, "agreed": "y"})
    assert refused.status_code == 400
    assert "mindst én indikator med udgangspunkt og mål" in field_error(refused, "agreed")
    # A draft without a target is saved, but cannot be agreed yet.
    assert post(lead, base + "/indikatorer", _baseline_form(
        {ind[2]: ("2,8", "2027-01-04", "")})).status_code == 302
    refused = post(lead, base + "/samarbejdsaftale", {**EXPECTATIONS_FORM, "agreed": "y"})
    assert "udgangspunkt og mål for Borgernes oplevede trivsel" in field_error(refused, "agreed")
    assert post(lead, base + "/samarbejdsaftale", EXPECTATIONS_FORM).status_code == 302
    assert "Den mangler: udgangspunkt og mål for Borgernes oplevede trivsel" in text_of(
        lead.get(base))
    assert post(lead, base + "/indikatorer", _baseline_form(
        {ind[2]: ("2,8", "2027-01-04", "3,5")})).status_code == 302
    assert post(lead, base + "/samarbejdsaftale",
                {**EXPECTATIONS_FORM, "agreed": "y"}).status_code == 302
    db.session.refresh(engagement.agreement)
    assert engagement.agreement.agreed_at is not None

    # Agreed: the tilbud can no longer change them; the team still can.
    tilbud = _as(app, login, setup["applicant"])
    url = f"/vores-forloeb/{engagement.id}/indikatorer"
    page = text_of(tilbud.get(url))
    assert "Samarbejdsaftalen er aftalt" in page and "2,8 (1–5)" in page
    response = post(tilbud, url, _baseline_form({ind[2]: ("1", "2027-01-04", "5")}))
    assert response.status_code == 302
    db.session.expire_all()
    assert engagement.indicators[0].baseline_value == 2.8
    assert post(lead, base + "/indikatorer", _baseline_form(
        {ind[2]: ("3", "2027-01-04", "4")})).status_code == 302
    db.session.expire_all()
    assert engagement.indicators[0].baseline_value == 3


# --- the end measurement and the final evaluation -----------------------------------------------

def _to_development(setup, numbers=(1,)):
    engagement = setup["engagement"]
    add_indicators(engagement, count=len(numbers))
    for rec in engagement.catalogue.recommendations[:2]:
        engagement.recommendations.append(EngagementRecommendation(
            recommendation=rec, chosen_at=clock.now(), chosen_by=setup["applicant"],
            baseline_score=2, final_score=4))
    engagement.phase = "development"
    db.session.commit()
    make_plans(engagement)
    db.session.commit()
    return engagement


def test_the_end_measurement_comes_before_the_final_evaluation(app, post, login, setup):
    engagement = _to_development(setup, numbers=(1, 2))
    lead = _as(app, login, setup["lead"])
    evaluation = {"summary": "Godt forløb", "achievements": "Nye rutiner", "complete": "y"}
    refused = post(lead, f"/forloeb/{engagement.id}/evaluering", evaluation)
    assert refused.status_code == 400
    assert ("når hver aftalt indikator har en slutmåling. Den mangler for: Borgere med en plan "
            "lavet sammen med dem, Borgernes oplevede trivsel") in text_of(refused)

    assert ("skal indikatorerne have en slutmåling. Den mangler for: Borgere med en plan lavet "
            "sammen med dem, Borgernes oplevede trivsel") in text_of(
        lead.get(f"/forloeb/{engagement.id}"))
    tilbud = _as(app, login, setup["applicant"])
    url = f"/vores-forloeb/{engagement.id}/slutmaaling"
    first, second = (r.indicator for r in measurements.agreed_indicators(engagement))
    missing = post(tilbud, url, {f"i{first.id}_value": "60"})
    assert missing.status_code == 400
    assert field_error(missing, f"i{second.id}_value") == (
        "Angiv slutmålingen for Borgernes oplevede trivsel")
    early = post(tilbud, url, {f"i{first.id}_value": "60", f"i{first.id}_on": "2026-12-01",
                               f"i{second.id}_value": "3,9"})
    assert field_error(early, f"i{first.id}_on") == (
        "Målingen kan ikke være foretaget før den forrige måling")
    assert post(tilbud, url, {f"i{first.id}_value": "60",
                              f"i{second.id}_value": "3,9"}).status_code == 302
    db.session.expire_all()
    rows = measurements.agreed_indicators(engagement)
    assert [(r.end_value, r.end_date) for r in rows] == [(60, clock.today()), (3.9, clock.today())]
    page = text_of(lead.get(f"/forloeb/{engagement.id}"))
    assert "+20 % · målet er nået" in page  # 40 → 60, the target
    assert "+1,3 (1–5) · målet er nået" in page  # 2,6 → 3,9, beyond the target of 3,4
    assert post(lead, f"/forloeb/{engagement.id}/evaluering", evaluation).status_code == 302


def test_the_end_measurement_is_refused_outside_the_development_phase(app, post, login, setup):
    engagement = setup["engagement"]
    add_indicators(engagement)
    tilbud = _as(app, login, setup["applicant"])
    url = f"/vores-forloeb/{engagement.id}/slutmaaling"
    page = text_of(tilbud.get(url))
    assert "Slutmålingen gives i udviklingsfasen" in page
    indicator = engagement.indicators[0].indicator
    response = post(tilbud, url, {f"i{indicator.id}_value": "50"})
    assert response.status_code == 302
    db.session.expire_all()
    assert engagement.indicators[0].end_value is None


# --- completion, the follow-up and its reminders ------------------------------------------------

def _complete(app, setup, *, on: date, months: int = 6):
    engagement = _to_development(setup)
    row = engagement.indicators[0]
    row.end_value, row.end_date = 58, clock.today()
    db.session.commit()
    engagement_services.save_final_evaluation(
        engagement, setup["lead"], summary="Godt", achievements="Rutiner", next_steps="",
        complete=True)
    db.session.commit()
    clock.freeze(local(on.year, on.month, on.day, 14, 0))
    engagement_services.move_phase(engagement, "completed", setup["lead"], "",
                                   close_open_tasks=True, follow_up_months=months)
    db.session.commit()
    return engagement


def test_completing_sets_the_follow_up_from_the_setting(app, post, login, setup):
    app.config["FOLLOW_UP_MONTHS"] = 3
    try:
        engagement = _to_development(setup)
        row = engagement.indicators[0]
        row.end_value, row.end_date = 58, clock.today()
        db.session.commit()
        lead = _as(app, login, setup["lead"])
        assert post(lead, f"/forloeb/{engagement.id}/evaluering", {
            "summary": "Godt", "achievements": "Rutiner", "complete": "y"}).status_code == 302
        clock.freeze(local(2027, 8, 31, 10, 0))
        assert post(lead, f"/forloeb/{engagement.id}/fase", {
            "target": "completed", "close_open_tasks": "y"}).status_code == 302
    finally:
        app.config["FOLLOW_UP_MONTHS"] = 6
    db.session.refresh(engagement)
    assert engagement.phase == "completed"
    assert engagement.follow_up_due == date(2027, 11, 30)
    assert "Opfølgning 30. november 2027" in text_of(lead.get(f"/forloeb/{engagement.id}"))
    # Reopened, there is nothing to follow up on; completed again, a new date.
    manager = _as(app, login, setup["manager"])
    assert post(manager, f"/forloeb/{engagement.id}/fase", {
        "target": "development", "comment": "Mere arbejde"}).status_code == 302
    db.session.refresh(engagement)
    assert engagement.follow_up_due is None


def test_the_tilbud_gives_the_follow_up_from_its_date(app, post, login, setup):
    engagement = _complete(app, setup, on=date(2027, 9, 15))
    assert engagement.follow_up_due == date(2028, 3, 15)
    tilbud = _as(app, login, setup["applicant"])
    url = f"/vores-forloeb/{engagement.id}/opfoelgning"
    assert "Opfølgningen kan gives fra 15. marts 2028" in text_of(tilbud.get(url))
    portal = f"/vores-forloeb/{engagement.id}"
    assert "Opfølgning 15. marts 2028" in text_of(tilbud.get(portal))

    clock.freeze(local(2028, 3, 16, 9, 0))
    assert "Opfølgning afventer" in text_of(tilbud.get(portal))
    assert "Opfølgning afventer" in text_of(_as(app, login, setup["lead"]).get(
        f"/forloeb/{engagement.id}"))
    indicator = engagement.indicators[0].indicator
    chosen = [r for r in engagement.recommendations if r.chosen_at]
    missing = post(tilbud, url, {f"i{indicator.id}_value": "61"})
    assert missing.status_code == 400
    assert field_error(missing, f"score_{chosen[0].id}") == (
        f"Vælg en vurdering fra 1 til 5 for anbefaling {chosen[0].recommendation.number}")
    response = post(tilbud, url, {f"i{indicator.id}_value": "61",
                                  **{f"score_{r.id}": "4" for r in chosen}})
    assert response.status_code == 302
    db.session.expire_all()
    assert engagement.indicators[0].follow_up_value == 61
    assert engagement.indicators[0].follow_up_date == date(2028, 3, 16)
    assert all(r.follow_up_score == 4 for r in chosen)
    page = text_of(tilbud.get(portal))
    assert "Opfølgning modtaget" in page and "+21 % i forhold til udgangspunktet" in page
    # The lead consultant hears of it, once.
    told = db.session.execute(select(Notification).where(
        Notification.category == "follow_up_received")).scalars().all()
    assert [(n.recipient_id, n.subject) for n in told] == [
        (setup["lead"].id, "Opfølgning modtaget: Bostedet Lærken")]
    assert told[0].url == f"/forloeb/{engagement.id}#effekt"
    assert post(tilbud, url, {f"i{indicator.id}_value": "62",
                              **{f"score_{r.id}": "5" for r in chosen}}).status_code == 302
    assert db.session.execute(select(Notification).where(
        Notification.category == "follow_up_received")).scalars().all() == told


def test_the_follow_up_reminder_falls_due_at_eight_on_its_date_once_and_again_after_14_days(
        app, setup):
    engagement = _complete(app, setup, on=date(2027, 9, 15))
    due = local(2028, 3, 15, 8, 0)

    def reminders(at):
        return [d for d in due_reminders(at - timedelta(days=3), at) if d.rule == "follow_up_due"]

    assert reminders(due - timedelta(minutes=1)) == []
    items = reminders(due)
    assert [(i.recipient.id, i.occurrence, i.url) for i in items] == [
        (setup["applicant"].id, date(2028, 3, 15), f"/vores-forloeb/{engagement.id}/opfoelgning")]
    assert items[0].subject == "Opfølgning på jeres rådgivningsforløb"
    assert "sluttede 15. september 2027" in items[0].body

    # Through the sweep: delivered once, however often it runs.
    clock.freeze(due)
    run_sweep(due)
    run_sweep(due + timedelta(minutes=5))
    sent = db.session.execute(select(Notification).where(
        Notification.category == "follow_up_due")).scalars().all()
    assert len(sent) == 1 and sent[0].recipient_id == setup["applicant"].id

    # Nothing came in: asked again 14 days later, at 08:00.
    again = local(2028, 3, 29, 8, 0)
    assert reminders(again - timedelta(minutes=1)) == []
    assert [i.subject for i in reminders(again)] == [
        "Påmindelse: Opfølgning på jeres rådgivningsforløb"]
    # Once it is in, nobody is asked.
    row = engagement.indicators[0]
    row.follow_up_value, row.follow_up_date = 60, date(2028, 3, 20)
    for r in engagement.recommendations:
        r.follow_up_score = 4
    db.session.commit()
    assert reminders(again) == []


# --- the four benefits ----------------------------------------------------------------------

def test_the_tilbud_rates_the_four_benefits_at_the_end(app, post, login, setup):
    engagement = setup["engagement"]
    tilbud = _as(app, login, setup["applicant"])
    url = f"/vores-forloeb/{engagement.id}/udbytte"
    codes = ("insight", "competences", "understanding", "systematics")
    form = {**{f"benefit_{c}": "4" for c in codes}, "comment_insight": "Vi så vores styrker"}
    assert "vurderes ved afslutningen" in text_of(tilbud.get(url))
    assert post(tilbud, url, form).status_code == 302
    assert db.session.execute(select(BenefitRating)).scalars().all() == []

    engagement.phase = "development"
    db.session.commit()
    page = tilbud.get(url).get_data(as_text=True)
    assert "Et indblik i egne styrker og udviklingsmuligheder" in page
    assert "Mere systematik i indsatsen" in page
    missing = post(tilbud, url, {"benefit_insight": "4"})
    assert missing.status_code == 400
    assert field_error(missing, "benefit_systematics") == "Vælg en vurdering fra 1 til 5"
    assert post(tilbud, url, form).status_code == 302
    ratings = {r.benefit_code: r for r in db.session.execute(select(BenefitRating)).scalars()}
    assert set(ratings) == set(codes)
    assert ratings["insight"].comment == "Vi så vores styrker"
    assert ratings["insight"].rated_by_id == setup["applicant"].id
    team = text_of(_as(app, login, setup["lead"]).get(f"/forloeb/{engagement.id}"))
    assert "Tilbuddets vurdering af forløbets udbytte" in team and "Vi så vores styrker" in team


def test_an_older_indicator_version_stays_with_the_forloeb(app, setup):
    """A new catalogue version does not change what a forløb agreed on."""
    engagement = setup["engagement"]
    add_indicators(engagement)
    old = engagement.indicators[0].indicator
    old.catalogue.is_current = False
    from indsatsteam.models import IndicatorCatalogue

    new = IndicatorCatalogue(version=2, title="Indikatorer", is_current=True)
    new.indicators.append(Indicator(number=1, outcome_area="wellbeing", name="Ny ordlyd",
                                    definition="Ny", unit="percent", direction="higher"))
    db.session.add(new)
    db.session.commit()
    choices = measurements.indicator_choices(engagement)
    assert [i.name for i in choices] == [old.name, "Ny ordlyd"]
    assert db.session.execute(select(EngagementIndicator)).scalar_one().indicator_id == old.id


def test_a_forloeb_with_nothing_to_measure_again_has_no_follow_up(app, setup):
    """Agreed before indicators existed and never self-assessed: no follow-up is awaited and
    nobody is reminded."""
    engagement = setup["engagement"]
    engagement.phase, engagement.actual_end = "completed", date(2027, 1, 5)
    engagement.follow_up_due = date(2027, 1, 8)
    db.session.commit()
    state = measurements.follow_up_state(engagement)
    assert state.due is None and not state.pending(date(2027, 1, 10))
    at = local(2027, 1, 8, 8, 0)
    assert [d for d in due_reminders(at - timedelta(days=3), at)
            if d.rule == "follow_up_due"] == []


def test_the_timeline_tells_of_indicators_chosen_removed_and_measured(app, post, login, setup):
    engagement, ind = setup["engagement"], setup["indicators"]
    lead = _as(app, login, setup["lead"])
    base = f"/forloeb/{engagement.id}"
    assert post(lead, base + "/indikatorer", _baseline_form({
        ind[1]: ("40", "2027-01-05", "60"), ind[2]: ("2,5", "2027-01-05", "3")})).status_code == 302
    assert post(lead, base + "/indikatorer", _baseline_form({
        ind[1]: ("40", "2027-01-05", "65")})).status_code == 302
    engagement.phase = "development"
    db.session.commit()
    assert post(lead, base + "/slutmaaling", {f"i{ind[1].id}_value": "61"}).status_code == 302
    timeline = text_of(lead.get(base)).split("Tidslinje")[-1]
    for entry in (f"Indikator valgt: {ind[1].name}", "Indikator valgt",
                  "Indikator fjernet fra samarbejdsaftalen", "Udgangspunkt og mål ændret",
                  "Ændret: Mål.", "Slutmåling givet"):
        assert entry in timeline, entry


def test_a_measured_indicator_cannot_be_removed(app, post, login, setup):
    engagement, ind = setup["engagement"], setup["indicators"]
    add_indicators(engagement, count=2)
    engagement.indicators[0].end_value = 55
    engagement.phase = "development"
    db.session.commit()
    lead = _as(app, login, setup["lead"])
    response = post(lead, f"/forloeb/{engagement.id}/indikatorer", _baseline_form(
        {ind[2]: ("2,6", "2027-01-10", "3,4")}))
    assert response.status_code == 400
    assert field_error(response, f"i{ind[1].id}_chosen") == (
        "Borgere med en plan lavet sammen med dem er allerede målt ved afslutningen og kan "
        "ikke fjernes")
    db.session.expire_all()
    assert len(engagement.indicators) == 2


def test_the_consultants_hear_once_a_day_what_the_tilbud_wrote(app, post, login, setup):
    engagement, ind = setup["engagement"], setup["indicators"]
    tilbud = _as(app, login, setup["applicant"])
    form = _baseline_form({ind[1]: ("40", "2027-01-05", "60")})
    for _ in range(2):
        assert post(tilbud, f"/vores-forloeb/{engagement.id}/indikatorer", form).status_code == 302
    assert post(tilbud, f"/vores-forloeb/{engagement.id}/forventninger",
                EXPECTATIONS_FORM).status_code == 302
    told = db.session.execute(select(Notification).where(
        Notification.category == "tilbud_wrote").order_by(Notification.id)).scalars().all()
    assert [(n.recipient_id, n.subject, n.url) for n in told] == [
        (setup["lead"].id, "Bostedet Lærken har skrevet i indikatorerne",
         f"/forloeb/{engagement.id}#effekt"),
        (setup["lead"].id, "Bostedet Lærken har skrevet i forventningsafstemningen",
         f"/forloeb/{engagement.id}#opstart")]
    # The next day, a save is news again; the team's own saves are not.
    clock.freeze(aware(2027, 1, 11, 9, 0))
    assert post(tilbud, f"/vores-forloeb/{engagement.id}/indikatorer", form).status_code == 302
    lead = _as(app, login, setup["lead"])
    assert post(lead, f"/forloeb/{engagement.id}/indikatorer", form).status_code == 302
    assert db.session.execute(select(Notification).where(
        Notification.category == "tilbud_wrote")).scalars().all().__len__() == 3
