"""Standard tasks that follow the gates, closing with open work, the real start date and
deadlines in the past (issue 12)."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

import pytest
from sqlalchemy import select

from indsatsteam import clock
from indsatsteam.domain.danish_time import DANISH_TZ
from indsatsteam.extensions import db
from indsatsteam.models import Notification, Recommendation, Role, Task, TaskTemplate
from indsatsteam.reminders.sweep import run_sweep

from helpers import EXPECTATIONS_FORM, add_indicators, aware, field_error, first_themes, text_of


@pytest.fixture
def setup(make_user, make_provider, make_round, make_engagement):
    clock.freeze(aware(2027, 1, 10, 9, 0))
    provider = make_provider(kind="sel108")
    round_ = make_round(opens_at=aware(2026, 10, 1, 6, 0), closes_at=aware(2026, 12, 1, 11, 0))
    lead = make_user(Role.CONSULTANT, name="Lea Lead")
    manager = make_user(Role.MANAGER, name="Mona Manager")
    applicant = make_user(Role.APPLICANT, provider=provider)
    themes = first_themes(1)
    engagement = make_engagement(provider=provider, round_=round_, lead=lead, manager=manager,
                                 planned_start=date(2027, 2, 1), months=10, themes=themes)
    return dict(engagement=engagement, lead=lead, manager=manager, applicant=applicant,
                themes=themes)


def _task(engagement, gate_key) -> Task:
    return next(t for t in engagement.tasks if t.gate_key == gate_key)


def _agreement(client, post, engagement, agreed: bool):
    data = dict(EXPECTATIONS_FORM)
    if agreed:
        data["agreed"] = "y"
        if not engagement.indicators:
            add_indicators(engagement)
    return post(client, f"/forloeb/{engagement.id}/samarbejdsaftale", data)


def test_task_templates_are_linked_to_gates_by_key_not_title(setup):
    keys = set(db.session.execute(select(TaskTemplate.gate_key)).scalars()) - {None}
    assert keys == {"kickoff_held", "agreement_agreed", "analysis_recorded",
                    "recommendations_chosen", "baseline_assessed", "final_assessed",
                    "final_evaluation_done"}
    # The engagement's standard tasks carry the key of their template.
    assert {t.gate_key for t in setup["engagement"].tasks} - {None} == keys


def test_agreed_agreement_completes_its_task_as_system_and_undoing_reopens_it(
        client, post, login, setup):
    engagement = setup["engagement"]
    login(client, setup["lead"])
    assert _agreement(client, post, engagement, agreed=True).status_code == 302
    task = _task(engagement, "agreement_agreed")
    db.session.refresh(task)
    assert task.status == "done" and task.completed_by_id is None
    assert task.completed_at == clock.now()
    page = text_of(client.get(f"/forloeb/{engagement.id}"))
    assert f"Opgave gennemført: {task.title} · System" in page
    assert "Gennemført af systemet, fordi samarbejdsaftalen er aftalt." in page

    assert _agreement(client, post, engagement, agreed=False).status_code == 302
    db.session.refresh(task)
    assert task.status == "not_started" and task.completed_at is None


def test_held_kickoff_completes_its_task_and_moves_the_actual_start(client, post, login, setup):
    engagement = setup["engagement"]
    startup = engagement.phase_plans[0]
    # The forløb starts on its planned start, not on the day it was approved.
    assert startup.actual_start == date(2027, 2, 1) != clock.today()
    login(client, setup["lead"])
    response = post(client, f"/forloeb/{engagement.id}/moeder/nyt", {
        "meeting_type": "kickoff", "starts_at": "2027-01-08T10:00", "held": "y"})
    assert response.status_code == 302
    db.session.refresh(startup)
    assert startup.actual_start == date(2027, 1, 8)
    assert _task(engagement, "kickoff_held").status == "done"


@pytest.mark.parametrize("agreed", [True, False])
def test_no_reminder_for_the_task_of_a_met_gate(client, post, login, setup, agreed):
    engagement = setup["engagement"]
    task = _task(engagement, "agreement_agreed")
    login(client, setup["lead"])
    _agreement(client, post, engagement, agreed=agreed)
    # The first day the task would be overdue, just after 8 Danish time.
    day_after = task.due_date + timedelta(days=1)
    clock.freeze(datetime.combine(day_after, time(8, 5), tzinfo=DANISH_TZ).astimezone(UTC))
    run_sweep(clock.now())
    overdue = list(db.session.execute(select(Notification.subject).where(
        Notification.subject == f"Overskredet frist: {task.title}")).scalars())
    assert len(overdue) == (0 if agreed else 1)


def test_choosing_and_assessing_complete_the_tilbud_tasks(client, post, login, setup):
    engagement = setup["engagement"]
    engagement.phase = "analysis"
    recommendation = db.session.execute(select(Recommendation).where(
        Recommendation.catalogue_id == engagement.catalogue_id)).scalars().first()
    db.session.commit()
    login(client, setup["applicant"])
    assert post(client, f"/vores-forloeb/{engagement.id}/anbefalinger",
                {"recommendation_ids": [str(recommendation.id)]}).status_code == 302
    assert _task(engagement, "recommendations_chosen").status == "done"
    assert _task(engagement, "baseline_assessed").status == "not_started"
    row = engagement.recommendations[0]
    assert post(client, f"/vores-forloeb/{engagement.id}/selvevaluering",
                {f"score_{row.id}": "2"}).status_code == 302
    assert _task(engagement, "baseline_assessed").status == "done"


# --- closing with open work ---------------------------------------------------------------------

def _complete_ready(client, post, engagement):
    engagement.phase = "development"
    db.session.commit()
    assert post(client, f"/forloeb/{engagement.id}/evaluering", {
        "summary": "Godt forløb", "achievements": "Fælles tilgang", "complete": "y"},
    ).status_code == 302


def test_completing_with_open_tasks_lists_them_and_asks(client, post, login, setup):
    engagement = setup["engagement"]
    login(client, setup["lead"])
    _complete_ready(client, post, engagement)
    open_titles = [t.title for t in engagement.tasks if t.status in ("not_started", "in_progress")]
    assert open_titles
    response = post(client, f"/forloeb/{engagement.id}/fase",
                    {"target": "completed", "comment": "Slut"})
    assert response.status_code == 200
    page = text_of(response)
    assert "Afslut forløbet med åbne opgaver?" in page
    assert all(title in page for title in open_titles)
    assert "Luk opgaverne som ikke relevante og afslut forløbet" in page
    db.session.refresh(engagement)
    assert engagement.phase == "development"  # nothing changed yet

    response = post(client, f"/forloeb/{engagement.id}/fase",
                    {"target": "completed", "comment": "Slut", "close_open_tasks": "y"})
    assert response.status_code == 302
    db.session.refresh(engagement)
    assert engagement.phase == "completed"
    statuses = {t.title: t.status for t in engagement.tasks}
    assert all(statuses[title] == "not_relevant" for title in open_titles)
    assert "Lukket som ikke relevant: " in engagement.transitions[0].comment
    page = text_of(client.get(f"/forloeb/{engagement.id}"))
    assert "Ikke relevant" in page


def test_completing_without_open_tasks_needs_no_confirmation(client, post, login, setup):
    engagement = setup["engagement"]
    login(client, setup["lead"])
    _complete_ready(client, post, engagement)
    for task in engagement.tasks:
        task.status = "done" if task.status != "done" else task.status
    db.session.commit()
    response = post(client, f"/forloeb/{engagement.id}/fase", {"target": "completed"})
    assert response.status_code == 302
    db.session.refresh(engagement)
    assert engagement.phase == "completed"


# --- dates in the past --------------------------------------------------------------------------

def test_new_task_refuses_a_deadline_in_the_past(client, post, login, setup):
    engagement = setup["engagement"]
    login(client, setup["lead"])
    data = {"title": "Besøg", "phase": "startup", "owner_type": "consultant",
            "owner_user_id": str(setup["lead"].id), "status": "not_started",
            "due_date": "2024-01-05"}
    response = post(client, f"/forloeb/{engagement.id}/opgaver/ny", data)
    assert response.status_code == 400
    assert "Vælg 10. januar 2027 eller senere" in field_error(response, "due_date")
    assert db.session.execute(select(Task).where(Task.title == "Besøg")).first() is None
    data["due_date"] = "2027-01-10"  # today is allowed
    assert post(client, f"/forloeb/{engagement.id}/opgaver/ny", data).status_code == 302


def test_editing_a_task_keeps_its_passed_deadline(client, post, login, setup):
    engagement = setup["engagement"]
    task = engagement.tasks[0]
    task.due_date = date(2027, 1, 4)
    db.session.commit()
    login(client, setup["lead"])
    response = post(client, f"/forloeb/{engagement.id}/opgaver/{task.id}", {
        "title": "Ny titel", "phase": "startup", "owner_type": "consultant",
        "owner_user_id": str(setup["lead"].id), "status": "in_progress",
        "due_date": "2027-01-04"})
    assert response.status_code == 302
    db.session.refresh(task)
    assert task.title == "Ny titel" and task.due_date == date(2027, 1, 4)


@pytest.mark.parametrize("first_only_strengths", [True, False])
def test_recorded_analysis_completes_the_workshop_task(client, post, login, setup,
                                                       first_only_strengths):
    engagement, theme = setup["engagement"], setup["themes"][0]
    engagement.phase = "analysis"
    db.session.commit()
    login(client, setup["lead"])
    task = _task(engagement, "analysis_recorded")
    if first_only_strengths:
        post(client, f"/forloeb/{engagement.id}/analyse", {f"strengths_{theme.id}": "Ledelse"})
        db.session.refresh(task)
        assert task.status == "not_started"  # only strengths: the gate is not met
    # Recorded in one go too (new findings have no theme_id before the flush).
    post(client, f"/forloeb/{engagement.id}/analyse", {
        f"strengths_{theme.id}": "Ledelse", f"areas_{theme.id}": "Dokumentation"})
    db.session.refresh(task)
    assert task.status == "done" and task.completed_by_id is None


def test_the_sweep_completes_a_gate_task_whose_fact_was_recorded_elsewhere(setup):
    """Older data (or an import) agreed the agreement without the services: the sweep brings
    the task in step first, so no reminder goes out for it."""
    from indsatsteam.models import CollaborationAgreement
    from indsatsteam.reminders.sweep import preview

    engagement = setup["engagement"]
    task = _task(engagement, "agreement_agreed")
    db.session.add(CollaborationAgreement(engagement=engagement, goals="Mål", participants="Alle",
                                          meeting_cadence="Hver uge", agreed_at=clock.now()))
    db.session.commit()
    assert task.status == "not_started"
    day_after = task.due_date + timedelta(days=1)
    clock.freeze(datetime.combine(day_after, time(8, 5), tzinfo=DANISH_TZ).astimezone(UTC))
    assert not [d for d in preview() if d.object_key == f"task:{task.id}"]
    db.session.refresh(task)
    assert task.status == "not_started"  # a preview changes nothing

    run_sweep(clock.now())
    db.session.refresh(task)
    assert task.status == "done" and task.completed_by_id is None
    assert not db.session.execute(select(Notification).where(
        Notification.subject == f"Overskredet frist: {task.title}")).first()


def test_moving_the_start_into_the_past_is_refused(client, post, login, setup):
    engagement = setup["engagement"]
    login(client, setup["lead"])
    response = post(client, f"/forloeb/{engagement.id}/plan",
                    {"planned_start": "2026-06-01", "duration_months": "10"})
    assert response.status_code == 400
    assert field_error(response, "planned_start") == (
        "Den planlagte start kan ikke ligge før i dag. Vælg 10. januar 2027 eller senere")
    db.session.refresh(engagement)
    assert engagement.planned_start == date(2027, 2, 1)
    # The start it has may stay, also once it has passed (only the duration changes).
    clock.freeze(aware(2027, 3, 1, 9, 0))
    response = post(client, f"/forloeb/{engagement.id}/plan",
                    {"planned_start": "2027-02-01", "duration_months": "8"})
    assert response.status_code == 302
