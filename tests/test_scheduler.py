"""`flask scheduler`: jobs declared as data, each run in its own app context, and a process
that starts, runs its first sweep at once and stops cleanly on SIGTERM or SIGINT."""

from __future__ import annotations

import signal
import subprocess
import threading
import time
from datetime import date, datetime, timedelta

import pytest
from apscheduler.triggers.cron import CronTrigger
from apscheduler.triggers.interval import IntervalTrigger
from sqlalchemy import select

from indsatsteam import clock, create_app, mail
from indsatsteam.domain.danish_time import DANISH_TZ, utc_to_local
from indsatsteam.extensions import db
from indsatsteam.models import Notification
from indsatsteam.reminders.jobs import JOBS, after_digest_hour
from indsatsteam.reminders.scheduler import build_scheduler

from reminder_helpers import FLASK, ROOT, build_world, flask_env, local, start_smtp


def test_jobs_are_declared_as_data_with_triggers_from_config(app, monkeypatch):
    monkeypatch.setitem(app.config, "REMINDER_SWEEP_MINUTES", 2)
    monkeypatch.setitem(app.config, "DIGEST_HOUR", 6)
    jobs = {job.id: job for job in JOBS}
    assert set(jobs) == {"reminder_sweep", "mail_queue", "daily_digest", "retention"}
    monkeypatch.setitem(app.config, "MAIL_QUEUE_SECONDS", 15)
    assert jobs["mail_queue"].trigger(app.config).interval == timedelta(seconds=15)
    retention = jobs["retention"].trigger(app.config)
    assert str(retention) == "cron[hour='3', minute='30']"

    sweep = jobs["reminder_sweep"].trigger(app.config)
    assert isinstance(sweep, IntervalTrigger) and sweep.interval == timedelta(minutes=2)
    digest = jobs["daily_digest"].trigger(app.config)
    assert isinstance(digest, CronTrigger) and str(digest) == "cron[hour='6', minute='0']"
    for trigger in (sweep, digest):
        assert str(trigger.timezone) == "Europe/Copenhagen"
    # The digest fires at 06:00 Danish time in winter and in summer.
    after = datetime(2026, 6, 30, 12, 0, tzinfo=DANISH_TZ)
    assert digest.get_next_fire_time(None, after) == datetime(2026, 7, 1, 6, 0, tzinfo=DANISH_TZ)
    assert utc_to_local(digest.get_next_fire_time(None, local(2026, 12, 30, 12, 0))).hour == 6


def test_scheduler_coalesces_runs_one_at_a_time_and_sweeps_at_start(app):
    scheduler = build_scheduler(app)
    assert str(scheduler.timezone) == "Europe/Copenhagen"
    jobs = {job.id: job for job in scheduler.get_jobs()}
    for job in jobs.values():
        assert job.coalesce is True and job.max_instances == 1
        assert job.misfire_grace_time >= 3600
    assert jobs["reminder_sweep"].next_run_time is not None  # the first sweep: right away
    assert abs(jobs["reminder_sweep"].next_run_time - datetime.now(DANISH_TZ)) < timedelta(
        seconds=30)


def test_a_restarted_scheduler_catches_up_on_todays_digest_only_after_its_hour():
    config = {"DIGEST_HOUR": 7}
    assert not after_digest_hour(config, datetime(2026, 11, 25, 6, 59, tzinfo=DANISH_TZ))
    assert after_digest_hour(config, datetime(2026, 11, 25, 7, 0, tzinfo=DANISH_TZ))


def test_a_job_runs_in_its_own_app_context_from_a_worker_thread(
        app, make_user, make_provider, make_round, make_engagement):
    clock.freeze(local(2026, 11, 1, 12, 0))
    world = build_world(make_user, make_provider, make_round, make_engagement)
    world.task("Opgave", date(2026, 12, 2))
    clock.freeze(local(2026, 11, 25, 8, 5))
    sweep = next(job for job in build_scheduler(app).get_jobs() if job.id == "reminder_sweep")

    errors: list[BaseException] = []

    def run() -> None:  # a thread without the test's app context, like APScheduler's
        try:
            sweep.func()
        except BaseException as err:  # noqa: BLE001 (handed to the test thread)
            errors.append(err)

    worker = threading.Thread(target=run)
    worker.start()
    worker.join(30)
    assert errors == []
    db.session.expire_all()
    assert len(db.session.execute(select(Notification)).scalars().all()) == 1
    assert [m["To"] for m in mail.outbox] == [world.lead.email]


def test_creating_the_web_app_starts_no_scheduler():
    before = {t.name for t in threading.enumerate()}
    create_app("test", {"SQLALCHEMY_DATABASE_URI": "sqlite://"})
    after = {t.name for t in threading.enumerate()}
    assert after == before


# --- the real process -------------------------------------------------------------------------

class LogReader:
    """Collects a subprocess's stderr lines in a thread, so the test can wait for one."""

    def __init__(self, stream) -> None:
        self.lines: list[str] = []
        self._changed = threading.Condition()
        self._thread = threading.Thread(target=self._read, args=(stream,), daemon=True)
        self._thread.start()

    def _read(self, stream) -> None:
        for line in stream:
            with self._changed:
                self.lines.append(line.rstrip("\n"))
                self._changed.notify_all()

    def wait_for(self, text: str, timeout: float = 30) -> str:
        deadline = time.monotonic() + timeout
        with self._changed:
            while True:
                found = next((line for line in self.lines if text in line), None)
                if found is not None:
                    return found
                left = deadline - time.monotonic()
                if left <= 0:
                    raise AssertionError(f"{text!r} not logged; got:\n" + "\n".join(self.lines))
                self._changed.wait(left)

    def text(self) -> str:
        self._thread.join(10)
        return "\n".join(self.lines)


@pytest.mark.parametrize("stop_signal", [signal.SIGTERM, signal.SIGINT])
def test_scheduler_process_sweeps_at_start_and_stops_cleanly(
        app, tmp_path, make_user, make_provider, make_round, make_engagement, stop_signal):
    # Real time: the process cannot be given a frozen clock. An overdue task due two days
    # ago was first reminded yesterday at 08:00, inside the look-back whatever the hour.
    world = build_world(make_user, make_provider, make_round, make_engagement)
    overdue = world.task("Overskredet opgave",
                         utc_to_local(clock.now()).date() - timedelta(days=2))
    db.session.commit()

    controller, server = start_smtp()
    env = flask_env(app.config["SQLALCHEMY_DATABASE_URI"], controller.port, tmp_path,
                    REMINDER_SWEEP_MINUTES="60")
    process = subprocess.Popen([FLASK, "scheduler"], cwd=ROOT, env=env, text=True,
                               stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        log = LogReader(process.stderr)
        assert "reminder_sweep: interval[1:00:00]" in log.wait_for("Scheduler startet")
        swept = log.wait_for("Påmindelser:")
        assert "1 aktuelle, 1 nye, 1 e-mails sendt, 0 venter på nyt forsøg, 0 fejlet" in swept
        process.send_signal(stop_signal)
        assert process.wait(timeout=30) == 0
    finally:
        if process.poll() is None:
            process.kill()
        controller.stop()
    output = log.text()
    assert f"Scheduler stopper ({stop_signal.name})" in output
    assert output.rstrip().endswith("Scheduler stoppet")
    assert "Traceback" not in output
    assert server.messages() == [(world.lead.email, "Overskredet frist: Overskredet opgave")]
    db.session.expire_all()
    row = db.session.execute(select(Notification)).scalar_one()
    assert row.dedupe_key.startswith(f"task_overdue:task:{overdue.id}:")
    assert row.email_status == "sent"
