"""Issuing documents and finding them again. The caller commits.

A document is issued, not re-rendered: the PDF's bytes go to the file store with a version
number, the time, the issuer and a SHA-256, and the HTML body is kept beside them. Issuing
the same kind again (after a correction) adds the next version; earlier versions stay as
they were. The decision letter is linked to the decision's outbox rows in the same
transaction, so the sender attaches it to exactly those e-mails.
"""

from __future__ import annotations

import io
from dataclasses import dataclass

from sqlalchemy import func, insert, select
from sqlalchemy.orm import selectinload

from .. import clock
from ..attachments.storage import file_store, read_all
from ..development.values import agreement_is_agreed
from ..domain.documents import (
    ENGAGEMENT_KINDS,
    DocumentKind,
    document_title,
    download_name,
    kind_for_move,
)
from ..domain.errors import DomainError
from ..extensions import db
from ..models import (
    Application,
    Engagement,
    IssuedDocument,
    Notification,
    User,
    notification_documents,
)
from . import content
from .templating import render_body, render_page, render_pdf


@dataclass(frozen=True)
class MailAttachment:
    filename: str
    content_type: str
    data: bytes


def next_version(application_id: int, kind: DocumentKind) -> int:
    latest = db.session.execute(
        select(func.max(IssuedDocument.version)).where(
            IssuedDocument.application_id == application_id,
            IssuedDocument.kind == kind)).scalar_one()
    return (latest or 0) + 1


def render(kind: DocumentKind, application: Application, engagement: Engagement | None,
           issued_by: User | None, version: int) -> tuple[str, str, bytes]:
    """(title, body HTML, PDF bytes) for the document as the data stand now."""
    title = document_title(kind, application.provider.name)
    context = content.context_for(kind, application, engagement)
    meta = dict(kind=kind, title=title, version=version, issued_at=clock.now(),
                issued_by=issued_by, application=application, engagement=engagement)
    body = render_body(kind.value, **{**context, **meta})
    pdf = render_pdf(render_page(body, web=False, **meta))
    return title, body, pdf


def issue(kind: DocumentKind, application: Application, actor: User | None,
          engagement: Engagement | None = None) -> IssuedDocument:
    """Render and store the next version of the document."""
    if kind in ENGAGEMENT_KINDS and engagement is None:
        raise ValueError(f"{kind} belongs to a forløb")
    version = next_version(application.id, kind)
    title, body, pdf = render(kind, application, engagement, actor, version)
    blob = file_store().save(io.BytesIO(pdf))
    document = IssuedDocument(
        application_id=application.id, engagement_id=engagement.id if engagement else None,
        provider_id=application.provider_id, kind=kind, version=version, title=title,
        issued_at=clock.now(), issued_by=actor, size=blob.size, sha256=blob.sha256,
        storage_key=blob.key, html=body)
    db.session.add(document)
    db.session.flush()
    return document


def issue_decision_letter(application: Application, actor: User) -> IssuedDocument:
    """The letter for the decision just recorded, attached to its notification e-mails
    (the rows events.application_decided added in this transaction)."""
    engagement = db.session.execute(
        select(Engagement).where(Engagement.application_id == application.id)
    ).scalar_one_or_none()
    document = issue(DocumentKind.DECISION_LETTER, application, actor, engagement)
    key = f"decision_made:application:{application.id}:{application.status}:%"
    notification_ids = list(db.session.execute(
        select(Notification.id).where(Notification.dedupe_key.like(key))
        .where(~select(notification_documents.c.notification_id)
               .where(notification_documents.c.notification_id == Notification.id).exists())
    ).scalars())
    if notification_ids:
        db.session.execute(insert(notification_documents), [
            {"notification_id": nid, "document_id": document.id} for nid in notification_ids])
    return document


def on_agreement_saved(engagement: Engagement, was_agreed: bool, actor: User) -> None:
    """A samarbejdsaftale that has just been marked as agreed is issued."""
    if agreement_is_agreed(engagement) and not was_agreed:
        issue(DocumentKind.AGREEMENT, engagement.application, actor, engagement)


def on_phase_moved(engagement: Engagement, from_phase: str, to_phase: str,
                   actor: User) -> None:
    """Into development: the analysis report; completed: the final report."""
    kind = kind_for_move(from_phase, to_phase)
    if kind is not None:
        issue(kind, engagement.application, actor, engagement)


def reissue(kind: DocumentKind, application: Application, engagement: Engagement | None,
            actor: User) -> IssuedDocument:
    """A new version after a correction; only a kind that has been issued before."""
    if next_version(application.id, kind) == 1:
        raise DomainError(f"{kind.label} er ikke udstedt endnu, så der er intet at udstede "
                          "igen.")
    return issue(kind, application, actor, engagement)


# --- reading --------------------------------------------------------------------------------------

def _documents(*where) -> list[IssuedDocument]:
    return list(db.session.execute(
        select(IssuedDocument).options(selectinload(IssuedDocument.issued_by))
        .where(*where)
        .order_by(IssuedDocument.kind, IssuedDocument.version.desc())).scalars())


def for_application(application_id: int) -> list[IssuedDocument]:
    return _documents(IssuedDocument.application_id == application_id)


def grouped(documents: list[IssuedDocument]) -> list[tuple[DocumentKind, list[IssuedDocument]]]:
    """Per kind in the order they are issued, newest version first."""
    by_kind: dict[str, list[IssuedDocument]] = {}
    for document in documents:
        by_kind.setdefault(document.kind, []).append(document)
    return [(kind, by_kind[kind]) for kind in DocumentKind if kind in by_kind]


def filename_of(document: IssuedDocument) -> str:
    return download_name(DocumentKind(document.kind), document.application.reference,
                         document.version)


def chunks(document: IssuedDocument):
    return file_store().chunks(document.storage_key)


def mail_attachments(notification_id: int) -> list[MailAttachment]:
    """The documents that go with one outbox row, read from the store when it is sent."""
    documents = db.session.execute(
        select(IssuedDocument).options(selectinload(IssuedDocument.application))
        .join(notification_documents,
              notification_documents.c.document_id == IssuedDocument.id)
        .where(notification_documents.c.notification_id == notification_id)
        .order_by(IssuedDocument.id)).scalars()
    return [MailAttachment(filename_of(d), "application/pdf", read_all(d.storage_key))
            for d in documents]


def latest_decision_letter(application: Application) -> list[MailAttachment]:
    """The newest decision letter, for the direct mail to a contact person without a user."""
    document = db.session.execute(
        select(IssuedDocument).where(IssuedDocument.application_id == application.id,
                                     IssuedDocument.kind == DocumentKind.DECISION_LETTER)
        .order_by(IssuedDocument.version.desc()).limit(1)).scalar_one_or_none()
    if document is None:
        return []
    return [MailAttachment(filename_of(document), "application/pdf",
                           read_all(document.storage_key))]


def engagement_of(application: Application) -> Engagement | None:
    return db.session.execute(
        select(Engagement).where(Engagement.application_id == application.id)
    ).scalar_one_or_none()
