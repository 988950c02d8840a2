"""The account pages of issue 18 in a real browser, each checked with axe-core: a colleague
invited to a tilbud accepts the invitation, changes the password on Min profil, and logs
out everywhere."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from indsatsteam import mail
from indsatsteam.models import Role

from helpers import PASSWORD, log_in

pytestmark = pytest.mark.browser

NEW_PASSWORD = "en-helt-ny-og-lang-kode"


def test_an_invited_colleague_joins_changes_password_and_logs_out_everywhere(
        new_audited_page, live_server, make_user, make_provider):
    provider = make_provider(name="Bostedet Lyngen")
    owner = make_user(Role.APPLICANT, name="Ole Ejer", provider=provider)
    colleague = make_user(Role.APPLICANT, name="Kim Kollega", email="kim@lyngen.dk")

    page, audit = new_audited_page("kollega-ejer-")
    log_in(page, audit, owner)
    page.goto("/mit-tilbud/")
    page.get_by_label("Kollegaens e-mailadresse").fill("kim@lyngen.dk")
    page.get_by_role("button", name="Tilføj kollega").click()
    expect(page.locator("main")).to_contain_text("Vi sender en invitation til kim@lyngen.dk")
    audit.check("invitation-sendt")
    body = mail.outbox[-1].get_body(("plain",)).get_content()
    link = re.search(re.escape(live_server) + r"/mit-tilbud/invitation/\S+", body).group(0)

    other, other_audit = new_audited_page("kollega-")
    other.goto(link)
    expect(other.get_by_role("heading", level=1)).to_have_text(
        "Invitation til Bostedet Lyngen")
    other_audit.check("invitation-log-ind-foerst")
    other.locator("main").get_by_role("link", name="Log ind", exact=True).click()
    other_audit.check("log-ind-til-invitationen")
    other.get_by_label("E-mailadresse").fill(colleague.email)
    other.get_by_label("Adgangskode").fill(PASSWORD)
    other.get_by_role("button", name="Log ind").click()
    expect(other.get_by_role("button", name="Tilknyt mig Bostedet Lyngen")).to_be_visible()
    other_audit.check("invitation-bekraeft")
    other.get_by_role("button", name="Tilknyt mig Bostedet Lyngen").click()
    expect(other.locator("main")).to_contain_text("Du er nu tilknyttet Bostedet Lyngen")
    other_audit.check("tilknyttet")

    other.goto("/min-profil")
    other_audit.check("min-profil")
    other.get_by_role("link", name="Skift adgangskode").click()
    other_audit.check("skift-adgangskode")
    other_audit.allow_console(r"status of 400")  # the refused form answers 400, as it should
    other.get_by_role("button", name="Skift adgangskode").click()  # empty: errors
    expect(other.locator(".alert-error")).to_be_visible()
    other_audit.check("skift-adgangskode-fejl")
    other.get_by_label("Nuværende adgangskode").fill(PASSWORD)
    other.get_by_label("Ny adgangskode", exact=True).fill(NEW_PASSWORD)
    other.get_by_label("Gentag ny adgangskode").fill(NEW_PASSWORD)
    other.get_by_role("button", name="Skift adgangskode").click()
    expect(other.locator("main")).to_contain_text("Din adgangskode er ændret")
    other_audit.check("adgangskode-skiftet")

    other.get_by_role("button", name="Log ud alle steder").click()
    expect(other.locator("main")).to_contain_text("Du er logget ud alle steder")
    other_audit.check("logget-ud-alle-steder")
    audit.assert_clean()
    other_audit.assert_clean()
