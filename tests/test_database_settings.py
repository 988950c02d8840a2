"""Database settings from the environment (config.engine_options) and what a worker does when
the database drops its connections: it recovers without a restart of the app."""

from __future__ import annotations

import pytest
from sqlalchemy import create_engine, text

from config import engine_options
from indsatsteam.extensions import db

PG = "postgresql+psycopg://u@h/db"


def test_sqlite_gets_only_the_ping():
    assert engine_options("sqlite:///x.db", {}) == {"pool_pre_ping": True}


def test_postgres_pool_and_statement_timeout_from_the_environment():
    options = engine_options(PG, {"DB_POOL_SIZE": "3", "DB_MAX_OVERFLOW": "2",
                                  "DB_POOL_RECYCLE": "600", "DB_STATEMENT_TIMEOUT_MS": "1500"})
    assert options == {"pool_pre_ping": True, "pool_size": 3, "max_overflow": 2,
                       "pool_recycle": 600, "pool_timeout": 30,
                       "connect_args": {"options": "-c statement_timeout=1500"}}


def test_defaults_and_a_timeout_of_zero_is_off():
    options = engine_options(PG, {})
    assert options["pool_size"] == 5 and options["max_overflow"] == 10
    assert options["connect_args"] == {"options": "-c statement_timeout=30000"}
    assert "connect_args" not in engine_options(PG, {"DB_STATEMENT_TIMEOUT_MS": "0"})


def test_the_app_uses_the_options_for_its_own_url(app):
    assert app.config["SQLALCHEMY_ENGINE_OPTIONS"] == engine_options(
        app.config["SQLALCHEMY_DATABASE_URI"])
    assert db.engine.pool._pre_ping


def _postgres(app):
    if db.engine.dialect.name != "postgresql":
        pytest.skip("PostgreSQL only (TEST_DATABASE_URL)")


def test_statement_timeout_is_set_on_postgres(app):
    _postgres(app)
    with db.engine.connect() as conn:
        assert conn.execute(text("SHOW statement_timeout")).scalar() == "30s"
        with pytest.raises(Exception, match="statement timeout"):
            conn.execute(text("SET statement_timeout = 50"))
            conn.execute(text("SELECT pg_sleep(1)"))


def test_a_worker_recovers_after_its_connections_are_terminated(app, client, make_user, login):
    """As after a database restart: every connection in the pool is dead; the next requests
    are answered (pool_pre_ping replaces them), with no restart of the app."""
    _postgres(app)
    user = make_user()
    login(client, user)
    assert client.get("/min-profil").status_code == 200
    db.session.remove()  # the connections back in the pool, as between two requests
    with db.engine.connect() as conn:  # fill the pool with more than one
        with db.engine.connect() as other:
            pids = {conn.execute(text("SELECT pg_backend_pid()")).scalar(),
                    other.execute(text("SELECT pg_backend_pid()")).scalar()}
    killer = create_engine(app.config["SQLALCHEMY_DATABASE_URI"])
    try:
        with killer.connect() as conn:
            killed = conn.execute(text(
                "SELECT count(*) FILTER (WHERE pg_terminate_backend(pid)) FROM pg_stat_activity "
                "WHERE datname = current_database() AND pid <> pg_backend_pid()")).scalar()
    finally:
        killer.dispose()
    assert killed >= len(pids)
    for _ in range(3):
        assert client.get("/min-profil").status_code == 200
    assert client.get("/readyz").status_code == 200
    with db.engine.connect() as conn:
        assert conn.execute(text("SELECT pg_backend_pid()")).scalar() not in pids
