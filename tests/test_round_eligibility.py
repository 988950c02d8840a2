"""Round eligibility (issue 12): the admin sets who may apply; the front page shows each
tilbud the rounds it may apply in and why not the others; the server refuses start, every
step and submit for an ineligible tilbud, and keeps what was typed."""

from __future__ import annotations

import html

import pytest
from sqlalchemy import select

from indsatsteam import clock
from indsatsteam.domain.applications import ApplicationStatus
from indsatsteam.extensions import db
from indsatsteam.models import Application, ApplicationRound, Role

from helpers import aware, field_error, text_of

NOW = aware(2026, 11, 20, 9, 0)
REASON = ("Runden er kun for bostøtte (§ 85) eller almenbolig med § 85-støtte, og jeres tilbud "
          "er registreret som botilbud (§ 108).")


@pytest.fixture
def case(client, login, make_user, make_provider, make_round):
    clock.freeze(NOW)
    botilbud = make_provider(name="Bostedet Lyngen", kind="sel108")
    user = make_user(Role.APPLICANT, provider=botilbud)
    extra = make_round(name="Ekstra runde", eligible_kinds="sel85_home,abl_sel85",
                       opens_at=aware(2026, 11, 1, 7, 0), closes_at=aware(2026, 12, 20, 11, 0))
    everyone = make_round(name="Vinterrunden", opens_at=aware(2026, 11, 1, 7, 0),
                          closes_at=aware(2026, 12, 20, 11, 0))
    login(client, user)
    client.get("/")
    return dict(botilbud=botilbud, user=user, extra=extra, everyone=everyone)


def _page(response) -> str:
    return html.unescape(text_of(response))


def test_front_page_offers_only_eligible_rounds_and_explains_the_others(client, case):
    page = _page(client.get("/"))
    assert f"Bostedet Lyngen kan ikke søge i denne runde. {REASON}" in page
    assert "Kan søges af: bostøtte (§ 85) eller almenbolig med § 85-støtte." in page
    body = client.get("/").get_data(as_text=True)
    assert f'/runder/{case["everyone"].id}/ansoeg' in body
    assert f'/runder/{case["extra"].id}/ansoeg' not in body


def test_starting_in_an_ineligible_round_is_refused(client, post, case):
    response = post(client, f"/runder/{case['extra'].id}/ansoeg",
                    {"provider_id": str(case["botilbud"].id)})
    assert response.status_code == 302
    page = _page(client.get(response.headers["Location"]))
    assert f"Bostedet Lyngen kan ikke søge i Ekstra runde. {REASON}" in page
    assert db.session.execute(select(Application)).first() is None


def test_an_eligible_tilbud_starts_in_the_restricted_round(client, post, login, make_user,
                                                           make_provider, case):
    bostotte = make_provider(name="Støtten", kind="sel85_home")
    other = client.application.test_client()
    login(other, make_user(Role.APPLICANT, provider=bostotte))
    response = post(other, f"/runder/{case['extra'].id}/ansoeg",
                    {"provider_id": str(bostotte.id)})
    assert "/trin/1" in response.headers["Location"]


@pytest.fixture
def ineligible_draft(case, make_application):
    """A draft started before the tilbud's kind was changed: it is now ineligible."""
    return make_application(case["extra"], case["botilbud"])


def test_every_step_refuses_to_go_on_but_keeps_what_was_typed(client, post, case,
                                                              ineligible_draft):
    url = f"/ansoegninger/{ineligible_draft.id}/trin/4"
    assert "kan ikke søge i denne runde" in _page(client.get(url))
    response = post(client, url, {"motivation": "Vi vil lære nyt", "challenges": "Tid",
                                  "hoped_outcomes": "Bedre praksis"})
    assert response.status_code == 400
    page = _page(response)
    assert f"Bostedet Lyngen kan ikke søge i Ekstra runde. {REASON}" in page
    assert "Jeres svar er gemt som kladde" in page
    assert "Vi vil lære nyt" in page  # shown again in the form
    db.session.refresh(ineligible_draft)
    assert ineligible_draft.motivation == "Vi vil lære nyt"  # and kept in the draft


def test_submit_is_refused_and_the_check_page_says_why(client, post, case, ineligible_draft):
    page = _page(client.get(f"/ansoegninger/{ineligible_draft.id}/tjek"))
    assert REASON in page and "Indsend ansøgning" not in page
    response = post(client, f"/ansoegninger/{ineligible_draft.id}/indsend")
    assert response.status_code == 302
    assert REASON in _page(client.get(response.headers["Location"]))
    db.session.refresh(ineligible_draft)
    assert ineligible_draft.status == ApplicationStatus.DRAFT
    assert ineligible_draft.reference is None


# --- the admin sets it --------------------------------------------------------------------------

@pytest.fixture
def admin_client(app, login, make_user):
    clock.freeze(NOW)
    client = app.test_client()
    login(client, make_user(Role.ADMIN))
    return client


ROUND = {"name": "Forår 2027", "description": "", "opens_at": "2027-01-05T08:00",
         "closes_at": "2027-02-27T12:00", "programmes_offered": "4"}


def test_admin_creates_a_round_for_some_kinds_owner_types_and_regions(post, admin_client):
    form = admin_client.get("/admin/runder/ny").get_data(as_text=True)
    for kind in ("sel85_home", "sel107", "sel108", "abl_sel85"):
        assert f'value="{kind}" checked' in form  # default: every kind
    response = post(admin_client, "/admin/runder/ny", {
        **ROUND, "eligible_kinds": ["sel85_home", "abl_sel85"],
        "eligible_owner_types": ["kommune"], "eligible_regions": ["Region Syddanmark"]})
    assert response.status_code == 302, text_of(response)
    round_ = db.session.execute(select(ApplicationRound)).scalar_one()
    assert (round_.eligible_kinds, round_.eligible_owner_types, round_.eligible_regions) == (
        "abl_sel85,sel85_home", "kommune", "Region Syddanmark")
    page = _page(admin_client.get(f"/admin/runder/{round_.id}"))
    assert "Region Syddanmark" in page


def test_admin_must_let_some_kind_apply(post, admin_client):
    response = post(admin_client, "/admin/runder/ny", ROUND)
    assert response.status_code == 400
    assert field_error(response, "eligible_kinds") == "Vælg mindst én type tilbud, der kan søge"
    assert db.session.execute(select(ApplicationRound)).first() is None


def test_all_kinds_chosen_is_stored_as_no_restriction(post, admin_client):
    post(admin_client, "/admin/runder/ny", {
        **ROUND, "eligible_kinds": ["sel85_home", "sel107", "sel108", "abl_sel85"]})
    round_ = db.session.execute(select(ApplicationRound)).scalar_one()
    assert round_.eligible_kinds == "" and not round_.rules.restricted
