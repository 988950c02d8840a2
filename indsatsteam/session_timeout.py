"""Idle session timeout: a signed session ends after SESSION_IDLE_MINUTES without activity.

The last activity (epoch seconds from ``clock.now()``) lives in the signed session cookie.
Every authenticated request refreshes it, except static files and requests that announce
themselves as background work with the ``X-Session-Passive`` header, so polling never keeps
a forgotten browser logged in. An expired request is logged out with
``auth.sessions.end_session()``, which also deletes this browser's "Husk mig" token, so it
cannot log the user back in.
"""

from __future__ import annotations

from flask import Flask, current_app, flash, redirect, request, session, url_for
from flask_login import current_user, user_logged_in

from . import clock
from .domain.redirects import is_safe_next

LAST_ACTIVE_KEY = "last_active"
PASSIVE_HEADER = "X-Session-Passive"
EXPIRED_MESSAGE = "Du er blevet logget ud, fordi du ikke har været aktiv i {minutes} minutter."


def idle_seconds() -> int:
    return int(current_app.config["SESSION_IDLE_MINUTES"] * 60)


def touch() -> None:
    """Mark the session as active now."""
    session[LAST_ACTIVE_KEY] = int(clock.now().timestamp())


def init_app(app: Flask) -> None:
    app.config.setdefault("SESSION_IDLE_MINUTES", 30)
    app.config.setdefault("SESSION_WARNING_MINUTES", 5)
    app.before_request(_check_idle)
    # A fresh login (also one restored from the "Husk mig" cookie, which logs in again)
    # starts a fresh idle period, whatever an earlier session left behind.
    user_logged_in.connect(_on_login, app)


def _on_login(sender, user) -> None:
    touch()


def _check_idle():
    if not idle_seconds() or request.endpoint == "static" \
            or not current_user.is_authenticated:
        return None
    last = session.get(LAST_ACTIVE_KEY)
    now = int(clock.now().timestamp())
    if isinstance(last, int) and now - last > idle_seconds():
        return _expire()
    if last is None or request.headers.get(PASSIVE_HEADER) != "1":
        touch()
    return None


def _expire():
    from .auth.sessions import end_session

    end_session()
    session.pop(LAST_ACTIVE_KEY, None)
    minutes = current_app.config["SESSION_IDLE_MINUTES"]
    flash(EXPIRED_MESSAGE.format(minutes=_minutes_text(minutes)), "info")
    target = request.full_path.rstrip("?") if request.method == "GET" else None
    return redirect(url_for("auth.login", next=target if is_safe_next(target) else None))


def _minutes_text(minutes: float) -> str:
    return str(int(minutes)) if float(minutes).is_integer() else str(minutes)
