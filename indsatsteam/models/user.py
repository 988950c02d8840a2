"""Users and their membership of providers."""

from __future__ import annotations

import secrets
from datetime import datetime
from enum import StrEnum

from flask_login import UserMixin
from sqlalchemy import ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .. import clock
from ..extensions import db
from .types import AwareDateTime, StrEnumType


class Role(StrEnum):
    APPLICANT = "applicant"
    CONSULTANT = "consultant"
    MANAGER = "manager"
    ADMIN = "admin"

    @property
    def label(self) -> str:
        return {
            "applicant": "Ansøger",
            "consultant": "Konsulent",
            "manager": "Leder",
            "admin": "Administrator",
        }[self.value]


def new_session_token() -> str:
    return secrets.token_urlsafe(32)


STAFF_ROLES = frozenset({Role.CONSULTANT, Role.MANAGER, Role.ADMIN})


class User(UserMixin, db.Model):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    role: Mapped[Role] = mapped_column(StrEnumType(Role, 20), default=Role.APPLICANT)
    password_hash: Mapped[str] = mapped_column(String(255))
    active: Mapped[bool] = mapped_column(default=True)
    email_confirmed_at: Mapped[datetime | None] = mapped_column(AwareDateTime())
    # SHA-256 of the secret in the user's calendar feed URL; renewing replaces it.
    calendar_token_hash: Mapped[str | None] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(AwareDateTime(), default=clock.now)
    # Consultants: how many active forløb the manager plans them for (dashboards, forecast).
    capacity: Mapped[int] = mapped_column(default=6, server_default="6")
    invited_at: Mapped[datetime | None] = mapped_column(AwareDateTime())
    deactivated_at: Mapped[datetime | None] = mapped_column(AwareDateTime())
    # Users who appear in history are never deleted; their personal data is overwritten.
    anonymised_at: Mapped[datetime | None] = mapped_column(AwareDateTime())

    # Flask-Login's id for the session (get_id): a new value ends every session and copied
    # session cookie of the user (logout, password change, reset, role change, deactivation).
    session_token: Mapped[str] = mapped_column(String(64), unique=True,
                                               default=lambda: new_session_token())

    memberships: Mapped[list[ProviderMembership]] = relationship(
        back_populates="user", cascade="all, delete-orphan"
    )

    def get_id(self) -> str:
        return self.session_token

    def rotate_session_token(self) -> None:
        self.session_token = new_session_token()

    @property
    def is_active(self) -> bool:  # Flask-Login refuses inactive users
        return self.active

    @property
    def has_password(self) -> bool:
        """False for users made by a first OIDC login ("!…" matches no hash)."""
        return not self.password_hash.startswith("!")

    @property
    def is_staff(self) -> bool:
        return self.role in STAFF_ROLES

    @property
    def provider_ids(self) -> set[int]:
        return {m.provider_id for m in self.memberships}


class ProviderMembership(db.Model):
    __tablename__ = "provider_memberships"
    __table_args__ = (UniqueConstraint("user_id", "provider_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    provider_id: Mapped[int] = mapped_column(
        ForeignKey("providers.id", ondelete="CASCADE"), index=True
    )
    created_at: Mapped[datetime] = mapped_column(AwareDateTime(), default=clock.now)

    user: Mapped[User] = relationship(back_populates="memberships")
    provider: Mapped[Provider] = relationship(back_populates="memberships")  # noqa: F821
