"""Registering a tilbud and managing who belongs to it. The caller commits."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from ..claims import lock
from ..domain.cvr import check_cvr, check_p_number
from ..domain.errors import DomainError
from ..domain.municipalities import region_for
from ..domain.providers import is_eligible
from ..extensions import db
from ..models import Provider, ProviderMembership, Role, User

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
    lock(user)  # a double click registers one tilbud: the second finds it in _check_unique
    _check_unique(values["cvr"], values["p_number"])
    provider = Provider(**values)
    db.session.add(provider)
    db.session.add(ProviderMembership(user=user, provider=provider))
    return provider


def update_provider(provider: Provider, data: dict) -> Provider:
    values = _clean(data)
    _check_unique(values["cvr"], values["p_number"], exclude_id=provider.id)
    for key, value in values.items():
        setattr(provider, key, value)
    return provider


def add_member(provider: Provider, email: str) -> User:
    email = email.strip().lower()
    user = db.session.execute(select(User).where(User.email == email)).scalar_one_or_none()
    if user is None or user.role != Role.APPLICANT:
        raise DomainError("Der findes ingen ansøger med den e-mailadresse. Bed kollegaen om at "
                          "oprette en bruger først.", field="email")
    lock(provider)  # two clicks at once: the second sees the first's membership
    if db.session.execute(select(ProviderMembership.id).where(
            ProviderMembership.user_id == user.id,
            ProviderMembership.provider_id == provider.id)).first() is not None:
        raise DomainError("Kollegaen er allerede tilknyttet tilbuddet", field="email")
    db.session.add(ProviderMembership(user=user, provider=provider))
    return user
