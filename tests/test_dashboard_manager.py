"""Lederoverblik: caseload per consultant and the application pipeline per round, checked
against a small hand-made data set whose right answers are written out below."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
from sqlalchemy import delete, select

from indsatsteam import clock
from indsatsteam.domain.applications import ApplicationStatus
from indsatsteam.engagements.planning import create_engagement
from indsatsteam.extensions import db
from indsatsteam.models import Meeting, Role, Task, Theme

from helpers import aware, count_statements, text_of

URL = "/leder/overblik"
NOW = aware(2026, 12, 2, 10, 0)  # Wednesday 2 December 2026, 11.00 Danish time


@pytest.fixture
def world(make_user, make_provider, make_round, make_application):
    clock.freeze(NOW)
    karin = make_user(Role.CONSULTANT, name="Karin Konsulent")
    karin.capacity = 1
    ole = make_user(Role.CONSULTANT, name="Ole Olsen")
    manager = make_user(Role.MANAGER, name="Mona Manager")
    round_ = make_round(name="Efterårsrunden 2026", programmes_offered=3)
    theme = db.session.execute(select(Theme)).scalars().first()

    def engagement(lead, second=None, phase="startup", start=date(2026, 11, 2), months=6):
        application = make_application(round_, make_provider(),
                                       status=ApplicationStatus.APPROVED)
        e = create_engagement(application, lead_consultant_id=lead.id,
                              second_consultant_id=second.id if second else None,
                              planned_start=start, duration_months=months,
                              theme_ids=[theme.id], actor=manager)
        e.phase = phase
        db.session.flush()
        db.session.execute(delete(Task).where(Task.engagement_id == e.id))
        return e

    e1 = engagement(karin, start=date(2026, 11, 2), months=4)       # ends 1 March 2027
    e2 = engagement(karin, ole, phase="analysis", months=6)         # ends 1 May 2027
    engagement(ole, phase="paused", months=8)                       # ends 1 July 2027
    e4 = engagement(karin, phase="completed")

    def task(e, due, owner, status="not_started"):
        db.session.add(Task(engagement_id=e.id, phase="startup", title="Opgave", due_date=due,
                            owner_type="consultant", owner_user_id=owner.id, status=status))

    task(e1, date(2026, 11, 30), karin)                       # overdue
    task(e1, date(2026, 12, 2), karin, status="in_progress")  # due today: open, not overdue
    task(e1, date(2026, 11, 1), karin, status="done")
    task(e4, date(2026, 11, 1), karin)                        # completed forløb: not counted

    db.session.add_all([
        Meeting(engagement_id=e2.id, meeting_type="follow_up",
                starts_at=NOW + timedelta(days=3)),
        Meeting(engagement_id=e1.id, meeting_type="follow_up",
                starts_at=NOW + timedelta(days=20)),
    ])
    make_application(round_, make_provider(), status=ApplicationStatus.DRAFT)
    make_application(round_, make_provider(), status=ApplicationStatus.SUBMITTED) \
        .submitted_at = NOW - timedelta(days=5)
    make_application(round_, make_provider(), status=ApplicationStatus.IN_REVIEW) \
        .submitted_at = NOW - timedelta(days=10, hours=2)
    make_application(round_, make_provider(), status=ApplicationStatus.REJECTED)
    make_round(name="Forårsrunden 2027", programmes_offered=10)
    db.session.commit()
    return dict(manager=manager, karin=karin, ole=ole)


def test_caseload_per_consultant(client, login, world):
    login(client, world["manager"])
    text = text_of(client.get(URL))
    # name, total / capacity, lead, second, startup, analysis, development, paused,
    # open tasks, overdue, meetings in 14 days, first planned end
    assert ("Karin Konsulent 2 / 1 Over kapacitet 2 0 1 1 0 0 2 1 1 1. marts 2027") in text
    assert "Ole Olsen 2 / 6 1 1 0 1 0 1 0 0 1 1. maj 2027" in text
    assert text.index("Karin Konsulent 2 / 1") < text.index("Ole Olsen 2 / 6")


def test_pipeline_per_round(client, login, world):
    login(client, world["manager"])
    text = text_of(client.get(URL))
    # programmes, draft, submitted, in review, approved, waitlisted, rejected, withdrawn,
    # undecided, longest wait
    assert "Efterårsrunden 2026" in text
    row = text[text.index("Efterårsrunden 2026"):]
    assert "12. december 2026 3 Flere godkendt end udbudt" in row
    counts = [int(n) for n in re.findall(r"(\d+) [a-zæøå ]+ i Efterårsrunden 2026", row)]
    assert counts == [1, 1, 1, 4, 0, 1, 0]
    assert "2 10 dage" in row
    spring = text[text.index("Forårsrunden 2027"):]
    assert "0 –" in spring


def test_only_managers(client, login, world, make_user):
    login(client, world["karin"])
    assert client.get(URL).status_code == 403
    admin_client = client.application.test_client()
    login(admin_client, make_user(Role.ADMIN))
    assert admin_client.get(URL).status_code == 403


def test_statements_do_not_grow_with_the_data(client, login, world, make_user, make_round,
                                               make_provider, make_application):
    login(client, world["manager"])
    before = count_statements(client, URL)
    for _ in range(5):
        make_user(Role.CONSULTANT)
        round_ = make_round()
        make_application(round_, make_provider(), status=ApplicationStatus.SUBMITTED)
    db.session.commit()
    assert count_statements(client, URL) == before
    assert before <= 15


def test_deadlines_overdue_first_and_only_the_next_14_days(client, login, world):
    engagement_id = db.session.execute(select(Task.engagement_id)).scalars().first()
    for due in (date(2026, 12, 16), date(2026, 12, 17)):  # the last day inside, the first out
        db.session.add(Task(engagement_id=engagement_id, phase="startup", title=f"Senere {due}",
                            due_date=due, owner_type="provider"))
    db.session.commit()
    login(client, world["manager"])
    text = text_of(client.get(URL))
    section = text[text.index("Frister"):text.index("Ansøgninger pr. runde")]
    # Open tasks of active forløb: 30 November (overdue) and 2 December (today); the done
    # task and the completed forløb's task do not count.
    assert "1 overskredne opgaver og 2 opgaver med frist de næste 14 dage" in section
    assert "Senere 2026-12-16" in section and "Senere 2026-12-17" not in section
    assert "Tilbuddet" in section
    assert section.index("30. november 2026 Overskredet Opgave") \
        < section.index("2. december 2026 Opgave")
    assert "Karin Konsulent" in section


def test_phase_funnel_now_and_days_per_phase_of_completed_forloeb(client, login, world):
    from indsatsteam.models import Engagement, PhasePlan

    completed = db.session.execute(
        select(Engagement).where(Engagement.phase == "completed")).scalar_one()
    plans = {p.phase: p for p in db.session.execute(
        select(PhasePlan).where(PhasePlan.engagement_id == completed.id)).scalars()}
    plans["startup"].planned_start, plans["startup"].planned_end = (
        date(2026, 11, 2), date(2026, 11, 21))                       # 20 days planned
    plans["startup"].actual_start, plans["startup"].actual_end = (
        date(2026, 11, 2), date(2026, 11, 30))                       # 29 days taken
    plans["analysis"].planned_start, plans["analysis"].planned_end = (
        date(2026, 11, 22), date(2027, 1, 20))                       # 60 days planned
    plans["analysis"].actual_start, plans["analysis"].actual_end = (
        date(2026, 12, 1), date(2027, 1, 9))                         # 40 days taken
    db.session.commit()
    login(client, world["manager"])
    text = text_of(client.get(URL))
    section = text[text.index("Forløb pr. fase"):text.index("Frister")]
    assert "Opstart 1 forløb i fasen opstart 1 29,0 20,0" in section
    assert "Analyse 1 forløb i fasen analyse 1 40,0 60,0" in section
    assert "Udvikling 0 forløb i fasen udvikling – – –" in section
    assert "Afsluttet 1 forløb" in section and "Sat på pause 1 forløb" in section
    assert "Annulleret 0 forløb" in section


def test_distributions_of_submitted_applications(client, login, world):
    login(client, world["manager"])
    text = text_of(client.get(URL))
    assert text.count("Indsendte ansøgninger fordelt") == 1
    section = text[text.index("Indsendte ansøgninger fordelt"):]
    # 7 submitted (4 approved, submitted, in review, rejected; the draft does not count), all
    # from make_provider's defaults: botilbud § 108, kommune, Aarhus in Region Midtjylland,
    # each with the first two themes.
    assert "Type af tilbud Type af tilbud Ansøgninger" in section
    kind = section[section.index("Type af tilbud Type af tilbud"):]
    assert " 7 " in kind[:200]
    assert "Kommune Kommune Ansøgninger Aarhus 7" in section
    themes = section[section.index("Tema Tema Ansøgninger"):section.index("Type af tilbud")]
    assert [int(n) for n in re.findall(r" (\d+)", themes)] == [7, 7]
