"""Who may see and delete an attachment: whoever may see the object it belongs to.

Returns None for everything else, so the route answers 404 and an id reveals nothing.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from ..domain.applications import ApplicationStatus
from ..domain.phases import Phase
from ..extensions import db
from ..models import Application, Attachment, Engagement, ProviderMembership, Role, User
from .services import PROVIDER, TEAM


def _member(user: User, provider_id: int) -> bool:
    return user.role == Role.APPLICANT and db.session.execute(
        select(ProviderMembership.id).where(ProviderMembership.user_id == user.id,
                                            ProviderMembership.provider_id == provider_id)
    ).first() is not None


def on_team(user: User, engagement: Engagement) -> bool:
    return user.role == Role.MANAGER or (user.role == Role.CONSULTANT
                                         and engagement.is_consultant(user))


def may_see_application(user: User, application: Application) -> bool:
    if user.role == Role.APPLICANT:
        return _member(user, application.provider_id)
    return user.is_staff and application.status != ApplicationStatus.DRAFT


def may_see_engagement(user: User, engagement: Engagement) -> bool:
    return _member(user, engagement.provider_id) or on_team(user, engagement)


def attachment_for(user: User, attachment_id: int) -> Attachment | None:
    """The attachment when the user may see what it is attached to; None otherwise."""
    attachment = db.session.execute(
        select(Attachment).options(selectinload(Attachment.application),
                                   selectinload(Attachment.engagement))
        .where(Attachment.id == attachment_id)).scalar_one_or_none()
    if attachment is None or not user.is_authenticated:
        return None
    if attachment.application is not None:
        visible = may_see_application(user, attachment.application)
    else:
        visible = may_see_engagement(user, attachment.engagement)
    return attachment if visible else None


def side_of(user: User) -> str:
    return PROVIDER if user.role == Role.APPLICANT else TEAM


def may_delete(user: User, attachment: Attachment) -> bool:
    """Each side deletes its own side's files, while the object is still open: a draft
    application, a forløb not completed or cancelled."""
    if attachment.side != side_of(user):
        return False
    if attachment.application is not None:
        return (attachment.application.status == ApplicationStatus.DRAFT
                and _member(user, attachment.application.provider_id))
    engagement = attachment.engagement
    return engagement.phase not in (Phase.COMPLETED, Phase.CANCELLED) and (
        _member(user, engagement.provider_id) or on_team(user, engagement))
