"""The scheduler's jobs, declared as data: id, trigger, function.

Every job is safe to run twice, late or from two scheduler processes at once: the sweep's
reminders have unique keys and the sender claims each outbox row with a conditional
UPDATE; the digest is unique per user and Danish date. That is why coalescing and a
generous misfire grace time are harmless: a late run does what the missed one would have.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime

from apscheduler.triggers.base import BaseTrigger
from apscheduler.triggers.cron import CronTrigger
from apscheduler.triggers.interval import IntervalTrigger

from ..domain.danish_time import DANISH_TZ
from ..notifications.digest import send_digests
from .sweep import run_sweep

log = logging.getLogger(__name__)


def never(config: Mapping, now: datetime) -> bool:
    return False


def always(config: Mapping, now: datetime) -> bool:
    return True


def after_digest_hour(config: Mapping, now: datetime) -> bool:
    """A scheduler (re)started after today's digest time catches up on a missed digest;
    before it, running would claim today's digest too early."""
    return now.hour >= config["DIGEST_HOUR"]


@dataclass(frozen=True)
class Job:
    id: str
    trigger: Callable[[Mapping], BaseTrigger]  # built from the app's config
    function: Callable[[], object]  # runs inside an app context
    description: str
    # Whether to run once right away when the scheduler starts at this Danish local time.
    run_at_start: Callable[[Mapping, datetime], bool] = never
    misfire_grace_time: int = 3600  # seconds a run may be late and still happen


def sweep_reminders() -> None:
    run_sweep()  # logs its own counts


def apply_retention() -> None:
    from ..audit import acting_as
    from ..gdpr.retention import run_retention

    with acting_as(None):
        run_retention(trigger="scheduler")  # logs its own counts


def send_account_mails() -> None:
    from ..notifications.mail_queue import send_queued

    result = send_queued()
    if result.sent or result.retried or result.failed:
        log.info("Konto-e-mails: %d sendt, %d prøves igen, %d opgivet",
                 result.sent, result.retried, result.failed)


def send_daily_digests() -> None:
    sent = send_digests()
    log.info("Daglig opsamling: %d e-mails sendt", sent)


JOBS: tuple[Job, ...] = (
    Job("reminder_sweep",
        lambda config: IntervalTrigger(minutes=config["REMINDER_SWEEP_MINUTES"],
                                       timezone=DANISH_TZ),
        sweep_reminders,
        "Påmindelser ind i udbakken, og udbakken sendt",
        run_at_start=always, misfire_grace_time=3600),
    # Confirmation and reset links should arrive within seconds, so this one runs often.
    Job("mail_queue",
        lambda config: IntervalTrigger(seconds=config["MAIL_QUEUE_SECONDS"], timezone=DANISH_TZ),
        send_account_mails,
        "Konto-e-mails (bekræftelse, nulstilling, invitationer) sendt",
        run_at_start=always, misfire_grace_time=3600),
    Job("daily_digest",
        lambda config: CronTrigger(hour=config["DIGEST_HOUR"], minute=0, timezone=DANISH_TZ),
        send_daily_digests,
        "Den daglige opsamlings-e-mail",
        run_at_start=after_digest_hour, misfire_grace_time=6 * 3600),
    # Idempotent: a second run the same night finds nothing more to delete.
    Job("retention",
        lambda config: CronTrigger(hour=3, minute=30, timezone=DANISH_TZ),
        apply_retention,
        "Opbevaring: slet eller anonymiser udløbne data",
        misfire_grace_time=12 * 3600),
)
