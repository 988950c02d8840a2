"""Column types shared by the models."""

from __future__ import annotations

from datetime import UTC, datetime
from enum import StrEnum

from sqlalchemy import DateTime, String, event
from sqlalchemy.orm import Mapper
from sqlalchemy.types import TypeDecorator


class AwareDateTime(TypeDecorator):
    """Stores aware datetimes as UTC and always returns them aware.

    PostgreSQL keeps the zone itself (timestamptz); SQLite has no zone, so values are
    normalised to UTC on the way in and marked UTC on the way out.
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetimes are not stored; use clock.now() or an aware value")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)


class StrEnumType(TypeDecorator):
    """A StrEnum stored as its value in a plain VARCHAR of the given length.

    The database type stays a string (no native enum, no CHECK constraint, so no migration);
    Python reads members (`engagement.phase is Phase.ANALYSIS`) and may write members or
    their values. An unknown value is refused on the way in (ValueError).
    """

    impl = String
    cache_ok = True

    def __init__(self, enum_class: type[StrEnum], length: int) -> None:
        super().__init__(length)
        self.enum_class = enum_class

    def process_bind_param(self, value: StrEnum | str | None, dialect) -> str | None:
        return None if value is None else self.enum_class(value).value

    def process_result_value(self, value: str | None, dialect) -> StrEnum | None:
        return None if value is None else self.enum_class(value)


@event.listens_for(Mapper, "mapper_configured")
def _members_on_assignment(mapper: Mapper, class_: type) -> None:
    """Assigning "done" to an enum column stores TaskStatus.DONE on the object at once, so
    code before the next load sees members too; an unknown value raises ValueError here."""
    for prop in mapper.column_attrs:
        column_type = prop.columns[0].type
        if isinstance(column_type, StrEnumType):
            enum_class = column_type.enum_class

            def coerce(target, value, oldvalue, initiator, enum_class=enum_class):
                return None if value is None else enum_class(value)

            event.listen(getattr(class_, prop.key), "set", coerce, retval=True)
