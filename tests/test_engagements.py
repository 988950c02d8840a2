"""The staff side of an engagement: plan, gates, phase moves, meetings, analysis, tasks."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
from sqlalchemy import select

from indsatsteam import clock
from indsatsteam.domain.planning import is_working_day
from indsatsteam.extensions import db
from indsatsteam.models import (
    Engagement,
    EngagementRecommendation,
    Meeting,
    Recommendation,
    Role,
    Task,
)

from helpers import (
    EXPECTATIONS_FORM,
    add_indicators,
    aware,
    count_statements,
    field_error,
    first_themes,
    text_of,
)


@pytest.fixture
def setup(make_user, make_provider, make_round, make_engagement):
    clock.freeze(aware(2027, 1, 10, 9, 0))
    provider = make_provider(kind="sel108")
    round_ = make_round(opens_at=aware(2026, 10, 1, 6, 0), closes_at=aware(2026, 12, 1, 11, 0))
    lead = make_user(Role.CONSULTANT, name="Lea Lead")
    second = make_user(Role.CONSULTANT, name="Sam Second")
    other = make_user(Role.CONSULTANT, name="Otto Other")
    manager = make_user(Role.MANAGER, name="Mona Manager")
    applicant = make_user(Role.APPLICANT, provider=provider)
    themes = first_themes(2)
    engagement = make_engagement(provider=provider, round_=round_, lead=lead, second=second,
                                 manager=manager, planned_start=date(2027, 2, 1), months=10,
                                 themes=themes)
    return dict(engagement=engagement, lead=lead, second=second, other=other, manager=manager,
                applicant=applicant, themes=themes, provider=provider)


def test_creation_builds_phase_plan_and_tasks_on_working_days(setup):
    engagement = setup["engagement"]
    plans = engagement.phase_plans
    assert [p.phase for p in plans] == ["startup", "analysis", "development"]
    assert plans[0].planned_start == date(2027, 2, 1)
    assert plans[-1].planned_end == date(2027, 11, 30)
    assert all(a.planned_end + timedelta(days=1) == b.planned_start
               for a, b in zip(plans, plans[1:], strict=False))
    assert engagement.planned_end == date(2027, 11, 30)
    assert engagement.tasks and all(is_working_day(t.due_date) for t in engagement.tasks)
    assert {t.owner_type for t in engagement.tasks} == {"consultant", "provider"}
    assert engagement.catalogue.code == "botilbud"
    assert engagement.transitions[0].to_phase == "startup"


def test_replan_moves_open_template_tasks_only(app, client, post, login, setup):
    engagement = setup["engagement"]
    done, manual, *_ = engagement.tasks
    done.status = "done"
    manual.due_date, manual.offset_days = date(2027, 3, 3), None
    db.session.commit()
    before = {t.id: t.due_date for t in engagement.tasks}
    login(client, setup["lead"])
    response = post(client, f"/forloeb/{engagement.id}/plan",
                    {"planned_start": "2027-03-01", "duration_months": "6"})
    assert response.status_code == 302, text_of(response)
    db.session.refresh(engagement)
    assert engagement.planned_end == date(2027, 8, 31)
    after = {t.id: t.due_date for t in engagement.tasks}
    assert after[done.id] == before[done.id] and after[manual.id] == date(2027, 3, 3)
    moved = [t for t in engagement.tasks if t.id not in (done.id, manual.id)]
    assert all(after[t.id] != before[t.id] for t in moved)


def _move(client, post, engagement, target, comment=""):
    return post(client, f"/forloeb/{engagement.id}/fase", {"target": target, "comment": comment})


def test_startup_gates_are_explained_and_enforced(client, post, login, setup):
    engagement = setup["engagement"]
    login(client, setup["lead"])
    response = _move(client, post, engagement, "analysis")
    page = text_of(client.get(response.headers["Location"]))
    assert "opstartsmøde" in page and "Samarbejdsaftalen er ikke aftalt" in page
    db.session.refresh(engagement)
    assert engagement.phase == "startup"

    assert post(client, f"/forloeb/{engagement.id}/moeder/nyt", {
        "meeting_type": "kickoff", "starts_at": "2027-01-08T10:00", "location": "Tilbuddet",
        "participants": "Leder, 3 medarbejdere", "minutes": "Forventninger afstemt",
        "held": "y"}).status_code == 302
    add_indicators(engagement)
    assert post(client, f"/forloeb/{engagement.id}/samarbejdsaftale", {
        **EXPECTATIONS_FORM, "agreed": "y"}).status_code == 302
    response = _move(client, post, engagement, "analysis", "Klar til analyse")
    db.session.refresh(engagement)
    assert engagement.phase == "analysis"
    transition = engagement.transitions[0]
    assert (transition.from_phase, transition.to_phase, transition.comment) == (
        "startup", "analysis", "Klar til analyse")
    assert transition.actor_id == setup["lead"].id
    plans = {p.phase: p for p in engagement.phase_plans}
    assert plans["startup"].actual_end == date(2027, 1, 10)
    assert plans["analysis"].actual_start == date(2027, 1, 10)


def test_meeting_cannot_be_held_in_the_future(client, post, login, setup):
    login(client, setup["lead"])
    response = post(client, f"/forloeb/{setup['engagement'].id}/moeder/nyt", {
        "meeting_type": "kickoff", "starts_at": "2027-02-08T10:00", "held": "y"})
    assert response.status_code == 400
    assert "først markeres som afholdt" in text_of(response)
    assert db.session.execute(select(Meeting)).first() is None


@pytest.mark.parametrize(("starts_at", "message"), [
    ("2027-03-28T02:30", "Klokken 02.30 findes ikke den 28. marts 2027, fordi uret stilles frem "
                         "fra 02.00 til 03.00 (sommertid). Tidspunktet ville blive til kl. 03.30."),
    ("2027-10-31T02:15", "Klokken 02.15 forekommer to gange den 31. oktober 2027"),
])
def test_a_meeting_time_the_dst_change_skips_or_repeats_is_refused(client, post, login, setup,
                                                                   starts_at, message):
    login(client, setup["lead"])
    page = client.get(f"/forloeb/{setup['engagement'].id}/moeder/nyt").get_data(as_text=True)
    assert 'type="datetime-local"' in page  # still the native picker
    response = post(client, f"/forloeb/{setup['engagement'].id}/moeder/nyt", {
        "meeting_type": "kickoff", "starts_at": starts_at, "location": "Tilbuddet"})
    assert response.status_code == 400
    assert message in field_error(response, "starts_at")
    assert db.session.execute(select(Meeting)).first() is None


def _into_analysis(engagement):
    engagement.phase = "analysis"
    db.session.commit()


def test_analysis_gates_need_findings_for_every_theme_and_a_choice(client, post, login, setup):
    engagement, themes = setup["engagement"], setup["themes"]
    _into_analysis(engagement)
    login(client, setup["lead"])
    post(client, f"/forloeb/{engagement.id}/analyse", {
        f"strengths_{themes[0].id}": "Stærk ledelse", f"areas_{themes[0].id}": "Dokumentation"})
    response = _move(client, post, engagement, "development")
    page = text_of(client.get(response.headers["Location"]))
    assert f"Analysen mangler styrker og udviklingsområder for: {themes[1].name}" in page
    assert "ikke valgt nogen anbefalinger" in page

    post(client, f"/forloeb/{engagement.id}/analyse", {
        f"strengths_{themes[0].id}": "Stærk ledelse", f"areas_{themes[0].id}": "Dokumentation",
        f"strengths_{themes[1].id}": "Godt samarbejde", f"areas_{themes[1].id}": "Overgange"})
    recommendation = db.session.execute(
        select(Recommendation).where(Recommendation.catalogue_id == engagement.catalogue_id)
    ).scalars().first()
    db.session.add(EngagementRecommendation(engagement=engagement, recommendation=recommendation,
                                            chosen_at=clock.now()))
    db.session.commit()
    _move(client, post, engagement, "development")
    db.session.refresh(engagement)
    assert engagement.phase == "development"


def test_completion_needs_final_evaluation(client, post, login, setup):
    engagement = setup["engagement"]
    engagement.phase = "development"
    db.session.commit()
    login(client, setup["lead"])
    _move(client, post, engagement, "completed")
    db.session.refresh(engagement)
    assert engagement.phase == "development"
    assert post(client, f"/forloeb/{engagement.id}/evaluering", {
        "summary": "Godt forløb", "achievements": "Fælles tilgang", "next_steps": "Fortsæt",
        "complete": "y"}).status_code == 302
    # The plan's other tasks are still open: closed as not relevant on confirmation.
    post(client, f"/forloeb/{engagement.id}/fase",
         {"target": "completed", "comment": "Afsluttet", "close_open_tasks": "y"})
    db.session.refresh(engagement)
    assert engagement.phase == "completed" and engagement.actual_end == date(2027, 1, 10)


def test_pause_resume_cancel_and_reopen_by_manager_only(client, post, login, setup):
    engagement = setup["engagement"]
    login(client, setup["lead"])
    _move(client, post, engagement, "paused")  # no reason: refused
    db.session.refresh(engagement)
    assert engagement.phase == "startup"
    _move(client, post, engagement, "paused", "Leder på orlov")
    db.session.refresh(engagement)
    assert (engagement.phase, engagement.resume_phase) == ("paused", "startup")
    _move(client, post, engagement, "startup", "Tilbage")
    db.session.refresh(engagement)
    assert (engagement.phase, engagement.resume_phase) == ("startup", None)
    _move(client, post, engagement, "cancelled", "Tilbuddet lukker")
    db.session.refresh(engagement)
    assert engagement.phase == "cancelled"
    _move(client, post, engagement, "startup", "Genåbn")  # consultant may not reopen
    db.session.refresh(engagement)
    assert engagement.phase == "cancelled"

    manager_client = client.application.test_client()
    login(manager_client, setup["manager"])
    _move(manager_client, post, engagement, "startup", "Tilbuddet fortsætter alligevel")
    db.session.refresh(engagement)
    assert engagement.phase == "startup"


def test_engagement_page_shows_plan_tasks_and_timeline(client, login, setup):
    engagement = setup["engagement"]
    task = engagement.tasks[0]
    task.due_date = date(2027, 1, 5)
    db.session.commit()
    login(client, setup["second"])
    page = text_of(client.get(f"/forloeb/{engagement.id}"))
    for expected in (setup["provider"].name, "Lea Lead", "Sam Second", "1. februar 2027",
                     "30. november 2027", "Overskredet", task.title,
                     "Forløbet startede i fasen Opstart"):
        assert expected in page


def test_task_edit_and_status_and_notes(client, post, login, setup):
    engagement = setup["engagement"]
    login(client, setup["lead"])
    response = post(client, f"/forloeb/{engagement.id}/opgaver/ny", {
        "title": "Besøg på tilbuddet", "description": "", "phase": "startup",
        "owner_type": "consultant", "owner_user_id": str(setup["other"].id),
        "due_date": "2027-02-10", "status": "not_started"})
    assert response.status_code == 400
    assert "Vælg en af mulighederne på listen" in text_of(response)
    response = post(client, f"/forloeb/{engagement.id}/opgaver/ny", {
        "title": "Besøg på tilbuddet", "phase": "startup", "owner_type": "consultant",
        "owner_user_id": str(setup["second"].id), "due_date": "2027-02-10",
        "status": "not_started"})
    assert response.status_code == 302
    task = db.session.execute(select(Task).where(Task.title == "Besøg på tilbuddet")).scalar_one()
    post(client, f"/forloeb/{engagement.id}/opgaver/{task.id}/status", {"status": "done"})
    db.session.refresh(task)
    assert task.status == "done" and task.completed_by_id == setup["lead"].id
    post(client, f"/forloeb/{engagement.id}/noter", {"body": "Ring til lederen"})
    page = text_of(client.get(f"/forloeb/{engagement.id}"))
    assert "Ring til lederen" in page and "Opgave gennemført: Besøg på tilbuddet" in page


@pytest.mark.parametrize("who, expected", [
    ("anonymous", 302), ("applicant", 403), ("lead", 200), ("second", 200), ("other", 404),
    ("manager", 200),
])
def test_engagement_page_access(app, client, login, make_user, setup, who, expected):
    if who != "anonymous":
        login(client, setup[who])
    response = client.get(f"/forloeb/{setup['engagement'].id}")
    assert response.status_code == expected
    if expected == 302:
        assert "/log-ind" in response.headers["Location"]


def test_other_consultant_cannot_post(client, post, login, setup):
    engagement = setup["engagement"]
    login(client, setup["other"])
    assert post(client, f"/forloeb/{engagement.id}/noter", {"body": "x"}).status_code == 404
    assert _move(client, post, engagement, "paused", "x").status_code == 404
    db.session.refresh(engagement)
    assert engagement.phase == "startup" and not engagement.notes


def test_engagement_page_statement_count_does_not_grow(client, login, setup):
    engagement = setup["engagement"]
    login(client, setup["manager"])

    def add_rows(n):
        for i in range(n):
            db.session.add(Task(engagement=engagement, phase="startup", title=f"Opgave {i}",
                                owner_type="provider", due_date=date(2027, 2, 1),
                                status="done" if i % 2 else "not_started",
                                completed_at=clock.now() if i % 2 else None,
                                completed_by_id=setup["lead"].id if i % 2 else None))
            db.session.add(Meeting(engagement=engagement, meeting_type="follow_up",
                                   starts_at=clock.now(), held=True))
        db.session.commit()

    add_rows(5)
    few = count_statements(client, f"/forloeb/{engagement.id}")
    add_rows(45)
    many = count_statements(client, f"/forloeb/{engagement.id}")
    assert few == many
    db.session.expire_all()
    assert db.session.get(Engagement, engagement.id) is not None


# --- the page: in-page navigation, the current phase's work first -----------------------------

def _section_ids(response) -> list[str]:
    html = response.get_data(as_text=True)
    main = html[html.index('<main'):html.index('</main>')]
    return re.findall(r'<h2 id="([a-z-]+)"', main)


def _nav_ids(response) -> list[str]:
    html = response.get_data(as_text=True)
    nav = re.search(r'<nav aria-label="Afsnit på siden" class="section-nav">(.*?)</nav>', html,
                    re.S)
    assert nav, "the page has its side navigation"
    return re.findall(r'href="#([a-z]+)"', nav.group(1))


@pytest.mark.parametrize(("phase", "first"), [
    ("startup", ["fase", "opstart", "effekt", "moeder", "opgaver"]),
    ("analysis", ["fase", "analyse", "anbefalinger", "metoder", "opgaver", "moeder"]),
    ("development", ["fase", "udviklingsplan", "opgaver", "anbefalinger", "metoder",
                     "effekt", "udvikling", "moeder"]),
    ("completed", ["effekt"]),
])
def test_the_staff_page_puts_the_current_phases_work_first(client, login, setup, phase, first):
    engagement = setup["engagement"]
    engagement.phase = phase
    db.session.commit()
    login(client, setup["lead"])
    response = client.get(f"/forloeb/{engagement.id}")
    ids = _section_ids(response)
    assert ids[:len(first)] == first
    assert sorted(ids) == sorted(["plan", "fase", "opstart", "moeder", "analyse", "anbefalinger",
                                  "udviklingsplan", "metoder", "opgaver", "effekt", "udvikling",
                                  "filer", "dokumenter", "noter", "tidslinje"])
    assert _nav_ids(response) == ids  # the navigation follows the page
    # The current phase's tasks come first in the task list too.
    tasks = response.get_data(as_text=True).split('<h2 id="opgaver">')[1]
    first_caption = re.search(r"<caption>([^<]+)</caption>", tasks).group(1)
    assert first_caption == {"startup": "Opstart", "analysis": "Analyse",
                             "development": "Udvikling", "completed": "Opstart"}[phase]
