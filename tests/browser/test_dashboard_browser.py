"""The manager dashboard in a real browser at 1280 and 375 px: every table marked
data-chart="bar" gets a Chart.js bar chart above it, drawn from the table's own figures,
the table stays as the accessible version, the page has no console errors (CSP) and no axe
violations, and at 375 px nothing but the tables' own scroll boxes is wider than the window.
The consultant's overview is checked at 375 px too. Screenshots: tests/artifacts/overblik-*.png.
"""

from __future__ import annotations

import re
from datetime import date

import pytest
from layout_check import layout_problems

from indsatsteam.domain.applications import ApplicationStatus
from indsatsteam.extensions import db
from indsatsteam.models import Role

from helpers import log_in

pytestmark = pytest.mark.browser

URL = "/leder/overblik"
# Twelve municipalities (so the municipality chart shows only its first 10 rows), across the
# five regions; code → how many submitted applications come from it.
MUNICIPALITIES = {"101": 4, "147": 3, "751": 3, "461": 2, "851": 2, "265": 1, "330": 1,
                  "561": 1, "615": 1, "657": 1, "787": 1, "860": 1}
KINDS = ("sel108", "sel107", "sel85_home", "abl_sel85")
OWNERS = ("kommune", "region", "privat")

# Each table[data-chart] with the chart Chart.js drew for it (the <figure> just before the
# table's scroll wrapper), the figures the table shows and the chart's size.
CHARTS = """() => Array.from(document.querySelectorAll('table[data-chart]')).map(table => {
  const wrapper = table.closest('.table--responsive-scroll') || table;
  const figure = wrapper.previousElementSibling;
  const canvas = figure && figure.tagName === 'FIGURE' ? figure.querySelector('canvas') : null;
  const chart = canvas ? window.Chart.getChart(canvas) : null;
  const visible = cell => { const c = cell.cloneNode(true);
    c.querySelectorAll('.sr-only').forEach(e => e.remove()); return c.textContent.trim(); };
  const rows = Array.from(table.querySelectorAll('tbody tr')).filter(
    row => row.cells[0] && row.cells[0].matches('th[scope=row]'));
  const columns = (table.dataset.chartColumns || '1').split(',').map(Number);
  return {
    caption: table.caption ? table.caption.textContent.trim() : '',
    tableVisible: table.offsetWidth > 0 && table.offsetHeight > 0,
    maxRows: Number(table.dataset.chartMaxRows || 0),
    labelsInTable: rows.map(row => visible(row.cells[0])),
    // one list per charted column: the cell's data-value as a number, else its visible text
    columns: columns.map(i => rows.map(row => row.cells[i].dataset.value
      ? Number(row.cells[i].dataset.value) : visible(row.cells[i]))),
    canvas: !!canvas,
    role: canvas && canvas.getAttribute('role'),
    label: canvas && canvas.getAttribute('aria-label'),
    width: canvas ? canvas.getBoundingClientRect().width : 0,
    height: canvas ? canvas.getBoundingClientRect().height : 0,
    pixels: canvas ? canvas.width * canvas.height : 0,
    labels: chart ? chart.data.labels : null,
    data: chart ? chart.data.datasets.map(d => d.data) : null,
    animation: chart ? chart.options.animation : null,
  };
})"""

# At 375 px the page itself must not scroll sideways: the document is no wider than the
# window, and no element in <main> outside a table's scroll box sticks out on the right
# (body has overflow-x: hidden in DKFDS, which would otherwise hide such an overflow).
OVERFLOW = """() => {
  const width = window.innerWidth;
  const wide = Array.from(document.querySelectorAll('main *')).filter(el => {
    if (el.parentElement.closest('.table--responsive-scroll')) { return false; }
    const box = el.getBoundingClientRect();
    return box.width > 0 && box.right > width + 1;
  }).map(el => el.outerHTML.slice(0, 120));
  return {scrollWidth: document.documentElement.scrollWidth, innerWidth: width, wide: wide};
}"""


def danish_number(cell: float | str) -> float | None:
    """A cell's figure: its data-value, else the first number in its text in Danish format
    ("1.234,5"); None for "–"."""
    if not isinstance(cell, str):
        return cell
    match = re.search(r"-?\d{1,3}(?:\.\d{3})+(?:,\d+)?|-?\d+(?:,\d+)?", cell)
    return float(match.group(0).replace(".", "").replace(",", ".")) if match else None


@pytest.fixture
def world(make_user, make_provider, make_round, make_application, make_engagement):
    manager = make_user(Role.MANAGER, name="Mona Manager")
    karin = make_user(Role.CONSULTANT, name="Karin Konsulent")
    ole = make_user(Role.CONSULTANT, name="Ole Olsen")
    round_ = make_round(name="Efterårsrunden 2026", programmes_offered=8)
    statuses = (ApplicationStatus.SUBMITTED, ApplicationStatus.IN_REVIEW,
                ApplicationStatus.REJECTED, ApplicationStatus.APPROVED)
    n = 0
    approved = []
    for code, count in MUNICIPALITIES.items():
        for _ in range(count):
            provider = make_provider(municipality_code=code, kind=KINDS[n % len(KINDS)],
                                     owner_type=OWNERS[n % len(OWNERS)])
            status = statuses[n % len(statuses)]
            application = make_application(round_, provider, status=status)
            if status == ApplicationStatus.APPROVED:
                approved.append(application)
            n += 1
    make_application(round_, make_provider(), status=ApplicationStatus.DRAFT)  # not counted
    for i, (application, phase) in enumerate(zip(
            approved, ("startup", "startup", "analysis", "development", "paused"),
            strict=False)):
        make_engagement(application, lead=karin if i % 2 else ole, manager=manager,
                        planned_start=date(2026, 11, 2), phase=phase)
    db.session.commit()
    return dict(manager=manager, karin=karin)


def check_charts(page) -> list[dict]:
    page.wait_for_function(
        "() => window.Chart && document.querySelector('figure.dashboard-chart canvas')")
    charts = page.evaluate(CHARTS)
    assert len(charts) >= 6, charts  # five distributions and the phases
    for chart in charts:
        name = chart["caption"]
        assert chart["canvas"], f"ingen figur med diagram før tabellen {name!r}"
        assert chart["tableVisible"], name
        assert chart["role"] == "img", name
        assert chart["label"].startswith("Søjlediagram: "), chart["label"]
        assert chart["label"].endswith("Tallene står i tabellen nedenfor."), chart["label"]
        assert chart["width"] > 100 and chart["height"] > 100 and chart["pixels"] > 0, chart
        # The chart shows the table's own figures (the first data-chart-max-rows rows).
        shown = chart["maxRows"] or len(chart["labelsInTable"])
        assert chart["labels"] == chart["labelsInTable"][:shown], name
        assert chart["data"] == [[danish_number(value) for value in column[:shown]]
                                 for column in chart["columns"]], name
    return charts


# The distribution charts sit two by two in a grid row: (top, height) of each chart box.
CHART_BOXES = """() => Array.from(document.querySelectorAll(
    '#fordelinger ~ .row .dashboard-chart__canvas')).map(box => {
  const r = box.getBoundingClientRect();
  return [Math.round(r.top + window.scrollY), Math.round(r.height)];
})"""


def assert_even_chart_rows(page) -> None:
    """Charts side by side are as tall as each other, so the tables under them line up."""
    boxes = page.evaluate(CHART_BOXES)
    assert len(boxes) == 5, boxes
    rows: dict[int, set[int]] = {}
    for top, height in boxes:
        rows.setdefault(top, set()).add(height)
    assert len(rows) == 3, boxes  # 2 + 2 + 1 at 1280 px
    assert all(len(heights) == 1 for heights in rows.values()), boxes


def assert_no_sideways_scroll(page) -> None:
    overflow = page.evaluate(OVERFLOW)
    assert overflow["scrollWidth"] <= overflow["innerWidth"], overflow
    assert not overflow["wide"], overflow


def test_manager_dashboard_charts_at_1280_and_375(new_audited_page, world):
    page, audit = new_audited_page("overblik-leder-")
    log_in(page, audit, world["manager"])

    page.goto(URL)
    audit.check("1280")
    charts = check_charts(page)
    by_caption = {c["caption"]: c for c in charts}
    municipalities = by_caption["Kommune"]
    assert len(municipalities["labelsInTable"]) == 12 and len(municipalities["labels"]) == 10
    assert "Diagrammet viser de første 10 af 12 rækker." in municipalities["label"]
    assert municipalities["labels"][0] == "København"
    regions = by_caption["Region"]
    assert regions["label"] == ("Søjlediagram: Indsendte ansøgninger fordelt på region. "
                                "Tallene står i tabellen nedenfor.")
    assert sum(regions["data"][0]) == sum(MUNICIPALITIES.values())
    phases = next(c for c in charts if c["label"].startswith("Søjlediagram: Forløb i hver fase"))
    assert sum(phases["data"][0]) == 5
    assert all(c["animation"] is not False for c in charts)  # no reduced motion asked for
    assert_even_chart_rows(page)
    pipeline = page.evaluate("""() => { const box = document.querySelector(
        '#runder + .table--responsive-scroll'); return [box.scrollWidth, box.clientWidth]; }""")
    assert pipeline[0] <= pipeline[1], f"Ansøgninger pr. runde ruller sideværts: {pipeline}"

    # Narrow phone width with reduced motion: charts still drawn, animation off, and the
    # page does not scroll sideways (the tables scroll inside their own boxes).
    page.emulate_media(reduced_motion="reduce")
    page.set_viewport_size({"width": 375, "height": 800})
    page.goto(URL)
    audit.check("375")
    charts = check_charts(page)
    assert all(c["width"] <= 375 for c in charts), [c["width"] for c in charts]
    assert all(c["animation"] is False for c in charts)
    assert_no_sideways_scroll(page)
    audit.assert_clean()


def test_consultant_overview_at_375(new_audited_page, world):
    page, audit = new_audited_page("overblik-konsulent-")
    page.set_viewport_size({"width": 375, "height": 800})
    log_in(page, audit, world["karin"])
    page.goto("/mit-overblik")
    audit.check("375")
    assert_no_sideways_scroll(page)
    audit.assert_clean()


def test_effect_report_charts_and_axe_at_1280_and_375(new_audited_page, make_user):
    from indsatsteam.demo.large import generate

    manager = make_user(Role.MANAGER, name="Mona Manager")
    generate(0.02, echo=lambda _message: None)  # completed forløb with planted effects
    page, audit = new_audited_page("effekt-")
    log_in(page, audit, manager)
    page.goto("/leder/effekt")
    audit.check("1280")
    page.wait_for_function(
        "() => window.Chart && document.querySelector('figure.dashboard-chart canvas')")
    charts = page.evaluate(CHARTS)
    assert len(charts) == 6, [c["caption"] for c in charts]  # five outcome areas, the benefits
    for chart in charts:
        assert chart["canvas"] and chart["role"] == "img", chart["caption"]
        assert chart["labels"] == chart["labelsInTable"], chart["caption"]
        assert chart["data"] == [[danish_number(value) for value in column]
                                 for column in chart["columns"]], chart["caption"]
    assert page.get_by_text("t-interval").count() >= 1
    assert not layout_problems(page)

    page.get_by_role("link", name="Pr. tema").click()
    expect_current = page.locator('nav[aria-label="Vis rapporten"] a[aria-current="page"]')
    assert expect_current.inner_text() == "Pr. tema"
    audit.check("tema")

    page.set_viewport_size({"width": 375, "height": 800})
    page.goto("/leder/effekt?vis=tilbudstype")
    audit.check("375")
    assert_no_sideways_scroll(page)
    assert not layout_problems(page)
    audit.assert_clean()
