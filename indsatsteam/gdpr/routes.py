"""My profile (Art. 15 insight, export, deletion request) and the admin's GDPR pages."""

from __future__ import annotations

import json

from flask import Blueprint, Response, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from .. import clock
from ..audit import log_access
from ..extensions import db
from ..forms import domain_errors, form_status, render_form
from ..models import Role
from ..models.gdpr import DeletionRequest
from ..pagination import page_arg
from ..security import role_required
from . import retention, services
from .export import export_user
from .forms import DeletionRequestForm, DryRunForm, HandleRequestForm, policies_form

bp = Blueprint("gdpr", __name__)


@bp.get("/min-profil")
@login_required
def profile():
    return _render_profile(DeletionRequestForm())


def _render_profile(form: DeletionRequestForm):
    access = services.access_about(current_user, page_arg(request.args))
    return render_template("gdpr/profile.html", access=access, form=form,
                           open_request=services.open_request(current_user),
                           identities=services.login_identities(current_user))


@bp.get("/min-profil/data.json")
@login_required
def my_data():
    data = export_user(current_user)
    filename = f"mine-data-{clock.now().date().isoformat()}.json"
    return Response(json.dumps(data, ensure_ascii=False, indent=2, default=str),
                    mimetype="application/json",
                    headers={"Content-Disposition": f'attachment; filename="{filename}"'})


@bp.post("/min-profil/sletning")
@login_required
def request_deletion():
    form = DeletionRequestForm()
    if form.validate_on_submit():
        with domain_errors(form, "confirm") as done:
            services.request_deletion(current_user, form.reason.data or "")
        if done.ok:
            flash("Vi har modtaget din anmodning om sletning. Du får svar på e-mail.", "success")
            return redirect(url_for(".profile"))
    return _render_profile(form), form_status(form)


@bp.route("/admin/opbevaring", methods=["GET", "POST"], endpoint="retention")
@role_required(Role.ADMIN)
def retention_settings():
    policies = retention.policies()
    form = policies_form(policies)
    dry_run = None
    if request.method == "POST" and "dry_run" in request.form:
        if DryRunForm().validate_on_submit():
            dry_run = retention.run_retention(dry_run=True, trigger="admin",
                                              actor_id=current_user.id)
    elif form.validate_on_submit():
        with domain_errors(form) as done:
            services.save_policies(policies, {
                p.kind: (getattr(form, p.kind).months.data, getattr(form, p.kind).enabled.data)
                for p in policies}, current_user)
        if done.ok:
            flash("Opbevaringsperioderne er gemt.", "success")
            return redirect(url_for(".retention"))
    return render_form("gdpr/retention.html", form, policies=policies,
                       runs=services.recent_runs(), dry_run=dry_run,
                       labels=retention.KIND_LABELS, dry_run_form=DryRunForm())


@bp.get("/admin/sletteanmodninger")
@role_required(Role.ADMIN)
def deletion_requests():
    return render_template("gdpr/requests.html", requests=services.list_requests())


@bp.route("/admin/sletteanmodninger/<int:request_id>", methods=["GET", "POST"])
@role_required(Role.ADMIN)
def deletion_request(request_id: int):
    deletion = db.get_or_404(DeletionRequest, request_id)
    form = HandleRequestForm()
    if form.validate_on_submit():
        anonymise = request.form.get("action") == "anonymise"
        with domain_errors(form, "response") as done:
            services.handle_request(deletion, current_user, anonymise=anonymise,
                                    response=form.response.data or "")
        if done.ok:
            flash("Brugeren er anonymiseret." if anonymise else "Anmodningen er afvist.",
                  "success")
            return redirect(url_for(".deletion_requests"))
    if deletion.user_id is not None:
        log_access("user", deletion.user_id, f"Anmodning om sletning fra {deletion.user.name}",
                   subject_user_id=deletion.user_id)
    return render_form("gdpr/request.html", form, deletion=deletion)
