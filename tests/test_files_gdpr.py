"""Attachments and issued documents under GDPR: the retention job takes them with their
application or forløb (rows and bytes), and /min-profil/data.json lists them."""

from __future__ import annotations

import io
import json

from sqlalchemy import select
from test_gdpr_profile import people  # noqa: F401  (fixture)
from test_retention import NOW, world  # noqa: F401  (fixture)

from indsatsteam.attachments import services as attachments
from indsatsteam.attachments.storage import file_store
from indsatsteam.domain.documents import DocumentKind
from indsatsteam.extensions import db
from indsatsteam.gdpr.retention import run_retention
from indsatsteam.models import Application, Attachment, IssuedDocument, StoredFile, User

PDF = b"%PDF-1.4\n%%EOF\n"


def _file(owner, user, name, side="provider") -> Attachment:
    upload = attachments.Upload(io.BytesIO(PDF), name, "Beskrivelse")
    if hasattr(owner, "round_id"):
        owner.status, status = "draft", owner.status  # attach as the draft it once was
        attachment = attachments.add_to_application(owner, user, upload, 10**6)
        owner.status = status
        return attachment
    owner.phase, phase = "development", owner.phase  # attached while the forløb ran
    attachment = attachments.add_to_engagement(owner, user, side, upload, 10**6)
    owner.phase = phase
    return attachment


def _document(application, engagement=None) -> IssuedDocument:
    blob = file_store().save(io.BytesIO(PDF))
    document = IssuedDocument(
        application_id=application.id, engagement_id=engagement.id if engagement else None,
        provider_id=application.provider_id, kind=DocumentKind.DECISION_LETTER, version=1,
        title="Afgørelsesbrev", size=blob.size, sha256=blob.sha256, storage_key=blob.key)
    db.session.add(document)
    return document


def test_retention_takes_files_and_documents_with_their_application_or_forloeb(world):  # noqa: F811
    apps, engagements = world
    user = db.session.execute(select(User)).scalars().first()
    doomed = [_file(apps["old", "rejected"], user, "afvist.pdf"),
              _file(apps["old", "draft"], user, "kladde.pdf"),
              _file(engagements["old"], user, "referat.pdf")]
    kept = [_file(apps["new", "rejected"], user, "ny.pdf"),
            _file(engagements["new"], user, "nyt referat.pdf")]
    _document(apps["old", "rejected"])
    _document(apps["old", "approved"], engagements["old"])
    new_document = _document(apps["new", "approved"], engagements["new"])
    db.session.commit()
    kept_ids = {a.id for a in kept}
    doomed_keys = [a.storage_key for a in doomed]

    run_retention(NOW, dry_run=False, trigger="cli")
    db.session.expire_all()

    assert set(db.session.execute(select(Attachment.id)).scalars()) == kept_ids
    assert list(db.session.execute(select(IssuedDocument.id)).scalars()) == [new_document.id]
    stored = set(db.session.execute(select(StoredFile.id)).scalars())
    assert not {int(key.removeprefix("db:")) for key in doomed_keys} & stored
    assert len(stored) == len(kept) + 1


def test_my_data_lists_my_tilbuds_files_and_documents(client, login, people):  # noqa: F811
    me, other, consultant, _ = people
    my_app, their_app = (db.session.execute(select(Application).where(
        Application.provider_id == p)).scalar_one()
        for p in (sorted(me.provider_ids)[0], sorted(other.provider_ids)[0]))
    _file(my_app, me, "Vores beskrivelse.pdf")
    _file(their_app, other, "Deres hemmelige.pdf")
    _document(my_app)
    db.session.commit()
    login(client, me)
    data = json.loads(client.get("/min-profil/data.json").get_data())
    assert [a["filename"] for a in data["attachments"]] == ["Vores beskrivelse.pdf"]
    assert "storage_key" not in data["attachments"][0]
    assert data["attachments"][0]["sha256"]
    assert [d["title"] for d in data["documents"]] == ["Afgørelsesbrev"]
    assert "html" not in data["documents"][0]
