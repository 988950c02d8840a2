"""Login, logout, self-registration for applicants, e-mail confirmation, password reset."""

from __future__ import annotations

from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required, login_user, logout_user

from ..domain.redirects import safe_next
from ..extensions import db
from ..forms import add_domain_error, domain_errors, form_status, render_form
from ..models import Role, User
from . import services
from .forms import ForgotPasswordForm, LoginForm, RegisterForm, ResetPasswordForm

bp = Blueprint("auth", __name__)


def home_for(user: User) -> str:
    if user.role == Role.APPLICANT:
        return url_for("applications.mine") if user.memberships else url_for("providers.mine")
    return url_for("staff.applications")


@bp.route("/log-ind", methods=["GET", "POST"])
def login():
    if current_user.is_authenticated:
        return redirect(home_for(current_user))
    form = LoginForm()
    if request.method == "GET":
        form.next.data = request.args.get("next", "")
    too_many = False
    if form.validate_on_submit():
        try:
            user = services.authenticate(form.email.data, form.password.data,
                                         request.remote_addr or "unknown")
        except services.TooManyAttempts as err:
            form.form_errors.append(err.message)
            too_many = True
        except services.LoginRefused as err:
            db.session.commit()  # the failed attempt counts towards the limit
            add_domain_error(form, err)
        else:
            db.session.commit()
            if user.email_confirmed_at is None:
                services.send_confirmation(user)
                form.form_errors.append(
                    "Du skal bekræfte din e-mailadresse, før du kan logge ind. Vi har sendt dig "
                    "en ny e-mail med et link.")
            else:
                login_user(user, remember=bool(form.remember.data))
                flash(f"Du er logget ind som {user.name}.", "success")
                return redirect(safe_next(form.next.data, home_for(user)))
    return render_template("auth/login.html", form=form), 429 if too_many else form_status(form)


@bp.post("/log-ud")
@login_required
def logout():
    logout_user()
    flash("Du er logget ud.", "info")
    return redirect(url_for("pages.index"))


@bp.route("/opret-bruger", methods=["GET", "POST"])
def register():
    if current_user.is_authenticated:
        return redirect(home_for(current_user))
    form = RegisterForm()
    if form.validate_on_submit():
        existing = services.get_user_by_email(form.email.data)
        if existing is not None:
            # Same answer as a new registration, so the form cannot be used to find out who
            # has an account; the owner of the address gets a mail explaining what happened.
            services.send_already_registered(existing)
            return redirect(url_for("auth.check_email"))
        with domain_errors(form) as done:
            user = services.create_user(form.email.data, form.name.data, Role.APPLICANT.value,
                                        form.password.data)
        if done.ok:
            services.send_confirmation(user)
            return redirect(url_for("auth.check_email"))
    return render_form("auth/register.html", form)


@bp.get("/opret-bruger/tjek-din-email")
def check_email():
    return render_template("auth/check_email.html")


@bp.get("/bekraeft-email/<token>")
def confirm(token: str):
    user = services.load_token(token, services.CONFIRM_PURPOSE,
                               current_app.config["EMAIL_TOKEN_MAX_AGE_SECONDS"])
    if user is None:
        flash("Linket er udløbet eller ugyldigt. Log ind, så sender vi dig et nyt.", "error")
        return redirect(url_for("auth.login"))
    services.confirm_email(user)
    db.session.commit()
    flash("Din e-mailadresse er bekræftet. Du kan nu logge ind.", "success")
    return redirect(url_for("auth.login"))


@bp.route("/glemt-adgangskode", methods=["GET", "POST"])
def forgot_password():
    form = ForgotPasswordForm()
    if form.validate_on_submit():
        user = services.get_user_by_email(form.email.data)
        if user is not None and user.active:
            services.send_password_reset(user)
        # The same answer whether or not the address exists, so accounts cannot be probed.
        flash("Hvis e-mailadressen er registreret, har vi sendt et link til at nulstille "
              "adgangskoden. Linket virker i 1 time.", "info")
        return redirect(url_for("auth.login"))
    return render_form("auth/forgot_password.html", form)


@bp.route("/nulstil-adgangskode/<token>", methods=["GET", "POST"])
def reset_password(token: str):
    user = services.load_token(token, services.RESET_PURPOSE,
                               current_app.config["RESET_TOKEN_MAX_AGE_SECONDS"])
    if user is None:
        flash("Linket er udløbet, ugyldigt eller allerede brugt. Bed om et nyt.", "error")
        return redirect(url_for("auth.forgot_password"))
    form = ResetPasswordForm()
    if form.validate_on_submit():
        with domain_errors(form) as done:
            services.set_password(user, form.password.data)
            services.confirm_email(user)  # the link proved the address too
        if done.ok:
            flash("Din adgangskode er ændret. Log ind med den nye adgangskode.", "success")
            return redirect(url_for("auth.login"))
    return render_form("auth/reset_password.html", form)


@bp.post("/session/forlaeng")
@login_required
def keep_alive():
    """"Forbliv logget ind": the request itself refreshes the idle clock (session_timeout)."""
    return "", 204
