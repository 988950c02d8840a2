"""The admin's search in the audit trail and the access log, and each object's history."""

from __future__ import annotations

from flask import Blueprint, render_template, request
from flask_login import current_user

from ..access import get_application_for, get_engagement_for
from ..forms import render_form
from ..models import Role
from ..pagination import page_arg
from ..security import role_required
from . import queries
from .forms import AccessSearchForm, AuditSearchForm

bp = Blueprint("audit", __name__)


def _people_choices(empty: str) -> list[tuple[int | None, str]]:
    return [("", empty)] + [(u.id, f"{queries.person_label(u)} ({u.id})")
                              for u in queries.people()]


@bp.get("/admin/revision")
@role_required(Role.ADMIN)
def search():
    form = AuditSearchForm(request.args)
    form.bruger.choices = _people_choices("Alle")
    form.objekttype.choices = [("", "Alle")] + queries.object_types_present()
    page = None
    if form.validate():
        page = queries.search_events(queries.AuditFilters(
            actor_id=form.bruger.data, object_type=form.objekttype.data or "",
            object_id=form.objekt_id.data, start=form.fra.data, end=form.til.data,
            page=page_arg(request.args)))
    args = {k: v for k, v in request.args.items() if k != "side" and v}
    return render_form("audit/search.html", form, page=page, args=args)


@bp.get("/admin/adgangslog")
@role_required(Role.ADMIN)
def access_log():
    form = AccessSearchForm(request.args)
    form.bruger.choices = _people_choices("Alle")
    form.person.choices = _people_choices("Alle")
    providers = queries.providers()
    form.tilbud.choices = [("", "Alle"), *providers.items()]
    page = None
    if form.validate():
        page = queries.search_access(queries.AccessFilters(
            viewer_id=form.bruger.data, subject_user_id=form.person.data,
            provider_id=form.tilbud.data, start=form.fra.data, end=form.til.data,
            page=page_arg(request.args)))
    args = {k: v for k, v in request.args.items() if k != "side" and v}
    return render_form("audit/access_log.html", form, page=page, args=args,
                       providers=providers)


@bp.get("/sagsbehandling/ansoegninger/<int:application_id>/historik")
@role_required(Role.CONSULTANT, Role.MANAGER, Role.ADMIN)
def application_history(application_id: int):
    application = get_application_for(current_user, application_id)
    page = queries.history_of_objects(queries.application_objects(application),
                                      page_arg(request.args))
    return render_template("audit/history.html", page=page,
                           heading=f"Ændringslog for ansøgning {application.reference}",
                           back_url=queries.object_url("application", application.id))


@bp.get("/forloeb/<int:engagement_id>/historik")
@role_required(Role.CONSULTANT, Role.MANAGER)
def engagement_history(engagement_id: int):
    engagement = get_engagement_for(current_user, engagement_id)
    page = queries.history_of_objects(queries.engagement_objects(engagement),
                                      page_arg(request.args))
    return render_template("audit/history.html", page=page,
                           heading=f"Ændringslog for forløbet med {engagement.provider.name}",
                           back_url=queries.object_url("engagement", engagement.id))
