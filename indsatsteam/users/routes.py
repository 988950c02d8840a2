"""Staff accounts (admins only) and the public page where an invited person sets a password."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user, logout_user

from .. import signing
from ..audit import log_access
from ..domain.errors import DomainError
from ..extensions import db
from ..forms import domain_errors, render_form
from ..models import Role, User
from ..pagination import page_arg
from ..security import role_required
from ..wording import ngettext
from . import services
from .forms import (
    AcceptInvitationForm,
    ActionForm,
    CapacityForm,
    InviteForm,
    RoleForm,
    UserSearchForm,
)

bp = Blueprint("users", __name__)


@bp.get("/admin/brugere")
@role_required(Role.ADMIN)
def index():
    form = UserSearchForm(request.args)
    page = None
    if form.validate():
        page = services.search_users(services.UserFilters(
            role=form.rolle.data or "", status=form.status.data or "", q=form.q.data or "",
            page=page_arg(request.args)))
        if page.rows:
            log_access("user", None, "Brugerliste med navne og e-mailadresser (" + ngettext(
                "%(num)s bruger", "%(num)s brugere", len(page.rows)) + ")")
    args = {k: v for k, v in request.args.items() if k != "side" and v}
    return render_form("users/index.html", form, page=page, args=args)


@bp.route("/admin/brugere/inviter", methods=["GET", "POST"])
@role_required(Role.ADMIN)
def invite():
    form = InviteForm()
    if form.validate_on_submit():
        with domain_errors(form) as done:
            user = services.invite_user(form.email.data, form.name.data, form.role.data,
                                        form.capacity.data)
        if done.ok:
            flash(f"{user.name} er inviteret som {user.role.label.lower()}. Vi har sendt "
                  f"en e-mail til {user.email} med et link til at vælge en adgangskode.",
                  "success")
            return redirect(url_for(".view", user_id=user.id))
    return render_form("users/invite.html", form,
                       valid_days=signing.invite_max_age() // 86400)


def _get_user(user_id: int) -> User:
    return db.get_or_404(User, user_id)


def _render_view(user: User, status: int = 200, **forms):
    log_access("user", user.id, "Brugerside med navn og e-mailadresse", subject_user_id=user.id)
    role_form = forms.get("role_form") or RoleForm(data={"role": user.role})
    capacity_form = forms.get("capacity_form") or CapacityForm(data={"capacity": user.capacity})
    return render_template("users/view.html", user=user, role_form=role_form,
                           capacity_form=capacity_form, action_form=ActionForm(),
                           is_self=user.id == current_user.id,
                           invitation_pending=services.invitation_pending(user)), status


@bp.get("/admin/brugere/<int:user_id>")
@role_required(Role.ADMIN)
def view(user_id: int):
    return _render_view(_get_user(user_id))


@bp.post("/admin/brugere/<int:user_id>/rolle")
@role_required(Role.ADMIN)
def change_role(user_id: int):
    user = _get_user(user_id)
    form = RoleForm()
    if form.validate_on_submit():
        before = user.role.label.lower()
        with domain_errors(form, "role") as done:
            services.change_role(current_user, user, form.role.data)
        if done.ok:
            flash(f"{user.name} er nu {user.role.label.lower()} (før: {before}).",
                  "success")
            return redirect(url_for(".view", user_id=user.id))
    return _render_view(user, 400, role_form=form)


@bp.post("/admin/brugere/<int:user_id>/kapacitet")
@role_required(Role.ADMIN)
def set_capacity(user_id: int):
    user = _get_user(user_id)
    form = CapacityForm()
    if form.validate_on_submit():
        with domain_errors(form, "capacity") as done:
            services.set_capacity(user, form.capacity.data)
        if done.ok:
            flash(f"Kapaciteten for {user.name} er sat til {user.capacity} forløb.", "success")
            return redirect(url_for(".view", user_id=user.id))
    return _render_view(user, 400, capacity_form=form)


# Actions without fields: the outcome is a flash message on the user's page.
ACTIONS = {
    "deactivate": (lambda user: services.deactivate(current_user, user),
                   "{name} er deaktiveret og kan ikke længere logge ind. Er brugeren logget "
                   "ind nu, slutter sessionen ved næste klik."),
    "reactivate": (services.reactivate, "{name} er aktiv igen og kan logge ind."),
    "reset_password": (services.send_password_reset,
                       "Vi sender et link til at nulstille adgangskoden til {email} om et "
                       "øjeblik. "
                       "Linket virker i 1 time."),
    "resend_invitation": (services.resend_invitation,
                          "Vi har sendt invitationen igen til {email}. Tidligere links virker "
                          "ikke længere."),
}


def _action(user_id: int, action: str):
    user = _get_user(user_id)
    if not ActionForm().validate_on_submit():
        abort(400)
    run, message = ACTIONS[action]
    with domain_errors() as done:
        run(user)
    if done.ok:
        flash(message.format(name=user.name, email=user.email), "success")
    return redirect(url_for(".view", user_id=user.id))


@bp.post("/admin/brugere/<int:user_id>/deaktiver")
@role_required(Role.ADMIN)
def deactivate(user_id: int):
    return _action(user_id, "deactivate")


@bp.post("/admin/brugere/<int:user_id>/genaktiver")
@role_required(Role.ADMIN)
def reactivate(user_id: int):
    return _action(user_id, "reactivate")


@bp.post("/admin/brugere/<int:user_id>/nulstil-adgangskode")
@role_required(Role.ADMIN)
def reset_password(user_id: int):
    return _action(user_id, "reset_password")


@bp.post("/admin/brugere/<int:user_id>/inviter-igen")
@role_required(Role.ADMIN)
def resend_invitation(user_id: int):
    return _action(user_id, "resend_invitation")


@bp.route("/admin/brugere/<int:user_id>/anonymiser", methods=["GET", "POST"])
@role_required(Role.ADMIN)
def anonymise(user_id: int):
    """A confirmation page ("Er du sikker?"); the POST from it anonymises."""
    user = _get_user(user_id)
    form = ActionForm()
    refusal = None
    try:
        services.check_can_anonymise(current_user, user)
    except DomainError as err:
        refusal = err.message
    if request.method == "POST" and refusal is None:
        if not form.validate_on_submit():
            abort(400)
        with domain_errors() as done:
            services.anonymise_user(user)
        if done.ok:
            flash("Brugerens personoplysninger er overskrevet, og brugeren er deaktiveret. "
                  "Historikken peger stadig på brugeren som \"Anonymiseret bruger\".",
                  "success")
        return redirect(url_for(".view", user_id=user.id))
    if user.anonymised_at is None:
        log_access("user", user.id, "Bekræftelse af anonymisering med navn og e-mailadresse",
                   subject_user_id=user.id)
    return render_template("users/anonymise.html", user=user, form=form, refusal=refusal), \
        409 if refusal and request.method == "POST" else 200


# --- the invited person's side (no login) -----------------------------------------------------

@bp.route("/invitation/<token>", methods=["GET", "POST"])
def accept_invitation(token: str):
    try:
        user = services.load_invitation(token)
    except services.InvitationRefused as err:
        return render_template("users/invitation_refused.html", message=err.message), 410
    form = AcceptInvitationForm()
    if form.validate_on_submit():
        with domain_errors(form, "password", handled=(services.InvitationRefused,)) as done:
            services.accept_invitation(user, form.password.data)
        if isinstance(done.error, services.InvitationRefused):
            return render_template("users/invitation_refused.html",
                                   message=done.error.message), 410
        if done.ok:
            if current_user.is_authenticated:
                logout_user()  # someone else's session in this browser
            flash("Din adgangskode er gemt, og din e-mailadresse er bekræftet. Log ind med "
                  "din e-mailadresse og den nye adgangskode.", "success")
            return redirect(url_for("auth.login"))
    return render_form("users/accept_invitation.html", form, user=user)
