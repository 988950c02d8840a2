"""Creating notifications: one row per (rule or event, object, occurrence, recipient).

Rows are inserted in the caller's transaction, so an event notification is never lost when
the change commits and never sent when it rolls back. A duplicate key is silently skipped,
which makes every sweep and every retry safe to run twice.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.dialects import postgresql, sqlite

from .. import clock
from ..extensions import db
from ..models import Notification, NotificationPreference, User

IMMEDIATE, DIGEST, IN_APP = "immediate", "digest", "in_app"
CHANNELS = {
    IMMEDIATE: "E-mail med det samme",
    DIGEST: "Samlet i en daglig e-mail kl. 7",
    IN_APP: "Kun her i systemet",
}


@dataclass(frozen=True)
class Category:
    code: str
    label: str
    default_channel: str = IMMEDIATE


CATEGORIES = {c.code: c for c in (
    Category("task_due", "Opgaver med frist snart"),
    Category("task_overdue", "Overskredne opgaver"),
    Category("round_closing", "Ansøgningsfrist nærmer sig"),
    Category("decision_waiting", "Ansøgninger der venter på afgørelse", DIGEST),
    Category("phase_end", "Fase slutter snart uden at portene er opfyldt"),
    Category("meeting_tomorrow", "Møder i morgen"),
    Category("decision_made", "Afgørelse på ansøgning"),
    Category("phase_moved", "Forløbet skifter fase"),
)}


def channel_for(user_id: int, category: str) -> str:
    chosen = db.session.execute(
        select(NotificationPreference.channel).where(
            NotificationPreference.user_id == user_id,
            NotificationPreference.category == category)
    ).scalar_one_or_none()
    return chosen or CATEGORIES[category].default_channel


def _insert(values: dict):
    """INSERT … ON CONFLICT (dedupe_key) DO NOTHING on SQLite and PostgreSQL."""
    dialect = db.session.get_bind().dialect.name
    module = postgresql if dialect == "postgresql" else sqlite
    return module.insert(Notification).values(**values).on_conflict_do_nothing(
        index_elements=["dedupe_key"])


def notify(recipient: User, category: str, *, subject: str, body: str, url: str,
           dedupe_key: str) -> bool:
    """Add a notification unless one with the same key exists. True when it was added.

    Does not commit: the caller's transaction decides.
    """
    if category not in CATEGORIES:
        raise ValueError(f"unknown notification category {category!r}")
    channel = channel_for(recipient.id, category)
    now = clock.now()
    email_status = {IMMEDIATE: "pending", DIGEST: "digest", IN_APP: "not_wanted"}[channel]
    result = db.session.execute(_insert({
        "recipient_id": recipient.id, "category": category, "subject": subject[:300],
        "body": body, "url": url, "dedupe_key": dedupe_key[:300], "created_at": now,
        "email_status": email_status, "attempts": 0,
        "next_attempt_at": now if email_status == "pending" else None, "last_error": "",
    }))
    return result.rowcount == 1
