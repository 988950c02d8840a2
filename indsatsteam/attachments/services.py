"""Adding, listing and deleting attachments. Plain values in; the caller commits.

A file is checked before a byte is stored: its name, its size, and its type from the
content, which must agree with the extension. The stream is the upload's temporary file
(Werkzeug spools large uploads to disk), copied to the store in chunks.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import BinaryIO

from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from ..domain import files
from ..domain.applications import ApplicationStatus
from ..domain.errors import DomainError
from ..domain.phases import Phase
from ..extensions import db
from ..models import Application, Attachment, Engagement, User
from .detect import detect
from .storage import file_store

PROVIDER, TEAM = "provider", "team"
MAX_DESCRIPTION = 300
CLOSED_PHASES = (Phase.COMPLETED, Phase.CANCELLED)


@dataclass(frozen=True)
class Upload:
    """What a form handed over: a seekable stream, the name the browser sent, and the
    person's short description."""

    stream: BinaryIO | None
    filename: str | None
    description: str


@dataclass(frozen=True)
class CheckedFile:
    name: str
    file_type: files.FileType
    size: int


def check_upload(upload: Upload, max_bytes: int) -> CheckedFile:
    """The file's clean name, type and size, or DomainError with the Danish reason."""
    if upload.stream is None:
        raise DomainError("Vælg en fil", field=files.FIELD)
    name = files.clean_filename(upload.filename)
    claimed = files.type_for_name(name)
    upload.stream.seek(0, 2)
    size = upload.stream.tell()
    upload.stream.seek(0)
    files.check_size(size, max_bytes)
    files.check_content(claimed, detect(upload.stream))
    return CheckedFile(name=name, file_type=claimed, size=size)


def _description(upload: Upload) -> str:
    text = " ".join((upload.description or "").split())
    if not text:
        raise DomainError("Skriv en kort beskrivelse af filen", field="description")
    if len(text) > MAX_DESCRIPTION:
        raise DomainError(f"Beskrivelsen må højst være {MAX_DESCRIPTION} tegn",
                          field="description")
    return text


def _store(checked: CheckedFile, upload: Upload, actor: User, side: str,
           **owner) -> Attachment:
    description = _description(upload)
    blob = file_store().save(upload.stream)
    attachment = Attachment(
        side=side, filename=checked.name, description=description,
        file_type=checked.file_type.code, content_type=checked.file_type.content_type,
        size=blob.size, sha256=blob.sha256, storage_key=blob.key, uploaded_by=actor, **owner)
    db.session.add(attachment)
    db.session.flush()
    return attachment


def add_to_application(application: Application, actor: User, upload: Upload,
                       max_bytes: int) -> Attachment:
    """The tilbud attaches a file to its draft application (at most five)."""
    if application.status != ApplicationStatus.DRAFT:
        raise DomainError("Bilag kan kun vedhæftes, mens ansøgningen er en kladde.",
                          field=files.FIELD)
    files.check_room(count_for_application(application.id))
    description = _description(upload)  # before the file: both messages are about typing
    checked = check_upload(upload, max_bytes)
    return _store(checked, Upload(upload.stream, upload.filename, description), actor,
                  PROVIDER, application_id=application.id)


def add_to_engagement(engagement: Engagement, actor: User, side: str, upload: Upload,
                      max_bytes: int) -> Attachment:
    """Either side attaches a file (minutes, materials) to a forløb that is not closed."""
    if engagement.phase in CLOSED_PHASES:
        raise DomainError("Forløbet er afsluttet, så der kan ikke vedhæftes flere filer.",
                          field=files.FIELD)
    _description(upload)
    checked = check_upload(upload, max_bytes)
    return _store(checked, upload, actor, side, engagement_id=engagement.id)


def delete_attachment(attachment: Attachment) -> None:
    """Remove the attachment and its bytes; the audit trail records the deletion."""
    key = attachment.storage_key
    db.session.delete(attachment)
    db.session.flush()
    file_store().delete(key)


def count_for_application(application_id: int) -> int:
    return db.session.execute(
        select(func.count()).select_from(Attachment)
        .where(Attachment.application_id == application_id)).scalar_one()


def for_application(application_id: int) -> list[Attachment]:
    return list(db.session.execute(
        select(Attachment).options(selectinload(Attachment.uploaded_by))
        .where(Attachment.application_id == application_id)
        .order_by(Attachment.uploaded_at, Attachment.id)).scalars())


def for_engagement(engagement_id: int) -> list[Attachment]:
    return list(db.session.execute(
        select(Attachment).options(selectinload(Attachment.uploaded_by))
        .where(Attachment.engagement_id == engagement_id)
        .order_by(Attachment.uploaded_at.desc(), Attachment.id.desc())).scalars())


def chunks(attachment: Attachment):
    return file_store().chunks(attachment.storage_key)
