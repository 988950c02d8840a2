"""Mit overblik: the consultant's own forløb, tasks, meetings this week and reviews waiting,
checked against a small hand-made data set whose right answers are written out below."""

from __future__ import annotations

from datetime import date

import pytest

from indsatsteam import clock
from indsatsteam.domain.applications import ApplicationStatus
from indsatsteam.extensions import db
from indsatsteam.models import Meeting, Review, Role, Task

from helpers import aware, count_statements, text_of

URL = "/mit-overblik"
# Wednesday 2 December 2026, 11.00 Danish time: the week is Monday 30 November – Sunday 6 December.
NOW = aware(2026, 12, 2, 10, 0)


@pytest.fixture
def world(make_user, make_provider, make_round, make_application, make_engagement):
    clock.freeze(NOW)
    karin = make_user(Role.CONSULTANT, name="Karin Konsulent")
    ole = make_user(Role.CONSULTANT, name="Ole Olsen")
    manager = make_user(Role.MANAGER, name="Mona Manager")
    round_ = make_round()
    def engagement(name, lead, second=None, phase="startup"):
        return make_engagement(provider=make_provider(name=name), round_=round_, lead=lead,
                               second=second, manager=manager, phase=phase,
                               planned_start=date(2026, 11, 2), template_tasks=False)

    alfa = engagement("Bostedet Alfa", karin)
    beta = engagement("Bostedet Beta", ole, karin, phase="analysis")
    gamma = engagement("Bostedet Gamma", ole)
    done = engagement("Bostedet Delta", karin, phase="completed")

    def task(e, title, due, owner=None, status="not_started"):
        db.session.add(Task(engagement_id=e.id, phase="startup", title=title, due_date=due,
                            owner_type="consultant" if owner else "provider",
                            owner_user_id=owner.id if owner else None, status=status))

    task(alfa, "Overskredet opgave", date(2026, 11, 25), karin)
    task(alfa, "Opgave i næste uge", date(2026, 12, 9), karin, status="in_progress")
    task(alfa, "Gennemført opgave", date(2026, 11, 20), karin, status="done")
    task(alfa, "Tilbuddets opgave", date(2026, 12, 1))
    task(beta, "Oles opgave", date(2026, 12, 15), ole)
    task(done, "Opgave i afsluttet forløb", date(2026, 11, 1), karin)

    def meeting(e, starts_at, kind="follow_up"):
        db.session.add(Meeting(engagement_id=e.id, meeting_type=kind, starts_at=starts_at,
                               location="Mødelokalet"))

    meeting(alfa, aware(2026, 12, 3, 8, 0))             # Thursday 09.00: this week
    meeting(alfa, aware(2026, 12, 7, 8, 0))             # next Monday: not this week
    meeting(beta, aware(2026, 11, 29, 23, 30), "kickoff")  # Monday 00.30 Danish time
    meeting(gamma, aware(2026, 12, 3, 8, 0))            # not Karin's forløb

    waiting = make_application(round_, make_provider(name="Bostedet Epsilon"),
                               status=ApplicationStatus.IN_REVIEW)
    assessed = make_application(round_, make_provider(name="Bostedet Zeta"),
                                status=ApplicationStatus.IN_REVIEW)
    db.session.add_all([
        Review(application_id=waiting.id, reviewer_id=karin.id,
               assigned_at=aware(2026, 11, 30, 9)),
        Review(application_id=assessed.id, reviewer_id=karin.id,
               submitted_at=aware(2026, 12, 1, 9)),
        Review(application_id=assessed.id, reviewer_id=ole.id),
    ])
    db.session.commit()
    return dict(karin=karin, ole=ole, manager=manager, alfa=alfa, beta=beta,
                waiting=waiting.reference, assessed=assessed.reference)


def section(text: str, heading: str, next_heading: str | None) -> str:
    start = text.index(heading)
    return text[start:text.index(next_heading, start)] if next_heading else text[start:]


def test_the_consultant_sees_exactly_their_own_figures(client, login, world):
    login(client, world["karin"])
    text = text_of(client.get(URL))

    forloeb = section(text, "Mine forløb", "Mine opgaver")
    assert "2 aktive forløb, hvor du er konsulent" in forloeb
    # Alfa first (next deadline 25 November, 3 open tasks), then Beta (15 December, 1).
    assert ("Bostedet Alfa Opstart Leder af forløbet 25. november 2026 Overskredet 3 "
            "1. maj 2027") in forloeb
    assert "Bostedet Beta Analyse Anden konsulent 15. december 2026 1" in forloeb
    assert "Gamma" not in forloeb and "Delta" not in forloeb

    tasks = section(text, "Mine opgaver", "Mine møder i denne uge")
    assert ("25. november 2026 Overskredet Overskredet opgave Bostedet Alfa Ikke startet "
            "9. december 2026 Opgave i næste uge Bostedet Alfa I gang") in tasks
    for absent in ("Gennemført opgave", "Tilbuddets opgave", "Oles opgave", "afsluttet forløb"):
        assert absent not in tasks

    meetings = section(text, "Mine møder i denne uge", "Ansøgninger, der venter")
    assert "Uge fra 30. november 2026 til 6. december 2026" in meetings
    assert "30. november 2026 kl. 00.30 : Opstartsmøde med Bostedet Beta" in meetings
    assert "3. december 2026 kl. 09.00 : " in meetings
    assert meetings.count("Bostedet") == 2

    reviews = section(text, "Ansøgninger, der venter på din vurdering", None)
    assert f"{world['waiting']} fra Bostedet Epsilon – tildelt 30. november 2026" in reviews
    assert world["assessed"] not in reviews


def test_another_consultant_does_not_see_karins_work(client, login, world):
    login(client, world["ole"])
    text = text_of(client.get(URL))
    assert "Bostedet Alfa" not in text
    assert "Oles opgave" in text
    assert f"{world['assessed']} fra Bostedet Zeta" in text  # Ole's own review still waits
    assert world["waiting"] not in text


def test_one_forloeb_is_singular(client, login, world):
    """"1 aktivt forløb", not "1 aktive forløb" (Babel's ngettext)."""
    from sqlalchemy import select

    from indsatsteam.models import Engagement, Provider

    gamma = db.session.execute(select(Engagement).join(Provider)
                               .where(Provider.name == "Bostedet Gamma")).scalar_one()
    gamma.phase = "completed"
    db.session.commit()
    login(client, world["ole"])
    assert "1 aktivt forløb, hvor du er konsulent" in text_of(client.get(URL))


def test_a_manager_sees_their_own_empty_overview(client, login, world):
    login(client, world["manager"])
    text = text_of(client.get(URL))
    assert "Du er ikke konsulent på nogen aktive forløb." in text
    assert "Du har ingen åbne opgaver." in text
    assert "Ingen ansøgninger venter på din vurdering." in text


def test_applicants_and_admins_are_refused(client, login, make_user):
    login(client, make_user(Role.ADMIN))
    assert client.get(URL).status_code == 403
    assert client.get("/log-ud").status_code in (302, 405)


def test_statements_do_not_grow_with_the_data(client, login, world, make_provider,
                                               make_application, make_round):
    login(client, world["karin"])
    before = count_statements(client, URL)
    round_ = make_round()
    for n in range(10):
        db.session.add(Task(engagement_id=world["alfa"].id, phase="startup", title=f"Ekstra {n}",
                            due_date=date(2026, 12, 10 + n), owner_type="consultant",
                            owner_user_id=world["karin"].id))
        application = make_application(round_, make_provider(), status=ApplicationStatus.SUBMITTED)
        db.session.add(Review(application=application, reviewer_id=world["karin"].id))
    db.session.commit()
    assert count_statements(client, URL) == before
    assert before <= 15
