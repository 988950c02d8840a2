"""The idle-timeout warning in a real browser, with the timeout shortened to seconds: the
DKFDS modal appears (axe-checked while open), "Forbliv logget ind" keeps the session, and
when time runs out the page lands on the login page with the explanation."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from indsatsteam.models import Role

from helpers import PASSWORD

pytestmark = pytest.mark.browser

IDLE_SECONDS = 12
WARNING_SECONDS = 9


@pytest.fixture
def short_timeout(app, monkeypatch):
    monkeypatch.setitem(app.config, "SESSION_IDLE_MINUTES", IDLE_SECONDS / 60)
    monkeypatch.setitem(app.config, "SESSION_WARNING_MINUTES", WARNING_SECONDS / 60)


def test_warning_keep_alive_and_expiry(page, audit, live_server, make_user, short_timeout):
    audit.prefix = "sessionstimeout-"
    consultant = make_user(Role.CONSULTANT, name="Karin Konsulent")
    page.goto("/log-ind")
    audit.check("log-ind")
    page.get_by_label("E-mailadresse").fill(consultant.email)
    page.get_by_label("Adgangskode").fill(PASSWORD)
    page.get_by_role("button", name="Log ind").click()
    expect(page.locator(".portal-user")).to_contain_text("Karin Konsulent")

    modal = page.get_by_role("dialog", name="Du bliver snart logget ud")
    expect(modal).to_be_hidden()
    audit.check("uden-advarsel")

    expect(modal).to_be_visible(timeout=(IDLE_SECONDS - WARNING_SECONDS + 3) * 1000)
    expect(modal).to_contain_text(re.compile(r"\d+ sekunder"))
    audit.check("advarsel")
    with page.expect_response("**/session/forlaeng") as keep_alive:
        modal.get_by_role("button", name="Forbliv logget ind").click()
    assert keep_alive.value.status == 204
    expect(modal).to_be_hidden()

    # Without an answer, the warning comes back and the session ends.
    expect(modal).to_be_visible(timeout=(IDLE_SECONDS + 3) * 1000)
    expect(page).to_have_url(re.compile(r"/log-ind\?next="), timeout=(IDLE_SECONDS + 5) * 1000)
    expect(page.locator("main")).to_contain_text(
        "Du er blevet logget ud, fordi du ikke har været aktiv i")
    audit.check("logget-ud")
    audit.assert_clean()


def test_unsent_fields_come_back_after_logging_in_again(page, audit, live_server, make_user,
                                                         short_timeout):
    audit.prefix = "sessionstimeout-formular-"
    admin = make_user(Role.ADMIN, name="Anna Administrator")
    page.goto("/log-ind?next=/admin/kataloger/botilbud")
    audit.check("log-ind")
    page.get_by_label("E-mailadresse").fill(admin.email)
    page.get_by_label("Adgangskode").fill(PASSWORD)
    page.get_by_role("button", name="Log ind").click()
    title = page.get_by_label("Katalogets titel")
    title.fill("Et halvt skrevet katalognavn")
    audit.check("katalog")

    expect(page).to_have_url(re.compile(r"/log-ind\?next="), timeout=(IDLE_SECONDS + 5) * 1000)
    audit.check("logget-ud")
    page.get_by_label("E-mailadresse").fill(admin.email)
    page.get_by_label("Adgangskode").fill(PASSWORD)
    page.get_by_role("button", name="Log ind").click()
    expect(page).to_have_url(f"{live_server}/admin/kataloger/botilbud")
    expect(title).to_have_value("Et halvt skrevet katalognavn")
    audit.check("katalog-igen")
    audit.assert_clean()
