"""A small hand-made data set for the manager's drill-down lists and exports, whose right
answers are written out in the tests (import with `from list_helpers import ...`). Its
fixtures `world` and `manager_client` are assigned by name in the test modules."""

from __future__ import annotations

import html
import re
from datetime import date

import pytest
from sqlalchemy import select

from indsatsteam import clock
from indsatsteam.domain.applications import ApplicationStatus
from indsatsteam.extensions import db
from indsatsteam.models import Role, Task, Theme

from helpers import aware

NOW = aware(2026, 12, 2, 10, 0)  # Wednesday 2 December 2026, 11.00 Danish time
LIST = "/leder/overblik/liste"


def build_world(make_user, make_provider, make_round, make_application, make_engagement) -> dict:
    """Three tilbud in three regions and three rounds; four forløb (startup, analysis,
    paused, completed); three more applications and a draft; seven tasks around today."""
    clock.freeze(NOW)
    karin = make_user(Role.CONSULTANT, name="Karin Konsulent")
    ole = make_user(Role.CONSULTANT, name="Ole Olsen")
    manager = make_user(Role.MANAGER, name="Mona Manager")
    autumn = make_round(name="Efterårsrunden 2026", closes_at=aware(2026, 11, 27, 11, 0))
    spring = make_round(name="Forårsrunden 2026", closes_at=aware(2026, 5, 1, 10, 0))
    extra = make_round(name="Ekstrarunden 2026", closes_at=aware(2026, 11, 1, 11, 0))
    lyngen = make_provider(name="Bostedet Lyngen", cvr="12345674", kind="sel108",
                           owner_type="kommune", municipality_code="751")
    nord = make_provider(name="Bostøtten Nord", cvr="10000009", kind="sel85_home",
                         owner_type="privat", municipality_code="851")
    byen = make_provider(name="Byens Botilbud", cvr="20000005", kind="sel107",
                         owner_type="region", municipality_code="101")
    themes = {t.name: t for t in db.session.execute(select(Theme)).scalars()}

    def engagement(provider, round_, lead, second=None, phase="startup",
                   start=date(2026, 11, 2), months=6, submitted=None):
        application = make_application(round_, provider, status=ApplicationStatus.APPROVED)
        application.submitted_at = submitted
        return make_engagement(application, lead=lead, second=second, manager=manager,
                               phase=phase, planned_start=start, months=months,
                               themes=[themes["Sundhed"]], template_tasks=False)

    e1 = engagement(lyngen, autumn, karin, months=4, submitted=aware(2026, 11, 2, 8, 0))
    e2 = engagement(nord, autumn, karin, ole, phase="analysis",
                    submitted=aware(2026, 11, 3, 8, 0))
    e3 = engagement(byen, spring, ole, phase="paused", start=date(2026, 6, 1), months=8,
                    submitted=aware(2026, 4, 10, 8, 0))
    e4 = engagement(nord, spring, karin, phase="completed", start=date(2026, 1, 5),
                    submitted=aware(2026, 4, 11, 8, 0))
    e4.actual_end = date(2026, 7, 10)

    submitted = make_application(autumn, byen, status=ApplicationStatus.SUBMITTED,
                                 duration_months=9, desired_start=date(2027, 2, 1))
    submitted.submitted_at = aware(2026, 11, 20, 10, 0)   # 11.00 Danish winter time
    submitted.themes = [themes["Sundhed"], themes["Civilsamfund"]]
    in_review = make_application(extra, lyngen, status=ApplicationStatus.IN_REVIEW)
    in_review.submitted_at = aware(2026, 10, 24, 22, 30)  # 25 October 00.30 summer time
    rejected = make_application(spring, lyngen, status=ApplicationStatus.REJECTED)
    rejected.submitted_at = aware(2026, 3, 29, 0, 30)     # 29 March 01.30, before the change
    make_application(extra, byen, status=ApplicationStatus.DRAFT)

    def task(e, title, due, owner=None, status="not_started", owner_type="consultant"):
        t = Task(engagement_id=e.id, phase=e.phase if e.phase in (
            "startup", "analysis", "development") else "startup", title=title, due_date=due,
            owner_type=owner_type, owner_user_id=owner.id if owner else None, status=status)
        db.session.add(t)
        return t

    task(e1, "Forberede opstartsmøde", date(2026, 11, 30), karin)       # overdue
    task(e1, "Skrive referat", date(2026, 12, 2), karin, "in_progress")  # due today
    task(e2, "Indsamle data", date(2026, 12, 16), owner_type="provider")  # last day inside
    task(e2, "Analysemøde", date(2026, 12, 17), ole)                      # first day outside
    task(e1, "Gammel opgave", date(2026, 11, 1), karin, "done")
    task(e4, "Glemt opgave", date(2026, 11, 1), karin)                   # completed forløb
    task(e3, "Pauseopgave", date(2026, 11, 15))                           # overdue, no owner
    db.session.commit()
    return dict(manager=manager, karin=karin, ole=ole, autumn=autumn, spring=spring, extra=extra,
                lyngen=lyngen, nord=nord, byen=byen, e1=e1, e2=e2, e3=e3, e4=e4,
                submitted=submitted, in_review=in_review, rejected=rejected, themes=themes)


def _cell_text(cell: str) -> str:
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", cell))).strip()


def table_rows(response) -> list[list[str]]:
    """The body rows of the page's table, each a list of its cells' visible text."""
    page = response.get_data(as_text=True)
    body = re.search(r"<tbody>(.*?)</tbody>", page, flags=re.S)
    assert body, "no table on the page"
    return [[_cell_text(cell) for cell in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, re.S)]
            for row in re.findall(r"<tr>(.*?)</tr>", body.group(1), flags=re.S)]


def first_column(response) -> list[str]:
    return [row[0] for row in table_rows(response)]


@pytest.fixture
def world(make_user, make_provider, make_round, make_application, make_engagement):
    return build_world(make_user, make_provider, make_round, make_application, make_engagement)


@pytest.fixture
def manager_client(client, login, world):
    login(client, world["manager"])
    return client
