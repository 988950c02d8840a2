"""Role checks, the login redirect and HTTP security headers (login loading: auth/sessions.py)."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from urllib.parse import urlsplit

from flask import Flask, abort, flash, redirect, request, url_for
from flask_login import current_user, login_required

from .domain.redirects import is_safe_next
from .extensions import login_manager

CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "font-src 'self'; connect-src 'self'; form-action {form_action}; frame-ancestors 'none'; "
    "base-uri 'none'; object-src 'none'"
)


def content_security_policy(oidc_providers: dict | None) -> str:
    """The CSP; "Log af" posts to us and is redirected to the OpenID provider's logout
    (RP-initiated logout), and form-action covers redirects too, so it names their origins."""
    origins = sorted({f"{parts.scheme}://{parts.netloc}"
                      for cfg in (oidc_providers or {}).values()
                      if (parts := urlsplit(cfg.get("ISSUER", ""))).netloc})
    return CSP.format(form_action=" ".join(["'self'", *origins]))


@login_manager.unauthorized_handler
def unauthorized():
    """Send the visitor to the login page and back afterwards.

    After a POST (say, a session that expired while filling in a form) the way back is the
    page the form was on, since the POST address itself cannot be opened.
    """
    if request.method == "GET":
        target = request.full_path.rstrip("?")
    else:
        referrer = urlsplit(request.referrer or "")
        same_site = referrer.netloc == request.host
        target = referrer.path + (f"?{referrer.query}" if referrer.query else "") \
            if same_site else None
    flash("Log ind for at se siden.", "info")
    return redirect(url_for("auth.login", next=target if is_safe_next(target) else None))


def role_required(*roles: str) -> Callable:
    """Only logged-in users with one of the roles; others get 403."""

    def decorator(view: Callable) -> Callable:
        @wraps(view)
        @login_required
        def wrapped(*args, **kwargs):
            if current_user.role not in roles:
                abort(403)
            return view(*args, **kwargs)

        return wrapped

    return decorator


def init_app(app: Flask) -> None:
    @app.after_request
    def security_headers(response):
        response.headers.setdefault("Content-Security-Policy", content_security_policy(
            app.config.get("OIDC_PROVIDERS")))
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("X-Frame-Options", "DENY")
        response.headers.setdefault("Referrer-Policy", "same-origin")
        # No other site may hold a window reference to ours or embed our responses.
        response.headers.setdefault("Cross-Origin-Opener-Policy", "same-origin")
        response.headers.setdefault("Cross-Origin-Resource-Policy", "same-origin")
        response.headers.setdefault("Permissions-Policy",
                                    "camera=(), microphone=(), geolocation=()")
        if not app.debug and not app.testing:
            response.headers.setdefault("Strict-Transport-Security", "max-age=31536000")
        # Pages with personal data must not linger in shared caches or the back button.
        if response.mimetype == "text/html":
            response.headers.setdefault("Cache-Control", "no-store")
        return response
