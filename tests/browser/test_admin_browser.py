"""Administration in a real browser: the admin edits a recommendation catalogue, a running
forløb keeps the wording it started with and a new forløb gets the new version. Every page
is checked with axe-core.

The user invitation (admin invites a consultant who sets a password) is not built yet; its
browser test belongs here when /admin/brugere/inviter exists."""

from __future__ import annotations

from datetime import date

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from indsatsteam.domain.applications import ApplicationStatus
from indsatsteam.engagements.planning import create_engagement
from indsatsteam.extensions import db
from indsatsteam.models import Role, Theme

from helpers import PASSWORD

pytestmark = pytest.mark.browser

OLD = "Se borgeren som ekspert i eget liv"
NEW = "Se borgeren som ekspert i sit eget liv – og spørg først"


def log_in(page, audit, user) -> None:
    page.goto("/log-ind")
    audit.check("log-ind")
    page.get_by_label("E-mailadresse").fill(user.email)
    page.get_by_label("Adgangskode").fill(PASSWORD)
    page.get_by_role("button", name="Log ind").click()
    expect(page.locator(".portal-user")).to_contain_text(user.name)
    audit.check("efter-log-ind")


def start_engagement(application, consultant, admin):
    theme = db.session.execute(select(Theme)).scalars().first()
    engagement = create_engagement(application, lead_consultant_id=consultant.id,
                                   second_consultant_id=None, planned_start=date(2027, 1, 4),
                                   duration_months=6, theme_ids=[theme.id], actor=admin)
    db.session.commit()
    return engagement


def test_catalogue_edit_keeps_the_running_forloeb_wording(
        new_audited_page, live_server, make_user, make_provider, make_round, make_application):
    admin = make_user(Role.ADMIN, name="Anna Administrator")
    consultant = make_user(Role.CONSULTANT, name="Karin Konsulent")
    round_ = make_round()
    running = start_engagement(
        make_application(round_, make_provider(name="Bostedet Lyngen", kind="sel107"),
                         status=ApplicationStatus.APPROVED), consultant, admin)

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
    new = start_engagement(
        make_application(round_, make_provider(name="Bostedet Engen", kind="sel108"),
                         status=ApplicationStatus.APPROVED), consultant, admin)

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
