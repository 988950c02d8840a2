"""Accounts through the test client: registration, e-mail confirmation, login and logout,
CSRF, safe redirects after login, the login rate limit and password reset."""

from __future__ import annotations

import hashlib
import re
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from indsatsteam import clock, create_app, mail
from indsatsteam.extensions import db
from indsatsteam.models import Application, RememberToken, Role, User

from helpers import PASSWORD, aware, field_error, input_value, text_of

WRONG_LOGIN = "E-mailadressen eller adgangskoden er forkert"
TOO_MANY = "For mange mislykkede forsøg"
NEUTRAL_RESET = "Hvis e-mailadressen er registreret, sender vi et link"


def input_tag(response, field_id: str) -> str:
    match = re.search(rf'<input[^>]*\bid="{field_id}"[^>]*>', response.get_data(as_text=True))
    assert match, f"no input #{field_id}"
    return match.group(0)


def link_in_last_mail() -> str:
    body = mail.outbox[-1].get_body(("plain",)).get_content()
    return re.search(r"http://localhost(/\S+)", body).group(1)


def count_users() -> int:
    return db.session.execute(select(func.count()).select_from(User)).scalar_one()


def is_logged_in(client) -> bool:
    """An applicant page answers 200 when logged in, a redirect to login otherwise."""
    response = client.get("/mit-tilbud/")
    return response.status_code == 200


# --- registration -----------------------------------------------------------------------------

VALID_REGISTRATION = {"name": "Sofie Leder", "email": "sofie@tilbud.dk", "password": PASSWORD,
                      "password_repeat": PASSWORD, "accept_terms": "y"}


@pytest.mark.parametrize(("changes", "field_id", "message"), [
    ({"password": "kort-kode", "password_repeat": "kort-kode"}, "password",
     "Adgangskoden skal være på mindst 12 tegn"),
    ({"password_repeat": "en-helt-anden-kode"}, "password_repeat",
     "De to adgangskoder er ikke ens"),
    ({"accept_terms": None}, "accept_terms",
     "Du skal acceptere privatlivspolitikken for at oprette en bruger"),
    ({"email": "ikke-en-adresse"}, "email",
     "Indtast en e-mailadresse i formatet navn@eksempel.dk"),
    ({"name": ""}, "name", "Indtast dit fulde navn"),
    ({"password": "sofie@tilbud.dk", "password_repeat": "sofie@tilbud.dk"}, "password",
     "Adgangskoden må ikke være din e-mailadresse"),
])
def test_registration_errors_are_shown_at_the_field_and_typed_values_survive(
        client, post, changes, field_id, message):
    data = {k: v for k, v in {**VALID_REGISTRATION, **changes}.items() if v is not None}
    response = post(client, "/opret-bruger", data)

    assert response.status_code == 400
    assert field_error(response, field_id) == message
    page = text_of(response)
    assert "Der er problemer" in page and message in page
    assert f'href="#{field_id}"' in response.get_data(as_text=True)
    assert count_users() == 0 and mail.outbox == []
    # What the user typed is still there, except the passwords.
    if field_id != "name":
        assert input_value(response, "name") == "Sofie Leder"
    assert input_value(response, "email") == data["email"]
    assert input_value(response, "password") is None
    assert input_value(response, "password_repeat") is None
    assert PASSWORD not in response.get_data(as_text=True)


def test_password_error_sits_above_the_password_input(client, post):
    response = post(client, "/opret-bruger", {**VALID_REGISTRATION, "password": "kort",
                                              "password_repeat": "kort"})
    body = response.get_data(as_text=True)
    error_at = body.index('id="password-error"')
    assert body.rindex('for="password"', 0, error_at) < error_at < body.index(
        input_tag(response, "password"))
    assert 'aria-describedby="password-hint password-error"' in input_tag(response, "password")


@pytest.mark.parametrize("typed", ["sofie@tilbud.dk", "Sofie@Tilbud.DK", "SOFIE@TILBUD.DK"])
def test_duplicate_email_answers_as_a_new_registration_whatever_the_case(client, post,
                                                                         make_user, typed):
    # The same answer as for a new address, so the form cannot reveal who has an account;
    # the address's owner is told by mail instead.
    make_user(Role.APPLICANT, email="sofie@tilbud.dk")
    response = post(client, "/opret-bruger", {**VALID_REGISTRATION, "email": typed})

    assert response.headers["Location"] == "/opret-bruger/tjek-din-email"
    assert count_users() == 1
    assert [m["To"] for m in mail.outbox] == ["sofie@tilbud.dk"]
    assert mail.outbox[-1]["Subject"] == "Du har allerede en bruger"
    assert "/glemt-adgangskode" in mail.outbox[-1].get_body(("plain",)).get_content()


def test_registration_creates_an_unconfirmed_applicant_and_mails_a_link(client, post):
    response = post(client, "/opret-bruger", {**VALID_REGISTRATION, "email": "Sofie@Tilbud.dk"})

    assert response.headers["Location"] == "/opret-bruger/tjek-din-email"
    user = db.session.execute(select(User)).scalar_one()
    assert (user.email, user.role, user.email_confirmed_at) == (
        "sofie@tilbud.dk", "applicant", None)
    assert mail.outbox[-1]["To"] == "sofie@tilbud.dk"
    assert mail.outbox[-1]["Subject"] == "Bekræft din e-mailadresse"
    assert link_in_last_mail().startswith("/bekraeft-email/")


# --- e-mail confirmation ----------------------------------------------------------------------

@pytest.fixture
def registered(client, post):
    """A freshly registered (unconfirmed) user and the path of the link in the mail."""
    post(client, "/opret-bruger", VALID_REGISTRATION)
    user = db.session.execute(select(User)).scalar_one()
    return user, link_in_last_mail()


def test_confirmation_link_confirms_and_then_login_works(client, post, registered):
    user, link = registered
    response = client.get(link)
    assert response.headers["Location"] == "/log-ind"
    assert "Din e-mailadresse er bekræftet" in text_of(client.get("/log-ind"))
    db.session.refresh(user)
    assert user.email_confirmed_at is not None

    response = post(client, "/log-ind", {"email": user.email, "password": PASSWORD})
    assert response.headers["Location"] == "/mit-tilbud/"


def _tamper(link: str) -> str:
    head, token = link.rsplit("/", 1)
    payload, timestamp, signature = token.split(".")
    flipped = "A" if signature[0] != "A" else "B"
    return f"{head}/{payload}.{timestamp}.{flipped}{signature[1:]}"


@pytest.mark.parametrize("how", ["tampered", "expired", "garbage"])
def test_a_bad_confirmation_link_is_refused(app, client, post, registered, monkeypatch, how):
    user, link = registered
    if how == "tampered":
        link = _tamper(link)
    elif how == "garbage":
        link = "/bekraeft-email/ikke-et-token"
    else:
        monkeypatch.setitem(app.config, "EMAIL_TOKEN_MAX_AGE_SECONDS", -1)

    response = client.get(link)
    assert response.headers["Location"] == "/log-ind"
    assert "Linket er udløbet eller ugyldigt" in text_of(client.get("/log-ind"))
    db.session.refresh(user)
    assert user.email_confirmed_at is None
    # Still unconfirmed: login is refused (and a new link is sent).
    response = post(client, "/log-ind", {"email": user.email, "password": PASSWORD})
    assert response.status_code == 400
    assert "Du skal bekræfte din e-mailadresse" in text_of(response)


def test_a_confirmation_link_for_another_purpose_is_refused(client, post, make_user):
    """A password-reset link cannot be replayed as a confirmation link (different salt)."""
    user = make_user(Role.APPLICANT, confirmed=False)
    post(client, "/glemt-adgangskode", {"email": user.email})
    token = link_in_last_mail().rsplit("/", 1)[1]
    client.get(f"/bekraeft-email/{token}")
    db.session.refresh(user)
    assert user.email_confirmed_at is None


# --- login and logout -------------------------------------------------------------------------

def test_login_sends_an_applicant_without_provider_to_register_one(client, post, make_user):
    user = make_user(Role.APPLICANT)
    response = post(client, "/log-ind", {"email": user.email.upper(), "password": PASSWORD})
    assert response.headers["Location"] == "/mit-tilbud/"
    assert f"Du er logget ind som {user.name}." in text_of(client.get("/mit-tilbud/"))


def test_login_sends_an_applicant_with_provider_to_their_applications(client, post, make_user,
                                                                      make_provider):
    user = make_user(Role.APPLICANT, provider=make_provider())
    response = post(client, "/log-ind", {"email": user.email, "password": PASSWORD})
    assert response.headers["Location"] == "/ansoegninger"


@pytest.mark.parametrize("role", [Role.CONSULTANT, Role.MANAGER, Role.ADMIN])
def test_login_sends_staff_to_the_applications(client, post, make_user, role):
    user = make_user(role)
    response = post(client, "/log-ind", {"email": user.email, "password": PASSWORD})
    assert response.headers["Location"] == "/sagsbehandling/ansoegninger"


@pytest.mark.parametrize(("email", "password"), [
    ("kendt", "forkert-adgangskode"),
    ("ukendt@example.dk", PASSWORD),
])
def test_wrong_credentials_get_one_neutral_message(client, post, make_user, email, password):
    user = make_user(Role.APPLICANT)
    response = post(client, "/log-ind", {"email": user.email if email == "kendt" else email,
                                         "password": password})
    assert response.status_code == 400
    assert field_error(response, "email") == WRONG_LOGIN
    assert input_value(response, "email") == (user.email if email == "kendt" else email)
    assert input_value(response, "password") is None
    assert not is_logged_in(client)


def test_a_deactivated_user_cannot_log_in(client, post, make_user):
    user = make_user(Role.APPLICANT)
    user.active = False
    db.session.commit()
    response = post(client, "/log-ind", {"email": user.email, "password": PASSWORD})
    assert response.status_code == 400
    assert WRONG_LOGIN in text_of(response)
    assert not is_logged_in(client)


def test_a_deactivated_users_session_ends_at_the_next_request(client, login, make_user):
    user = make_user(Role.APPLICANT)
    login(client, user)
    assert client.get("/mit-tilbud/").status_code == 200

    user.active = False
    db.session.commit()
    response = client.get("/mit-tilbud/")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/log-ind?next=")


def _set_cookie_names(response) -> set[str]:
    return {header.split("=", 1)[0] for header in response.headers.getlist("Set-Cookie")}


def test_remember_me_is_off_by_default(client, post, make_user):
    user = make_user(Role.APPLICANT)
    page = client.get("/log-ind")
    assert "checked" not in input_tag(page, "remember")

    response = post(client, "/log-ind", {"email": user.email, "password": PASSWORD})
    assert response.status_code == 302
    assert "remember_token" not in _set_cookie_names(response)


def test_remember_me_sets_a_cookie_only_when_ticked(client, post, make_user):
    user = make_user(Role.APPLICANT)
    response = post(client, "/log-ind", {"email": user.email, "password": PASSWORD})
    assert "indsatsteam_husk" not in _set_cookie_names(response)
    post(client, "/log-ud")
    response = post(client, "/log-ind", {"email": user.email, "password": PASSWORD,
                                         "remember": "y"})
    # Flask-Login's own cookie (the signed user id) is never set; ours holds a random token.
    assert "remember_token" not in _set_cookie_names(response)
    cookie = next(c for c in response.headers.getlist("Set-Cookie")
                  if c.startswith("indsatsteam_husk="))
    assert "HttpOnly" in cookie
    series, token = cookie.split(";")[0].split("=", 1)[1].split(":")
    stored = db.session.execute(select(RememberToken)).scalar_one()
    assert (stored.user_id, stored.series) == (user.id, series)
    assert stored.token_hash == hashlib.sha256(token.encode()).hexdigest()  # only the digest


def test_logout_is_post_only(client, login, make_user):
    login(client, make_user(Role.APPLICANT))
    response = client.get("/log-ud")
    assert response.status_code == 405
    assert "Handlingen er ikke tilladt" in text_of(response)
    assert is_logged_in(client)


def test_logout_needs_the_csrf_token(client, post, login, make_user):
    login(client, make_user(Role.APPLICANT))
    response = client.post("/log-ud")
    assert response.status_code == 400
    assert "Formularen kunne ikke sendes" in text_of(response)
    assert is_logged_in(client)

    response = post(client, "/log-ud")
    assert response.headers["Location"] == "/"
    assert "Du er logget ud." in text_of(client.get("/"))
    assert not is_logged_in(client)


def test_the_page_frame_logs_out_with_a_post_form(client, login, make_user):
    login(client, make_user(Role.APPLICANT))
    body = client.get("/").get_data(as_text=True)
    form = re.search(r'<form method="post" action="/log-ud"[^>]*>(.*?)</form>', body, re.S)
    assert form and 'name="csrf_token"' in form.group(1)


# --- CSRF -------------------------------------------------------------------------------------

def test_login_without_csrf_token_is_refused(client, make_user):
    user = make_user(Role.APPLICANT)
    response = client.post("/log-ind", data={"email": user.email, "password": PASSWORD})
    assert response.status_code == 400
    assert "Formularen kunne ikke sendes" in text_of(response)
    assert not is_logged_in(client)


def test_login_with_a_forged_csrf_token_is_refused(client, make_user):
    user = make_user(Role.APPLICANT)
    client.get("/log-ind")  # a session with its own token
    response = client.post("/log-ind", data={"email": user.email, "password": PASSWORD,
                                             "csrf_token": "forfalsket"})
    assert response.status_code == 400
    assert not is_logged_in(client)


def test_registration_without_csrf_token_is_refused(client):
    response = client.post("/opret-bruger", data=VALID_REGISTRATION)
    assert response.status_code == 400
    assert "Formularen kunne ikke sendes" in text_of(response)
    assert count_users() == 0 and mail.outbox == []


def test_application_step_without_csrf_token_is_refused(client, login, make_user, make_provider,
                                                         make_round, make_application):
    provider = make_provider()
    application = make_application(make_round(), provider, complete=False)
    login(client, make_user(Role.APPLICANT, provider=provider))
    response = client.post(f"/ansoegninger/{application.id}/trin/1", data={
        "contact_name": "Ny Person", "contact_email": "ny@example.dk",
        "contact_phone": "12345678"})
    assert response.status_code == 400
    assert "Formularen kunne ikke sendes" in text_of(response)
    db.session.refresh(application)
    assert application.contact_name == "" and application.current_step == 1
    assert db.session.get(Application, application.id).contact_email == ""


# --- where login leads: only to this site -----------------------------------------------------

@pytest.mark.parametrize("target", [
    "//evil.example",
    "/\\evil.example",
    "https://evil.example",
    "/%5Cevil.example",
    "///evil.example",
    "http:/evil.example",
    "/\t/evil.example",
    "javascript:alert(1)",
])
def test_login_never_redirects_off_site(client, post, make_user, target):
    user = make_user(Role.APPLICANT)
    response = post(client, "/log-ind", {"email": user.email, "password": PASSWORD,
                                         "next": target})
    location = response.headers["Location"]
    assert response.status_code == 302
    assert location.startswith("/") and not location.startswith("//")
    assert "evil" not in location and "\\" not in location
    assert location == "/mit-tilbud/"


def test_login_honours_a_local_next(client, post, make_user):
    user = make_user(Role.APPLICANT)
    response = client.get("/ansoegninger")
    assert response.headers["Location"] == "/log-ind?next=/ansoegninger"

    page = client.get(response.headers["Location"])
    assert input_value(page, "next") == "/ansoegninger"
    response = post(client, "/log-ind", {"email": user.email, "password": PASSWORD,
                                         "next": "/ansoegninger"})
    assert response.headers["Location"] == "/ansoegninger"


def test_next_survives_a_failed_login(client, post, make_user):
    user = make_user(Role.APPLICANT)
    response = post(client, "/log-ind", {"email": user.email, "password": "forkert-kode-123",
                                         "next": "/ansoegninger?side=2"})
    assert input_value(response, "next") == "/ansoegninger?side=2"


# --- the login rate limit ---------------------------------------------------------------------

def _fail(client, post, email: str, ip: str = "127.0.0.1"):
    response = post(client, "/log-ind", {"email": email, "password": "forkert-adgangskode"},
                    environ_base={"REMOTE_ADDR": ip})
    assert response.status_code in (400, 429)
    return response


def test_an_attacker_cannot_lock_the_victim_out(client, post, make_user):
    """Wrong passwords from one address slow that address down; the victim with the right
    password from her own (clean) browser and address gets in at once."""
    clock.freeze(aware(2026, 11, 20, 9, 0))
    victim = make_user(Role.ADMIN)
    attacker = client.application.test_client()
    answers = [_fail(attacker, post, victim.email, ip="203.0.113.7").status_code
               for _ in range(30)]
    assert answers[:3] == [400, 400, 400] and set(answers[3:]) == {429}

    response = post(client, "/log-ind", {"email": victim.email, "password": PASSWORD},
                    environ_base={"REMOTE_ADDR": "198.51.100.1"})
    assert response.status_code == 302 and client.get("/min-profil").status_code == 200


def test_the_delay_per_account_and_address_doubles(client, post, make_user):
    start = aware(2026, 11, 20, 9, 0)
    clock.freeze(start)
    user = make_user(Role.APPLICANT)
    for _ in range(3):
        assert WRONG_LOGIN in text_of(_fail(client, post, user.email))
    response = post(client, "/log-ind", {"email": user.email, "password": PASSWORD})
    assert response.status_code == 429 and "Vent 2 sekunder" in text_of(response)
    assert not is_logged_in(client)

    clock.freeze(start + timedelta(seconds=2))
    assert WRONG_LOGIN in text_of(_fail(client, post, user.email.upper()))  # the 4th
    assert "Vent 4 sekunder" in text_of(_fail(client, post, user.email))
    clock.freeze(start + timedelta(seconds=6))
    response = post(client, "/log-ind", {"email": user.email, "password": PASSWORD})
    assert response.status_code == 302

    # Another user from the same address was never slowed.
    other = make_user(Role.APPLICANT)
    post(client, "/log-ud")
    assert post(client, "/log-ind", {"email": other.email,
                                     "password": PASSWORD}).status_code == 302


def test_a_successful_login_resets_the_account_count(client, post, make_user):
    clock.freeze(aware(2026, 11, 20, 9, 0))
    user = make_user(Role.APPLICANT)
    for _ in range(2):
        _fail(client, post, user.email)
    assert post(client, "/log-ind", {"email": user.email,
                                     "password": PASSWORD}).status_code == 302
    post(client, "/log-ud")
    for _ in range(2):
        _fail(client, post, user.email)
    assert post(client, "/log-ind", {"email": user.email,
                                     "password": PASSWORD}).status_code == 302


def test_a_password_reset_lifts_the_delay(client, post, make_user):
    clock.freeze(aware(2026, 11, 20, 9, 0))
    user = make_user(Role.APPLICANT)
    for _ in range(3):
        _fail(client, post, user.email)
    assert _fail(client, post, user.email).status_code == 429

    post(client, "/glemt-adgangskode", {"email": user.email})
    new_password = "en-helt-ny-og-lang-kode"
    post(client, link_in_last_mail(), {"password": new_password,
                                       "password_repeat": new_password})
    response = post(client, "/log-ind", {"email": user.email, "password": new_password})
    assert response.status_code == 302


def test_many_addresses_at_one_account_only_let_known_browsers_in(app, client, post,
                                                                   make_user, monkeypatch):
    """An attack from many addresses: past the per-account limit only a browser where the
    account has logged in before may try; the victim's own browser still gets in."""
    clock.freeze(aware(2026, 11, 20, 9, 0))
    monkeypatch.setitem(app.config, "LOGIN_MAX_ATTEMPTS_PER_ACCOUNT", 5)
    user = make_user(Role.APPLICANT)
    own_browser = app.test_client()
    post(own_browser, "/log-ind", {"email": user.email, "password": PASSWORD})
    post(own_browser, "/log-ud")
    for n in range(6):
        _fail(app.test_client(), post, user.email, ip=f"192.0.2.{n}")

    stranger = post(client, "/log-ind", {"email": user.email, "password": PASSWORD},
                    environ_base={"REMOTE_ADDR": "198.51.100.9"})
    assert stranger.status_code == 429
    assert "hvor du har logget ind før" in text_of(stranger)
    response = post(own_browser, "/log-ind", {"email": user.email, "password": PASSWORD},
                    environ_base={"REMOTE_ADDR": "198.51.100.10"})
    assert response.status_code == 302


def test_an_ipv6_client_counts_by_its_64_network(client, post, make_user):
    clock.freeze(aware(2026, 11, 20, 9, 0))
    user = make_user(Role.APPLICANT)
    for n in range(20):
        _fail(client, post, f"ukendt{n}@example.dk", ip=f"2001:db8:1:2::{n + 1:x}")
    response = post(client, "/log-ind", {"email": user.email, "password": PASSWORD},
                    environ_base={"REMOTE_ADDR": "2001:db8:1:2:ffff::1"})
    assert response.status_code == 429 and TOO_MANY in text_of(response)
    response = post(client, "/log-ind", {"email": user.email, "password": PASSWORD},
                    environ_base={"REMOTE_ADDR": "2001:db8:1:3::1"})
    assert response.status_code == 302


def test_twenty_failures_from_one_address_lock_that_address(client, post, make_user):
    clock.freeze(aware(2026, 11, 20, 9, 0))
    user = make_user(Role.APPLICANT)
    for n in range(20):
        response = _fail(client, post, f"ukendt{n}@example.dk", ip="203.0.113.7")
        assert response.status_code == 400

    response = post(client, "/log-ind", {"email": user.email, "password": PASSWORD},
                    environ_base={"REMOTE_ADDR": "203.0.113.7"})
    assert response.status_code == 429
    assert TOO_MANY in text_of(response)

    # The same account from another address is not locked.
    response = post(client, "/log-ind", {"email": user.email, "password": PASSWORD},
                    environ_base={"REMOTE_ADDR": "198.51.100.1"})
    assert response.status_code == 302


def test_a_forged_forwarded_for_header_does_not_escape_the_ip_lock(client, post, make_user):
    """Without a proxy in front (PROXY_COUNT=0) X-Forwarded-For is the client's own word."""
    clock.freeze(aware(2026, 11, 20, 9, 0))
    user = make_user(Role.APPLICANT)
    for n in range(20):
        post(client, "/log-ind", {"email": f"ukendt{n}@example.dk", "password": "forkert-kode"},
             environ_base={"REMOTE_ADDR": "203.0.113.7"},
             headers={"X-Forwarded-For": f"10.0.0.{n}"})
    response = post(client, "/log-ind", {"email": user.email, "password": PASSWORD},
                    environ_base={"REMOTE_ADDR": "203.0.113.7"},
                    headers={"X-Forwarded-For": "10.1.1.1"})
    assert response.status_code == 429


@pytest.fixture
def proxied_app(app):
    """The app as deployed behind one reverse proxy (README: gunicorn behind HTTPS)."""
    proxied = create_app("test", {"PROXY_COUNT": 1,
                                  "SQLALCHEMY_DATABASE_URI": app.config["SQLALCHEMY_DATABASE_URI"]})
    proxied.test_client_class = type(app.test_client())
    yield proxied
    with proxied.app_context():
        db.engine.dispose()


def test_behind_a_proxy_the_ip_lock_counts_the_clients_address(proxied_app, post, make_user):
    """Every request reaches the app from the proxy's address; counting that address would
    lock everybody out after 20 mistakes in total."""
    clock.freeze(aware(2026, 11, 20, 9, 0))
    user = make_user(Role.APPLICANT)
    client = proxied_app.test_client()

    def attempt(email, password, client_ip):
        return post(client, "/log-ind", {"email": email, "password": password},
                    environ_base={"REMOTE_ADDR": "127.0.0.1"},
                    headers={"X-Forwarded-For": client_ip})

    for n in range(20):
        assert attempt(f"ukendt{n}@example.dk", "forkert-kode", "203.0.113.7").status_code == 400
    assert attempt(user.email, PASSWORD, "203.0.113.7").status_code == 429
    response = attempt(user.email, PASSWORD, "198.51.100.1")
    assert response.status_code == 302 and response.headers["Location"] == "/mit-tilbud/"


def test_the_address_limit_lifts_when_the_window_has_passed(client, post, make_user):
    start = aware(2026, 11, 20, 9, 0)  # a window starts at 9:00 (windows of 900 s)
    clock.freeze(start)
    user = make_user(Role.APPLICANT)
    for n in range(20):
        _fail(client, post, f"ukendt{n}@example.dk")

    clock.freeze(start + timedelta(seconds=899))
    response = post(client, "/log-ind", {"email": user.email, "password": PASSWORD})
    assert response.status_code == 429 and "Prøv igen om 1 sekunder" in text_of(response)

    clock.freeze(start + timedelta(seconds=901))
    response = post(client, "/log-ind", {"email": user.email, "password": PASSWORD})
    assert response.status_code == 302 and response.headers["Location"] == "/mit-tilbud/"


# --- password reset ---------------------------------------------------------------------------

def test_password_reset_sets_a_new_password_and_the_link_works_once(client, post, make_user):
    user = make_user(Role.APPLICANT)
    response = post(client, "/glemt-adgangskode", {"email": user.email.upper()})
    assert response.headers["Location"] == "/log-ind"
    assert NEUTRAL_RESET in text_of(client.get("/log-ind"))
    assert len(mail.outbox) == 1
    assert mail.outbox[0]["To"] == user.email
    assert mail.outbox[0]["Subject"] == "Nulstil din adgangskode"
    link = link_in_last_mail()
    assert link.startswith("/nulstil-adgangskode/")

    assert "Vælg ny adgangskode" in text_of(client.get(link))
    response = post(client, link, {"password": "kort", "password_repeat": "kort"})
    assert field_error(response, "password") == "Adgangskoden skal være på mindst 12 tegn"

    new_password = "en-helt-ny-og-lang-kode"
    response = post(client, link, {"password": new_password, "password_repeat": new_password})
    assert response.headers["Location"] == "/log-ind"
    assert "Din adgangskode er ændret" in text_of(client.get("/log-ind"))

    # The link is spent.
    response = client.get(link)
    assert response.headers["Location"] == "/glemt-adgangskode"
    assert "allerede brugt" in text_of(client.get("/glemt-adgangskode"))
    response = post(client, link, {"password": "endnu-en-ny-kode", "password_repeat":
                                   "endnu-en-ny-kode"})
    assert response.headers["Location"] == "/glemt-adgangskode"

    # Only the new password works.
    response = post(client, "/log-ind", {"email": user.email, "password": PASSWORD})
    assert WRONG_LOGIN in text_of(response)
    response = post(client, "/log-ind", {"email": user.email, "password": new_password})
    assert response.status_code == 302


def test_reset_link_expires(app, client, post, make_user, monkeypatch):
    user = make_user(Role.APPLICANT)
    post(client, "/glemt-adgangskode", {"email": user.email})
    monkeypatch.setitem(app.config, "RESET_TOKEN_MAX_AGE_SECONDS", -1)
    response = client.get(link_in_last_mail())
    assert response.headers["Location"] == "/glemt-adgangskode"


def test_reset_also_confirms_the_email(client, post, make_user):
    user = make_user(Role.APPLICANT, confirmed=False)
    post(client, "/glemt-adgangskode", {"email": user.email})
    link = link_in_last_mail()
    post(client, link, {"password": "en-helt-ny-og-lang-kode",
                        "password_repeat": "en-helt-ny-og-lang-kode"})
    db.session.refresh(user)
    assert user.email_confirmed_at is not None


@pytest.mark.parametrize("case", ["unknown", "deactivated"])
def test_reset_gives_the_same_answer_for_addresses_that_cannot_reset(client, post, make_user,
                                                                      case):
    known = make_user(Role.APPLICANT)
    post(client, "/glemt-adgangskode", {"email": known.email})
    known_answer = text_of(client.get("/log-ind"))
    mail.outbox.clear()

    if case == "unknown":
        email = "findes-ikke@example.dk"
    else:
        user = make_user(Role.APPLICANT)
        user.active = False
        db.session.commit()
        email = user.email
    response = post(client, "/glemt-adgangskode", {"email": email})
    assert response.headers["Location"] == "/log-ind"
    assert text_of(client.get("/log-ind")) == known_answer
    assert NEUTRAL_RESET in known_answer
    assert mail.outbox == []


def test_a_post_after_the_session_ended_leads_back_to_the_form_page(client, post, make_user):
    # The POST address cannot be opened after login, so the way back is the page the form
    # was on (the same-site referrer); a foreign referrer is ignored.
    response = post(client, "/ansoegninger/1/trin/2", {},
                    headers={"Referer": "http://localhost/ansoegninger/1/trin/2"})
    assert response.headers["Location"] == "/log-ind?next=/ansoegninger/1/trin/2"
    response = post(client, "/ansoegninger/1/indsend", {},
                    headers={"Referer": "https://evil.example/x"})
    assert response.headers["Location"] == "/log-ind"
