"""Dashboard pages: the consultant's and the manager's overview (the drill-down lists and
exports are in list_routes.py)."""

from __future__ import annotations

from flask import current_app, render_template, request
from flask_login import current_user

from .. import clock
from ..domain.engagements import is_overdue
from ..forms import render_form
from ..models import Role
from ..security import role_required
from . import consultant, effect_routes, list_routes, overview  # noqa: F401  (views on bp)
from .blueprint import bp
from .filters import read_filters


@bp.get("/mit-overblik")
@role_required(Role.CONSULTANT, Role.MANAGER)
def consultant_overview():
    today = clock.today()
    return render_template("dashboards/consultant.html",
                           data=consultant.overview(current_user.id, today), today=today,
                           is_overdue=is_overdue)


@bp.get("/leder/overblik")
@role_required(Role.MANAGER)
def manager_overview():
    form, filters = read_filters(request.args, overview.cached_choices())
    kept = overview.sections(clock.today(), filters)
    return render_form("dashboards/manager.html", form, filters=filters,
                       sections=kept.html, computed_at=kept.computed_at,
                       cache_seconds=current_app.config["DASHBOARD_CACHE_SECONDS"])

