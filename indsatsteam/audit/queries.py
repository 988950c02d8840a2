"""Reading the audit trail and the access log: searches, per-object history, Danish labels."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

from flask import current_app, url_for
from flask_login import current_user
from sqlalchemy import and_, or_, select
from sqlalchemy.orm import selectinload

from ..access import may_open_engagement
from ..domain.danish_time import start_of_day
from ..extensions import db
from ..models import AccessLogEntry, Application, AuditEvent, Engagement, Provider, Role, User
from ..pagination import Page, paginate

PAGE_SIZE = 50

OBJECT_TYPE_LABELS = {
    "application": "Ansøgning", "round": "Ansøgningsrunde", "review": "Vurdering",
    "provider": "Tilbud", "membership": "Tilknytning til tilbud", "user": "Bruger",
    "engagement": "Forløb", "phase_plan": "Faseplan", "phase_transition": "Faseskift",
    "task": "Opgave", "meeting": "Møde", "note": "Note", "agreement": "Samarbejdsaftale",
    "finding": "Analyse", "engagement_recommendation": "Anbefaling i forløb",
    "final_evaluation": "Afsluttende evaluering", "theme": "Tema",
    "catalogue": "Katalog over anbefalinger", "recommendation": "Anbefaling",
    "phase_template": "Faseskabelon", "task_template": "Standardopgave",
    "reminder_rule": "Påmindelsesregel", "retention_policy": "Opbevaringsregel",
    "deletion_request": "Anmodning om sletning", "development_plan": "Udviklingsplan",
    "milestone": "Milepæl", "engagement_method": "Metode foreslået i forløb",
    "engagement_indicator": "Indikator i forløbet", "benefit_rating": "Vurdering af udbytte",
    "method_library": "Bibliotek over metoder og redskaber", "method": "Metode eller redskab",
    "indicator_catalogue": "Katalog over indikatorer", "indicator": "Indikator",
    "oidc_identity": "Login-identitet (MitID Erhverv / medarbejderlogin)",
    "login": "Login",
}
ACTION_LABELS = {"create": "Oprettet", "update": "Ændret", "delete": "Slettet",
                 "login": "Logget ind", "login_refused": "Login afvist"}
ACCESS_ACTION_LABELS = {"view": "Set", "export": "Eksporteret", "download": "Hentet"}

FIELD_LABELS = {
    # Logins (auth/oidc_services.record_login) and login identities.
    "method": "Login-metode", "outcome": "Udfald", "acr": "Sikringsniveau (acr)",
    "subject": "Identifikator hos login-udbyderen", "provider": "Login-udbyder",
    "last_login_at": "Sidste login",
    # Files and issued documents.
    "side": "Lagt op af tilbuddet eller teamet", "filename": "Filnavn", "file_type": "Filtype",
    "content_type": "Indholdstype", "size": "Størrelse (bytes)", "sha256": "SHA-256",
    "uploaded_by_id": "Lagt op af", "issued_by_id": "Udstedt af",
    "status": "Status", "reference": "Reference", "round_id": "Ansøgningsrunde",
    "provider_id": "Tilbud", "created_by_id": "Oprettet af", "contact_name": "Kontaktperson",
    "contact_email": "E-mailadresse", "contact_phone": "Telefonnummer",
    "duration_months": "Varighed (måneder)", "desired_start": "Ønsket start",
    "participants": "Deltagere", "participant_count": "Antal deltagere",
    "hours_per_month": "Timer om måneden", "management_anchoring": "Ledelsesforankring",
    "motivation": "Motivation", "challenges": "Udfordringer",
    "hoped_outcomes": "Forventede resultater", "submitted_at": "Indsendt",
    "withdrawn_at": "Trukket tilbage", "decided_at": "Afgjort", "decided_by_id": "Afgjort af",
    "decision_message": "Besked til ansøgeren",
    "capacity_override_reason": "Begrundelse for godkendelse ud over antallet",
    "themes": "Temaer", "application_id": "Ansøgning", "engagement_id": "Forløb",
    "lead_consultant_id": "Ansvarlig konsulent", "second_consultant_id": "Anden konsulent",
    "catalogue_id": "Katalog", "phase": "Fase", "resume_phase": "Genoptag i fase",
    "planned_start": "Planlagt start", "planned_end": "Planlagt slut",
    "actual_start": "Faktisk start", "actual_end": "Faktisk slut", "from_phase": "Fra fase",
    "to_phase": "Til fase", "actor_id": "Udført af", "comment": "Kommentar",
    "title": "Titel", "description": "Beskrivelse", "owner_type": "Ansvarlig",
    "owner_user_id": "Ansvarlig person", "due_date": "Frist", "offset_days": "Dage efter start",
    "theme_id": "Tema", "completed_at": "Udført", "completed_by_id": "Udført af",
    "name": "Navn", "email": "E-mail", "role": "Rolle", "active": "Aktiv",
    "password_hash": "Adgangskode", "capacity": "Kapacitet",
    "deactivated_at": "Deaktiveret", "anonymised_at": "Anonymiseret",
    "invited_at": "Inviteret", "email_confirmed_at": "E-mail bekræftet",
    "share_percent": "Andel af varigheden (%)", "days": "Dage", "enabled": "Slået til",
    "version": "Version", "text": "Tekst", "number": "Nummer", "code": "Kode",
    "opens_at": "Åbner", "closes_at": "Frist", "programmes_offered": "Antal forløb",
    "close_reason": "Begrundelse for lukning", "reviewer_id": "Bedømmer",
    "recommendation": "Indstilling", "goals": "Mål", "meeting_cadence": "Mødekadence",
    "agreed_at": "Aftalt", "starts_at": "Tidspunkt", "location": "Sted",
    "minutes": "Referat", "held": "Afholdt", "body": "Tekst", "strengths": "Styrker",
    "development_areas": "Udviklingsområder", "summary": "Opsummering",
    "achievements": "Resultater", "next_steps": "Næste skridt",
    "eligible_kinds": "Typer tilbud, der kan søge",
    "eligible_owner_types": "Ejerformer, der kan søge",
    "eligible_regions": "Regioner, der kan søge", "gate_key": "Port",
    "no_review_reason": "Begrundelse for afgørelse uden vurdering",
    "minutes_shared": "Referat delt med tilbuddet",
    "closed_early_at": "Lukket før tid", "original_closes_at": "Oprindelig frist",
    "assigned_by_id": "Tildelt af", "assigned_at": "Tildelt",
    "fit_score": "Score: passer til temaerne", "fit_comment": "Begrundelse: passer til temaerne",
    "readiness_score": "Score: parathed og ressourcer",
    "readiness_comment": "Begrundelse: parathed og ressourcer",
    "anchoring_score": "Score: ledelsesmæssig forankring",
    "anchoring_comment": "Begrundelse: ledelsesmæssig forankring",
    "cvr": "CVR-nummer", "p_number": "P-nummer", "kind": "Type", "municipality_code": "Kommune",
    "region": "Region", "address": "Adresse", "postal_code": "Postnummer", "city": "By",
    "user_id": "Bruger", "calendar_token_hash": "Kalenderlink", "position": "Placering",
    "at": "Tidspunkt", "engagement_recommendation_id": "Anbefaling",
    "meeting_type": "Mødetype", "author_id": "Skrevet af", "recommendation_id": "Anbefaling",
    "proposed_by_id": "Foreslået af", "proposed_at": "Foreslået", "chosen_by_id": "Valgt af",
    "chosen_at": "Valgt", "baseline_score": "Selvevaluering før",
    "final_score": "Selvevaluering efter", "is_current": "Gældende",
    "phase_template_id": "Fase", "months": "Måneder", "updated_by_id": "Ændret af",
    "requested_at": "Anmodet", "reason": "Begrundelse", "handled_by_id": "Behandlet af",
    "handled_at": "Behandlet", "response": "Svar",
    # The forventningsafstemning, the development plans and the method library.
    "meaning_insight": "Betydning for os: indblik i egne styrker og udviklingsmuligheder",
    "meaning_competences": "Betydning for os: styrkede kompetencer til forandring",
    "meaning_understanding": "Betydning for os: fælles faglig forståelse",
    "meaning_systematics": "Betydning for os: mere systematik",
    "time_commitment": "Tid", "leadership_involvement": "Ledelsens involvering",
    "contact_person": "Kontaktperson", "risks": "Risici", "agreed_by_id": "Aftalt af",
    "changes": "Konkrete ændringer", "leadership_conditions": "Forudsætninger: ledelse",
    "organisation_conditions": "Forudsætninger: organisation",
    "competence_conditions": "Forudsætninger: kompetencer",
    "routine_conditions": "Forudsætninger: rutiner", "responsible": "Ansvarlig",
    "methods": "Metoder og redskaber", "plan_id": "Udviklingsplan", "task_id": "Opgave",
    "method_id": "Metode", "library_id": "Bibliotek", "theme_codes": "Temaer",
    "recommendation_refs": "Anbefalinger", "links": "Links",
    # Documented effect.
    "indicator_id": "Indikator", "baseline_value": "Udgangspunkt",
    "baseline_date": "Udgangspunkt målt", "target_value": "Mål", "end_value": "Slutmåling",
    "end_date": "Slutmåling foretaget", "follow_up_value": "Opfølgning",
    "follow_up_date": "Opfølgning foretaget", "follow_up_score": "Selvevaluering ved opfølgning",
    "follow_up_due": "Opfølgning planlagt", "benefit_code": "Udbytte", "score": "Vurdering",
    "rated_by_id": "Vurderet af", "rated_at": "Vurderet",
    # The indicator catalogue (admin/indicator_services).
    "outcome_area": "Område", "definition": "Definition", "unit": "Enhed",
    "direction": "Hvad er bedre",
}


def field_label(key: str) -> str:
    return FIELD_LABELS.get(key, key)


def object_type_label(object_type: str) -> str:
    return OBJECT_TYPE_LABELS.get(object_type, object_type)


def object_url(object_type: str, object_id: int | None) -> str | None:
    """A link to the object's own page, where there is one and the user may open it (an
    admin reads the trail of forløb it cannot open; a consultant cannot open user pages)."""
    if object_id is None:
        return None
    endpoints = {"application": ("staff.application", "application_id"),
                 "engagement": ("engagements.view", "engagement_id"),
                 "user": ("users.view", "user_id")}
    endpoint, arg = endpoints.get(object_type, (None, None))
    if endpoint is None or endpoint not in current_app.view_functions:
        return None
    if not _may_open(current_user, object_type, object_id):
        return None
    return url_for(endpoint, **{arg: object_id})


def _may_open(user: User, object_type: str, object_id: int) -> bool:
    if object_type == "user":
        return user.role == Role.ADMIN
    if object_type == "application":
        return user.is_staff
    engagement = db.session.get(Engagement, object_id)  # from the identity map when shown
    return engagement is not None and may_open_engagement(user, engagement)


def person_label(user: User | None) -> str:
    """Who did it: a name, "System" for the system itself, or "Anonymiseret bruger"."""
    if user is None:
        return "System"
    if user.anonymised_at is not None:
        return "Anonymiseret bruger"
    return user.name


def _period(column, start: date | None, end: date | None) -> list:
    """Danish calendar days, both included, as UTC bounds."""
    clauses = []
    if start:
        clauses.append(column >= start_of_day(start))
    if end:
        clauses.append(column < start_of_day(end + timedelta(days=1)))
    return clauses


@dataclass
class AuditFilters:
    actor_id: int | None = None
    object_type: str = ""
    object_id: int | None = None
    start: date | None = None
    end: date | None = None
    page: int = 1
    objects: list[tuple[str, int]] = field(default_factory=list)


def search_events(filters: AuditFilters) -> Page:
    """Audit events matching the filters, newest first."""
    query = select(AuditEvent)
    if filters.actor_id:
        query = query.where(AuditEvent.actor_id == filters.actor_id)
    if filters.object_type:
        query = query.where(AuditEvent.object_type == filters.object_type)
    if filters.object_id:
        query = query.where(AuditEvent.object_id == filters.object_id)
    if filters.objects:
        query = query.where(_any_of(filters.objects))
    query = query.where(*_period(AuditEvent.at, filters.start, filters.end))
    return paginate(query.options(selectinload(AuditEvent.actor))
                    .order_by(AuditEvent.at.desc(), AuditEvent.id.desc()), filters.page, PAGE_SIZE)


def _any_of(objects: list[tuple[str, int]]):
    by_type: dict[str, list[int]] = {}
    for object_type, object_id in objects:
        by_type.setdefault(object_type, []).append(object_id)
    return or_(*(and_(AuditEvent.object_type == t, AuditEvent.object_id.in_(ids))
                 for t, ids in by_type.items()))


def history_for(object_type: str, object_id: int, page: int = 1) -> Page:
    """The audit history of one object (a user, a provider, a round…), newest first."""
    return search_events(AuditFilters(object_type=object_type, object_id=object_id, page=page))


def application_objects(application: Application) -> list[tuple[str, int]]:
    """The application and its reviews."""
    return [("application", application.id), *(("review", r.id) for r in application.reviews)]


def engagement_objects(engagement: Engagement) -> list[tuple[str, int]]:
    """The engagement and everything recorded on it (rows deleted since are not found)."""
    objects = [("engagement", engagement.id)]
    for object_type, rows in (("phase_plan", engagement.phase_plans),
                              ("phase_transition", engagement.transitions),
                              ("task", engagement.tasks), ("meeting", engagement.meetings),
                              ("note", engagement.notes), ("finding", engagement.findings),
                              ("engagement_recommendation", engagement.recommendations),
                              ("engagement_method", engagement.methods),
                              ("engagement_indicator", engagement.indicators),
                              ("benefit_rating", engagement.benefit_ratings)):
        objects += [(object_type, row.id) for row in rows]
    for row in engagement.recommendations:
        if row.plan is not None:
            objects.append(("development_plan", row.plan.id))
            objects += [("milestone", m.id) for m in row.plan.milestones]
    for object_type, row in (("agreement", engagement.agreement),
                             ("final_evaluation", engagement.final_evaluation)):
        if row is not None:
            objects.append((object_type, row.id))
    return objects


def history_of_objects(objects: list[tuple[str, int]], page: int = 1) -> Page:
    return search_events(AuditFilters(objects=objects, page=page))


def object_types_present() -> list[tuple[str, str]]:
    return sorted(((t, object_type_label(t)) for t in OBJECT_TYPE_LABELS),
                  key=lambda choice: choice[1])


def providers() -> dict[int, str]:
    rows = db.session.execute(select(Provider.id, Provider.name).order_by(Provider.name))
    return dict(rows.all())


def people() -> list[User]:
    """Every user, for the filters (anonymised ones under their label)."""
    return list(db.session.execute(select(User).order_by(User.name, User.id)).scalars())


@dataclass
class AccessFilters:
    viewer_id: int | None = None
    subject_user_id: int | None = None
    provider_id: int | None = None
    start: date | None = None
    end: date | None = None
    page: int = 1


def search_access(filters: AccessFilters) -> Page:
    """Access-log entries matching the filters, newest first."""
    query = select(AccessLogEntry)
    if filters.viewer_id:
        query = query.where(AccessLogEntry.viewer_id == filters.viewer_id)
    if filters.subject_user_id:
        query = query.where(AccessLogEntry.subject_user_id == filters.subject_user_id)
    if filters.provider_id:
        query = query.where(AccessLogEntry.provider_id == filters.provider_id)
    query = query.where(*_period(AccessLogEntry.at, filters.start, filters.end))
    return paginate(query.options(selectinload(AccessLogEntry.viewer),
                                  selectinload(AccessLogEntry.subject_user))
                    .order_by(AccessLogEntry.at.desc(), AccessLogEntry.id.desc()),
                    filters.page, PAGE_SIZE)

