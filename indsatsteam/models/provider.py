"""The tilbud (Provider): the social-psychiatric service that applies."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .. import clock
from ..domain.municipalities import municipality_by_code
from ..domain.providers import OwnerType, ProviderKind
from ..extensions import db
from .types import AwareDateTime, StrEnumType


class Provider(db.Model):
    __tablename__ = "providers"
    # A site is one CVR + P-number; "" stands for "no P-number" so the constraint also
    # catches two registrations of the same CVR without one.
    __table_args__ = (UniqueConstraint("cvr", "p_number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    cvr: Mapped[str] = mapped_column(String(8), index=True)
    p_number: Mapped[str] = mapped_column(String(10), default="")
    kind: Mapped[ProviderKind] = mapped_column(StrEnumType(ProviderKind, 20))
    owner_type: Mapped[OwnerType] = mapped_column(StrEnumType(OwnerType, 20))
    municipality_code: Mapped[str] = mapped_column(String(3))
    region: Mapped[str] = mapped_column(String(40))
    address: Mapped[str] = mapped_column(String(200))
    postal_code: Mapped[str] = mapped_column(String(4))
    city: Mapped[str] = mapped_column(String(100))
    contact_name: Mapped[str] = mapped_column(String(200))
    contact_email: Mapped[str] = mapped_column(String(254))
    contact_phone: Mapped[str] = mapped_column(String(30))
    created_at: Mapped[datetime] = mapped_column(AwareDateTime(), default=clock.now)

    memberships: Mapped[list[ProviderMembership]] = relationship(  # noqa: F821
        back_populates="provider", cascade="all, delete-orphan"
    )

    @property
    def municipality_name(self) -> str:
        municipality = municipality_by_code(self.municipality_code)
        return municipality.name if municipality else self.municipality_code
