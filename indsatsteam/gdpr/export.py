"""Everything held about one user, as plain JSON-ready data (Art. 15 and 20)."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import or_, select

from ..extensions import db
from ..models import (
    Application,
    Attachment,
    IssuedDocument,
    OidcIdentity,
    Provider,
    ProviderMembership,
    User,
)
from ..models.audit import AccessLogEntry, AuditEvent
from ..models.engagement import Engagement, Task
from ..models.gdpr import DeletionRequest
from ..models.notification import Notification, NotificationPreference

# Secrets are not "data about the user"; exporting them would only widen their exposure.
USER_HIDDEN = {"password_hash"}


def _value(value):
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    return value


def row(obj, hidden: set[str] = frozenset()) -> dict:
    """One ORM object's columns, dates in ISO 8601."""
    return {c.key: _value(getattr(obj, c.key)) for c in obj.__table__.columns
            if c.key not in hidden}


def _all(stmt) -> list:
    return list(db.session.execute(stmt).scalars())


def export_user(user: User) -> dict:
    provider_ids = sorted(user.provider_ids)
    applications = _all(select(Application).where(Application.provider_id.in_(provider_ids))
                        .order_by(Application.id))
    about_me = [AccessLogEntry.subject_user_id == user.id]
    if provider_ids:
        about_me.append(AccessLogEntry.provider_id.in_(provider_ids))
    return {
        "user": row(user, USER_HIDDEN),
        # How the user logs in through a provider (the pseudonymous id and the CVR).
        "login_identities": [row(i) for i in _all(
            select(OidcIdentity).where(OidcIdentity.user_id == user.id)
            .order_by(OidcIdentity.id))],
        "memberships": [row(m) for m in _all(
            select(ProviderMembership).where(ProviderMembership.user_id == user.id))],
        "providers": [row(p) for p in _all(
            select(Provider).where(Provider.id.in_(provider_ids)).order_by(Provider.id))],
        "applications": [{**row(a), "themes": [t.name for t in a.themes]}
                         for a in applications],
        # Files are listed (name, type, size, hash, when, by whom); the bytes are downloaded
        # from the application's and the forløb's pages.
        "attachments": [row(a, {"storage_key"}) for a in _all(
            select(Attachment).where(or_(Attachment.uploaded_by_id == user.id,
                                         Attachment.application_id.in_(
                                             [a.id for a in applications]),
                                         Attachment.engagement_id.in_(
                                             select(Engagement.id).where(
                                                 Engagement.provider_id.in_(provider_ids)))))
            .order_by(Attachment.id))],
        "documents": [row(d, {"storage_key", "html"}) for d in _all(
            select(IssuedDocument).where(IssuedDocument.provider_id.in_(provider_ids))
            .order_by(IssuedDocument.id))],
        "tasks": [row(t) for t in _all(
            select(Task).where(Task.owner_user_id == user.id).order_by(Task.id))],
        "notifications": [row(n) for n in _all(
            select(Notification).where(Notification.recipient_id == user.id)
            .order_by(Notification.id))],
        "notification_preferences": [row(p) for p in _all(
            select(NotificationPreference).where(NotificationPreference.user_id == user.id))],
        "access_log_about_me": [row(e) for e in _all(
            select(AccessLogEntry).where(or_(*about_me)).order_by(AccessLogEntry.id))],
        "audit_events_by_me": [row(e) for e in _all(
            select(AuditEvent).where(AuditEvent.actor_id == user.id).order_by(AuditEvent.id))],
        "deletion_requests": [row(r) for r in _all(
            select(DeletionRequest).where(DeletionRequest.user_id == user.id)
            .order_by(DeletionRequest.id))],
    }
