"""Two `flask reminders run` processes started at the same moment against one database send
each reminder exactly once: counted by the SMTP server that receives them.

Runs against the suite's database (a SQLite file, or PostgreSQL when TEST_DATABASE_URL
points there) and, in a PostgreSQL run, also against a SQLite file of its own.
"""

from __future__ import annotations

import re
import subprocess
from collections import Counter
from datetime import date

import pytest
from flask_migrate import upgrade
from sqlalchemy import select

from indsatsteam import clock, create_app
from indsatsteam.extensions import db
from indsatsteam.models import Notification

from reminder_helpers import FLASK, ROOT, build_world, flask_env, local, start_smtp

TASKS = 12  # × (lead + 2 tilbud users) reminders, and one meeting for 5 people
AT = "2026-11-25 09:00"


@pytest.fixture(params=["suite", "sqlite_file"])
def database(request, app, tmp_path):
    """The URL of a migrated database whose app context is the current one."""
    suite_url = app.config["SQLALCHEMY_DATABASE_URI"]
    if request.param == "suite":
        yield suite_url
        return
    if suite_url.startswith("sqlite"):
        pytest.skip("the suite itself runs on a SQLite file")
    url = f"sqlite:///{tmp_path / 'race.db'}"
    other = create_app("test", {"SQLALCHEMY_DATABASE_URI": url})
    with other.app_context():
        upgrade()
        yield url
        db.session.remove()


def test_two_processes_at_once_send_every_reminder_exactly_once(
        database, tmp_path, make_user, make_provider, make_round, make_engagement):
    clock.freeze(local(2026, 11, 1, 12, 0))
    world = build_world(make_user, make_provider, make_round, make_engagement)
    for i in range(TASKS):
        world.task(f"Konsulentopgave {i}", date(2026, 12, 2))
        world.task(f"Tilbudsopgave {i}", date(2026, 12, 2), owner="provider")
    world.meeting(local(2026, 11, 26, 10, 0))
    expected = TASKS * 3 + 4
    db.session.commit()
    clock.freeze(None)

    # A slow server keeps both processes busy sending at the same time.
    controller, server = start_smtp(delay=0.02)
    try:
        env = flask_env(database, controller.port, tmp_path)
        command = [FLASK, "reminders", "run", "--at", AT]
        processes = [subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.PIPE,
                                      stderr=subprocess.PIPE, text=True) for _ in range(2)]
        outputs = [process.communicate(timeout=120) for process in processes]
    finally:
        controller.stop()

    for process, (_, err) in zip(processes, outputs, strict=True):
        assert process.returncode == 0, err
    sent = [int(re.search(r"(\d+) e-mails? sendt", out).group(1)) for out, _ in outputs]
    created = [int(re.search(r"(\d+) nye?\b", out).group(1)) for out, _ in outputs]
    assert sum(sent) == sum(created) == expected

    received = Counter(server.messages())
    assert sum(received.values()) == expected
    assert set(received.values()) == {1}, [m for m, n in received.items() if n > 1]

    db.session.expire_all()
    rows = db.session.execute(select(Notification)).scalars().all()
    assert len(rows) == expected
    assert {row.email_status for row in rows} == {"sent"}
    assert {row.attempts for row in rows} == {0}
