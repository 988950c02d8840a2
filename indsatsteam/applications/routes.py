"""The applicant's side: start, fill in step by step, check, submit, receipt, withdraw."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user

from .. import clock
from ..access import get_application_for, get_provider_for
from ..domain.applications import ApplicationStatus, can_withdraw
from ..domain.danish_time import utc_to_local
from ..extensions import db
from ..forms import domain_errors
from ..models import Application, ApplicationRound, Role
from ..security import role_required
from . import services
from .forms import ConfirmForm, StartForm, WithdrawForm
from .steps import (
    CHECK_STEP,
    STEPS,
    Step,
    answers_to_keep,
    build_step_form,
    get_step,
    incomplete_steps,
    validate_step,
)

bp = Blueprint("applications", __name__)


def _steps_for_guide(application: Application, current: int) -> list[dict]:
    """The step indicator: a finished or earlier step links back, later ones do not."""
    steps = []
    for step in STEPS:
        reachable = step.number <= max(application.current_step, current)
        steps.append({
            "title": step.title,
            "url": url_for("applications.step", application_id=application.id,
                           number=step.number) if reachable else None,
            "done": step.number < application.current_step or step.number < current,
        })
    steps.append({"title": "Tjek dine svar",
                  "url": url_for("applications.check", application_id=application.id)
                  if application.current_step >= len(STEPS) else None,
                  "done": False})
    return steps


def _editable_application(application_id: int) -> Application:
    application = get_application_for(current_user, application_id)
    if application.status != ApplicationStatus.DRAFT:
        flash("Ansøgningen er indsendt og kan ikke længere ændres.", "info")
        abort(redirect(url_for("applications.view", application_id=application.id)))
    return application


@bp.get("/ansoegninger")
@role_required(Role.APPLICANT)
def mine():
    return render_template("applications/mine.html",
                           applications=services.applications_of(current_user))


@bp.post("/runder/<int:round_id>/ansoeg")
@role_required(Role.APPLICANT)
def start(round_id: int):
    round_ = db.get_or_404(ApplicationRound, round_id)
    form = StartForm()
    memberships = current_user.memberships
    if not memberships:
        flash("Registrér først jeres tilbud, så kan I søge.", "info")
        return redirect(url_for("providers.register"))
    provider_id = form.provider_id.data or memberships[0].provider_id
    form.provider_id.choices = [(m.provider_id, m.provider.name) for m in memberships]
    if not form.validate_on_submit():
        abort(400)
    provider = get_provider_for(current_user, provider_id)
    with domain_errors() as done:
        application = services.start_application(current_user, round_, provider)
    if not done.ok:
        return redirect(url_for("pages.index"))
    if application.status != ApplicationStatus.DRAFT:
        return redirect(url_for("applications.view", application_id=application.id))
    return redirect(url_for("applications.step", application_id=application.id,
                            number=min(application.current_step, len(STEPS))))


@bp.route("/ansoegninger/<int:application_id>/trin/<int:number>", methods=["GET", "POST"])
@role_required(Role.APPLICANT)
def step(application_id: int, number: int):
    application = _editable_application(application_id)
    step_ = get_step(number)
    if step_ is None:
        abort(404)
    if request.method == "POST" and request.form.get("action") == "save":
        return _save_draft(application, step_)
    if request.method == "POST":
        form = build_step_form(application, step_, request.form)
        valid = validate_step(application, step_, form)
        # Refused answers are shown back with their message but never stored.
        services.save_answers(application, step_.number, answers_to_keep(step_, form))
        db.session.commit()
        refusal = services.eligibility_refusal(application.round, application.provider)
        if refusal is not None:
            # The tilbud cannot go on in this round; the answers stay as a draft.
            form.form_errors.append(f"{refusal} Jeres svar er gemt som kladde.")
            valid = False
        if valid:
            target = (url_for("applications.step", application_id=application.id,
                              number=number + 1) if number < len(STEPS)
                      else url_for("applications.check", application_id=application.id))
            return redirect(target)
        status = 400
    else:
        form = build_step_form(application, step_)
        status = 200
    return render_template("applications/step.html", form=form,
                           application=application, step=step_,
                           ineligible=request.method == "GET" and services.eligibility_problem(
                               application.round, application.provider),
                           steps=_steps_for_guide(application, number)), status


def _save_draft(application: Application, step_: Step):
    """"Gem kladde" demands nothing: empty fields are fine in a draft. Only what was typed but
    cannot be kept (letters in a number, too long, a date outside the window) is pointed out,
    and it is not stored (`answers_to_keep`); everything else is."""
    form = build_step_form(application, step_, request.form)
    validate_step(application, step_, form)
    for name in list(form.errors):
        field = form[name]
        if not any((value or "").strip() for value in (field.raw_data or [])):
            field.errors = []  # left empty: fine in a draft
    services.save_answers(application, step_.number, answers_to_keep(step_, form))
    db.session.commit()
    saved_at = f"{utc_to_local(clock.now()):%H.%M}"
    if not form.errors:
        flash(f"Kladden er gemt kl. {saved_at}. Du kan fortsætte senere fra "
              f"\"Mine ansøgninger\".", "success")
        return redirect(url_for("applications.step", application_id=application.id,
                                number=step_.number))
    # The refused values stay in the form as typed, so they can be corrected.
    flash(f"Kladden er gemt kl. {saved_at}, undtagen de felter, der er markeret med en fejl.",
          "warning")
    return render_template("applications/step.html", form=form, application=application,
                           step=step_, steps=_steps_for_guide(application, step_.number)), 400


@bp.get("/ansoegninger/<int:application_id>/tjek")
@role_required(Role.APPLICANT)
def check(application_id: int):
    application = _editable_application(application_id)
    return render_template("applications/check.html", application=application,
                           ineligible=services.eligibility_problem(application.round,
                                                                   application.provider),
                           incomplete=incomplete_steps(application),
                           steps=_steps_for_guide(application, CHECK_STEP),
                           form=ConfirmForm())


@bp.post("/ansoegninger/<int:application_id>/indsend")
@role_required(Role.APPLICANT)
def submit(application_id: int):
    application = get_application_for(current_user, application_id)
    if application.status != ApplicationStatus.DRAFT and application.submitted_at is not None:
        # The second click of a double click (or a colleague a moment later): the receipt.
        return redirect(url_for("applications.receipt", application_id=application.id))
    application = _editable_application(application_id)
    form = ConfirmForm()
    if not form.validate_on_submit():
        abort(400)
    with domain_errors() as done:
        submitted_now = services.submit(application, current_user)
    if not done.ok:
        return redirect(url_for("applications.check", application_id=application.id))
    if submitted_now:  # committed by domain_errors; the second of a double click sends none
        services.send_receipt(application, current_user)
    return redirect(url_for("applications.receipt", application_id=application.id))


@bp.get("/ansoegninger/<int:application_id>/kvittering")
@role_required(Role.APPLICANT)
def receipt(application_id: int):
    application = get_application_for(current_user, application_id)
    if application.submitted_at is None:
        abort(404)
    return render_template("applications/receipt.html", application=application)


@bp.get("/ansoegninger/<int:application_id>")
@role_required(Role.APPLICANT)
def view(application_id: int):
    application = get_application_for(current_user, application_id)
    return render_template("applications/view.html", application=application,
                           can_withdraw=can_withdraw(application.status))


@bp.route("/ansoegninger/<int:application_id>/traek-tilbage", methods=["GET", "POST"])
@role_required(Role.APPLICANT)
def withdraw(application_id: int):
    application = get_application_for(current_user, application_id)
    form = WithdrawForm()
    if form.validate_on_submit():
        with domain_errors() as done:
            withdrawn_now = services.withdraw(application, current_user, form.reason.data or "")
        if done.ok and withdrawn_now:
            flash(f"Ansøgning {application.reference} er trukket tilbage.", "success")
        elif done.ok:  # the second click of a double click
            flash(f"Ansøgning {application.reference} er allerede trukket tilbage.", "info")
        return redirect(url_for("applications.view", application_id=application.id))
    if not can_withdraw(application.status):
        return redirect(url_for("applications.view", application_id=application.id))
    return render_template("applications/withdraw.html", application=application, form=form)
