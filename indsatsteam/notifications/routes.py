"""The notification centre: the list, read marks and the user's delivery preferences."""

from __future__ import annotations

from flask import (
    Blueprint,
    abort,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_login import current_user, login_required

from ..forms import domain_errors, render_form
from ..pagination import page_arg
from . import services
from .forms import MarkReadForm, preferences_form

bp = Blueprint("notifications", __name__, url_prefix="/notifikationer")


@bp.get("/")
@login_required
def index():
    page = services.notifications_for(current_user, page_arg(request.args))
    return render_template("notifications/index.html", page=page, form=MarkReadForm(),
                           categories=services.CATEGORIES,
                           unread_notifications=services.unread_count(current_user.id))


def _back_to_list():
    return redirect(url_for(".index", side=request.args.get("side", type=int)))


@bp.post("/<int:notification_id>/laest")
@login_required
def mark_read(notification_id: int):
    notification = services.notification_of(current_user, notification_id)
    if notification is None:
        abort(404)
    if MarkReadForm().validate_on_submit():
        with domain_errors() as done:
            services.mark_read(notification)
        if done.ok:
            flash(f"„{notification.subject}“ er markeret som læst.", "success")
    return _back_to_list()


@bp.post("/laest")
@login_required
def mark_all_read():
    if MarkReadForm().validate_on_submit():
        with domain_errors() as done:
            count = services.mark_all_read(current_user)
        if done.ok:
            flash("Alle notifikationer er markeret som læst." if count
                  else "Du har ingen ulæste notifikationer.", "success")
    return _back_to_list()


@bp.route("/indstillinger", methods=["GET", "POST"])
@login_required
def settings():
    categories = services.categories_for(current_user)
    form = preferences_form(categories, data=services.preferences_of(current_user))
    if form.validate_on_submit():
        with domain_errors(form) as done:
            services.save_preferences(current_user,
                                      {c.code: form[c.code].data for c in categories})
        if done.ok:
            flash("Dine indstillinger for notifikationer er gemt. De gælder for nye "
                  "notifikationer.", "success")
            return redirect(url_for(".settings"))
    return render_form("notifications/settings.html", form, categories=categories)
