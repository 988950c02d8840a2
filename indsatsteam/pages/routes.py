"""Public pages: the front page with open rounds, privacy policy, accessibility statement."""

from __future__ import annotations

from flask import Blueprint, render_template
from flask_login import current_user

from .. import clock
from ..applications.services import applications_in_rounds, eligibility_problem
from ..domain.engagements import RUBRIC
from ..models import Role
from ..rounds.services import open_rounds, unclosed_rounds, upcoming_rounds
from ..themes.services import active_themes

bp = Blueprint("pages", __name__)


@bp.get("/")
def index():
    now = clock.now()
    rounds = open_rounds(now)
    providers = []
    if current_user.is_authenticated and current_user.role == Role.APPLICANT:
        providers = [m.provider for m in current_user.memberships]
    # Per round and tilbud: why it may not apply, or None (the start button is shown).
    refusals = {(r.id, p.id): eligibility_problem(r, p) for r in rounds for p in providers}
    return render_template("pages/index.html", open_rounds=rounds,
                           upcoming=upcoming_rounds(now), providers=providers,
                           mine=applications_in_rounds(providers, rounds), refusals=refusals,
                           themes=active_themes())


@bp.get("/ansoegningsvejledning")
def guide():
    now = clock.now()
    return render_template("pages/guide.html", rounds=unclosed_rounds(now),
                           themes=active_themes(), rubric=RUBRIC, now=now)


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
