"""PASSWORD_LOGIN: who may log in with e-mail and password. "staff" leaves tilbud to MitID
Erhverv; "off" leaves everybody to the providers. The checks are on the server: a posted
form does what the page no longer offers just as little."""

from __future__ import annotations

import pytest

from indsatsteam import create_app
from indsatsteam.extensions import db
from indsatsteam.models import AuditEvent, Role

from helpers import PASSWORD, text_of


@pytest.fixture
def staff_only(app, oidc, monkeypatch):
    monkeypatch.setitem(app.config, "PASSWORD_LOGIN", "staff")


@pytest.fixture
def passwords_off(app, oidc, monkeypatch):
    monkeypatch.setitem(app.config, "PASSWORD_LOGIN", "off")


def test_a_typo_in_the_setting_stops_the_start():
    with pytest.raises(ValueError, match="PASSWORD_LOGIN"):
        create_app("test", {"PASSWORD_LOGIN": "tilbud,staf"})


def test_staff_only_refuses_a_tilbud_users_right_password(client, post, make_user,
                                                          staff_only):
    user = make_user(Role.APPLICANT)
    response = post(client, "/log-ind", {"email": user.email, "password": PASSWORD})
    assert response.status_code == 403
    assert "logger ind med MitID Erhverv" in text_of(response)
    assert "Log ind med MitID Erhverv (test)" in text_of(response)
    assert client.get("/mit-tilbud/").status_code == 302  # not logged in
    event = db.session.execute(db.select(AuditEvent).where(
        AuditEvent.action == "login_refused")).scalars().one()
    assert event.changes["reason"] == [None, "password_off"]


def test_staff_only_lets_staff_in_with_a_password(client, post, make_user, staff_only):
    user = make_user(Role.CONSULTANT)
    response = post(client, "/log-ind", {"email": user.email, "password": PASSWORD})
    assert response.status_code == 302


def test_a_wrong_password_still_says_only_that(client, post, make_user, staff_only):
    user = make_user(Role.APPLICANT)
    response = post(client, "/log-ind", {"email": user.email, "password": "forkert-forkert"})
    assert "E-mailadressen eller adgangskoden er forkert" in text_of(response)
    assert "MitID Erhverv. Brug knappen" not in text_of(response)


def test_staff_only_has_no_self_registration(client, post, staff_only):
    assert "Opret bruger" not in text_of(client.get("/"))
    response = client.get("/opret-bruger")
    assert response.status_code == 302 and response.headers["Location"] == "/log-ind"
    response = post(client, "/opret-bruger", {"email": "ny@example.dk", "name": "Ny",
                                              "password": PASSWORD, "confirm": PASSWORD})
    assert response.status_code == 302
    assert db.session.execute(db.select(db.func.count()).select_from(
        db.Model.metadata.tables["users"])).scalar() == 0
    page = text_of(client.get("/log-ind"))
    assert "Opret en bruger til jeres tilbud" not in page


def test_staff_only_sends_no_reset_mail_to_a_tilbud_user(client, post, make_user, staff_only):
    from indsatsteam import mail
    user = make_user(Role.APPLICANT)
    mail.outbox.clear()
    response = post(client, "/glemt-adgangskode", {"email": user.email})
    assert response.status_code == 302
    assert not mail.outbox


def test_off_shows_only_the_buttons(client, post, make_user, passwords_off):
    page = client.get("/log-ind")
    html = page.get_data(as_text=True)
    assert "Log ind med MitID Erhverv (test)" in html and 'name="password"' not in html
    user = make_user(Role.CONSULTANT)
    response = post(client, "/log-ind", {"email": user.email, "password": PASSWORD})
    assert response.status_code == 403
    assert "slået fra" in text_of(response)
    assert client.get("/glemt-adgangskode").status_code == 302


def test_the_default_is_both(client):
    html = client.get("/log-ind").get_data(as_text=True)
    assert 'name="password"' in html and "Opret en bruger til jeres tilbud" in html
