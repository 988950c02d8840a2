"""The applicant's application: steps that keep what was typed, the step rules, drafts, the
deadline to the second (also on a DST day), references, one application per provider and
round, the read-only view after submission, withdrawal, "Mine ansøgninger" and the front
page's deadlines."""

from __future__ import annotations

import html
import re
from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from indsatsteam import clock, mail
from indsatsteam.domain.applications import ApplicationStatus
from indsatsteam.extensions import db
from indsatsteam.models import Application, ApplicationStatusChange, Role, Theme

from helpers import aware, field_error, input_value, text_of

NOW = aware(2026, 11, 20, 9, 0)
DEADLINE = aware(2026, 11, 27, 11, 0)  # 12.00 Danish time


def textarea_value(response, field_id: str) -> str:
    match = re.search(rf'<textarea[^>]*\bid="{field_id}"[^>]*>\n?(.*?)</textarea>',
                      response.get_data(as_text=True), flags=re.S)
    assert match, f"no textarea #{field_id}"
    return html.unescape(match.group(1))


def flash_after(client, response) -> str:
    """The text of the page a redirect leads to (where its flash message is shown)."""
    assert response.status_code == 302, text_of(response)
    return html.unescape(text_of(client.get(response.headers["Location"])))


def themes() -> list[Theme]:
    return db.session.execute(select(Theme).order_by(Theme.position)).scalars().all()


@pytest.fixture
def case(client, login, make_user, make_provider, make_round):
    """A logged-in applicant of a provider, an open round with a deadline a week ahead."""
    clock.freeze(NOW)
    provider = make_provider(name="Bostedet Lyngen")
    user = make_user(Role.APPLICANT, provider=provider, name="Sofie Leder")
    round_ = make_round(name="Vinterrunden", opens_at=aware(2026, 10, 1, 6, 0),
                        closes_at=DEADLINE)
    login(client, user)
    client.get("/")  # shows the login message, so later pages show only their own
    return dict(provider=provider, user=user, round=round_)


@pytest.fixture
def draft(case, make_application):
    return make_application(case["round"], case["provider"], complete=False)


def step_url(application: Application, number: int) -> str:
    return f"/ansoegninger/{application.id}/trin/{number}"


# --- a step with errors keeps what was typed --------------------------------------------------

RESOURCES = {"participants": "Leder og 6 medarbejdere", "participant_count": "7",
             "hours_per_month": "12", "management_anchoring": "Forstanderen følger op"}


def test_step_keeps_typed_values_and_saves_the_valid_ones(client, post, draft):
    response = post(client, step_url(draft, 3), {**RESOURCES, "participant_count": "abc"})

    assert response.status_code == 400
    db.session.refresh(draft)
    assert draft.participants == "Leder og 6 medarbejdere"
    assert draft.hours_per_month == 12
    assert draft.management_anchoring == "Forstanderen følger op"
    assert draft.participant_count is None  # unreadable, so the draft keeps its old value

    assert input_value(response, "participant_count") == "abc"
    assert textarea_value(response, "participants") == "Leder og 6 medarbejdere"
    assert input_value(response, "hours_per_month") == "12"
    assert field_error(response, "participant_count") == "Indtast et helt tal"
    body = response.get_data(as_text=True)
    # The error sits above the input, and the summary links to the field.
    assert body.index('id="participant_count-error"') < body.index('id="participant_count"')
    summary = re.search(r'<div class="alert alert-error error-summary".*?</div>\s*</div>', body,
                        re.S).group(0)
    assert "Der er problemer" in summary
    assert '<a href="#participant_count">Indtast et helt tal</a>' in summary


@pytest.mark.parametrize(("step", "field_id", "typed", "message"), [
    (3, "participant_count", "99999999999999999999", "Tallet er for stort"),
    (3, "participant_count", "-5", "Indtast et antal mellem 1 og 500"),
    (3, "hours_per_month", "-99999999999999999999", "Tallet er for stort"),
    (3, "participants", "Leder\x00", "Feltet indeholder usynlige kontroltegn, som ikke kan "
                                      "gemmes. Skriv teksten igen uden dem."),
    (3, "management_anchoring", "x" * 3001, "Skriv højst 3000 tegn"),
    (1, "contact_name", "x" * 8000, "Skriv højst 200 tegn"),
    (1, "contact_email", "a@b.dk" + "x" * 8000,
     "Indtast en e-mailadresse i formatet navn@eksempel.dk"),
    (1, "contact_phone", "1" * 8000, "Indtast et telefonnummer på 8 cifre, fx 12 34 56 78"),
    (2, "duration_months", "99999999999999999999", "Vælg en af mulighederne på listen"),
    (2, "desired_start", "0001-01-01", "Vælg en dato mellem 1. januar 2000 og 31. december 2099"),
])
def test_a_refused_answer_is_shown_back_but_never_stored(client, post, complete_draft, step,
                                                         field_id, typed, message):
    """The page shows what was typed with its message; the draft keeps its previous answer
    (and the answers of the step that passed are still saved)."""
    before = getattr(complete_draft, field_id)
    data = {1: {"contact_name": "Ny Kontakt", "contact_email": "ny@lyngen.dk",
                "contact_phone": "87654321"},
            2: {"themes": [t.id for t in complete_draft.themes], "duration_months": "9",
                "desired_start": complete_draft.desired_start.isoformat()},
            3: {**RESOURCES}}[step]
    response = post(client, step_url(complete_draft, step), {**data, field_id: typed})

    assert response.status_code == 400
    assert field_error(response, field_id) == message
    db.session.expire_all()
    assert getattr(complete_draft, field_id) == before
    kept = next(k for k in data if k not in (field_id, "themes"))
    assert str(getattr(complete_draft, kept)) == str(data[kept])


@pytest.mark.parametrize(("changes", "field_id", "message"), [
    ({"participant_count": ""}, "participant_count", "Indtast antal deltagere som et helt tal"),
    ({"participant_count": "0"}, "participant_count", "Indtast et antal mellem 1 og 500"),
    ({"hours_per_month": "2001"}, "hours_per_month", "Indtast et antal timer mellem 1 og 2000"),
    ({"participants": "   "}, "participants", "Beskriv hvem der kan deltage i forløbet"),
    ({"management_anchoring": "x" * 3001}, "management_anchoring", "Skriv højst 3000 tegn"),
])
def test_step_three_rules(client, post, draft, changes, field_id, message):
    response = post(client, step_url(draft, 3), {**RESOURCES, **changes})
    assert response.status_code == 400
    assert field_error(response, field_id) == message
    assert f'<a href="#{field_id}">{message}</a>' in response.get_data(as_text=True)


def test_a_valid_step_moves_on_and_stores_every_answer(client, post, draft):
    response = post(client, step_url(draft, 3), RESOURCES)
    assert response.headers["Location"] == step_url(draft, 4)
    db.session.refresh(draft)
    assert (draft.participant_count, draft.hours_per_month, draft.current_step) == (7, 12, 3)
    page = client.get(step_url(draft, 3))
    assert input_value(page, "participant_count") == "7"


# --- step 2: themes, duration and start -------------------------------------------------------

def programme(**changes) -> dict:
    data = {"themes": [str(themes()[0].id), str(themes()[3].id)], "duration_months": "8",
            "desired_start": "2027-01-04"}
    data.update(changes)
    return {k: v for k, v in data.items() if v is not None}


def test_step_two_needs_a_theme(client, post, draft):
    response = post(client, step_url(draft, 2), programme(themes=None))
    assert response.status_code == 400
    assert field_error(response, "themes") == "Vælg mindst ét tema"
    assert '<a href="#themes-0">Vælg mindst ét tema</a>' in response.get_data(as_text=True)
    # The other answers were kept.
    db.session.refresh(draft)
    assert (draft.duration_months, draft.desired_start) == (8, date(2027, 1, 4))


def test_step_two_keeps_the_ticked_themes_on_error(client, post, draft):
    response = post(client, step_url(draft, 2), programme(desired_start="2026-01-01"))
    body = response.get_data(as_text=True)
    ticked = re.findall(r'<input type="checkbox" id="(themes-\d+)"[^>]*\bchecked', body)
    assert ticked == ["themes-0", "themes-3"]


@pytest.mark.parametrize("months", ["3", "13", "0", "abc"])
def test_step_two_refuses_a_duration_outside_4_to_12_months(client, post, draft, months):
    response = post(client, step_url(draft, 2), programme(duration_months=months))
    assert response.status_code == 400
    assert field_error(response, "duration_months") == "Vælg en af mulighederne på listen"
    options = re.findall(r'<option value="(\d+)"', response.get_data(as_text=True))
    assert options == [str(m) for m in range(4, 13)]


@pytest.mark.parametrize("months", ["4", "12"])
def test_step_two_takes_4_and_12_months(client, post, draft, months):
    response = post(client, step_url(draft, 2), programme(duration_months=months))
    assert response.headers["Location"] == step_url(draft, 3)
    db.session.refresh(draft)
    assert draft.duration_months == int(months)


@pytest.mark.parametrize(("start", "message"), [
    ("2026-11-26", "Forløbet kan tidligst starte 27. november 2026"),
    ("2026-01-15", "Forløbet kan tidligst starte 27. november 2026"),
    ("2027-11-28", "Forløbet kan senest starte 27. november 2027"),
    ("2026-13-01", "Indtast en gyldig dato"),
    ("", "Indtast en gyldig dato for ønsket start"),
])
def test_step_two_refuses_a_start_outside_the_window(client, post, draft, start, message):
    response = post(client, step_url(draft, 2), programme(desired_start=start))
    assert response.status_code == 400
    assert field_error(response, "desired_start") == message
    assert input_value(response, "desired_start") == start


@pytest.mark.parametrize("start", ["2026-11-27", "2027-11-27"])
def test_step_two_takes_the_first_and_last_allowed_day(client, post, draft, start):
    response = post(client, step_url(draft, 2), programme(desired_start=start))
    assert response.headers["Location"] == step_url(draft, 3)


def test_the_window_starts_on_the_deadlines_danish_date(client, post, login, make_user,
                                                        make_provider, make_round,
                                                        make_application):
    """A deadline at 23.30 UTC is already the next day in Denmark."""
    clock.freeze(NOW)
    provider = make_provider()
    round_ = make_round(closes_at=aware(2026, 11, 27, 23, 30))
    application = make_application(round_, provider, complete=False)
    login(client, make_user(Role.APPLICANT, provider=provider))
    response = post(client, step_url(application, 2), programme(desired_start="2026-11-27"))
    assert field_error(response, "desired_start") == (
        "Forløbet kan tidligst starte 28. november 2026")
    assert "Tidligst 28. november 2026 og senest 28. november 2027." in text_of(
        client.get(step_url(application, 2)))


# --- saving a draft ---------------------------------------------------------------------------

def test_save_draft_stays_on_the_step_with_a_message(client, post, draft):
    clock.freeze(aware(2026, 11, 20, 13, 5))  # 14.05 Danish time
    response = post(client, step_url(draft, 1), {
        "contact_name": "Kim Kontakt", "contact_email": "kim@lyngen.dk",
        "contact_phone": "12 34 56 78", "action": "save"})
    assert response.headers["Location"] == step_url(draft, 1)
    page = flash_after(client, response)
    assert ("Kladden er gemt kl. 14.05. Du kan fortsætte senere fra \"Mine ansøgninger\"."
            in page)
    db.session.refresh(draft)
    assert (draft.contact_name, draft.contact_phone) == ("Kim Kontakt", "12 34 56 78")


def test_save_draft_of_a_half_filled_step_demands_nothing(client, post, draft):
    """Empty fields are fine in a draft: no "Der er problemer", just the saved time."""
    response = post(client, step_url(draft, 4), {
        "motivation": "Vi vil arbejde recoveryorienteret", "challenges": "",
        "hoped_outcomes": "", "action": "save"})
    assert response.headers["Location"] == step_url(draft, 4)
    page = flash_after(client, response)
    assert "Kladden er gemt kl. 10.00" in page
    assert "Der er problemer" not in page
    db.session.refresh(draft)
    assert draft.motivation == "Vi vil arbejde recoveryorienteret"
    assert draft.current_step >= 4


def test_save_draft_points_out_only_what_cannot_be_kept(client, post, draft):
    """Letters in a number are not stored; the rest is, and the typed text stays visible."""
    response = post(client, step_url(draft, 3), {
        "participants": "Leder og fire medarbejdere", "participant_count": "fem",
        "hours_per_month": "", "management_anchoring": "", "action": "save"})
    assert response.status_code == 400
    page = html.unescape(text_of(response))
    assert "Kladden er gemt kl. 10.00, undtagen de felter, der er markeret med en fejl." in page
    assert field_error(response, "participant_count") == "Indtast et helt tal"
    assert field_error(response, "hours_per_month") is None
    assert input_value(response, "participant_count") == "fem"
    db.session.refresh(draft)
    assert draft.participants == "Leder og fire medarbejdere"
    assert draft.participant_count is None


def test_save_draft_does_not_store_an_overlong_value(client, post, draft):
    response = post(client, step_url(draft, 1), {
        "contact_name": "x" * 201, "contact_email": "", "contact_phone": "", "action": "save"})
    assert response.status_code == 400
    assert field_error(response, "contact_name") == "Skriv højst 200 tegn"
    assert input_value(response, "contact_name") == "x" * 201
    db.session.refresh(draft)
    assert draft.contact_name != "x" * 201


def test_an_unknown_step_is_404(client, draft):
    assert client.get(step_url(draft, 5)).status_code == 404
    assert client.get(step_url(draft, 0)).status_code == 404


# --- the deadline, to the second --------------------------------------------------------------

@pytest.fixture
def complete_draft(case, make_application):
    return make_application(case["round"], case["provider"])


def submit(client, post, application):
    return post(client, f"/ansoegninger/{application.id}/indsend")


@pytest.mark.parametrize("offset", [0, 1, 3600])
def test_submitting_at_or_after_the_deadline_is_refused(client, post, complete_draft, offset):
    answers = (complete_draft.motivation, complete_draft.participants,
               complete_draft.duration_months, [t.id for t in complete_draft.themes])
    clock.freeze(DEADLINE + timedelta(seconds=offset))

    response = submit(client, post, complete_draft)
    assert response.headers["Location"] == f"/ansoegninger/{complete_draft.id}/tjek"
    assert ("Ansøgningsfristen udløb 27. november 2026 kl. 12.00. Ansøgningen kan ikke længere "
            "indsendes, men din kladde er gemt.") in flash_after(client, response)
    db.session.expire_all()
    application = db.session.get(Application, complete_draft.id)
    assert application.status == ApplicationStatus.DRAFT
    assert application.reference is None and application.submitted_at is None
    assert (application.motivation, application.participants, application.duration_months,
            [t.id for t in application.themes]) == answers
    assert mail.outbox == []


def test_submitting_one_second_before_the_deadline_works(client, post, case, complete_draft):
    clock.freeze(DEADLINE - timedelta(seconds=1))
    response = submit(client, post, complete_draft)
    assert response.headers["Location"] == f"/ansoegninger/{complete_draft.id}/kvittering"
    db.session.refresh(complete_draft)
    assert complete_draft.status == ApplicationStatus.SUBMITTED
    assert complete_draft.reference == "IT-2026-0001"
    assert complete_draft.submitted_at == DEADLINE - timedelta(seconds=1)
    receipt = text_of(client.get(response.headers["Location"]))
    assert "IT-2026-0001" in receipt and "27. november 2026 kl. 11.59" in receipt
    change = complete_draft.status_changes[0]
    assert (change.from_status, change.to_status, change.actor_id) == (
        "draft", "submitted", case["user"].id)


def test_references_are_sequential(client, post, login, case, complete_draft, make_user,
                                   make_provider, make_application):
    assert submit(client, post, complete_draft).status_code == 302
    provider = make_provider(name="Bostøtten Syd")
    second = make_application(case["round"], provider)
    other_client = client.application.test_client()
    login(other_client, make_user(Role.APPLICANT, provider=provider))
    assert submit(other_client, post, second).status_code == 302

    db.session.expire_all()
    assert db.session.get(Application, complete_draft.id).reference == "IT-2026-0001"
    assert db.session.get(Application, second.id).reference == "IT-2026-0002"


@pytest.mark.parametrize(("at", "submitted"), [
    (aware(2026, 10, 25, 10, 59, 59), True),
    (aware(2026, 10, 25, 11, 0, 0), False),
])
def test_deadline_on_the_day_summer_time_ends(client, post, login, make_user, make_provider,
                                              make_round, make_application, at, submitted):
    """Denmark leaves summer time on 25 October 2026 at 03.00; a deadline at 12.00 that day
    is 11.00 UTC (not 10.00)."""
    clock.freeze(aware(2026, 10, 20, 9, 0))
    provider = make_provider()
    round_ = make_round(opens_at=aware(2026, 9, 1, 6, 0), closes_at=aware(2026, 10, 25, 11, 0))
    application = make_application(round_, provider)
    login(client, make_user(Role.APPLICANT, provider=provider))
    assert "Frist: 25. oktober 2026 kl. 12.00" in text_of(client.get("/"))

    clock.freeze(at)
    response = submit(client, post, application)
    db.session.refresh(application)
    if submitted:
        assert application.status == ApplicationStatus.SUBMITTED
        assert "25. oktober 2026 kl. 11.59" in flash_after(client, response)
    else:
        assert application.status == ApplicationStatus.DRAFT
        assert "Ansøgningsfristen udløb 25. oktober 2026 kl. 12.00" in flash_after(
            client, response)


def test_submitting_before_the_round_opens_is_refused(client, post, login, make_user,
                                                      make_provider, make_round,
                                                      make_application):
    clock.freeze(aware(2026, 8, 1, 9, 0))
    provider = make_provider()
    round_ = make_round(opens_at=aware(2026, 9, 1, 6, 0), closes_at=DEADLINE)
    application = make_application(round_, provider)
    login(client, make_user(Role.APPLICANT, provider=provider))
    response = submit(client, post, application)
    assert "Ansøgningsrunden er ikke åben endnu. Den åbner 1. september 2026 kl. 08.00." in (
        flash_after(client, response))
    db.session.refresh(application)
    assert application.status == ApplicationStatus.DRAFT


def test_an_incomplete_application_names_the_missing_steps(client, post, complete_draft):
    complete_draft.motivation = ""
    complete_draft.hours_per_month = None
    db.session.commit()

    check = text_of(client.get(f"/ansoegninger/{complete_draft.id}/tjek"))
    assert "Ansøgningen er ikke færdig" in check
    assert "Trin 3: Ressourcer" in check and "Trin 4: Motivation" in check

    response = submit(client, post, complete_draft)
    assert ("Ansøgningen er ikke færdig. Udfyld trin 3 (ressourcer), trin 4 (motivation), før "
            "du indsender.") in flash_after(client, response)
    db.session.refresh(complete_draft)
    assert complete_draft.status == ApplicationStatus.DRAFT
    assert complete_draft.reference is None


def test_submit_needs_the_csrf_token(client, complete_draft):
    response = client.post(f"/ansoegninger/{complete_draft.id}/indsend")
    assert response.status_code == 400
    db.session.refresh(complete_draft)
    assert complete_draft.status == ApplicationStatus.DRAFT


# --- one application per provider and round ---------------------------------------------------

def count_applications() -> int:
    return db.session.execute(select(func.count()).select_from(Application)).scalar_one()


def test_starting_twice_returns_the_same_application(app, client, post, login, case, make_user):
    url = f"/runder/{case['round'].id}/ansoeg"
    first = post(client, url, {"provider_id": case["provider"].id})
    second = post(client, url, {"provider_id": case["provider"].id})
    assert first.headers["Location"] == second.headers["Location"]
    application = db.session.execute(select(Application)).scalar_one()
    assert first.headers["Location"] == step_url(application, 1)

    colleague = app.test_client()
    login(colleague, make_user(Role.APPLICANT, provider=case["provider"]))
    third = post(colleague, url, {"provider_id": case["provider"].id})
    assert third.headers["Location"] == step_url(application, 1)
    assert count_applications() == 1
    history = application.status_changes
    assert [(c.to_status, c.comment) for c in history] == [("draft", "Kladde oprettet")]


def test_the_draft_is_prefilled_with_the_providers_contact(client, post, case):
    post(client, f"/runder/{case['round'].id}/ansoeg", {"provider_id": case["provider"].id})
    application = db.session.execute(select(Application)).scalar_one()
    page = client.get(step_url(application, 1))
    assert input_value(page, "contact_name") == case["provider"].contact_name
    assert input_value(page, "contact_email") == case["provider"].contact_email


def test_starting_when_submitted_leads_to_the_application(client, post, case, make_application):
    application = make_application(case["round"], case["provider"],
                                   status=ApplicationStatus.SUBMITTED)
    response = post(client, f"/runder/{case['round'].id}/ansoeg",
                    {"provider_id": case["provider"].id})
    assert response.headers["Location"] == f"/ansoegninger/{application.id}"
    assert count_applications() == 1


def test_a_closed_round_cannot_be_started(client, post, case, make_round):
    closed = make_round(name="Forårsrunden", opens_at=aware(2026, 3, 1, 6, 0),
                        closes_at=aware(2026, 5, 1, 10, 0))
    response = post(client, f"/runder/{closed.id}/ansoeg", {"provider_id": case["provider"].id})
    assert response.headers["Location"] == "/"
    assert "Ansøgningsrunden er ikke åben, så der kan ikke startes en ansøgning." in (
        flash_after(client, response))
    assert count_applications() == 0


def test_an_unknown_round_is_404(client, post, case):
    assert post(client, "/runder/987654/ansoeg",
                {"provider_id": case["provider"].id}).status_code == 404


# --- after submission the application is read-only --------------------------------------------

@pytest.fixture
def submitted(case, make_application):
    return make_application(case["round"], case["provider"], status=ApplicationStatus.SUBMITTED)


@pytest.mark.parametrize("suffix", ["/trin/1", "/trin/2", "/trin/3", "/trin/4", "/tjek"])
def test_editing_pages_of_a_submitted_application_lead_to_the_view(client, submitted, suffix):
    response = client.get(f"/ansoegninger/{submitted.id}{suffix}")
    assert response.headers["Location"] == f"/ansoegninger/{submitted.id}"
    page = flash_after(client, response)
    assert "Ansøgningen er indsendt og kan ikke længere ændres." in page
    assert f"Ansøgning {submitted.reference}" in page and "Indsendt" in page
    assert "Gem og fortsæt" not in page


def test_posting_to_a_step_of_a_submitted_application_changes_nothing(client, post, submitted):
    response = post(client, f"/ansoegninger/{submitted.id}/trin/4", {
        "motivation": "Ændret bagefter", "challenges": "x", "hoped_outcomes": "y"})
    assert response.headers["Location"] == f"/ansoegninger/{submitted.id}"
    db.session.refresh(submitted)
    assert submitted.motivation == "Vi vil udvikle os"
    # Submitting again (a late second click) shows the receipt of the one submission.
    reference = submitted.reference
    response = submit(client, post, submitted)
    assert response.headers["Location"] == f"/ansoegninger/{submitted.id}/kvittering"
    db.session.refresh(submitted)
    assert submitted.reference == reference
    assert len(submitted.status_changes) == 0 and mail.outbox == []


def test_the_read_only_view_shows_the_answers(client, submitted):
    page = text_of(client.get(f"/ansoegninger/{submitted.id}"))
    for expected in ("Vi vil udvikle os", "Leder og personale", "6 måneder", "Bedre praksis",
                     "Bostedet Lyngen (CVR 10000009)", "Historik"):
        assert expected in page
    assert "Fortsæt ansøgningen" not in page
    assert "Træk ansøgningen tilbage" in page


# --- withdrawal -------------------------------------------------------------------------------

def test_withdraw_asks_first_then_records_the_reason(client, post, case, submitted):
    url = f"/ansoegninger/{submitted.id}/traek-tilbage"
    confirm = client.get(url)
    assert confirm.status_code == 200
    assert f"Træk ansøgning {submitted.reference} tilbage" in text_of(confirm)
    db.session.refresh(submitted)
    assert submitted.status == ApplicationStatus.SUBMITTED  # GET changes nothing

    response = post(client, url, {"reason": "  Vi har fået en ny leder  "})
    assert response.headers["Location"] == f"/ansoegninger/{submitted.id}"
    page = flash_after(client, response)
    assert f"Ansøgning {submitted.reference} er trukket tilbage." in page
    assert "Trukket tilbage" in page and "Vi har fået en ny leder" in page
    assert "Træk ansøgningen tilbage" not in page

    db.session.refresh(submitted)
    assert submitted.status == ApplicationStatus.WITHDRAWN
    assert submitted.withdrawn_at == NOW
    change = db.session.execute(
        select(ApplicationStatusChange).where(ApplicationStatusChange.to_status == "withdrawn")
    ).scalar_one()
    assert (change.from_status, change.comment, change.actor_id) == (
        "submitted", "Vi har fået en ny leder", case["user"].id)


def test_withdraw_without_a_reason_records_a_default(client, post, submitted):
    post(client, f"/ansoegninger/{submitted.id}/traek-tilbage", {"reason": ""})
    change = db.session.execute(
        select(ApplicationStatusChange).where(ApplicationStatusChange.to_status == "withdrawn")
    ).scalar_one()
    assert change.comment == "Trukket tilbage af ansøger"


def test_withdraw_refuses_an_overlong_reason(client, post, submitted):
    response = post(client, f"/ansoegninger/{submitted.id}/traek-tilbage",
                    {"reason": "x" * 1001})
    assert response.status_code == 200
    assert field_error(response, "reason") == "Skriv højst 1000 tegn"
    db.session.refresh(submitted)
    assert submitted.status == ApplicationStatus.SUBMITTED


@pytest.mark.parametrize("status", [ApplicationStatus.APPROVED, ApplicationStatus.REJECTED,
                                    ApplicationStatus.WITHDRAWN, ApplicationStatus.DRAFT])
def test_a_decided_application_cannot_be_withdrawn(client, post, case, make_application,
                                                   status):
    application = make_application(case["round"], case["provider"], status=status)
    url = f"/ansoegninger/{application.id}/traek-tilbage"
    response = client.get(url)
    assert response.headers["Location"] == f"/ansoegninger/{application.id}"
    assert "Træk ansøgningen tilbage" not in flash_after(client, response)

    response = post(client, url, {"reason": "Alligevel"})
    expected = (f"Ansøgning {application.reference} er allerede trukket tilbage."
                if status == ApplicationStatus.WITHDRAWN else
                "Ansøgningen kan ikke trækkes tilbage, når der er truffet en afgørelse, eller "
                "den allerede er trukket tilbage.")
    assert expected in flash_after(client, response)
    db.session.refresh(application)
    assert application.status == status
    assert application.status_changes == []
    assert application.withdrawn_at is None
    assert not any(c.comment == "Alligevel" for c in application.status_changes)


# --- "Mine ansøgninger" -----------------------------------------------------------------------

def table_rows(response) -> list[str]:
    body = response.get_data(as_text=True)
    tbody = re.search(r"<tbody>(.*?)</tbody>", body, re.S).group(1)
    return [re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", row)).strip()
            for row in re.findall(r"<tr>(.*?)</tr>", tbody, re.S)]


def test_mine_lists_drafts_and_submitted_with_danish_labels(client, case, make_round,
                                                            make_provider, make_application):
    draft = make_application(case["round"], case["provider"], complete=False)
    earlier = make_round(name="Forårsrunden", opens_at=aware(2026, 3, 1, 6, 0),
                         closes_at=aware(2026, 5, 1, 10, 0))
    sent = make_application(earlier, case["provider"], status=ApplicationStatus.SUBMITTED)
    make_application(case["round"], make_provider(name="Fremmed Tilbud"),
                     status=ApplicationStatus.SUBMITTED)

    response = client.get("/ansoegninger")
    rows = table_rows(response)
    assert len(rows) == 2
    draft_row = next(r for r in rows if "Vinterrunden" in r)
    sent_row = next(r for r in rows if "Forårsrunden" in r)
    assert draft_row.startswith("Kladde Bostedet Lyngen")
    assert "Ikke indsendt" in draft_row and "27. november 2026 kl. 12.00" in draft_row
    assert sent_row.startswith(f"{sent.reference} Bostedet Lyngen") and "Indsendt" in sent_row
    assert "Fremmed Tilbud" not in text_of(response)
    body = response.get_data(as_text=True)
    assert f'href="/ansoegninger/{draft.id}"' in body and f'href="/ansoegninger/{sent.id}"' in body


@pytest.mark.parametrize(("status", "label"), [
    (ApplicationStatus.DRAFT, "Kladde"),
    (ApplicationStatus.SUBMITTED, "Indsendt"),
    (ApplicationStatus.IN_REVIEW, "Under behandling"),
    (ApplicationStatus.APPROVED, "Godkendt"),
    (ApplicationStatus.REJECTED, "Afslået"),
    (ApplicationStatus.WAITLISTED, "På venteliste"),
    (ApplicationStatus.WITHDRAWN, "Trukket tilbage"),
])
def test_mine_shows_each_status_in_danish(client, case, make_application, status, label):
    make_application(case["round"], case["provider"], status=status)
    body = client.get("/ansoegninger").get_data(as_text=True)
    assert re.search(rf'<span class="badge[^"]*">{label}</span>', body)


def test_mine_is_empty_with_a_pointer_to_the_front_page(client, case):
    page = text_of(client.get("/ansoegninger"))
    assert "I har ingen ansøgninger endnu" in page


# --- the front page ---------------------------------------------------------------------------

@pytest.mark.parametrize(("closes_at", "shown"), [
    (aware(2026, 11, 27, 11, 0), "Frist: 27. november 2026 kl. 12.00"),
    (aware(2027, 6, 30, 10, 0), "Frist: 30. juni 2027 kl. 12.00"),  # summer time
    (aware(2027, 1, 4, 8, 5), "Frist: 4. januar 2027 kl. 09.05"),
])
def test_front_page_shows_deadlines_in_danish_time(client, make_round, closes_at, shown):
    clock.freeze(NOW)
    make_round(name="Runden", opens_at=aware(2026, 10, 1, 6, 0), closes_at=closes_at)
    assert shown in text_of(client.get("/"))


def test_front_page_lists_open_rounds_only(client, make_round):
    clock.freeze(NOW)
    make_round(name="Vinterrunden", opens_at=aware(2026, 10, 1, 6, 0), closes_at=DEADLINE)
    make_round(name="Forårsrunden", opens_at=aware(2026, 3, 1, 6, 0),
               closes_at=aware(2026, 5, 1, 10, 0))
    make_round(name="Lukket i går", opens_at=aware(2026, 10, 1, 6, 0),
               closes_at=NOW - timedelta(seconds=1))
    make_round(name="Sommerrunden", opens_at=aware(2027, 5, 1, 6, 0),
               closes_at=aware(2027, 6, 30, 10, 0))
    page = text_of(client.get("/"))
    assert "Vinterrunden" in page and "7 dage tilbage" in page
    assert "Forårsrunden" not in page and "Lukket i går" not in page
    assert ("Kommende ansøgningsrunder Sommerrunden: åbner 1. maj 2027 kl. 08.00, frist "
            "30. juni 2027 kl. 12.00") in page


def test_a_round_closes_on_the_front_page_at_the_deadline(client, make_round):
    make_round(name="Vinterrunden", opens_at=aware(2026, 10, 1, 6, 0), closes_at=DEADLINE)
    clock.freeze(DEADLINE - timedelta(seconds=1))
    assert "Vinterrunden" in text_of(client.get("/"))
    clock.freeze(DEADLINE)
    page = text_of(client.get("/"))
    assert "Vinterrunden" not in page
    assert "Der er ingen åbne ansøgningsrunder lige nu." in page


def test_front_page_offers_the_applicant_to_continue_the_draft(client, case, draft):
    body = client.get("/").get_data(as_text=True)
    assert "Fortsæt ansøgningen" in body
    assert f'href="{step_url(draft, 1)}"' in body
    assert "Start ansøgning" not in body
