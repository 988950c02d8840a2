"""Dashboard pages."""

from __future__ import annotations

from flask import Blueprint, render_template
from flask_login import current_user

from .. import clock
from ..domain.engagements import MeetingType, TaskStatus, is_overdue
from ..domain.phases import Phase
from ..engagements import planning
from ..models import Role
from ..security import role_required
from . import consultant, manager

bp = Blueprint("dashboards", __name__)


@bp.get("/mit-overblik")
@role_required(Role.CONSULTANT, Role.MANAGER)
def consultant_overview():
    today = planning.today()
    return render_template("dashboards/consultant.html",
                           data=consultant.overview(current_user.id, today), today=today,
                           is_overdue=is_overdue, Phase=Phase, TaskStatus=TaskStatus,
                           MeetingType=MeetingType)


@bp.get("/leder/overblik")
@role_required(Role.MANAGER)
def manager_overview():
    today = planning.today()
    return render_template("dashboards/manager.html", caseload=manager.caseload(today),
                           pipeline=manager.pipeline(), deadlines=manager.deadlines(today),
                           funnel=manager.phase_funnel(), distributions=manager.distributions(),
                           deadline_days=manager.DEADLINE_DAYS, phases=manager.WORK_PHASES,
                           statuses=manager.PIPELINE, now=clock.now(), today=today,
                           meeting_days=manager.MEETING_DAYS)
