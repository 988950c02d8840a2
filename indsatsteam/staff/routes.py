"""Staff side (consultants, managers, admins): submitted applications per round, read-only.

The review and decision workflow builds on this list.
"""

from __future__ import annotations

from flask import Blueprint, render_template, request
from flask_login import current_user
from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from ..access import get_application_for
from ..domain.applications import ApplicationStatus
from ..extensions import db
from ..models import Application, ApplicationRound, Role
from ..security import role_required

bp = Blueprint("staff", __name__, url_prefix="/sagsbehandling")

STAFF = (Role.CONSULTANT, Role.MANAGER, Role.ADMIN)
PAGE_SIZE = 25
# Drafts belong to the applicant until submitted; staff never list them.
VISIBLE_STATUSES = [s for s in ApplicationStatus if s != ApplicationStatus.DRAFT]


@bp.get("/ansoegninger")
@role_required(*STAFF)
def applications():
    rounds = db.session.execute(
        select(ApplicationRound).order_by(ApplicationRound.closes_at.desc())
    ).scalars().all()
    round_id = request.args.get("runde", type=int)
    selected_round = next((r for r in rounds if r.id == round_id), rounds[0] if rounds else None)
    status = request.args.get("status", "")
    if status not in {s.value for s in VISIBLE_STATUSES}:
        status = ""
    page = max(request.args.get("side", 1, type=int), 1)

    counts: dict[str, int] = {}
    items, total = [], 0
    if selected_round is not None:
        base = select(Application).where(Application.round_id == selected_round.id,
                                         Application.status != ApplicationStatus.DRAFT)
        counts = dict(db.session.execute(
            select(Application.status, func.count()).where(
                Application.round_id == selected_round.id,
                Application.status != ApplicationStatus.DRAFT)
            .group_by(Application.status)
        ).all())
        if status:
            base = base.where(Application.status == status)
        total = db.session.execute(select(func.count()).select_from(base.subquery())).scalar_one()
        items = db.session.execute(
            base.options(selectinload(Application.provider), selectinload(Application.themes))
            .order_by(Application.submitted_at.asc(), Application.id.asc())
            .limit(PAGE_SIZE).offset((page - 1) * PAGE_SIZE)
        ).scalars().all()
    pages = max((total + PAGE_SIZE - 1) // PAGE_SIZE, 1)
    return render_template("staff/applications.html", rounds=rounds,
                           selected_round=selected_round, status=status,
                           statuses=VISIBLE_STATUSES, counts=counts, items=items,
                           total=total, page=page, pages=pages)


@bp.get("/ansoegninger/<int:application_id>")
@role_required(*STAFF)
def application(application_id: int):
    application = get_application_for(current_user, application_id)
    return render_template("staff/application.html", application=application)
