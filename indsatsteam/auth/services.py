"""Accounts: passwords, throttled login, signed e-mail links, account e-mails (queued).

The caller commits."""

from __future__ import annotations

import logging

from itsdangerous import BadSignature, SignatureExpired
from sqlalchemy import select
from sqlalchemy.exc import DBAPIError

from .. import clock, signing
from ..domain.errors import DomainError
from ..domain.passwords import check_password_strength
from ..extensions import db
from ..links import absolute_url_for
from ..models import Role, User
from ..notifications.mail_queue import queue_mail
from . import hashing, sessions, throttle

log = logging.getLogger(__name__)

CONFIRM_PURPOSE = "confirm-email"
RESET_PURPOSE = "reset-password"


class LoginRefused(DomainError):
    pass


class TooManyAttempts(DomainError):
    pass


def normalise_email(email: str) -> str:
    return email.strip().lower()


def hash_password(password: str) -> str:
    return hashing.hasher().hash(password)


def verify_password(user: User, password: str) -> bool:
    if not user.password_hash.startswith("$argon2"):
        # An invitation's unusable password: still one argon2 run, so it takes as long.
        hashing.verify(hashing.dummy_hash(), password)
        return False
    return hashing.verify(user.password_hash, password)


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


# --- login, throttled (throttle.py) --------------------------------------------------------

def authenticate(email: str, password: str, ip: str, *, known_device: bool = False) -> User:
    """The user for these credentials, or LoginRefused / TooManyAttempts (Danish messages).

    Raises throttle.ThrottleUnavailable when the attempt cannot be counted (a read-only
    database): without the count every request would be a free guess, so the route asks
    the user to try again rather than checking the password unthrottled.
    """
    attempt = throttle.begin_attempt(email, ip, known_device=known_device)
    if isinstance(attempt, throttle.Refusal):
        raise TooManyAttempts(attempt.message)
    user = get_user_by_email(email)
    if user is None:
        hashing.verify(hashing.dummy_hash(), password)
        raise LoginRefused("E-mailadressen eller adgangskoden er forkert", field="email")
    if not verify_password(user, password) or not user.active:
        raise LoginRefused("E-mailadressen eller adgangskoden er forkert", field="email")
    try:
        attempt.succeeded()
    except DBAPIError:
        # Giving the counts back is bookkeeping: the password was right, so let the login
        # proceed (the counts run out with the window anyway).
        log.exception("Kunne ikke nulstille login-tællerne efter et vellykket login")
    return user


# --- signed links ---------------------------------------------------------------------------

def make_token(user: User, purpose: str) -> str:
    # The reset token carries part of the current hash, so it stops working once used.
    payload = {"uid": user.id, "email": user.email}
    if purpose == RESET_PURPOSE:
        payload["ph"] = user.password_hash[-16:]
    return signing.serializer(purpose).dumps(payload)


def load_token(token: str, purpose: str, max_age: int) -> User | None:
    try:
        payload = signing.serializer(purpose).loads(token, max_age=max_age)
    except (SignatureExpired, BadSignature):
        return None
    user = db.session.get(User, payload.get("uid"))
    if user is None or user.email != payload.get("email"):
        return None
    if purpose == RESET_PURPOSE and user.password_hash[-16:] != payload.get("ph"):
        return None
    return user


def send_confirmation(user: User) -> None:
    """Queue the confirmation link (at most MAIL_MAX_PER_ADDRESS_PER_HOUR an hour)."""
    if not throttle.allow_mail("confirm", user.email):
        return
    token = make_token(user, CONFIRM_PURPOSE)
    queue_mail(user.email, "Bekræft din e-mailadresse", "confirm_email", user=user,
               url=absolute_url_for("auth.confirm", token=token))


def send_already_registered(user: User) -> None:
    if not throttle.allow_mail("registered", user.email):
        return
    queue_mail(user.email, "Du har allerede en bruger", "already_registered", user=user,
               login_url=absolute_url_for("auth.login"),
               reset_url=absolute_url_for("auth.forgot_password"))


def send_password_reset(user: User) -> None:
    if not throttle.allow_mail("reset", user.email):
        return
    token = make_token(user, RESET_PURPOSE)
    queue_mail(user.email, "Nulstil din adgangskode", "reset_password", user=user,
               url=absolute_url_for("auth.reset_password", token=token))


def spend_hash_time(password: str) -> None:
    """One argon2 run whose result is thrown away: registration of a known address takes
    as long as creating an account."""
    hashing.hasher().hash(password)


def confirm_email(user: User) -> None:
    if user.email_confirmed_at is None:
        user.email_confirmed_at = clock.now()


def set_password(user: User, password: str) -> None:
    """A new password (reset or change): every session and "Husk mig" login of the user
    ends, and the login delays on the account are lifted. The caller commits."""
    check_password_strength(password, user.email)
    user.password_hash = hash_password(password)
    sessions.revoke_all(user)
    throttle.clear_account(user.email, in_session=True)


def change_password(user: User, current: str, new: str) -> None:
    if not verify_password(user, current):
        raise DomainError("Den nuværende adgangskode er forkert", field="current_password")
    set_password(user, new)
