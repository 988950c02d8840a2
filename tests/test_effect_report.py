"""The programme effect report (/leder/effekt): rows from the database per grouping and with
the dashboard's filters, cells with too few forløb, exports, statements at 1× and 10×, and
the planted effects of the synthetic data set found (and the absent ones not)."""

from __future__ import annotations

import csv
import io
from datetime import date

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from indsatsteam import clock
from indsatsteam.dashboards.effect import SELF_ASSESSMENT, Grouping, effect_report
from indsatsteam.dashboards.filters import DashboardFilters
from indsatsteam.demo.large import SEED, generate
from indsatsteam.demo.large_effect import PLANTED_INDICATOR_EFFECTS, PLANTED_RECOMMENDATIONS
from indsatsteam.extensions import db
from indsatsteam.models import (
    BenefitRating,
    EngagementIndicator,
    EngagementRecommendation,
    Indicator,
    Recommendation,
    Role,
    Theme,
)

from helpers import aware, count_statements, text_of

HOVEDSTADEN = "Region Hovedstaden"
URL = "/leder/effekt"


def _quiet(_message: str) -> None:
    pass


@pytest.fixture
def world(make_user, make_provider, make_round, make_engagement):
    clock.freeze(aware(2026, 11, 10, 9, 0))
    round_ = make_round(name="Forårsrunden 2026")
    manager = make_user(Role.MANAGER)
    themes = list(db.session.execute(select(Theme).order_by(Theme.position)).scalars())
    indicators = {i.number: i.id for i in db.session.execute(select(Indicator)).scalars()}

    def engagement(kind, region_code, theme_index, phase="completed"):
        return make_engagement(provider=make_provider(kind=kind, municipality_code=region_code),
                               round_=round_, manager=manager, phase=phase,
                               planned_start=date(2026, 1, 5),
                               themes=[themes[i] for i in theme_index])

    e = [None,
         engagement("sel107", "101", (0, 1)), engagement("sel107", "101", (0,)),
         engagement("sel107", "751", (0,)), engagement("sel108", "751", (0,)),
         engagement("sel108", "751", (1,)), engagement("sel108", "751", (1,))]
    development = engagement("sel108", "751", (0,), phase="development")
    cancelled = engagement("sel108", "751", (0,), phase="cancelled")

    def measured(eng, number, baseline, end, follow_up=None, target=None):
        db.session.add(EngagementIndicator(
            engagement_id=eng.id, indicator_id=indicators[number], baseline_value=baseline,
            end_value=end, follow_up_value=follow_up, target_value=target))

    # Indicator 8, Magtanvendelser (lower is better).  improvement  to follow-up  target met
    measured(e[1], 8, 10, 6, 5, 7)                    # +4           +5            yes
    measured(e[2], 8, 8, 9, None, 7)                  # -1           –             no
    measured(e[3], 8, 5, 5, 6, 4)                     #  0           -1            no
    measured(e[4], 8, 12, 8, 10, 8)                   # +4           +2            yes
    measured(e[5], 8, 9, 6)                           # +3           –             –
    measured(e[6], 8, 7, 4, 8, 5)                     # +3           -1            yes
    measured(development, 8, 10, None)                # not completed: not counted
    measured(cancelled, 8, 10, 2)                     # cancelled: not counted
    measured(e[1], 2, 2.0, 3.0)                       # trivsel: one forløb

    recs = {r.number: r.id for r in db.session.execute(
        select(Recommendation).where(Recommendation.catalogue_id == e[1].catalogue_id)
    ).scalars()}

    def scored(eng, number, baseline, final, follow_up=None):
        db.session.add(EngagementRecommendation(
            engagement_id=eng.id, recommendation_id=recs[number], baseline_score=baseline,
            final_score=final, follow_up_score=follow_up))

    # Recommendation 1: +2, +1, 0, +3, +2 (the domain test's numbers: mean 1.6).
    for eng, values in zip(e[1:6], ((2, 4, 4), (3, 4), (2, 2, 3), (1, 4, 4), (3, 5, 5)),
                           strict=True):
        scored(eng, 1, *values)
    scored(e[1], 2, 3, 3)
    scored(e[6], 2, 2, 3, 3)
    for eng, score in zip(e[1:], (4, 4, 5, 3, 4, 2), strict=True):
        db.session.add(BenefitRating(engagement_id=eng.id, benefit_code="insight", score=score))
    db.session.add(BenefitRating(engagement_id=e[1].id, benefit_code="systematics", score=5))
    db.session.commit()
    return e


def _row(report, label_start):
    return next(row for g in report.groups for row in g.rows if row.label.startswith(label_start))


def test_per_indicator(world):
    report = effect_report(Grouping.INDICATOR)
    assert [g.heading for g in report.groups] == ["Trivsel, sundhed og mestring",
                                                   "Behov for mindre indgribende indsatser"]
    cell = _row(report, "8. Magtanvendelser").cell
    # improvements 4, -1, 0, 4, 3, 3: mean 13/6, median 3.
    assert cell.n == 6 and not cell.too_few
    assert cell.to_end.mean == pytest.approx(13 / 6) and cell.to_end.median == 3
    assert cell.to_end.interval.contains(0)
    # Follow-up: e1, e3, e4, e6: +5, -1, +2, -1 → too few (4).
    assert cell.to_follow_up.n == 4 and cell.to_follow_up.too_few
    assert (cell.with_target, cell.reached) == (5, 3)
    assert (cell.improved_with_follow_up, cell.kept) == (3, 2)
    trivsel = _row(report, "2. Borgernes oplevede trivsel").cell
    assert trivsel.n == 1 and trivsel.too_few and trivsel.to_end.interval is None


def test_filters_narrow_the_forloeb(world):
    report = effect_report(Grouping.INDICATOR, DashboardFilters(region=HOVEDSTADEN))
    assert _row(report, "8. Magtanvendelser").cell.n == 2
    report = effect_report(Grouping.INDICATOR, DashboardFilters(start=date(2030, 1, 1)))
    assert report.empty


def test_per_recommendation(world):
    report = effect_report(Grouping.RECOMMENDATION)
    assert len(report.groups) == 1
    first, second = report.groups[0].rows
    assert first.label.startswith("1. ") and first.cell.n == 5
    assert first.cell.to_end.mean == pytest.approx(1.6) and first.cell.with_target == 0
    assert second.cell.n == 2 and second.cell.too_few


def test_per_theme_and_per_kind(world):
    themes = list(db.session.execute(select(Theme).order_by(Theme.position)).scalars())
    report = effect_report(Grouping.THEME)
    assert [g.heading for g in report.groups] == [t.name for t in themes if t.active]
    first = report.groups[0]
    assert _row(type(report)(report.grouping, [first], []), "8.").cell.n == 4  # e1–e4
    assessment = first.rows[-1]
    assert assessment.label == SELF_ASSESSMENT
    # e1 (rec 1 +2, rec 2 0: mean +1), e2 +1, e3 0, e4 +3.
    assert assessment.cell.n == 4 and assessment.cell.to_end.mean == pytest.approx(5 / 4)
    # e1's follow-up: rec 2 has none, so its self-assessment has no follow-up.
    assert assessment.cell.to_follow_up.n == 2
    assert _row(type(report)(report.grouping, [report.groups[1]], []), "8.").cell.n == 3

    report = effect_report(Grouping.KIND)
    assert len(report.groups) == 4
    by_kind = {g.heading: g for g in report.groups}

    def kind_row(heading, label_start):
        return _row(type(report)(report.grouping, [by_kind[heading]], []), label_start)

    assert kind_row("Botilbud efter § 107", "8.").cell.n == 3
    assert kind_row("Botilbud efter § 108", SELF_ASSESSMENT).cell.n == 3   # e4, e5, e6
    home = "Tilbud i borgerens eget hjem efter § 85 i lov om social service"
    assert [r.label for r in by_kind[home].rows] == [SELF_ASSESSMENT]


def test_benefits(world):
    insight, *_, systematics = effect_report().benefits
    assert (insight.n, insight.counts) == (6, (0, 1, 1, 3, 1))
    assert insight.mean == pytest.approx(22 / 6)
    assert systematics.n == 1


def test_the_page(app, client, login, make_user, world):
    login(client, make_user(Role.MANAGER))
    text = text_of(client.get(URL))
    assert "8. Magtanvendelser den seneste måned" in text
    # mean 2,2 and the t-interval -0,1 to +4,4 (13/6 ± 2.5706 · 2.13698 / √6)
    assert "+2,2 (-0,1 til +4,4)" in text
    assert "For få til at sige noget" in text
    for words in ("t-interval", "selvrapporterede", "ingen kontrolgruppe",
                  "Kun afsluttede forløb", "6 måneder efter forløbets afslutning"):
        assert words in text
    assert "60 % (3 af 5)" in text and "67 % (2 af 3)" in text
    html = client.get(URL + "?vis=tema&region=" + HOVEDSTADEN).get_data(as_text=True)
    assert SELF_ASSESSMENT in html and 'aria-current="page"' in html
    # Every cell there has too few forløb: no empty chart above the tables.
    assert "For få til at sige noget" in html and 'data-chart="bar"' not in html
    assert 'data-chart="bar"' in client.get(URL).get_data(as_text=True)
    assert 'href="/leder/effekt.csv?region=Region+Hovedstaden&amp;vis=tema"' in html
    assert client.get(URL + "?vis=ukendt").status_code == 200


def test_a_consultant_reads_it_and_the_dashboard_links_to_it(app, client, login, make_user,
                                                              world):
    login(client, make_user(Role.CONSULTANT))
    assert "Magtanvendelser" in text_of(client.get(URL))
    other = app.test_client()
    login(other, make_user(Role.MANAGER))
    assert 'href="/leder/effekt"' in other.get("/leder/overblik").get_data(as_text=True)


def test_exports(app, client, login, make_user, world):
    login(client, make_user(Role.MANAGER))
    response = client.get(URL + ".csv?vis=indikator")
    assert response.status_code == 200 and response.mimetype == "text/csv"
    text = response.get_data().decode("utf-8")
    assert text.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(text[1:]), delimiter=";"))
    assert rows[0][:5] == ["Gruppe", "Række", "Enhed", "Retning", "Forløb målt"]
    line = next(r for r in rows if r[1:2] == ["8. Magtanvendelser den seneste måned"])
    assert line[3] == "Lavere er bedre" and line[4] == "6" and line[6] == "2,17"
    assert line[15] == "60,00" and line[17] == "66,67"
    trivsel = next(r for r in rows if r[1:2] == ["2. Borgernes oplevede trivsel"])
    assert trivsel[4] == "1" and trivsel[5] == "" and trivsel[-1] == "for få til at sige noget"
    assert any(r and r[0].startswith("Et indblik") and r[1] == "6" for r in rows)

    response = client.get(URL + ".xlsx?vis=tema&region=" + HOVEDSTADEN)
    assert response.status_code == 200
    workbook = load_workbook(io.BytesIO(response.get_data()))
    assert workbook.sheetnames == ["Effekt", "Det, forløbet lover"]
    values = [[c.value for c in row] for row in workbook["Effekt"].iter_rows()]
    assert values[0][0] == "Gruppe" and any(SELF_ASSESSMENT in row for row in values)
    assert client.get(URL + ".pdf").status_code == 404
    assert client.get(URL + ".csv?fra=ikke-en-dato").status_code == 400


def test_statements_do_not_grow_with_the_data(app, client, login, make_user):
    login(client, make_user(Role.MANAGER))
    urls = [f"{URL}?vis={g.value}" for g in Grouping] + [URL + ".csv?vis=tema"]
    generate(0.002, echo=_quiet)
    small = {url: count_statements(client, url) for url in urls}
    generate(0.018, seed=SEED + 1, echo=_quiet)
    large = {url: count_statements(client, url) for url in urls}
    assert small == large
    assert all(count <= 10 for count in large.values()), large


def test_the_synthetic_data_set_shows_the_planted_effects_and_no_others(app):
    generate(0.02, echo=_quiet)
    report = effect_report(Grouping.INDICATOR)
    checked = 0
    for group in report.groups:
        for row in group.rows:
            number = int(row.label.split(".")[0])
            interval = row.cell.to_end.interval
            assert not row.cell.too_few, row.label
            if PLANTED_INDICATOR_EFFECTS[number]:
                assert interval.low > 0, (row.label, interval)
                assert row.cell.to_end.mean == pytest.approx(
                    PLANTED_INDICATOR_EFFECTS[number], abs=0.5)
            else:
                assert interval.contains(0), (row.label, interval)
            checked += 1
    assert checked == len(PLANTED_INDICATOR_EFFECTS)

    found = {True: 0, False: 0}
    for group in effect_report(Grouping.RECOMMENDATION).groups:
        for row in group.rows:
            if row.cell.too_few:
                continue
            planted = int(row.label.split(".")[0]) in PLANTED_RECOMMENDATIONS
            interval = row.cell.to_end.interval
            assert (interval.low > 0) if planted else interval.contains(0), row.label
            found[planted] += 1
    assert found[True] >= 2 and found[False] >= 2, found
