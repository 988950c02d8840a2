"""indsatsteam: case management for Socialstyrelsen's indsatsteam."""

from __future__ import annotations

import logging
import sys

from flask import Flask
from sqlalchemy import event
from sqlalchemy.engine import Engine
from werkzeug.middleware.proxy_fix import ProxyFix
from werkzeug.routing import IntegerConverter

from config import BASE_DIR, INSTANCE_DIR, engine_options, load_config

from .domain.login_methods import parse_password_login
from .extensions import babel, cache, csrf, db, login_manager, migrate


def create_app(config_name: str | None = None, overrides: dict | None = None) -> Flask:
    app = Flask(
        __name__,
        instance_path=str(INSTANCE_DIR),
        template_folder=str(BASE_DIR / "templates"),
    )
    app.config.from_object(load_config(config_name))
    if overrides:
        app.config.update(overrides)
    # A typo in PASSWORD_LOGIN stops the start rather than quietly turning passwords on/off.
    parse_password_login(app.config.get("PASSWORD_LOGIN"))
    # From the URL in force (the overrides may change it) unless given outright.
    app.config.setdefault("SQLALCHEMY_ENGINE_OPTIONS",
                          engine_options(app.config["SQLALCHEMY_DATABASE_URI"]))
    if _under_gunicorn():
        # A production server never runs Werkzeug's debugger, whatever the environment says.
        app.config["DEBUG"] = False
        app.debug = False
    INSTANCE_DIR.mkdir(parents=True, exist_ok=True)
    logging.basicConfig(level=logging.INFO)
    if proxies := app.config["PROXY_COUNT"]:
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=proxies, x_proto=proxies)

    # Ids in URLs stop at the database's integer range: a longer number is a 404, not a 500.
    app.url_map.converters["int"] = IdConverter
    _init_extensions(app)
    _register_blueprints(app)

    from . import (
        cli,
        errors,
        health,
        rate_limits,
        request_id,
        security,
        session_timeout,
        templating,
    )
    from .attachments import storage
    from .auth import sessions

    storage.configure(app.config["FILE_STORAGE"], app.config["FILE_CHUNK_KB"] * 1024)

    request_id.init_app(app)  # first: every later hook and error page has the id
    errors.init_app(app)
    rate_limits.init_app(app)
    security.init_app(app)
    sessions.init_app(app)
    session_timeout.init_app(app)
    templating.init_app(app)
    cli.init_app(app)
    health.init_app(app)  # last: outermost, in front of ProxyFix and every Flask hook
    return app


def _under_gunicorn() -> bool:
    return "gunicorn" in sys.modules


class IdConverter(IntegerConverter):
    def __init__(self, url_map, *args, **kwargs) -> None:
        kwargs.setdefault("max", 2**31 - 1)
        super().__init__(url_map, *args, **kwargs)


def _init_extensions(app: Flask) -> None:
    db.init_app(app)
    # render_as_batch lets Alembic alter SQLite tables by copy-and-move.
    migrate.init_app(app, db, directory=str(BASE_DIR / "migrations"), render_as_batch=True,
                     compare_type=True)
    csrf.init_app(app)
    cache.init_app(app)
    babel.init_app(app, locale_selector=lambda: "da", timezone_selector=lambda: "Europe/Copenhagen")
    login_manager.init_app(app)
    login_manager.login_view = "auth.login"
    login_manager.login_message = "Log ind for at se siden."
    login_manager.login_message_category = "info"

    from . import models  # noqa: F401  (registers the models with the metadata)
    from .audit import register_listeners

    register_listeners()


def _register_blueprints(app: Flask) -> None:
    from .admin.routes import bp as admin_bp
    from .applications.routes import bp as applications_bp
    from .attachments.routes import bp as attachments_bp
    from .audit.routes import bp as audit_bp
    from .auth.oidc_routes import bp as oidc_bp
    from .auth.routes import bp as auth_bp
    from .calendar.routes import bp as calendar_bp
    from .dashboards.routes import bp as dashboards_bp
    from .documents.routes import bp as documents_bp
    from .engagements.routes import bp as engagements_bp
    from .gdpr.routes import bp as gdpr_bp
    from .notifications.routes import bp as notifications_bp
    from .pages.routes import bp as pages_bp
    from .portal.routes import bp as portal_bp
    from .providers.routes import bp as providers_bp
    from .reviews.routes import bp as staff_bp
    from .rounds.routes import bp as rounds_bp
    from .themes.routes import bp as themes_bp
    from .users.routes import bp as users_bp

    app.register_blueprint(pages_bp)
    app.register_blueprint(auth_bp)
    app.register_blueprint(oidc_bp)
    app.register_blueprint(providers_bp)
    app.register_blueprint(applications_bp)
    app.register_blueprint(staff_bp)
    app.register_blueprint(engagements_bp)
    app.register_blueprint(dashboards_bp)
    app.register_blueprint(admin_bp)
    app.register_blueprint(portal_bp)
    app.register_blueprint(notifications_bp)
    app.register_blueprint(calendar_bp)
    app.register_blueprint(audit_bp)
    app.register_blueprint(gdpr_bp)
    app.register_blueprint(users_bp)
    app.register_blueprint(rounds_bp)
    app.register_blueprint(themes_bp)
    app.register_blueprint(attachments_bp)
    app.register_blueprint(documents_bp)


@event.listens_for(Engine, "connect")
def _sqlite_pragmas(dbapi_connection, connection_record) -> None:
    """Foreign keys on, WAL for concurrent readers, and a busy timeout instead of errors."""
    module = type(dbapi_connection).__module__
    if not module.startswith("sqlite3"):
        return
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA busy_timeout=5000")
    cursor.close()
