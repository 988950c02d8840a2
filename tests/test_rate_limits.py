"""Flask-Limiter on registration, forgotten password, invitation resend, the confirmation
e-mail sent again at login and the calendar feed (indsatsteam/rate_limits.py): over the limit
the Danish 429 page with Retry-After. The suite's own app runs with the limits off
(TestConfig); these tests make apps with them on, in memory and (two apps, as two hosts) in
the machine's Redis."""

from __future__ import annotations

import re
import uuid

import pytest

from indsatsteam import create_app
from indsatsteam.calendar import services as calendar_services
from indsatsteam.extensions import db
from indsatsteam.models import Role

from helpers import PASSWORD, FreshUserClient, csrf_token, text_of

REDIS_URL = "redis://127.0.0.1:6379/12"
LIMITED = {"RATELIMIT_ENABLED": True, "LIMIT_REGISTRATION": "2 per minute",
           "LIMIT_FORGOT_PASSWORD": "2 per minute", "LIMIT_INVITATION_RESEND": "2 per minute",
           "LIMIT_CONFIRMATION_RESEND": "1 per hour", "LIMIT_CALENDAR_FEED": "2 per hour",
           "LIMIT_CALENDAR_FEED_PER_ADDRESS": "3 per hour"}
TOO_MANY = "For mange forsøg – prøv igen senere"


def _make(app, **settings):
    limited = create_app("test", {
        "SQLALCHEMY_DATABASE_URI": app.config["SQLALCHEMY_DATABASE_URI"],
        "RATELIMIT_KEY_PREFIX": f"test-{uuid.uuid4().hex}", **LIMITED, **settings})
    limited.test_client_class = FreshUserClient
    return limited


@pytest.fixture
def limited(app):
    made = _make(app)
    yield made
    with made.app_context():
        db.engine.dispose()


def _post(host, client, url, data=None, **kwargs):
    data = {"csrf_token": csrf_token(host, client), **(data or {})}
    return client.post(url, data=data, **kwargs)


def _is_429(response):
    assert response.status_code == 429
    assert TOO_MANY in text_of(response)
    assert int(response.headers["Retry-After"]) > 0
    return True


def _registration(n):
    return {"name": "Sofie Leder", "email": f"sofie{n}@tilbud.dk", "password": PASSWORD,
            "password_repeat": PASSWORD, "accept_terms": "y"}


def test_the_suite_runs_with_the_limits_off(app, client, post):
    assert app.config["RATELIMIT_ENABLED"] is False
    for n in range(8):
        assert post(client, "/opret-bruger", _registration(n)).status_code == 302


def test_registration_is_limited_per_address(limited):
    client = limited.test_client()
    assert client.get("/opret-bruger").status_code == 200  # pages are not counted
    for n in range(2):
        assert _post(limited, client, "/opret-bruger", _registration(n)).status_code == 302
    assert _is_429(_post(limited, client, "/opret-bruger", _registration(3)))
    assert client.get("/opret-bruger").status_code == 200
    other = limited.test_client()  # another address
    response = _post(limited, other, "/opret-bruger", _registration(4),
                     environ_base={"REMOTE_ADDR": "192.0.2.7"})
    assert response.status_code == 302


def test_forgotten_password_is_limited(limited):
    client = limited.test_client()
    for _ in range(2):
        response = _post(limited, client, "/glemt-adgangskode", {"email": "a@example.dk"})
        assert response.status_code == 302
    assert _is_429(_post(limited, client, "/glemt-adgangskode", {"email": "b@example.dk"}))


def _login(host, user):
    client = host.test_client()
    response = _post(host, client, "/log-ind", {"email": user.email, "password": PASSWORD})
    assert response.status_code == 302, text_of(response)
    return client


def test_invitation_resend_is_limited_per_admin(limited, make_user):
    admin = make_user(Role.ADMIN)
    invited = make_user(Role.CONSULTANT)
    client = _login(limited, admin)
    url = f"/admin/brugere/{invited.id}/inviter-igen"
    for _ in range(2):
        assert _post(limited, client, url).status_code == 302
    assert _is_429(_post(limited, client, url))


def test_confirmation_resend_at_login_is_limited_per_account(limited, make_user):
    from indsatsteam import mail

    user = make_user(confirmed=False)
    client = limited.test_client()
    response = _post(limited, client, "/log-ind", {"email": user.email, "password": PASSWORD})
    assert "Vi sender dig en ny e-mail" in text_of(response)
    sent = len(mail.outbox)
    response = _post(limited, client, "/log-ind", {"email": user.email, "password": PASSWORD},
                     environ_base={"REMOTE_ADDR": "192.0.2.9"})
    assert response.status_code == 429
    assert "Vi har allerede sendt dig flere e-mails" in text_of(response)
    assert len(mail.outbox) == sent


def test_the_calendar_feed_is_limited_per_token_and_address(limited, make_user):
    user = make_user()
    token = calendar_services.renew_token(user)
    db.session.commit()
    client = limited.test_client()
    for _ in range(2):
        assert client.get(f"/kalender/{token}.ics").status_code == 200
    assert _is_429(client.get(f"/kalender/{token}.ics"))
    # Guessing tokens from one address stops too (3 here; the refused request counted none).
    assert client.get("/kalender/gaet-et-token.ics").status_code == 404
    assert _is_429(client.get("/kalender/gaet-et-andet-token.ics"))


def _redis_answers() -> bool:
    try:
        import redis

        return bool(redis.Redis.from_url(REDIS_URL, socket_timeout=1).ping())
    except Exception:
        return False


@pytest.mark.skipif(not _redis_answers(), reason=f"Redis svarer ikke på {REDIS_URL}")
def test_a_limit_reached_through_one_host_holds_on_the_other(app):
    prefix = f"test-{uuid.uuid4().hex}"
    one, two = (_make(app, RATELIMIT_STORAGE_URI=REDIS_URL, RATELIMIT_KEY_PREFIX=prefix)
                for _ in range(2))
    try:
        first, second = one.test_client(), two.test_client()
        for n in range(2):
            assert _post(one, first, "/opret-bruger", _registration(n)).status_code == 302
        assert _is_429(_post(two, second, "/opret-bruger", _registration(5)))
    finally:
        for host in (one, two):
            with host.app_context():
                db.engine.dispose()
        import redis

        client = redis.Redis.from_url(REDIS_URL)
        for key in client.scan_iter(f"*{prefix}*"):
            client.delete(key)


def test_retry_after_is_a_number_of_seconds(limited):
    client = limited.test_client()
    for n in range(3):
        response = _post(limited, client, "/opret-bruger", _registration(n))
    assert re.fullmatch(r"\d+", response.headers["Retry-After"])
