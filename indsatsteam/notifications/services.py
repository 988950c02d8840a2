"""Creating notifications: one row per (rule or event, object, occurrence, recipient).

Rows are inserted in the caller's transaction, so an event notification is never lost when
the change commits and never sent when it rolls back. A duplicate key is silently skipped,
which makes every sweep and every retry safe to run twice.

Also the reading side: the user's notification centre, read marks, delivery preferences and
the failed e-mails admins see.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import selectinload

from .. import clock
from ..extensions import db
from ..models import Notification, NotificationPreference, User
from ..pagination import Page, paginate

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
    Category("follow_up_due", "Opfølgning efter forløbet"),
    Category("follow_up_received", "Opfølgning modtaget fra et tilbud"),
    Category("tilbud_wrote", "Tilbuddet har skrevet i forløbet", DIGEST),
    Category("decision_made", "Afgørelse på ansøgning"),
    Category("phase_moved", "Forløbet skifter fase"),
    Category("deletion_request", "Anmodninger om sletning af oplysninger"),
)}


def channel_for(user_id: int, category: str) -> str:
    chosen = db.session.execute(
        select(NotificationPreference.channel).where(
            NotificationPreference.user_id == user_id,
            NotificationPreference.category == category)
    ).scalar_one_or_none()
    return chosen or CATEGORIES[category].default_channel


def _insert(values: dict):
    """INSERT … ON CONFLICT (dedupe_key) DO NOTHING RETURNING id on SQLite and PostgreSQL.

    An id comes back only when the row was inserted. (rowcount cannot tell: on PostgreSQL
    SQLAlchemy adds RETURNING itself and psycopg then reports -1.)
    """
    dialect = db.session.get_bind().dialect.name
    module = postgresql if dialect == "postgresql" else sqlite
    return module.insert(Notification).values(**values).on_conflict_do_nothing(
        index_elements=["dedupe_key"]).returning(Notification.id)


def channels_for(user_ids: set[int]) -> dict[tuple[int, str], str]:
    """The chosen channels of many users in one query: (user id, category) → channel.
    Pairs without a row use the category's default (see `channel_for`)."""
    if not user_ids:
        return {}
    rows = db.session.execute(
        select(NotificationPreference.user_id, NotificationPreference.category,
               NotificationPreference.channel)
        .where(NotificationPreference.user_id.in_(user_ids))
    ).all()
    return {(user_id, category): channel for user_id, category, channel in rows}


def notify(recipient: User, category: str, *, subject: str, body: str, url: str,
           dedupe_key: str, channel: str | None = None) -> bool:
    """Add a notification unless one with the same key exists. True when it was added.

    `channel` may be passed by callers that looked preferences up in bulk. Does not
    commit: the caller's transaction decides.
    """
    if category not in CATEGORIES:
        raise ValueError(f"unknown notification category {category!r}")
    channel = channel or channel_for(recipient.id, category)
    now = clock.now()
    email_status = {IMMEDIATE: "pending", DIGEST: "digest", IN_APP: "not_wanted"}[channel]
    result = db.session.execute(_insert({
        "recipient_id": recipient.id, "category": category, "subject": subject[:300],
        "body": body, "url": url, "dedupe_key": dedupe_key[:300], "created_at": now,
        "email_status": email_status, "attempts": 0,
        "next_attempt_at": now if email_status == "pending" else None, "last_error": "",
    }))
    return result.first() is not None


# --- the notification centre ----------------------------------------------------------------

PAGE_SIZE = 20


def unread_count(user_id: int) -> int:
    return db.session.execute(
        select(func.count()).select_from(Notification)
        .where(Notification.recipient_id == user_id, Notification.read_at.is_(None))
    ).scalar_one()


def notifications_for(user: User, page: int = 1) -> Page[Notification]:
    """One page of the user's notifications, newest first."""
    return paginate(select(Notification).where(Notification.recipient_id == user.id)
                    .order_by(Notification.created_at.desc(), Notification.id.desc()),
                    page, PAGE_SIZE)


def notification_of(user: User, notification_id: int) -> Notification | None:
    """The user's own notification; None for anybody else's."""
    notification = db.session.get(Notification, notification_id)
    if notification is None or notification.recipient_id != user.id:
        return None
    return notification


def mark_read(notification: Notification) -> None:
    if notification.read_at is None:
        notification.read_at = clock.now()


def mark_all_read(user: User) -> int:
    """Mark every unread notification of the user as read; returns how many."""
    result = db.session.execute(
        update(Notification)
        .where(Notification.recipient_id == user.id, Notification.read_at.is_(None))
        .values(read_at=clock.now()).execution_options(synchronize_session=False))
    return result.rowcount


# --- preferences ----------------------------------------------------------------------------

# Who can receive what: the tilbud's users get the tilbud's reminders and the events about
# their application and forløb; staff get the reminders about their own work.
_STAFF_CATEGORIES = ("task_due", "task_overdue", "phase_end", "meeting_tomorrow",
                     "follow_up_received", "tilbud_wrote")
CATEGORIES_BY_ROLE = {
    "applicant": ("task_due", "task_overdue", "round_closing", "meeting_tomorrow", "follow_up_due",
                  "decision_made", "phase_moved"),
    "consultant": _STAFF_CATEGORIES,
    "manager": ("decision_waiting", *_STAFF_CATEGORIES),
    "admin": ("decision_waiting", *_STAFF_CATEGORIES),
}


def categories_for(user: User) -> list[Category]:
    return [CATEGORIES[code] for code in CATEGORIES_BY_ROLE.get(user.role, tuple(CATEGORIES))]


def preferences_of(user: User) -> dict[str, str]:
    """Category code → chosen channel, the category's default where nothing is chosen."""
    chosen = dict(db.session.execute(
        select(NotificationPreference.category, NotificationPreference.channel)
        .where(NotificationPreference.user_id == user.id)).tuples().all())
    return {code: chosen.get(code, c.default_channel) for code, c in CATEGORIES.items()}


def save_preferences(user: User, channels: dict[str, str]) -> None:
    """Store the user's channel per category (one row each). New notifications follow it."""
    existing = {p.category: p for p in db.session.execute(
        select(NotificationPreference).where(NotificationPreference.user_id == user.id)
    ).scalars()}
    for code, channel in channels.items():
        if code not in CATEGORIES or channel not in CHANNELS:
            raise ValueError(f"unknown category or channel {code!r}: {channel!r}")
        preference = existing.get(code)
        if preference is None:
            db.session.add(NotificationPreference(user_id=user.id, category=code,
                                                  channel=channel))
        else:
            preference.channel = channel


# --- for admins -----------------------------------------------------------------------------

def failed_notifications(limit: int = 100) -> list[Notification]:
    """E-mails given up after the last retry, newest first, with their recipients."""
    return list(db.session.execute(
        select(Notification).options(selectinload(Notification.recipient))
        .where(Notification.email_status == "failed")
        .order_by(Notification.created_at.desc(), Notification.id.desc()).limit(limit)
    ).scalars())
