"""The applicant's journey in a real browser: register, confirm the e-mail, log in, register
the tilbud, fill the four steps (step 2 first with errors), check the answers, submit and
see the receipt. Every page is checked with axe-core (WCAG 2.1 A/AA) and photographed."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from playwright.sync_api import expect

from indsatsteam import clock, mail
from indsatsteam.domain.applications import desired_start_bounds
from indsatsteam.domain.danish_time import format_danish_date, format_danish_datetime, utc_to_local

from helpers import PASSWORD

pytestmark = pytest.mark.browser

EMAIL = "sofie@bostedet-lyngen.dk"


def confirmation_link(live_server: str) -> str:
    body = mail.outbox[-1].get_body(("plain",)).get_content()
    match = re.search(re.escape(live_server) + r"/bekraeft-email/\S+", body)
    assert match, body
    return match.group(0)


def test_applicant_registers_fills_in_and_submits(page, audit, live_server, make_round):
    now = clock.now()
    round_ = make_round(name="Forårsrunden", opens_at=now - timedelta(days=1),
                        closes_at=now + timedelta(days=7, hours=1))
    deadline = format_danish_datetime(round_.closes_at)
    earliest_start, _ = desired_start_bounds(round_.closes_at)

    # The front page shows the open round and its deadline.
    page.goto("/")
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Søg om et gratis rådgivningsforløb")
    card = page.locator(".card", has=page.get_by_role("heading", name="Forårsrunden"))
    expect(card).to_contain_text(f"Frist: {deadline}")
    expect(card).to_contain_text("7 dage tilbage")
    audit.check("forside")

    # Register a user.
    page.get_by_role("navigation", name="Hovedmenu", exact=True).get_by_role(
        "link", name="Opret bruger", exact=True).click()
    expect(page).to_have_url(f"{live_server}/opret-bruger")
    audit.check("opret-bruger")
    page.get_by_label("Fulde navn").fill("Sofie Leder")
    page.get_by_label("E-mailadresse").fill(EMAIL)
    page.get_by_label("Adgangskode", exact=True).fill(PASSWORD)
    page.get_by_label("Gentag adgangskode").fill(PASSWORD)
    page.get_by_label("Jeg har læst privatlivspolitikken").check()
    page.get_by_role("button", name="Opret bruger").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Tjek din e-mail")
    audit.check("tjek-din-email")

    # Confirm the address with the link in the mail, then log in.
    assert mail.outbox[-1]["To"] == EMAIL
    page.goto(confirmation_link(live_server))
    expect(page).to_have_url(re.compile(r"/log-ind"))
    expect(page.get_by_text("Din e-mailadresse er bekræftet")).to_be_visible()
    audit.check("e-mail-bekraeftet")
    page.get_by_label("E-mailadresse").fill(EMAIL)
    page.get_by_label("Adgangskode").fill(PASSWORD)
    page.get_by_role("button", name="Log ind").click()
    expect(page).to_have_url(f"{live_server}/mit-tilbud/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Mit tilbud")
    audit.check("mit-tilbud-tomt")

    # Register the tilbud.
    page.get_by_role("link", name="Registrér tilbud").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Registrér jeres tilbud")
    audit.check("registrer-tilbud")
    page.get_by_label("Tilbuddets navn").fill("Bostedet Lyngen")
    page.get_by_label("CVR-nummer").fill("10000009")
    page.get_by_label("Tilbudstype").select_option("sel107")
    page.get_by_label("Ejerform").select_option("kommune")
    page.get_by_label("Kommune", exact=True).select_option(label="København")
    page.get_by_label("Adresse", exact=True).fill("Lyngvej 1")
    page.get_by_label("Postnummer").fill("2100")
    page.get_by_label("By", exact=True).fill("København Ø")
    page.get_by_label("Kontaktperson", exact=True).fill("Sofie Leder")
    page.get_by_label("Kontaktpersonens e-mailadresse").fill(EMAIL)
    page.get_by_label("Kontaktpersonens telefonnummer").fill("12 34 56 78")
    page.get_by_role("button", name="Registrér tilbud").click()
    menu = page.get_by_role("navigation", name="Hovedmenu", exact=True)
    menu.get_by_role("link", name="Mit tilbud").click()
    expect(page.get_by_role("heading", level=2, name="Bostedet Lyngen")).to_be_visible()
    expect(page.locator("main")).to_contain_text("København (Region Hovedstaden)")
    audit.check("mit-tilbud")

    # Start the application from the front page.
    menu.get_by_role("link", name="Forside").click()
    expect(page.locator("main")).to_contain_text("Forårsrunden")
    audit.check("forside-logget-ind")
    page.get_by_role("button", name="Start ansøgning").click()
    expect(page).to_have_url(re.compile(r"/ansoegninger/\d+/trin/1$"))
    expect(page.get_by_text("Trin 1 af 5")).to_be_visible()

    # Step 1: the contact is prefilled from the tilbud.
    expect(page.get_by_label("Kontaktperson for ansøgningen")).to_have_value("Sofie Leder")
    expect(page.get_by_label("Kontaktpersonens e-mailadresse")).to_have_value(EMAIL)
    audit.check("trin-1-kontakt")
    page.get_by_role("button", name="Gem og fortsæt").click()

    # Step 2, first with errors: no theme, and a start before the deadline.
    expect(page.get_by_text("Trin 2 af 5")).to_be_visible()
    audit.check("trin-2-program")
    too_early = utc_to_local(now).date()
    page.get_by_label("Ønsket varighed").select_option(label="8 måneder")
    page.get_by_label("Ønsket start").fill(too_early.isoformat())
    audit.allow_console(r"status of 400")  # the form page answers 400 Bad Request
    page.get_by_role("button", name="Gem og fortsæt").click()

    summary = page.locator(".error-summary")
    expect(summary.get_by_role("heading", name="Der er problemer")).to_be_visible()
    expect(summary).to_be_focused()
    theme_link = summary.get_by_role("link", name="Vælg mindst ét tema")
    start_link = summary.get_by_role(
        "link", name=f"Forløbet kan tidligst starte {format_danish_date(earliest_start)}")
    expect(theme_link).to_have_attribute("href", "#themes-0")
    expect(start_link).to_have_attribute("href", "#desired_start")
    # The typed values survived the round trip.
    expect(page.get_by_label("Ønsket varighed")).to_have_value("8")
    expect(page.get_by_label("Ønsket start")).to_have_value(too_early.isoformat())
    # Each message sits above its field and is tied to it.
    groups = page.locator(".form-group.form-error")
    expect(groups).to_have_count(2)
    for group, control in ((groups.nth(0), "#themes-0"), (groups.nth(1), "#desired_start")):
        message = group.locator(".form-error-message")
        assert message.bounding_box()["y"] + message.bounding_box()["height"] <= (
            group.locator(control).bounding_box()["y"]), f"fejlen står ikke over {control}"
    expect(page.locator("#desired_start")).to_have_attribute("aria-invalid", "true")
    expect(page.locator("#desired_start")).to_have_attribute(
        "aria-describedby", re.compile(r"\bdesired_start-error\b"))
    audit.check("trin-2-fejl")
    start_link.click()
    expect(page.locator("#desired_start")).to_be_focused()

    # Correct step 2.
    page.get_by_label("Ledelse og organisation").check()
    page.get_by_label("Sundhed", exact=True).check()
    start = earliest_start + timedelta(days=30)
    page.get_by_label("Ønsket start").fill(start.isoformat())
    page.get_by_role("button", name="Gem og fortsæt").click()

    # Step 3: resources.
    expect(page.get_by_text("Trin 3 af 5")).to_be_visible()
    audit.check("trin-3-ressourcer")
    page.get_by_label("Hvem kan deltage i forløbet?").fill("Leder og 6 medarbejdere")
    page.get_by_label("Antal deltagere fra tilbuddet").fill("7")
    page.get_by_label("Timer om måneden, tilbuddet kan afsætte i alt").fill("12")
    page.get_by_label("Hvordan er forløbet forankret i ledelsen?").fill("Forstanderen")
    page.get_by_role("button", name="Gem og fortsæt").click()

    # Step 4: motivation.
    expect(page.get_by_text("Trin 4 af 5")).to_be_visible()
    audit.check("trin-4-motivation")
    page.get_by_label("Hvorfor søger I om et rådgivningsforløb?").fill("Recovery i praksis")
    page.get_by_label("Hvilke udfordringer står I med i dag?").fill("Mål og opfølgning")
    page.get_by_label("Hvad håber I at opnå med forløbet?").fill("En fælles faglig tilgang")
    page.get_by_role("button", name="Gem og fortsæt").click()

    # Check the answers.
    expect(page.get_by_role("heading", level=1)).to_have_text("Tjek dine svar")
    main = page.locator("main")
    for answer in ("Sofie Leder", "Ledelse og organisation, Sundhed", "8 måneder",
                   format_danish_date(start), "Leder og 6 medarbejdere", "Forstanderen",
                   "Recovery i praksis", "En fælles faglig tilgang"):
        expect(main).to_contain_text(answer)
    expect(main).to_contain_text(deadline)
    audit.check("tjek-dine-svar")

    # Submit and see the receipt.
    page.get_by_role("button", name="Indsend ansøgning").click()
    expect(page).to_have_url(re.compile(r"/ansoegninger/\d+/kvittering$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Kvittering")
    reference = page.get_by_role("row", name=re.compile("Referencenummer")).get_by_role("cell")
    expect(reference).to_have_text(re.compile(r"^IT-\d{4}-\d{4}$"))
    expect(page.locator(".alert-success")).to_contain_text(reference.inner_text())
    expect(main).to_contain_text("Bostedet Lyngen")
    audit.check("kvittering")
    assert mail.outbox[-1]["Subject"] == f"Kvittering for ansøgning {reference.inner_text()}"
    assert f"{live_server}/ansoegninger/" in mail.outbox[-1].get_body(("plain",)).get_content()

    audit.assert_clean()
