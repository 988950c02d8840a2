"""`flask scheduler`: the one process that runs the declared jobs (web workers never do).

An APScheduler 3 BlockingScheduler in Danish time. Each job runs in a worker thread inside
its own app context (so its database session is removed afterwards). SIGTERM and SIGINT
shut the scheduler down, waiting for a running job to finish, and the process exits 0.
"""

from __future__ import annotations

import logging
import signal
from collections.abc import Callable
from datetime import datetime
from functools import wraps

from apscheduler.schedulers.blocking import BlockingScheduler
from flask import Flask

from ..domain.danish_time import DANISH_TZ
from .jobs import JOBS, Job

log = logging.getLogger(__name__)


def build_scheduler(app: Flask, jobs: tuple[Job, ...] = JOBS) -> BlockingScheduler:
    scheduler = BlockingScheduler(timezone=DANISH_TZ)
    now = datetime.now(DANISH_TZ)  # the real clock: APScheduler compares with it
    for job in jobs:
        extra = {"next_run_time": now} if job.run_at_start(app.config, now) else {}
        scheduler.add_job(_in_app_context(app, job.function), trigger=job.trigger(app.config),
                          id=job.id, name=job.id, misfire_grace_time=job.misfire_grace_time,
                          coalesce=True, max_instances=1, **extra)
    return scheduler


def run_scheduler(app: Flask) -> None:
    """Run the jobs until SIGTERM or SIGINT; returns after a clean shutdown."""
    scheduler = build_scheduler(app)

    def stop(signum: int, frame) -> None:
        log.info("Scheduler stopper (%s), venter på igangværende job",
                 signal.Signals(signum).name)
        if scheduler.running:
            scheduler.shutdown(wait=True)

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    log.info("Scheduler startet (tidszone Europe/Copenhagen): %s", "; ".join(
        f"{job.id}: {job.trigger}" for job in scheduler.get_jobs()))
    scheduler.start()
    log.info("Scheduler stoppet")


def _in_app_context(app: Flask, function: Callable[[], object]) -> Callable[[], object]:
    @wraps(function)
    def run() -> object:
        with app.app_context():
            return function()

    return run
