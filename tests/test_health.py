"""/healthz and /readyz (indsatsteam/health.py): answered in front of Flask, without sessions,
the access log or (for /healthz) the database."""

from __future__ import annotations

from sqlalchemy import event, select, text

from indsatsteam import health
from indsatsteam.extensions import db
from indsatsteam.models import AccessLogEntry


def _statements(app, client, url):
    seen = []

    def count(*_args):
        seen.append(1)

    event.listen(db.engine, "before_cursor_execute", count)
    try:
        response = client.get(url)
    finally:
        event.remove(db.engine, "before_cursor_execute", count)
    return response, len(seen)


def test_healthz_answers_without_the_database(app, client):
    response, statements = _statements(app, client, "/healthz")
    assert response.status_code == 200
    assert response.get_data(as_text=True) == "ok\n"
    assert statements == 0
    assert response.headers["Cache-Control"] == "no-store"


def test_health_checks_set_no_cookie_and_log_nothing(app, client, make_user, login):
    login(client, make_user())
    for url in ("/healthz", "/readyz"):
        response = client.get(url)
        assert response.status_code == 200
        assert "Set-Cookie" not in response.headers
        assert "X-Request-ID" not in response.headers  # no Flask hook ran
    assert db.session.execute(select(AccessLogEntry)).first() is None


def test_readyz_checks_the_database_and_the_migration_head(app, client):
    response = client.get("/readyz")
    assert response.status_code == 200
    assert response.get_data(as_text=True) == "klar\n"
    assert health.head_revisions()


def test_readyz_is_503_when_the_database_is_behind(app, client):
    with db.engine.begin() as conn:
        (current,) = conn.execute(text("SELECT version_num FROM alembic_version")).one()
        conn.execute(text("UPDATE alembic_version SET version_num = '0001'"))
    try:
        response = client.get("/readyz")
        assert response.status_code == 503
        assert "revision 0001" in response.get_data(as_text=True)
    finally:
        with db.engine.begin() as conn:
            conn.execute(text("UPDATE alembic_version SET version_num = :v"), {"v": current})


def test_readyz_is_503_when_the_database_does_not_answer(app, client, monkeypatch):
    def broken(*_args, **_kwargs):
        raise OSError("connection refused")

    monkeypatch.setattr(type(db.engine), "connect", broken)
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.get_data(as_text=True) == "databasen svarer ikke\n"


def test_health_checks_take_only_get(client):
    assert client.post("/healthz").status_code == 405
