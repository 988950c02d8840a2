"""HTTP security headers, cookie flags and the Danish error pages (404, 403, 405, 500)."""

from __future__ import annotations

import logging
import os
import re

import pytest

from config import ProductionConfig
from indsatsteam import create_app
from indsatsteam.extensions import db
from indsatsteam.models import Role

from helpers import PASSWORD, text_of


def test_front_page_sends_the_security_headers(client):
    response = client.get("/")
    assert response.status_code == 200
    csp = response.headers["Content-Security-Policy"]
    directives = {d.split()[0]: d.split()[1:] for d in csp.split(";") if d.strip()}
    assert directives["script-src"] == ["'self'"]
    assert directives["frame-ancestors"] == ["'none'"]
    assert directives["object-src"] == ["'none'"]
    assert "'unsafe-inline'" not in csp and "'unsafe-eval'" not in csp
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "same-origin"
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["Cache-Control"] == "no-store"
    assert re.fullmatch(r"[0-9a-f]{32}", response.headers["X-Request-ID"])


def test_pages_have_no_inline_scripts_or_styles(client):
    """The CSP forbids them, so a page that had them would break in the browser."""
    body = client.get("/").get_data(as_text=True)
    assert all('src="' in tag for tag in re.findall(r"<script[^>]*>", body))
    assert "<style" not in body and " style=" not in body and " onclick=" not in body


@pytest.mark.parametrize("path", ["/findes-ikke", "/log-ud"])
def test_error_responses_carry_the_headers_too(client, path):
    response = client.get(path)
    assert response.status_code in (404, 405)
    assert "frame-ancestors 'none'" in response.headers["Content-Security-Policy"]
    assert response.headers["X-Content-Type-Options"] == "nosniff"


def test_static_files_are_not_marked_no_store(client):
    response = client.get("/static/css/app.css")
    assert response.status_code == 200
    assert response.headers.get("Cache-Control") != "no-store"
    response.close()


def _cookie(response, name: str) -> str:
    return next(c for c in response.headers.getlist("Set-Cookie") if c.startswith(f"{name}="))


def test_session_cookie_is_httponly_and_samesite_lax(client, post, make_user):
    user = make_user(Role.APPLICANT)
    response = post(client, "/log-ind", {"email": user.email, "password": PASSWORD})
    assert response.status_code == 302
    attributes = [a.strip().lower() for a in _cookie(response, "session").split(";")[1:]]
    assert "httponly" in attributes
    assert "samesite=lax" in attributes


@pytest.mark.skipif("SESSION_COOKIE_SECURE" in os.environ,
                    reason="the environment overrides the default")
def test_production_cookies_are_secure_by_default():
    assert ProductionConfig.SESSION_COOKIE_SECURE is True
    assert ProductionConfig.REMEMBER_COOKIE_SECURE is True
    assert ProductionConfig.SESSION_COOKIE_HTTPONLY and ProductionConfig.REMEMBER_COOKIE_HTTPONLY
    assert ProductionConfig.SESSION_COOKIE_SAMESITE == "Lax"
    assert ProductionConfig.WTF_CSRF_ENABLED is True


# --- error pages ------------------------------------------------------------------------------

def _is_design_system_page(response) -> bool:
    body = response.get_data(as_text=True)
    return ('<html lang="da"' in body and "vendor/dkfds/css/dkfds.min.css" in body
            and 'class="header"' in body and "<footer>" in body)


def test_404_is_a_danish_design_system_page(client):
    response = client.get("/findes-ikke")
    assert response.status_code == 404
    assert _is_design_system_page(response)
    page = text_of(response)
    assert "Fejl 404" in page and "Siden findes ikke" in page
    assert "Tjek, at adressen er skrevet rigtigt" in page
    assert "Not Found" not in page
    assert re.search(r"<h1>Siden findes ikke</h1>", response.get_data(as_text=True))


def test_403_for_an_applicant_on_the_staff_pages(client, login, make_user):
    login(client, make_user(Role.APPLICANT))
    response = client.get("/sagsbehandling/ansoegninger")
    assert response.status_code == 403
    assert _is_design_system_page(response)
    page = text_of(response)
    assert "Du har ikke adgang til siden" in page and "Forbidden" not in page


def test_405_is_danish_and_says_what_is_allowed(client):
    response = client.get("/log-ud")
    assert response.status_code == 405
    assert _is_design_system_page(response)
    assert "Handlingen er ikke tilladt" in text_of(response)
    assert "POST" in response.headers["Allow"]


def test_400_for_a_missing_csrf_token_is_danish(client):
    response = client.post("/log-ind", data={"email": "a@example.dk", "password": "x"})
    assert response.status_code == 400
    assert _is_design_system_page(response)
    assert "Formularen kunne ikke sendes" in text_of(response)
    assert "CSRF" not in text_of(response)


@pytest.fixture
def crashing_app(app):
    """A second app on the same database with a route that fails, and exceptions handled as
    in production (the session app's TESTING propagates them)."""
    other = create_app("test", {"SQLALCHEMY_DATABASE_URI": app.config["SQLALCHEMY_DATABASE_URI"],
                                "PROPAGATE_EXCEPTIONS": False})

    @other.get("/boom")
    def boom():
        raise RuntimeError("hemmelig detalje fra databasen")

    other.test_client_class = type(app.test_client())
    yield other
    with other.app_context():
        db.engine.dispose()


def test_500_shows_a_request_id_and_no_details(crashing_app, caplog):
    client = crashing_app.test_client()
    with caplog.at_level(logging.ERROR, logger="indsatsteam.errors"):
        response = client.get("/boom")

    assert response.status_code == 500
    assert _is_design_system_page(response)
    page = text_of(response)
    assert "Der opstod en fejl" in page
    request_id = response.headers["X-Request-ID"]
    assert f"Fejl-id: {request_id}" in page
    body = response.get_data(as_text=True)
    for leak in ("Traceback", "RuntimeError", "hemmelig detalje", 'File "', "werkzeug"):
        assert leak not in body
    # The log has what the page hides, under the same id.
    record = next(r for r in caplog.records if request_id in r.getMessage())
    assert record.exc_info and "hemmelig detalje" in str(record.exc_info[1])


def test_500_for_a_logged_in_user_keeps_the_page_frame(crashing_app, post, make_user):
    user = make_user(Role.MANAGER, name="Mona Manager")
    client = crashing_app.test_client()
    # Log in on the crashing app itself (same secret key and database).
    assert post(client, "/log-ind", {"email": user.email,
                                     "password": PASSWORD}).status_code == 302
    response = client.get("/boom")
    assert response.status_code == 500
    page = text_of(response)
    assert "Mona Manager" in page and "Fejl-id" in page and "hemmelig" not in page


def test_an_id_beyond_the_integer_range_is_404_not_500(client):
    assert client.get("/forloeb/99999999999999999999999").status_code == 404
    assert client.get("/ansoegninger/2147483648").status_code == 404
