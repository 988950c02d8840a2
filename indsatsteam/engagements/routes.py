"""Staff side of the rådgivningsforløb: the engagement page and everything recorded on it."""

from __future__ import annotations

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user
from wtforms import SelectChoice

from .. import clock
from ..access import get_engagement_for
from ..audit import log_access
from ..development import services as work
from ..development.forms import ButtonForm
from ..development.values import chosen_rows
from ..domain.catalogues import item_words
from ..domain.danish_time import local_wall_time
from ..domain.engagements import is_overdue
from ..domain.phases import Phase
from ..forms import domain_errors, first_submission, form_status
from ..models import Engagement, Meeting, Role, Task
from ..security import role_required
from . import planning, services
from .forms import (
    FinalEvaluationForm,
    MeetingForm,
    NoteForm,
    PhaseMoveForm,
    PlanForm,
    ProposeForm,
    TaskForm,
    TaskStatusForm,
    analysis_form_class,
)
from .inputs import MeetingInput, TaskInput
from .timeline import timeline

bp = Blueprint("engagements", __name__, url_prefix="/forloeb")
STAFF = (Role.CONSULTANT, Role.MANAGER)


def _back(engagement: Engagement, anchor: str = ""):
    return redirect(url_for("engagements.view", engagement_id=engagement.id) + anchor)


def _form_page(engagement: Engagement, form, heading: str, intro: str = ""):
    return render_template("engagements/form.html", engagement=engagement, form=form,
                           heading=heading, intro=intro), form_status(form)


def _phase_form(engagement: Engagement) -> PhaseMoveForm:
    form = PhaseMoveForm()
    form.target.choices = [(p.value, p.label) for p in services.targets_for(engagement,
                                                                            current_user)]
    return form


@bp.get("/")
@role_required(*STAFF)
def index():
    phase = request.args.get("fase", "")
    engagements = services.engagements_for(
        current_user, Phase(phase) if phase in {p.value for p in Phase} else None)
    return render_template("engagements/index.html", engagements=engagements, phase=phase,
                           phases=list(Phase), today=clock.today(), is_overdue=is_overdue)


@bp.get("/<int:engagement_id>")
@role_required(*STAFF)
def view(engagement_id: int):
    engagement = get_engagement_for(current_user, engagement_id)
    log_access("engagement", engagement.id,
               f"Forløb med {engagement.provider.name}: deltagere, møder og noter",
               provider_id=engagement.provider_id)
    return _render_view(engagement, NoteForm())


def _render_view(engagement: Engagement, note_form: NoteForm, status: int = 200):
    return render_template(
        "engagements/view.html", engagement=engagement, phase_form=_phase_form(engagement),
        facts=services.gate_facts(engagement), note_form=note_form, today=clock.today(),
        timeline=timeline(engagement, work.work_changes(engagement)), is_overdue=is_overdue,
        status_form=TaskStatusForm(), button_form=ButtonForm(),
        plan_rows=chosen_rows(engagement)), status


@bp.post("/<int:engagement_id>/fase")
@role_required(*STAFF)
def move(engagement_id: int):
    engagement = get_engagement_for(current_user, engagement_id)
    form = _phase_form(engagement)
    if not form.validate_on_submit():
        for errors in form.errors.values():
            flash(errors[0], "error")
        return _back(engagement)  # the message is at the top
    with domain_errors(handled=(services.OpenTasksRemain,)) as done:
        moved = services.move_phase(engagement, form.target.data, current_user,
                                    form.comment.data or "",
                                    close_open_tasks=form.close_open_tasks.data,
                                    follow_up_months=current_app.config["FOLLOW_UP_MONTHS"])
    if isinstance(done.error, services.OpenTasksRemain):
        return render_template("engagements/close.html", engagement=engagement, form=form,
                               tasks=done.error.tasks, today=clock.today())
    if done.ok:
        flash(f"Forløbet er nu i fasen {engagement.phase.label}." if moved else
              f"Forløbet er allerede i fasen {engagement.phase.label}.",
              "success" if moved else "info")
    return _back(engagement)  # the message is at the top


@bp.route("/<int:engagement_id>/plan", methods=["GET", "POST"])
@role_required(*STAFF)
def plan(engagement_id: int):
    engagement = get_engagement_for(current_user, engagement_id)
    form = PlanForm(obj=engagement)
    if form.validate_on_submit():
        with domain_errors(form, default_field="planned_start") as done:
            services.check_open(engagement)
            moved = planning.replan(engagement, form.planned_start.data,
                                    form.duration_months.data)
        if done.ok:
            flash(f"Planen er opdateret. {moved} åbne opgaver fik ny frist.", "success")
            return _back(engagement)
    return _form_page(engagement, form, "Ret start og varighed",
                      "Åbne opgaver fra fasernes standardopgaver får nye frister. Opgaver, hvis "
                      "frist er rettet i hånden, flyttes ikke.")


def _get_meeting(engagement: Engagement, meeting_id: int | None) -> Meeting | None:
    if meeting_id is None:
        return None
    meeting = next((m for m in engagement.meetings if m.id == meeting_id), None)
    if meeting is None:
        abort(404)
    return meeting


@bp.route("/<int:engagement_id>/moeder/nyt", methods=["GET", "POST"],
          defaults={"meeting_id": None})
@bp.route("/<int:engagement_id>/moeder/<int:meeting_id>", methods=["GET", "POST"])
@role_required(*STAFF)
def meeting(engagement_id: int, meeting_id: int | None):
    engagement = get_engagement_for(current_user, engagement_id)
    existing = _get_meeting(engagement, meeting_id)
    form = MeetingForm(obj=existing)
    if request.method == "GET" and existing is not None:
        form.starts_at.data = local_wall_time(existing.starts_at)
    if form.validate_on_submit():
        with domain_errors(form) as done:
            if existing is not None or first_submission(form):
                services.save_meeting(engagement, existing, MeetingInput.from_form(form))
        if done.ok:
            flash("Mødet er gemt.", "success")
            return _back(engagement, "#moeder")
    return _form_page(engagement, form, "Ret møde" if existing else "Nyt møde")


@bp.route("/<int:engagement_id>/analyse", methods=["GET", "POST"])
@role_required(*STAFF)
def analysis(engagement_id: int):
    engagement = get_engagement_for(current_user, engagement_id)
    findings = {f.theme_id: f for f in engagement.findings}
    form = analysis_form_class(engagement.themes)(
        data={name: getattr(findings[theme_id], attr)
              for theme_id in findings
              for name, attr in ((f"strengths_{theme_id}", "strengths"),
                                 (f"areas_{theme_id}", "development_areas"))})
    if form.validate_on_submit():
        values = {t.id: (form[f"strengths_{t.id}"].data or "", form[f"areas_{t.id}"].data or "")
                  for t in engagement.themes}
        with domain_errors(form) as done:
            services.save_findings(engagement, values)
        if done.ok:
            flash("Analysen er gemt.", "success")
            return _back(engagement, "#analyse")
    return _form_page(engagement, form, "Analyse",
                      "Beskriv styrker og udviklingsområder for hvert af forløbets temaer.")


@bp.route("/<int:engagement_id>/anbefalinger", methods=["GET", "POST"])
@role_required(*STAFF)
def recommendations(engagement_id: int):
    engagement = get_engagement_for(current_user, engagement_id)
    catalogue = services.catalogue_recommendations(engagement)
    form = ProposeForm()
    words = item_words(engagement.catalogue.code)
    form.recommendation_ids.label.text = f"{words.Many}, du foreslår tilbuddet"
    form.recommendation_ids.choices = [
        SelectChoice(r.id, f"{r.number}. {r.title}", {"hint": r.text} if r.text else {})
        for r in catalogue]
    if request.method == "GET":
        form.recommendation_ids.data = [r.recommendation_id for r in engagement.recommendations
                                        if r.proposed_at]
    if form.validate_on_submit():
        with domain_errors(form, default_field="recommendation_ids") as done:
            services.propose_recommendations(engagement, form.recommendation_ids.data or [],
                                             current_user)
        if done.ok:
            flash(f"Forslagene er gemt. Tilbuddet kan nu vælge {words.many}.", "success")
            return _back(engagement, "#anbefalinger")
    return _form_page(engagement, form, f"Foreslå {words.many}",
                      f"{engagement.catalogue.title} (version {engagement.catalogue.version}). "
                      f"Tilbuddet vælger selv i sin portal, hvilke {words.many} det vil "
                      "arbejde med.")


def _task_form(engagement: Engagement, task: Task | None) -> TaskForm:
    form = TaskForm(obj=task)
    consultants = [c for c in (engagement.lead_consultant, engagement.second_consultant) if c]
    form.owner_user_id.choices = [("", "Ingen")] + [(c.id, c.name) for c in consultants]
    form.theme_id.choices = [("", "Intet tema")] + [(t.id, t.name) for t in engagement.themes]
    form.engagement_recommendation_id.choices = [("", "Ingen anbefaling")] + [
        (r.id, f"{r.recommendation.number}. {r.recommendation.title}")
        for r in engagement.recommendations if r.chosen_at]
    if task is None and request.method == "GET":
        form.phase.data = engagement.phase if engagement.phase in {
            p.value for p in Phase} else Phase.STARTUP.value
        form.owner_user_id.data = engagement.lead_consultant_id
    return form


@bp.route("/<int:engagement_id>/opgaver/ny", methods=["GET", "POST"], defaults={"task_id": None})
@bp.route("/<int:engagement_id>/opgaver/<int:task_id>", methods=["GET", "POST"])
@role_required(*STAFF)
def task(engagement_id: int, task_id: int | None):
    engagement = get_engagement_for(current_user, engagement_id)
    existing = None
    if task_id is not None:
        existing = next((t for t in engagement.tasks if t.id == task_id), None)
        if existing is None:
            abort(404)
    form = _task_form(engagement, existing)
    if form.validate_on_submit():
        with domain_errors(form) as done:
            if existing is not None or first_submission(form):
                services.save_task(engagement, existing, current_user, TaskInput.from_form(form))
        if done.ok:
            flash("Opgaven er gemt.", "success")
            return _back(engagement, "#opgaver")
    return _form_page(engagement, form, "Ret opgave" if existing else "Ny opgave")


@bp.post("/<int:engagement_id>/opgaver/<int:task_id>/status")
@role_required(*STAFF)
def task_status(engagement_id: int, task_id: int):
    engagement = get_engagement_for(current_user, engagement_id)
    task = next((t for t in engagement.tasks if t.id == task_id), None)
    if task is None:
        abort(404)
    form = TaskStatusForm()
    if form.validate_on_submit():
        with domain_errors() as done:
            services.check_open(engagement)
            services.change_task_status(task, form.status.data, current_user)
        if done.ok:
            flash(f"Opgaven \"{task.title}\" er opdateret.", "success")
    return _back(engagement, "#opgaver")


@bp.post("/<int:engagement_id>/noter")
@role_required(*STAFF)
def note(engagement_id: int):
    engagement = get_engagement_for(current_user, engagement_id)
    form = NoteForm()
    if form.validate_on_submit():
        with domain_errors(form) as done:
            if first_submission(form):
                services.add_note(engagement, current_user, form.body.data)
        if done.ok:
            flash("Noten er gemt.", "success")
            return _back(engagement, "#noter")
    return _render_view(engagement, form, 400)


@bp.route("/<int:engagement_id>/evaluering", methods=["GET", "POST"])
@role_required(*STAFF)
def evaluation(engagement_id: int):
    engagement = get_engagement_for(current_user, engagement_id)
    form = FinalEvaluationForm(obj=engagement.final_evaluation)
    if request.method == "GET" and engagement.final_evaluation is not None:
        form.complete.data = engagement.final_evaluation.completed_at is not None
    if form.validate_on_submit():
        with domain_errors(form) as done:
            services.save_final_evaluation(
                engagement, current_user, summary=form.summary.data or "",
                achievements=form.achievements.data or "", next_steps=form.next_steps.data or "",
                complete=form.complete.data)
        if done.ok:
            flash("Den afsluttende evaluering er gemt.", "success")
            return _back(engagement, "#udvikling")
    return _form_page(engagement, form, "Afsluttende evaluering",
                      "Evalueringen skal være færdig, før forløbet kan afsluttes.")


from . import measurement_routes, work_routes  # noqa: E402,F401  (they register on bp)
