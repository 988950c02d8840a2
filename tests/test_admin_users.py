"""Administration of users: invitations, roles, capacity, deactivation, anonymisation."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from sqlalchemy import select

from indsatsteam import clock, mail
from indsatsteam.domain.applications import ApplicationStatus
from indsatsteam.extensions import db
from indsatsteam.models import (
    AccessLogEntry,
    AuditEvent,
    NotificationPreference,
    ProviderMembership,
    Role,
    User,
)
from indsatsteam.users import services

from helpers import PASSWORD, aware, field_error, text_of

NEW_PASSWORD = "min-helt-egen-lange-kode"
INVITE = {"name": "Karen Konsulent", "email": "Karen@Socialstyrelsen.dk",
          "role": "consultant", "capacity": "8"}


@pytest.fixture
def admin(make_user):
    return make_user(Role.ADMIN, name="Adam Admin")


@pytest.fixture
def admin_client(app, login, admin):
    client = app.test_client()
    login(client, admin)
    return client


def last_mail_link(prefix: str) -> str:
    body = mail.outbox[-1].get_body(("plain",)).get_content()
    match = re.search(rf"http://localhost({prefix}\S+)", body)
    assert match, body
    return match.group(1)


def invite(post, admin_client, **values):
    return post(admin_client, "/admin/brugere/inviter", {**INVITE, **values})


def user_by_email(email: str) -> User:
    db.session.expire_all()
    return db.session.execute(select(User).where(User.email == email)).scalar_one()


def accept(client, post, link, password=NEW_PASSWORD, repeat=None):
    return post(client, link, {"password": password, "password_repeat": repeat or password})


# --- invitation -------------------------------------------------------------------------------

def test_invited_consultant_sets_a_password_and_logs_in(app, client, post, admin_client):
    response = invite(post, admin_client)
    user = user_by_email("karen@socialstyrelsen.dk")
    assert response.status_code == 302
    assert response.headers["Location"] == f"/admin/brugere/{user.id}"
    assert (user.name, user.role, user.capacity) == ("Karen Konsulent", "consultant", 8)
    assert user.invited_at is not None and user.email_confirmed_at is None
    assert "inviteret som konsulent" in text_of(admin_client.get(response.headers["Location"]))

    message = mail.outbox[-1]
    assert message["To"] == "karen@socialstyrelsen.dk"
    assert "7 dage" in message.get_body(("plain",)).get_content()
    assert "/invitation/" in message.get_body(("html",)).get_content()
    link = last_mail_link("/invitation/")

    # No password works before the invitation is accepted.
    refused = post(client, "/log-ind", {"email": user.email, "password": ""})
    assert refused.status_code == 400

    page = client.get(link)
    assert page.status_code == 200
    assert "Vælg din adgangskode" in text_of(page)
    assert 'for="password">Adgangskode<' in page.get_data(as_text=True)
    assert 'for="password_repeat">Gentag adgangskode<' in page.get_data(as_text=True)

    response = accept(client, post, link)
    assert response.status_code == 302 and response.headers["Location"] == "/log-ind"
    assert "Din adgangskode er gemt" in text_of(client.get("/log-ind"))
    user = user_by_email(user.email)
    assert user.email_confirmed_at is not None
    assert services.status_of(user) is services.UserStatus.ACTIVE

    response = post(client, "/log-ind", {"email": "karen@socialstyrelsen.dk",
                                         "password": NEW_PASSWORD})
    assert response.status_code == 302
    assert response.headers["Location"] == "/sagsbehandling/ansoegninger"


def test_the_invitation_link_works_once(app, client, post, admin_client):
    invite(post, admin_client)
    link = last_mail_link("/invitation/")
    assert accept(client, post, link).status_code == 302
    again = app.test_client()
    for response in (again.get(link), accept(again, post, link, "en-anden-lang-kode")):
        assert response.status_code == 410
        assert "Linket er allerede brugt" in text_of(response)
        assert "Log ind" in text_of(response)
    # The second attempt did not change the password.
    login = post(again, "/log-ind", {"email": "karen@socialstyrelsen.dk",
                                     "password": NEW_PASSWORD})
    assert login.status_code == 302


def test_an_expired_invitation_is_refused(client, post, admin_client):
    start = aware(2026, 11, 20, 9, 0)
    clock.freeze(start)
    invite(post, admin_client)
    link = last_mail_link("/invitation/")
    clock.freeze(start + timedelta(days=7) - timedelta(minutes=1))
    assert client.get(link).status_code == 200
    clock.freeze(start + timedelta(days=7, minutes=1))
    response = client.get(link)
    assert response.status_code == 410
    assert "Linket i invitationen er udløbet" in text_of(response)
    assert "ny invitation" in text_of(response)
    assert accept(client, post, link).status_code == 410
    assert user_by_email("karen@socialstyrelsen.dk").email_confirmed_at is None


def test_a_tampered_link_is_refused(client):
    response = client.get("/invitation/ugyldigt-link")
    assert response.status_code == 410
    assert "Linket er ugyldigt" in text_of(response)


def test_resending_makes_the_old_link_stop_working(client, post, admin_client):
    invite(post, admin_client)
    old = last_mail_link("/invitation/")
    user = user_by_email("karen@socialstyrelsen.dk")
    response = post(admin_client, f"/admin/brugere/{user.id}/inviter-igen")
    assert response.status_code == 302
    page = admin_client.get(f"/admin/brugere/{user.id}")
    assert "Vi har sendt invitationen igen" in text_of(page)
    new = last_mail_link("/invitation/")
    assert client.get(old).status_code == 410
    assert accept(client, post, new).status_code == 302


def test_password_rules_on_the_invitation_page(client, post, admin_client):
    invite(post, admin_client)
    link = last_mail_link("/invitation/")
    response = accept(client, post, link, "kort")
    assert response.status_code == 400
    assert field_error(response, "password") == "Adgangskoden skal være på mindst 12 tegn"
    response = accept(client, post, link, NEW_PASSWORD, "noget-helt-andet-langt")
    assert field_error(response, "password_repeat") == "De to adgangskoder er ikke ens"
    response = accept(client, post, link, "karen@socialstyrelsen.dk")
    assert field_error(response, "password") == "Adgangskoden må ikke være din e-mailadresse"
    assert client.get(link).status_code == 200  # still unused


@pytest.mark.parametrize(("values", "field", "message"), [
    ({"name": ""}, "name", "Indtast personens fulde navn"),
    ({"email": ""}, "email", "Indtast personens e-mailadresse"),
    ({"email": "karen"}, "email", "Indtast en e-mailadresse i formatet navn@eksempel.dk"),
    ({"role": "applicant"}, "role", "Vælg en af mulighederne på listen"),
    ({"capacity": "51"}, "capacity", "Angiv en kapacitet mellem 0 og 50 forløb"),
    ({"capacity": "-1"}, "capacity", "Angiv en kapacitet mellem 0 og 50 forløb"),
    ({"capacity": "mange"}, "capacity", "Indtast et helt tal"),
])
def test_invite_validation(post, admin_client, values, field, message):
    response = invite(post, admin_client, **values)
    assert response.status_code == 400
    assert field_error(response, field) == message
    assert mail.outbox == []


def test_invite_refuses_an_address_in_use(post, admin_client, make_user):
    make_user(Role.APPLICANT, email="karen@socialstyrelsen.dk")
    response = invite(post, admin_client)
    assert response.status_code == 400
    assert field_error(response, "email") == "Der findes allerede en bruger med den e-mailadresse"
    assert mail.outbox == []


# --- list and detail --------------------------------------------------------------------------

def test_list_filters_searches_and_shows_capacity(post, admin_client, admin, make_user):
    make_user(Role.CONSULTANT, name="Lea Konsulent", email="lea@example.dk").capacity = 9
    make_user(Role.MANAGER, name="Mona Leder")
    gone = make_user(Role.CONSULTANT, name="Otto Væk")
    gone.active = False
    db.session.commit()

    page = text_of(admin_client.get("/admin/brugere"))
    assert "Lea Konsulent lea@example.dk Konsulent Aktiv 9 forløb" in page
    assert "Mona Leder" in page and "Otto Væk" in page

    page = text_of(admin_client.get("/admin/brugere?rolle=consultant&status=aktiv"))
    assert "Lea Konsulent" in page and "Mona Leder" not in page and "Otto Væk" not in page
    page = text_of(admin_client.get("/admin/brugere?status=deaktiveret"))
    assert "Otto Væk" in page and "Lea Konsulent" not in page
    page = text_of(admin_client.get("/admin/brugere?q=LEA@"))
    assert "Lea Konsulent" in page and "Mona Leder" not in page
    assert "Ingen brugere" in text_of(admin_client.get("/admin/brugere?q=%25"))
    assert admin_client.get("/admin/brugere?rolle=konge").status_code == 400


def test_list_is_paginated(admin_client, make_user):
    for n in range(services.PAGE_SIZE + 2):
        make_user(Role.APPLICANT, name=f"Ansøger {n:02d}")
    first = text_of(admin_client.get("/admin/brugere?rolle=applicant"))
    assert f"{services.PAGE_SIZE + 2} brugere · side 1 af 2" in first
    second = text_of(admin_client.get("/admin/brugere?rolle=applicant&side=2"))
    assert "side 2 af 2" in second and "Ansøger 26" in second and "Ansøger 00" not in second


def test_viewing_users_is_in_the_access_log(admin_client, admin, make_user):
    other = make_user(Role.MANAGER)
    admin_client.get("/admin/brugere")
    admin_client.get(f"/admin/brugere/{other.id}")
    admin_client.get(f"/admin/brugere/{admin.id}")  # one's own page: not logged
    rows = db.session.execute(select(AccessLogEntry).order_by(AccessLogEntry.id)).scalars().all()
    assert [(r.viewer_id, r.object_type, r.subject_user_id) for r in rows] == [
        (admin.id, "user", None), (admin.id, "user", other.id)]


# --- role and capacity ------------------------------------------------------------------------

def test_change_role_is_audited(post, admin_client, admin, make_user):
    user = make_user(Role.CONSULTANT)
    response = post(admin_client, f"/admin/brugere/{user.id}/rolle", {"role": "manager"})
    assert response.status_code == 302
    db.session.refresh(user)
    assert user.role == "manager"
    assert "er nu leder (før: konsulent)" in text_of(admin_client.get(f"/admin/brugere/{user.id}"))
    event = db.session.execute(select(AuditEvent).where(
        AuditEvent.object_type == "user", AuditEvent.object_id == user.id)
        .order_by(AuditEvent.id.desc())).scalars().first()
    assert event.actor_id == admin.id
    assert event.changes["role"] == ["consultant", "manager"]


def test_an_admin_cannot_demote_themself(post, admin_client, admin, make_user):
    make_user(Role.ADMIN)  # not the last admin: the rule is about oneself
    page = admin_client.get(f"/admin/brugere/{admin.id}")
    assert "Du kan ikke ændre din egen rolle" in text_of(page)
    response = post(admin_client, f"/admin/brugere/{admin.id}/rolle", {"role": "consultant"})
    assert response.status_code == 400
    assert "Du kan ikke fjerne din egen administratorrolle" in text_of(response)
    db.session.refresh(admin)
    assert admin.role == "admin"


def test_the_last_active_admin_is_protected(admin, make_user):
    other = make_user(Role.ADMIN)
    other.active = False
    db.session.commit()
    with pytest.raises(services.DomainError, match="mindst én aktiv administrator"):
        services.change_role(other, admin, "manager")
    with pytest.raises(services.DomainError, match="mindst én aktiv administrator"):
        services.deactivate(other, admin)
    with pytest.raises(services.DomainError, match="mindst én aktiv administrator"):
        services.check_can_anonymise(other, admin)
    db.session.rollback()
    # With a second active admin, one of them may be demoted.
    second = make_user(Role.ADMIN)
    services.change_role(second, admin, "manager")
    assert admin.role == "manager"


def test_another_admin_can_be_demoted(post, admin_client, make_user):
    other = make_user(Role.ADMIN)
    response = post(admin_client, f"/admin/brugere/{other.id}/rolle", {"role": "consultant"})
    assert response.status_code == 302
    db.session.refresh(other)
    assert other.role == "consultant"


@pytest.mark.parametrize(("value", "message"), [
    ("", "Angiv kapaciteten som et helt tal"),
    ("51", "Angiv en kapacitet mellem 0 og 50 forløb"),
    ("-2", "Angiv en kapacitet mellem 0 og 50 forløb"),
    ("3,5", "Indtast et helt tal"),
])
def test_capacity_validation(post, admin_client, make_user, value, message):
    user = make_user(Role.CONSULTANT)
    response = post(admin_client, f"/admin/brugere/{user.id}/kapacitet", {"capacity": value})
    assert response.status_code == 400
    assert field_error(response, "capacity") == message
    db.session.refresh(user)
    assert user.capacity == 6


def test_set_capacity(post, admin_client, make_user):
    user = make_user(Role.CONSULTANT)
    for value in (0, 50, 12):
        response = post(admin_client, f"/admin/brugere/{user.id}/kapacitet",
                        {"capacity": str(value)})
        assert response.status_code == 302
    db.session.refresh(user)
    assert user.capacity == 12
    manager = make_user(Role.MANAGER)
    response = post(admin_client, f"/admin/brugere/{manager.id}/kapacitet", {"capacity": "3"})
    assert response.status_code == 400
    assert "Kun konsulenter har en kapacitet" in text_of(response)


# --- deactivation -----------------------------------------------------------------------------

def test_deactivated_users_session_ends_and_reactivation_lets_them_in(app, post, login,
                                                                      admin_client, make_user):
    user = make_user(Role.CONSULTANT)
    their_client = app.test_client()
    login(their_client, user)
    assert their_client.get("/sagsbehandling/ansoegninger").status_code == 200

    response = post(admin_client, f"/admin/brugere/{user.id}/deaktiver")
    assert response.status_code == 302
    assert "er deaktiveret" in text_of(admin_client.get(f"/admin/brugere/{user.id}"))
    db.session.refresh(user)
    assert not user.active and user.deactivated_at is not None

    response = their_client.get("/sagsbehandling/ansoegninger")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/log-ind?next=")
    assert post(app.test_client(), "/log-ind", {"email": user.email,
                                                "password": PASSWORD}).status_code == 400

    assert post(admin_client, f"/admin/brugere/{user.id}/genaktiver").status_code == 302
    db.session.refresh(user)
    assert user.active and user.deactivated_at is None
    login(app.test_client(), user)


def test_an_admin_cannot_deactivate_themself(post, admin_client, admin):
    response = post(admin_client, f"/admin/brugere/{admin.id}/deaktiver")
    assert response.status_code == 302
    page = admin_client.get(f"/admin/brugere/{admin.id}")
    assert "Du kan ikke deaktivere dig selv" in text_of(page)
    db.session.refresh(admin)
    assert admin.active
    assert admin_client.get("/admin/brugere").status_code == 200


def test_actions_need_the_csrf_token(admin_client, make_user):
    user = make_user(Role.CONSULTANT)
    assert admin_client.post(f"/admin/brugere/{user.id}/deaktiver").status_code == 400
    db.session.refresh(user)
    assert user.active


# --- password reset ---------------------------------------------------------------------------

def test_admin_sends_a_reset_link(client, post, admin_client, make_user):
    user = make_user(Role.MANAGER)
    response = post(admin_client, f"/admin/brugere/{user.id}/nulstil-adgangskode")
    assert response.status_code == 302
    assert "Vi sender et link til at nulstille" in text_of(
        admin_client.get(f"/admin/brugere/{user.id}"))
    assert mail.outbox[-1]["To"] == user.email
    link = last_mail_link("/nulstil-adgangskode/")
    assert post(client, link, {"password": NEW_PASSWORD,
                               "password_repeat": NEW_PASSWORD}).status_code == 302
    assert post(client, "/log-ind", {"email": user.email,
                                     "password": NEW_PASSWORD}).status_code == 302


def test_no_reset_link_for_a_pending_invitation(post, admin_client):
    invite(post, admin_client)
    user = user_by_email("karen@socialstyrelsen.dk")
    mail.outbox.clear()
    post(admin_client, f"/admin/brugere/{user.id}/nulstil-adgangskode")
    assert "Send invitationen igen i stedet" in text_of(
        admin_client.get(f"/admin/brugere/{user.id}"))
    assert mail.outbox == []


# --- anonymisation ----------------------------------------------------------------------------

def test_anonymise_keeps_the_row_and_the_history(app, post, login, admin_client, admin,
                                                 make_user, make_provider, make_round,
                                                 make_application):
    provider = make_provider()
    manager = make_user(Role.MANAGER, name="Mona Leder", email="mona@example.dk",
                        provider=provider)
    manager.calendar_token_hash = "a" * 64
    db.session.add(NotificationPreference(user_id=manager.id, category="task_due",
                                          channel="in_app"))
    application = make_application(make_round(), provider, status=ApplicationStatus.APPROVED,
                                   decided_by_id=manager.id, decided_at=clock.now())
    their_client = app.test_client()
    login(their_client, manager)

    confirm = admin_client.get(f"/admin/brugere/{manager.id}/anonymiser")
    assert confirm.status_code == 200
    assert "Er du sikker?" in text_of(confirm) and "Mona Leder" in text_of(confirm)
    response = post(admin_client, f"/admin/brugere/{manager.id}/anonymiser")
    assert response.status_code == 302

    db.session.expire_all()
    user = db.session.get(User, manager.id)
    assert user.name == "Anonymiseret bruger"
    assert user.email == f"anonymiseret-{user.id}@invalid"
    assert user.calendar_token_hash is None
    assert not user.active and user.anonymised_at is not None
    assert "$argon2" not in user.password_hash
    assert db.session.execute(select(ProviderMembership).where(
        ProviderMembership.user_id == user.id)).first() is None
    assert db.session.execute(select(NotificationPreference).where(
        NotificationPreference.user_id == user.id)).first() is None
    assert db.session.get(type(application), application.id).decided_by_id == user.id
    # Their session ends, and neither the old address nor the password lets them in.
    assert their_client.get("/sagsbehandling/ansoegninger").status_code == 302
    assert post(app.test_client(), "/log-ind", {"email": "mona@example.dk",
                                                "password": PASSWORD}).status_code == 400
    page = text_of(admin_client.get(f"/admin/brugere/{user.id}"))
    assert "Brugeren er anonymiseret" in page and "mona@example.dk" not in page
    assert "Anonymiseret" in text_of(admin_client.get("/admin/brugere?status=anonymiseret"))


def test_two_anonymised_users_get_distinct_addresses(admin, make_user):
    first, second = make_user(Role.CONSULTANT), make_user(Role.CONSULTANT)
    services.anonymise_user(first)
    services.anonymise_user(second)
    db.session.commit()
    assert first.email != second.email


def test_an_admin_cannot_anonymise_themself(post, admin_client, admin):
    page = admin_client.get(f"/admin/brugere/{admin.id}/anonymiser")
    assert "Du kan ikke anonymisere dig selv" in text_of(page)
    assert post(admin_client, f"/admin/brugere/{admin.id}/anonymiser").status_code == 409
    db.session.refresh(admin)
    assert admin.anonymised_at is None and admin.name == "Adam Admin"


def test_an_anonymised_user_cannot_be_reactivated(post, admin_client, make_user):
    user = make_user(Role.CONSULTANT)
    services.anonymise_user(user)
    db.session.commit()
    post(admin_client, f"/admin/brugere/{user.id}/genaktiver")
    db.session.refresh(user)
    assert not user.active


def test_invite_from_the_command_line(runner, app):
    result = runner.invoke(args=["users", "invite", "cli@example.dk", "--role", "manager",
                                 "--name", "Kim Kommando"])
    assert result.exit_code == 0, result.output
    user = user_by_email("cli@example.dk")
    assert user.role == "manager" and user.invited_at is not None
    assert mail.outbox[-1]["To"] == "cli@example.dk"
    assert "http://localhost/invitation/" in mail.outbox[-1].get_body(("plain",)).get_content()

