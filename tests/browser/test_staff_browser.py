"""The staff side in a real browser: a consultant logs in, opens the list of applications
and one submitted application. Every page is checked with axe-core and photographed."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from playwright.sync_api import expect

from indsatsteam import clock
from indsatsteam.domain.applications import ApplicationStatus
from indsatsteam.models import Role

from helpers import PASSWORD

pytestmark = pytest.mark.browser


def test_consultant_opens_the_list_and_an_application(page, audit, live_server, make_user,
                                                      make_provider, make_round,
                                                      make_application):
    audit.prefix = "sagsbehandler-"
    now = clock.now()
    round_ = make_round(name="Efterårsrunden", opens_at=now - timedelta(days=30),
                        closes_at=now - timedelta(days=1))
    lyngen = make_provider(name="Bostedet Lyngen", kind="sel107", municipality_code="101")
    aaen = make_provider(name="Bostøtten ved Åen", kind="sel85_home")
    submitted = make_application(round_, lyngen, status=ApplicationStatus.SUBMITTED)
    make_application(round_, aaen, status=ApplicationStatus.SUBMITTED)
    make_application(round_, make_provider(name="Kladdehuset"))  # a draft: not in the list
    consultant = make_user(Role.CONSULTANT, email="konsulent@indsatsteam.example.dk",
                           name="Karin Konsulent")

    page.goto("/log-ind")
    audit.check("log-ind")
    page.get_by_label("E-mailadresse").fill(consultant.email)
    page.get_by_label("Adgangskode").fill(PASSWORD)
    page.get_by_role("button", name="Log ind").click()
    expect(page.locator(".portal-user")).to_contain_text("Karin Konsulent")
    audit.check("efter-log-ind")

    page.get_by_role("navigation", name="Hovedmenu", exact=True).get_by_role(
        "link", name="Ansøgninger").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Ansøgninger")
    table = page.get_by_role("table").filter(has=page.get_by_role("link", name=re.compile("IT-")))
    expect(table).to_contain_text("Bostedet Lyngen")
    expect(table).to_contain_text("Bostøtten ved Åen")
    expect(table).not_to_contain_text("Kladdehuset")
    audit.check("ansoegninger")

    page.get_by_role("link", name=submitted.reference, exact=True).click()
    expect(page).to_have_url(f"{live_server}/sagsbehandling/ansoegninger/{submitted.id}")
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Ansøgning {submitted.reference}")
    main = page.locator("main")
    expect(main).to_contain_text("Bostedet Lyngen")
    expect(main).to_contain_text("Efterårsrunden")
    expect(main).to_contain_text("Indsendt")
    audit.check("ansoegning")

    audit.assert_clean()
