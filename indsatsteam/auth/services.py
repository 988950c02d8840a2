"""Accounts: passwords, login with rate limit, signed e-mail links. The caller commits."""

from __future__ import annotations

import logging
import smtplib
from datetime import timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from flask import current_app
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer
from sqlalchemy import delete, func, select

from .. import clock, mail
from ..domain.errors import DomainError
from ..domain.passwords import check_password_strength
from ..extensions import db
from ..links import absolute_url_for
from ..models import LoginAttempt, Role, User

log = logging.getLogger(__name__)
_hashers: dict[tuple, PasswordHasher] = {}


def _hasher() -> PasswordHasher:
    # Tests use cheap parameters; production the argon2 defaults (RFC 9106 low-memory).
    params = tuple(sorted(current_app.config.get("ARGON2_PARAMS", {}).items()))
    if params not in _hashers:
        _hashers[params] = PasswordHasher(**dict(params))
    return _hashers[params]

CONFIRM_PURPOSE = "confirm-email"
RESET_PURPOSE = "reset-password"


class LoginRefused(DomainError):
    pass


class TooManyAttempts(DomainError):
    pass


def normalise_email(email: str) -> str:
    return email.strip().lower()


def hash_password(password: str) -> str:
    return _hasher().hash(password)


def verify_password(user: User, password: str) -> bool:
    try:
        return _hasher().verify(user.password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def get_user_by_email(email: str) -> User | None:
    return db.session.execute(
        select(User).where(User.email == normalise_email(email))
    ).scalar_one_or_none()


def create_user(email: str, name: str, role: str, password: str, *, confirmed: bool = False,
                check_strength: bool = True) -> User:
    """Create a user; raises DomainError when the e-mail is taken or the password is weak."""
    email = normalise_email(email)
    Role(role)  # refuse unknown roles early
    if check_strength:
        check_password_strength(password, email)
    if get_user_by_email(email) is not None:
        raise DomainError("Der findes allerede en bruger med den e-mailadresse", field="email")
    user = User(email=email, name=name.strip(), role=role, password_hash=hash_password(password),
                email_confirmed_at=clock.now() if confirmed else None)
    db.session.add(user)
    db.session.flush()
    return user


# --- login with a rate limit per account and per IP address --------------------------------

def _attempt_keys(email: str, ip: str) -> tuple[str, str]:
    return f"account:{normalise_email(email)}", f"ip:{ip}"


def _recent_failures(key: str) -> int:
    since = clock.now() - timedelta(seconds=current_app.config["LOGIN_WINDOW_SECONDS"])
    return db.session.execute(
        select(func.count()).select_from(LoginAttempt)
        .where(LoginAttempt.key == key, LoginAttempt.at >= since)
    ).scalar_one()


def authenticate(email: str, password: str, ip: str) -> User:
    """The user for these credentials, or LoginRefused / TooManyAttempts (Danish messages).

    A refused login adds two failed attempts to the session: the caller commits them (they
    count towards the limit) before it shows the refusal."""
    cfg = current_app.config
    account_key, ip_key = _attempt_keys(email, ip)
    if (_recent_failures(account_key) >= cfg["LOGIN_MAX_ATTEMPTS_PER_ACCOUNT"]
            or _recent_failures(ip_key) >= cfg["LOGIN_MAX_ATTEMPTS_PER_IP"]):
        minutes = cfg["LOGIN_WINDOW_SECONDS"] // 60
        raise TooManyAttempts(
            f"For mange mislykkede forsøg på at logge ind. Prøv igen senere (om op til "
            f"{minutes} minutter), eller nulstil din adgangskode."
        )
    user = get_user_by_email(email)
    if user is None or not verify_password(user, password) or not user.active:
        db.session.add_all([LoginAttempt(key=account_key), LoginAttempt(key=ip_key)])
        raise LoginRefused("E-mailadressen eller adgangskoden er forkert", field="email")
    db.session.execute(delete(LoginAttempt).where(LoginAttempt.key == account_key))
    return user


# --- signed links ---------------------------------------------------------------------------

def _serializer(purpose: str) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=purpose)


def make_token(user: User, purpose: str) -> str:
    # The reset token carries part of the current hash, so it stops working once used.
    payload = {"uid": user.id, "email": user.email}
    if purpose == RESET_PURPOSE:
        payload["ph"] = user.password_hash[-16:]
    return _serializer(purpose).dumps(payload)


def load_token(token: str, purpose: str, max_age: int) -> User | None:
    try:
        payload = _serializer(purpose).loads(token, max_age=max_age)
    except (SignatureExpired, BadSignature):
        return None
    user = db.session.get(User, payload.get("uid"))
    if user is None or user.email != payload.get("email"):
        return None
    if purpose == RESET_PURPOSE and user.password_hash[-16:] != payload.get("ph"):
        return None
    return user


def send_confirmation(user: User) -> None:
    token = make_token(user, CONFIRM_PURPOSE)
    _send_quietly(user.email, "Bekræft din e-mailadresse", "confirm_email", user=user,
                  url=absolute_url_for("auth.confirm", token=token))


def send_already_registered(user: User) -> None:
    _send_quietly(user.email, "Du har allerede en bruger", "already_registered", user=user,
                  login_url=absolute_url_for("auth.login"),
                  reset_url=absolute_url_for("auth.forgot_password"))


def send_password_reset(user: User) -> None:
    token = make_token(user, RESET_PURPOSE)
    _send_quietly(user.email, "Nulstil din adgangskode", "reset_password", user=user,
                  url=absolute_url_for("auth.reset_password", token=token))


def _send_quietly(to: str, subject: str, template: str, **context) -> None:
    # A mail server that is away must not break the page; the user can ask again.
    try:
        mail.send_mail(to, subject, template, **context)
    except (smtplib.SMTPException, OSError):
        log.exception("Kunne ikke sende e-mail '%s' til %s", subject, to)


def confirm_email(user: User) -> None:
    if user.email_confirmed_at is None:
        user.email_confirmed_at = clock.now()


def set_password(user: User, password: str) -> None:
    check_password_strength(password, user.email)
    user.password_hash = hash_password(password)
