"""Lederoverblik: caseload per consultant and the application pipeline per round, checked
against a small hand-made data set whose right answers are written out below."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
from sqlalchemy import select

from indsatsteam import clock
from indsatsteam.domain.applications import ApplicationStatus
from indsatsteam.extensions import db
from indsatsteam.models import Meeting, Role, Task

from helpers import aware, count_statements, text_of

URL = "/leder/overblik"


def sections(response) -> str:
    """The page's sections as a sighted user reads them: after the section links, without
    the screen-reader-only words on the links."""
    html = re.sub(r'<span class="sr-only">[^<]*</span>', "", response.get_data(as_text=True))
    text = text_of(type("R", (), {"get_data": lambda self, as_text: html})())
    return text[text.index("Resultater", text.index("Tallene er beregnet")) + len("Resultater"):]
NOW = aware(2026, 12, 2, 10, 0)  # Wednesday 2 December 2026, 11.00 Danish time


@pytest.fixture
def world(make_user, make_provider, make_round, make_application, make_engagement):
    clock.freeze(NOW)
    karin = make_user(Role.CONSULTANT, name="Karin Konsulent")
    karin.capacity = 1
    ole = make_user(Role.CONSULTANT, name="Ole Olsen")
    manager = make_user(Role.MANAGER, name="Mona Manager")
    round_ = make_round(name="Efterårsrunden 2026", programmes_offered=3)
    def engagement(lead, second=None, phase="startup", start=date(2026, 11, 2), months=6):
        return make_engagement(round_=round_, lead=lead, second=second, manager=manager,
                               phase=phase, planned_start=start, months=months,
                               template_tasks=False)

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
    text = sections(client.get(URL))
    # name, total / capacity, lead, second, startup, analysis, development, paused,
    # open tasks, overdue, meetings in 14 days, first planned end
    assert ("Karin Konsulent 2 / 1 Over kapacitet 2 0 1 1 0 0 2 1 1 1. marts 2027") in text
    assert "Ole Olsen 2 / 6 1 1 0 1 0 1 0 0 1 1. maj 2027" in text
    assert text.index("Karin Konsulent 2 / 1") < text.index("Ole Olsen 2 / 6")


def test_pipeline_per_round(client, login, world):
    login(client, world["manager"])
    text = sections(client.get(URL))
    # programmes, draft, submitted, in review, approved, waitlisted, rejected, withdrawn,
    # undecided, longest wait
    assert "Efterårsrunden 2026" in text
    row = text[text.index("Efterårsrunden 2026"):]
    assert "12. december 2026 3 Flere godkendt end udbudt" in row
    assert "Flere godkendt end udbudt 1 1 1 4 0 1 0 2 10 dage" in row
    spring = text[text.index("Forårsrunden 2027"):]
    assert "10 0 0 0 0 0 0 0 0 –" in spring


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
    text = sections(client.get(URL))
    section = text[text.index("Frister"):text.index("Ansøgninger pr. runde")]
    # Open tasks of active forløb: 30 November (overdue) and 2 December (today); the done
    # task and the completed forløb's task do not count.
    assert "1 overskreden opgave og 2 opgaver med frist de næste 14 dage" in section
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
    text = sections(client.get(URL))
    section = text[text.index("Forløb pr. fase"):text.index("Frister")]
    assert "Opstart 1 1 29,0 20,0" in section
    assert "Analyse 1 1 40,0 60,0" in section
    assert "Udvikling 0 – – –" in section
    assert "Afsluttet 1 –" in section and "Sat på pause 1 –" in section
    assert "Annulleret 0 –" in section


def test_distributions_of_submitted_applications(client, login, world):
    login(client, world["manager"])
    text = sections(client.get(URL))
    assert text.count("Indsendte ansøgninger fordelt") == 1  # the section, not the link
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


def test_consultant_filter_narrows_every_section(client, login, world):
    login(client, world["manager"])
    text = sections(client.get(URL, query_string={"konsulent": world["ole"].id}))
    caseload = text[text.index("Belastning pr. konsulent"):text.index("Forløb pr. fase")]
    assert "Ole Olsen" in caseload and "Karin Konsulent" not in caseload
    # Ole: second on the analysis forløb, lead of the paused one.
    funnel = text[text.index("Forløb pr. fase"):text.index("Frister")]
    assert "Analyse 1 –" in funnel and "Sat på pause 1 –" in funnel
    assert "Opstart 0 –" in funnel and "Afsluttet 0 –" in funnel
    # Ole's forløb have no open tasks; Karin's do.
    assert "0 overskredne opgaver og 0 opgaver med frist" in text
    # Applications: those of Ole's two forløb (both approved), none reviewed by him.
    assert "Efterårsrunden 2026 12. december 2026 3 0 0 0 2 0 0 0 0 –" in text


def test_region_and_period_filters(client, login, world, make_provider, make_application):
    from indsatsteam.models import ApplicationRound

    round_ = db.session.execute(
        select(ApplicationRound).where(ApplicationRound.name == "Efterårsrunden 2026")
    ).scalar_one()
    nord = make_provider(municipality_code="851")  # Aalborg, Region Nordjylland
    make_application(round_, nord, status=ApplicationStatus.SUBMITTED).submitted_at = \
        NOW - timedelta(days=1)
    db.session.commit()
    login(client, world["manager"])
    text = sections(client.get(URL, query_string={"region": "Region Nordjylland"}))
    assert "Kommune Kommune Ansøgninger Aalborg 1" in text
    assert "Ole Olsen 0 / 6" in text  # no forløb in the region
    # Submitted on 1 December (Danish time): only the Nordjylland one; on 22 November only
    # the one in review (08.00 UTC); from 22 November on all but the draft.
    for period, expected in ((("2026-12-01", "2026-12-01"), 1), (("2026-11-22", "2026-11-22"), 1),
                             (("2026-11-22", "2026-12-02"), 8)):
        text = sections(client.get(URL, query_string={"fra": period[0], "til": period[1]}))
        themes = text[text.index("Tema Tema Ansøgninger"):text.index("Type af tilbud")]
        assert [int(n) for n in re.findall(r" (\d+)", themes)] == [expected, expected], period


def test_a_bad_date_is_shown_next_to_the_field_and_the_rest_still_filters(client, login,
                                                                           world):
    login(client, world["manager"])
    response = client.get(URL, query_string={"fra": "2026-12-09", "til": "2026-12-01",
                                             "konsulent": world["ole"].id})
    assert response.status_code == 400
    assert "Til-datoen skal være samme dag som fra-datoen eller senere" in text_of(response)
    text = sections(response)
    caseload = text[text.index("Belastning pr. konsulent"):text.index("Forløb pr. fase")]
    assert "Karin Konsulent" not in caseload


def test_filters_travel_into_the_drill_down_links(client, login, world):
    login(client, world["manager"])
    html = client.get(URL, query_string={"region": "Region Midtjylland"}).get_data(as_text=True)
    assert "/leder/overblik/liste?liste=forfaldne&amp;region=Region+Midtjylland" in html


def test_figures_are_kept_for_the_configured_seconds(app, client, login, world,
                                                     make_provider, make_application):
    from indsatsteam.dashboards import overview

    app.config["DASHBOARD_CACHE_SECONDS"] = 60
    overview.clear()
    try:
        login(client, world["manager"])
        cold = count_statements(client, URL)
        warm = count_statements(client, URL)
        assert warm < cold - 8
        assert "Tallene er beregnet 2. december 2026 kl. 11.00 og beregnes igen efter højst" \
            " 60 sekunder" in text_of(client.get(URL))
        clock.freeze(NOW + timedelta(seconds=61))
        assert count_statements(client, URL) == cold
        assert "beregnet 2. december 2026 kl. 11.01" in text_of(client.get(URL))
    finally:
        app.config["DASHBOARD_CACHE_SECONDS"] = 0
        overview.clear()


@pytest.mark.parametrize("query", [{}, {"konsulent": "karin"}, {"region": "Region Midtjylland"},
                                   {"fra": "2026-12-01", "til": "2027-02-01"}])
def test_every_figure_agrees_with_the_list_behind_it(client, login, world, query):
    """Each linked figure on the dashboard is the row count of the list it links to."""
    if query.get("konsulent") == "karin":
        query = {"konsulent": world["karin"].id}
    login(client, world["manager"])
    html = client.get(URL, query_string=query).get_data(as_text=True)
    links = re.findall(r'<a href="(/leder/overblik/liste\?[^"]+)">(?:<span[^>]*>)?([\d.]+)',
                       html)
    assert len(links) >= 10
    for href, figure in links:
        listed = text_of(client.get(href.replace("&amp;", "&")))
        total = re.search(r"(\d+) (?:ansøgning|forløb|opgave)", listed)
        assert total and int(total.group(1)) == int(figure.replace(".", "")), href
