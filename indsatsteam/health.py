"""`/healthz` and `/readyz` for a proxy or a load balancer, answered before Flask sees the request.

A WSGI middleware in front of the app (and of ProxyFix): no session cookie is read or set, no
user is loaded, no request id or security hook runs, nothing is written to the access log or
the audit trail, and a check costs nothing on the app's hooks.

- `/healthz`: the process answers (200 "ok"); the database is not asked.
- `/readyz`: the database answers and its Alembic revision is the newest migration in
  migrations/versions (200 "klar"); otherwise 503 with the reason, so a proxy takes the host out
  of rotation while the database is away or a deploy has not migrated yet.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable

from alembic.script import ScriptDirectory
from flask import Flask
from sqlalchemy import text

from config import BASE_DIR

log = logging.getLogger(__name__)

HEALTH_PATH = "/healthz"
READY_PATH = "/readyz"
PATHS = frozenset({HEALTH_PATH, READY_PATH})
MIGRATIONS_DIR = BASE_DIR / "migrations"


def head_revisions() -> frozenset[str]:
    """The newest revision(s) in migrations/versions."""
    return frozenset(ScriptDirectory(str(MIGRATIONS_DIR)).get_heads())


def readiness(app: Flask, heads: frozenset[str]) -> tuple[bool, str]:
    """(ready, reason): the database answers and is migrated to `heads`."""
    from .extensions import db

    try:
        with app.app_context(), db.engine.connect() as connection:
            found = {row[0] for row in connection.execute(
                text("SELECT version_num FROM alembic_version"))}
    except Exception as err:  # any failure to reach the database means "not ready"
        log.warning("readyz: databasen svarer ikke: %s", err.__class__.__name__)
        return False, "databasen svarer ikke"
    if found != heads:
        return False, (f"databasen er på revision {', '.join(sorted(found)) or 'ingen'}, "
                       f"migrationerne på {', '.join(sorted(heads))}")
    return True, "klar"


class HealthMiddleware:
    def __init__(self, app: Flask, wsgi_app: Callable) -> None:
        self.app = app
        self.wsgi_app = wsgi_app
        self.heads = head_revisions()

    def __call__(self, environ: dict, start_response: Callable) -> Iterable[bytes]:
        path = environ.get("PATH_INFO", "")
        if path not in PATHS:
            return self.wsgi_app(environ, start_response)
        if environ.get("REQUEST_METHOD") not in ("GET", "HEAD"):
            return _answer(start_response, "405 Method Not Allowed", "kun GET",
                           [("Allow", "GET, HEAD")])
        if path == HEALTH_PATH:
            return _answer(start_response, "200 OK", "ok")
        ready, reason = readiness(self.app, self.heads)
        return _answer(start_response, "200 OK" if ready else "503 Service Unavailable", reason)


def _answer(start_response: Callable, status: str, body: str,
            extra: list[tuple[str, str]] | None = None) -> list[bytes]:
    data = (body + "\n").encode()
    start_response(status, [("Content-Type", "text/plain; charset=utf-8"),
                            ("Content-Length", str(len(data))),
                            ("Cache-Control", "no-store"), *(extra or [])])
    return [data]


def init_app(app: Flask) -> None:
    app.wsgi_app = HealthMiddleware(app, app.wsgi_app)  # type: ignore[method-assign]
