"""Sessions that can be revoked (issue 18): a session cookie copied before logout, password
change, reset, role change or deactivation is refused after it; "Log ud alle steder"; the
absolute lifetime; "Husk mig" tokens that are random, stored hashed and replaced at use."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from indsatsteam import clock, mail
from indsatsteam.extensions import db
from indsatsteam.models import RememberToken, Role

from helpers import PASSWORD, aware, text_of

NEW_PASSWORD = "en-helt-ny-og-lang-kode"


@pytest.fixture
def frozen():
    clock.freeze(aware(2026, 11, 20, 9, 0))


def copy_of(app, client):
    """A second browser holding a copy of the first one's session cookie."""
    thief = app.test_client()
    thief.set_cookie("session", client.get_cookie("session").value)
    return thief


def logged_in(client) -> bool:
    return client.get("/min-profil").status_code == 200


@pytest.fixture
def victim(app, client, make_user, login):
    user = make_user(Role.CONSULTANT)
    login(client, user)
    return user


def test_a_copied_session_cookie_stops_working_at_logout(app, client, post, victim):
    thief = copy_of(app, client)
    assert logged_in(thief)
    post(client, "/log-ud")
    assert not logged_in(client)
    assert not logged_in(thief)


def test_the_session_id_is_a_random_token_not_the_user_id(client, victim):
    with client.session_transaction() as session:
        assert session["_user_id"] == victim.session_token
        assert len(victim.session_token) >= 40 and str(victim.id) != session["_user_id"]


def test_a_copied_cookie_stops_working_when_the_password_is_changed(app, client, post,
                                                                     victim):
    thief = copy_of(app, client)
    page = client.get("/min-profil/adgangskode")
    assert "Skift adgangskode" in text_of(page)
    response = post(client, "/min-profil/adgangskode", {
        "current_password": "forkert-kode-123", "password": NEW_PASSWORD,
        "password_repeat": NEW_PASSWORD})
    assert response.status_code == 400
    assert "Den nuværende adgangskode er forkert" in text_of(response)
    response = post(client, "/min-profil/adgangskode", {
        "current_password": PASSWORD, "password": NEW_PASSWORD,
        "password_repeat": NEW_PASSWORD})
    assert response.headers["Location"] == "/min-profil"
    # This browser goes on; the copy does not.
    assert "Du er logget ud alle andre steder" in text_of(client.get("/min-profil"))
    assert logged_in(client)
    assert not logged_in(thief)


def test_a_copied_cookie_stops_working_after_a_password_reset(app, client, post, victim):
    thief = copy_of(app, client)
    stranger = app.test_client()
    post(stranger, "/glemt-adgangskode", {"email": victim.email})
    link = re.search(r"http://localhost(/nulstil-adgangskode/\S+)",
                     mail.outbox[-1].get_body(("plain",)).get_content()).group(1)
    post(stranger, link, {"password": NEW_PASSWORD, "password_repeat": NEW_PASSWORD})
    assert not logged_in(thief)
    assert not logged_in(client)


@pytest.mark.parametrize("action", ["deaktiver", "rolle"])
def test_a_copied_cookie_stops_working_after_deactivation_or_a_role_change(
        app, client, post, victim, make_user, login, action):
    thief = copy_of(app, client)
    admin_client = app.test_client()
    login(admin_client, make_user(Role.ADMIN))
    if action == "deaktiver":
        post(admin_client, f"/admin/brugere/{victim.id}/deaktiver")
    else:
        post(admin_client, f"/admin/brugere/{victim.id}/rolle", {"role": "manager"})
    db.session.refresh(victim)
    assert (not victim.active) if action == "deaktiver" else victim.role == "manager"
    assert not logged_in(thief)
    if action == "deaktiver":
        victim.active = True  # reactivated: the old cookie still does not come back
        db.session.commit()
        assert not logged_in(thief)


def test_log_out_everywhere_ends_every_session_and_remember_me(app, client, post, make_user):
    user = make_user(Role.APPLICANT)
    laptop, phone = app.test_client(), app.test_client()
    post(laptop, "/log-ind", {"email": user.email, "password": PASSWORD, "remember": "y"})
    post(phone, "/log-ind", {"email": user.email, "password": PASSWORD, "remember": "y"})
    assert db.session.execute(select(func.count()).select_from(RememberToken)).scalar() == 2
    page = text_of(phone.get("/min-profil"))
    assert "Log ud alle steder" in page

    response = post(phone, "/log-ud-alle-steder")
    assert response.headers["Location"] == "/log-ind"
    assert "Du er logget ud alle steder" in text_of(phone.get("/log-ind"))
    assert not logged_in(laptop) and not logged_in(phone)
    assert db.session.execute(select(func.count()).select_from(RememberToken)).scalar() == 0
    # Even the laptop's remember cookie no longer logs it in after a browser restart.
    laptop.delete_cookie("session")
    assert not logged_in(laptop)


def test_log_out_everywhere_needs_post_and_csrf(client, victim):
    assert client.get("/log-ud-alle-steder").status_code == 405
    assert client.post("/log-ud-alle-steder").status_code == 400
    assert logged_in(client)


def test_a_login_lasts_at_most_the_absolute_lifetime(app, client, make_user, login, frozen,
                                                     monkeypatch):
    monkeypatch.setitem(app.config, "SESSION_ABSOLUTE_HOURS", 12)
    login(client, make_user(Role.CONSULTANT))
    start = clock.now()
    for hours in (4, 8, 11.9):  # active all the time: the idle timeout never strikes
        clock.freeze(start + timedelta(hours=hours))
        assert logged_in(client)
    clock.freeze(start + timedelta(hours=12, minutes=1))
    response = client.get("/min-profil")
    assert response.status_code == 302
    assert response.headers["Location"] == "/log-ind?next=/min-profil"
    assert "logget ind i 12 timer" in text_of(client.get("/log-ind"))
    assert not logged_in(client)


def _browser_restart(client) -> None:
    client.delete_cookie("session")


def test_remember_me_logs_in_again_and_replaces_its_token(app, client, post, make_user):
    user = make_user(Role.APPLICANT)
    post(client, "/log-ind", {"email": user.email, "password": PASSWORD, "remember": "y"})
    first = client.get_cookie("indsatsteam_husk").value
    _browser_restart(client)
    assert logged_in(client)
    second = client.get_cookie("indsatsteam_husk").value
    assert first != second and first.split(":")[0] == second.split(":")[0]

    # The old value was copied before its use: presenting it now reveals the theft, and
    # every login of the user ends.
    thief = app.test_client()
    thief.set_cookie("indsatsteam_husk", first)
    assert not logged_in(thief)
    assert db.session.execute(select(func.count()).select_from(RememberToken)).scalar() == 0
    assert not logged_in(client)


def test_logout_deletes_the_remember_token(client, post, make_user):
    user = make_user(Role.APPLICANT)
    post(client, "/log-ind", {"email": user.email, "password": PASSWORD, "remember": "y"})
    value = client.get_cookie("indsatsteam_husk").value
    post(client, "/log-ud")
    assert client.get_cookie("indsatsteam_husk") is None
    assert db.session.execute(select(func.count()).select_from(RememberToken)).scalar() == 0
    client.set_cookie("indsatsteam_husk", value)  # a copy made before the logout
    assert not logged_in(client)


def test_remember_me_expires(app, client, post, make_user, frozen):
    user = make_user(Role.APPLICANT)
    post(client, "/log-ind", {"email": user.email, "password": PASSWORD, "remember": "y"})
    clock.freeze(clock.now() + timedelta(days=app.config["REMEMBER_DAYS"], minutes=1))
    _browser_restart(client)
    assert not logged_in(client)


def test_an_old_flask_login_remember_cookie_is_ignored(app, client, make_user):
    """Before this change the remember cookie was the signed user id."""
    from flask_login.utils import encode_cookie

    user = make_user(Role.APPLICANT)
    client.set_cookie("remember_token", encode_cookie(str(user.id)))
    assert not logged_in(client)
