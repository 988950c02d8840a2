"""From application to forløb in a real browser, with each user in a browser context of
their own: the manager assigns a reviewer, the reviewer assesses, the manager approves and
picks the lead consultant; the consultant is refused the move to analysis, records the
kick-off meeting; the tilbud writes its part of the forventningsafstemning, chooses an
indicator with baseline and target, and the consultant
completes it and marks it agreed, and moves on; the tilbud chooses two recommendations and
self-assesses; the consultant records the analysis, moves to development and proposes a
method from the library; the tilbud sees it, makes the udviklingsplan for its first choice
with that method, turns the plan's milestone into a task with one click and marks one of
its tasks done. Every page is checked with axe-core
(WCAG 2.1 A/AA) and photographed to tests/artifacts/forloeb-*.png."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from indsatsteam import clock
from indsatsteam.domain.applications import ApplicationStatus
from indsatsteam.domain.danish_time import utc_to_local
from indsatsteam.domain.engagements import TaskStatus
from indsatsteam.extensions import db
from indsatsteam.models import Engagement, Recommendation, Role, Task

from helpers import log_in

pytestmark = pytest.mark.browser

TILBUD = "Botilbuddet Kastanjen"
TASK = "Indsend eksisterende dokumentation og procedurer"
MEANS = "Hvad det vil betyde for os"
MILESTONE = "Alle borgere har skrevet deres egne mål"
INDICATOR = "Borgernes oplevede trivsel"



def menu(page, name: str) -> None:
    page.get_by_role("navigation", name="Hovedmenu", exact=True).get_by_role(
        "link", name=name, exact=True).click()


def expect_flash(page, text: str, kind: str = "success") -> None:
    expect(page.locator(f"main .alert-{kind}").filter(has_text=text)).to_be_visible()


def expect_phase(page, label: str) -> None:
    """The step indicator marks `label` as the current phase."""
    steps = page.get_by_role("navigation", name="Forløbets faser")
    expect(steps.locator("[aria-current=step] .step-title")).to_have_text(label)


def test_from_application_to_development(new_audited_page, live_server, make_user,
                                         make_provider, make_round, make_application):
    now = clock.now()
    round_ = make_round(name="Forårsrunden 2026", opens_at=now - timedelta(days=40),
                        closes_at=now - timedelta(days=2))
    provider = make_provider(name=TILBUD, kind="sel108")
    application = make_application(round_, provider, status=ApplicationStatus.SUBMITTED)
    themes = [t.name for t in application.themes]
    assert len(themes) == 2
    manager = make_user(Role.MANAGER, email="leder@indsatsteam.example.dk", name="Lene Leder")
    anders = make_user(Role.CONSULTANT, email="anders@indsatsteam.example.dk",
                       name="Anders Andersen")
    make_user(Role.CONSULTANT, email="birgitte@indsatsteam.example.dk", name="Birgitte Berg")
    sofie = make_user(Role.APPLICANT, email="sofie@kastanjen.example.dk", name="Sofie Sørensen",
                      provider=provider)
    reference = application.reference
    application_url = f"{live_server}/sagsbehandling/ansoegninger/{application.id}"

    # --- The manager opens the queue and the application, and assigns Anders. ---------------
    leder, leder_audit = new_audited_page("forloeb-leder-")
    log_in(leder, leder_audit, manager)
    menu(leder, "Ansøgninger")
    expect(leder.get_by_role("heading", level=1)).to_have_text("Ansøgninger")
    queue = leder.get_by_role("table").filter(has=leder.get_by_role("link", name=reference))
    expect(queue).to_contain_text(TILBUD)
    leder_audit.check("ansoegninger")
    leder.get_by_role("link", name=reference, exact=True).click()
    expect(leder).to_have_url(application_url)
    expect(leder.get_by_role("heading", level=1)).to_have_text(f"Ansøgning {reference}")
    expect(leder.locator("main")).to_contain_text("Der er ikke valgt bedømmere endnu.")
    leder_audit.check("ansoegning")
    reviewers = leder.get_by_role("group", name="Vælg en eller to konsulenter")
    reviewers.get_by_label("Anders Andersen (0 aktive forløb)").check()
    leder.get_by_role("button", name="Gem bedømmere").click()
    expect_flash(leder, f"Bedømmere på {reference}: Anders Andersen.")
    expect(leder.locator("main")).to_contain_text("Har endnu ikke vurderet ansøgningen.")
    leder_audit.check("bedoemmer-valgt")

    # --- Anders, in his own browser, assesses the application. -------------------------------
    konsulent, konsulent_audit = new_audited_page("forloeb-konsulent-")
    log_in(konsulent, konsulent_audit, anders)
    menu(konsulent, "Ansøgninger")
    expect(konsulent.get_by_role("heading", level=1)).to_have_text("Ansøgninger")
    konsulent_audit.check("ansoegninger")
    konsulent.get_by_role("link", name=reference, exact=True).click()
    expect(konsulent).to_have_url(application_url)
    konsulent_audit.check("ansoegning")
    konsulent.get_by_role("link", name="Vurdér ansøgningen").click()
    expect(konsulent.get_by_role("heading", level=1)).to_have_text(
        f"Vurdering af ansøgning {reference}")
    konsulent_audit.check("vurdering")
    for criterion, score in (("Passer til temaerne", "4 – Høj"),
                             ("Parathed og ressourcer", "3"),
                             ("Ledelsesmæssig forankring", "4 – Høj")):
        konsulent.get_by_role("group", name=criterion).get_by_label(score, exact=True).check()
        konsulent.get_by_label(f"Begrundelse for scoren: {criterion.lower()}").fill(
            f"Begrundelse: {criterion}.")
    konsulent.get_by_role("group", name="Din anbefaling").get_by_label(
        "Godkend", exact=True).check()
    konsulent.get_by_label("Samlet vurdering").fill("Et motiveret tilbud med klar ledelse.")
    konsulent.get_by_role("button", name="Gem vurdering").click()
    expect(konsulent).to_have_url(application_url)
    expect_flash(konsulent, f"Din vurdering af {reference} er gemt.")
    expect(konsulent.locator("main")).to_contain_text("Anbefaling: Godkend")
    konsulent_audit.check("vurdering-gemt")

    # --- The manager approves and makes Anders the lead consultant. --------------------------
    leder.reload()
    expect(leder.locator("main")).to_contain_text("Anbefaling: Godkend")
    leder_audit.check("ansoegning-vurderet")
    leder.get_by_role("link", name="Træf afgørelse").click()
    expect(leder.get_by_role("heading", level=1)).to_have_text(
        f"Afgørelse på ansøgning {reference}")
    lead = leder.get_by_label("Ansvarlig konsulent")
    expect(lead.locator("option")).to_contain_text(
        ["Anders Andersen (0 aktive forløb)", "Birgitte Berg (0 aktive forløb)"])
    for theme in themes:  # the application's themes are ticked in advance
        expect(leder.get_by_role("group", name="Temaer i forløbet").get_by_label(
            theme, exact=True)).to_be_checked()
    leder_audit.check("afgoerelse")
    leder.get_by_role("group", name="Afgørelse").get_by_label("Godkend", exact=True).check()
    leder.get_by_label("Besked til ansøgeren").fill(
        "Velkommen til et rådgivningsforløb. Anders Andersen kontakter jer.")
    lead.select_option(label="Anders Andersen (0 aktive forløb)")
    leder.get_by_role("button", name="Registrér afgørelse").click()
    expect(leder).to_have_url(application_url)
    expect_flash(leder, f"Afgørelsen på {reference} er registreret.")
    expect(leder.locator("main .alert-success").filter(has_text="Afgørelse: Godkendt")
           ).to_contain_text("Velkommen til et rådgivningsforløb.")
    leder_audit.check("godkendt")
    leder.get_by_role("link", name="Gå til forløbet").click()
    expect(leder).to_have_url(re.compile(r"/forloeb/\d+$"))
    engagement_url = leder.url
    expect(leder.get_by_role("heading", level=1)).to_have_text(TILBUD)
    expect_phase(leder, "Opstart")
    expect(leder.get_by_role("row", name=re.compile("^Ansvarlig konsulent"))).to_contain_text(
        "Anders Andersen")
    leder_audit.check("forloeb")

    # --- Anders: the move to analysis is refused until the meeting and agreement exist. ------
    menu(konsulent, "Forløb")
    expect(konsulent.get_by_role("heading", level=1)).to_have_text("Mine forløb")
    konsulent_audit.check("mine-forloeb")
    konsulent.get_by_role("link", name=TILBUD, exact=True).click()
    expect(konsulent).to_have_url(engagement_url)
    expect_phase(konsulent, "Opstart")
    konsulent_audit.check("forloeb-opstart")
    konsulent.get_by_label("Ny fase").select_option(label="Analyse")
    konsulent.get_by_role("button", name="Skift fase").click()
    expect(konsulent).to_have_url(engagement_url)
    expect_flash(konsulent, "Der er ikke registreret et afholdt opstartsmøde. "
                            "Samarbejdsaftalen er ikke aftalt endnu", kind="error")
    expect_phase(konsulent, "Opstart")
    konsulent_audit.check("fase-afvist")

    # The kick-off meeting, held three days ago.
    konsulent.get_by_role("link", name="Nyt møde").click()
    expect(konsulent.get_by_role("heading", level=1)).to_have_text("Nyt møde")
    starts = (utc_to_local(clock.now()) - timedelta(days=3)).replace(hour=10, minute=0)
    konsulent.get_by_label("Mødetype").select_option(label="Opstartsmøde")
    konsulent.get_by_label("Dato og klokkeslæt").fill(starts.strftime("%Y-%m-%dT%H:%M"))
    konsulent.get_by_label("Sted").fill("Kastanjen, personalestuen")
    konsulent.get_by_label("Deltagere").fill("Sofie Sørensen\nAnders Andersen")
    konsulent.get_by_role("textbox", name="Referat").fill("Vi gennemgik forløbets faser.")
    konsulent.get_by_label("Mødet er afholdt").check()
    expect(konsulent.get_by_label("Dato og klokkeslæt")).to_have_attribute("type", "datetime-local")
    konsulent_audit.check("nyt-moede")
    konsulent.get_by_role("button", name="Gem").click()
    expect(konsulent).to_have_url(f"{engagement_url}#moeder")
    expect_flash(konsulent, "Mødet er gemt.")
    meeting_row = konsulent.get_by_role("table", name="Møder i forløbet").get_by_role("row").nth(1)
    for text in ("kl. 10.00", "Opstartsmøde", "Kastanjen, personalestuen",
                 "Afholdt"):
        expect(meeting_row).to_contain_text(text)
    konsulent_audit.check("moede-gemt")

    # --- The forventningsafstemning: the tilbud writes its part, Anders the rest. -----------
    tilbud, tilbud_audit = new_audited_page("forloeb-tilbud-")
    log_in(tilbud, tilbud_audit, sofie)
    menu(tilbud, "Vores forløb")
    expect(tilbud.get_by_role("heading", level=1)).to_have_text("Vores forløb")
    tilbud_audit.check("vores-forloeb")
    tilbud.get_by_role("link", name=TILBUD, exact=True).click()
    expect(tilbud.get_by_role("heading", level=1)).to_have_text("Jeres rådgivningsforløb")
    expect_phase(tilbud, "Opstart")
    tilbud_audit.check("forloeb-opstart")
    tilbud.get_by_role("link", name="Udfyld forventningsafstemningen").click()
    expect(tilbud.get_by_role("heading", level=1)).to_have_text("Forventningsafstemning")
    tilbud_audit.check("forventninger")
    tilbud.get_by_label(f"{MEANS}: mere systematik i indsatsen").fill(
        "Faste rutiner for opfølgning på borgernes mål.")
    tilbud.get_by_label("Kontaktperson hos tilbuddet").fill("Sofie Sørensen, 12 34 56 78")
    tilbud.get_by_role("button", name="Gem").click()
    expect_flash(tilbud, "Jeres forventningsafstemning er gemt.")
    expect(tilbud.locator("#samarbejdsaftale ~ p").first).to_contain_text("Udkast")
    tilbud_audit.check("forventninger-gemt")
    # The samarbejdsaftale's indicators: one chosen, with baseline and target.
    tilbud.get_by_role("link", name="Vælg indikatorer").click()
    expect(tilbud.get_by_role("heading", level=1)).to_have_text("Indikatorer for forløbets effekt")
    tilbud_audit.check("indikatorer")
    tilbud.get_by_label(INDICATOR, exact=True).check()
    tilbud.get_by_label(f"Udgangspunkt: {INDICATOR}").fill("2,8")
    tilbud.get_by_label(f"Udgangspunktet er målt: {INDICATOR}").fill(
        (clock.today() - timedelta(days=3)).isoformat())
    tilbud.get_by_label(f"Mål ved afslutningen: {INDICATOR}").fill("3,5")
    tilbud.get_by_role("button", name="Gem indikatorerne").click()
    expect_flash(tilbud, "Indikatorerne er gemt.")
    expect(tilbud.get_by_role("table", name="Aftalte indikatorer")).to_contain_text("2,8 (1–5)")
    tilbud_audit.check("indikatorer-gemt")

    konsulent.reload()
    expect(konsulent.locator("#opstart + p")).to_contain_text("Udkast")
    konsulent.get_by_role("link", name="Ret forventningsafstemningen").click()
    expect(konsulent.get_by_role("heading", level=1)).to_have_text("Forventningsafstemning")
    expect(konsulent.get_by_label(f"{MEANS}: mere systematik i indsatsen")).to_have_value(
        "Faste rutiner for opfølgning på borgernes mål.")
    konsulent_audit.check("samarbejdsaftale")
    konsulent.get_by_label("Andre mål for forløbet").fill("En fælles faglig tilgang i hele huset.")
    konsulent.get_by_label("Deltagere fra tilbuddet").fill(
        "Ledelsen og to medarbejdere fra hver afdeling.")
    konsulent.get_by_label("Tid", exact=True).fill("Otte timer om måneden pr. deltager.")
    konsulent.get_by_label("Ledelsens involvering").fill("Forstanderen deltager i alle møder.")
    konsulent.get_by_label("Mødekadence").fill("Et møde hver 14. dag.")
    konsulent.get_by_label("Risici").fill("Travlhed i sommerferien; møderne flyttes.")
    konsulent.get_by_label("Forventningsafstemningen er aftalt med tilbuddet").check()
    konsulent.get_by_role("button", name="Gem").click()
    expect(konsulent).to_have_url(f"{engagement_url}#opstart")
    expect_flash(konsulent, "Forventningsafstemningen er gemt.")
    expect(konsulent.locator("#opstart + p")).to_contain_text("Aftalt")
    expect(konsulent.locator("#opstart + p")).to_contain_text("af Anders Andersen")
    gates = konsulent.locator("#fase ~ ul").first
    expect(gates).to_contain_text("Opfyldt Opstartsmøde afholdt")
    expect(gates).to_contain_text("Opfyldt Samarbejdsaftale aftalt")
    konsulent_audit.check("aftale-gemt")

    # Now the move to analysis goes through.
    konsulent.get_by_label("Ny fase").select_option(label="Analyse")
    konsulent.get_by_label("Kommentar").fill("Opstartsmødet er holdt, og aftalen er på plads.")
    konsulent.get_by_role("button", name="Skift fase").click()
    expect_flash(konsulent, "Forløbet er nu i fasen Analyse.")
    expect_phase(konsulent, "Analyse")
    expect(konsulent.locator("#tidslinje ~ ol")).to_contain_text(
        "Opstartsmødet er holdt, og aftalen er på plads.")
    konsulent_audit.check("fase-analyse")

    engagement = db.session.execute(
        select(Engagement).where(Engagement.application_id == application.id)).scalar_one()
    catalogue = db.session.execute(
        select(Recommendation).where(Recommendation.catalogue_id == engagement.catalogue_id)
        .order_by(Recommendation.number)).scalars().all()
    assert len(catalogue) == 7  # the botilbud catalogue for a § 108 tilbud
    picked = [f"{r.number}. {r.title}" for r in (catalogue[1], catalogue[4])]

    # --- The tilbud chooses two recommendations and gives its first self-assessment. ---------
    # Agreed, the tilbud reads it but no longer edits it.
    tilbud.reload()
    expect(tilbud.locator("#samarbejdsaftale ~ p").first).to_contain_text("Aftalt")
    expect(tilbud.locator("main")).to_contain_text("Otte timer om måneden pr. deltager.")
    expect(tilbud.get_by_role("link", name="Se forventningsafstemningen")).to_be_visible()
    tilbud_audit.check("forventninger-aftalt")
    menu(tilbud, "Vores forløb")
    expect(tilbud.get_by_role("row", name=re.compile(TILBUD))).to_contain_text("Analyse")
    tilbud.get_by_role("link", name=TILBUD, exact=True).click()
    expect(tilbud.get_by_role("heading", level=1)).to_have_text("Jeres rådgivningsforløb")
    expect_phase(tilbud, "Analyse")
    expect(tilbud.locator("main")).to_contain_text("Anders Andersen (ansvarlig)")
    tilbud_audit.check("forloeb")
    tilbud.get_by_role("link", name="Vælg anbefalinger").click()
    expect(tilbud.get_by_role("heading", level=1)).to_have_text("Vælg anbefalinger")
    tilbud_audit.check("vaelg-anbefalinger")
    choices = tilbud.get_by_role("group", name="Hvilke anbefalinger vil I arbejde med?")
    expect(choices.get_by_role("checkbox")).to_have_count(7)
    for label in picked:
        choices.get_by_label(label, exact=True).check()
    tilbud.get_by_role("button", name="Gem valg").click()
    expect_flash(tilbud, "Jeres valg er gemt. I arbejder med 2 anbefalinger.")
    chosen_table = tilbud.get_by_role("table", name="De anbefalinger, I arbejder med")
    for label in picked:
        expect(chosen_table).to_contain_text(label)
    tilbud_audit.check("anbefalinger-valgt")

    tilbud.get_by_role("link", name="Giv jeres første selvevaluering").click()
    expect(tilbud.get_by_role("heading", level=1)).to_have_text("Første selvevaluering")
    tilbud_audit.check("selvevaluering")
    for label, score in zip(picked, ("2 – I lav grad", "3 – I nogen grad"), strict=True):
        tilbud.get_by_role("group", name=label).get_by_label(score, exact=True).check()
    tilbud.get_by_role("button", name="Gem selvevaluering").click()
    expect_flash(tilbud, "Jeres første selvevaluering er gemt.")
    expect(chosen_table.get_by_role("row", name=re.compile(re.escape(picked[0])))
           ).to_contain_text("2 – I lav grad")
    expect(chosen_table.get_by_role("row", name=re.compile(re.escape(picked[1])))
           ).to_contain_text("3 – I nogen grad")
    tilbud_audit.check("selvevaluering-gemt")

    # --- Anders records the analysis for both themes and moves to development. ---------------
    konsulent.reload()
    gates = konsulent.locator("#fase ~ ul").first
    expect(gates).to_contain_text("Mangler Analyse af styrker og udviklingsområder")
    expect(gates).to_contain_text("Opfyldt Tilbuddet har valgt mindst én anbefaling (2 valgt)")
    konsulent_audit.check("forloeb-analyse")
    konsulent.get_by_role("link", name="Registrér analysen").click()
    expect(konsulent.get_by_role("heading", level=1)).to_have_text("Analyse")
    konsulent_audit.check("analyse")
    for theme in themes:
        konsulent.get_by_label(f"{theme}: styrker").fill(f"Styrker i {theme.lower()}.")
        konsulent.get_by_label(f"{theme}: udviklingsområder").fill(
            f"Udviklingsområder i {theme.lower()}.")
    konsulent.get_by_role("button", name="Gem").click()
    expect(konsulent).to_have_url(f"{engagement_url}#analyse")
    expect_flash(konsulent, "Analysen er gemt.")
    for theme in themes:
        expect(konsulent.locator("#analyse + ul")).to_contain_text(f"{theme}: registreret")
    konsulent_audit.check("analyse-gemt")
    konsulent.get_by_label("Ny fase").select_option(label="Udvikling")
    konsulent.get_by_label("Kommentar").fill("Analysen er færdig, og tilbuddet har valgt.")
    konsulent.get_by_role("button", name="Skift fase").click()
    expect_flash(konsulent, "Forløbet er nu i fasen Udvikling.")
    expect_phase(konsulent, "Udvikling")
    konsulent_audit.check("fase-udvikling")

    # --- Anders proposes a method from the library. --------------------------------------------
    konsulent.get_by_role("link", name="Foreslå metoder og redskaber").click()
    expect(konsulent.get_by_role("heading", level=1)).to_have_text("Foreslå metoder og redskaber")
    konsulent_audit.check("metoder")
    konsulent.get_by_role("group", name="Metoder og redskaber, du foreslår tilbuddet").get_by_label(
        "Borgere, der sætter mål", exact=True).check()
    konsulent.get_by_role("button", name="Gem").click()
    expect(konsulent).to_have_url(f"{engagement_url}#metoder")
    expect_flash(konsulent, "Forslagene er gemt. Tilbuddet ser dem i sin portal.")
    konsulent_audit.check("metode-foreslaaet")

    # --- The tilbud sees it, makes the plan for its first choice, and a milestone a task. -----
    tilbud.reload()
    expect_phase(tilbud, "Udvikling")
    methods = tilbud.get_by_role("table", name="Metoder og redskaber, indsatsteamet foreslår")
    expect(methods).to_contain_text("Borgere, der sætter mål")
    expect(methods).to_contain_text("Praksiseksempel fra VIVEs kortlægning")
    tilbud_audit.check("forloeb-udvikling")
    tilbud.get_by_role("link", name=f"Lav udviklingsplanen for {picked[0]}").click()
    expect(tilbud.get_by_role("heading", level=1)).to_have_text("Udviklingsplan")
    tilbud_audit.check("udviklingsplan")
    tilbud.get_by_label("Konkrete ændringer").fill("Borgerne skriver selv deres mål.")
    tilbud.get_by_label("Ledelse (frivilligt)", exact=True).fill(
        "Forstanderen følger op hver måned.")
    tilbud.get_by_label("Rutiner (frivilligt)", exact=True).fill(
        "Målene gennemgås på hvert teammøde.")
    tilbud.get_by_role("group", name="Metoder og redskaber").get_by_label(
        "Borgere, der sætter mål", exact=True).check()
    tilbud.get_by_label("Ansvarlig", exact=True).fill("Sofie Sørensen")
    first = tilbud.get_by_role("group", name="Milepæl 1")
    first.get_by_label("Milepæl (frivilligt)", exact=True).fill(MILESTONE)
    due = (utc_to_local(clock.now()) + timedelta(days=30)).date()
    first.get_by_label("Dato (frivilligt)").fill(due.isoformat())
    tilbud.get_by_role("button", name="Gem udviklingsplanen").click()
    expect_flash(tilbud, f"Udviklingsplanen for {picked[0]} er gemt.")
    plan_table = tilbud.get_by_role("table", name=f"Milepæle for {picked[0]}")
    expect(plan_table).to_contain_text(MILESTONE)
    tilbud_audit.check("plan-gemt")
    tilbud.get_by_role("button", name=f"Gør til opgave for milepælen {MILESTONE}").click()
    expect_flash(tilbud, f'Milepælen "{MILESTONE}" er nu en af jeres opgaver.')
    expect(plan_table).to_contain_text("Ikke startet")
    expect(tilbud.get_by_role("table", name="Opgaver, som tilbuddet er ansvarlig for")
           ).to_contain_text(MILESTONE)
    tilbud_audit.check("milepael-opgave")

    # Anders sees the plan, the task and the changes in the timeline.
    konsulent.reload()
    expect(konsulent.locator("#udviklingsplan ~ p").first).to_contain_text(
        "Hver anbefaling, tilbuddet arbejder med")
    expect(konsulent.locator("#tidslinje ~ ol")).to_contain_text(
        f"Udviklingsplan oprettet: {picked[0]}")
    expect(konsulent.locator("#tidslinje ~ ol")).to_contain_text(
        "Forventningsafstemningen er aftalt")
    konsulent_audit.check("forloeb-plan")

    # --- The tilbud marks one of its own tasks done. -----------------------------------------
    tilbud.get_by_label(f"Status for {TASK}").select_option(label="Gennemført")
    tilbud.get_by_role("button", name=f"Gem status for {TASK}").click()
    expect_flash(tilbud, f'Opgaven "{TASK}" har nu status "Gennemført".')
    expect(tilbud.get_by_role("row", name=re.compile(TASK))).to_contain_text(
        "af Sofie Sørensen")
    expect(tilbud.get_by_label(f"Status for {TASK}")).to_have_value(TaskStatus.DONE.value)
    tilbud_audit.check("opgave-gennemfoert")

    for audit in (leder_audit, konsulent_audit, tilbud_audit):
        audit.assert_clean()

    # --- What the browser did is in the database. --------------------------------------------
    db.session.expire_all()
    engagement = db.session.get(Engagement, engagement.id)
    assert engagement.phase == "development"
    assert engagement.lead_consultant_id == anders.id
    assert {t.name for t in engagement.themes} == set(themes)
    assert [(t.from_phase, t.to_phase, t.actor_id, t.comment)
            for t in reversed(engagement.transitions)] == [
        (None, "startup", manager.id, "Forløbet er oprettet ved godkendelse af ansøgningen"),
        ("startup", "analysis", anders.id, "Opstartsmødet er holdt, og aftalen er på plads."),
        ("analysis", "development", anders.id, "Analysen er færdig, og tilbuddet har valgt.")]
    chosen = sorted((r for r in engagement.recommendations if r.chosen_at),
                    key=lambda r: r.recommendation.number)
    assert [(r.recommendation_id, r.baseline_score, r.chosen_by_id) for r in chosen] == [
        (catalogue[1].id, 2, sofie.id), (catalogue[4].id, 3, sofie.id)]
    task = db.session.execute(select(Task).where(Task.engagement_id == engagement.id,
                                                 Task.title == TASK)).scalar_one()
    assert task.status == TaskStatus.DONE
    assert task.completed_by_id == sofie.id and task.completed_at is not None
    plan = chosen[0].plan
    assert plan.responsible == "Sofie Sørensen" and [m.title for m in plan.methods] == [
        "Borgere, der sætter mål"]
    milestone_task = plan.milestones[0].task
    assert (milestone_task.title, milestone_task.due_date, milestone_task.owner_type,
            milestone_task.engagement_recommendation_id) == (MILESTONE, due, "provider",
                                                            chosen[0].id)
    assert engagement.agreement.agreed_by_id == anders.id
    assert engagement.agreement.contact_person == "Sofie Sørensen, 12 34 56 78"
    done = [t for t in engagement.tasks if t.status == TaskStatus.DONE]
    assert [t.title for t in done if t.completed_by_id] == [TASK]
    # The standard tasks of the gates met on the way were completed by the system.
    assert sorted(t.gate_key for t in done if t.completed_by_id is None) == [
        "agreement_agreed", "analysis_recorded", "baseline_assessed", "kickoff_held",
        "recommendations_chosen"]
