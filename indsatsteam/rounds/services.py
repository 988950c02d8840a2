"""Application rounds for the admin: create, edit before opening, close early, counts."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import case, func, select

from .. import clock
from ..claims import lock
from ..domain.applications import ApplicationStatus
from ..domain.eligibility import ALL_KINDS, ALL_OWNER_TYPES, ALL_REGIONS, join_codes
from ..domain.errors import DomainError
from ..extensions import db
from ..models import Application, ApplicationRound

# The fields that stay open to change once the round has opened: applicants have read the
# name, the dates and the rules, and drafts exist against them.
EDITABLE_AFTER_OPENING = ("description", "programmes_offered")


@dataclass(frozen=True)
class RoundRow:
    round: ApplicationRound
    counts: dict[str, int]

    @property
    def total(self) -> int:
        return sum(self.counts.values())


def rounds_with_counts() -> list[RoundRow]:
    """Every round, newest first, with its applications counted per status (one query)."""
    statuses = list(ApplicationStatus)
    columns = [func.coalesce(func.sum(case((Application.status == s.value, 1), else_=0)), 0)
               for s in statuses]
    rows = db.session.execute(
        select(ApplicationRound, *columns)
        .outerjoin(Application, Application.round_id == ApplicationRound.id)
        .group_by(ApplicationRound.id)
        .order_by(ApplicationRound.opens_at.desc(), ApplicationRound.id.desc())).all()
    return [RoundRow(round=row[0], counts={s.value: int(n) for s, n in zip(statuses, row[1:],
                                                                           strict=True)})
            for row in rows]


def open_rounds(now: datetime) -> list[ApplicationRound]:
    """The rounds taking applications at `now`, the nearest deadline first."""
    return list(db.session.execute(
        select(ApplicationRound).where(ApplicationRound.is_open(now))
        .order_by(ApplicationRound.closes_at)).scalars())


def unclosed_rounds(now: datetime) -> list[ApplicationRound]:
    """The rounds whose deadline has not passed at `now` (open or upcoming), the nearest
    deadline first."""
    return list(db.session.execute(
        select(ApplicationRound).where(ApplicationRound.closes_at > now)
        .order_by(ApplicationRound.closes_at)).scalars())


def upcoming_rounds(now: datetime) -> list[ApplicationRound]:
    """The rounds that have not opened yet, the first to open first."""
    return list(db.session.execute(
        select(ApplicationRound).where(ApplicationRound.opens_at > now)
        .order_by(ApplicationRound.opens_at)).scalars())


def has_opened(round_: ApplicationRound, now: datetime | None = None) -> bool:
    return (now or clock.now()) >= round_.opens_at


def check_dates(opens_at: datetime, closes_at: datetime) -> None:
    if closes_at <= opens_at:
        raise DomainError("Fristen skal ligge efter åbningstidspunktet", field="closes_at")
    if closes_at <= clock.now():
        raise DomainError("Fristen skal ligge i fremtiden", field="closes_at")


def _check_programmes(programmes: int) -> None:
    if programmes is None or programmes < 1:
        raise DomainError("Angiv mindst 1 forløb", field="programmes_offered")


def eligibility_columns(kinds: list[str] | None, owner_types: list[str] | None = None,
                        regions: list[str] | None = None) -> dict[str, str]:
    """The round's eligibility columns from the admin's choices ("" = no restriction);
    None for kinds means every kind (the default)."""
    if kinds is not None and not set(kinds) & ALL_KINDS:
        raise DomainError("Vælg mindst én type tilbud, der kan søge", field="eligible_kinds")
    return {"eligible_kinds": join_codes(kinds or (), ALL_KINDS),
            "eligible_owner_types": join_codes(owner_types or (), ALL_OWNER_TYPES),
            "eligible_regions": join_codes(regions or (), ALL_REGIONS)}


def create_round(*, name: str, description: str, opens_at: datetime, closes_at: datetime,
                 programmes_offered: int, eligible_kinds: list[str] | None = None,
                 eligible_owner_types: list[str] | None = None,
                 eligible_regions: list[str] | None = None) -> ApplicationRound:
    check_dates(opens_at, closes_at)
    _check_programmes(programmes_offered)
    round_ = ApplicationRound(name=name.strip(), description=description.strip(),
                              opens_at=opens_at, closes_at=closes_at,
                              programmes_offered=programmes_offered,
                              **eligibility_columns(eligible_kinds, eligible_owner_types,
                                                    eligible_regions))
    db.session.add(round_)
    db.session.flush()
    return round_


def update_round(round_: ApplicationRound, **values) -> None:
    """Before opening every field may change; afterwards only EDITABLE_AFTER_OPENING.

    Eligibility comes as lists (eligible_kinds, eligible_owner_types, eligible_regions).
    """
    if any(k.startswith("eligible_") for k in values):
        values.update(eligibility_columns(values.pop("eligible_kinds", None),
                                          values.pop("eligible_owner_types", None),
                                          values.pop("eligible_regions", None)))
    if has_opened(round_):
        locked = sorted(k for k, v in values.items()
                        if k not in EDITABLE_AFTER_OPENING and v != getattr(round_, k))
        if locked:
            raise DomainError("Runden er åbnet, så kun beskrivelsen og antallet af forløb kan "
                              "ændres", field=locked[0])
    else:
        check_dates(values.get("opens_at", round_.opens_at),
                    values.get("closes_at", round_.closes_at))
    _check_programmes(values.get("programmes_offered", round_.programmes_offered))
    for key, value in values.items():
        setattr(round_, key, value.strip() if isinstance(value, str) else value)


def close_early(round_: ApplicationRound, reason: str) -> None:
    """Move the deadline to now; the published deadline is kept in original_closes_at."""
    lock(round_)  # a second click sees the round closed
    now = clock.now()
    if not round_.is_open(now):
        raise DomainError("Kun en åben runde kan lukkes før tid")
    if not reason.strip():
        raise DomainError("Skriv hvorfor runden lukkes før tid", field="reason")
    round_.original_closes_at = round_.closes_at
    round_.closes_at = now
    round_.closed_early_at = now
    round_.close_reason = reason.strip()
