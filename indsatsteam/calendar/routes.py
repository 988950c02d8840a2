"""Min kalender: the feed itself (no login: the secret token is the key) and the page that
creates or renews the token."""

from __future__ import annotations

from flask import Blueprint, Response, abort, current_app, render_template
from flask_login import current_user, login_required

from .. import clock
from ..extensions import db
from ..forms import Form
from ..links import absolute_url_for
from . import services
from .feed import build_feed

bp = Blueprint("calendar", __name__, url_prefix="/kalender")


@bp.get("")
@login_required
def index():
    return render_template("calendar/index.html", form=Form(),
                           has_token=current_user.calendar_token_hash is not None)


@bp.post("/forny")
@login_required
def renew():
    form = Form()
    if not form.validate_on_submit():
        abort(400)
    token = services.renew_token(current_user)
    db.session.commit()
    feed_url = absolute_url_for("calendar.feed", token=token)
    # Rendered here rather than after a redirect: only the hash is stored, so this response
    # is the one place the URL exists; it is not kept in the session either (no-store).
    return render_template("calendar/index.html", form=Form(), has_token=True,
                           feed_url=feed_url,
                           webcal_url="webcal://" + feed_url.split("://", 1)[1])


@bp.get("/<token>.ics")
def feed(token: str):
    user = services.user_for_token(token)
    if user is None:
        abort(404)
    now = clock.now()
    body = build_feed(user, services.events_for(user, now), now,
                      current_app.config["PUBLIC_BASE_URL"])
    return Response(body, mimetype="text/calendar", headers={
        "Content-Disposition": 'inline; filename="indsatsteamet.ics"',
        "Cache-Control": "no-store",  # personal data, fetched by calendar servers
        "X-Robots-Tag": "noindex",
    })
