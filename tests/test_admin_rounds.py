"""Administration of application rounds and themes."""

from __future__ import annotations

import html
from datetime import timedelta

import pytest
from sqlalchemy import select

from indsatsteam import clock
from indsatsteam.domain.applications import ApplicationStatus
from indsatsteam.extensions import db
from indsatsteam.models import Application, ApplicationRound, AuditEvent, Role, Theme

from helpers import aware, field_error, input_value, text_of

NOW = aware(2026, 9, 1, 10, 0)  # 12.00 Danish summer time
NEW_ROUND = {"name": "Efterårsrunden 2026", "description": "Til botilbud og bostøtte",
             "opens_at": "2026-10-01T08:00", "closes_at": "2026-11-27T12:00",
             "programmes_offered": "10",
             "eligible_kinds": ["sel85_home", "sel107", "sel108", "abl_sel85"]}


@pytest.fixture
def admin_client(app, login, make_user):
    clock.freeze(NOW)
    client = app.test_client()
    login(client, make_user(Role.ADMIN))
    return client


def page_after(client, response) -> str:
    assert response.status_code == 302, text_of(response)
    return html.unescape(text_of(client.get(response.headers["Location"])))


def only_round() -> ApplicationRound:
    db.session.expire_all()
    return db.session.execute(select(ApplicationRound)).scalar_one()


# --- create -----------------------------------------------------------------------------------

def test_create_a_round_in_danish_local_time(post, admin_client):
    response = post(admin_client, "/admin/runder/ny", NEW_ROUND)
    assert "Ansøgningsrunden Efterårsrunden 2026 er oprettet" in page_after(admin_client, response)
    round_ = only_round()
    assert round_.opens_at == aware(2026, 10, 1, 6, 0)   # summer time, +02:00
    assert round_.closes_at == aware(2026, 11, 27, 11, 0)  # winter time, +01:00
    assert (round_.programmes_offered, round_.description) == (10, "Til botilbud og bostøtte")
    page = text_of(admin_client.get("/admin/runder/"))
    assert "1. oktober 2026 kl. 08.00" in page and "27. november 2026 kl. 12.00" in page
    assert "Ikke åbnet endnu" in page


@pytest.mark.parametrize(("values", "field", "message"), [
    ({"name": ""}, "name", "Skriv rundens navn"),
    ({"opens_at": ""}, "opens_at", "Indtast dato og klokkeslæt for, hvornår runden åbner"),
    ({"closes_at": ""}, "closes_at", "Indtast dato og klokkeslæt for ansøgningsfristen"),
    ({"opens_at": "1. oktober"}, "opens_at", "Indtast en gyldig dato og et gyldigt klokkeslæt"),
    ({"closes_at": "2026-09-30T12:00"}, "closes_at", "Fristen skal ligge efter åbningstidspunktet"),
    ({"closes_at": "2026-10-01T08:00"}, "closes_at", "Fristen skal ligge efter åbningstidspunktet"),
    ({"opens_at": "2026-08-01T08:00", "closes_at": "2026-08-31T12:00"}, "closes_at",
     "Fristen skal ligge i fremtiden"),
    ({"programmes_offered": "0"}, "programmes_offered", "Angiv mellem 1 og 500 forløb"),
    ({"programmes_offered": ""}, "programmes_offered", "Angiv antal forløb som et helt tal"),
    ({"programmes_offered": "ti"}, "programmes_offered", "Indtast et helt tal"),
    ({"programmes_offered": "99999999999999999999"}, "programmes_offered",
     "Tallet er for stort"),
    ({"name": "Runde\x00"}, "name",
     "Feltet indeholder usynlige kontroltegn, som ikke kan gemmes. Skriv teksten igen uden dem."),
    ({"name": "x" * 8000}, "name", "Skriv højst 200 tegn"),
    ({"opens_at": "0001-01-01T00:00"}, "opens_at",
     "Vælg en dato mellem 1. januar 2000 og 31. december 2099"),
    # The DST changes: 28 March 2027 skips 02.00–03.00, 31 October 2027 repeats it.
    ({"closes_at": "2027-03-28T02:30"}, "closes_at",
     "Klokken 02.30 findes ikke den 28. marts 2027, fordi uret stilles frem fra 02.00 til "
     "03.00 (sommertid). Tidspunktet ville blive til kl. 03.30. Vælg et klokkeslæt før 02.00 "
     "eller fra 03.00."),
    ({"closes_at": "2027-10-31T02:30"}, "closes_at",
     "Klokken 02.30 forekommer to gange den 31. oktober 2027, fordi uret stilles tilbage fra "
     "03.00 til 02.00 (vintertid), så det er ikke entydigt, hvilket tidspunkt der menes. Vælg "
     "et klokkeslæt før 02.00 eller fra 03.00."),
])
def test_create_validation(post, admin_client, values, field, message):
    response = post(admin_client, "/admin/runder/ny", {**NEW_ROUND, **values})
    assert response.status_code == 400
    assert field_error(response, field) == message
    assert message in text_of(response)  # also in the error summary
    assert db.session.execute(select(ApplicationRound)).first() is None


def test_every_error_comes_in_one_pass(post, admin_client):
    """A missing name and a deadline before the opening are reported together."""
    response = post(admin_client, "/admin/runder/ny",
                    {**NEW_ROUND, "name": "", "closes_at": "2026-09-30T12:00",
                     "programmes_offered": "0"})
    assert response.status_code == 400
    assert field_error(response, "name") == "Skriv rundens navn"
    assert field_error(response, "closes_at") == "Fristen skal ligge efter åbningstidspunktet"
    assert field_error(response, "programmes_offered") == "Angiv mellem 1 og 500 forløb"



# --- edit -------------------------------------------------------------------------------------

def test_edit_everything_before_opening(post, admin_client, make_round):
    round_ = make_round(opens_at=aware(2026, 10, 1, 6, 0), closes_at=aware(2026, 11, 27, 11, 0))
    form = admin_client.get(f"/admin/runder/{round_.id}")
    assert input_value(form, "opens_at") == "2026-10-01T08:00"
    assert input_value(form, "closes_at") == "2026-11-27T12:00"
    response = post(admin_client, f"/admin/runder/{round_.id}", {
        **NEW_ROUND, "name": "Omdøbt", "closes_at": "2026-12-04T12:00",
        "programmes_offered": "7"})
    assert response.status_code == 302
    round_ = only_round()
    assert (round_.name, round_.closes_at, round_.programmes_offered) == (
        "Omdøbt", aware(2026, 12, 4, 11, 0), 7)
    event = db.session.execute(select(AuditEvent).where(AuditEvent.object_type == "round")
                               .order_by(AuditEvent.id.desc())).scalars().first()
    assert event.changes["name"][1] == "Omdøbt"


def test_after_opening_only_description_and_programmes_change(post, admin_client, make_round):
    round_ = make_round(name="Åben runde", opens_at=NOW - timedelta(days=1),
                        closes_at=NOW + timedelta(days=30), programmes_offered=5)
    closes_at = round_.closes_at
    page = admin_client.get(f"/admin/runder/{round_.id}")
    assert "Runden er åbnet" in text_of(page)
    assert "Navn, åbningstidspunkt og frist kan ikke længere ændres" in text_of(page)
    assert 'id="closes_at"' not in page.get_data(as_text=True)

    response = post(admin_client, f"/admin/runder/{round_.id}", {
        "name": "Nyt navn", "closes_at": "2027-01-01T12:00", "description": "Ny tekst",
        "programmes_offered": "8"})
    assert response.status_code == 302
    round_ = only_round()
    assert (round_.name, round_.closes_at) == ("Åben runde", closes_at)
    assert (round_.description, round_.programmes_offered) == ("Ny tekst", 8)

    response = post(admin_client, f"/admin/runder/{round_.id}",
                    {"description": "", "programmes_offered": "0"})
    assert field_error(response, "programmes_offered") == "Angiv mellem 1 og 500 forløb"


def test_the_service_refuses_locked_fields_after_opening(make_round):
    from indsatsteam.domain.errors import DomainError
    from indsatsteam.rounds.services import update_round

    clock.freeze(NOW)
    round_ = make_round(opens_at=NOW - timedelta(days=1))
    with pytest.raises(DomainError) as err:
        update_round(round_, closes_at=NOW + timedelta(days=90))
    assert err.value.field == "closes_at"


# --- close early ------------------------------------------------------------------------------

def test_close_early_then_submission_is_refused(app, post, login, admin_client, make_user,
                                                make_provider, make_round, make_application):
    deadline = NOW + timedelta(days=20)
    round_ = make_round(name="Runden", opens_at=NOW - timedelta(days=5), closes_at=deadline)
    provider = make_provider()
    applicant = make_user(Role.APPLICANT, provider=provider)
    draft = make_application(round_, provider)

    assert "Luk før tid" in text_of(admin_client.get("/admin/runder/"))
    response = post(admin_client, f"/admin/runder/{round_.id}/luk", {"reason": ""})
    assert response.status_code == 400
    assert field_error(response, "reason") == "Skriv hvorfor runden lukkes før tid"

    clock.freeze(NOW + timedelta(hours=1))
    response = post(admin_client, f"/admin/runder/{round_.id}/luk",
                    {"reason": "Alle forløb er fordelt"})
    assert "Runden er lukket" in page_after(admin_client, response)
    round_ = only_round()
    assert round_.closes_at == round_.closed_early_at == NOW + timedelta(hours=1)
    assert round_.original_closes_at == deadline
    assert round_.close_reason == "Alle forløb er fordelt"
    page = text_of(admin_client.get("/admin/runder/"))
    assert "Lukket før tid 1. september 2026 kl. 13.00" in page
    assert "Oprindelig frist: 21. september 2026 kl. 12.00" in page

    client = app.test_client()
    login(client, applicant)
    response = post(client, f"/ansoegninger/{draft.id}/indsend")
    assert ("Ansøgningsfristen udløb 1. september 2026 kl. 13.00. Ansøgningen kan ikke "
            "længere indsendes") in page_after(client, response)
    db.session.refresh(draft)
    assert draft.status == ApplicationStatus.DRAFT

    # Closed: it cannot be closed again.
    assert "Runden er ikke åben" in text_of(admin_client.get(f"/admin/runder/{round_.id}/luk"))
    response = post(admin_client, f"/admin/runder/{round_.id}/luk", {"reason": "Igen"})
    assert response.status_code == 400
    assert "Kun en åben runde kan lukkes før tid" in text_of(response)


def test_a_round_not_yet_open_cannot_be_closed_early(post, admin_client, make_round):
    round_ = make_round(opens_at=NOW + timedelta(days=1), closes_at=NOW + timedelta(days=9))
    response = post(admin_client, f"/admin/runder/{round_.id}/luk", {"reason": "Aflyst"})
    assert response.status_code == 400
    assert only_round().closed_early_at is None


# --- counts -----------------------------------------------------------------------------------

def test_counts_per_status(admin_client, make_round, make_provider, make_application):
    round_ = make_round(name="Optalt runde")
    make_round(name="Tom runde")
    for status in (ApplicationStatus.DRAFT, ApplicationStatus.DRAFT, ApplicationStatus.SUBMITTED,
                   ApplicationStatus.IN_REVIEW, ApplicationStatus.APPROVED,
                   ApplicationStatus.WAITLISTED, ApplicationStatus.REJECTED,
                   ApplicationStatus.WITHDRAWN):
        make_application(round_, make_provider(), status=status)
    from indsatsteam.rounds.services import rounds_with_counts

    rows = {row.round.name: row for row in rounds_with_counts()}
    assert rows["Optalt runde"].counts == {"draft": 2, "submitted": 1, "in_review": 1,
                                           "approved": 1, "rejected": 1, "waitlisted": 1,
                                           "withdrawn": 1}
    assert rows["Optalt runde"].total == 8
    assert rows["Tom runde"].total == 0
    page = text_of(admin_client.get("/admin/runder/"))
    assert "Kladde" in page and "Under behandling" in page
    assert db.session.execute(select(Application)).all()


def test_the_list_runs_a_fixed_number_of_queries(admin_client, make_round, make_provider,
                                                 make_application):
    from helpers import count_statements

    make_round()
    few = count_statements(admin_client, "/admin/runder/")
    for _ in range(4):
        make_application(make_round(), make_provider(), status=ApplicationStatus.SUBMITTED)
    assert count_statements(admin_client, "/admin/runder/") == few


# --- themes -----------------------------------------------------------------------------------

def _theme_form() -> dict:
    themes = db.session.execute(select(Theme).order_by(Theme.position)).scalars().all()
    return {f"name_{t.id}": t.name for t in themes}, themes


def test_rename_a_theme(post, admin_client):
    data, themes = _theme_form()
    page = admin_client.get("/admin/temaer")
    assert input_value(page, f"name_{themes[3].id}") == "Sundhed"
    data[f"name_{themes[3].id}"] = "Fysisk og mental sundhed"
    response = post(admin_client, "/admin/temaer", data)
    assert "Temaerne er gemt (1 ændret)" in page_after(admin_client, response)
    db.session.expire_all()
    theme = db.session.get(Theme, themes[3].id)
    assert (theme.code, theme.name) == ("sundhed", "Fysisk og mental sundhed")


def test_theme_validation(post, admin_client):
    data, themes = _theme_form()
    first, second = (f"name_{t.id}" for t in themes[:2])
    response = post(admin_client, "/admin/temaer", {**data, first: ""})
    assert response.status_code == 400
    assert field_error(response, first) == "Skriv temaets navn"
    response = post(admin_client, "/admin/temaer", {**data, second: data[first].upper()})
    assert response.status_code == 400
    assert field_error(response, second) == "To temaer kan ikke have samme navn"
    response = post(admin_client, "/admin/temaer", {**data, first: "x" * 101})
    assert field_error(response, first) == "Skriv højst 100 tegn"
    db.session.expire_all()
    assert [t.name for t in _theme_form()[1]] == list(data.values())
