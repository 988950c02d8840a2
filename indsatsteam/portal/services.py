"""The tilbud's side of its rådgivningsforløb: its own tasks, the recommendations it chooses
and its self-assessments. Everything here acts on behalf of a member of the provider; the
caller commits."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from .. import clock
from ..claims import lock
from ..development.values import recommendations_with_plans
from ..domain.catalogues import BOTILBUD as CATALOGUE_BOTILBUD
from ..domain.catalogues import ItemWords, item_words
from ..domain.engagements import TaskOwner, TaskStatus, check_self_assessment
from ..domain.errors import DomainError
from ..domain.phases import Phase
from ..engagements.services import (
    CLOSED_PHASES,
    catalogue_recommendations,
    change_task_status,
    sync_with_facts,
)
from ..extensions import db
from ..models import (
    AnalysisFinding,
    CollaborationAgreement,
    Engagement,
    EngagementIndicator,
    EngagementMethod,
    EngagementRecommendation,
    Meeting,
    ProviderMembership,
    Recommendation,
    Role,
    Task,
    User,
)

CLOSED_MESSAGE = "Forløbet er afsluttet eller annulleret, så der kan ikke længere ændres i det."
PAUSED_MESSAGE = ("Forløbet er sat på pause, så det kan ikke ændres nu. Det kan ændres igen, "
                  "når jeres konsulent genoptager forløbet.")


# --- access -------------------------------------------------------------------------------------

def provider_engagements(user: User) -> list[Engagement]:
    """The engagements of every provider the user is a member of, newest first."""
    return list(db.session.execute(
        select(Engagement)
        .join(ProviderMembership, ProviderMembership.provider_id == Engagement.provider_id)
        .where(ProviderMembership.user_id == user.id)
        .options(selectinload(Engagement.provider), selectinload(Engagement.lead_consultant))
        .order_by(Engagement.planned_start.desc(), Engagement.id.desc())
    ).scalars())


def get_engagement_for_provider_user(user: User, engagement_id: int) -> Engagement | None:
    """An engagement of a provider the (applicant) user is a member of; None for all else.

    Loads what the portal's pages show in a fixed number of queries.
    """
    if user.role != Role.APPLICANT:
        return None
    member_of = select(ProviderMembership.provider_id).where(ProviderMembership.user_id == user.id)
    return db.session.execute(
        select(Engagement)
        .where(Engagement.id == engagement_id, Engagement.provider_id.in_(member_of))
        .options(
            selectinload(Engagement.provider), selectinload(Engagement.themes),
            selectinload(Engagement.phase_plans),
            selectinload(Engagement.tasks).selectinload(Task.completed_by),
            selectinload(Engagement.meetings),
            selectinload(Engagement.findings).selectinload(AnalysisFinding.theme),
            recommendations_with_plans(),
            selectinload(Engagement.methods).selectinload(EngagementMethod.method),
            selectinload(Engagement.indicators).selectinload(EngagementIndicator.indicator),
            selectinload(Engagement.benefit_ratings),
            selectinload(Engagement.agreement).selectinload(CollaborationAgreement.agreed_by),
            selectinload(Engagement.catalogue),
            selectinload(Engagement.final_evaluation),
            selectinload(Engagement.lead_consultant), selectinload(Engagement.second_consultant),
        )
    ).scalar_one_or_none()


def engagement_id_for_application(application_id: int) -> int | None:
    return db.session.execute(
        select(Engagement.id).where(Engagement.application_id == application_id)
    ).scalar_one_or_none()


def get_provider_task(engagement: Engagement, task_id: int) -> Task | None:
    """One of the tilbud's own tasks in this engagement; None for the consultants' tasks."""
    return next((t for t in engagement.tasks
                 if t.id == task_id and t.owner_type == TaskOwner.PROVIDER), None)


def is_closed(engagement: Engagement) -> bool:
    return engagement.phase in CLOSED_PHASES


# --- what the engagement page shows ---------------------------------------------------------------

def provider_tasks(engagement: Engagement) -> list[Task]:
    return [t for t in engagement.tasks if t.owner_type == TaskOwner.PROVIDER]


def upcoming_meetings(engagement: Engagement, now: datetime | None = None) -> list[Meeting]:
    now = now or clock.now()
    return [m for m in engagement.meetings if m.starts_at > now]


def held_meetings(engagement: Engagement) -> list[Meeting]:
    """The meetings that took place, newest first. Their minutes reach the tilbud only when
    staff shared them (Meeting.minutes_shared); the template must show nothing else."""
    return sorted((m for m in engagement.meetings if m.held), key=lambda m: m.starts_at,
                  reverse=True)


def shared_minutes(meeting: Meeting) -> str:
    return meeting.minutes if meeting.minutes_shared else ""


def final_evaluation(engagement: Engagement):
    """The final evaluation once it is marked as done; drafts stay with the team."""
    evaluation = engagement.final_evaluation
    return evaluation if evaluation is not None and evaluation.completed_at else None


@dataclass(frozen=True)
class Result:
    """The tilbud's own before/after: how many recommendations moved up, and the averages."""

    assessed: int
    higher: int
    same: int
    lower: int
    before: float
    after: float


def self_assessment_result(engagement: Engagement) -> Result | None:
    """None until at least one chosen recommendation has both scores."""
    pairs = [(r.baseline_score, r.final_score) for r in chosen_recommendations(engagement)
             if r.baseline_score and r.final_score]
    if not pairs:
        return None
    return Result(assessed=len(pairs), higher=sum(1 for b, a in pairs if a > b),
                  same=sum(1 for b, a in pairs if a == b),
                  lower=sum(1 for b, a in pairs if a < b),
                  before=sum(b for b, _ in pairs) / len(pairs),
                  after=sum(a for _, a in pairs) / len(pairs))


def chosen_recommendations(engagement: Engagement) -> list[EngagementRecommendation]:
    """The recommendations the tilbud works on, in catalogue order."""
    return sorted((r for r in engagement.recommendations if r.chosen_at is not None),
                  key=lambda r: r.recommendation.number)


def recorded_findings(engagement: Engagement) -> list[AnalysisFinding]:
    """The analysis findings with content, in the order of the engagement's themes."""
    position = {t.id: i for i, t in enumerate(engagement.themes)}
    return sorted((f for f in engagement.findings
                   if f.strengths.strip() or f.development_areas.strip()),
                  key=lambda f: position.get(f.theme_id, len(position)))


def expectations_locked_text(engagement: Engagement) -> str:
    """Why the tilbud reads, but cannot change, its forventningsafstemning."""
    if engagement.phase in CLOSED_PHASES:
        return CLOSED_MESSAGE
    if engagement.phase == Phase.PAUSED:
        return PAUSED_MESSAGE
    return ("Forventningsafstemningen er aftalt. Skal noget ændres, så tal med jeres "
            "konsulent.")


def consultants(engagement: Engagement) -> list[User]:
    return [u for u in (engagement.lead_consultant, engagement.second_consultant) if u]


# --- tasks ----------------------------------------------------------------------------------------

def update_task_status(engagement: Engagement, task: Task, status: str, actor: User) -> None:
    """The tilbud moves one of its own tasks; done records when and by whom."""
    lock(engagement)
    if is_closed(engagement):
        raise DomainError(CLOSED_MESSAGE)
    if task.owner_type != TaskOwner.PROVIDER or task.engagement_id != engagement.id:
        raise DomainError("Tilbuddet kan kun ændre sine egne opgaver.")
    try:
        TaskStatus(status)
    except ValueError as err:
        raise DomainError("Vælg en af mulighederne på listen", field="status") from err
    change_task_status(task, status, actor)


# --- recommendations -----------------------------------------------------------------------------

class ChoiceMode(StrEnum):
    """Whether the tilbud can choose recommendations now, and if not, why."""

    OPEN = "open"
    NOT_YET = "not_yet"
    LOCKED = "locked"
    PAUSED = "paused"
    CLOSED = "closed"

    @property
    def explanation(self) -> str:
        return self.explain(item_words(CATALOGUE_BOTILBUD))

    def explain(self, words: ItemWords) -> str:
        """The reason in the catalogue's own words (anbefalinger or kvalitetstemaer)."""
        other = "et andet" if words.one.endswith("tema") else "en anden"
        return {
            "open": "",
            "not_yet": f"I vælger {words.many} i analysefasen. Indtil da kan I se kataloget her.",
            "locked": f"Valget af {words.many} blev lagt fast ved afslutningen af analysefasen. "
                      f"Vil I arbejde med {other} {words.one}, så tal med jeres konsulent.",
            "paused": PAUSED_MESSAGE,
            "closed": CLOSED_MESSAGE,
        }[self.value]


def choice_mode(engagement: Engagement) -> ChoiceMode:
    return {
        Phase.STARTUP: ChoiceMode.NOT_YET,
        Phase.ANALYSIS: ChoiceMode.OPEN,
        Phase.DEVELOPMENT: ChoiceMode.LOCKED,
        Phase.PAUSED: ChoiceMode.PAUSED,
    }.get(engagement.phase, ChoiceMode.CLOSED)


@dataclass(frozen=True)
class CatalogueItem:
    recommendation: Recommendation
    proposed: bool
    chosen: bool


def catalogue_items(engagement: Engagement) -> list[CatalogueItem]:
    """The engagement's catalogue version, numbered, with the consultant's proposals and the
    tilbud's choices."""
    rows = {r.recommendation_id: r for r in engagement.recommendations}
    items = []
    for rec in catalogue_recommendations(engagement):
        row = rows.get(rec.id)
        items.append(CatalogueItem(rec, proposed=row is not None and row.proposed_at is not None,
                                   chosen=row is not None and row.chosen_at is not None))
    return items


def choose_recommendations(engagement: Engagement, recommendation_ids: list[int],
                           actor: User) -> None:
    """Record which recommendations the tilbud works on (at least one). Un-choosing keeps the
    consultant's proposal but drops the choice and its self-assessment."""
    lock(engagement)  # a double click adds each choice once
    mode = choice_mode(engagement)
    if mode != ChoiceMode.OPEN:
        raise DomainError(mode.explain(item_words(engagement.catalogue.code)))
    valid = {r.id for r in catalogue_recommendations(engagement)}
    wanted = set(recommendation_ids) & valid
    if not wanted:
        raise DomainError("Vælg mindst én anbefaling", field="recommendation_ids")
    rows = {r.recommendation_id: r for r in engagement.recommendations}
    now = clock.now()
    for rec_id in sorted(wanted):
        row = rows.get(rec_id)
        if row is None:
            row = EngagementRecommendation(recommendation_id=rec_id)
            engagement.recommendations.append(row)
        if row.chosen_at is None:
            row.chosen_at, row.chosen_by = now, actor
    for rec_id, row in rows.items():
        if rec_id in wanted or row.chosen_at is None:
            continue
        row.chosen_at, row.chosen_by_id, row.chosen_by = None, None, None
        row.baseline_score = row.final_score = None
        if row.proposed_at is None:
            engagement.recommendations.remove(row)  # neither proposed nor chosen: nothing left
    sync_with_facts(engagement)


# --- self-assessment -----------------------------------------------------------------------------

class AssessmentStage(StrEnum):
    """Which self-assessment the tilbud fills in now; the others show what was given."""

    BASELINE = "baseline"
    FINAL = "final"
    NOT_YET = "not_yet"
    PAUSED = "paused"
    COMPLETED = "completed"
    CLOSED = "closed"

    @property
    def editable(self) -> bool:
        return self in (AssessmentStage.BASELINE, AssessmentStage.FINAL)

    @property
    def explanation(self) -> str:
        return {
            "baseline": "I giver nu den første selvevaluering, i analysefasen. Den viser, hvor "
                        "I står, før I går i gang med anbefalingerne.",
            "final": "I giver nu den afsluttende selvevaluering, i udviklingsfasen. Den "
                     "sammenlignes med den første, så I kan se, hvor I har flyttet jer.",
            "not_yet": "I giver den første selvevaluering i analysefasen, når I har valgt de "
                       "anbefalinger, I vil arbejde med.",
            "paused": PAUSED_MESSAGE,
            "completed": "Forløbet er afsluttet. Her ser I, hvor I stod i analysefasen, og hvor "
                         "I stod ved afslutningen.",
            "closed": CLOSED_MESSAGE,
        }[self.value]

    @property
    def refusal(self) -> str:
        """Why a self-assessment cannot be saved now."""
        return CLOSED_MESSAGE if self == AssessmentStage.COMPLETED else self.explanation


def assessment_stage(engagement: Engagement) -> AssessmentStage:
    return {
        Phase.STARTUP: AssessmentStage.NOT_YET,
        Phase.ANALYSIS: AssessmentStage.BASELINE,
        Phase.DEVELOPMENT: AssessmentStage.FINAL,
        Phase.PAUSED: AssessmentStage.PAUSED,
        Phase.COMPLETED: AssessmentStage.COMPLETED,
    }.get(engagement.phase, AssessmentStage.CLOSED)


def save_self_assessment(engagement: Engagement, scores: dict[int, int | None]) -> AssessmentStage:
    """scores: engagement recommendation id → 1–5, one for every chosen recommendation. Stores
    the baseline in the analysis phase and the final score in the development phase."""
    lock(engagement)
    stage = assessment_stage(engagement)
    if not stage.editable:
        raise DomainError(stage.refusal)
    chosen = chosen_recommendations(engagement)
    if not chosen:
        raise DomainError("Vælg først de anbefalinger, I vil arbejde med.")
    for row in chosen:
        score = check_self_assessment(scores.get(row.id), field=score_field(row))
        if stage == AssessmentStage.BASELINE:
            row.baseline_score = score
        else:
            row.final_score = score
    sync_with_facts(engagement)
    return stage


def current_score(row: EngagementRecommendation, stage: AssessmentStage) -> int | None:
    """The score the form for `stage` starts from."""
    if stage == AssessmentStage.BASELINE:
        return row.baseline_score
    return row.final_score if stage == AssessmentStage.FINAL else None


def score_field(row: EngagementRecommendation) -> str:
    """The form field name of one recommendation's score."""
    return f"score_{row.id}"
