"""Issued documents: the four PDFs parsed back (pypdf), the catalogue version's wording,
versions that never change, the decision e-mail's attachment, and who may read them."""

from __future__ import annotations

import hashlib
import io
from datetime import date

import pytest
from pypdf import PdfReader
from sqlalchemy import select

from indsatsteam import clock, mail
from indsatsteam.attachments.storage import read_all
from indsatsteam.development import services as work
from indsatsteam.domain.applications import ApplicationStatus
from indsatsteam.domain.documents import DocumentKind
from indsatsteam.engagements import services as engagement_services
from indsatsteam.extensions import db
from indsatsteam.models import (
    AccessLogEntry,
    AnalysisFinding,
    Engagement,
    EngagementRecommendation,
    IssuedDocument,
    Meeting,
    Recommendation,
    RecommendationCatalogue,
    Role,
    Theme,
)
from indsatsteam.notifications.sender import send_pending
from indsatsteam.reviews.services import Decision, decide

from helpers import add_indicators, aware, expectations, make_plans, text_of


def pdf_text(data: bytes) -> str:
    reader = PdfReader(io.BytesIO(data))
    return "\n".join(page.extract_text() for page in reader.pages)


def stored(document: IssuedDocument) -> bytes:
    return read_all(document.storage_key)


@pytest.fixture
def case(app, make_user, make_provider, make_round, make_application):
    """An application in review at a § 108 botilbud, decided by the manager (approved)."""
    clock.freeze(aware(2027, 1, 11, 9, 30))
    provider = make_provider(name="Bostedet Åkanden", kind="sel108")
    round_ = make_round(name="Forår 2027", opens_at=aware(2026, 10, 1, 6, 0),
                        closes_at=aware(2026, 12, 1, 11, 0))
    application = make_application(round_, provider, status=ApplicationStatus.IN_REVIEW)
    manager = make_user(Role.MANAGER, name="Mona Leder")
    lead = make_user(Role.CONSULTANT, name="Lea Konsulent")
    applicant = make_user(Role.APPLICANT, provider=provider, name="Anna Ansøger")
    themes = db.session.execute(select(Theme).order_by(Theme.position).limit(2)).scalars().all()
    with app.test_request_context():  # the contact person's direct mail links to the app
        decide(application, Decision(
            outcome=ApplicationStatus.APPROVED,
            message="Velkommen til forløbet.\n\nVi glæder os.", lead_consultant_id=lead.id,
            theme_ids=tuple(t.id for t in themes), planned_start=date(2027, 2, 1),
            duration_months=8, no_review_reason="Kendt tilbud, hastesag"), manager)
        db.session.commit()  # the route's domain_errors commits; the decision service does not
    engagement = db.session.execute(
        select(Engagement).where(Engagement.application_id == application.id)).scalar_one()
    mail.outbox.clear()
    return dict(application=application, engagement=engagement, manager=manager, lead=lead,
                applicant=applicant, themes=themes, provider=provider)


def _letter(case) -> IssuedDocument:
    return db.session.execute(select(IssuedDocument).where(
        IssuedDocument.kind == DocumentKind.DECISION_LETTER)).scalar_one()


def test_the_decision_letter_is_a_tagged_danish_a4_pdf(case):
    letter = _letter(case)
    data = stored(letter)
    assert letter.version == 1 and letter.issued_by_id == case["manager"].id
    assert letter.sha256 == hashlib.sha256(data).hexdigest() and letter.size == len(data)
    reader = PdfReader(io.BytesIO(data))
    root = reader.trailer["/Root"]
    assert root["/Lang"] == "da"
    assert bool(root["/MarkInfo"]["/Marked"])  # tagged (PDF/UA)
    assert "/StructTreeRoot" in root
    assert reader.metadata.title == "Afgørelsesbrev – Bostedet Åkanden"
    width, height = (float(v) for v in reader.pages[0].mediabox[2:])
    assert (round(width), round(height)) == (595, 842)  # A4 in points
    text = pdf_text(data)
    for expected in ("Bostedet Åkanden", "godkendt", "Forår 2027", "11. januar 2027",
                     "1. februar 2027", "8 måneder", "Lea Konsulent", "Velkommen til forløbet",
                     case["themes"][0].name, case["themes"][1].name, "Side 1 af",
                     "Socialstyrelsen · Indsatsteamet", case["application"].reference):
        assert expected in text, expected


def test_the_decision_email_carries_the_letter_it_was_issued_with(case):
    letter = _letter(case)
    assert send_pending().sent == 1
    message = mail.outbox[-1]
    parts = [p for p in message.iter_attachments()]
    assert [p.get_filename() for p in parts] == [
        f"Afgørelsesbrev {case['application'].reference} v1.pdf"]
    assert parts[0].get_content_type() == "application/pdf"
    assert hashlib.sha256(parts[0].get_content()).hexdigest() == letter.sha256


def test_a_rejection_letter_says_so(app, make_user, make_provider, make_round,
                                    make_application):
    clock.freeze(aware(2027, 3, 7, 10, 0))
    provider = make_provider(name="Støtten Nord", kind="sel85_home")
    round_ = make_round(opens_at=aware(2026, 10, 1, 6, 0), closes_at=aware(2026, 12, 1, 11, 0))
    application = make_application(round_, provider, status=ApplicationStatus.IN_REVIEW)
    with app.test_request_context():
        decide(application, Decision(outcome=ApplicationStatus.REJECTED,
                                     message="Der var ikke plads.",
                                     no_review_reason="Uden for målgruppen"),
               make_user(Role.MANAGER))
        db.session.commit()
    text = pdf_text(stored(db.session.execute(select(IssuedDocument)).scalar_one()))
    assert "afslag" in text and "Støtten Nord" in text and "7. marts 2027" in text
    assert "Der var ikke plads." in text


def _agree(case):
    engagement = case["engagement"]
    add_indicators(engagement)
    work.save_expectations(
        engagement, "team", expectations(goals="Mere recovery-orienteret praksis",
                                         participants="Ledelse og to medarbejdere",
                                         meeting_cadence="Hver anden uge"),
        agreed=True, actor=case["lead"])
    db.session.commit()


def _through_analysis(case, catalogue_change=True):
    """Kick-off held, agreement agreed, analysis recorded, two recommendations chosen; then a
    new catalogue version with other wording arrives before the move to development."""
    engagement, lead = case["engagement"], case["lead"]
    db.session.add(Meeting(engagement=engagement, meeting_type="kickoff",
                           starts_at=aware(2027, 2, 2, 9, 0), held=True, location="Tilbuddet"))
    _agree(case)
    clock.freeze(aware(2027, 3, 1, 9, 0))
    engagement_services.move_phase(engagement, "analysis", lead, "")
    db.session.commit()
    for theme in case["themes"]:
        db.session.add(AnalysisFinding(engagement=engagement, theme=theme,
                                       strengths=f"Styrke inden for {theme.name}",
                                       development_areas=f"Udvikling inden for {theme.name}"))
    recs = db.session.execute(select(Recommendation).where(
        Recommendation.catalogue_id == engagement.catalogue_id)
        .order_by(Recommendation.number)).scalars().all()
    for rec, score in zip(recs[:2], (2, 3), strict=True):
        db.session.add(EngagementRecommendation(
            engagement=engagement, recommendation=rec, chosen_at=clock.now(),
            chosen_by_id=case["applicant"].id, baseline_score=score))
    if catalogue_change:
        old = db.session.get(RecommendationCatalogue, engagement.catalogue_id)
        old.is_current = False
        new = RecommendationCatalogue(code=old.code, version=old.version + 1, title=old.title,
                                      is_current=True)
        db.session.add(new)
        db.session.flush()
        for rec in recs:
            db.session.add(Recommendation(catalogue_id=new.id, number=rec.number,
                                          title=f"NY ORDLYD {rec.number}", text="Ny tekst"))
    db.session.commit()
    db.session.expire_all()
    clock.freeze(aware(2027, 5, 3, 9, 0))
    engagement_services.move_phase(engagement, "development", lead, "")
    db.session.commit()
    return recs


def test_the_samarbejdsaftale_is_issued_when_it_is_agreed(case):
    _agree(case)
    agreement = db.session.execute(select(IssuedDocument).where(
        IssuedDocument.kind == DocumentKind.AGREEMENT)).scalar_one()
    text = pdf_text(stored(agreement))
    for expected in ("Samarbejdsaftale", "Bostedet Åkanden", "Mere recovery-orienteret praksis",
                     "Hver anden uge", "Opstart", "1. februar 2027", "11. januar 2027"):
        assert expected in text, expected
    # Saving it again while agreed issues nothing new.
    work.save_expectations(case["engagement"], "team",
                           expectations(goals="Rettet mål", participants="x",
                                        meeting_cadence="y"), agreed=True, actor=case["lead"])
    db.session.commit()
    assert db.session.execute(select(IssuedDocument).where(
        IssuedDocument.kind == DocumentKind.AGREEMENT)).scalars().all() == [agreement]


def test_the_analysis_report_uses_the_forloebs_catalogue_version(case):
    recs = _through_analysis(case)
    report = db.session.execute(select(IssuedDocument).where(
        IssuedDocument.kind == DocumentKind.ANALYSIS_REPORT)).scalar_one()
    text = pdf_text(stored(report))
    for theme in case["themes"]:
        assert theme.name in text
        assert f"Styrke inden for {theme.name}" in text
        assert f"Udvikling inden for {theme.name}" in text
    assert recs[0].title[:40] in text.replace("\n", " ")
    assert recs[1].title[:40] in text.replace("\n", " ")
    assert recs[2].title[:40] not in text.replace("\n", " ")  # proposed to nobody
    assert "NY ORDLYD" not in text
    assert "version 1" in text and "3. maj 2027" in text


def test_the_final_report_compares_before_and_after(case):
    recs = _through_analysis(case, catalogue_change=False)
    engagement = case["engagement"]
    for row, score in zip(sorted(engagement.recommendations, key=lambda r: r.id), (4, 5),
                          strict=True):
        row.final_score = score
    make_plans(engagement)
    engagement.indicators[0].end_value, engagement.indicators[0].end_date = 70, clock.today()
    engagement_services.save_final_evaluation(
        engagement, case["lead"], summary="Et godt forløb", achievements="Nye rutiner",
        next_steps="Fortsætte", complete=True)
    db.session.commit()
    first_task = sorted(engagement.tasks, key=lambda t: t.id)[0]
    engagement_services.set_task_status(first_task, "done", case["lead"])
    db.session.commit()
    clock.freeze(aware(2027, 9, 30, 12, 0))
    engagement_services.move_phase(engagement, "completed", case["lead"], "",
                                   close_open_tasks=True)
    db.session.commit()
    report = db.session.execute(select(IssuedDocument).where(
        IssuedDocument.kind == DocumentKind.FINAL_REPORT)).scalar_one()
    text = pdf_text(stored(report))
    flat = " ".join(text.split())
    for expected in ("Slutrapport", "Bostedet Åkanden", "30. september 2027", "Afholdte møder",
                     "Opstartsmøde", "2. februar 2027", "Et godt forløb", "Nye rutiner",
                     "Faktisk start", "1. marts 2027", "er lukket som ikke relevante",
                     first_task.title[:30], "Borgere med en plan lavet sammen med dem",
                     "70 %, målet er nået", "+30 %", "30. marts 2028", "Udviklingsplaner",
                     "Borgerne skriver selv deres mål", "Forudsætninger: ledelse",
                     "Lederen følger op hver måned", "Afdelingsleder", "Første opfølgning"):
        assert expected in flat, expected
    assert f"1. {recs[0].title[:30]}" in flat
    scores = flat.split("Selvevaluering før og efter")[1].split("Udviklingsplaner")[0]
    assert "+2" in scores and "+2" in scores.split(recs[1].title[:20])[-1]


def test_reissuing_adds_version_2_and_keeps_version_1_byte_for_byte(case, client, post,
                                                                    login):
    _agree(case)
    v1 = db.session.execute(select(IssuedDocument).where(
        IssuedDocument.kind == DocumentKind.AGREEMENT)).scalar_one()
    v1_bytes, v1_hash = stored(v1), v1.sha256
    case["engagement"].agreement.goals = "Rettet efter aftale"
    db.session.commit()
    clock.freeze(aware(2027, 2, 15, 13, 0))
    login(client, case["lead"])
    response = post(client, f"/forloeb/{case['engagement'].id}/dokumenter/samarbejdsaftale")
    assert response.status_code == 302
    versions = db.session.execute(select(IssuedDocument).where(
        IssuedDocument.kind == DocumentKind.AGREEMENT)
        .order_by(IssuedDocument.version)).scalars().all()
    assert [d.version for d in versions] == [1, 2]
    assert stored(versions[0]) == v1_bytes
    assert hashlib.sha256(stored(versions[0])).hexdigest() == v1_hash == versions[0].sha256
    assert "Rettet efter aftale" in pdf_text(stored(versions[1]))
    assert "Rettet efter aftale" not in pdf_text(v1_bytes)
    page = text_of(client.get(f"/forloeb/{case['engagement'].id}"))
    assert "Samarbejdsaftale" in page and "tidligere version" in page


def test_reissue_of_something_never_issued_is_refused(case, client, post, login):
    login(client, case["lead"])
    response = post(client, f"/forloeb/{case['engagement'].id}/dokumenter/slutrapport",
                    follow_redirects=True)
    assert "Slutrapport er ikke udstedt endnu" in text_of(response)
    assert post(client, f"/forloeb/{case['engagement'].id}/dokumenter/ukendt").status_code \
        == 404


def test_the_tilbud_downloads_exactly_what_it_received(case, client, login):
    letter = _letter(case)
    login(client, case["applicant"])
    response = client.get(f"/dokumenter/{letter.id}.pdf")
    assert response.status_code == 200
    assert response.mimetype == "application/pdf"
    assert response.headers["Content-Disposition"].startswith("attachment;")
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert hashlib.sha256(response.get_data()).hexdigest() == letter.sha256
    page = text_of(client.get(f"/dokumenter/{letter.id}"))
    assert "Afgørelse på jeres ansøgning" in page and "Velkommen til forløbet" in page
    assert "Hent som PDF" in page
    portal = text_of(client.get(f"/vores-forloeb/{case['engagement'].id}"))
    assert "Afgørelsesbrev" in portal
    # The tilbud reading its own document is not logged.
    assert db.session.execute(select(AccessLogEntry).where(
        AccessLogEntry.object_type == "document")).first() is None


def test_staff_reading_a_document_is_access_logged_and_others_get_404(
        case, client, login, make_user, make_provider):
    letter = _letter(case)
    login(client, case["lead"])
    response = client.get(f"/dokumenter/{letter.id}.pdf")
    response.close()  # a streamed body holds its request context until it is closed
    assert response.status_code == 200
    entry = db.session.execute(select(AccessLogEntry).where(
        AccessLogEntry.object_type == "document")).scalar_one()
    assert entry.viewer_id == case["lead"].id and entry.action == "download"
    assert entry.provider_id == case["provider"].id
    for other in (make_user(Role.CONSULTANT),
                  make_user(Role.APPLICANT, provider=make_provider(name="Andet tilbud"))):
        other_client = client.application.test_client()
        login(other_client, other)
        assert other_client.get(f"/dokumenter/{letter.id}.pdf").status_code == 404
        assert other_client.get(f"/dokumenter/{letter.id}").status_code == 404
