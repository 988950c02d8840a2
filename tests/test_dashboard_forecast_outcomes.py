"""Lederoverblik: the capacity forecast and the outcomes of completed forløb, checked
against a small hand-made data set whose right answers are written out below."""

from __future__ import annotations

import re
from contextlib import contextmanager
from datetime import date

import pytest
from flask import render_template_string
from sqlalchemy import event, select

from indsatsteam import clock
from indsatsteam.dashboards.filters import DashboardFilters
from indsatsteam.dashboards.forecast import capacity_forecast
from indsatsteam.dashboards.outcomes import RecommendationOutcome, ThemeOutcome, outcomes
from indsatsteam.extensions import db
from indsatsteam.models import (
    EngagementRecommendation,
    Recommendation,
    RecommendationCatalogue,
    Role,
    Theme,
)

from helpers import aware

NOW = aware(2026, 11, 10, 9, 0)  # Tuesday 10 November 2026, 10.00 Danish time
TODAY = date(2026, 11, 10)
HOVEDSTADEN = "Region Hovedstaden"  # municipality 101; the others are in Midtjylland (751)


@pytest.fixture
def world(make_user, make_provider, make_round, make_application, make_engagement):
    clock.freeze(NOW)
    karin = make_user(Role.CONSULTANT, name="Karin Konsulent")
    ole = make_user(Role.CONSULTANT, name="Ole Olsen")
    ivan = make_user(Role.CONSULTANT, name="Ivan Inaktiv")
    manager = make_user(Role.MANAGER, name="Mona Manager")
    karin.capacity, ole.capacity, ivan.capacity, manager.capacity = 2, 3, 10, 6
    round_ = make_round(name="Efterårsrunden 2026")
    themes = list(db.session.execute(select(Theme).order_by(Theme.position)).scalars())

    def engagement(lead, start, months, second=None, phase="startup", region_code="751",
                   theme_index=(0,)):
        return make_engagement(provider=make_provider(municipality_code=region_code),
                               round_=round_, lead=lead, second=second, manager=manager,
                               phase=phase, planned_start=start, months=months,
                               themes=[themes[i] for i in theme_index])

    # planned window (inclusive)                                          seats
    a = engagement(karin, date(2026, 9, 1), 4, ole, phase="development")  # 2  Sep–31 Dec 2026
    engagement(karin, date(2026, 12, 15), 6, region_code="101")           # 1  15 Dec–14 Jun 2027
    engagement(ole, date(2026, 10, 1), 12, phase="paused")                # 1  Oct 2026–Sep 2027
    engagement(ole, date(2027, 1, 4), 4, karin)                           # 2  4 Jan–3 May 2027
    engagement(karin, date(2027, 3, 1), 4, ole)                           # 2  Mar–Jun 2027
    # Not counted: completed, cancelled, and one overrunning its planned end (30 Sep 2026).
    e1 = engagement(karin, date(2026, 3, 2), 6, phase="completed", theme_index=(0, 1))
    e2 = engagement(ole, date(2026, 2, 2), 6, phase="completed", region_code="101",
                    theme_index=(0,))
    e3 = engagement(ole, date(2026, 1, 5), 6, phase="completed", theme_index=(1, 2))
    e4 = engagement(karin, date(2026, 1, 5), 6, phase="completed", theme_index=(2,))
    engagement(ole, date(2026, 11, 2), 6, phase="cancelled")
    engagement(karin, date(2026, 6, 1), 4, phase="development")
    ivan.active = False

    recs = {r.number: r.id for r in db.session.execute(
        select(Recommendation).join(RecommendationCatalogue)
        .where(RecommendationCatalogue.id == e1.catalogue_id)).scalars()}

    def scored(e, number, before, after):
        db.session.add(EngagementRecommendation(engagement_id=e.id,
                                                recommendation_id=recs[number],
                                                baseline_score=before, final_score=after))

    # forløb  recommendation  before  after       change
    scored(e1, 1, 2, 4)                         # +2
    scored(e1, 2, 3, 4)                         # +1
    scored(e1, 3, 2, 2)                         #  0   → e1's average change +1
    scored(e1, 4, 3, None)                      # half-scored: not counted
    scored(e2, 1, 1, 2)                         # +1
    scored(e2, 2, 4, 2)                         # -2   → e2's average change -0.5
    scored(e3, 1, 3, 5)                         # +2   → e3's average change +2
    scored(e4, 1, 3, None)                      # e4 has no scored pair at all
    scored(a, 4, 1, 5)                          # not completed: not counted
    db.session.commit()
    return dict(karin=karin, ole=ole, themes=themes, round=round_, make=engagement)


# -- capacity forecast -----------------------------------------------------------------------

def _rows(loads):
    return [(m.label, m.running, m.not_started, m.seats, m.capacity, m.overbooked)
            for m in loads]


def test_forecast_month_by_month(world):
    # Team capacity 2 + 3: the inactive consultant and the manager do not count.
    assert _rows(capacity_forecast(TODAY)) == [
        # month, forløb, of which not started, seats, capacity, overbooked
        ("november 2026", 2, 0, 3, 5, False),
        ("december 2026", 3, 1, 4, 5, False),  # the one starting 15 December counts
        ("januar 2027", 3, 2, 4, 5, False),
        ("februar 2027", 3, 2, 4, 5, False),
        ("marts 2027", 4, 3, 6, 5, True),
        ("april 2027", 4, 3, 6, 5, True),
        ("maj 2027", 4, 3, 6, 5, True),        # ending 3 May still counts in May
        ("juni 2027", 3, 2, 4, 5, False),
        ("juli 2027", 1, 0, 1, 5, False),
        ("august 2027", 1, 0, 1, 5, False),
        ("september 2027", 1, 0, 1, 5, False),
        ("oktober 2027", 0, 0, 0, 5, False),
    ]


def test_forecast_month_boundaries(world):
    loads = capacity_forecast(date(2026, 11, 30), months=3)
    assert [(m.first_day, m.last_day) for m in loads] == [
        (date(2026, 11, 1), date(2026, 11, 30)), (date(2026, 12, 1), date(2026, 12, 31)),
        (date(2027, 1, 1), date(2027, 1, 31))]


def test_forecast_for_one_consultant(world):
    # Karin (capacity 2) takes one seat in each of her forløb, as lead or as second.
    loads = capacity_forecast(TODAY, DashboardFilters(consultant_id=world["karin"].id))
    assert [(m.seats, m.capacity) for m in loads] == [
        (1, 2), (2, 2), (2, 2), (2, 2), (3, 2), (3, 2), (3, 2), (2, 2), (0, 2), (0, 2), (0, 2),
        (0, 2)]
    assert [m.label for m in loads if m.overbooked] == ["marts 2027", "april 2027", "maj 2027"]


def test_forecast_for_a_region_keeps_the_team_capacity(world):
    loads = capacity_forecast(TODAY, DashboardFilters(region=HOVEDSTADEN))
    assert [(m.running, m.not_started, m.seats, m.capacity) for m in loads] == [
        (0, 0, 0, 5), *[(1, 1, 1, 5)] * 7, *[(0, 0, 0, 5)] * 4]


def test_forecast_for_a_period_shows_its_months(world):
    loads = capacity_forecast(TODAY, DashboardFilters(start=date(2027, 1, 15),
                                                      end=date(2027, 2, 10)))
    assert _rows(loads) == [("januar 2027", 3, 2, 4, 5, False),
                            ("februar 2027", 3, 2, 4, 5, False)]
    assert capacity_forecast(TODAY, DashboardFilters(start=date(2028, 1, 1))) == []


def test_forecast_for_a_round(world, make_round):
    assert sum(m.seats for m in capacity_forecast(TODAY, DashboardFilters(
        round_id=world["round"].id))) == 3 + 4 * 3 + 6 * 3 + 4 + 1 * 3
    other = make_round()
    assert all(m.seats == 0 for m in capacity_forecast(TODAY, DashboardFilters(
        round_id=other.id)))


# -- outcomes --------------------------------------------------------------------------------

def test_outcomes_per_recommendation(world):
    rows = outcomes().recommendations
    assert [(r.catalogue_code, r.number, r.engagements, r.baseline, r.final, r.change)
            for r in rows] == [
        ("botilbud", 1, 3, 2.0, 3.7, 1.7),   # before 6/3, after 11/3, change 5/3
        ("botilbud", 2, 2, 3.5, 3.0, -0.5),
        ("botilbud", 3, 1, 2.0, 2.0, 0.0),
    ]   # recommendation 4 is half-scored in a completed forløb, scored in an active one
    assert isinstance(rows[0], RecommendationOutcome)
    assert rows[0].title.startswith("Se borgeren som ekspert")


def test_outcomes_per_theme_weigh_each_forloeb_the_same(world):
    names = [t.name for t in world["themes"]]
    assert outcomes().themes == [
        ThemeOutcome(names[0], 2, 0.3),   # (+1 + -0.5) / 2 = 0.25, rounded half up
        ThemeOutcome(names[1], 2, 1.5),   # (+1 + +2) / 2
        ThemeOutcome(names[2], 1, 2.0),   # e3 only: e4 has no scored pair
        *[ThemeOutcome(name, 0, None) for name in names[3:]],
    ]


def test_outcomes_with_filters(world):
    ole = outcomes(DashboardFilters(consultant_id=world["ole"].id))
    assert [(r.number, r.engagements, r.baseline, r.final, r.change)
            for r in ole.recommendations] == [(1, 2, 2.0, 3.5, 1.5), (2, 1, 4.0, 2.0, -2.0)]
    region = outcomes(DashboardFilters(region=HOVEDSTADEN))
    assert [(r.number, r.engagements, r.change) for r in region.recommendations] == [
        (1, 1, 1.0), (2, 1, -2.0)]
    assert [(t.engagements, t.change) for t in region.themes][:3] == [
        (1, -0.5), (0, None), (0, None)]
    assert outcomes(DashboardFilters(region="Region Sjælland")).empty


# -- statements ------------------------------------------------------------------------------

@contextmanager
def counted():
    statements: list[str] = []

    def before(conn, cursor, statement, *args):
        statements.append(statement)

    db.session.expire_all()
    event.listen(db.engine, "before_cursor_execute", before)
    try:
        yield statements
    finally:
        event.remove(db.engine, "before_cursor_execute", before)


def test_statements_do_not_grow_with_the_data(world):
    ole = DashboardFilters(consultant_id=world["ole"].id)

    def run():
        with counted() as statements:
            capacity_forecast(TODAY, DashboardFilters(region=HOVEDSTADEN))
            forecast_count = len(statements)
            outcomes(ole)
        return forecast_count, len(statements) - forecast_count

    assert run() == (2, 2)
    for i in range(40):
        e = world["make"](world["ole"], date(2026, 12, 1), 4 + i % 9, world["karin"],
                          phase="completed" if i % 2 else "analysis",
                          region_code="101" if i % 3 else "751", theme_index=(i % 6,))
        db.session.add(EngagementRecommendation(
            engagement_id=e.id, recommendation_id=db.session.execute(
                select(Recommendation.id).where(Recommendation.catalogue_id == e.catalogue_id)
                .order_by(Recommendation.number)).scalars().first(),
            baseline_score=1 + i % 5, final_score=1 + (i + 1) % 5))
    db.session.commit()
    assert run() == (2, 2)


# -- the partials ----------------------------------------------------------------------------

def _text(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html)).strip()


def _render(app, source: str, **context) -> str:
    with app.test_request_context():
        return render_template_string(source, **context)


def test_forecast_partial(app, world):
    html = _render(app, '{% include "dashboards/_forecast.html" %}',
                   forecast=capacity_forecast(TODAY), filters=DashboardFilters())
    text = _text(html)
    assert '<h2 id="kapacitet">' in html
    assert 'data-chart="bar" data-chart-columns="1,2"' in html
    assert "style=" not in html and "<script" not in html
    assert "Teamet er overbooket i marts 2027, april 2027 og maj 2027." in text
    # month, capacity, seats, free, forløb, not started
    assert "marts 2027 5 6 -1 Overbooket 4 3" in text
    assert "november 2026 5 3 2 2 0" in text
    assert "planlagte start- og slutdato" in text
    assert html.count('<th scope="row">') == 12


def test_forecast_partial_with_capacity_to_spare(app, world):
    filters = DashboardFilters(consultant_id=world["ole"].id)
    text = _text(_render(app, '{% include "dashboards/_forecast.html" %}',
                         forecast=capacity_forecast(TODAY, filters), filters=filters))
    assert "Konsulenten har kapacitet alle 12 måneder." in text
    assert "Overbooket" not in text
    filters = DashboardFilters(start=date(2026, 12, 1), end=date(2027, 1, 31))
    text = _text(_render(app, '{% include "dashboards/_forecast.html" %}',
                         forecast=capacity_forecast(TODAY, filters), filters=filters))
    assert "Teamet har kapacitet alle 2 måneder." in text


def test_outcomes_partial(app, world):
    html = _render(app, '{% include "dashboards/_outcomes.html" %}', outcomes=outcomes(),
                   filters=DashboardFilters())
    text = _text(html)
    assert '<h2 id="resultater">' in html
    assert "style=" not in html and "<script" not in html
    assert "Syv anbefalinger for kvalitet på botilbud: gennemsnitlig vurdering" in text
    # recommendation, forløb, before, after, change
    assert "ekspert i eget liv og tag udgangspunkt i borgerens egne perspektiver 3 2,0 3,7 +1,7" \
        in text
    assert " 2 3,5 3,0 -0,5" in text
    assert " 1 2,0 2,0 0,0" in text
    names = [t.name for t in world["themes"]]
    assert f"{names[0]} 2 +0,3" in text
    assert f"{names[5]} 0 –" in text
    assert "hvert forløb vejer lige meget" in text


def test_outcomes_partial_without_results(app, world):
    text = _text(_render(app, '{% include "dashboards/_outcomes.html" %}',
                         outcomes=outcomes(DashboardFilters(region="Region Sjælland")),
                         filters=DashboardFilters(region="Region Sjælland")))
    assert "Der er endnu ingen afsluttede forløb med en vurdering både før og efter." in text
