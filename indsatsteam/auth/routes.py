"""Login, logout, self-registration for applicants, e-mail confirmation, password reset."""

from __future__ import annotations

import logging

from flask import (
    Blueprint,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_login import current_user, login_required, login_user
from sqlalchemy.exc import DBAPIError

from .. import rate_limits
from ..domain.login_methods import audience_of, parse_password_login
from ..domain.redirects import safe_next
from ..extensions import db
from ..forms import add_domain_error, domain_errors, form_status, render_form
from ..links import absolute_url_for
from ..models import Role, User
from . import oidc, services, sessions, throttle
from .forms import (
    ChangePasswordForm,
    ForgotPasswordForm,
    LoginForm,
    RegisterForm,
    ResetPasswordForm,
)
from .oidc_services import record_login

log = logging.getLogger(__name__)

bp = Blueprint("auth", __name__)


def home_for(user: User) -> str:
    if user.role == Role.APPLICANT:
        return url_for("applications.mine") if user.memberships else url_for("providers.mine")
    return url_for("staff.applications")


def password_audiences() -> frozenset[str]:
    """Who may log in with a password (PASSWORD_LOGIN; checked at start-up)."""
    return parse_password_login(current_app.config.get("PASSWORD_LOGIN"))


def login_buttons() -> list[dict]:
    """The configured OpenID providers, tilbud first: the buttons on the login page."""
    configured = oidc.providers()
    return [{"provider": name, "label": configured[name].get("LABEL") or name}
            for name in ("tilbud", "staff") if name in configured]


PASSWORD_NOT_FOR_YOU = {
    "tilbud": "Medarbejdere i tilbud logger ind med MitID Erhverv. Brug knappen \"{label}\".",
    "staff": "Indsatsteamets medarbejdere logger ind med organisationens eget login. Brug "
             "knappen \"{label}\".",
}


CONFIRMATION_LIMIT = ("Du skal bekræfte din e-mailadresse, før du kan logge ind. Vi har allerede "
                      "sendt dig flere e-mails med et link; brug linket i den nyeste, eller prøv "
                      "igen om en time.")
UNAVAILABLE = ("Vi kan ikke logge dig ind lige nu, fordi systemet ikke kan gemme oplysninger "
               "(det er måske ved at blive vedligeholdt). Prøv igen om et par minutter.")


@bp.route("/log-ind", methods=["GET", "POST"])
def login():
    if current_user.is_authenticated:
        return redirect(home_for(current_user))
    form = LoginForm()
    if request.method == "GET":
        form.next.data = request.args.get("next", "")
    status = 200
    audiences = password_audiences()
    if request.method == "POST" and not audiences:
        form.form_errors.append("Log ind med adgangskode er slået fra. Brug en af knapperne.")
        status = 403
    elif form.validate_on_submit():
        email = form.email.data
        try:
            user = services.authenticate(
                email, form.password.data, request.remote_addr or "unknown",
                known_device=sessions.is_known_device(throttle.account_fingerprint(email)))
        except throttle.ThrottleUnavailable:
            log.exception("Login-tællerne kunne ikke skrives; login afvist med 503")
            form.form_errors.append(UNAVAILABLE)
            status = 503
        except services.TooManyAttempts as err:
            form.form_errors.append(err.message)
            status = 429
        except services.LoginRefused as err:
            add_domain_error(form, err)
            record_login(None, method="password", acr=None, outcome="refused",
                         reason="password")
            db.session.commit()
        else:
            audience = audience_of(user.is_staff)
            if audience not in audiences:
                # The password was right, but this kind of user logs in at their provider.
                label = next((b["label"] for b in login_buttons() if b["provider"] == audience),
                             "Log ind")
                form.form_errors.append(PASSWORD_NOT_FOR_YOU[audience].format(label=label))
                record_login(user.id, method="password", acr=None, outcome="refused",
                             reason="password_off")
                db.session.commit()
                status = 403
            elif user.email_confirmed_at is None and not rate_limits.allow_confirmation_resend(
                    user.email):
                form.form_errors.append(CONFIRMATION_LIMIT)
                status = 429
            elif user.email_confirmed_at is None:
                services.send_confirmation(user)
                db.session.commit()
                form.form_errors.append(
                    "Du skal bekræfte din e-mailadresse, før du kan logge ind. Vi sender dig "
                    "en ny e-mail med et link om et øjeblik.")
            else:
                return logged_in(user, method="password", next_url=form.next.data,
                                 remember=bool(form.remember.data))
    return _login_page(form, status if status != 200 else form_status(form))


def _login_page(form: LoginForm, status: int):
    return render_template("auth/login.html", form=form, buttons=login_buttons(),
                           password_audiences=password_audiences(),
                           next_url=form.next.data or ""), status


def logged_in(user: User, *, method: str, next_url: str | None, acr: str | None = None,
              remember: bool = False, provider_login: dict | None = None,
              notice: str | None = None):
    """Every login ends here, by password or through a provider: the audit row, a fresh
    session (nothing from before the login carries over), the same safe `next` rule."""
    record_login(user.id, method=method, acr=acr, outcome="success")
    db.session.commit()
    sessions.rotate_session()
    login_user(user)
    if provider_login:
        session[oidc.SESSION_LOGIN] = provider_login
    if method == "password":
        sessions.mark_known_device(throttle.account_fingerprint(user.email))
    if remember:
        try:
            sessions.remember(user)
        except DBAPIError:
            db.session.rollback()
            log.exception("Husk mig kunne ikke gemmes; login uden")
    flash(f"Du er logget ind som {user.name}.", "success")
    if notice:
        flash(notice, "info")
    return redirect(safe_next(next_url, home_for(user)))


@bp.post("/log-ud")
@login_required
def logout():
    provider_login = session.pop(oidc.SESSION_LOGIN, None)
    sessions.log_out(current_user._get_current_object(), everywhere=False)
    flash("Du er logget ud.", "info")
    return _provider_logout(provider_login) or redirect(url_for("pages.index"))


def _provider_logout(provider_login: dict | None):
    """After the local logout: RP-initiated logout at the provider, when it offers one."""
    url = oidc.end_session_url(provider_login, absolute_url_for("pages.index"))
    return redirect(url) if url else None


@bp.post("/log-ud-alle-steder")
@login_required
def logout_everywhere():
    provider_login = session.pop(oidc.SESSION_LOGIN, None)
    sessions.log_out(current_user._get_current_object(), everywhere=True)
    flash("Du er logget ud alle steder: i denne browser og på alle andre computere og "
          "telefoner, også dem med \"Husk mig\".", "info")
    return _provider_logout(provider_login) or redirect(url_for("auth.login"))


@bp.route("/min-profil/adgangskode", methods=["GET", "POST"])
@login_required
def change_password():
    form = ChangePasswordForm()
    if form.validate_on_submit():
        user = current_user._get_current_object()
        with domain_errors(form, "password") as done:
            services.change_password(user, form.current_password.data, form.password.data)
        if done.ok:
            login_user(user)  # this browser goes on with the new session token
            flash("Din adgangskode er ændret. Du er logget ud alle andre steder.", "success")
            return redirect(url_for("gdpr.profile"))
    return render_form("auth/change_password.html", form)


@bp.route("/opret-bruger", methods=["GET", "POST"])
def register():
    if current_user.is_authenticated:
        return redirect(home_for(current_user))
    if "tilbud" not in password_audiences():
        flash("Tilbud opretter ikke en bruger med adgangskode her: log ind med MitID "
              "Erhverv, så bliver brugeren oprettet første gang.", "info")
        return redirect(url_for("auth.login"))
    form = RegisterForm()
    if form.validate_on_submit():
        existing = services.get_user_by_email(form.email.data)
        if existing is not None:
            # Same answer (and the same time: one argon2 run) as a new registration, so the
            # form cannot be used to find out who has an account; the owner of the address
            # gets a mail explaining what happened.
            services.spend_hash_time(form.password.data)
            services.send_already_registered(existing)
            db.session.commit()
            return redirect(url_for("auth.check_email"))
        with domain_errors(form) as done:
            user = services.create_user(form.email.data, form.name.data, Role.APPLICANT.value,
                                        form.password.data)
            services.send_confirmation(user)
        if done.ok:
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
    audiences = password_audiences()
    if not audiences:
        flash("Log ind med adgangskode er slået fra, så der er ingen adgangskode at "
              "nulstille. Brug en af knapperne.", "info")
        return redirect(url_for("auth.login"))
    form = ForgotPasswordForm()
    if form.validate_on_submit():
        user = services.get_user_by_email(form.email.data)
        if user is not None and user.active and audience_of(user.is_staff) in audiences:
            services.send_password_reset(user)
            db.session.commit()
        # The same answer whether or not the address exists, so accounts cannot be probed;
        # the mail is queued, so a known address does not take longer either.
        flash("Hvis e-mailadressen er registreret, sender vi et link til at nulstille "
              "adgangskoden om et øjeblik. Linket virker i 1 time.", "info")
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
        with domain_errors(form, "password") as done:
            services.set_password(user, form.password.data)
            services.confirm_email(user)  # the link proved the address too
        if done.ok:
            flash("Din adgangskode er ændret, og du er logget ud alle steder. Log ind med den "
                  "nye adgangskode.", "success")
            return redirect(url_for("auth.login"))
    return render_form("auth/reset_password.html", form)


@bp.post("/session/forlaeng")
@login_required
def keep_alive():
    """"Forbliv logget ind": the request itself refreshes the idle clock (session_timeout)."""
    return "", 204
