"""Scale: the synthetic data set, statements per dashboard page at 1× and 10×, flask bench."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import event, func, select

from indsatsteam.demo import bench
from indsatsteam.demo.large import SEED, cvr_numbers, generate
from indsatsteam.extensions import db
from indsatsteam.models import Application, Engagement, Provider, Task

from helpers import is_valid_cvr

# Each page and who asks for it; the statement count may not grow with the data.
PAGES = (
    ("/leder/overblik", bench.MANAGER_EMAIL),
    ("/leder/overblik/liste", bench.MANAGER_EMAIL),
    ("/mit-overblik", bench.CONSULTANT_EMAIL),
)
SMALL, EXTRA = 0.002, 0.018  # 0.002 and, after adding, 0.02 of the large set: 1× and 10×


def _quiet(_message: str) -> None:
    pass


def _count(model) -> int:
    return db.session.execute(select(func.count()).select_from(model)).scalar_one()


def _statements_per_page(app) -> dict[str, int]:
    counter = bench.StatementCounter()
    event.listen(db.engine, "before_cursor_execute", counter)
    try:
        counts, clients = {}, {}
        for url, email in PAGES:
            if email not in clients:
                clients[email] = app.test_client()
                bench.login(clients[email], email)
            timing = bench.Timing(url)
            bench.time_request(clients[email], url, counter, timing)  # warm caches
            status = bench.time_request(clients[email], url, counter, timing)
            assert status == 200, url
            counts[url] = timing.statements[-1]
    finally:
        event.remove(db.engine, "before_cursor_execute", counter)
    return counts


def test_statements_per_dashboard_page_do_not_grow_with_the_data(app):
    missing = [url for url, _ in PAGES if not bench._exists(url)]
    if missing:
        pytest.skip(f"dashboards not there yet: {missing}")
    generate(SMALL, echo=_quiet)
    small_tasks = _count(Task)
    small = _statements_per_page(app)
    generate(EXTRA, seed=SEED + 1, echo=_quiet)
    assert _count(Task) >= 9 * small_tasks
    large = _statements_per_page(app)
    assert large == small
    assert all(count <= 15 for count in large.values()), large


def test_generator_is_deterministic(app):
    counts = generate(SMALL, echo=_quiet)
    first = db.session.execute(select(Provider.cvr, Provider.name, Provider.kind)
                               .order_by(Provider.id).limit(3)).all()
    statuses = db.session.execute(select(Application.status).order_by(Application.id)).all()
    phases = db.session.execute(select(Engagement.phase).order_by(Engagement.id)).all()
    assert counts["providers"] == 4 and counts["applications"] == 20
    assert counts["tasks"] >= 200 and counts["engagements"] == 8
    assert all(is_valid_cvr(cvr) for cvr, _, _ in first)

    # Same seed, fresh tables: the same rows.
    with db.engine.begin() as conn:
        for table in reversed(db.metadata.sorted_tables):
            if table.name in counts:
                conn.execute(table.delete())
    db.session.expire_all()
    assert generate(SMALL, echo=_quiet) == counts
    assert db.session.execute(select(Provider.cvr, Provider.name, Provider.kind)
                              .order_by(Provider.id).limit(3)).all() == first
    assert db.session.execute(
        select(Application.status).order_by(Application.id)).all() == statuses
    assert db.session.execute(select(Engagement.phase).order_by(Engagement.id)).all() == phases


def test_cvr_numbers_are_valid_and_distinct():
    import random

    numbers = cvr_numbers(500, random.Random(1))
    assert len(set(numbers)) == 500
    assert all(is_valid_cvr(number) for number in numbers)


def test_seed_demo_large_cli_keeps_the_demo_logins(app, runner):
    result = runner.invoke(args=["seed-demo", "--size", "large", "--scale", "0.002"])
    assert result.exit_code == 0, result.output
    assert "tasks" in result.output and "Færdig" in result.output
    client = app.test_client()
    bench.login(client, bench.MANAGER_EMAIL)  # raises when the login fails
    result = runner.invoke(args=["seed-demo", "--size", "large", "--if-empty"])
    assert "intet indlæst" in result.output


def test_bench_cli_prints_the_ratio_last(app, runner):
    generate(SMALL, echo=_quiet)
    result = runner.invoke(args=["bench", "--repeat", "2"])
    assert result.exit_code == 0, result.output
    lines = result.output.strip().splitlines()
    assert re.fullmatch(r"manager_dashboard_p95_ratio_to_trivial=(\d+\.\d\d|nan)", lines[-1])
    assert any(line.startswith(bench.TRIVIAL) for line in lines)
    # The documents and files part: each document's render time, the 20 MB transfer.
    assert any(line.startswith("Slutrapport ") for line in lines), result.output
    assert any(re.match(r"Fil på 20 MB: upload .* MB/s\), download .* MB/s\)", line)
               for line in lines), result.output
