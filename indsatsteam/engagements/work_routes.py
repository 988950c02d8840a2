"""Staff side of the phases' work: the forventningsafstemning (samarbejdsaftale), the
udviklingsplan per chosen recommendation with milestones that become tasks, and the methods
proposed from the library."""

from __future__ import annotations

from flask import abort, flash, request, url_for
from flask_login import current_user
from wtforms import SelectChoice

from ..access import get_engagement_for
from ..development import services as work
from ..development.forms import (
    EXPECTATION_GROUPS,
    ProposeMethodsForm,
    TeamExpectationsForm,
)
from ..development.inputs import expectations_from
from ..development.plan_routes import milestone_task_action, plan_page
from ..domain.expectations import Side
from ..forms import domain_errors, render_form
from ..models import Engagement
from ..security import role_required
from .routes import STAFF, _back, _form_page, bp


@bp.route("/<int:engagement_id>/samarbejdsaftale", methods=["GET", "POST"])
@role_required(*STAFF)
def agreement(engagement_id: int):
    engagement = get_engagement_for(current_user, engagement_id)
    form = TeamExpectationsForm(obj=engagement.agreement)
    if request.method == "GET" and engagement.agreement is not None:
        form.agreed.data = engagement.agreement.agreed_at is not None
    if form.validate_on_submit():
        with domain_errors(form) as done:
            work.save_expectations(engagement, Side.TEAM, expectations_from(form),
                                   agreed=form.agreed.data, actor=current_user)
        if done.ok:
            flash("Forventningsafstemningen er gemt.", "success")
            return _back(engagement, "#opstart")
    return render_form(
        "development/expectations.html", form, engagement=engagement, groups=EXPECTATION_GROUPS,
        back_url=url_for("engagements.view", engagement_id=engagement.id) + "#opstart",
        back_text="Tilbage til forløbet", editable=True,
        intro="Afstem forventningerne med tilbuddet i opstartsfasen. Tilbuddet kan rette i "
              "den i sin portal, indtil den er aftalt, og den er en del af samarbejdsaftalen.")


def _chosen(engagement: Engagement, row_id: int):
    row = work.chosen_row(engagement, row_id)
    if row is None:
        abort(404)
    return row


@bp.route("/<int:engagement_id>/udviklingsplan/<int:row_id>", methods=["GET", "POST"])
@role_required(*STAFF)
def development_plan(engagement_id: int, row_id: int):
    engagement = get_engagement_for(current_user, engagement_id)
    row = _chosen(engagement, row_id)
    return plan_page(engagement, row, Side.TEAM, view_endpoint="engagements.view",
                     back_text="Tilbage til forløbet")


@bp.post("/<int:engagement_id>/milepaele/<int:milestone_id>/opgave")
@role_required(*STAFF)
def milestone_task(engagement_id: int, milestone_id: int):
    return milestone_task_action(get_engagement_for(current_user, engagement_id), milestone_id,
                                 Side.TEAM, view_endpoint="engagements.view")


@bp.route("/<int:engagement_id>/metoder", methods=["GET", "POST"])
@role_required(*STAFF)
def methods(engagement_id: int):
    engagement = get_engagement_for(current_user, engagement_id)
    library = work.current_methods()
    proposed = {m.method_id: m.method for m in engagement.methods}
    offered = library + [m for i, m in proposed.items() if i not in {x.id for x in library}]
    form = ProposeMethodsForm()
    form.method_ids.choices = [SelectChoice(m.id, m.title, {"hint": m.description[:400]})
                               for m in offered]
    if request.method == "GET":
        form.method_ids.data = list(proposed)
    if form.validate_on_submit():
        with domain_errors(form, default_field="method_ids") as done:
            work.propose_methods(engagement, form.method_ids.data or [], current_user)
        if done.ok:
            flash("Forslagene er gemt. Tilbuddet ser dem i sin portal.", "success")
            return _back(engagement, "#metoder")
    return _form_page(engagement, form, "Foreslå metoder og redskaber",
                      "Metoderne og redskaberne kommer fra indsatsteamets bibliotek. Tilbuddet "
                      "ser dem, du foreslår, ved siden af sine anbefalinger.")
