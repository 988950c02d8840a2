"""Documented effect in a real browser: the tilbud gives its end measurement in the
development phase and rates the four benefits; after the forløb it sees "Opfølgning
afventer" from the follow-up date, gives the follow-up (indicators and the self-assessment
again), and both it and the consultant see it received. Every page is checked with axe-core
(WCAG 2.1 A/AA) and photographed to tests/artifacts/effekt-*.png."""

from __future__ import annotations

from datetime import timedelta

import pytest
from playwright.sync_api import expect

from indsatsteam import clock
from indsatsteam.extensions import db
from indsatsteam.models import EngagementRecommendation, Role

from helpers import add_indicators, log_in, make_plans

pytestmark = pytest.mark.browser

TILBUD = "Bostedet Birken"
FIRST = "Borgere med en plan lavet sammen med dem"
SECOND = "Borgernes oplevede trivsel"


def expect_flash(page, text: str) -> None:
    expect(page.locator("main .alert-success").filter(has_text=text)).to_be_visible()


def test_the_tilbud_gives_its_end_measurement_and_follow_up(
        new_audited_page, live_server, make_user, make_provider, make_round, make_engagement):
    provider = make_provider(name=TILBUD, kind="sel108")
    lead = make_user(Role.CONSULTANT, name="Lea Lead")
    sofie = make_user(Role.APPLICANT, name="Sofie Sørensen", provider=provider)
    engagement = make_engagement(provider=provider, lead=lead,
                                 planned_start=clock.today() - timedelta(days=200), months=8)
    add_indicators(engagement, count=2)  # 40 → 60 %, and 2,6 → 3,4 on the scale
    rec = engagement.catalogue.recommendations[0]
    engagement.recommendations.append(EngagementRecommendation(
        recommendation=rec, chosen_at=clock.now(), chosen_by=sofie, baseline_score=2,
        final_score=4))
    engagement.phase = "development"
    db.session.commit()
    make_plans(engagement)
    db.session.commit()
    portal_url = f"{live_server}/vores-forloeb/{engagement.id}"

    tilbud, audit = new_audited_page("effekt-tilbud-")
    audit.allow_console(r"status of 400")  # the refused measurement answers 400, as it should
    log_in(tilbud, audit, sofie)
    tilbud.goto(portal_url)
    section = tilbud.locator("#effekt")
    expect(section).to_have_text("Effekt og opfølgning")
    audit.check("forloeb-udvikling")

    # --- The end measurement: a wrong value is refused next to its field, nothing lost. -----
    tilbud.get_by_role("link", name="Giv slutmåling").click()
    expect(tilbud.get_by_role("heading", level=1)).to_have_text("Slutmåling")
    audit.check("slutmaaling")
    tilbud.get_by_label(f"Slutmåling: {FIRST}").fill("120")
    tilbud.get_by_label(f"Slutmåling: {SECOND}").fill("3,9")
    tilbud.get_by_role("button", name="Gem slutmålingen").click()
    expect(tilbud.locator(".form-error").filter(has_text="Værdien skal ligge mellem 0 og 100 %")
           ).to_be_visible()
    expect(tilbud.get_by_label(f"Slutmåling: {SECOND}")).to_have_value("3,9")
    audit.check("slutmaaling-fejl")
    tilbud.get_by_label(f"Slutmåling: {FIRST}").fill("62,5")
    tilbud.get_by_role("button", name="Gem slutmålingen").click()
    expect_flash(tilbud, "Slutmålingen er gemt.")
    table = tilbud.get_by_role("table", name="Aftalte indikatorer")
    expect(table).to_contain_text("62,5 %")
    expect(table).to_contain_text("+22,5 % · målet er nået")
    expect(table).to_contain_text("+1,3 (1–5) · målet er nået")
    audit.check("slutmaaling-gemt")

    # --- The four benefits. --------------------------------------------------------------
    tilbud.get_by_role("link", name="Vurder forløbets udbytte").click()
    expect(tilbud.get_by_role("heading", level=1)).to_have_text("Hvad fik I ud af forløbet?")
    audit.check("udbytte")
    for benefit, score in (("Et indblik i egne styrker", "4 – I høj grad"),
                           ("Styrkede kompetencer", "3 – I nogen grad"),
                           ("Styrket den fælles faglige forståelse", "5 – I meget høj grad"),
                           ("Mere systematik i indsatsen", "4 – I høj grad")):
        tilbud.get_by_role("group", name=benefit).get_by_label(score).check()
    tilbud.get_by_label("Kommentar").first.fill("Vi fik øje for det, vi allerede gør godt.")
    tilbud.get_by_role("button", name="Gem vurderingen").click()
    expect_flash(tilbud, "Vurderingen af forløbets udbytte er gemt.")
    expect(tilbud.get_by_role("table", name="Tilbuddets vurdering af forløbets udbytte")
           ).to_contain_text("Vi fik øje for det, vi allerede gør godt.")
    audit.check("udbytte-gemt")

    # --- The forløb ends; its follow-up falls due six months later. ------------------------
    engagement.phase, engagement.actual_end = "completed", clock.today() - timedelta(days=190)
    engagement.follow_up_due = clock.today() - timedelta(days=7)
    db.session.commit()
    tilbud.goto(portal_url)
    expect(tilbud.locator("#effekt ~ p").first).to_contain_text("Opfølgning afventer")
    audit.check("opfoelgning-afventer")
    tilbud.get_by_role("link", name="Giv opfølgning").click()
    expect(tilbud.get_by_role("heading", level=1)).to_have_text("Opfølgning efter forløbet")
    audit.check("opfoelgning")
    tilbud.get_by_label(f"Opfølgning: {FIRST}").fill("58")
    tilbud.get_by_label(f"Opfølgning: {SECOND}").fill("3,6")
    tilbud.get_by_role("group", name=f"{rec.number}. {rec.title}").get_by_label(
        "4 – I høj grad").check()
    tilbud.get_by_role("button", name="Gem opfølgningen").click()
    expect_flash(tilbud, "Tak. Opfølgningen er gemt.")
    expect(tilbud.locator("#effekt ~ p").first).to_contain_text("Opfølgning modtaget")
    expect(tilbud.get_by_role("table", name="Aftalte indikatorer")).to_contain_text(
        "+18 % i forhold til udgangspunktet")
    audit.check("opfoelgning-gemt")
    audit.assert_clean()

    # --- The consultant sees the same on the forløb's page. ---------------------------------
    team, team_audit = new_audited_page("effekt-konsulent-")
    log_in(team, team_audit, lead)
    team.goto(f"{live_server}/forloeb/{engagement.id}")
    expect(team.locator("#effekt ~ p").first).to_contain_text("Opfølgning modtaget")
    expect(team.get_by_role("table", name="Aftalte indikatorer")).to_contain_text("58 %")
    team_audit.check("forloeb-afsluttet")
    team_audit.assert_clean()
