"""Migrations are the only schema source: upgrade, no drift, downgrade to base, upgrade again,
on SQLite always and on PostgreSQL when the suite runs against it."""

from __future__ import annotations

import os

import pytest
from flask_migrate import check, downgrade, upgrade
from sqlalchemy import create_engine, inspect, text

from indsatsteam import create_app
from indsatsteam.extensions import db


def _fresh_postgres_database(base_url: str) -> str:
    """A separate database beside the suite's own, so the suite's schema stays untouched."""
    engine = create_engine(base_url, isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        conn.execute(text("DROP DATABASE IF EXISTS indsatsteam_migrations WITH (FORCE)"))
        conn.execute(text("CREATE DATABASE indsatsteam_migrations"))
    engine.dispose()
    return base_url.rsplit("/", 1)[0] + "/indsatsteam_migrations"


@pytest.fixture
def migration_url(tmp_path):
    url = os.environ.get("TEST_DATABASE_URL", "")
    if url.startswith("postgresql"):
        return _fresh_postgres_database(url)
    return f"sqlite:///{tmp_path / 'migrations.db'}"


def _tables(app) -> set[str]:
    return set(inspect(db.engine).get_table_names()) - {"alembic_version"}


def test_upgrade_check_downgrade_upgrade(migration_url):
    app = create_app("test", {"SQLALCHEMY_DATABASE_URI": migration_url})
    with app.app_context():
        upgrade()
        assert _tables(app) == {t.name for t in db.metadata.sorted_tables}
        check()  # exits non-zero if the models and the migrations disagree
        themes = db.session.execute(text("SELECT name FROM themes ORDER BY position")).scalars()
        assert list(themes) == ["Ledelse og organisation", "Helhed og sammenhæng",
                                "Samarbejde med borgeren", "Sundhed", "Civilsamfund",
                                "Uddannelse og beskæftigelse"]
        db.session.remove()
        downgrade(revision="base")
        assert _tables(app) == set()
        upgrade()
        assert "applications" in _tables(app)
        db.session.remove()
        db.engine.dispose()
