"""Public pages: the front page with open rounds, privacy policy, accessibility statement."""

from __future__ import annotations

from flask import Blueprint, render_template
from flask_login import current_user
from sqlalchemy import select

from .. import clock
from ..applications.services import eligibility_problem
from ..extensions import db
from ..models import Application, ApplicationRound, Role

bp = Blueprint("pages", __name__)


@bp.get("/")
def index():
    now = clock.now()
    open_rounds = db.session.execute(
        select(ApplicationRound)
        .where(ApplicationRound.opens_at <= now, ApplicationRound.closes_at > now)
        .order_by(ApplicationRound.closes_at)
    ).scalars().all()
    upcoming = db.session.execute(
        select(ApplicationRound).where(ApplicationRound.opens_at > now)
        .order_by(ApplicationRound.opens_at)
    ).scalars().all()
    mine: dict[tuple[int, int], Application] = {}
    providers = []
    if current_user.is_authenticated and current_user.role == Role.APPLICANT:
        providers = [m.provider for m in current_user.memberships]
        if providers and open_rounds:
            for application in db.session.execute(
                select(Application).where(
                    Application.provider_id.in_([p.id for p in providers]),
                    Application.round_id.in_([r.id for r in open_rounds]))
            ).scalars():
                mine[(application.round_id, application.provider_id)] = application
    # Per round and tilbud: why it may not apply, or None (the start button is shown).
    refusals = {(r.id, p.id): eligibility_problem(r, p) for r in open_rounds for p in providers}
    return render_template("pages/index.html", open_rounds=open_rounds, upcoming=upcoming,
                           mine=mine, providers=providers, refusals=refusals)


@bp.get("/privatlivspolitik")
def privacy():
    from ..gdpr.retention import KIND_LABELS, current_periods

    periods = current_periods()
    labels_off = [KIND_LABELS[k] for k, text in periods.items()
                  if text is None and k in KIND_LABELS]
    return render_template("pages/privacy.html", periods=periods, labels_off=labels_off)


@bp.get("/tilgaengelighed")
def accessibility():
    return render_template("pages/accessibility.html")
