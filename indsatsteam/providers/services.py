"""Registering a tilbud and managing who belongs to it. The caller commits."""

from __future__ import annotations

from dataclasses import dataclass

from itsdangerous import BadSignature
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from .. import signing
from ..auth import throttle
from ..auth.oidc_services import check_cvr_binding
from ..claims import lock
from ..domain.cvr import check_cvr, check_p_number
from ..domain.errors import DomainError
from ..domain.municipalities import region_for
from ..domain.providers import is_eligible
from ..extensions import db
from ..links import absolute_url_for
from ..models import Provider, ProviderMembership, Role, User
from ..notifications.mail_queue import queue_mail

FIELDS = ("name", "kind", "owner_type", "municipality_code", "address", "postal_code", "city",
          "contact_name", "contact_email", "contact_phone")


def _clean(data: dict) -> dict:
    """Normalise and check the values; raises DomainError for the first rule broken."""
    values = {key: (data.get(key) or "").strip() for key in FIELDS}
    values["contact_email"] = values["contact_email"].lower()
    if not is_eligible(values["kind"]):
        raise DomainError("Vælg en af de tilbudstyper, der kan søge", field="kind")
    values["region"] = region_for(values["municipality_code"])
    try:
        values["cvr"] = check_cvr(data.get("cvr") or "")
    except DomainError as err:
        raise DomainError(err.message, field="cvr") from err
    p_number = (data.get("p_number") or "").strip()
    try:
        values["p_number"] = check_p_number(p_number) if p_number else ""
    except DomainError as err:
        raise DomainError(err.message, field="p_number") from err
    return values


def providers_of(user: User) -> list[Provider]:
    """The tilbud the user is a member of, with their members, by name."""
    return list(db.session.execute(
        select(Provider)
        .join(ProviderMembership)
        .where(ProviderMembership.user_id == user.id)
        .options(selectinload(Provider.memberships).selectinload(ProviderMembership.user))
        .order_by(Provider.name)
    ).scalars())


def registered_under_cvr(cvr: str, exclude_id: int | None = None) -> list[Provider]:
    query = select(Provider).where(Provider.cvr == cvr).order_by(Provider.name, Provider.id)
    if exclude_id is not None:
        query = query.where(Provider.id != exclude_id)
    return list(db.session.execute(query).scalars())


def _site(provider: Provider) -> str:
    where = f"{provider.address}, {provider.postal_code} {provider.city}"
    number = f"P-nummer {provider.p_number}" if provider.p_number else "uden P-nummer"
    return f"{provider.name} ({where}, {number})"


def _check_unique(cvr: str, p_number: str, exclude_id: int | None = None) -> None:
    """A CVR number already registered may only be used again for another site: a new
    P-number. Otherwise say which tilbud are registered and how to join them.

    Editing a tilbud (exclude_id) only refuses a CVR and P-number that another tilbud has.
    """
    existing = registered_under_cvr(cvr, exclude_id)
    if not existing:
        return
    taken = {p.p_number for p in existing}
    if p_number not in taken and (p_number or exclude_id is not None):
        return  # another site of the same organisation
    sites = "; ".join(_site(p) for p in existing)
    raise DomainError(
        f"Under CVR-nummer {cvr} er der allerede registreret: {sites}. Arbejder du der, så bed "
        "en kollega, der er tilknyttet tilbuddet, om at tilføje dig som kollega under "
        "\"Mit tilbud\" med din e-mailadresse. Registrerer I et andet sted under samme "
        "CVR-nummer, så angiv stedets eget P-nummer.",
        field="cvr")


def register_provider(user: User, data: dict) -> Provider:
    values = _clean(data)
    check_cvr_binding(user, values["cvr"])
    lock(user)  # a double click registers one tilbud: the second finds it in _check_unique
    _check_unique(values["cvr"], values["p_number"])
    provider = Provider(**values)
    db.session.add(provider)
    db.session.add(ProviderMembership(user=user, provider=provider))
    return provider


def update_provider(provider: Provider, data: dict, user: User) -> Provider:
    values = _clean(data)
    check_cvr_binding(user, values["cvr"])
    _check_unique(values["cvr"], values["p_number"], exclude_id=provider.id)
    for key, value in values.items():
        setattr(provider, key, value)
    return provider


# --- inviting a colleague ------------------------------------------------------------------
# The answer is the same whether or not the address has an account (and its owner's name is
# never shown): the colleague accepts by a link sent to that address, logged in with it, and
# an unknown address is told to create an account first.

COLLEAGUE_PURPOSE = "colleague-invitation"
CONSENT_REFUSED = "Invitationen kan ikke bruges"


def _colleague_serializer():
    return signing.serializer(COLLEAGUE_PURPOSE, app_clock=True)


def colleague_invitation_days() -> int:
    return max(signing.invite_max_age() // 86400, 1)


def invite_colleague(provider: Provider, inviter: User, email: str) -> str:
    """Queue an invitation to join the tilbud; returns the normalised address. Does not
    commit. Refuses only what the inviter can already see: themselves and current members."""
    email = email.strip().lower()
    if email in {m.user.email for m in provider.memberships}:
        raise DomainError("Kollegaen er allerede tilknyttet tilbuddet", field="email")
    if throttle.allow_mail("colleague", email):
        token = _colleague_serializer().dumps({"p": provider.id, "e": email, "i": inviter.id})
        days = colleague_invitation_days()
        queue_mail(email, f"Invitation til {provider.name} i Indsatsteamets system",
                   "colleague_invitation", provider=provider, inviter_name=inviter.name,
                   email=email, valid_for=f"{days} dage" if days != 1 else "1 døgn",
                   url=absolute_url_for("providers.accept_invitation", token=token),
                   register_url=absolute_url_for("auth.register"))
    return email


@dataclass(frozen=True)
class ColleagueInvitation:
    provider: Provider
    email: str


def load_colleague_invitation(token: str) -> ColleagueInvitation | None:
    """The invitation behind a link; None when it is invalid, expired or its tilbud gone."""
    try:
        payload = _colleague_serializer().loads(
            token, max_age=colleague_invitation_days() * 86400)
    except BadSignature:  # also SignatureExpired
        return None
    if not isinstance(payload, dict):
        return None
    provider = db.session.get(Provider, payload.get("p"))
    email = payload.get("e")
    if provider is None or not isinstance(email, str):
        return None
    return ColleagueInvitation(provider, email)


def check_colleague_invitation(invitation: ColleagueInvitation, user: User) -> None:
    """Whether this logged-in user may take the invitation; DomainError says why not."""
    if user.role != Role.APPLICANT:
        raise DomainError("Kun ansøgere kan tilknyttes et tilbud. Log ind med den bruger, "
                          "invitationen er sendt til.")
    if user.email != invitation.email:
        raise DomainError(f"Invitationen er sendt til {invitation.email}, men du er logget ind "
                          "med en anden e-mailadresse. Log ud, og log ind med den adresse, "
                          "invitationen er sendt til.")
    if invitation.provider.id in user.provider_ids:
        raise DomainError(f"Du er allerede tilknyttet {invitation.provider.name}.")
    check_cvr_binding(user, invitation.provider.cvr, field_name=None)


def accept_colleague_invitation(invitation: ColleagueInvitation, user: User) -> None:
    """The invited applicant, logged in with the invited address, joins the tilbud. Does
    not commit."""
    lock(invitation.provider)  # a double click: the second sees the first's membership
    check_colleague_invitation(invitation, user)
    if db.session.execute(select(ProviderMembership.id).where(
            ProviderMembership.user_id == user.id,
            ProviderMembership.provider_id == invitation.provider.id)).first() is not None:
        return
    db.session.add(ProviderMembership(user=user, provider=invitation.provider))
    db.session.flush()
