"""The application's life on the applicant side: draft, answers, submit, withdraw.

Services take plain values; the step forms live in `steps`. The caller commits."""

from __future__ import annotations

import logging
import smtplib

from sqlalchemy import insert, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import selectinload

from .. import clock, mail
from ..claims import claim
from ..domain.applications import (
    ApplicationStatus,
    can_withdraw,
    check_can_submit,
    format_reference,
)
from ..domain.danish_time import utc_to_local
from ..domain.eligibility import check_eligible, ineligibility_reason
from ..domain.errors import DomainError
from ..extensions import db
from ..links import absolute_url_for
from ..models import (
    Application,
    ApplicationRound,
    ApplicationStatusChange,
    Provider,
    ProviderMembership,
    ReferenceCounter,
    Theme,
    User,
)
from .steps import incomplete_steps

log = logging.getLogger(__name__)


# --- eligibility ----------------------------------------------------------------------------

def eligibility_problem(round_: ApplicationRound, provider: Provider) -> str | None:
    """Why the tilbud may not apply in the round (Danish), or None when it may."""
    return ineligibility_reason(round_.rules, kind=provider.kind,
                                owner_type=provider.owner_type, region=provider.region)


def eligibility_refusal(round_: ApplicationRound, provider: Provider) -> str | None:
    """The whole Danish refusal, naming the tilbud and the round; None when it may apply."""
    problem = eligibility_problem(round_, provider)
    return f"{provider.name} kan ikke søge i {round_.name}. {problem}" if problem else None


def check_round_eligibility(round_: ApplicationRound, provider: Provider) -> None:
    """Raise NotEligible (a DomainError) naming the tilbud and the reason."""
    try:
        check_eligible(round_.rules, kind=provider.kind, owner_type=provider.owner_type,
                       region=provider.region)
    except DomainError as err:
        raise type(err)(eligibility_refusal(round_, provider)) from err


# --- drafts ---------------------------------------------------------------------------------

def start_application(user: User, round_: ApplicationRound, provider: Provider) -> Application:
    """The provider's application in the round: the existing one, or a new draft."""
    existing = db.session.execute(
        select(Application).where(Application.round_id == round_.id,
                                  Application.provider_id == provider.id)
    ).scalar_one_or_none()
    if existing is not None:
        return existing
    check_round_eligibility(round_, provider)
    if not round_.is_open(clock.now()):
        raise DomainError("Ansøgningsrunden er ikke åben, så der kan ikke startes en ansøgning.")
    try:
        with db.session.begin_nested():
            application = Application(
                round=round_, provider=provider, created_by=user,
                contact_name=provider.contact_name, contact_email=provider.contact_email,
                contact_phone=provider.contact_phone,
            )
            db.session.add(application)
            db.session.add(ApplicationStatusChange(
                application=application, from_status=None, to_status=ApplicationStatus.DRAFT,
                actor=user, comment="Kladde oprettet"))
    except IntegrityError:
        # A colleague started the same application at the same moment: use theirs.
        return start_application(user, round_, provider)
    return application


def save_answers(application: Application, step_number: int, answers: dict) -> None:
    """Store one step's answers (plain values, already checked by the step's form) in the
    draft; `themes` is a list of theme ids. The caller commits."""
    for name, value in answers.items():
        if name == "themes":
            ids = set(value)
            application.themes = list(db.session.execute(
                select(Theme).where(Theme.id.in_(ids)).order_by(Theme.position)
            ).scalars()) if ids else []
        else:
            setattr(application, name, value)
    application.current_step = max(application.current_step, step_number)


# --- submit and withdraw --------------------------------------------------------------------

def next_reference(year: int) -> str:
    """The next reference number of the year, atomically on SQLite and PostgreSQL."""
    result = db.session.execute(
        update(ReferenceCounter).where(ReferenceCounter.year == year)
        .values(last=ReferenceCounter.last + 1).returning(ReferenceCounter.last)
    ).scalar_one_or_none()
    if result is None:
        try:
            with db.session.begin_nested():
                db.session.execute(insert(ReferenceCounter).values(year=year, last=1))
            result = 1
        except IntegrityError:
            return next_reference(year)
    return format_reference(year, result)


def submit(application: Application, user: User) -> bool:
    """Submit a complete draft before the deadline. True when this call submitted it; False
    when it was already submitted (the second of a double click, or a colleague at the same
    moment), and then nothing changes: one reference, one history row, one receipt.

    The winner is decided by a conditional UPDATE (see `claims`), on SQLite as on PostgreSQL,
    and only the winner draws a reference number. The caller commits, then sends the receipt.
    """
    check_can_submit(application.round.opens_at, application.round.closes_at, clock.now())
    check_round_eligibility(application.round, application.provider)
    missing = incomplete_steps(application)
    if missing:
        names = ", ".join(f"trin {s.number} ({s.title.lower()})" for s in missing)
        raise DomainError(f"Ansøgningen er ikke færdig. Udfyld {names}, før du indsender.")
    if not claim(application, Application.status == ApplicationStatus.DRAFT):
        if application.submitted_at is not None:
            return False
        raise DomainError("Ansøgningen kan ikke længere indsendes.")
    now = clock.now()
    application.status = ApplicationStatus.SUBMITTED
    application.submitted_at = now
    application.reference = next_reference(utc_to_local(now).year)
    db.session.add(ApplicationStatusChange(application=application,
                                           from_status=ApplicationStatus.DRAFT,
                                           to_status=ApplicationStatus.SUBMITTED, actor=user,
                                           at=now, comment="Indsendt af ansøger"))
    return True


def send_receipt(application: Application, user: User) -> None:
    """The receipt e-mail to the submitter and the contact person, after the commit."""
    recipients = {user.email, application.contact_email}
    url = absolute_url_for("applications.receipt", application_id=application.id)
    for to in sorted(r for r in recipients if r):
        try:
            mail.send_mail(to, f"Kvittering for ansøgning {application.reference}",
                           "application_submitted", application=application, url=url)
        except (smtplib.SMTPException, OSError):
            # The submission stands; the receipt page shows the same facts.
            log.exception("Kvitteringsmail for %s kunne ikke sendes til %s",
                          application.reference, to)


WITHDRAWABLE = tuple(s.value for s in ApplicationStatus if can_withdraw(s))


def withdraw(application: Application, user: User, reason: str) -> bool:
    """Withdraw before a decision. True when this call withdrew it; False when it was already
    withdrawn (a double click): nothing changes then. A manager's decision at the same moment
    wins or loses as a whole (see `claims`). The caller commits."""
    if not claim(application, Application.status.in_(WITHDRAWABLE)):
        if application.status == ApplicationStatus.WITHDRAWN:
            return False
        raise DomainError("Ansøgningen kan ikke trækkes tilbage, når der er truffet en "
                          "afgørelse, eller den allerede er trukket tilbage.")
    previous = application.status
    application.status = ApplicationStatus.WITHDRAWN
    application.withdrawn_at = clock.now()
    db.session.add(ApplicationStatusChange(application=application, from_status=previous,
                                           to_status=ApplicationStatus.WITHDRAWN, actor=user,
                                           comment=reason.strip() or "Trukket tilbage af ansøger"))
    return True


# --- reading -------------------------------------------------------------------------------

def applications_in_rounds(providers: list[Provider], rounds: list[ApplicationRound]
                           ) -> dict[tuple[int, int], Application]:
    """(round id, provider id) → the providers' applications in these rounds (one query)."""
    if not providers or not rounds:
        return {}
    return {(a.round_id, a.provider_id): a for a in db.session.execute(
        select(Application).where(Application.provider_id.in_([p.id for p in providers]),
                                  Application.round_id.in_([r.id for r in rounds]))
    ).scalars()}


def applications_of(user: User) -> list[Application]:
    """The applications of every tilbud the user is a member of, newest first."""
    return list(db.session.execute(
        select(Application)
        .join(ProviderMembership, ProviderMembership.provider_id == Application.provider_id)
        .where(ProviderMembership.user_id == user.id)
        .options(selectinload(Application.round), selectinload(Application.provider))
        .order_by(Application.created_at.desc())
    ).scalars())
