"""Staff accounts for the admin: invitations, roles, capacity, deactivation, anonymisation.

The services change the ORM objects (so the audit trail sees every change) and leave the
commit to the caller, so one request is one transaction.
"""

from __future__ import annotations

import logging
import secrets
import smtplib
from dataclasses import dataclass
from enum import StrEnum

from itsdangerous import BadSignature, SignatureExpired
from sqlalchemy import func, or_, select, update

from .. import clock, mail, signing
from ..auth import services as auth
from ..auth import sessions, throttle
from ..claims import claim
from ..domain.errors import DomainError
from ..domain.passwords import check_password_strength
from ..extensions import db
from ..links import absolute_url_for
from ..models import NotificationPreference, OidcIdentity, Role, User
from ..pagination import Page, paginate

log = logging.getLogger(__name__)

INVITE_PURPOSE = "invite-staff"
INVITE_ROLES = (Role.CONSULTANT, Role.MANAGER, Role.ADMIN)
MIN_CAPACITY, MAX_CAPACITY = 0, 50
PAGE_SIZE = 25
ANONYMOUS_NAME = "Anonymiseret bruger"


class UserStatus(StrEnum):
    ACTIVE = "aktiv"
    INVITED = "inviteret"
    DEACTIVATED = "deaktiveret"
    ANONYMISED = "anonymiseret"

    @property
    def label(self) -> str:
        return {"aktiv": "Aktiv", "inviteret": "Inviteret (har ikke valgt adgangskode)",
                "deaktiveret": "Deaktiveret", "anonymiseret": "Anonymiseret"}[self.value]


def status_of(user: User) -> UserStatus:
    if user.anonymised_at is not None:
        return UserStatus.ANONYMISED
    if not user.active:
        return UserStatus.DEACTIVATED
    if invitation_pending(user):
        return UserStatus.INVITED
    return UserStatus.ACTIVE


def invitation_pending(user: User) -> bool:
    """Invited, and the link has not been used yet (using it confirms the e-mail)."""
    return user.invited_at is not None and user.email_confirmed_at is None


def _unusable_password() -> str:
    # Not an argon2 hash, so no password verifies against it; the random part makes the
    # tail (which invitation and reset links carry) change every time.
    return "!" + secrets.token_hex(16)


# --- the list ---------------------------------------------------------------------------------

@dataclass(frozen=True)
class UserFilters:
    role: str = ""
    status: str = ""
    q: str = ""
    page: int = 1


def search_users(filters: UserFilters) -> Page[User]:
    query = select(User)
    if filters.role:
        query = query.where(User.role == filters.role)
    if filters.status == UserStatus.ACTIVE:
        query = query.where(User.active.is_(True), or_(User.invited_at.is_(None),
                                                       User.email_confirmed_at.is_not(None)))
    elif filters.status == UserStatus.INVITED:
        query = query.where(User.active.is_(True), User.invited_at.is_not(None),
                            User.email_confirmed_at.is_(None))
    elif filters.status == UserStatus.DEACTIVATED:
        query = query.where(User.active.is_(False), User.anonymised_at.is_(None))
    elif filters.status == UserStatus.ANONYMISED:
        query = query.where(User.anonymised_at.is_not(None))
    if text := filters.q.strip().lower():
        query = query.where(or_(func.lower(User.name).contains(text, autoescape=True),
                                func.lower(User.email).contains(text, autoescape=True)))
    return paginate(query.order_by(func.lower(User.name), User.id), filters.page, PAGE_SIZE)


# --- invitations ------------------------------------------------------------------------------

def invite_user(email: str, name: str, role: str, capacity: int | None = None) -> User:
    """Create a staff user without a usable password and mail them the invitation link."""
    if role not in INVITE_ROLES:
        raise DomainError("Vælg konsulent, leder eller administrator", field="role")
    email = auth.normalise_email(email)
    if auth.get_user_by_email(email) is not None:
        raise DomainError("Der findes allerede en bruger med den e-mailadresse", field="email")
    user = User(email=email, name=name.strip(), role=role, password_hash=_unusable_password(),
                invited_at=clock.now())
    if role == Role.CONSULTANT and capacity is not None:
        user.capacity = _checked_capacity(capacity)
    db.session.add(user)
    db.session.flush()
    send_invitation(user)
    return user


def resend_invitation(user: User) -> None:
    """A new link; the old ones stop working."""
    if not invitation_pending(user) or not user.active:
        raise DomainError("Brugeren har allerede taget imod invitationen. Send i stedet et "
                          "link til at nulstille adgangskoden.")
    user.password_hash = _unusable_password()
    user.invited_at = clock.now()
    db.session.flush()
    send_invitation(user)


def _invitation_serializer():
    return signing.serializer(INVITE_PURPOSE, app_clock=True)


def make_invitation_token(user: User) -> str:
    # The tail of the (unusable) password hash makes the link work once: setting a
    # password, or sending a new invitation, replaces it.
    return _invitation_serializer().dumps(
        {"uid": user.id, "email": user.email, "ph": user.password_hash[-16:]})


def send_invitation(user: User) -> None:
    url = absolute_url_for("users.accept_invitation", token=make_invitation_token(user))
    days = signing.invite_max_age() // 86400
    try:
        mail.send_mail(user.email, "Du er inviteret til Indsatsteamets system", "invitation",
                       user=user, url=url, role_label=user.role.label.lower(),
                       valid_for=f"{days} dage" if days != 1 else "1 døgn")
    except (smtplib.SMTPException, OSError) as err:
        # The admin must know: the invited person would otherwise wait for nothing.
        log.exception("Kunne ikke sende invitation til %s", user.email)
        raise DomainError("Invitationen kunne ikke sendes, fordi mailserveren ikke svarede. "
                          "Prøv igen om lidt.") from err


class InvitationRefused(DomainError):
    """The link cannot be used; the message says why and what to do."""


def load_invitation(token: str) -> User:
    """The invited user, or InvitationRefused with a Danish message for the page."""
    try:
        payload = _invitation_serializer().loads(token, max_age=signing.invite_max_age())
    except SignatureExpired as err:
        raise InvitationRefused(
            "Linket i invitationen er udløbet. Bed en administrator i Indsatsteamet om at "
            "sende dig en ny invitation.") from err
    except BadSignature as err:
        raise InvitationRefused(
            "Linket er ugyldigt. Tjek, at du har kopieret hele linket fra e-mailen, eller bed "
            "en administrator om at sende dig en ny invitation.") from err
    user = db.session.get(User, payload.get("uid")) if isinstance(payload, dict) else None
    if user is None or user.email != payload.get("email") or not user.active:
        raise InvitationRefused(
            "Invitationen gælder ikke længere. Kontakt en administrator i Indsatsteamet.")
    if not invitation_pending(user) or user.password_hash[-16:] != payload.get("ph"):
        raise InvitationRefused(
            "Linket er allerede brugt, eller der er sendt en nyere invitation. Har du valgt "
            "en adgangskode, kan du logge ind. Har du glemt den, kan du nulstille den.")
    return user


def accept_invitation(user: User, password: str) -> None:
    """Set the first password; the e-mail counts as confirmed (the link came to it).

    The link works once, also when it is used twice at the same instant: the first request
    claims the invitation's (unusable) password hash (see `claims`). The second finds it
    replaced; it was the same person's double click when the password it carries is the one
    now set (nothing more happens), otherwise the link was already used.
    """
    check_password_strength(password, user.email)
    if not claim(user, User.password_hash == user.password_hash):
        if auth.verify_password(user, password):
            return
        raise InvitationRefused(
            "Linket er allerede brugt, eller der er sendt en nyere invitation. Har du valgt "
            "en adgangskode, kan du logge ind. Har du glemt den, kan du nulstille den.")
    user.password_hash = auth.hash_password(password)
    user.email_confirmed_at = clock.now()
    sessions.revoke_all(user)


# --- role, capacity, access -------------------------------------------------------------------

def _active_admin_ids() -> list[int]:
    # The admins' rows are locked (a no-op UPDATE, see `claims`: PostgreSQL's row locks,
    # SQLite's write lock) before they are counted, so two admins demoting or deactivating
    # each other at once cannot both succeed and leave no admin.
    admins = (User.role == Role.ADMIN, User.active.is_(True))
    db.session.execute(update(User).where(*admins).values({User.id: User.id})
                       .execution_options(synchronize_session=False))
    return list(db.session.execute(select(User.id).where(*admins)).scalars())


def _refuse_losing_last_admin(user: User, message: str, field: str | None = None) -> None:
    if user.role == Role.ADMIN and user.active and _active_admin_ids() == [user.id]:
        raise DomainError(message, field=field)


def change_role(actor: User, user: User, role: str) -> None:
    if user.role not in INVITE_ROLES:
        raise DomainError("Ansøgeres rolle kan ikke ændres her", field="role")
    if role not in INVITE_ROLES:
        raise DomainError("Vælg konsulent, leder eller administrator", field="role")
    if user.anonymised_at is not None:
        raise DomainError("Brugeren er anonymiseret", field="role")
    if role == user.role:
        return
    if user.id == actor.id:
        raise DomainError("Du kan ikke fjerne din egen administratorrolle. Bed en anden "
                          "administrator om det", field="role")
    _refuse_losing_last_admin(user, "Der skal være mindst én aktiv administrator", "role")
    user.role = role
    # Sessions opened with the old role end: the user logs in again with the new one.
    sessions.revoke_all(user)


def _checked_capacity(capacity: int) -> int:
    if capacity is None or not MIN_CAPACITY <= capacity <= MAX_CAPACITY:
        raise DomainError(f"Angiv en kapacitet mellem {MIN_CAPACITY} og {MAX_CAPACITY} forløb",
                          field="capacity")
    return capacity


def set_capacity(user: User, capacity: int) -> None:
    if user.role != Role.CONSULTANT:
        raise DomainError("Kun konsulenter har en kapacitet", field="capacity")
    user.capacity = _checked_capacity(capacity)


def deactivate(actor: User, user: User) -> None:
    """The user can no longer log in; an open session ends at its next request."""
    if user.id == actor.id:
        raise DomainError("Du kan ikke deaktivere dig selv")
    if not user.active:
        raise DomainError("Brugeren er allerede deaktiveret")
    _refuse_losing_last_admin(user, "Der skal være mindst én aktiv administrator")
    user.active = False
    user.deactivated_at = clock.now()
    sessions.revoke_all(user)


def reactivate(user: User) -> None:
    if user.anonymised_at is not None:
        raise DomainError("En anonymiseret bruger kan ikke genaktiveres")
    if user.active:
        raise DomainError("Brugeren er allerede aktiv")
    user.active = True
    user.deactivated_at = None


def send_password_reset(user: User) -> None:
    if not user.active:
        raise DomainError("Brugeren er deaktiveret. Genaktivér brugeren først")
    if invitation_pending(user):
        raise DomainError("Brugeren har ikke taget imod invitationen endnu. Send invitationen "
                          "igen i stedet")
    auth.send_password_reset(user)


# --- anonymisation ----------------------------------------------------------------------------

def check_can_anonymise(actor: User, user: User) -> None:
    if user.id == actor.id:
        raise DomainError("Du kan ikke anonymisere dig selv")
    if user.anonymised_at is not None:
        raise DomainError("Brugeren er allerede anonymiseret")
    _refuse_losing_last_admin(user, "Der skal være mindst én aktiv administrator")


def anonymise_user(user: User) -> None:
    """Overwrite the user's personal data and close the account; the row stays, so history
    (decisions, status changes, audit) still points at it. The caller commits."""
    old_email = user.email
    now = clock.now()
    user.name = ANONYMOUS_NAME
    user.email = f"anonymiseret-{user.id}@invalid"
    user.password_hash = _unusable_password()
    user.calendar_token_hash = None
    user.memberships.clear()
    for preference in db.session.execute(
            select(NotificationPreference).where(NotificationPreference.user_id == user.id)
    ).scalars():
        db.session.delete(preference)
    # The provider's pseudonymous id links the row to a person: it goes too.
    for identity in db.session.execute(
            select(OidcIdentity).where(OidcIdentity.user_id == user.id)).scalars():
        db.session.delete(identity)
    user.active = False
    user.deactivated_at = user.deactivated_at or now
    user.anonymised_at = now
    sessions.revoke_all(user)
    # The login counters are keyed by a digest of the address.
    throttle.clear_account(old_email, in_session=True)
    db.session.flush()
