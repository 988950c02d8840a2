"""Rate limits on the abuse-prone requests that are not logins (Flask-Limiter).

The login limits live in the database (auth/throttle.py). The others are counted by
Flask-Limiter, in Redis when REDIS_URL is set (every worker and host shares the counters) and
in the process without it (RATELIMIT_STORAGE_URI). A request over a limit gets the Danish 429
page (errors.py) with Retry-After. The limits are strings in Flask-Limiter's notation, from the
environment (config.py):

| endpoint | setting | counted per |
|---|---|---|
| `auth.register` (POST) | LIMIT_REGISTRATION | client address |
| `auth.forgot_password` (POST) | LIMIT_FORGOT_PASSWORD | client address |
| `users.resend_invitation` | LIMIT_INVITATION_RESEND | admin |
| `calendar.feed` | LIMIT_CALENDAR_FEED / …_PER_ADDRESS | token (hashed) / address |
| the confirmation e-mail sent again at login | LIMIT_CONFIRMATION_RESEND | account (hashed) |

Each app gets its own Limiter (Flask-Limiter keeps its storage and switches on the instance),
attached to the endpoints' views here rather than by decorators on the routes.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable

from flask import Flask, current_app, request
from flask_limiter import Limiter
from flask_login import current_user
from limits import parse_many

from .auth.throttle import client_key

EXTENSION = "indsatsteam_limiter"


def by_address() -> str:
    """The client's address as the login throttle counts it (an IPv6 address by its /64);
    behind a proxy, PROXY_COUNT makes it the client's, not the proxy's."""
    return client_key(request.remote_addr or "unknown")


def by_user() -> str:
    return f"user:{current_user.id}" if current_user.is_authenticated else by_address()


def _digest(value: str) -> str:
    return hashlib.sha256(value.encode()).hexdigest()[:32]


def by_token() -> str:
    """The calendar token, hashed: the counter's key never holds a working secret."""
    return "token:" + _digest((request.view_args or {}).get("token", ""))


# endpoint: [(setting, counted per, methods or None for all)]
LIMITS: dict[str, list[tuple[str, Callable[[], str], list[str] | None]]] = {
    "auth.register": [("LIMIT_REGISTRATION", by_address, ["POST"])],
    "auth.forgot_password": [("LIMIT_FORGOT_PASSWORD", by_address, ["POST"])],
    "users.resend_invitation": [("LIMIT_INVITATION_RESEND", by_user, None)],
    "calendar.feed": [("LIMIT_CALENDAR_FEED", by_token, None),
                      ("LIMIT_CALENDAR_FEED_PER_ADDRESS", by_address, None)],
}


def init_app(app: Flask) -> None:
    limiter = Limiter(key_func=by_address, app=app)
    app.extensions[EXTENSION] = limiter
    for endpoint, rules in LIMITS.items():
        view = app.view_functions[endpoint]
        for setting, key_func, methods in rules:
            view = limiter.limit(lambda setting=setting: current_app.config[setting],
                                 key_func=key_func, methods=methods,
                                 scope=f"{endpoint}:{setting}")(view)
        app.view_functions[endpoint] = view


def limiter() -> Limiter:
    return current_app.extensions[EXTENSION]


def allow_confirmation_resend(email: str) -> bool:
    """Count one confirmation e-mail sent again to `email` at login; False when the account
    is over LIMIT_CONFIRMATION_RESEND (then none is sent)."""
    ext = limiter()
    if not ext.enabled:
        return True
    key = "confirmation:" + _digest(email.strip().lower())
    try:
        return all(ext.limiter.hit(item, "confirmation-resend", key)
                   for item in parse_many(current_app.config["LIMIT_CONFIRMATION_RESEND"]))
    except Exception:  # the storage away: the mail queue's per-address cap still holds
        current_app.logger.warning("Hastighedsgrænsen kunne ikke tælles", exc_info=True)
        return True
