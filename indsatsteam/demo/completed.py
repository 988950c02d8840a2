"""Demo data for documented effect: agreed indicators with baseline and target, and two
completed forløb with end measurements, the tilbud's rating of the benefits and the follow-up
six months later: one received, one due and still waiting ("opfølgning afventer").

Rows are written directly through the models; each value is checked against its unit's range
(domain.indicators.check_value), so the demo never shows a value the forms would refuse.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from ..admin.indicator_services import current_indicators
from ..domain.engagements import MeetingType, TaskStatus
from ..domain.expectations import BENEFITS
from ..domain.indicators import DEFAULT_FOLLOW_UP_MONTHS, check_value, follow_up_date
from ..domain.phases import Phase
from ..engagements.planning import create_engagement
from ..models import (
    AnalysisFinding,
    Application,
    BenefitRating,
    CollaborationAgreement,
    Engagement,
    EngagementIndicator,
    EngagementRecommendation,
    FinalEvaluation,
    Meeting,
    PhaseTransition,
    User,
)


@dataclass(frozen=True)
class Measured:
    """One agreed indicator (by its number in the catalogue) and its measurements."""

    number: int
    baseline: float
    target: float
    end: float | None = None
    follow_up: float | None = None


# The forløb in analysis (Bostedet Åen, § 108): baseline and target in the agreement.
IN_ANALYSIS = (Measured(1, 35, 70), Measured(3, 20, 60), Measured(9, 9, 5))
# Botilbuddet Fjordglimt (§ 107): completed, follow-up received.
FOLLOWED_UP = (Measured(1, 40, 75, end=70, follow_up=80), Measured(2, 2.8, 3.5, 3.4, 3.6),
               Measured(8, 6, 2, end=2, follow_up=1))
# Bostøtten Nord (§ 85): completed, follow-up due and not received.
AWAITING = (Measured(4, 15, 30, end=27), Measured(5, 3.2, 4, end=4.1),
            Measured(10, 8, 15, end=12))

RATINGS = {
    "followed_up": ((5, "Vi fik øje på, at vi allerede gjorde meget godt, og hvor vi kunne "
                        "blive bedre."),
                    (4, "Afdelingslederne leder nu forandringer med faste opfølgningsmøder."),
                    (4, "Hele personalegruppen taler samme sprog om recovery."),
                    (5, "Mål og opfølgning dokumenteres nu ens i alle afdelinger.")),
    "awaiting": ((4, "Analysen gav os et klart billede af vores styrker."),
                 (3, "Vi er godt i gang, men har brug for mere tid til at øve os."),
                 (4, "Vi har fået en fælles forståelse af, hvad recovery betyder hos os."),
                 (3, "Systematikken er kommet i gang i det ene team, endnu ikke i det andet.")),
}


def add_indicators(engagement: Engagement, measured: tuple[Measured, ...], *,
                   baseline_on: date, ended_on: date | None = None,
                   followed_up_on: date | None = None) -> None:
    """The forløb's agreed indicators from the current catalogue, with their measurements."""
    by_number = {i.number: i for i in current_indicators()}
    for m in measured:
        indicator = by_number.get(m.number)
        if indicator is None:
            continue  # an admin has withdrawn it: the demo simply agrees on fewer
        unit = indicator.unit
        row = EngagementIndicator(
            indicator=indicator, baseline_date=baseline_on,
            baseline_value=check_value(m.baseline, unit, field="baseline_value"),
            target_value=check_value(m.target, unit, field="target_value"))
        if m.end is not None and ended_on is not None:
            row.end_value, row.end_date = check_value(m.end, unit, field="end_value"), ended_on
        if m.follow_up is not None and followed_up_on is not None:
            row.follow_up_value = check_value(m.follow_up, unit, field="follow_up_value")
            row.follow_up_date = followed_up_on
        engagement.indicators.append(row)


def completed_engagement(application: Application, *, lead: User, second: User | None,
                         manager: User, started: date, months: int, ended: date,
                         measured: tuple[Measured, ...], ratings: str, follow_up_received: bool,
                         at_local: Callable[[date, int], datetime]) -> Engagement:
    """A forløb that went through its three phases and ended on `ended`; its follow-up is
    due DEFAULT_FOLLOW_UP_MONTHS later (received a week after that, or still waiting)."""
    engagement = create_engagement(
        application, lead_consultant_id=lead.id,
        second_consultant_id=second.id if second else None, planned_start=started,
        duration_months=months, theme_ids=[t.id for t in application.themes], actor=manager)
    engagement.created_at = engagement.transitions[0].at = at_local(started - timedelta(days=14),
                                                                    9)
    plans = engagement.phase_plans
    for plan in plans:
        plan.actual_start, plan.actual_end = plan.planned_start, min(plan.planned_end, ended)
    plans[-1].actual_end = ended
    for before, plan in zip(plans, plans[1:], strict=False):
        engagement.transitions.append(PhaseTransition(
            from_phase=before.phase, to_phase=plan.phase, actor=lead,
            at=at_local(plan.actual_start, 13), comment="Fasens porte er opfyldt"))
    engagement.transitions.append(PhaseTransition(
        from_phase=Phase.DEVELOPMENT, to_phase=Phase.COMPLETED, actor=lead,
        at=at_local(ended, 14), comment="Den afsluttende evaluering er holdt"))
    engagement.phase, engagement.actual_end = Phase.COMPLETED, ended
    engagement.follow_up_due = follow_up_date(ended, DEFAULT_FOLLOW_UP_MONTHS)
    for task in engagement.tasks:
        task.status, task.completed_by = TaskStatus.DONE, lead
        task.completed_at = at_local(min(task.due_date, ended), 15)

    agreed_on = started + timedelta(days=14)
    engagement.meetings.append(Meeting(
        meeting_type=MeetingType.KICKOFF, starts_at=at_local(started + timedelta(days=7), 10),
        location=application.provider.name, held=True, participants="Ledelsen og konsulenterne",
        minutes="Forventninger afstemt, indikatorer valgt.", minutes_shared=True))
    engagement.agreement = CollaborationAgreement(
        goals="Borgerne sætter selv deres mål, og vi følger systematisk op på dem.",
        participants="Ledelsen og to medarbejdere pr. team",
        meeting_cadence="Møde hver 14. dag og en workshop pr. fase",
        meaning_insight="At se vores praksis udefra.",
        meaning_systematics="Faste rutiner for opfølgning på borgernes mål.",
        time_commitment="Fire timer om måneden pr. deltager",
        leadership_involvement="Lederen deltager i alle workshops",
        contact_person="Lederen", risks="Sygefravær; vi har aftalt stedfortrædere.",
        agreed_by=lead, agreed_at=at_local(agreed_on, 12))
    for theme in application.themes:
        engagement.findings.append(AnalysisFinding(
            theme=theme, strengths="Engagerede medarbejdere og en tydelig ledelse.",
            development_areas="Mål og opfølgning dokumenteres forskelligt."))
    received = follow_up_received
    followed_up_on = engagement.follow_up_due + timedelta(days=7) if received else None
    chosen_at = at_local(plans[1].actual_end, 11)
    for n, recommendation in enumerate(engagement.catalogue.recommendations[:3]):
        engagement.recommendations.append(EngagementRecommendation(
            recommendation=recommendation, proposed_by=lead,
            proposed_at=at_local(plans[1].actual_start + timedelta(days=10), 14),
            chosen_at=chosen_at, baseline_score=2 + n % 2, final_score=4,
            follow_up_score=(4 + n % 2) if received else None))
    engagement.final_evaluation = FinalEvaluation(
        summary="Tilbuddet arbejder nu systematisk med borgernes egne mål.",
        achievements="Alle borgere har en plan, de selv har været med til at lave.",
        next_steps="Lederne følger op på planerne på hvert personalemøde.",
        completed_at=at_local(ended, 14), completed_by_id=lead.id)
    add_indicators(engagement, measured, baseline_on=agreed_on,
                   ended_on=ended - timedelta(days=7), followed_up_on=followed_up_on)
    for benefit, (score, comment) in zip(BENEFITS, RATINGS[ratings], strict=True):
        engagement.benefit_ratings.append(BenefitRating(
            benefit_code=benefit.code, score=score, comment=comment,
            rated_at=at_local(ended - timedelta(days=3), 10)))
    return engagement
