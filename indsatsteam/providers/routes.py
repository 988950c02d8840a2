"""The applicant's tilbud: register it, keep its details current, add colleagues."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import current_user

from ..access import get_provider_for
from ..auth.oidc_services import bound_cvr
from ..domain.errors import DomainError
from ..forms import domain_errors, form_status, render_form
from ..models import Role
from ..security import role_required
from . import services
from .forms import AcceptInvitationForm, AddMemberForm, ProviderForm

bp = Blueprint("providers", __name__, url_prefix="/mit-tilbud")


def _lock_cvr(form: ProviderForm) -> None:
    """A MitID Erhverv user acts for one CVR: the field shows it and cannot be changed (the
    service refuses another CVR whatever is posted)."""
    cvr = bound_cvr(current_user)
    if cvr is None:
        return
    form.cvr.data = cvr
    form.cvr.render_kw = {"readonly": True}
    form.cvr.description = "Kommer fra jeres login med MitID Erhverv og kan ikke ændres."


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
    _lock_cvr(form)
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
    _lock_cvr(form)
    if form.validate_on_submit():
        with domain_errors(form) as done:
            services.update_provider(provider, form.data, current_user)
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
        with domain_errors(form, "email") as done:
            email = services.invite_colleague(provider, current_user, form.email.data)
        if done.ok:
            days = services.colleague_invitation_days()
            flash(f"Vi sender en invitation til {email}. Kollegaen bliver tilknyttet "
                  f"{provider.name}, når vedkommende har taget imod den via linket i e-mailen "
                  f"(linket virker i {days} dage).", "success")
            return redirect(url_for("providers.mine"))
    return render_template("providers/mine.html", providers=services.providers_of(current_user),
                           member_form=form,
                           member_form_provider_id=provider.id), form_status(form)


@bp.route("/invitation/<token>", methods=["GET", "POST"])
def accept_invitation(token: str):
    """The link in a colleague's invitation: log in (or create an account) with the invited
    address, then confirm."""
    invitation = services.load_colleague_invitation(token)
    if invitation is None:
        return render_template(
            "providers/invitation.html", invitation=None, form=None, problem=(
                "Linket er udløbet eller ugyldigt. Bed din kollega om at sende en ny "
                "invitation fra siden Mit tilbud.")), 410
    if not current_user.is_authenticated:
        return render_template("providers/invitation.html", invitation=invitation, form=None,
                               problem=None)
    form = AcceptInvitationForm()
    problem = None
    if form.validate_on_submit():
        with domain_errors(form) as done:
            services.accept_colleague_invitation(invitation, current_user)
        if done.ok:
            flash(f"Du er nu tilknyttet {invitation.provider.name}.", "success")
            return redirect(url_for("providers.mine"))
        problem = form.form_errors[-1] if form.form_errors else None
    else:
        try:
            services.check_colleague_invitation(invitation, current_user)
        except DomainError as err:
            problem = err.message
    return render_template("providers/invitation.html", invitation=invitation, form=form,
                           problem=problem), 400 if problem and request.method == "POST" else 200
