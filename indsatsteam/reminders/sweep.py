"""One reminder sweep: ask the rules what is due, put each reminder in the notification
outbox once, commit, then send the outbox.

Nothing is remembered between sweeps but the outbox itself: a sweep at time t looks at the
window [t − look-back, t], so after downtime it catches up on what fell due meanwhile and
is still true, and the unique dedupe key makes a second sweep (or a second scheduler
process) insert nothing new. Only the sender's conditional UPDATE decides who sends a row.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import select

from .. import clock
from ..engagements.services import sync_open_gate_tasks
from ..extensions import db
from ..models import Notification
from ..notifications.sender import send_pending
from ..notifications.services import CATEGORIES, channels_for, notify
from .recipients import chunked
from .rules import Due, category_of, due_reminders

log = logging.getLogger(__name__)

# Rows the sender claims per call; the sweep calls it until the outbox is drained.
SEND_BATCH = 100
MAX_SEND_BATCHES = 1000


@dataclass(frozen=True)
class SweepResult:
    at: datetime
    due: int  # reminders due in the window and still true
    created: int  # of those, new in the outbox (the others were there from an earlier sweep)
    sent: int  # e-mails sent from the outbox (reminders and event notifications)
    retried: int  # e-mails that failed and wait for a later attempt
    failed: int  # e-mails given up on after the last attempt


def preview(at: datetime | None = None, lookback_days: int | None = None) -> list[Due]:
    """What a sweep at `at` would add to the outbox, without adding or sending anything."""
    start, end = _window(at, lookback_days)
    sync_open_gate_tasks()  # as the sweep would; rolled back below
    try:
        return _not_yet_notified(due_reminders(start, end))
    finally:
        db.session.rollback()


def run_sweep(at: datetime | None = None, lookback_days: int | None = None) -> SweepResult:
    """Add the due reminders to the outbox, commit, and send what is pending at `at`.

    `at` defaults to clock.now(); the CLI freezes the clock at its --at, so the rows'
    created_at and next attempt agree with the sweep's time.
    """
    start, end = _window(at, lookback_days)
    # A task that stands for a met gate is done: never remind about it, even when the fact
    # was recorded outside the services (committed with the reminders below).
    sync_open_gate_tasks()
    due = due_reminders(start, end)
    new = _not_yet_notified(due)
    # One query for every recipient's preferences instead of one per reminder.
    chosen = channels_for({item.recipient.id for item in new})
    created = 0
    for item in new:
        category = category_of(item.rule)
        channel = chosen.get((item.recipient.id, category), CATEGORIES[category].default_channel)
        created += notify(item.recipient, category, subject=item.subject, body=item.body,
                          url=item.url, dedupe_key=item.dedupe_key, channel=channel)
    db.session.commit()
    # The rows just added are due from clock.now(), a moment after `end` unless frozen.
    send_at = max(end, clock.now())
    sent = retried = failed = 0
    for _ in range(MAX_SEND_BATCHES):
        batch = send_pending(send_at, limit=SEND_BATCH)
        sent, retried, failed = sent + batch.sent, retried + batch.retried, failed + batch.failed
        if batch.sent + batch.retried + batch.failed < SEND_BATCH:
            break
    result = SweepResult(end, len(due), created, sent, retried, failed)
    log.info("Påmindelser: %d aktuelle, %d nye, %d e-mails sendt, %d venter på nyt forsøg, "
             "%d fejlet", result.due, result.created, result.sent, result.retried,
             result.failed)
    return result


def _window(at: datetime | None, lookback_days: int | None) -> tuple[datetime, datetime]:
    end = at or clock.now()
    if end.tzinfo is None:
        raise ValueError("a sweep needs an aware datetime")
    days = current_app.config["REMINDER_LOOKBACK_DAYS"] if lookback_days is None else lookback_days
    return end - timedelta(days=days), end


def _not_yet_notified(due: list[Due]) -> list[Due]:
    """Leave out reminders already in the outbox (read in slices, one query per slice)."""
    keys = [item.dedupe_key for item in due]
    existing: set[str] = set()
    for chunk in chunked(keys):
        existing.update(db.session.execute(
            select(Notification.dedupe_key).where(Notification.dedupe_key.in_(chunk))).scalars())
    return [item for item in due if item.dedupe_key not in existing]
