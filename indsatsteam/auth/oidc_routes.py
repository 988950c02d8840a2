"""Login through an OpenID provider: start, callback (see auth/oidc.py for the checks)."""

from __future__ import annotations

import logging

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_login import current_user, login_user
from sqlalchemy.exc import DBAPIError

from ..domain.redirects import is_safe_next, safe_next
from ..extensions import db
from ..links import absolute_url_for
from . import oidc, oidc_services, sessions, throttle
from .oidc_services import OidcRefused, record_login

log = logging.getLogger(__name__)

bp = Blueprint("oidc", __name__)


def _configured(provider: str) -> dict:
    cfg = oidc.providers().get(provider)
    if cfg is None:
        abort(404)
    return cfg


@bp.get("/log-ind/oidc/<provider>")
def start(provider: str):
    _configured(provider)
    from .routes import home_for
    if current_user.is_authenticated:
        return redirect(home_for(current_user))
    target = request.args.get("next")
    session.pop(oidc.SESSION_NEXT, None)
    if is_safe_next(target):
        session[oidc.SESSION_NEXT] = target
    try:
        return oidc.authorize_redirect(
            provider, absolute_url_for("oidc.callback", provider=provider))
    except OidcRefused as err:
        return _refused(provider, err, None)


def _refused(provider: str, err: OidcRefused, acr: str | None, *, count: bool = False):
    db.session.rollback()
    if count:
        _count_failure()
    record_login(None, method=f"oidc:{provider}", acr=acr, outcome="refused",
                 reason=err.reason)
    db.session.commit()
    log.info("OIDC-login afvist (%s): %s", provider, err.reason)
    status = 403 if err.reason in {"acr", "deactivated", "unknown_staff", "cvr_changed"} else 400
    return render_template("auth/oidc_refused.html", message=err.message,
                           provider=provider), status


def _throttle_key(provider_name: str) -> str:
    return f"oidc:{provider_name}"


def _count_failure() -> None:
    # A refused callback counts like a wrong password for this address (throttle.py).
    try:
        throttle.begin_attempt(_throttle_key(request.view_args["provider"]),
                               request.remote_addr or "unknown", known_device=False)
    except throttle.ThrottleUnavailable:
        log.exception("Kunne ikke tælle et afvist OIDC-login")


@bp.get("/log-ind/oidc/<provider>/retur")
def callback(provider: str):
    cfg = _configured(provider)
    ip = request.remote_addr or "unknown"
    try:
        attempt = throttle.begin_attempt(_throttle_key(provider), ip, known_device=False)
    except throttle.ThrottleUnavailable:
        return render_template("auth/oidc_refused.html", provider=provider,
                               message="Vi kan ikke logge dig ind lige nu. Prøv igen om et "
                                       "par minutter."), 503
    if isinstance(attempt, throttle.Refusal):
        return render_template(
            "auth/oidc_refused.html", provider=provider,
            message="For mange mislykkede forsøg på at logge ind fra din internetforbindelse. "
                    f"Prøv igen om {throttle._wait_text(attempt.retry_after)}."), 429
    acr = None
    try:
        result = oidc.handle_callback(provider, request.args)
        person = oidc.assertion(provider, result.claims)
        acr = person.acr
        if provider == oidc_services.TILBUD:
            outcome = oidc_services.login_tilbud(person, min_acr=cfg.get("MIN_ACR"))
        else:
            outcome = oidc_services.login_staff(
                person, role_map=oidc_services.parse_role_map(cfg.get("ROLE_MAP", "")),
                min_acr=cfg.get("MIN_ACR"))
    except OidcRefused as err:
        return _refused(provider, err, acr)
    user = outcome.user
    record_login(user.id, method=f"oidc:{provider}", acr=acr, outcome="success")
    db.session.commit()
    try:
        attempt.succeeded()
    except DBAPIError:
        log.exception("Kunne ikke nulstille login-tællerne efter et OIDC-login")
    next_url = session.get(oidc.SESSION_NEXT)
    sessions.rotate_session()  # a new session: nothing from before the login carries over
    login_user(user)
    session[oidc.SESSION_LOGIN] = {"provider": provider, "id_token": result.id_token}
    flash(f"Du er logget ind som {user.name}.", "success")
    if outcome.register_cvr:
        flash(f"Der er ikke registreret et tilbud under CVR-nummer {outcome.register_cvr} "
              "endnu. Registrér jeres tilbud her; CVR-nummeret kommer fra MitID Erhverv.",
              "info")
        return redirect(url_for("providers.register"))
    from .routes import home_for
    return redirect(safe_next(next_url, home_for(user)))


def logout_redirect(login: dict | None):
    """After the local logout: the provider's end_session_endpoint, or None."""
    if not current_app.config.get("OIDC_PROVIDERS"):
        return None
    url = oidc.end_session_url(login, absolute_url_for("pages.index"))
    return redirect(url) if url else None
