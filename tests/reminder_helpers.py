"""A small world for the reminder, scheduler and calendar tests, an SMTP server that counts
what it receives, and the environment for `flask …` subprocesses."""

from __future__ import annotations

import asyncio
import os
import socket
import sys
from dataclasses import dataclass, field
from datetime import date, datetime
from email import message_from_bytes, policy
from pathlib import Path

from aiosmtpd.controller import Controller

from indsatsteam.domain.danish_time import local_to_utc
from indsatsteam.extensions import db
from indsatsteam.models import Engagement, Meeting, Provider, Role, Task, User

ROOT = Path(__file__).resolve().parents[1]
FLASK = str(Path(sys.executable).with_name("flask"))


def local(*args) -> datetime:
    """Danish wall time → aware UTC, e.g. local(2026, 11, 25, 8, 0)."""
    return local_to_utc(datetime(*args))  # noqa: DTZ001 (read as Danish wall time)


@dataclass
class World:
    provider: Provider
    applicants: list[User]
    lead: User
    second: User
    manager: User
    engagement: Engagement
    others: dict = field(default_factory=dict)

    def task(self, title: str, due: date | None, *, owner: str = "consultant",
             owner_user: User | None = None, status: str = "not_started") -> Task:
        task = Task(engagement=self.engagement, phase="startup", title=title,
                    owner_type=owner, due_date=due, status=status,
                    owner_user_id=(owner_user or self.lead).id if owner == "consultant" else None)
        db.session.add(task)
        db.session.commit()
        return task

    def meeting(self, starts_at: datetime, *, kind: str = "follow_up", held: bool = False,
                location: str = "Tilbuddets mødelokale") -> Meeting:
        meeting = Meeting(engagement=self.engagement, meeting_type=kind, starts_at=starts_at,
                          location=location, participants="Leder og personale", held=held)
        db.session.add(meeting)
        db.session.commit()
        return meeting


def build_world(make_user, make_provider, make_round, make_engagement, *,
                planned_start: date = date(2026, 9, 1), provider_name: str = "Bostedet Åen",
                applicants: int = 2) -> World:
    """One tilbud with applicant users and an engagement in its startup phase, led by `lead`
    and seconded by `second`, without the template's standard tasks (tests add their own)."""
    provider = make_provider(name=provider_name)
    users = [make_user(Role.APPLICANT, name=f"Ansøger {i + 1}", provider=provider)
             for i in range(applicants)]
    lead = make_user(Role.CONSULTANT, name="Lea Lead")
    second = make_user(Role.CONSULTANT, name="Sam Second")
    manager = make_user(Role.MANAGER, name="Mona Manager")
    round_ = make_round(opens_at=local(2026, 1, 5, 8, 0), closes_at=local(2026, 2, 5, 12, 0),
                        name="Forårsrunden")
    engagement = make_engagement(provider=provider, round_=round_, lead=lead, second=second,
                                 manager=manager, planned_start=planned_start, themes=2,
                                 template_tasks=False)
    return World(provider, users, lead, second, manager, engagement)


# --- SMTP --------------------------------------------------------------------------------------

def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Collector:
    """aiosmtpd handler keeping every message it accepts; `delay` slows each one down."""

    def __init__(self, delay: float = 0.0) -> None:
        self.envelopes = []
        self.delay = delay

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 (aiosmtpd's name)
        if self.delay:
            await asyncio.sleep(self.delay)
        self.envelopes.append(envelope)
        return "250 Message accepted for delivery"

    def messages(self) -> list[tuple[str, str]]:
        """(recipient, subject) of every message received, in order."""
        out = []
        for envelope in self.envelopes:
            message = message_from_bytes(envelope.content, policy=policy.default)
            out.extend((to, str(message["Subject"])) for to in envelope.rcpt_tos)
        return out


def start_smtp(port: int | None = None, delay: float = 0.0) -> tuple[Controller, Collector]:
    handler = Collector(delay)
    controller = Controller(handler, hostname="127.0.0.1", port=port or free_port())
    controller.start()
    return controller, handler


def use_smtp(app, monkeypatch, port: int) -> None:
    """Point the (in-process) app at SMTP on 127.0.0.1:port."""
    for key, value in (("MAIL_BACKEND", "smtp"), ("MAIL_SERVER", "127.0.0.1"),
                       ("MAIL_PORT", port), ("MAIL_USE_TLS", False), ("MAIL_USERNAME", None)):
        monkeypatch.setitem(app.config, key, value)


# --- subprocesses ------------------------------------------------------------------------------

def flask_env(database_url: str, smtp_port: int, instance: Path, **extra: str) -> dict[str, str]:
    """The environment of a `flask …` subprocess: production settings read from the
    environment only, pointed at the test database and the test SMTP server."""
    env = {key: value for key, value in os.environ.items()
           if not key.startswith(("MAIL_", "DATABASE_URL", "INDSATSTEAM_", "REMINDER_"))}
    env.update({
        "INDSATSTEAM_ENV": "production", "SECRET_KEY": "subprocess-test-secret-0123456789abcdef",
        "DATABASE_URL": database_url, "INSTANCE_PATH": str(instance),
        "MAIL_BACKEND": "smtp", "MAIL_SERVER": "127.0.0.1", "MAIL_PORT": str(smtp_port),
        "PUBLIC_BASE_URL": "https://indsatsteam.example.dk", "FLASK_APP": "wsgi.py",
        "PYTHONUNBUFFERED": "1",
    })
    env.update(extra)
    return env
