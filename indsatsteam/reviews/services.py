"""The review workflow: reviewers, assessments and the manager's decision. The caller commits."""

from __future__ import annotations

import logging
import smtplib
from dataclasses import dataclass
from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from .. import clock, mail
from ..claims import lock
from ..documents import services as documents
from ..domain.applications import ApplicationStatus, check_duration
from ..domain.engagements import (
    RUBRIC,
    can_assign_reviewers,
    can_decide,
    check_capacity,
    check_not_in_past,
)
from ..domain.errors import DomainError
from ..engagements.planning import create_engagement
from ..extensions import db
from ..links import absolute_url_for
from ..models import (
    Application,
    ApplicationRound,
    ApplicationStatusChange,
    Engagement,
    Review,
    Role,
    User,
)
from ..notifications import events
from .forms import comment_field, score_field

log = logging.getLogger(__name__)

DECISIONS = (ApplicationStatus.APPROVED, ApplicationStatus.REJECTED,
             ApplicationStatus.WAITLISTED)


# --- reading ----------------------------------------------------------------------------------

def reviews_of(application: Application) -> list[Review]:
    return list(db.session.execute(
        select(Review).options(selectinload(Review.reviewer))
        .where(Review.application_id == application.id).order_by(Review.assigned_at, Review.id)
    ).scalars())


def review_by(application: Application, user: User) -> Review | None:
    return db.session.execute(
        select(Review).where(Review.application_id == application.id,
                             Review.reviewer_id == user.id)
    ).scalar_one_or_none()


def engagement_of(application: Application) -> Engagement | None:
    return db.session.execute(
        select(Engagement).where(Engagement.application_id == application.id)
    ).scalar_one_or_none()


def can_assign(application: Application) -> bool:
    return can_assign_reviewers(application.status)


def can_be_decided(application: Application) -> bool:
    return can_decide(application.status)


def can_be_assessed(application: Application) -> bool:
    """Reviewers can record and edit their assessment until the manager decides."""
    return application.status == ApplicationStatus.IN_REVIEW


def approved_in_round(round_id: int, excluding: int | None = None) -> int:
    query = select(func.count()).select_from(Application).where(
        Application.round_id == round_id, Application.status == ApplicationStatus.APPROVED)
    if excluding is not None:
        query = query.where(Application.id != excluding)
    return db.session.execute(query).scalar_one()


def round_is_full(application: Application) -> bool:
    """Whether approving this application would go beyond the programmes the round offers."""
    return (approved_in_round(application.round_id, excluding=application.id)
            >= application.round.programmes_offered)


def _names(users: list[User]) -> str:
    names = [u.name for u in users]
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " og " + names[-1]


def _locked_status(application: Application) -> str:
    """The application's status as committed, re-read under a lock held until commit (on
    SQLite and PostgreSQL, see `claims`), so two managers, or a double click, are serialised."""
    lock(application)
    return application.status


def _record_status(application: Application, to_status: str, actor: User, comment: str) -> None:
    previous = application.status
    application.status = to_status
    db.session.add(ApplicationStatusChange(application=application, from_status=previous,
                                           to_status=to_status, actor=actor, at=clock.now(),
                                           comment=comment))


# --- reviewers --------------------------------------------------------------------------------

def assign_reviewers(application: Application, reviewer_ids: list[int], actor: User) -> None:
    """Make the chosen consultants (one or two) the application's reviewers.

    A submitted application moves to in_review. A reviewer who has already assessed cannot
    be taken off, so no assessment is lost.
    """
    if not can_assign_reviewers(_locked_status(application)):
        raise DomainError("Der kan ikke længere vælges bedømmere, fordi der er truffet "
                          "afgørelse om ansøgningen.")
    wanted = list(dict.fromkeys(reviewer_ids))
    if not wanted:
        raise DomainError("Vælg mindst én bedømmer", field="reviewer_ids")
    if len(wanted) > 2:
        raise DomainError("Vælg højst to bedømmere", field="reviewer_ids")
    consultants = list(db.session.execute(
        select(User).where(User.id.in_(wanted), User.role == Role.CONSULTANT,
                           User.active.is_(True))).scalars())
    if len(consultants) != len(wanted):
        raise DomainError("Vælg kun konsulenter fra listen", field="reviewer_ids")
    consultants.sort(key=lambda u: wanted.index(u.id))

    current = {r.reviewer_id: r for r in reviews_of(application)}
    for reviewer_id, review in current.items():
        if reviewer_id not in wanted:
            if review.submitted_at is not None:
                raise DomainError(f"{review.reviewer.name} har allerede vurderet ansøgningen "
                                  "og kan ikke fjernes som bedømmer.", field="reviewer_ids")
            db.session.delete(review)
    for consultant in consultants:
        if consultant.id not in current:
            db.session.add(Review(application=application, reviewer=consultant,
                                  assigned_by=actor, assigned_at=clock.now()))
    if application.status == ApplicationStatus.SUBMITTED:
        _record_status(application, ApplicationStatus.IN_REVIEW, actor,
                       f"Sendt til vurdering hos {_names(consultants)}")


# --- the assessment ---------------------------------------------------------------------------

def assessment_data(review: Review) -> dict:
    """The review's stored values under the assessment form's field names."""
    data = {"recommendation": review.recommendation, "comment": review.comment}
    for criterion in RUBRIC:
        data[score_field(criterion.key)] = getattr(review, score_field(criterion.key))
        data[comment_field(criterion.key)] = getattr(review, comment_field(criterion.key))
    return data


def save_assessment(review: Review, values: dict) -> None:
    """Store (or overwrite) a reviewer's scores, comments and recommendation."""
    if _locked_status(review.application) != ApplicationStatus.IN_REVIEW:
        raise DomainError("Der er truffet afgørelse om ansøgningen, så vurderingen kan ikke "
                          "længere ændres.")
    for criterion in RUBRIC:
        setattr(review, score_field(criterion.key), values[score_field(criterion.key)])
        setattr(review, comment_field(criterion.key),
                values[comment_field(criterion.key)].strip())
    review.recommendation = values["recommendation"]
    review.comment = values["comment"].strip()
    review.submitted_at = clock.now()


# --- the decision -----------------------------------------------------------------------------

@dataclass(frozen=True)
class Decision:
    outcome: str
    message: str
    # Only for approval: the engagement to create.
    lead_consultant_id: int | None = None
    second_consultant_id: int | None = None
    theme_ids: tuple[int, ...] = ()
    planned_start: date | None = None
    duration_months: int | None = None
    capacity_override_reason: str = ""
    # Required when no reviewer has completed an assessment.
    no_review_reason: str = ""


NO_REVIEW_MESSAGE = ("Ingen bedømmer har afsluttet en vurdering af ansøgningen. Vent på en "
                     "vurdering, eller skriv hvorfor du træffer afgørelse uden")


def has_completed_review(application: Application) -> bool:
    return any(r.submitted_at is not None for r in reviews_of(application))


def decide(application: Application, decision: Decision, actor: User) -> bool:
    """Approve, reject or waitlist; approving creates the engagement in the same transaction.
    True when this call decided; False for the second click of a double click (the same
    manager, the same outcome), which changes nothing: the caller then sends no mail.

    Raises DomainError (with the form field when there is one) and changes nothing then;
    the caller rolls back. The tilbud's users get a notification in the same transaction;
    a contact person without a user account gets a direct mail once the caller has
    committed (`send_decision_mail`).
    """
    if decision.outcome not in DECISIONS:
        raise DomainError("Vælg om ansøgningen skal godkendes, afslås eller på venteliste",
                          field="outcome")
    status = _locked_status(application)
    if status == decision.outcome and application.decided_by_id == actor.id:
        # The second click of a double click: the first decision stands, nothing is repeated.
        return False
    if not can_decide(status):
        raise DomainError("Der kan ikke træffes afgørelse om ansøgningen i dens nuværende "
                          "status.")
    message = decision.message.strip()
    if not message:
        raise DomainError("Skriv en besked til ansøgeren", field="message")
    no_review_reason = ""
    if not has_completed_review(application):
        no_review_reason = decision.no_review_reason.strip()
        if not no_review_reason:
            raise DomainError(NO_REVIEW_MESSAGE, field="no_review_reason")

    override_reason = ""
    if decision.outcome == ApplicationStatus.APPROVED:
        override_reason = _check_round_capacity(application, decision.capacity_override_reason)
        check_duration(decision.duration_months)
        if decision.planned_start is None:
            raise DomainError("Indtast en gyldig dato for planlagt start", field="planned_start")
        # A start in the past would plan the phases and tasks as already overdue.
        check_not_in_past(decision.planned_start, clock.today(), field="planned_start",
                          what="Den planlagte start")
        create_engagement(
            application, lead_consultant_id=decision.lead_consultant_id,
            second_consultant_id=decision.second_consultant_id,
            planned_start=decision.planned_start, duration_months=decision.duration_months,
            theme_ids=list(decision.theme_ids), actor=actor)

    _record_status(application, decision.outcome, actor, message)
    application.decided_at = clock.now()
    application.decided_by = actor
    application.decision_message = message
    application.capacity_override_reason = override_reason
    application.no_review_reason = no_review_reason
    # The tilbud's users are told through the outbox, in this transaction: a rollback sends
    # nothing, a commit cannot lose it, and the sender retries while SMTP is down.
    events.application_decided(application)
    documents.issue_decision_letter(application, actor)  # attached to those e-mails
    return True


def _check_round_capacity(application: Application, reason: str) -> str:
    """The override reason to store: "" while the round has room, the manager's reason when
    approving beyond it (required then)."""
    # Lock the round so two approvals at once cannot both take the last programme.
    round_ = db.session.get(ApplicationRound, application.round_id)
    lock(round_)
    approved = approved_in_round(round_.id, excluding=application.id)
    reason = (reason or "").strip()
    return reason if check_capacity(approved, round_.programmes_offered, reason) else ""


def contact_person_email(application: Application) -> str | None:
    """The application's contact person when they are not one of the tilbud's active users
    (who get the decision as a notification): the only one mailed directly."""
    contact = (application.contact_email or "").strip().lower()
    if not contact:
        return None
    users = {u.email.strip().lower() for u in events.provider_users(application.provider_id)}
    return None if contact in users else contact


def send_decision_mail(application: Application) -> None:
    """A contact person without a user account has no outbox; they get one direct mail,
    sent after the decision is committed."""
    to = contact_person_email(application)
    if to is None:
        return
    url = absolute_url_for("applications.view", application_id=application.id)
    subject = f"Afgørelse på ansøgning {application.reference}"
    try:
        mail.send_mail(to, subject, "application_decided", application=application, url=url,
                       attachments=documents.latest_decision_letter(application))
    except (smtplib.SMTPException, OSError):
        # The decision stands; the applicant sees it on the application page.
        log.exception("Afgørelsesmail for %s kunne ikke sendes til %s",
                      application.reference, to)
