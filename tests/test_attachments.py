"""Attachments: what is refused (with a Danish message by the field, the description kept),
what is accepted, how they are served and deleted, and that 20 MB never sits whole in memory."""

from __future__ import annotations

import hashlib
import io
import os
import tempfile
import tracemalloc
import zipfile

import pytest
from sqlalchemy import select
from werkzeug.test import EnvironBuilder

from indsatsteam import clock
from indsatsteam.domain.applications import ApplicationStatus
from indsatsteam.engagements.planning import create_engagement
from indsatsteam.extensions import db
from indsatsteam.models import Attachment, AuditEvent, Role, StoredFileChunk, Theme

from helpers import aware, field_error, input_value, text_of

MB = 1024 * 1024


def _zip(parts: dict[str, bytes], first: tuple[str, bytes] | None = None) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        if first:
            archive.writestr(zipfile.ZipInfo(first[0]), first[1])  # stored, uncompressed
        for name, data in parts.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def _ooxml(main_part: str) -> bytes:
    return _zip({"[Content_Types].xml": b"<Types/>", "_rels/.rels": b"<Relationships/>",
                 main_part: b"<x/>"})


def _odf(mimetype: str) -> bytes:
    return _zip({"content.xml": b"<x/>"}, first=("mimetype", mimetype.encode()))


PNG = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + b"\x00" * 64
SAMPLES = {
    "Årsberetning for tilbuddet.pdf": b"%PDF-1.7\n1 0 obj<<>>endobj\n%%EOF\n",
    "Beskrivelse.docx": _ooxml("word/document.xml"),
    "Budget.xlsx": _ooxml("xl/workbook.xml"),
    "Oplæg.pptx": _ooxml("ppt/presentation.xml"),
    "Referat.odt": _odf("application/vnd.oasis.opendocument.text"),
    "Skema.ods": _odf("application/vnd.oasis.opendocument.spreadsheet"),
    "Organisationsdiagram.png": PNG,
    "Foto fra fællesrummet.jpg": b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"\x00" * 64,
    "Foto.JPEG": b"\xff\xd8\xff\xe1\x00\x10Exif\x00" + b"\x00" * 64,
}


@pytest.fixture
def draft(make_user, make_provider, make_round, make_application):
    clock.freeze(aware(2026, 11, 20, 9, 0))
    provider = make_provider(name="Bostedet Lyngen", kind="sel108")
    round_ = make_round(opens_at=aware(2026, 10, 1, 6, 0), closes_at=aware(2026, 11, 27, 11, 0))
    application = make_application(round_, provider)
    return dict(application=application, provider=provider,
                applicant=make_user(Role.APPLICANT, provider=provider, name="Ejer Andersen"))


def upload(post, client, url, name, data, description="Vores beskrivelse", **kwargs):
    return post(client, url, {"file": (io.BytesIO(data), name), "description": description},
                content_type="multipart/form-data", **kwargs)


def _url(draft):
    return f"/ansoegninger/{draft['application'].id}/bilag"


@pytest.mark.parametrize("name", sorted(SAMPLES))
def test_each_allowed_type_is_accepted(client, post, login, draft, name):
    login(client, draft["applicant"])
    response = upload(post, client, _url(draft), name, SAMPLES[name])
    assert response.status_code == 302, text_of(response)
    attachment = db.session.execute(select(Attachment)).scalar_one()
    assert attachment.filename == name and attachment.size == len(SAMPLES[name])
    assert attachment.sha256 == hashlib.sha256(SAMPLES[name]).hexdigest()
    page = text_of(client.get(_url(draft)))
    assert name in page and "Vores beskrivelse" in page


REFUSED = [
    ("tom.pdf", b"", "Filen er tom"),
    ("program.pdf", b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 200, "passer ikke til endelsen"),
    ("side.png", b"<!DOCTYPE html><html><body>Hej</body></html>", "passer ikke til endelsen"),
    ("dokument.docx", _odf("application/vnd.oasis.opendocument.text"),
     "navnet siger Word (DOCX), men indholdet er en ODT-fil"),
    ("../../etc/passwd.pdf", b"%PDF-1.4\n", "må ikke indeholde skråstreger"),
    ("ond\x07fil.pdf", b"%PDF-1.4\n", "usynlige tegn"),
    ("fil\u202efdp.exe", b"%PDF-1.4\n", "usynlige tegn"),
    ("program.exe", b"MZ\x90\x00", "Filtypen .exe kan ikke vedhæftes"),
    ("arkiv.zip", _zip({"a.txt": b"x"}), "Filtypen .zip kan ikke vedhæftes"),
    ("uden-endelse", b"%PDF-1.4\n", "En fil uden endelse kan ikke vedhæftes"),
    ("a" * 147 + ".pdf", b"%PDF-1.4\n", "Filnavnet er for langt"),
]


@pytest.mark.parametrize(("name", "data", "message"), REFUSED,
                         ids=[r[0][:20].encode("unicode_escape").decode() for r in REFUSED])
def test_refused_files_say_why_by_the_field_and_keep_the_description(
        client, post, login, draft, name, data, message):
    login(client, draft["applicant"])
    response = upload(post, client, _url(draft), name, data, description="Skal ikke tabes")
    assert response.status_code == 400
    assert message in (field_error(response, "file") or ""), text_of(response)
    assert input_value(response, "description") == "Skal ikke tabes"
    assert db.session.execute(select(Attachment)).first() is None
    assert db.session.execute(select(StoredFileChunk)).first() is None


def test_20_mb_is_accepted_and_one_byte_more_is_refused(client, post, login, draft):
    login(client, draft["applicant"])
    big = b"%PDF-1.7\n" + b"0" * (20 * MB - 9)
    assert upload(post, client, _url(draft), "stor.pdf", big).status_code == 302
    response = upload(post, client, _url(draft), "for-stor.pdf", big + b"1",
                      description="Den store")
    assert response.status_code == 400
    assert "Filen er for stor. Den må højst fylde 20 MB." in field_error(response, "file")
    assert input_value(response, "description") == "Den store"


def test_a_missing_file_or_description_is_pointed_out(client, post, login, draft):
    login(client, draft["applicant"])
    response = post(client, _url(draft), {"description": "Kun tekst"},
                    content_type="multipart/form-data")
    assert response.status_code == 400 and field_error(response, "file") == "Vælg en fil"
    response = upload(post, client, _url(draft), "a.pdf", b"%PDF-1.4\n", description="")
    assert field_error(response, "description") == "Skriv en kort beskrivelse af filen"


def test_at_most_five_on_an_application_and_only_while_it_is_a_draft(client, post, login,
                                                                     draft):
    login(client, draft["applicant"])
    for n in range(5):
        assert upload(post, client, _url(draft), f"bilag {n}.pdf", b"%PDF-1.4\n").status_code \
            == 302
    response = upload(post, client, _url(draft), "nummer seks.pdf", b"%PDF-1.4\n")
    assert response.status_code == 400
    assert "højst 5 bilag" in field_error(response, "file")
    draft["application"].status = ApplicationStatus.SUBMITTED
    db.session.commit()
    response = upload(post, client, _url(draft), "sent.pdf", b"%PDF-1.4\n")
    assert "mens ansøgningen er en kladde" in text_of(response)


def test_download_is_an_attachment_of_the_stored_type_with_nosniff(client, post, login, draft):
    login(client, draft["applicant"])
    upload(post, client, _url(draft), "Årsplan æøå.pdf", SAMPLES["Årsberetning for tilbuddet.pdf"])
    attachment = db.session.execute(select(Attachment)).scalar_one()
    response = client.get(f"/filer/{attachment.id}")
    body = response.get_data()  # read first: it streams
    assert response.status_code == 200
    assert response.mimetype == "application/pdf"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    disposition = response.headers["Content-Disposition"]
    assert disposition.startswith('attachment; filename="Aarsplan aeoeaa.pdf"')
    assert "filename*=UTF-8''%C3%85rsplan%20%C3%A6%C3%B8%C3%A5.pdf" in disposition
    assert body == SAMPLES["Årsberetning for tilbuddet.pdf"]


def test_deleting_is_recorded_in_the_audit_trail(client, post, login, draft):
    login(client, draft["applicant"])
    upload(post, client, _url(draft), "slet mig.pdf", b"%PDF-1.4\n")
    attachment = db.session.execute(select(Attachment)).scalar_one()
    response = post(client, f"/filer/{attachment.id}/slet")
    assert response.status_code == 302
    assert db.session.execute(select(Attachment)).first() is None
    assert db.session.execute(select(StoredFileChunk)).first() is None
    event = db.session.execute(select(AuditEvent).where(
        AuditEvent.object_type == "attachment", AuditEvent.action == "delete")).scalar_one()
    assert event.actor_id == draft["applicant"].id and "slet mig.pdf" in event.object_label


def test_a_file_elsewhere_is_still_refused(client, post, login, draft):
    login(client, draft["applicant"])
    response = upload(post, client, f"/ansoegninger/{draft['application'].id}/trin/2",
                      "a.pdf", b"%PDF-1.4\n")
    assert response.status_code == 400
    assert "Systemet tager ikke imod filer" in text_of(response)


@pytest.fixture
def forloeb(draft, make_user):
    application = draft["application"]
    application.status = ApplicationStatus.APPROVED
    lead = make_user(Role.CONSULTANT, name="Lea Konsulent")
    manager = make_user(Role.MANAGER)
    themes = db.session.execute(select(Theme).order_by(Theme.position).limit(1)).scalars().all()
    from datetime import date
    engagement = create_engagement(application, lead_consultant_id=lead.id,
                                   second_consultant_id=None, planned_start=date(2026, 12, 1),
                                   duration_months=6, theme_ids=[t.id for t in themes],
                                   actor=manager)
    db.session.commit()
    return dict(draft, engagement=engagement, lead=lead, manager=manager)


def test_both_sides_share_files_in_a_forloeb_and_delete_only_their_own(
        app, client, post, login, forloeb):
    engagement = forloeb["engagement"]
    login(client, forloeb["applicant"])
    assert upload(post, client, f"/vores-forloeb/{engagement.id}/filer", "Vores referat.pdf",
                  b"%PDF-1.4\n", description="Referat").status_code == 302
    staff = app.test_client()
    login(staff, forloeb["lead"])
    assert upload(post, staff, f"/forloeb/{engagement.id}/filer", "Materiale.pptx",
                  SAMPLES["Oplæg.pptx"], description="Slides").status_code == 302
    theirs, ours = sorted(db.session.execute(select(Attachment)).scalars(), key=lambda a: a.id)
    assert (theirs.side, ours.side) == ("provider", "team")
    for page in (text_of(client.get(f"/vores-forloeb/{engagement.id}")),
                 text_of(staff.get(f"/forloeb/{engagement.id}"))):
        assert "Vores referat.pdf" in page and "Materiale.pptx" in page
    assert post(staff, f"/filer/{theirs.id}/slet").status_code == 403
    assert post(client, f"/filer/{ours.id}/slet").status_code == 403
    assert post(staff, f"/filer/{ours.id}/slet").status_code == 302


# --- memory: 20 MB through the upload and the download, never held whole ---------------------

def test_a_20_mb_file_is_never_whole_in_python_memory(app, client, post, login, draft):
    """The request body comes from a file on disk, so what tracemalloc sees is only what the
    app allocates: Werkzeug spools the upload to a temporary file, the store copies it in
    1 MB chunks, and the download streams chunk by chunk."""
    login(client, draft["applicant"])
    from helpers import csrf_token

    size = 20 * MB
    with tempfile.TemporaryFile() as body_file:
        builder = EnvironBuilder(path=_url(draft), method="POST", data={
            "csrf_token": csrf_token(app, client), "description": "Stor fil",
            "file": (io.BytesIO(b"%PDF-1.7\n" + os.urandom(size - 9)), "stor.pdf")})
        environ = builder.get_environ()
        body_file.write(environ["wsgi.input"].read())
        length = body_file.tell()
        body_file.seek(0)
        del builder
        environ.update({"wsgi.input": body_file, "CONTENT_LENGTH": str(length)})

        tracemalloc.start()
        response = client.open(environ)
        _, upload_peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
    assert response.status_code == 302
    attachment = db.session.execute(select(Attachment)).scalar_one()
    assert attachment.size == size
    db.session.expunge_all()

    tracemalloc.start()
    response = client.get(f"/filer/{attachment.id}", buffered=False)
    received = 0
    for chunk in response.response:
        received += len(chunk)
    response.close()
    _, download_peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert received == size
    assert upload_peak < size, f"upload peaked at {upload_peak / MB:.1f} MB"
    assert download_peak < size, f"download peaked at {download_peak / MB:.1f} MB"


def test_a_body_far_beyond_the_limit_is_a_danish_413(app, client, post, login, draft,
                                                      monkeypatch):
    monkeypatch.setitem(app.config, "MAX_ATTACHMENT_MB", 1)
    login(client, draft["applicant"])
    response = upload(post, client, _url(draft), "stor.pdf", b"%PDF-1.7\n" + b"0" * (2 * MB))
    assert response.status_code == 413
    assert "Filen er for stor" in text_of(response)
    assert db.session.execute(select(Attachment)).first() is None
