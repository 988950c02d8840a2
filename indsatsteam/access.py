"""Loaders that fetch an object *and* check that the user may see it (404 otherwise).

Every route that takes an id goes through one of these, so a guessed id never reveals
another provider's data.
"""

from __future__ import annotations

from flask import abort
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from .development.values import recommendations_with_plans
from .domain.applications import ApplicationStatus
from .extensions import db
from .models import (
    Application,
    ApplicationStatusChange,
    CollaborationAgreement,
    Engagement,
    EngagementIndicator,
    EngagementMethod,
    Note,
    PhaseTransition,
    Provider,
    ProviderMembership,
    Role,
    Task,
    User,
)


def is_member(user: User, provider_id: int) -> bool:
    return db.session.execute(
        select(ProviderMembership.id).where(ProviderMembership.user_id == user.id,
                                            ProviderMembership.provider_id == provider_id)
    ).first() is not None


def get_provider_for(user: User, provider_id: int) -> Provider:
    """A provider the user belongs to (applicants) or any provider (staff)."""
    provider = db.session.get(Provider, provider_id)
    if provider is None:
        abort(404)
    if user.is_staff or (user.role == Role.APPLICANT and is_member(user, provider_id)):
        return provider
    abort(404)


def get_application_for(user: User, application_id: int) -> Application:
    """Applicants see their own provider's applications; staff see every submitted one
    (a draft is the applicant's own work in progress and stays private)."""
    application = db.session.execute(
        select(Application)
        .options(selectinload(Application.themes), selectinload(Application.status_changes))
        .where(Application.id == application_id)
    ).scalar_one_or_none()
    if application is None:
        abort(404)
    if user.role == Role.APPLICANT:
        if is_member(user, application.provider_id):
            return application
    elif user.is_staff and application.status != ApplicationStatus.DRAFT:
        return application
    abort(404)


def may_open_engagement(user: User, engagement: Engagement) -> bool:
    """Whether the staff page of the forløb opens for the user: the rule of get_engagement_for,
    for pages that only link to it (an admin, or a consultant not on it, gets no link)."""
    return user.role == Role.MANAGER or (user.role == Role.CONSULTANT
                                         and engagement.is_consultant(user))


def get_engagement_for(user: User, engagement_id: int) -> Engagement:
    """Managers see every engagement; consultants those they lead or second. Others 404.

    Loads what the staff page shows in a fixed number of queries.
    """
    engagement = db.session.execute(
        select(Engagement).where(Engagement.id == engagement_id).options(
            selectinload(Engagement.provider), selectinload(Engagement.themes),
            selectinload(Engagement.phase_plans),
            selectinload(Engagement.transitions).selectinload(PhaseTransition.actor),
            selectinload(Engagement.tasks).selectinload(Task.completed_by),
            selectinload(Engagement.tasks).selectinload(Task.owner_user),
            selectinload(Engagement.meetings), selectinload(Engagement.notes)
            .selectinload(Note.author),
            selectinload(Engagement.findings),
            recommendations_with_plans(),
            selectinload(Engagement.methods).selectinload(EngagementMethod.method),
            selectinload(Engagement.indicators).selectinload(EngagementIndicator.indicator),
            selectinload(Engagement.benefit_ratings),
            selectinload(Engagement.agreement).selectinload(CollaborationAgreement.agreed_by),
            selectinload(Engagement.final_evaluation),
            selectinload(Engagement.lead_consultant), selectinload(Engagement.second_consultant),
            selectinload(Engagement.application).selectinload(Application.status_changes)
            .selectinload(ApplicationStatusChange.actor),
        )
    ).scalar_one_or_none()
    if engagement is None:
        abort(404)
    if may_open_engagement(user, engagement):
        return engagement
    abort(404)
