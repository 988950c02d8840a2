"""Idle session timeout (frozen clock), the keep-alive endpoint and refused uploads."""

from __future__ import annotations

import io
import re
from datetime import timedelta
from pathlib import Path

import pytest

from indsatsteam import clock
from indsatsteam.models import Role

from helpers import PASSWORD, aware, text_of

START = aware(2026, 3, 2, 9, 0)
EXPIRED = "Du er blevet logget ud, fordi du ikke har været aktiv i 30 minutter."


@pytest.fixture(autouse=True)
def idle_timeout(app, monkeypatch):
    """The production settings; TestConfig turns the timeout off for the rest of the suite."""
    monkeypatch.setitem(app.config, "SESSION_IDLE_MINUTES", 30)
    monkeypatch.setitem(app.config, "SESSION_WARNING_MINUTES", 5)


@pytest.fixture
def frozen():
    clock.freeze(START)
    yield
    clock.freeze(None)


def later(minutes: float) -> None:
    clock.freeze(START + timedelta(minutes=minutes))


@pytest.fixture
def consultant_client(app, client, make_user, login, frozen):
    login(client, make_user(Role.CONSULTANT))
    client.get("/sagsbehandling/ansoegninger")
    return client


def test_29_minutes_idle_is_still_logged_in(consultant_client):
    later(29)
    response = consultant_client.get("/sagsbehandling/ansoegninger")
    assert response.status_code == 200


def test_31_minutes_idle_logs_out_with_a_message_and_a_way_back(consultant_client):
    later(31)
    response = consultant_client.get("/sagsbehandling/ansoegninger?side=2")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/log-ind?next=")
    assert "ansoegninger" in response.headers["Location"]
    page = consultant_client.get(response.headers["Location"])
    assert EXPIRED in text_of(page)
    # Logged out for good: the next request is sent to login as well.
    assert consultant_client.get("/sagsbehandling/ansoegninger").status_code == 302


def test_idle_expiry_clears_the_remember_cookie(app, client, make_user, post, frozen):
    user = make_user(Role.CONSULTANT)
    post(client, "/log-ind", {"email": user.email, "password": PASSWORD,
                              "remember": "y"})
    assert client.get_cookie("indsatsteam_husk") is not None
    later(45)
    client.get("/sagsbehandling/ansoegninger")
    assert client.get_cookie("indsatsteam_husk") is None
    assert client.get("/sagsbehandling/ansoegninger").status_code == 302


def test_activity_moves_the_limit(consultant_client):
    later(20)
    assert consultant_client.get("/sagsbehandling/ansoegninger").status_code == 200
    later(45)
    assert consultant_client.get("/sagsbehandling/ansoegninger").status_code == 200


def test_background_requests_do_not_count_as_activity(consultant_client):
    later(20)
    consultant_client.get("/sagsbehandling/ansoegninger", headers={"X-Session-Passive": "1"})
    later(31)
    assert consultant_client.get("/sagsbehandling/ansoegninger").status_code == 302


def test_keep_alive_extends_the_session(app, consultant_client, post):
    later(28)
    response = post(consultant_client, "/session/forlaeng")
    assert response.status_code == 204
    later(50)
    assert consultant_client.get("/sagsbehandling/ansoegninger").status_code == 200


def test_keep_alive_needs_csrf(consultant_client):
    response = consultant_client.post("/session/forlaeng")
    assert response.status_code == 400


def test_keep_alive_needs_login(client, post):
    response = post(client, "/session/forlaeng")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/log-ind")


def test_keep_alive_after_expiry_does_not_revive_the_session(consultant_client, post):
    later(31)
    assert post(consultant_client, "/session/forlaeng").status_code == 302
    assert consultant_client.get("/sagsbehandling/ansoegninger").status_code == 302


def test_a_new_login_starts_a_fresh_idle_period(client, make_user, login, post, frozen):
    user = make_user(Role.CONSULTANT)
    login(client, user)
    post(client, "/log-ud")
    later(120)
    login(client, user)
    assert client.get("/sagsbehandling/ansoegninger").status_code == 200


def test_pages_carry_the_timeout_settings_and_the_modal(consultant_client):
    page = consultant_client.get("/sagsbehandling/ansoegninger").get_data(as_text=True)
    assert 'data-session-idle-seconds="1800"' in page
    assert 'data-session-warning-seconds="300"' in page
    assert 'data-session-keep-alive-url="/session/forlaeng"' in page
    assert "Du bliver snart logget ud" in page
    assert "Forbliv logget ind" in page
    assert "js/session-timeout.js" in page


def test_a_timeout_of_0_turns_it_off(app, consultant_client, monkeypatch):
    monkeypatch.setitem(app.config, "SESSION_IDLE_MINUTES", 0)
    later(24 * 60)
    page = consultant_client.get("/sagsbehandling/ansoegninger")
    assert page.status_code == 200
    assert "session-timeout-modal" not in page.get_data(as_text=True)


def test_anonymous_pages_have_no_timer(client):
    page = client.get("/").get_data(as_text=True)
    assert "data-session-idle-seconds" not in page
    assert "session-timeout-modal" not in page


# --- uploads ----------------------------------------------------------------------------------

def test_a_request_with_a_file_is_refused_in_danish(client, post):
    response = post(client, "/log-ind", {"email": "a@example.dk", "password": "x",
                                        "bilag": (io.BytesIO(b"%PDF-1.4"), "bilag.pdf")},
                    content_type="multipart/form-data")
    assert response.status_code == 400
    assert "Systemet tager ikke imod filer" in text_of(response)
    assert "X-Request-ID" in response.headers


def test_a_multipart_form_without_files_still_works(client, make_user, post):
    user = make_user(Role.CONSULTANT)
    response = post(client, "/log-ind", {"email": user.email, "password": PASSWORD},
                    content_type="multipart/form-data")
    assert response.status_code == 302


def test_only_the_upload_page_asks_for_a_file():
    """Files are taken only by the attachment views (attachments/routes.py, accepts_files);
    their one page is the only template with a multipart form."""
    templates = Path(__file__).resolve().parent.parent / "templates"
    askers = [path.relative_to(templates).as_posix() for path in templates.rglob("*.html")
              if re.search(r"type\s*=\s*[\"']?file|multipart/form-data",
                           path.read_text(encoding="utf-8"), re.I)]
    assert askers == ["attachments/page.html"]
