"""Application rounds for admins: list with counts, create, edit, close early."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for

from ..domain.applications import ApplicationStatus
from ..domain.danish_time import local_to_utc, local_wall_time
from ..domain.eligibility import ALL_KINDS
from ..extensions import db
from ..forms import domain_errors, render_form
from ..models import ApplicationRound, Role
from ..security import role_required
from . import services
from .forms import CloseEarlyForm, OpenedRoundForm, RoundForm

bp = Blueprint("rounds", __name__, url_prefix="/admin/runder")


def _local(value):
    # The form shows Danish wall time without seconds.
    return local_wall_time(value).replace(second=0, microsecond=0)


@bp.get("/")
@role_required(Role.ADMIN)
def index():
    return render_template("rounds/index.html", rows=services.rounds_with_counts(),
                           statuses=list(ApplicationStatus))


@bp.route("/ny", methods=["GET", "POST"])
@role_required(Role.ADMIN)
def new():
    form = RoundForm()
    if request.method == "GET":
        form.eligible_kinds.data = [k for k, _label in form.eligible_kinds.choices]
    if form.validate_on_submit():
        with domain_errors(form) as done:
            round_ = services.create_round(
                name=form.name.data, description=form.description.data or "",
                opens_at=local_to_utc(form.opens_at.data),
                closes_at=local_to_utc(form.closes_at.data),
                programmes_offered=form.programmes_offered.data,
                eligible_kinds=form.eligible_kinds.data or [],
                eligible_owner_types=form.eligible_owner_types.data or [],
                eligible_regions=form.eligible_regions.data or [])
        if done.ok:
            flash(f"Ansøgningsrunden {round_.name} er oprettet.", "success")
            return redirect(url_for(".index"))
    return render_form("rounds/edit.html", form, round=None)


@bp.route("/<int:round_id>", methods=["GET", "POST"])
@role_required(Role.ADMIN)
def edit(round_id: int):
    round_ = db.get_or_404(ApplicationRound, round_id)
    opened = services.has_opened(round_)
    form_class = OpenedRoundForm if opened else RoundForm
    if request.method == "GET":
        data = {"description": round_.description,
                "programmes_offered": round_.programmes_offered}
        if not opened:
            rules = round_.rules
            data.update(name=round_.name, opens_at=_local(round_.opens_at),
                        closes_at=_local(round_.closes_at),
                        eligible_kinds=sorted(rules.kinds or ALL_KINDS),
                        eligible_owner_types=sorted(rules.owner_types),
                        eligible_regions=sorted(rules.regions))
        form = form_class(data=data)
    else:
        form = form_class()
    if form.validate_on_submit():
        values = {"description": form.description.data or "",
                  "programmes_offered": form.programmes_offered.data}
        if not opened:
            values.update(name=form.name.data, opens_at=local_to_utc(form.opens_at.data),
                          closes_at=local_to_utc(form.closes_at.data),
                          eligible_kinds=form.eligible_kinds.data or [],
                          eligible_owner_types=form.eligible_owner_types.data or [],
                          eligible_regions=form.eligible_regions.data or [])
        with domain_errors(form) as done:
            services.update_round(round_, **values)
        if done.ok:
            flash(f"Ansøgningsrunden {round_.name} er gemt.", "success")
            return redirect(url_for(".index"))
    return render_form("rounds/edit.html", form, round=round_, opened=opened)


@bp.route("/<int:round_id>/luk", methods=["GET", "POST"])
@role_required(Role.ADMIN)
def close_early(round_id: int):
    round_ = db.get_or_404(ApplicationRound, round_id)
    form = CloseEarlyForm()
    if form.validate_on_submit():
        with domain_errors(form) as done:
            services.close_early(round_, form.reason.data)
        if done.ok:
            flash(f"Ansøgningsrunden {round_.name} er lukket. Der kan ikke længere indsendes "
                  f"ansøgninger.", "success")
            return redirect(url_for(".index"))
    return render_form("rounds/close.html", form, round=round_, is_open=round_.is_open())
