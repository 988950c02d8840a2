"""The review queue and the staff's page for one application."""

from __future__ import annotations

from flask import render_template, request, url_for
from flask_login import current_user

from ..access import get_application_for, may_open_engagement
from ..audit import log_access
from ..engagements.planning import consultant_choices
from ..models import Application, Role
from ..security import role_required
from . import queue as review_queue
from . import services
from .blueprint import bp
from .forms import AssignReviewersForm

STAFF = (Role.CONSULTANT, Role.MANAGER, Role.ADMIN)


@bp.get("/ansoegninger")
@role_required(*STAFF)
def applications():
    filters = review_queue.QueueFilters.from_args(request.args)
    queue = review_queue.load_queue(filters, current_user)
    return render_template("staff/applications.html", queue=queue, filters=queue.filters,
                           statuses=review_queue.VISIBLE_STATUSES,
                           options=review_queue.filter_options(queue.rounds))


@bp.get("/ansoegninger/<int:application_id>")
@role_required(*STAFF)
def application(application_id: int):
    application = get_application_for(current_user, application_id)
    log_access("application", application.id,
               f"Ansøgning {application.reference} med kontaktperson og svar",
               provider_id=application.provider_id)
    return render_application(application)


def build_assign_form(application: Application, formdata=None) -> AssignReviewersForm:
    """The reviewers' checkboxes, ticked for the current reviewers unless posted."""
    current = [r.reviewer_id for r in services.reviews_of(application)]
    form = AssignReviewersForm(formdata=formdata,
                               data=None if formdata else {"reviewer_ids": current})
    form.reviewer_ids.choices = consultant_choices()
    return form


def render_application(application: Application, assign_form=None, status: int = 200):
    """The application page; a manager's assignment form with errors re-renders it."""
    is_manager = current_user.role == Role.MANAGER
    if assign_form is None and is_manager and services.can_assign(application):
        assign_form = build_assign_form(application)
    engagement = services.engagement_of(application)
    engagement_url = None
    if engagement is not None and may_open_engagement(current_user, engagement):
        engagement_url = url_for("engagements.view", engagement_id=engagement.id)
    return render_template(
        "staff/application.html", application=application,
        reviews=services.reviews_of(application),
        my_review=services.review_by(application, current_user),
        assign_form=assign_form if is_manager else None,
        can_decide=is_manager and services.can_be_decided(application),
        can_assess=services.can_be_assessed(application),
        engagement=engagement, engagement_url=engagement_url,
    ), status
