"""The user's own data: who has looked at it (Art. 15), export, and deletion requests; the
admin's retention periods. The caller commits."""

from __future__ import annotations

from sqlalchemy import or_, select
from sqlalchemy.orm import selectinload

from .. import clock
from ..audit.queries import PAGE_SIZE
from ..claims import claim, lock
from ..domain.errors import DomainError
from ..extensions import db
from ..links import path_for
from ..mail import send_mail
from ..models import OidcIdentity, Role, User
from ..models.audit import AccessLogEntry
from ..models.gdpr import DeletionRequest, RetentionPolicy, RetentionRun
from ..notifications.services import notify
from ..pagination import Page, paginate


def access_about(user: User, page: int = 1) -> Page:
    """Access-log rows about the user or the providers they belong to, newest first."""
    about = [AccessLogEntry.subject_user_id == user.id]
    if user.provider_ids:
        about.append(AccessLogEntry.provider_id.in_(user.provider_ids))
    query = select(AccessLogEntry).where(or_(*about))
    return paginate(query.options(selectinload(AccessLogEntry.viewer))
                    .order_by(AccessLogEntry.at.desc(), AccessLogEntry.id.desc()), page, PAGE_SIZE)


def login_identities(user: User) -> list[OidcIdentity]:
    """The providers the user logs in with (MitID Erhverv, the staff IdP)."""
    return list(db.session.execute(select(OidcIdentity).where(
        OidcIdentity.user_id == user.id).order_by(OidcIdentity.id)).scalars())


def open_request(user: User) -> DeletionRequest | None:
    return db.session.execute(select(DeletionRequest).where(
        DeletionRequest.user_id == user.id, DeletionRequest.status == "open")).scalar()


def request_deletion(user: User, reason: str) -> DeletionRequest:
    """Open a deletion request and tell the admins; one open request per user (also when
    the button is clicked twice at once: the user's row is locked first, see `claims`)."""
    lock(user)
    if open_request(user) is not None:
        raise DomainError("Du har allerede en åben anmodning om sletning. "
                          "Vi behandler den så hurtigt som muligt.")
    request = DeletionRequest(user=user, reason=reason.strip(), requested_at=clock.now())
    db.session.add(request)
    db.session.flush()
    admins = db.session.execute(select(User).where(User.role == Role.ADMIN,
                                                   User.active.is_(True))).scalars()
    for admin in admins:
        notify(admin, "deletion_request", subject="Ny anmodning om sletning af oplysninger",
               body=f"{user.name} har bedt om at få sine oplysninger slettet.",
               url=path_for("gdpr.deletion_request", request_id=request.id),
               dedupe_key=f"deletion_request:{request.id}:{admin.id}")
    return request


def list_requests() -> list[DeletionRequest]:
    return list(db.session.execute(
        select(DeletionRequest).options(selectinload(DeletionRequest.user))
        .order_by((DeletionRequest.status == "open").desc(),
                  DeletionRequest.requested_at.desc())).scalars())


def handle_request(request: DeletionRequest, admin: User, *, anonymise: bool,
                   response: str) -> None:
    """Anonymise the user (never delete: staff appear in history) or refuse with a reason.
    Claimed first (see `claims`), so two clicks handle it, and mail the user, once."""
    if not claim(request, DeletionRequest.status == "open"):
        raise DomainError("Anmodningen er allerede behandlet.")
    user = request.user
    if not anonymise and not response.strip():
        raise DomainError("Skriv hvorfor anmodningen afvises.")
    request.status = "done" if anonymise else "refused"
    request.handled_by = admin
    request.handled_at = clock.now()
    request.response = response.strip()
    if user is not None:
        # Written straight away, before anonymising: afterwards there is no address left.
        send_mail(user.email, "Svar på din anmodning om sletning", "deletion_outcome",
                  name=user.name, anonymised=anonymise, response=request.response)
        if anonymise:
            from ..users.services import anonymise_user

            anonymise_user(user)


def save_policies(policies: list[RetentionPolicy], values: dict[str, tuple[int, bool]],
                  actor: User) -> None:
    """values: policy kind → (months, enabled)."""
    for policy in policies:
        policy.months, policy.enabled = values[policy.kind]
        policy.updated_at = clock.now()
        policy.updated_by_id = actor.id


def recent_runs(limit: int = 10) -> list[RetentionRun]:
    return list(db.session.execute(
        select(RetentionRun).order_by(RetentionRun.started_at.desc()).limit(limit)).scalars())
