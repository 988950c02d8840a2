"""The applicant's tilbud: register it, keep its details current, add colleagues."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import current_user

from ..access import get_provider_for
from ..forms import domain_errors, form_status, render_form
from ..models import Role
from ..security import role_required
from . import services
from .forms import AddMemberForm, ProviderForm

bp = Blueprint("providers", __name__, url_prefix="/mit-tilbud")


@bp.get("/")
@role_required(Role.APPLICANT)
def mine():
    return render_template("providers/mine.html",
                           providers=services.providers_of(current_user),
                           member_form=AddMemberForm())


@bp.route("/registrer", methods=["GET", "POST"])
@role_required(Role.APPLICANT)
def register():
    form = ProviderForm()
    if request.method == "GET":
        form.contact_name.data = current_user.name
        form.contact_email.data = current_user.email
    if form.validate_on_submit():
        with domain_errors(form) as done:
            provider = services.register_provider(current_user, form.data)
        if done.ok:
            flash(f"{provider.name} er registreret. Nu kan I søge om et rådgivningsforløb.",
                  "success")
            return redirect(url_for("pages.index"))
    return render_form("providers/form.html", form, provider=None)


@bp.route("/<int:provider_id>/rediger", methods=["GET", "POST"])
@role_required(Role.APPLICANT)
def edit(provider_id: int):
    provider = get_provider_for(current_user, provider_id)
    form = ProviderForm(obj=provider)
    if form.validate_on_submit():
        with domain_errors(form) as done:
            services.update_provider(provider, form.data)
        if done.ok:
            flash("Oplysningerne om tilbuddet er gemt.", "success")
            return redirect(url_for("providers.mine"))
    return render_form("providers/form.html", form, provider=provider)


@bp.post("/<int:provider_id>/kolleger")
@role_required(Role.APPLICANT)
def add_member(provider_id: int):
    provider = get_provider_for(current_user, provider_id)
    form = AddMemberForm()
    if form.validate_on_submit():
        with domain_errors(form) as done:
            user = services.add_member(provider, form.email.data)
        if done.ok:
            flash(f"{user.name} er nu tilknyttet {provider.name}.", "success")
            return redirect(url_for("providers.mine"))
    return render_template("providers/mine.html", providers=services.providers_of(current_user),
                           member_form=form,
                           member_form_provider_id=provider.id), form_status(form)
