"""Sessions that can be revoked, an absolute lifetime, and "Husk mig" tokens.

Flask-Login keeps `User.get_id()` in the signed session, and that is the user's random
`session_token`, not the user id. Giving the user a new token (logout, "Log ud alle steder",
password change or reset, role change, deactivation) makes every existing session cookie,
copies included, anonymous at its next request.

A login lasts at most SESSION_ABSOLUTE_HOURS, however active (the idle timeout in
session_timeout.py comes on top). "Husk mig" does not use Flask-Login's remember cookie
(the signed user id, the same on every login): the cookie holds a random series and token,
the database only the token's SHA-256, and each use replaces the token. A known series with
a wrong token means the cookie was copied and used: every token of the user ends.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import secrets
from datetime import timedelta

from flask import Flask, current_app, flash, g, redirect, request, session, url_for
from flask_login import current_user, login_user, logout_user, user_logged_in
from itsdangerous import BadSignature
from sqlalchemy import delete, select
from sqlalchemy.exc import DBAPIError

from .. import clock, signing
from ..domain.redirects import is_safe_next
from ..extensions import db, login_manager
from ..models import RememberToken, User

log = logging.getLogger(__name__)

REMEMBER_COOKIE = "indsatsteam_husk"
KNOWN_DEVICE_COOKIE = "indsatsteam_kendt_enhed"
KNOWN_DEVICE_DAYS = 180
LOGIN_AT_KEY = "login_at"
ABSOLUTE_MESSAGE = ("Du er blevet logget ud, fordi du har været logget ind i {hours} timer. "
                    "Log ind igen for at fortsætte.")


@login_manager.user_loader
def load_user(token: str) -> User | None:
    user = db.session.execute(
        select(User).where(User.session_token == token)).scalar_one_or_none()
    # A deactivated user's existing session ends at the next request.
    return user if user is not None and user.active else None


@login_manager.request_loader
def load_from_remember_cookie(req) -> User | None:
    """No user in the session: a valid "Husk mig" cookie logs the browser in again."""
    value = req.cookies.get(REMEMBER_COOKIE)
    if not value:
        return None
    # Anonymous while this runs: the commits below flush, and the audit trail then asks
    # for current_user, which must not call this loader again.
    g._login_user = login_manager.anonymous_user()
    series, _, token = value.partition(":")
    row = db.session.execute(
        select(RememberToken).where(RememberToken.series == series)).scalar_one_or_none()
    if row is None or row.expires_at <= clock.now() or not row.user.active:
        _clear_remember_cookie()
        return None
    if not hmac.compare_digest(row.token_hash, _digest(token)):
        log.warning("Husk mig-cookie med forkert token for bruger %s: alle sessioner lukkes",
                    row.user_id)
        revoke_all(row.user)
        db.session.commit()
        _clear_remember_cookie()
        return None
    user = row.user
    new_token = secrets.token_urlsafe(32)
    row.token_hash = _digest(new_token)
    row.last_used_at = clock.now()
    try:
        db.session.commit()
    except DBAPIError:
        db.session.rollback()
        log.exception("Kunne ikke forny Husk mig-token; browseren skal logge ind igen")
        return None
    g.set_remember_cookie = (f"{series}:{new_token}", row.expires_at)
    login_user(user)
    return user


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def remember(user: User) -> None:
    """Keep this browser logged in for REMEMBER_DAYS (set after login_user)."""
    series, token = secrets.token_urlsafe(24), secrets.token_urlsafe(32)
    expires = clock.now() + timedelta(days=current_app.config["REMEMBER_DAYS"])
    db.session.add(RememberToken(user_id=user.id, series=series, token_hash=_digest(token),
                                 expires_at=expires))
    db.session.commit()
    g.set_remember_cookie = (f"{series}:{token}", expires)


def _clear_remember_cookie() -> None:
    g.set_remember_cookie = None


def forget_this_browser() -> None:
    """Delete this browser's "Husk mig" token and its cookie."""
    series = (request.cookies.get(REMEMBER_COOKIE) or "").partition(":")[0]
    if series:
        db.session.execute(delete(RememberToken).where(RememberToken.series == series))
    _clear_remember_cookie()


def revoke_all(user: User) -> None:
    """End every session and "Husk mig" login of the user (the caller commits)."""
    user.rotate_session_token()
    db.session.execute(delete(RememberToken).where(RememberToken.user_id == user.id))


def end_session() -> None:
    """Log this browser out (timeouts): its "Husk mig" token goes too."""
    try:
        forget_this_browser()
        db.session.commit()
    except DBAPIError:
        db.session.rollback()
        log.exception("Kunne ikke slette Husk mig-token ved udlogning")
    logout_user()
    session.pop(LOGIN_AT_KEY, None)


def rotate_session() -> None:
    """A fresh session at login: nothing put in it before (by anybody) carries over, the
    CSRF token included (Flask-WTF keeps the request's copy in `g`)."""
    session.clear()
    g.pop("csrf_token", None)


def log_out(user: User, *, everywhere: bool) -> None:
    """Logout: a new session token, so a copied session cookie stops working too."""
    forget_this_browser()
    if everywhere:
        revoke_all(user)
    else:
        user.rotate_session_token()
    db.session.commit()
    logout_user()
    session.pop(LOGIN_AT_KEY, None)


# --- the browser that logged in before ----------------------------------------------------

def _device_serializer():
    return signing.serializer("known-device")


def is_known_device(fingerprint: str) -> bool:
    value = request.cookies.get(KNOWN_DEVICE_COOKIE)
    if not value:
        return False
    try:
        stored = _device_serializer().loads(value, max_age=KNOWN_DEVICE_DAYS * 86400)
    except BadSignature:
        return False
    return stored == fingerprint


def mark_known_device(fingerprint: str) -> None:
    g.set_known_device = _device_serializer().dumps(fingerprint)


# --- wiring ---------------------------------------------------------------------------------

def init_app(app: Flask) -> None:
    app.config.setdefault("SESSION_ABSOLUTE_HOURS", 12)
    app.config.setdefault("REMEMBER_DAYS", 30)
    user_logged_in.connect(_on_login, app)
    app.before_request(_check_absolute_lifetime)
    app.after_request(_write_cookies)


def _on_login(sender, user) -> None:
    session[LOGIN_AT_KEY] = int(clock.now().timestamp())


def _check_absolute_lifetime():
    # Load the user now, before any flush: the "Husk mig" loader commits, which it must not
    # do from inside a flush that asks for current_user (the audit trail's actor).
    if request.endpoint == "static" or not current_user.is_authenticated:
        return None
    hours = current_app.config["SESSION_ABSOLUTE_HOURS"]
    if not hours:
        return None
    login_at = session.get(LOGIN_AT_KEY)
    now = int(clock.now().timestamp())
    if isinstance(login_at, int) and now - login_at <= hours * 3600:
        return None
    end_session()
    hours_text = str(int(hours)) if float(hours).is_integer() else str(hours)
    flash(ABSOLUTE_MESSAGE.format(hours=hours_text), "info")
    target = request.full_path.rstrip("?") if request.method == "GET" else None
    return redirect(url_for("auth.login", next=target if is_safe_next(target) else None))


def _write_cookies(response):
    cfg = current_app.config
    secure, samesite = cfg["SESSION_COOKIE_SECURE"], cfg["SESSION_COOKIE_SAMESITE"]
    if "set_remember_cookie" in g:
        value = g.pop("set_remember_cookie")
        if value is None:
            response.delete_cookie(REMEMBER_COOKIE, httponly=True, secure=secure,
                                   samesite=samesite)
        else:
            cookie, expires = value
            response.set_cookie(REMEMBER_COOKIE, cookie, expires=expires,
                                httponly=True, secure=secure, samesite=samesite)
    if "set_known_device" in g:
        response.set_cookie(KNOWN_DEVICE_COOKIE, g.pop("set_known_device"),
                            max_age=KNOWN_DEVICE_DAYS * 86400, httponly=True, secure=secure,
                            samesite=samesite)
    return response
