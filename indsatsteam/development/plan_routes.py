"""The udviklingsplan page, the same for the team (engagements) and the tilbud (portal):
only the side that edits and the forløb page to go back to differ."""

from __future__ import annotations

from flask import abort, flash, redirect, request, url_for
from flask_login import current_user

from ..domain.expectations import Side, may_edit_plan
from ..forms import domain_errors, render_form
from ..models import Engagement, EngagementRecommendation
from . import services as work
from .forms import ButtonForm, PlanForm
from .inputs import plan_form_data, plan_input_from
from .values import recommendation_label


def plan_page(engagement: Engagement, row: EngagementRecommendation, side: Side, *,
              view_endpoint: str, back_text: str):
    back_url = url_for(view_endpoint, engagement_id=engagement.id) + "#udviklingsplan"
    form = PlanForm(data=plan_form_data(row.plan)) if request.method == "GET" else PlanForm()
    form.set_methods(work.plan_method_choices(engagement, row.plan),
                     {m.method_id for m in engagement.methods})
    editable = may_edit_plan(side, engagement.phase)
    if request.method == "POST" and form.validate_on_submit():
        with domain_errors(form) as done:
            work.save_plan(engagement, row, side, plan_input_from(form))
        if done.ok:
            flash(f"Udviklingsplanen for {recommendation_label(row)} er gemt.", "success")
            return redirect(back_url)
    return render_form("development/plan.html", form, engagement=engagement, row=row,
                       editable=editable, back_url=back_url, back_text=back_text,
                       locked_text="Udviklingsplanerne laves og rettes i udviklingsfasen.")


def milestone_task_action(engagement: Engagement, milestone_id: int, side: Side, *,
                          view_endpoint: str):
    """ "Gør til opgave" at a milestone: a task for the tilbud, once however often clicked."""
    milestone = work.milestone_in(engagement, milestone_id)
    if milestone is None:
        abort(404)
    if ButtonForm().validate_on_submit():
        with domain_errors() as done:
            task, created = work.milestone_to_task(engagement, milestone, side, current_user)
        if done.ok:
            whose = "en opgave for tilbuddet" if side == Side.TEAM else "en af jeres opgaver"
            flash(f"Milepælen \"{task.title}\" er nu {whose}." if created
                  else f"Milepælen \"{task.title}\" er allerede en opgave.",
                  "success" if created else "info")
    return redirect(url_for(view_endpoint, engagement_id=engagement.id) + "#udviklingsplan")
