"""Signed links (e-mail confirmation, password reset, invitations, known devices).

The one place that reads SECRET_KEY and INVITE_MAX_AGE for them, so the services that make
and check the links stay free of the app's config.
"""

from __future__ import annotations

from flask import current_app
from itsdangerous import TimestampSigner, URLSafeTimedSerializer

from . import clock

DEFAULT_INVITE_MAX_AGE = 7 * 86400


class ClockSigner(TimestampSigner):
    """Signs with the app's clock, so the link's age follows a frozen clock in tests."""

    def get_timestamp(self) -> int:
        return int(clock.now().timestamp())


def serializer(purpose: str, *, app_clock: bool = False) -> URLSafeTimedSerializer:
    """A serializer salted by purpose, so a token made for one use is refused by another.
    ``app_clock`` dates the token by the app's clock (invitations, whose age tests move)."""
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=purpose,
                                  signer=ClockSigner if app_clock else TimestampSigner)


def invite_max_age() -> int:
    """Seconds an invitation link works (INVITE_MAX_AGE)."""
    return current_app.config.get("INVITE_MAX_AGE", DEFAULT_INVITE_MAX_AGE)
