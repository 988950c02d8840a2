"""Administration in a real browser: the admin invites a consultant, who sets a password and
logs in; the admin edits a recommendation catalogue, a running forløb keeps the wording it
started with and a new forløb gets the new version. Every page is checked with axe-core."""

from __future__ import annotations

import re
from datetime import date

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from indsatsteam import mail
from indsatsteam.extensions import db
from indsatsteam.models import Role, User

from helpers import log_in

pytestmark = pytest.mark.browser

OLD = "Se borgeren som ekspert i eget liv"
NEW = "Se borgeren som ekspert i sit eget liv – og spørg først"



def test_admin_invites_a_consultant_who_sets_a_password_and_logs_in(
        new_audited_page, live_server, make_user):
    admin = make_user(Role.ADMIN, name="Anna Administrator")
    page, audit = new_audited_page("invitation-")
    log_in(page, audit, admin)
    page.goto("/admin/")
    page.get_by_role("link", name="Brugere", exact=True).click()
    audit.check("brugere")
    page.goto("/admin/brugere/inviter")
    audit.check("inviter")
    page.get_by_role("button", name="Send invitation").click()  # empty: errors, nothing lost
    expect(page.locator(".alert-error")).to_be_visible()
    audit.check("inviter-fejl")
    page.get_by_label("Navn").fill("Bo Berg")
    page.get_by_label("E-mail").fill("bo.berg@indsatsteam.example.dk")
    page.get_by_label("Rolle").select_option("consultant")
    page.get_by_role("button", name="Send invitation").click()
    expect(page.locator("main")).to_contain_text("Bo Berg er inviteret som konsulent")
    audit.check("inviteret")

    assert mail.outbox[-1]["To"] == "bo.berg@indsatsteam.example.dk"
    body = mail.outbox[-1].get_body(("plain",)).get_content()
    link = re.search(re.escape(live_server) + r"/invitation/\S+", body)
    assert link, body

    page, audit = new_audited_page("konsulent-ny-")
    page.goto(link.group(0))
    expect(page.get_by_role("heading", level=1)).to_have_text("Vælg din adgangskode")
    audit.check("vaelg-adgangskode")
    page.get_by_label("Adgangskode", exact=True).fill("en-lang-og-god-adgangskode")
    page.get_by_label("Gentag adgangskode").fill("en-lang-og-god-adgangskode")
    page.get_by_role("button", name="Gem adgangskode").click()
    expect(page).to_have_url(re.compile(r"/log-ind"))
    audit.check("adgangskode-gemt")
    page.get_by_label("E-mailadresse").fill("bo.berg@indsatsteam.example.dk")
    page.get_by_label("Adgangskode").fill("en-lang-og-god-adgangskode")
    page.get_by_role("button", name="Log ind").click()
    expect(page.locator(".portal-user")).to_contain_text("Bo Berg")
    expect(page.get_by_role("navigation", name="Hovedmenu", exact=True)).to_contain_text(
        "Ansøgninger")
    audit.check("konsulent-logget-ind")
    db.session.expire_all()
    user = db.session.execute(select(User).filter_by(email="bo.berg@indsatsteam.example.dk")
                              ).scalar_one()
    assert user.role == "consultant" and user.email_confirmed_at is not None
    audit.assert_clean()


def test_catalogue_edit_keeps_the_running_forloeb_wording(
        new_audited_page, live_server, make_user, make_provider, make_round, make_engagement):
    admin = make_user(Role.ADMIN, name="Anna Administrator")
    consultant = make_user(Role.CONSULTANT, name="Karin Konsulent")
    round_ = make_round()
    running = make_engagement(
        provider=make_provider(name="Bostedet Lyngen", kind="sel107"), round_=round_,
        lead=consultant, manager=admin, planned_start=date(2027, 1, 4))

    page, audit = new_audited_page("admin-")
    log_in(page, audit, admin)
    page.get_by_role("navigation", name="Hovedmenu", exact=True).get_by_role(
        "link", name="Administration", exact=True).click()
    audit.check("administration")
    page.get_by_role("link", name="Ret Syv anbefalinger for kvalitet på botilbud").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Ret")
    audit.check("katalog")
    first = page.get_by_role("group", name="Anbefaling 1").get_by_label("Titel")
    expect(first).to_have_value(OLD + " og tag udgangspunkt i borgerens egne perspektiver")
    first.fill(NEW)
    page.get_by_role("button", name="Gem som ny version").click()
    audit.check("efter-gem")
    page.goto("/admin/kataloger/botilbud")
    expect(page.locator("main")).to_contain_text("Version 2")
    expect(page.locator("main")).to_contain_text("(gældende)")
    audit.check("katalog-version-2")
    audit.assert_clean()

    # A forløb started after the edit uses version 2.
    new = make_engagement(
        provider=make_provider(name="Bostedet Engen", kind="sel108"), round_=round_,
        lead=consultant, manager=admin, planned_start=date(2027, 1, 4))

    page, audit = new_audited_page("konsulent-")
    log_in(page, audit, consultant)
    page.goto(f"/forloeb/{running.id}/anbefalinger")
    main = page.locator("main")
    expect(main).to_contain_text("(version 1)")
    expect(main).to_contain_text(f"1. {OLD}")
    expect(main).not_to_contain_text(NEW)
    audit.check("kørende-forloeb")
    page.goto(f"/forloeb/{new.id}/anbefalinger")
    expect(main).to_contain_text("(version 2)")
    expect(main).to_contain_text(f"1. {NEW}")
    audit.check("nyt-forloeb")
    audit.assert_clean()


def test_the_admin_edits_the_method_library_as_a_new_version(new_audited_page, live_server,
                                                             make_user):
    admin = make_user(Role.ADMIN, name="Anna Administrator")
    page, audit = new_audited_page("metoder-")
    log_in(page, audit, admin)
    page.goto("/admin/")
    page.get_by_role("link", name="Ret biblioteket over metoder og redskaber").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Ret biblioteket over metoder og redskaber")
    audit.check("bibliotek")
    entry = page.get_by_role("group", name="Metode eller redskab 1", exact=True)
    expect(entry.get_by_label("Titel")).to_have_value("Sundhedstjek")
    audit.allow_console(r"status of 400")  # the refused form answers 400
    entry.get_by_label("Links").fill("javascript:alert(1)")
    page.get_by_role("button", name="Gem som ny version").click()
    expect(page.locator(".error-summary")).to_contain_text("https://")
    audit.check("bibliotek-fejl")
    entry.get_by_label("Links").fill("https://www.vive.dk/")
    page.get_by_role("button", name="Gem som ny version").click()
    expect(page.locator("main .alert-success")).to_contain_text("version 2")
    audit.check("bibliotek-gemt")
    audit.assert_clean()


def test_the_admin_adds_and_withdraws_an_indicator_as_new_versions(new_audited_page,
                                                                  live_server, make_user):
    admin = make_user(Role.ADMIN, name="Anna Administrator")
    page, audit = new_audited_page("indikatorer-")
    log_in(page, audit, admin)
    page.goto("/admin/")
    audit.check("administration")
    page.get_by_role("link", name="Se og ret indikatorerne for effekt").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Indikatorer for effekt")
    expect(page.get_by_role("heading", name="Behov for mindre indgribende indsatser")
           ).to_be_visible()
    audit.check("katalog")
    page.get_by_role("link", name="Tilføj indikator").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Tilføj indikator")
    audit.check("ny")
    audit.allow_console(r"status of 400")  # the refused form answers 400
    page.get_by_role("button", name="Gem som ny version").click()  # empty: messages
    expect(page.locator(".error-summary")).to_contain_text("Skriv indikatorens navn")
    expect(page.locator(".error-summary")).to_contain_text("Vælg en af enhederne")
    audit.check("ny-fejl")
    page.get_by_label("Område").select_option("community")
    page.get_by_label("Navn").fill("Borgere med en frivillig aktivitet")
    page.get_by_label("Definition").fill("Andel af borgerne, der er frivillige i en forening.")
    page.get_by_label("Andel i %").check()
    page.get_by_label("Højere er bedre").check()
    page.get_by_role("button", name="Gem som ny version").click()
    expect(page.locator("main .alert-success")).to_contain_text("version 2")
    audit.check("gemt")
    page.get_by_role("button", name="Træk tilbage Dage indlagt i psykiatrien").click()
    expect(page.locator("main .alert-success")).to_contain_text("trukket tilbage i version 3")
    audit.check("trukket-tilbage")
    page.get_by_role("link", name="Version 1", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Indikatorer for effekt, version 1")
    expect(page.locator("main")).to_contain_text("Dage indlagt i psykiatrien")
    audit.check("version-1")
    audit.assert_clean()
