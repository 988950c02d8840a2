"""Who logged in through an OpenID provider: the provider's subject bound to one user."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .. import clock
from ..extensions import db
from .types import AwareDateTime
from .user import User


class OidcIdentity(db.Model):
    __tablename__ = "oidc_identities"
    __table_args__ = (UniqueConstraint("provider", "subject"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    # "tilbud" (MitID Erhverv via NemLog-in) or "staff" (the organisation's IdP).
    provider: Mapped[str] = mapped_column(String(20))
    # The provider's pseudonymous, persistent identifier (a UUID at NemLog-in); never a CPR.
    subject: Mapped[str] = mapped_column(String(255))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    # The CVR the person acted for at first login (tilbud); every later login must match.
    cvr: Mapped[str | None] = mapped_column(String(8), index=True)
    created_at: Mapped[datetime] = mapped_column(AwareDateTime(), default=clock.now)
    last_login_at: Mapped[datetime | None] = mapped_column(AwareDateTime())

    user: Mapped[User] = relationship()
