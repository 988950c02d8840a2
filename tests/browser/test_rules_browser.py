"""Issue 12 in a real browser: a § 108 botilbud sees why it cannot apply in a round for
bostøtte and almenboliger (and keeps what it typed in an old draft there), and a consultant
completing a forløb with open tasks is shown them and closes them as "Ikke relevant". Every
page is checked with axe-core (WCAG 2.1 A/AA) and photographed to tests/artifacts/regler-*."""

from __future__ import annotations

from datetime import timedelta

import pytest
from playwright.sync_api import expect

from indsatsteam import clock
from indsatsteam.domain.applications import ApplicationStatus
from indsatsteam.extensions import db
from indsatsteam.models import FinalEvaluation, Role

from helpers import log_in

pytestmark = pytest.mark.browser

REASON = ("Runden er kun for bostøtte (§ 85) eller almenbolig med § 85-støtte, og jeres tilbud "
          "er registreret som botilbud (§ 108).")


def test_an_ineligible_tilbud_sees_why_and_loses_nothing(new_audited_page, make_user,
                                                         make_provider, make_round,
                                                         make_application):
    now = clock.now()
    provider = make_provider(name="Bostedet Åen", kind="sel108")
    user = make_user(Role.APPLICANT, name="Amira Ansøger", provider=provider)
    extra = make_round(name="Ekstra runde: bostøtte og almenboliger",
                       eligible_kinds="sel85_home,abl_sel85", opens_at=now - timedelta(days=5),
                       closes_at=now + timedelta(days=40))
    make_round(name="Vinterrunden", opens_at=now - timedelta(days=5),
               closes_at=now + timedelta(days=20))
    page, audit = new_audited_page("regler-ansoeger-")
    log_in(page, audit, user)

    page.goto("/")
    extra_card = page.locator(".card").filter(has_text="Ekstra runde")
    expect(extra_card).to_contain_text("Bostedet Åen kan ikke søge i denne runde.")
    expect(extra_card).to_contain_text(REASON)
    expect(extra_card.get_by_role("button")).to_have_count(0)
    winter_card = page.locator(".card").filter(has_text="Vinterrunden")
    expect(winter_card.get_by_role("button", name="Start ansøgning")).to_be_visible()
    audit.check("forside")

    # A draft from before: the step says so at once, and what is typed is kept.
    draft = make_application(extra, provider, status=ApplicationStatus.DRAFT)
    page.goto(f"/ansoegninger/{draft.id}/trin/4")
    expect(page.locator("main .alert-error")).to_contain_text(REASON)
    audit.check("trin-advarsel")
    motivation = page.get_by_label("Hvorfor søger I om et rådgivningsforløb?")
    motivation.fill("Vi vil styrke recovery i hele huset.")
    audit.allow_console("status of 400")  # the refused step answers 400
    page.get_by_role("button", name="Gem og fortsæt").click()
    summary = page.locator(".alert-error").filter(has_text="Der er problemer")
    expect(summary).to_contain_text(
        f"Bostedet Åen kan ikke søge i Ekstra runde: bostøtte og almenboliger. {REASON}")
    expect(summary).to_contain_text("Jeres svar er gemt som kladde.")
    expect(page.get_by_label("Hvorfor søger I om et rådgivningsforløb?")).to_have_value(
        "Vi vil styrke recovery i hele huset.")
    audit.check("trin-afvist")
    db.session.refresh(draft)
    assert draft.motivation == "Vi vil styrke recovery i hele huset."
    assert draft.status == ApplicationStatus.DRAFT
    audit.assert_clean()


def test_completing_with_open_tasks_asks_to_close_them(new_audited_page, make_user,
                                                       make_provider, make_round,
                                                       make_engagement):
    now = clock.now()
    round_ = make_round(opens_at=now - timedelta(days=300), closes_at=now - timedelta(days=250))
    provider = make_provider(name="Botilbuddet Kastanjen", kind="sel108")
    lead = make_user(Role.CONSULTANT, name="Anders Andersen")
    engagement = make_engagement(provider=provider, round_=round_, lead=lead,
                                 planned_start=clock.today(), months=4, phase="development")
    engagement.final_evaluation = FinalEvaluation(summary="Godt forløb", achievements="Mål",
                                                  completed_at=now, completed_by_id=lead.id)
    db.session.commit()
    open_titles = [t.title for t in engagement.tasks if t.status == "not_started"]
    assert open_titles

    page, audit = new_audited_page("regler-konsulent-")
    log_in(page, audit, lead)
    page.goto(f"/forloeb/{engagement.id}")
    audit.check("forloeb")
    page.get_by_label("Ny fase").select_option(label="Afsluttet")
    page.get_by_role("button", name="Skift fase").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Afslut forløbet med åbne opgaver?")
    table = page.get_by_role("table", name="Åbne opgaver i forløbet")
    for title in open_titles:
        expect(table).to_contain_text(title)
    audit.check("bekraeft-afslutning")

    # Going back changes nothing.
    page.get_by_role("link", name="Gå tilbage til forløbet").click()
    expect(page.get_by_label("Ny fase")).to_be_visible()
    db.session.refresh(engagement)
    assert engagement.phase == "development"
    audit.check("tilbage")

    page.get_by_label("Ny fase").select_option(label="Afsluttet")
    page.get_by_label("Kommentar").fill("Forløbet er slut.")
    page.get_by_role("button", name="Skift fase").click()
    page.get_by_role("button", name="Luk opgaverne som ikke relevante og afslut forløbet").click()
    expect(page.locator("main .alert-success")).to_contain_text(
        "Forløbet er nu i fasen Afsluttet.")
    expect(page.locator("main")).to_contain_text("Lukket som ikke relevant:")
    expect(page.locator("main")).to_contain_text("Ikke relevant")
    audit.check("afsluttet")
    db.session.refresh(engagement)
    assert engagement.phase == "completed"
    assert {t.status for t in engagement.tasks} <= {"done", "not_relevant"}
    audit.assert_clean()
