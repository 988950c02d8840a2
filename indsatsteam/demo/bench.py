"""`flask bench`: time the dashboards and exports in process, with statements per request.

Logs in as the demo manager through the real login form, requests every dashboard page,
the drill-down list and each export, and the trivial page `/healthz` (health.py: answered in
front of Flask, no database), and runs the manager dashboard's queries without HTTP or templates.
The manager dashboard is timed as managers meet it (its figures kept for
DASHBOARD_CACHE_SECONDS) and once more computed on every request ("uden cache").
"""

from __future__ import annotations

import re
import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass, field

import click
from flask import Flask, current_app, g
from flask.testing import FlaskClient
from sqlalchemy import event
from werkzeug.exceptions import HTTPException

from .. import health
from ..extensions import db
from .seed import DEMO_PASSWORD

MANAGER_EMAIL = "leder@indsatsteam.example.dk"
CONSULTANT_EMAIL = "konsulent@indsatsteam.example.dk"
TRIVIAL = "Triviel side (/healthz)"
MANAGER_DASHBOARD = "Lederoverblik"
UNCACHED = "Lederoverblik, uden cache"
# label, path, who asks, export? Paths rather than endpoint names: a page that is not
# there yet is matched against the URL map and skipped.
PAGES: tuple[tuple[str, str, str, bool], ...] = (
    (TRIVIAL, health.HEALTH_PATH, MANAGER_EMAIL, False),
    (MANAGER_DASHBOARD, "/leder/overblik", MANAGER_EMAIL, False),
    ("Lederoverblik, liste", "/leder/overblik/liste", MANAGER_EMAIL, False),
    ("Lederoverblik, liste (forfaldne opgaver)", "/leder/overblik/liste?liste=forfaldne",
     MANAGER_EMAIL, False),
    ("Mit overblik (konsulent)", "/mit-overblik", CONSULTANT_EMAIL, False),
    *((f"Effekt ({grouping})", f"/leder/effekt?vis={grouping}", MANAGER_EMAIL, False)
      for grouping in ("indikator", "anbefaling", "tema", "tilbudstype")),
    *((f"Eksport effekt.{fmt}", f"/leder/effekt.{fmt}?vis=tema", MANAGER_EMAIL, True)
      for fmt in ("csv", "xlsx")),
    *((f"Eksport {name}.{fmt}", f"/leder/eksport/{name}.{fmt}", MANAGER_EMAIL, True)
      for name in ("ansoegninger", "forloeb", "opgaver") for fmt in ("csv", "xlsx")),
)
_CSRF = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')
BASE_URL = "https://localhost"


@dataclass
class Timing:
    label: str
    ms: list[float] = field(default_factory=list)
    statements: list[int] = field(default_factory=list)

    def percentile(self, p: float) -> float:
        ordered = sorted(self.ms)
        return ordered[min(len(ordered) - 1, round(p * (len(ordered) - 1)))]

    def row(self) -> str:
        per_request = statistics.median(self.statements) if self.statements else 0
        return (f"{self.label:<44} {self.percentile(0.5):>9.1f} {self.percentile(0.95):>9.1f}"
                f" {per_request:>8g}")


class StatementCounter:
    def __init__(self) -> None:
        self.count = 0

    def __call__(self, *_args) -> None:
        self.count += 1


def login(client: FlaskClient, email: str, password: str = DEMO_PASSWORD) -> None:
    """The real login: fetch the form for its CSRF token and post it."""
    # The CLI's app context (and its `g`) outlives the requests; Flask-WTF caches the
    # previous client's CSRF token there.
    g.pop("csrf_token", None)
    g.pop("_login_user", None)
    page = client.get("/log-ind", base_url=BASE_URL).get_data(as_text=True)
    match = _CSRF.search(page)
    data = {"email": email, "password": password}
    if match:
        data["csrf_token"] = match.group(1)
    # Flask-WTF checks the Referer on HTTPS (WTF_CSRF_SSL_STRICT).
    response = client.post("/log-ind", data=data, base_url=BASE_URL,
                           headers={"Referer": f"{BASE_URL}/log-ind"})
    if response.status_code != 302:
        raise click.ClickException(f"Login som {email} mislykkedes ({response.status_code}).")


def _exists(url: str) -> bool:
    if url in health.PATHS:  # answered by the middleware, not in the URL map
        return True
    try:
        current_app.url_map.bind("localhost").match(url.split("?")[0], method="GET")
    except HTTPException:
        return False
    return True


def time_request(client: FlaskClient, url: str, counter: StatementCounter, timing: Timing) -> int:
    # The CLI's app context outlives each request, so drop what a real request would not
    # carry over: Flask-Login's cached user and the session's identity map.
    g.pop("_login_user", None)
    db.session.remove()
    counter.count = 0
    started = time.perf_counter()
    response = client.get(url, base_url=BASE_URL)
    body = b"".join(response.response)  # read the whole (streamed) body
    timing.ms.append((time.perf_counter() - started) * 1000)
    timing.statements.append(counter.count)
    response.close()
    del body
    return response.status_code


def manager_queries() -> Callable[[], object]:
    """The manager dashboard's queries, called as the page calls them (without the cache),
    without HTTP or templates."""
    from .. import clock
    from ..dashboards import overview
    from ..dashboards.filters import DashboardFilters

    def call() -> object:
        return overview.compute(clock.today(), DashboardFilters())

    return call


def _time_uncached(app: Flask, client: FlaskClient, counter: StatementCounter,
                   repeat: int) -> Timing:
    """The manager dashboard computed on every request: what the first view after the
    cache expires costs."""
    timing = Timing(UNCACHED)
    kept = app.config["DASHBOARD_CACHE_SECONDS"]
    app.config["DASHBOARD_CACHE_SECONDS"] = 0
    try:
        for _ in range(repeat):
            time_request(client, "/leder/overblik", counter, timing)
    finally:
        app.config["DASHBOARD_CACHE_SECONDS"] = kept
    return timing


def run_bench(app: Flask, repeat: int, export_repeat: int,
              echo: Callable[[str], None] = click.echo) -> float:
    counter = StatementCounter()
    event.listen(db.engine, "before_cursor_execute", counter)
    try:
        clients: dict[str, FlaskClient] = {}
        timings: dict[str, Timing] = {}
        for label, url, email, is_export in PAGES:
            if not _exists(url):
                echo(f"(springer over {label}: {url} findes ikke endnu)")
                continue
            if email not in clients:
                clients[email] = app.test_client()
                login(clients[email], email)
            client = clients[email]
            time_request(client, url, counter, Timing(label))  # warm-up: templates, caches
            timing = timings[label] = Timing(label)
            for _ in range(export_repeat if is_export else repeat):
                status = time_request(client, url, counter, timing)
                if status != 200:
                    raise click.ClickException(f"{url} svarede {status}")
        if MANAGER_DASHBOARD in timings:
            timings[UNCACHED] = _time_uncached(app, clients[MANAGER_EMAIL], counter, repeat)
        direct = manager_queries()
        if direct is not None:
            timing = timings["Lederoverblik, kun SQL"] = Timing("Lederoverblik, kun SQL")
            for _ in range(repeat):
                counter.count = 0
                started = time.perf_counter()
                direct()
                db.session.rollback()
                timing.ms.append((time.perf_counter() - started) * 1000)
                timing.statements.append(counter.count)
    finally:
        event.remove(db.engine, "before_cursor_execute", counter)
    echo(f"{'side':<44} {'p50 ms':>9} {'p95 ms':>9} {'sql/req':>8}")
    for timing in timings.values():
        echo(timing.row())
    trivial = timings[TRIVIAL].percentile(0.95)
    manager = timings.get(MANAGER_DASHBOARD)
    ratio = manager.percentile(0.95) / trivial if manager and trivial else float("nan")
    echo(f"manager_dashboard_p95_ratio_to_trivial={ratio:.2f}")
    return ratio


@click.command("bench")
@click.option("--repeat", default=30, show_default=True, help="Gentagelser pr. side.")
@click.option("--export-repeat", default=None, type=int,
              help="Gentagelser pr. eksport (standard: en tredjedel af --repeat).")
def bench_command(repeat: int, export_repeat: int | None) -> None:
    """Mål svartider og SQL-sætninger pr. side for overblik og eksport, tiden for at danne
    hvert dokument og overførslen af en fil på 20 MB."""
    from ..documents.bench import run_files_bench

    app = current_app._get_current_object()  # type: ignore[attr-defined]
    run_files_bench(app, max(1, repeat // 10), click.echo)  # first: the ratio stays last
    run_bench(app, repeat, export_repeat or max(1, repeat // 3))
