"""Login through an OpenID provider: start, callback (see auth/oidc.py for the checks)."""

from __future__ import annotations

import logging

from flask import (
    Blueprint,
    abort,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_login import current_user
from sqlalchemy.exc import DBAPIError

from ..domain.redirects import is_safe_next
from ..extensions import db
from ..links import absolute_url_for
from . import oidc, oidc_services, throttle
from .oidc_services import OidcRefused, record_login
from .routes import home_for, logged_in

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


def _refused(provider: str, err: OidcRefused, acr: str | None):
    """Nothing of the attempt is kept but its audit row; the throttle counted it already."""
    db.session.rollback()
    record_login(None, method=f"oidc:{provider}", acr=acr, outcome="refused",
                 reason=err.reason)
    db.session.commit()
    log.info("OIDC-login afvist (%s): %s", provider, err.reason)
    status = 403 if err.reason in {"acr", "deactivated", "unknown_staff", "cvr_changed"} else 400
    return render_template("auth/oidc_refused.html", message=err.message,
                           provider=provider), status


def _throttle_key(provider_name: str) -> str:
    # The callback's attempts count per address like password attempts (throttle.py).
    return f"oidc:{provider_name}"


@bp.get("/log-ind/oidc/<provider>/retur")
def callback(provider: str):
    cfg = _configured(provider)
    if current_user.is_authenticated:  # a stale answer (back button): nothing to do
        return redirect(home_for(current_user))
    ip = request.remote_addr or "unknown"
    try:
        # known_device: no per-"account" cap, which here would be one for everybody.
        attempt = throttle.begin_attempt(_throttle_key(provider), ip, known_device=True)
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
    next_url = session.get(oidc.SESSION_NEXT)
    notice = None
    if outcome.register_cvr:
        notice = (f"Der er ikke registreret et tilbud under CVR-nummer {outcome.register_cvr} "
                  "endnu. Registrér jeres tilbud her; CVR-nummeret kommer fra MitID Erhverv.")
        next_url = url_for("providers.register")
    response = logged_in(outcome.user, method=f"oidc:{provider}", acr=acr, next_url=next_url,
                         provider_login={"provider": provider, "id_token": result.id_token},
                         notice=notice)
    try:  # after the login's commit: the counters have their own connection
        attempt.succeeded()
    except DBAPIError:
        log.exception("Kunne ikke nulstille login-tællerne efter et OIDC-login")
    return response
