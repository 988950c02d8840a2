"""Stored files (in the database, in chunks), the attachments people upload and the
documents the team issues."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import (
    CheckConstraint,
    Column,
    ForeignKey,
    Index,
    LargeBinary,
    String,
    Table,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .. import clock
from ..extensions import db
from .application import Application
from .engagement import Engagement
from .types import AwareDateTime
from .user import User


class StoredFile(db.Model):
    """The bytes of one file, kept as numbered chunks so no process ever holds it whole."""

    __tablename__ = "stored_files"

    id: Mapped[int] = mapped_column(primary_key=True)
    size: Mapped[int] = mapped_column(default=0)
    sha256: Mapped[str] = mapped_column(String(64), default="")
    created_at: Mapped[datetime] = mapped_column(AwareDateTime(), default=clock.now)


class StoredFileChunk(db.Model):
    __tablename__ = "stored_file_chunks"

    file_id: Mapped[int] = mapped_column(
        ForeignKey("stored_files.id", ondelete="CASCADE"), primary_key=True)
    seq: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    data: Mapped[bytes] = mapped_column(LargeBinary)


class Attachment(db.Model):
    """A file the tilbud attached to its application, or either side to a forløb."""

    __tablename__ = "attachments"
    __table_args__ = (
        CheckConstraint("(application_id IS NULL) <> (engagement_id IS NULL)",
                        name="one_owner"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    application_id: Mapped[int | None] = mapped_column(
        ForeignKey("applications.id", ondelete="CASCADE"), index=True)
    engagement_id: Mapped[int | None] = mapped_column(
        ForeignKey("engagements.id", ondelete="CASCADE"), index=True)
    # "provider" (the tilbud's users) or "team" (consultants and managers)
    side: Mapped[str] = mapped_column(String(20))
    filename: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(String(300), default="")
    file_type: Mapped[str] = mapped_column(String(10))  # pdf, docx, … (from the content)
    content_type: Mapped[str] = mapped_column(String(120))
    size: Mapped[int] = mapped_column()
    sha256: Mapped[str] = mapped_column(String(64))
    storage_key: Mapped[str] = mapped_column(String(200))
    uploaded_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"))
    uploaded_at: Mapped[datetime] = mapped_column(AwareDateTime(), default=clock.now)

    application: Mapped[Application | None] = relationship()
    engagement: Mapped[Engagement | None] = relationship()
    uploaded_by: Mapped[User | None] = relationship()

    @property
    def provider_id(self) -> int:
        owner = self.application or self.engagement
        return owner.provider_id


class IssuedDocument(db.Model):
    """One issued version of a document: the exact PDF the tilbud received, its hash and
    the HTML it was made from. Issuing again adds a version; none is ever changed."""

    __tablename__ = "issued_documents"
    __table_args__ = (
        UniqueConstraint("application_id", "kind", "version"),
        Index("ix_issued_documents_engagement_id_kind", "engagement_id", "kind"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    application_id: Mapped[int] = mapped_column(
        ForeignKey("applications.id", ondelete="CASCADE"), index=True)
    engagement_id: Mapped[int | None] = mapped_column(
        ForeignKey("engagements.id", ondelete="CASCADE"))
    provider_id: Mapped[int] = mapped_column(ForeignKey("providers.id"), index=True)
    kind: Mapped[str] = mapped_column(String(30))
    version: Mapped[int] = mapped_column()
    title: Mapped[str] = mapped_column(String(300))
    issued_at: Mapped[datetime] = mapped_column(AwareDateTime(), default=clock.now)
    issued_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    size: Mapped[int] = mapped_column()
    sha256: Mapped[str] = mapped_column(String(64))
    storage_key: Mapped[str] = mapped_column(String(200))
    # The document's body as HTML, for the print-friendly view of exactly this version.
    html: Mapped[str] = mapped_column(Text, default="")

    application: Mapped[Application] = relationship()
    engagement: Mapped[Engagement | None] = relationship()
    issued_by: Mapped[User | None] = relationship()


# Which issued documents go with which outbox row (the decision letter with the decision
# notification): inserted in the same transaction as both, read by the sender.
notification_documents = Table(
    "notification_documents",
    db.metadata,
    Column("notification_id", ForeignKey("notifications.id", ondelete="CASCADE"),
           primary_key=True),
    Column("document_id", ForeignKey("issued_documents.id", ondelete="CASCADE"),
           primary_key=True),
)
