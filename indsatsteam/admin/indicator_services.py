"""The indicator catalogue (admins only), versioned like the recommendation catalogues and the
method library: adding, editing or withdrawing an indicator saves a new version with the
others copied, so a forløb that agreed on an indicator keeps the row (and the definition) it
agreed on. An indicator keeps its number from version to version. The caller commits."""

from __future__ import annotations

from dataclasses import dataclass
from itertools import groupby

from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from .. import clock
from ..domain.errors import DomainError
from ..domain.indicators import Direction, IndicatorUnit, OutcomeArea
from ..extensions import db
from ..models import Indicator, IndicatorCatalogue

DEFAULT_TITLE = "Indikatorer for effekt"
NAME_MAX = 200
DEFINITION_MAX = 3000


@dataclass(frozen=True)
class IndicatorInput:
    """An indicator as the admin typed it (plain values, checked by the service)."""

    outcome_area: str
    name: str
    definition: str
    unit: str
    direction: str


def current_catalogue() -> IndicatorCatalogue | None:
    return db.session.execute(
        select(IndicatorCatalogue).where(IndicatorCatalogue.is_current.is_(True))
        .options(selectinload(IndicatorCatalogue.indicators))
    ).scalar_one_or_none()


def current_indicators() -> list[Indicator]:
    """The indicators a forløb may agree on now: the current version's, by number."""
    catalogue = current_catalogue()
    return list(catalogue.indicators) if catalogue else []


def current_indicator(number: int) -> Indicator | None:
    return next((i for i in current_indicators() if i.number == number), None)


def catalogue_versions() -> list[IndicatorCatalogue]:
    """Every version, newest first."""
    return list(db.session.execute(
        select(IndicatorCatalogue).order_by(IndicatorCatalogue.version.desc())).scalars())


def catalogue_version(version: int) -> IndicatorCatalogue | None:
    return db.session.execute(
        select(IndicatorCatalogue).where(IndicatorCatalogue.version == version)
        .options(selectinload(IndicatorCatalogue.indicators))
    ).scalar_one_or_none()


def by_area(indicators: list[Indicator]) -> list[tuple[OutcomeArea, list[Indicator]]]:
    """The indicators under each of the five outcome areas (in the initiative's order); areas
    without indicators are left out."""
    order = list(OutcomeArea)
    ranked = sorted(indicators, key=lambda i: (order.index(i.outcome_area), i.number))
    return [(area, list(group)) for area, group in groupby(ranked, key=lambda i: i.outcome_area)]


def add_indicator(values: IndicatorInput) -> IndicatorCatalogue:
    """A new version with the indicator added under the next unused number."""
    current = current_catalogue()
    rows = _rows(current)
    checked = _checked(values, others=rows.values())
    last = db.session.execute(select(func.max(Indicator.number))).scalar_one() or 0
    rows[last + 1] = checked
    return _new_version(current, rows)


def edit_indicator(number: int, values: IndicatorInput) -> IndicatorCatalogue:
    """A new version with the indicator's new wording; forløb that agreed on it keep the old."""
    current = current_catalogue()
    rows = _rows(current)
    if number not in rows:
        raise DomainError("Indikatoren findes ikke i det gældende katalog.")
    checked = _checked(values, others=[v for n, v in rows.items() if n != number])
    if checked == rows[number]:
        raise DomainError("Der er ingen ændringer at gemme.")
    rows[number] = checked
    return _new_version(current, rows)


def withdraw_indicator(number: int) -> IndicatorCatalogue:
    """A new version without the indicator; forløb that agreed on it keep it."""
    current = current_catalogue()
    rows = _rows(current)
    if number not in rows:
        raise DomainError("Indikatoren findes ikke i det gældende katalog.")
    if len(rows) == 1:
        raise DomainError("Kataloget skal have mindst én indikator, så den sidste kan ikke "
                          "trækkes tilbage.")
    del rows[number]
    return _new_version(current, rows)


def _rows(catalogue: IndicatorCatalogue | None) -> dict[int, IndicatorInput]:
    if catalogue is None:
        return {}
    return {i.number: IndicatorInput(i.outcome_area.value, i.name, i.definition, i.unit.value,
                                     i.direction.value) for i in catalogue.indicators}


def _checked(values: IndicatorInput, *, others) -> IndicatorInput:
    name, definition = values.name.strip(), values.definition.strip()
    if not name:
        raise DomainError("Skriv indikatorens navn", field="name")
    if len(name) > NAME_MAX:
        raise DomainError(f"Skriv højst {NAME_MAX} tegn", field="name")
    if any(name.casefold() == other.name.casefold() for other in others):
        raise DomainError("Der er allerede en indikator med det navn i kataloget",
                          field="name")
    if not definition:
        raise DomainError("Skriv, hvordan indikatoren måles", field="definition")
    if len(definition) > DEFINITION_MAX:
        raise DomainError(f"Skriv højst {DEFINITION_MAX} tegn", field="definition")
    return IndicatorInput(
        _member(OutcomeArea, values.outcome_area, "outcome_area", "Vælg et af de fem områder"),
        name, definition,
        _member(IndicatorUnit, values.unit, "unit", "Vælg en af enhederne"),
        _member(Direction, values.direction, "direction", "Vælg, hvilken retning der er bedre"))


def _member(enum, value: str, field: str, message: str) -> str:
    try:
        return enum(value).value
    except ValueError:
        raise DomainError(message, field=field) from None


def _new_version(current: IndicatorCatalogue | None,
                 rows: dict[int, IndicatorInput]) -> IndicatorCatalogue:
    if current is not None:
        current.is_current = False
    version = IndicatorCatalogue(
        version=(current.version + 1) if current else 1,
        title=current.title if current else DEFAULT_TITLE, is_current=True,
        created_at=clock.now(),
        indicators=[Indicator(number=number, outcome_area=v.outcome_area, name=v.name,
                              definition=v.definition, unit=v.unit, direction=v.direction)
                    for number, v in sorted(rows.items())])
    db.session.add(version)
    return version
