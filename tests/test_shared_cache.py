"""The dashboard overview in a cache shared by two app instances (two hosts) on Redis: the
same figures, computed at the same moment, for the same filters; clearing forgets only the
overview's keys. Redis is the machine's (redis://127.0.0.1:6379); skipped when it does not
answer."""

from __future__ import annotations

import re
import uuid
from datetime import timedelta

import pytest

from indsatsteam import clock, create_app
from indsatsteam.dashboards import overview
from indsatsteam.extensions import cache, db
from indsatsteam.models import Role

from helpers import PASSWORD, FreshUserClient, aware, csrf_token, text_of

REDIS_URL = "redis://127.0.0.1:6379/11"
URL = "/leder/overblik"
NOW = aware(2026, 12, 2, 10, 0)


def _redis_answers() -> bool:
    try:
        import redis

        return bool(redis.Redis.from_url(REDIS_URL, socket_timeout=1).ping())
    except Exception:
        return False


pytestmark = pytest.mark.skipif(not _redis_answers(), reason=f"Redis svarer ikke på {REDIS_URL}")


@pytest.fixture
def hosts(app):
    """Two apps on the same database and the same Redis, as two hosts are."""
    prefix = f"test-{uuid.uuid4().hex}:"
    made = []
    for _ in range(2):
        host = create_app("test", {
            "SQLALCHEMY_DATABASE_URI": app.config["SQLALCHEMY_DATABASE_URI"],
            "CACHE_TYPE": "RedisCache", "CACHE_REDIS_URL": REDIS_URL,
            "CACHE_KEY_PREFIX": prefix, "DASHBOARD_CACHE_SECONDS": 60})
        host.test_client_class = FreshUserClient
        made.append(host)
    yield made
    with made[0].app_context():
        cache.clear()  # only this test's prefix
    for host in made:
        with host.app_context():
            db.engine.dispose()


def _figures(host, client, query=None) -> str:
    with host.app_context():
        text = text_of(client.get(URL, query_string=query or {}))
    return text[text.index("Tallene er beregnet"):]


def _computed(text: str) -> str:
    return re.search(r"Tallene er beregnet (.+?) og beregnes", text).group(1)


def test_two_hosts_show_the_same_figures(hosts, make_user, make_provider, make_round,
                                         make_application):
    clock.freeze(NOW)
    manager = make_user(Role.MANAGER, name="Mona Manager")
    round_ = make_round(name="Efterårsrunden")
    make_application(round_, make_provider(), status="submitted")
    one, two = hosts
    first = _login_with(one, manager, PASSWORD)
    second = _login_with(two, manager, PASSWORD)

    seen_one = _figures(one, first)
    make_application(round_, make_provider(), status="submitted")  # the figures change
    clock.freeze(NOW + timedelta(seconds=20))
    seen_two = _figures(two, second)
    assert seen_two == seen_one  # the other host's kept overview, not its own
    assert "2. december 2026 kl. 11.00" in _computed(seen_two)

    with two.app_context():
        cache.set("other", "stays")
        overview.clear()
    fresh = _figures(one, first)
    assert fresh != seen_one and "kl. 11.00" in _computed(fresh)
    assert _figures(two, second) == fresh
    with one.app_context():
        assert cache.get("other") == "stays"


def test_the_cache_is_redis_with_a_redis_url(hosts):
    with hosts[0].app_context():
        assert type(cache.cache).__name__ == "RedisCache"


def _login_with(host, user, password):
    client = host.test_client()
    with host.app_context():
        token = csrf_token(host, client)
        response = client.post("/log-ind", data={"email": user.email, "password": password,
                                                 "csrf_token": token})
    assert response.status_code == 302, response.get_data(as_text=True)
    return client
