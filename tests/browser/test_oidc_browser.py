"""Logging in through the real OpenID provider in chromium: its login page, back to the app,
the right pages for each kind of user, and RP-initiated logout. axe checks every page, the
provider's included."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from indsatsteam.models import Role

pytestmark = pytest.mark.browser


@pytest.fixture(scope="session")
def _browser_provider(_server):
    from oidc_helpers import start_provider

    holder = [start_provider([_server])]
    yield holder
    holder[0].stop()


@pytest.fixture
def oidc_live(app, live_server, _browser_provider, monkeypatch):
    _browser_provider[0] = _browser_provider[0].ensure_running()
    monkeypatch.setitem(app.config, "OIDC_PROVIDERS", _browser_provider[0].settings())
    return _browser_provider[0]


def _through_provider(page, audit, button: str, identity: str, prefix: str) -> None:
    page.goto("/log-ind")
    audit.check(f"{prefix}log-ind")
    page.get_by_role("link", name=button).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(button)
    audit.check(f"{prefix}udbyderens-login")
    page.get_by_label(identity).check()
    page.get_by_role("button", name="Log ind").click()


def test_a_tilbud_user_logs_in_with_mitid_erhverv_and_lands_on_its_tilbud(
        new_audited_page, oidc_live, make_provider):
    make_provider(name="Bostedet Lyngen", cvr="10000009")
    make_provider(name="Andet Bosted", cvr="20000007")
    page, audit = new_audited_page("mitid-")
    _through_provider(page, audit, "Log ind med MitID Erhverv (test)", "Tove Tilbud", "")
    expect(page.locator(".portal-user")).to_contain_text("Tove Tilbud")
    expect(page.locator("main")).to_contain_text("Du er logget ind som Tove Tilbud")
    audit.check("forside-efter-login")
    page.goto("/mit-tilbud/")
    expect(page.locator("main")).to_contain_text("Bostedet Lyngen")
    expect(page.locator("main")).not_to_contain_text("Andet Bosted")
    audit.check("mit-tilbud")

    page.get_by_role("button", name="Log af").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Log ud hos test-udbyderen")
    audit.check("udbyderens-log-ud")
    page.get_by_role("button", name="Log ud").click()
    expect(page.locator("main")).to_contain_text("Du er logget ud")
    audit.check("logget-ud")
    audit.assert_clean()


def test_a_first_time_cvr_registers_its_tilbud_with_the_cvr_locked(new_audited_page,
                                                                   oidc_live):
    page, audit = new_audited_page("ny-cvr-")
    _through_provider(page, audit, "Log ind med MitID Erhverv (test)",
                      "Niels Nyorganisation", "")
    expect(page.get_by_role("heading", level=1)).to_have_text("Registrér jeres tilbud")
    expect(page.locator("main")).to_contain_text(
        "Der er ikke registreret et tilbud under CVR-nummer 70000008")
    cvr = page.get_by_label("CVR-nummer")
    expect(cvr).to_have_value("70000008")
    expect(cvr).to_have_attribute("readonly", "")
    audit.check("registrer-tilbud")
    audit.assert_clean()


def test_a_too_low_assurance_level_gets_a_danish_refusal(new_audited_page, oidc_live,
                                                         make_provider):
    make_provider(cvr="10000009")
    page, audit = new_audited_page("lavt-niveau-")
    audit.allow_console(r"status of 403")
    _through_provider(page, audit, "Log ind med MitID Erhverv (test)", "Lars Lavniveau", "")
    expect(page.get_by_role("heading", level=1)).to_have_text("Du blev ikke logget ind")
    expect(page.locator("main")).to_contain_text("for lavt sikringsniveau")
    audit.check("afvist")
    audit.assert_clean()


def test_a_consultant_logs_in_through_the_staff_provider_and_sees_mit_overblik(
        new_audited_page, oidc_live, make_user):
    make_user(Role.CONSULTANT, email="konsulent@indsatsteam.example.dk", name="Karen Konsulent")
    page, audit = new_audited_page("medarbejder-")
    _through_provider(page, audit, "Log ind som medarbejder (test)", "Karen Konsulent", "")
    expect(page.locator(".portal-user")).to_contain_text("Karen Konsulent")
    audit.check("efter-login")
    page.get_by_role("link", name="Mit overblik").first.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Mit overblik")
    audit.check("mit-overblik")
    audit.assert_clean()
