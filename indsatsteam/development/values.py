"""The stored agreement and plans as the plain values the domain rules take."""

from __future__ import annotations

from ..domain.expectations import BENEFIT_COLUMNS, CONDITION_COLUMNS, Expectations, PlanValues
from ..models import CollaborationAgreement, DevelopmentPlan, Engagement, EngagementRecommendation


def expectations_of(agreement: CollaborationAgreement | None) -> Expectations:
    if agreement is None:
        return Expectations()
    return Expectations(
        meanings={column: getattr(agreement, column) or "" for column in BENEFIT_COLUMNS},
        goals=agreement.goals or "", participants=agreement.participants or "",
        time_commitment=agreement.time_commitment or "",
        leadership_involvement=agreement.leadership_involvement or "",
        meeting_cadence=agreement.meeting_cadence or "",
        contact_person=agreement.contact_person or "", risks=agreement.risks or "")


def plan_values(plan: DevelopmentPlan | None) -> PlanValues | None:
    if plan is None:
        return None
    return PlanValues(
        changes=plan.changes or "",
        conditions={column: getattr(plan, column) or "" for column, _ in CONDITION_COLUMNS},
        responsible=plan.responsible or "", milestones=len(plan.milestones))


def agreement_is_agreed(engagement: Engagement) -> bool:
    """Whether the forløb's samarbejdsaftale is marked agreed."""
    return engagement.agreement is not None and engagement.agreement.agreed_at is not None


def chosen_rows(engagement: Engagement) -> list[EngagementRecommendation]:
    """The recommendations the tilbud chose, by number."""
    return sorted((r for r in engagement.recommendations if r.chosen_at is not None),
                  key=lambda r: r.recommendation.number)


def recommendation_label(row: EngagementRecommendation) -> str:
    return f"{row.recommendation.number}. {row.recommendation.title}"


def recommendations_with_plans():
    """Loader option: an engagement's recommendations with their wording and plans (and the
    plans' milestones and methods), so gate_facts and the pages run a fixed number of
    queries."""
    from sqlalchemy.orm import selectinload

    from ..models import PlanMilestone

    return selectinload(Engagement.recommendations).options(
        selectinload(EngagementRecommendation.recommendation),
        selectinload(EngagementRecommendation.plan).options(
            selectinload(DevelopmentPlan.milestones).selectinload(PlanMilestone.task),
            selectinload(DevelopmentPlan.methods)))
