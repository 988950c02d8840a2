"""The tilbud's portal: its engagement, its own tasks, its choice of recommendations and its
self-assessments. Only members of the engagement's provider get in; others get 404."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user

from .. import clock
from ..development import services as work
from ..development.forms import EXPECTATION_GROUPS, ButtonForm, ExpectationsForm
from ..development.inputs import expectations_from
from ..development.plan_routes import milestone_task_action, plan_page
from ..development.values import agreement_is_agreed, chosen_rows
from ..domain.catalogues import item_words
from ..domain.engagements import is_overdue
from ..domain.expectations import Side, may_edit_expectations, may_edit_plan
from ..domain.indicators import MeasurementStage
from ..forms import domain_errors, render_form
from ..measurements.page_routes import baseline_page, benefits_page, measurement_page
from ..models import Engagement, Role
from ..security import role_required
from ..wording import ngettext
from . import services
from .forms import (
    ChooseRecommendationsForm,
    TaskStatusForm,
    self_assessment_form_class,
)

bp = Blueprint("portal", __name__, url_prefix="/vores-forloeb")


def _engagement(engagement_id: int) -> Engagement:
    engagement = services.get_engagement_for_provider_user(current_user, engagement_id)
    if engagement is None:
        abort(404)
    return engagement


def _back(engagement: Engagement, anchor: str = ""):
    return redirect(url_for("portal.view", engagement_id=engagement.id) + anchor)


@bp.get("/")
@role_required(Role.APPLICANT)
def index():
    return render_template("portal/index.html",
                           engagements=services.provider_engagements(current_user))


@bp.get("/<int:engagement_id>")
@role_required(Role.APPLICANT)
def view(engagement_id: int):
    engagement = _engagement(engagement_id)
    return render_template(
        "portal/view.html", engagement=engagement,
        consultants=services.consultants(engagement),
        tasks=services.provider_tasks(engagement), today=clock.today(), is_overdue=is_overdue,
        meetings=services.upcoming_meetings(engagement, clock.now()),
        held=services.held_meetings(engagement), shared_minutes=services.shared_minutes,
        evaluation=services.final_evaluation(engagement),
        result=services.self_assessment_result(engagement),
        findings=services.recorded_findings(engagement),
        chosen=services.chosen_recommendations(engagement),
        choice_mode=services.choice_mode(engagement),
        stage=services.assessment_stage(engagement),
        closed=services.is_closed(engagement), status_form=TaskStatusForm(),
        plan_rows=chosen_rows(engagement), button_form=ButtonForm(),
        plans_editable=may_edit_plan(Side.TILBUD, engagement.phase),
        expectations_editable=may_edit_expectations(Side.TILBUD, engagement.phase,
                                                    agreement_is_agreed(engagement)))


@bp.post("/<int:engagement_id>/opgaver/<int:task_id>/status")
@role_required(Role.APPLICANT)
def task_status(engagement_id: int, task_id: int):
    engagement = _engagement(engagement_id)
    task = services.get_provider_task(engagement, task_id)
    if task is None:
        abort(404)
    form = TaskStatusForm()
    if not form.validate_on_submit():
        flash(next(iter(form.errors.values()))[0], "error")
        return _back(engagement, "#opgaver")
    with domain_errors() as done:
        services.update_task_status(engagement, task, form.status.data, current_user)
    if done.ok:
        flash(f"Opgaven \"{task.title}\" har nu status "
              f"\"{task.status.label}\".", "success")
    return _back(engagement, "#opgaver")


@bp.route("/<int:engagement_id>/anbefalinger", methods=["GET", "POST"])
@role_required(Role.APPLICANT)
def recommendations(engagement_id: int):
    engagement = _engagement(engagement_id)
    mode = services.choice_mode(engagement)
    items = services.catalogue_items(engagement)
    form = ChooseRecommendationsForm()
    form.set_catalogue(items, item_words(engagement.catalogue.code))
    if request.method == "GET":
        form.recommendation_ids.data = [i.recommendation.id for i in items if i.chosen]
    elif mode != services.ChoiceMode.OPEN:
        flash(mode.explain(item_words(engagement.catalogue.code)), "error")
        return redirect(url_for("portal.recommendations", engagement_id=engagement.id))
    elif form.validate_on_submit():
        with domain_errors(form, default_field="recommendation_ids") as done:
            services.choose_recommendations(engagement, form.recommendation_ids.data,
                                            current_user)
        if done.ok:
            count = len(services.chosen_recommendations(engagement))
            words = item_words(engagement.catalogue.code)
            flash("Jeres valg er gemt. I arbejder med "
                  + ngettext(f"%(num)s {words.one}", f"%(num)s {words.many}", count) + ".",
                  "success")
            return _back(engagement, "#anbefalinger")
    return render_form("portal/recommendations.html", form, engagement=engagement,
                       items=items, mode=mode)


@bp.route("/<int:engagement_id>/selvevaluering", methods=["GET", "POST"])
@role_required(Role.APPLICANT)
def self_assessment(engagement_id: int):
    engagement = _engagement(engagement_id)
    stage = services.assessment_stage(engagement)
    chosen = services.chosen_recommendations(engagement)
    form = self_assessment_form_class(chosen, item_words(engagement.catalogue.code))()
    if request.method == "GET":
        for row in chosen:
            form[services.score_field(row)].data = services.current_score(row, stage)
    elif not (stage.editable and chosen):
        flash(stage.refusal if not stage.editable
              else "Vælg først de anbefalinger, I vil arbejde med.", "error")
        return redirect(url_for("portal.self_assessment", engagement_id=engagement.id))
    elif form.validate_on_submit():
        with domain_errors(form) as done:
            services.save_self_assessment(
                engagement, {row.id: form[services.score_field(row)].data for row in chosen})
        if done.ok:
            first = stage == services.AssessmentStage.BASELINE
            flash(f"Jeres {'første' if first else 'afsluttende'} selvevaluering er gemt.",
                  "success")
            return _back(engagement, "#anbefalinger")
    return render_form("portal/self_assessment.html", form, engagement=engagement,
                       chosen=chosen, stage=stage, score_field=services.score_field)


# --- the phases' work: forventningsafstemning and development plans --------------------------

@bp.route("/<int:engagement_id>/forventninger", methods=["GET", "POST"])
@role_required(Role.APPLICANT)
def expectations(engagement_id: int):
    engagement = _engagement(engagement_id)
    agreement = engagement.agreement
    editable = may_edit_expectations(Side.TILBUD, engagement.phase,
                                     agreement_is_agreed(engagement))
    form = ExpectationsForm(obj=agreement)
    if request.method == "POST" and not editable:
        flash(services.expectations_locked_text(engagement), "error")
        return redirect(url_for("portal.expectations", engagement_id=engagement.id))
    if form.validate_on_submit():
        with domain_errors(form) as done:
            work.save_expectations(engagement, Side.TILBUD, expectations_from(form),
                                   actor=current_user)
        if done.ok:
            flash("Jeres forventningsafstemning er gemt. Jeres konsulent markerer den som "
                  "aftalt, når I er enige.", "success")
            return _back(engagement, "#samarbejdsaftale")
    return render_form(
        "development/expectations.html", form, engagement=engagement, groups=EXPECTATION_GROUPS,
        back_url=url_for("portal.view", engagement_id=engagement.id) + "#samarbejdsaftale",
        back_text="Jeres rådgivningsforløb", editable=editable,
        locked_text=services.expectations_locked_text(engagement),
        intro="I og indsatsteamet afstemmer forventningerne i opstartsfasen, så I får mest "
              "muligt ud af forløbet. Begge parter kan skrive i den, indtil den er aftalt, og "
              "den bliver en del af samarbejdsaftalen.")


@bp.route("/<int:engagement_id>/udviklingsplan/<int:row_id>", methods=["GET", "POST"])
@role_required(Role.APPLICANT)
def development_plan(engagement_id: int, row_id: int):
    engagement = _engagement(engagement_id)
    row = work.chosen_row(engagement, row_id)
    if row is None:
        abort(404)
    return plan_page(engagement, row, Side.TILBUD, view_endpoint="portal.view",
                     back_text="Jeres rådgivningsforløb")


@bp.post("/<int:engagement_id>/milepaele/<int:milestone_id>/opgave")
@role_required(Role.APPLICANT)
def milestone_task(engagement_id: int, milestone_id: int):
    return milestone_task_action(_engagement(engagement_id), milestone_id, Side.TILBUD,
                                 view_endpoint="portal.view")


# --- documented effect: indicators, measurements, follow-up, the four benefits ----------------

PORTAL_BACK = {"view_endpoint": "portal.view", "back_text": "Jeres rådgivningsforløb"}


@bp.route("/<int:engagement_id>/indikatorer", methods=["GET", "POST"])
@role_required(Role.APPLICANT)
def indicators(engagement_id: int):
    return baseline_page(_engagement(engagement_id), Side.TILBUD, **PORTAL_BACK)


@bp.route("/<int:engagement_id>/slutmaaling", methods=["GET", "POST"])
@role_required(Role.APPLICANT)
def end_measurement(engagement_id: int):
    return measurement_page(_engagement(engagement_id), Side.TILBUD, MeasurementStage.END,
                            **PORTAL_BACK)


@bp.route("/<int:engagement_id>/opfoelgning", methods=["GET", "POST"])
@role_required(Role.APPLICANT)
def follow_up(engagement_id: int):
    return measurement_page(_engagement(engagement_id), Side.TILBUD,
                            MeasurementStage.FOLLOW_UP, **PORTAL_BACK)


@bp.route("/<int:engagement_id>/udbytte", methods=["GET", "POST"])
@role_required(Role.APPLICANT)
def benefits(engagement_id: int):
    return benefits_page(_engagement(engagement_id), Side.TILBUD, **PORTAL_BACK)
