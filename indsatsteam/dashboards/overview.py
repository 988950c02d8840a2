"""The manager dashboard's figures as one value, and its sections rendered, kept for a
short while per filter combination.

Managers open the dashboard many times a day and the figures move slowly (a decision, a
finished task), so a computed overview is kept for DASHBOARD_CACHE_SECONDS (default 60) and the
page says when it was computed. It is kept in the app's cache (Flask-Caching, extensions.cache):
Redis when REDIS_URL is set, so every worker on every host shows the same figures, computed at
the same moment, for the same filters; without Redis each process keeps its own in memory.
`clear()` forgets only the overview's keys: they carry a generation, and clearing starts a new
one (the old entries run out by themselves).
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from typing import TypeVar

from flask import current_app, render_template
from markupsafe import Markup

from .. import clock
from ..extensions import cache
from . import forecast as forecast_
from . import manager
from . import outcomes as outcomes_
from .filters import DashboardFilters, FilterChoices, filter_choices

log = logging.getLogger(__name__)
T = TypeVar("T")
_PREFIX = "overview:"
_GENERATION_KEY = _PREFIX + "generation"
_CHOICES_KEY = "filter-choices"


@dataclass
class ManagerOverview:
    computed_at: datetime
    caseload: list[manager.Caseload]
    funnel: list[manager.PhaseFigures]
    deadlines: manager.Deadlines
    pipeline: list[manager.RoundPipeline]
    distributions: list[manager.Distribution]
    forecast: list[forecast_.MonthLoad]
    outcomes: outcomes_.Outcomes


def compute(today: date, filters: DashboardFilters) -> ManagerOverview:
    """Every section, computed now."""
    caseload = manager.caseload(today, filters)
    return ManagerOverview(
        computed_at=clock.now(),
        caseload=caseload,
        funnel=manager.phase_funnel(filters),
        deadlines=manager.deadlines(today, filters),
        pipeline=manager.pipeline(filters),
        distributions=manager.distributions(filters),
        forecast=forecast_.capacity_forecast(
            today, filters, capacity=manager.team_capacity(caseload, filters)),
        outcomes=outcomes_.outcomes(filters),
    )


def _seconds() -> int:
    return current_app.config["DASHBOARD_CACHE_SECONDS"]


def _generation() -> str:
    found = cache.get(_GENERATION_KEY)
    if found is None:
        cache.add(_GENERATION_KEY, "0", timeout=0)  # 0: kept until cleared
        found = cache.get(_GENERATION_KEY) or "0"  # another worker may have been first
    return found


def _key(today: date, filters: DashboardFilters) -> str:
    args = "&".join(f"{k}={v}" for k, v in sorted(filters.to_args().items()))
    return f"{today.isoformat()}:{args}"


def _kept(key: str, make: Callable[[], T]) -> T:
    """`make()`, or its value from the cache when younger than the configured seconds."""
    seconds = _seconds()
    if not seconds:
        return make()
    try:
        full_key = f"{_PREFIX}{_generation()}:{key}"
        found = cache.get(full_key)
    except Exception:  # Redis away: the page is computed, not refused
        log.warning("Cachen svarer ikke; lederoverblikket beregnes uden", exc_info=True)
        return make()
    now = clock.now()
    # The app's clock decides the age (tests freeze it); the cache's timeout only frees memory.
    if found is None or (now - found[0]).total_seconds() >= seconds:
        found = (now, make())
        try:
            cache.set(full_key, found, timeout=seconds)
        except Exception:
            log.warning("Cachen svarer ikke; lederoverblikket gemmes ikke", exc_info=True)
    return found[1]


@dataclass
class Sections:
    """The dashboard's sections rendered as HTML, and when their figures were computed."""

    computed_at: datetime
    html: Markup


def render_sections(data: ManagerOverview, filters: DashboardFilters, today: date) -> Markup:
    return Markup(render_template(
        "dashboards/_manager_sections.html", data=data, filters=filters, today=today,
        now=data.computed_at, deadline_days=manager.DEADLINE_DAYS,
        phases=manager.WORK_PHASES, statuses=manager.PIPELINE,
        meeting_days=manager.MEETING_DAYS))


def sections(today: date, filters: DashboardFilters) -> Sections:
    """The sections, kept per filter combination: rendering them (a few hundred links) costs
    more than the queries once the figures are kept, and they are the same for every
    manager."""
    def make() -> Sections:
        data = compute(today, filters)
        return Sections(data.computed_at, render_sections(data, filters, today))
    return _kept(_key(today, filters), make)


def cached_choices() -> FilterChoices:
    """The filter form's rounds and consultants, kept as long as the figures."""
    return _kept(_CHOICES_KEY, filter_choices)


def clear() -> None:
    """Forget every kept overview (tests, and after a bulk import), on every worker and host
    that shares the cache; other keys in the cache stay."""
    cache.set(_GENERATION_KEY, uuid.uuid4().hex, timeout=0)
