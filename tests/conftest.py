"""Shared fixtures: an app migrated on SQLite or PostgreSQL, clients, users and factories.

The schema comes from the migrations only (never create_all). Set TEST_DATABASE_URL to run
the whole suite against PostgreSQL, e.g. postgresql+psycopg://postgres@127.0.0.1:5432/test.
"""

from __future__ import annotations

import os
from datetime import date, datetime, timedelta
from itertools import count

import pytest
from flask_migrate import upgrade
from sqlalchemy import text

from indsatsteam import clock, create_app, mail
from indsatsteam.auth.services import create_user
from indsatsteam.domain.applications import ApplicationStatus
from indsatsteam.domain.municipalities import region_for
from indsatsteam.engagements.planning import create_engagement
from indsatsteam.extensions import db
from indsatsteam.models import (
    Application,
    ApplicationRound,
    Provider,
    ProviderMembership,
    Role,
    Theme,
)

from helpers import PASSWORD, FreshUserClient, complete_answers, csrf_token, first_themes

# Tables whose rows come from the migrations: restored to their seeded state after each test
# (a test may add a catalogue version or edit the phase template).
SEEDED_TABLES = ("themes", "recommendation_catalogues", "recommendations", "phase_templates",
                 "task_templates", "reminder_rules", "retention_policies", "method_libraries",
                 "methods", "indicator_catalogues", "indicators")
_seeded_rows: dict[str, list[dict]] = {}
_seq = count(1)


def database_url(tmp_path_factory) -> str:
    url = os.environ.get("TEST_DATABASE_URL")
    if url:
        return url
    return f"sqlite:///{tmp_path_factory.mktemp('db') / 'test.db'}"


def reset_postgres(url: str) -> None:
    from sqlalchemy import create_engine

    engine = create_engine(url)
    with engine.begin() as conn:
        conn.execute(text("DROP SCHEMA public CASCADE"))
        conn.execute(text("CREATE SCHEMA public"))
    engine.dispose()


@pytest.fixture(scope="session")
def app(tmp_path_factory):
    url = database_url(tmp_path_factory)
    if url.startswith("postgresql"):
        reset_postgres(url)
    app = create_app("test", {"SQLALCHEMY_DATABASE_URI": url})
    app.test_client_class = FreshUserClient
    with app.app_context():
        upgrade()
        with db.engine.connect() as conn:
            for name in SEEDED_TABLES:
                table = db.metadata.tables[name]
                _seeded_rows[name] = [dict(r._mapping) for r in conn.execute(table.select())]
    return app


@pytest.fixture(autouse=True)
def _clean(app):
    """Every test starts with empty tables (but the seeded data), a thawed clock and an
    empty mail outbox."""
    with app.app_context():
        yield
        db.session.remove()
        with db.engine.begin() as conn:
            for table in reversed(db.metadata.sorted_tables):
                conn.execute(table.delete())
            for table in db.metadata.sorted_tables:
                if _seeded_rows.get(table.name):
                    conn.execute(table.insert(), _seeded_rows[table.name])
    clock.freeze(None)
    mail.outbox.clear()


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


# --- CSRF: the tests post real tokens, as a browser would -------------------------------------

@pytest.fixture
def post(app):
    """post(client, url, data) with a valid CSRF token added."""

    def _post(client, url, data=None, **kwargs):
        data = dict(data or {})
        data.setdefault("csrf_token", csrf_token(app, client))
        return client.post(url, data=data, **kwargs)

    return _post


# --- factories --------------------------------------------------------------------------------

@pytest.fixture
def make_user(app):
    def _make(role: str = Role.APPLICANT, email: str | None = None, name: str | None = None,
              provider: Provider | None = None, confirmed: bool = True):
        n = next(_seq)
        user = create_user(email or f"{role}{n}@example.dk", name or f"Bruger {n}", role,
                           PASSWORD, confirmed=confirmed)
        if provider is not None:
            db.session.add(ProviderMembership(user=user, provider=provider))
        db.session.commit()
        return user

    return _make


@pytest.fixture
def make_provider(app):
    def _make(**values):
        n = next(_seq)
        defaults = dict(name=f"Tilbud {n}", cvr="10000009", p_number=f"{n:010d}", kind="sel108",
                        owner_type="kommune", municipality_code="751", address="Vej 1",
                        postal_code="8000", city="Aarhus C", contact_name="Kim Kontakt",
                        contact_email=f"kontakt{n}@example.dk", contact_phone="12345678")
        defaults.update(values)
        defaults["region"] = region_for(defaults["municipality_code"])
        provider = Provider(**defaults)
        db.session.add(provider)
        db.session.commit()
        return provider

    return _make


@pytest.fixture
def make_round(app):
    def _make(opens_at: datetime | None = None, closes_at: datetime | None = None, **values):
        now = clock.now()
        round_ = ApplicationRound(
            name=values.pop("name", f"Runde {next(_seq)}"),
            description=values.pop("description", "Beskrivelse af runden"),
            opens_at=opens_at or now - timedelta(days=10),
            closes_at=closes_at or now + timedelta(days=10),
            programmes_offered=values.pop("programmes_offered", 5), **values)
        db.session.add(round_)
        db.session.commit()
        return round_

    return _make


@pytest.fixture
def make_application(app):
    def _make(round_: ApplicationRound, provider: Provider, status: str = ApplicationStatus.DRAFT,
              complete: bool = True, **values):
        application = Application(round=round_, provider=provider, status=status, **values)
        if complete:
            for key, value in complete_answers().items():
                values.setdefault(key, value)
                setattr(application, key, values[key])
            application.desired_start = values.get(
                "desired_start", round_.closes_at.date() + timedelta(days=30))
            application.themes = list(db.session.execute(
                db.select(Theme).order_by(Theme.position).limit(2)).scalars())
            application.current_step = 5
        if status != ApplicationStatus.DRAFT:
            application.submitted_at = clock.now()
            application.reference = f"IT-2026-{next(_seq):04d}"
        db.session.add(application)
        db.session.commit()
        return application

    return _make


@pytest.fixture
def make_engagement(app, make_user, make_round, make_provider, make_application):
    """make_engagement(lead=…, …): a forløb made the way approval makes it (phase plan,
    standard tasks, first transition), committed. Without an application, an approved one
    is made for `provider` (or a new one) in `round_` (or a new one); without a lead or a
    manager (the actor), new ones are made. themes: a count of the first seeded themes or
    Theme objects. phase sets the phase directly (no gates); template_tasks=False removes
    the standard tasks, for tests that count their own."""

    def _make(application: Application | None = None, *, lead=None, second=None, manager=None,
              provider: Provider | None = None, round_: ApplicationRound | None = None,
              planned_start: date = date(2026, 12, 1), months: int = 6, themes=1,
              phase: str | None = None, template_tasks: bool = True):
        if application is None:
            application = make_application(round_ or make_round(), provider or make_provider(),
                                           status=ApplicationStatus.APPROVED)
        lead = lead or make_user(Role.CONSULTANT)
        manager = manager or make_user(Role.MANAGER)
        chosen = first_themes(themes) if isinstance(themes, int) else list(themes)
        engagement = create_engagement(
            application, lead_consultant_id=lead.id,
            second_consultant_id=second.id if second else None, planned_start=planned_start,
            duration_months=months, theme_ids=[t.id for t in chosen], actor=manager)
        if phase is not None:
            engagement.phase = phase
        if not template_tasks:
            engagement.tasks.clear()  # before the flush: never inserted, nothing in the trail
        db.session.commit()
        return engagement

    return _make


@pytest.fixture
def login(post):
    def _login(client, user, password: str = PASSWORD):
        response = post(client, "/log-ind", {"email": user.email, "password": password})
        assert response.status_code == 302, response.get_data(as_text=True)
        return response

    return _login


# --- the real OpenID provider (tests/oidc_helpers.py) ----------------------------------------

@pytest.fixture(scope="session")
def oidc_provider():
    """[the provider process], replaced by ensure_running() should it stop."""
    from oidc_helpers import start_provider

    holder = [start_provider(["http://localhost"])]
    yield holder
    holder[0].stop()


@pytest.fixture
def oidc(app, oidc_provider, monkeypatch):
    """The app with both OpenID providers configured against the test provider."""
    oidc_provider[0] = oidc_provider[0].ensure_running()
    monkeypatch.setitem(app.config, "OIDC_PROVIDERS", oidc_provider[0].settings())
    return oidc_provider[0]
