"""OpenID Connect logins as plain values: find or bind the identity, the CVR rules of MitID
Erhverv, the staff role from a claim or an invitation. The caller (auth/oidc_routes.py)
validated the id_token (auth/oidc.py) and commits."""

from __future__ import annotations

import secrets
from dataclasses import dataclass, field

from sqlalchemy import select

from .. import clock
from ..claims import lock
from ..domain.errors import DomainError
from ..extensions import db
from ..models import OidcIdentity, Provider, ProviderMembership, Role, User

TILBUD, STAFF = "tilbud", "staff"

# NSIS levels from low to high; an unknown acr counts as below every level.
NSIS_LEVELS = ("low", "substantial", "high")

CVR_MISMATCH = ("Du er logget ind med MitID Erhverv for CVR-nummer {cvr}. Du kan kun bruge "
                "tilbud, der er registreret under det CVR-nummer.")


class OidcRefused(DomainError):
    """A login we refuse; `reason` names it in the audit trail."""

    def __init__(self, message: str, reason: str) -> None:
        super().__init__(message)
        self.reason = reason


@dataclass(frozen=True)
class Assertion:
    """What the provider asserted about the person (from a validated id_token)."""

    provider: str
    subject: str
    name: str
    email: str | None
    email_verified: bool
    acr: str | None = None
    cvr: str | None = None
    roles: tuple[str, ...] = field(default_factory=tuple)


@dataclass(frozen=True)
class Outcome:
    user: User
    created: bool
    # A MitID Erhverv login whose CVR has no tilbud yet: registration with the CVR locked.
    register_cvr: str | None = None


def nsis_level(acr: str | None) -> int:
    if not acr:
        return -1
    last = acr.rstrip("/").rsplit("/", 1)[-1].lower()
    return NSIS_LEVELS.index(last) if last in NSIS_LEVELS else -1


def check_acr(acr: str | None, minimum: str | None) -> None:
    if not minimum:
        return
    if nsis_level(acr) < nsis_level(minimum):
        raise OidcRefused(
            "Dit login har et for lavt sikringsniveau. Log ind med MitID på sikringsniveau "
            "Betydelig (fx MitID-appen eller en kodeviser), og prøv igen.", "acr")


def bound_cvr(user: User) -> str | None:
    """The CVR a MitID Erhverv user acts for; None for everybody else."""
    return db.session.execute(
        select(OidcIdentity.cvr).where(OidcIdentity.user_id == user.id,
                                       OidcIdentity.provider == TILBUD,
                                       OidcIdentity.cvr.is_not(None))).scalars().first()


def check_cvr_binding(user: User, cvr: str, *, field_name: str | None = "cvr") -> None:
    """A MitID Erhverv user can only register, edit into or join tilbud of their own CVR."""
    own = bound_cvr(user)
    if own is not None and cvr != own:
        raise DomainError(CVR_MISMATCH.format(cvr=own), field=field_name)


def _identity(provider: str, subject: str) -> OidcIdentity | None:
    return db.session.execute(select(OidcIdentity).where(
        OidcIdentity.provider == provider, OidcIdentity.subject == subject)).scalar_one_or_none()


def _user_by_email(email: str | None) -> User | None:
    if not email:
        return None
    return db.session.execute(
        select(User).where(User.email == email.strip().lower())).scalar_one_or_none()


def _refuse_inactive(user: User) -> None:
    if not user.active:
        raise OidcRefused("Din bruger er deaktiveret. Kontakt indsatsteamet, hvis du skal "
                          "have adgang igen.", "deactivated")


def _new_user(assertion: Assertion, role: Role) -> User:
    email = (assertion.email or "").strip().lower()
    if not email or _user_by_email(email) is not None:
        # No usable address: a placeholder the person replaces under "Min profil".
        email = f"{assertion.provider}-{secrets.token_hex(8)}@oidc.invalid"
    user = User(email=email, name=(assertion.name or "Ukendt navn").strip()[:200], role=role,
                password_hash="!" + secrets.token_hex(16),
                email_confirmed_at=clock.now() if assertion.email_verified else None)
    db.session.add(user)
    db.session.flush()
    return user


def _bind(assertion: Assertion, user: User) -> OidcIdentity:
    identity = OidcIdentity(provider=assertion.provider, subject=assertion.subject,
                            user_id=user.id, cvr=assertion.cvr)
    db.session.add(identity)
    db.session.flush()
    return identity


def login_tilbud(assertion: Assertion, *, min_acr: str | None) -> Outcome:
    """A MitID Erhverv login: the person acts for `assertion.cvr`, and only for it."""
    check_acr(assertion.acr, min_acr)
    if not assertion.cvr:
        raise OidcRefused("NemLog-in sendte ikke et CVR-nummer. Log ind med MitID Erhverv "
                          "for den organisation, der driver tilbuddet.", "cvr_missing")
    identity = _identity(TILBUD, assertion.subject)
    created = False
    if identity is not None:
        user = identity.user
        _refuse_inactive(user)
        if identity.cvr != assertion.cvr:
            raise OidcRefused(CVR_MISMATCH.format(cvr=identity.cvr), "cvr_changed")
    else:
        user = _user_by_email(assertion.email) if assertion.email_verified else None
        if user is not None:
            _refuse_inactive(user)
            if user.role != Role.APPLICANT or _identity_of(user, TILBUD) is not None or any(
                    m.provider.cvr != assertion.cvr for m in user.memberships):
                user = None  # not theirs to take over: a new user of their own
        if user is None:
            user = _new_user(assertion, Role.APPLICANT)
            created = True
        identity = _bind(assertion, user)
        _join_tilbud_of_cvr(user, assertion.cvr)
    identity.last_login_at = clock.now()
    has_tilbud = any(m.provider.cvr == assertion.cvr for m in user.memberships)
    return Outcome(user, created, register_cvr=None if has_tilbud else assertion.cvr)


def _identity_of(user: User, provider: str) -> OidcIdentity | None:
    return db.session.execute(select(OidcIdentity).where(
        OidcIdentity.user_id == user.id, OidcIdentity.provider == provider)).scalars().first()


def _join_tilbud_of_cvr(user: User, cvr: str) -> None:
    providers = db.session.execute(
        select(Provider).where(Provider.cvr == cvr).order_by(Provider.id)).scalars().all()
    for provider in providers:
        lock(provider)
        if provider.id not in user.provider_ids:
            db.session.add(ProviderMembership(user=user, provider=provider))
    db.session.flush()


def parse_role_map(text: str) -> dict[str, Role]:
    """"konsulent=consultant,leder=manager" → {"konsulent": Role.CONSULTANT, …}."""
    result = {}
    for pair in (text or "").split(","):
        claim, _, role = pair.partition("=")
        if claim.strip() and role.strip():
            result[claim.strip()] = Role(role.strip())
    return result


_ROLE_RANK = {Role.CONSULTANT: 1, Role.MANAGER: 2, Role.ADMIN: 3}


def mapped_role(roles: tuple[str, ...], role_map: dict[str, Role]) -> Role | None:
    candidates = [role_map[r] for r in roles if r in role_map]
    return max(candidates, key=_ROLE_RANK.__getitem__) if candidates else None


UNKNOWN_STAFF = ("Du er ikke oprettet som medarbejder i indsatsteamets system. Bed en "
                 "administrator om at invitere dig med din arbejdsmail, og log ind igen.")


def login_staff(assertion: Assertion, *, role_map: dict[str, Role],
                min_acr: str | None = None) -> Outcome:
    """A staff login: the role from the role claim, else an existing or invited staff user
    with the verified e-mail. An unknown identity is refused and nothing is created."""
    check_acr(assertion.acr, min_acr)
    role = mapped_role(assertion.roles, role_map)
    identity = _identity(STAFF, assertion.subject)
    created = False
    if identity is not None:
        user = identity.user
        _refuse_inactive(user)
    else:
        user = _user_by_email(assertion.email) if assertion.email_verified else None
        if user is not None:
            _refuse_inactive(user)
            if not user.is_staff or _identity_of(user, STAFF) is not None:
                raise OidcRefused(UNKNOWN_STAFF, "unknown_staff")
        elif role is None:
            raise OidcRefused(UNKNOWN_STAFF, "unknown_staff")
        else:
            user = _new_user(assertion, role)
            created = True
        identity = _bind(assertion, user)
    if role is not None and user.role != role:
        user.role = role
        user.rotate_session_token()  # a role change ends the old sessions
    if user.invited_at is not None and user.email_confirmed_at is None:
        user.email_confirmed_at = clock.now()  # the invitation is taken
    identity.last_login_at = clock.now()
    return Outcome(user, created)


def record_login(user_id: int | None, *, method: str, acr: str | None, outcome: str,
                 reason: str | None = None) -> None:
    """One row in the audit trail per login: method (password / oidc:provider), acr,
    outcome and, for a refusal, why. No personal data."""
    from ..models import AuditEvent
    from ..request_id import current_request_id

    changes = {"method": [None, method], "outcome": [None, outcome]}
    if acr:
        changes["acr"] = [None, acr[:200]]
    if reason:
        changes["reason"] = [None, reason[:60]]
    db.session.add(AuditEvent(
        actor_id=user_id, action="login" if outcome == "success" else "login_refused",
        object_type="login", object_id=user_id, object_label=method[:300], changes=changes,
        request_id=current_request_id() or ""))
    db.session.flush()
