"""The manager assigns reviewers and decides; an assigned consultant assesses."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user

from ..access import get_application_for
from ..applications.steps import theme_choices
from ..audit import log_access
from ..engagements.planning import consultant_choices
from ..forms import domain_errors, form_status, render_form
from ..models import Application, Role
from ..security import role_required
from . import services
from .application_routes import build_assign_form, render_application
from .blueprint import bp
from .forms import AssessmentForm, DecisionForm


def _to_application(application: Application):
    return redirect(url_for("staff.application", application_id=application.id))


# --- reviewers --------------------------------------------------------------------------------

@bp.post("/ansoegninger/<int:application_id>/bedoemmere")
@role_required(Role.MANAGER)
def assign(application_id: int):
    application = get_application_for(current_user, application_id)
    form = build_assign_form(application, request.form)
    if not form.validate():
        return render_application(application, assign_form=form, status=400)
    with domain_errors(form, flash_general=True) as done:
        services.assign_reviewers(application, form.reviewer_ids.data, current_user)
    if form.errors:
        return render_application(application, assign_form=form, status=400)
    if not done.ok:
        return _to_application(application)  # the refusal is at the top
    names = ", ".join(r.reviewer.name for r in services.reviews_of(application))
    flash(f"Bedømmere på {application.reference}: {names}.", "success")
    return _to_application(application)


# --- the assessment ---------------------------------------------------------------------------

@bp.route("/ansoegninger/<int:application_id>/vurdering", methods=["GET", "POST"])
@role_required(Role.CONSULTANT)
def assess(application_id: int):
    application = get_application_for(current_user, application_id)
    review = services.review_by(application, current_user)
    if review is None:
        abort(404)  # only the assigned reviewers know this page exists
    if not services.can_be_assessed(application):
        flash("Ansøgningen er afgjort eller trukket tilbage, så vurderingen kan ikke længere "
              "ændres.", "info")
        return _to_application(application)
    if request.method == "POST":
        form = AssessmentForm()
    else:
        form = AssessmentForm(formdata=None, data=services.assessment_data(review))
    if form.validate_on_submit():
        with domain_errors() as done:
            services.save_assessment(review, form.data)
        if done.ok:
            flash(f"Din vurdering af {application.reference} er gemt.", "success")
        return _to_application(application)
    log_access("application", application.id,
               f"Vurdering af ansøgning {application.reference} med kontaktperson og svar",
               provider_id=application.provider_id)
    return render_template("staff/assessment.html", application=application, form=form,
                           review=review), form_status(form)


# --- the decision -----------------------------------------------------------------------------

def decision_form(application: Application, formdata=None) -> DecisionForm:
    defaults = None if formdata else {
        "theme_ids": [t.id for t in application.themes],
        "planned_start": application.desired_start,
        "duration_months": application.duration_months,
    }
    form = DecisionForm(formdata=formdata, data=defaults)
    consultants = consultant_choices()
    form.lead_consultant_id.choices = consultants
    form.second_consultant_id.choices = [("", "Ingen anden konsulent"), *consultants]
    form.theme_ids.choices = theme_choices()
    return form


def _decision_from(form: DecisionForm) -> services.Decision:
    return services.Decision(
        outcome=form.outcome.data, message=form.message.data or "",
        lead_consultant_id=form.lead_consultant_id.data,
        second_consultant_id=form.second_consultant_id.data,
        theme_ids=tuple(form.theme_ids.data or ()), planned_start=form.planned_start.data,
        duration_months=form.duration_months.data,
        capacity_override_reason=form.override_reason.data or "",
        no_review_reason=form.no_review_reason.data or "")


@bp.route("/ansoegninger/<int:application_id>/afgoerelse", methods=["GET", "POST"])
@role_required(Role.MANAGER)
def decide(application_id: int):
    application = get_application_for(current_user, application_id)
    if not services.can_be_decided(application):
        flash("Der kan ikke træffes afgørelse om ansøgningen i dens nuværende status.", "info")
        return _to_application(application)
    form = decision_form(application, request.form if request.method == "POST" else None)
    if request.method == "POST" and form.validate_on_submit():
        with domain_errors(form) as done:
            decided_now = services.decide(application, _decision_from(form), current_user)
        if done.ok:
            if decided_now:  # committed; the second of a double click mails nobody again
                services.send_decision_mail(application)
            flash(f"Afgørelsen på {application.reference} er registreret. Ansøgeren kan se "
                  "den på ansøgningen og får den på e-mail.", "success")
            return _to_application(application)
    log_access("application", application.id,
               f"Afgørelse på ansøgning {application.reference} med bedømmernes vurderinger",
               provider_id=application.provider_id)
    return render_form("staff/decision.html", form, application=application,
                       reviews=services.reviews_of(application),
                       reviewed=services.has_completed_review(application),
                       round_full=services.round_is_full(application),
                       approved=services.approved_in_round(application.round_id,
                                                           excluding=application.id))

