"""Demo data for `make run`: rounds, providers, applications in every status, one user per role.

Times are relative to now so the open rounds stay open whenever the demo is loaded.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, time, timedelta

from sqlalchemy import func, select

from .. import clock
from ..applications.services import next_reference
from ..auth.services import create_user
from ..domain.applications import ApplicationStatus
from ..domain.danish_time import DANISH_TZ, local_date, utc_to_local
from ..domain.engagements import MeetingType, TaskStatus
from ..domain.municipalities import region_for
from ..domain.phases import Phase
from ..engagements.planning import create_engagement
from ..engagements.services import sync_with_facts
from ..extensions import db
from ..models import (
    Application,
    ApplicationRound,
    ApplicationStatusChange,
    CollaborationAgreement,
    EngagementRecommendation,
    Meeting,
    PhaseTransition,
    Provider,
    ProviderMembership,
    Role,
    Theme,
    User,
)
from .completed import AWAITING, FOLLOWED_UP, IN_ANALYSIS, add_indicators, completed_engagement

DEMO_PASSWORD = "indsats-demo-2026"
DEMO_USERS = (
    ("admin@indsatsteam.example.dk", "Anne Administrator", Role.ADMIN),
    ("leder@indsatsteam.example.dk", "Lars Leder", Role.MANAGER),
    ("konsulent@indsatsteam.example.dk", "Karen Konsulent", Role.CONSULTANT),
    ("konsulent2@indsatsteam.example.dk", "Kasper Konsulent", Role.CONSULTANT),
    ("ansoeger@bostedet-aaen.example.dk", "Amira Ansøger", Role.APPLICANT),
    ("ansoeger@stoetten.example.dk", "Bo Bostøtte", Role.APPLICANT),
    # Bostøtten Nord's forløb of 2025 is completed and waits for its follow-up.
    ("ansoeger@bostoetten-nord.example.dk", "Nanna Nordby", Role.APPLICANT),
)

PROVIDERS = (
    # name, cvr, p_number, kind, owner, municipality, address, postal, city, user index
    ("Bostedet Åen", "10000009", "1000000001", "sel108", "kommune", "751", "Åboulevarden 12",
     "8000", "Aarhus C", 4),
    ("Støtten – bostøtte i Odense", "20000007", "", "sel85_home", "kommune", "461",
     "Vestergade 40", "5000", "Odense C", 5),
    ("Botilbuddet Fjordglimt", "30000005", "", "sel107", "region", "851", "Fjordvej 3", "9000",
     "Aalborg", None),
    ("Almenbo Syd", "40000003", "", "abl_sel85", "privat", "101", "Sydhavnsgade 7", "2450",
     "København SV", None),
    ("Skovhuset", "50000001", "", "sel108", "privat", "265", "Skovvej 9", "4000", "Roskilde",
     None),
    ("Bostøtten Nord", "60000018", "", "sel85_home", "kommune", "813", "Havnegade 2", "9900",
     "Frederikshavn", 6),
)


DECISION_MESSAGES = {
    ApplicationStatus.APPROVED: "Vi glæder os til samarbejdet. Jeres konsulent kontakter jer om "
                                "opstartsmødet.",
    ApplicationStatus.REJECTED: "Runden havde flere ansøgninger end forløb. Vi opfordrer jer til "
                                "at søge igen i næste runde.",
    ApplicationStatus.WAITLISTED: "I er på venteliste og får besked, hvis der bliver et forløb "
                                  "ledigt.",
}


def _at_local(day: date, hour: int) -> datetime:
    return datetime.combine(day, time(hour), tzinfo=DANISH_TZ).astimezone(clock.now().tzinfo)


def seed_demo(*, if_empty: bool = False, echo: Callable[[str], None] = print) -> None:
    if db.session.execute(select(func.count()).select_from(User)).scalar_one() and if_empty:
        echo("Demodata findes allerede – intet indlæst.")
        return
    users = [create_user(email, name, role, DEMO_PASSWORD, confirmed=True)
             for email, name, role in DEMO_USERS]
    providers = []
    for (name, cvr, p_number, kind, owner, municipality, address, postal, city,
         user_index) in PROVIDERS:
        provider = Provider(name=name, cvr=cvr, p_number=p_number, kind=kind, owner_type=owner,
                            municipality_code=municipality, region=region_for(municipality),
                            address=address, postal_code=postal, city=city,
                            contact_name=users[user_index].name if user_index else "Kontakt",
                            contact_email=users[user_index].email if user_index
                            else f"kontakt@{cvr}.example.dk",
                            contact_phone="12 34 56 78")
        db.session.add(provider)
        if user_index is not None:
            db.session.add(ProviderMembership(user=users[user_index], provider=provider))
        providers.append(provider)

    today = clock.today()
    closed = ApplicationRound(
        name="Ansøgningsrunde forår 2026",
        description="Runden er lukket. Ansøgningerne er behandlet.",
        opens_at=_at_local(today - timedelta(days=150), 8),
        closes_at=_at_local(today - timedelta(days=60), 12), programmes_offered=3)
    open_soon = ApplicationRound(
        name="Ansøgningsrunde vinter 2026/27",
        description="Søg om et gratis rådgivningsforløb på 4–12 måneder. Forløbet tilrettelægges "
                    "efter jeres ønsker og ressourcer.",
        opens_at=_at_local(today - timedelta(days=20), 8),
        closes_at=_at_local(today + timedelta(days=14), 12), programmes_offered=8)
    open_later = ApplicationRound(
        name="Ekstra runde: bostøtte og almenboliger",
        description="En ekstra runde for tilbud efter § 85 og almenboliger med § 85-støtte.",
        opens_at=_at_local(today - timedelta(days=5), 8),
        closes_at=_at_local(today + timedelta(days=45), 12), programmes_offered=4,
        # Only bostøtte and almenboliger: Bostedet Åen (§ 108) sees why it cannot apply.
        eligible_kinds="abl_sel85,sel85_home")
    earlier = ApplicationRound(
        name="Ansøgningsrunde 2025",
        description="Runden er lukket. Forløbene er afsluttet.",
        opens_at=_at_local(today - timedelta(days=630), 8),
        closes_at=_at_local(today - timedelta(days=540), 12), programmes_offered=2)
    db.session.add_all([earlier, closed, open_soon, open_later])
    db.session.flush()

    themes = db.session.execute(select(Theme).order_by(Theme.position)).scalars().all()
    plan = (
        (closed, providers[0], ApplicationStatus.APPROVED),
        (closed, providers[2], ApplicationStatus.REJECTED),
        (closed, providers[3], ApplicationStatus.WAITLISTED),
        (closed, providers[4], ApplicationStatus.IN_REVIEW),
        (closed, providers[1], ApplicationStatus.APPROVED),
        (open_later, providers[3], ApplicationStatus.DRAFT),
        (open_soon, providers[1], ApplicationStatus.SUBMITTED),
        (open_soon, providers[5], ApplicationStatus.WITHDRAWN),
        (open_soon, providers[3], ApplicationStatus.SUBMITTED),
        (earlier, providers[2], ApplicationStatus.APPROVED),
        (earlier, providers[5], ApplicationStatus.APPROVED),
    )
    applications = [
        _demo_application(round_, provider, status, themes[index % 6: index % 6 + 2], users[1],
                          index)
        for index, (round_, provider, status) in enumerate(plan)]
    db.session.flush()
    _demo_engagements(applications[0], applications[4], users, today)
    _demo_completed(applications[9], applications[10], users, today)
    db.session.commit()
    echo("Demodata indlæst. Demobrugere (adgangskode for alle: " + DEMO_PASSWORD + "):")
    for email, _name, role in DEMO_USERS:
        echo(f"  {role.label:<14} {email}")


def _demo_application(round_: ApplicationRound, provider: Provider, status: ApplicationStatus,
                      themes: list[Theme], staff: User, index: int) -> Application:
    submitted_at = round_.opens_at + timedelta(days=3 + index)
    application = Application(
        round=round_, provider=provider, status=status, current_step=5,
        contact_name=provider.contact_name, contact_email=provider.contact_email,
        contact_phone=provider.contact_phone, themes=list(themes), duration_months=6 + index % 6,
        desired_start=local_date(round_.closes_at) + timedelta(days=30),
        participants="Lederen, to afdelingsledere og fem medarbejdere fra dag- og aftenvagt.",
        participant_count=8, hours_per_month=20,
        management_anchoring="Forstanderen er ansvarlig og følger op på hvert personalemøde.",
        motivation="Vi vil styrke den recoveryorienterede praksis og arbejde mere systematisk.",
        challenges="Mål og opfølgning dokumenteres forskelligt fra medarbejder til medarbejder.",
        hoped_outcomes="En fælles faglig tilgang og bedre dokumentation af borgernes udvikling.",
        created_at=round_.opens_at + timedelta(days=1),
    )
    db.session.add(application)
    history = [(None, ApplicationStatus.DRAFT, "Kladde oprettet", round_.opens_at)]
    if status != ApplicationStatus.DRAFT:
        application.submitted_at = submitted_at
        application.reference = next_reference(utc_to_local(submitted_at).year)
        history.append((ApplicationStatus.DRAFT, ApplicationStatus.SUBMITTED,
                        "Indsendt af ansøger", submitted_at))
    if status in (ApplicationStatus.IN_REVIEW, ApplicationStatus.APPROVED,
                  ApplicationStatus.REJECTED, ApplicationStatus.WAITLISTED):
        history.append((ApplicationStatus.SUBMITTED, ApplicationStatus.IN_REVIEW,
                        "Taget under behandling", submitted_at + timedelta(days=2)))
    if status in (ApplicationStatus.APPROVED, ApplicationStatus.REJECTED,
                  ApplicationStatus.WAITLISTED):
        message = DECISION_MESSAGES[status]
        application.decided_at = round_.closes_at + timedelta(days=10)
        application.decision_message = message
        history.append((ApplicationStatus.IN_REVIEW, status, message, application.decided_at))
    if status == ApplicationStatus.WITHDRAWN:
        application.withdrawn_at = submitted_at + timedelta(days=1)
        history.append((ApplicationStatus.SUBMITTED, status, "Trukket tilbage af ansøger",
                        application.withdrawn_at))
    for from_status, to_status, comment, at in history:
        db.session.add(ApplicationStatusChange(application=application, from_status=from_status,
                                               to_status=to_status, comment=comment, at=at,
                                               actor=None if to_status in (
                                                   ApplicationStatus.DRAFT,
                                                   ApplicationStatus.SUBMITTED,
                                                   ApplicationStatus.WITHDRAWN) else staff))
    return application


def _demo_engagements(in_analysis: Application, in_startup: Application, users: list[User],
                      today: date) -> None:
    """Two running forløb: one in analysis (botilbud), one just started (bostøtte)."""
    consultant, second, manager = users[2], users[3], users[1]
    started = today - timedelta(days=45)
    engagement = create_engagement(
        in_analysis, lead_consultant_id=consultant.id, second_consultant_id=second.id,
        planned_start=started, duration_months=8,
        theme_ids=[t.id for t in in_analysis.themes], actor=manager)
    engagement.created_at = _at_local(started, 9)
    engagement.transitions[0].at = _at_local(started, 9)
    engagement.phase_plans[0].actual_start = started
    db.session.add(Meeting(engagement=engagement, meeting_type=MeetingType.KICKOFF,
                           starts_at=_at_local(started + timedelta(days=7), 10),
                           location="Bostedet Åen, personalestuen", held=True,
                           participants="Forstander, to afdelingsledere, Karen og Kasper",
                           minutes="Forventninger afstemt. Fokus på mål og opfølgning.",
                           minutes_shared=True))
    db.session.add(CollaborationAgreement(
        engagement=engagement, goals="En fælles recoveryorienteret praksis med systematisk "
        "opfølgning på borgernes mål.", participants="Ledelsen og to medarbejdere pr. afdeling",
        meeting_cadence="Møde hver 14. dag og en workshop pr. fase",
        meaning_insight="At se, hvor vi allerede arbejder recovery-orienteret, og hvor vi ikke "
        "gør det endnu.",
        meaning_systematics="Faste rutiner for opfølgning på borgernes mål i alle afdelinger.",
        time_commitment="Fire timer om måneden pr. deltager og en halv dag pr. workshop",
        leadership_involvement="Forstanderen deltager i workshops og følger op på ledermøder",
        contact_person="Karen, afdelingsleder", risks="Travlhed i sommerferien; vi flytter "
        "møderne frem for at aflyse dem.", agreed_by=consultant,
        agreed_at=_at_local(started + timedelta(days=14), 12)))
    moved = today - timedelta(days=10)
    engagement.phase = Phase.ANALYSIS
    engagement.phase_plans[0].actual_end = moved
    engagement.phase_plans[1].actual_start = moved
    engagement.transitions.append(PhaseTransition(
        from_phase=Phase.STARTUP, to_phase=Phase.ANALYSIS, actor=consultant,
        at=_at_local(moved, 13), comment="Opstartsmøde holdt og samarbejdsaftale på plads"))
    for task in engagement.tasks[:2]:
        task.status, task.completed_by = TaskStatus.DONE, consultant
        task.completed_at = _at_local(started + timedelta(days=10), 15)
    for recommendation in engagement.catalogue.recommendations[:3]:
        engagement.recommendations.append(EngagementRecommendation(
            recommendation=recommendation, proposed_by=consultant,
            proposed_at=_at_local(moved, 14)))
    db.session.add(Meeting(engagement=engagement, meeting_type=MeetingType.ANALYSIS_WORKSHOP,
                           starts_at=_at_local(today + timedelta(days=6), 9),
                           location="Bostedet Åen", participants="Ledelse og medarbejdere"))
    add_indicators(engagement, IN_ANALYSIS, baseline_on=started + timedelta(days=12))
    # The tasks of the gates met above (kick-off held, agreement agreed) are done by the system.
    sync_with_facts(engagement)

    create_engagement(in_startup, lead_consultant_id=second.id, second_consultant_id=None,
                      planned_start=today + timedelta(days=14), duration_months=6,
                      theme_ids=[t.id for t in in_startup.themes], actor=manager)


def _demo_completed(followed_up: Application, awaiting: Application, users: list[User],
                    today: date) -> None:
    """Two completed forløb of the 2025 round: one whose follow-up six months after the end
    came in, one whose follow-up is due and has not ("opfølgning afventer")."""
    consultant, second, manager = users[2], users[3], users[1]
    completed_engagement(followed_up, lead=second, second=consultant, manager=manager,
                         started=today - timedelta(days=480), months=8,
                         ended=today - timedelta(days=240), measured=FOLLOWED_UP,
                         ratings="followed_up", follow_up_received=True, at_local=_at_local)
    completed_engagement(awaiting, lead=consultant, second=None, manager=manager,
                         started=today - timedelta(days=390), months=6,
                         ended=today - timedelta(days=200), measured=AWAITING,
                         ratings="awaiting", follow_up_received=False, at_local=_at_local)
