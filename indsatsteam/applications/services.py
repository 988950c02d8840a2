"""The application's life on the applicant side: draft, steps, submit, withdraw. The caller
commits."""

from __future__ import annotations

import logging
import smtplib
from dataclasses import dataclass
from datetime import date

from flask_wtf import FlaskForm
from sqlalchemy import insert, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import selectinload
from werkzeug.datastructures import MultiDict

from .. import clock, mail
from ..domain.applications import (
    ApplicationStatus,
    can_withdraw,
    check_can_submit,
    check_desired_start,
    check_duration,
    desired_start_bounds,
    format_reference,
)
from ..domain.danish_time import format_danish_date, utc_to_local
from ..domain.eligibility import check_eligible, ineligibility_reason
from ..domain.errors import DomainError
from ..extensions import db
from ..forms import add_domain_error
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
from .forms import ContactStep, MotivationStep, ProgrammeStep, ResourcesStep

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Step:
    number: int
    title: str
    form_class: type[FlaskForm]


STEPS = (
    Step(1, "Tilbud og kontaktperson", ContactStep),
    Step(2, "Forløbet", ProgrammeStep),
    Step(3, "Ressourcer", ResourcesStep),
    Step(4, "Motivation", MotivationStep),
)
CHECK_STEP = len(STEPS) + 1  # "Tjek dine svar"


def get_step(number: int) -> Step | None:
    return next((s for s in STEPS if s.number == number), None)


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


def stored_formdata(application: Application, step: Step) -> MultiDict:
    """The saved answers of one step, as the form would have posted them."""
    data = MultiDict()
    for name in _FIELDS[step.number]:
        if name == "themes":
            for theme in application.themes:
                data.add("themes", str(theme.id))
            continue
        value = getattr(application, name)
        if value is None:
            continue
        data.add(name, value.isoformat() if isinstance(value, date) else str(value))
    return data


# Which application attributes each step edits, in the order the form shows them.
_FIELDS = {
    1: ("contact_name", "contact_email", "contact_phone"),
    2: ("themes", "duration_months", "desired_start"),
    3: ("participants", "participant_count", "hours_per_month", "management_anchoring"),
    4: ("motivation", "challenges", "hoped_outcomes"),
}


def build_step_form(application: Application, step: Step, formdata: MultiDict | None = None,
                    *, csrf: bool = True) -> FlaskForm:
    """The step's form filled with posted data, or with the saved answers."""
    meta = None if csrf else {"csrf": False}
    form = step.form_class(formdata=formdata if formdata is not None
                           else stored_formdata(application, step), meta=meta)
    if step.number == 2:
        form.themes.choices = theme_choices()
        earliest, latest = desired_start_bounds(application.round.closes_at)
        form.desired_start.description = (
            f"Tidligst {format_danish_date(earliest)} og senest {format_danish_date(latest)}.")
    return form


def theme_choices() -> list[tuple[int, str]]:
    themes = db.session.execute(
        select(Theme).where(Theme.active.is_(True)).order_by(Theme.position)
    ).scalars()
    return [(t.id, t.name) for t in themes]


def validate_step(application: Application, step: Step, form: FlaskForm) -> bool:
    """WTForms validators plus the domain rules (duration, start window)."""
    valid = form.validate()
    if step.number == 2:
        for check, field, value in (
            (check_duration, "duration_months", form.duration_months.data),
            (lambda v: check_desired_start(v, application.round.closes_at), "desired_start",
             form.desired_start.data),
        ):
            if getattr(form, field).errors:
                continue
            try:
                check(value)
            except DomainError as err:
                add_domain_error(form, err, default_field=field)
                valid = False
    return valid


def save_step(application: Application, step: Step, form: FlaskForm) -> None:
    """Keep every answer that could be read, valid or not, so nothing typed is lost.

    Values that could not even be parsed (letters in a number field) stay in the form the
    user sees; the stored draft keeps its previous value for them.
    """
    for name in _FIELDS[step.number]:
        field = getattr(form, name)
        if name == "themes":
            ids = {i for i in (field.data or []) if isinstance(i, int)}
            application.themes = list(db.session.execute(
                select(Theme).where(Theme.id.in_(ids)).order_by(Theme.position)
            ).scalars()) if ids else []
        elif field.data is not None or not field.raw_data or not field.raw_data[0]:
            value = field.data
            setattr(application, name, value.strip() if isinstance(value, str) else value)
    application.current_step = max(application.current_step, step.number)


def incomplete_steps(application: Application) -> list[Step]:
    """Steps whose saved answers would not pass validation today."""
    missing = []
    for step in STEPS:
        form = build_step_form(application, step, csrf=False)
        if not validate_step(application, step, form):
            missing.append(step)
    return missing


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


def submit(application: Application, user: User) -> None:
    """Submit before the deadline, decided by the clock now; the draft stays intact if not.
    Once the caller has committed, `send_receipt` mails the receipt."""
    # Row lock (PostgreSQL): a double click or two colleagues submitting at once must not
    # hand out two reference numbers.
    db.session.refresh(application, attribute_names=["status"], with_for_update=True)
    if application.status != ApplicationStatus.DRAFT:
        raise DomainError("Ansøgningen er allerede indsendt.")
    check_can_submit(application.round.opens_at, application.round.closes_at, clock.now())
    check_round_eligibility(application.round, application.provider)
    missing = incomplete_steps(application)
    if missing:
        names = ", ".join(f"trin {s.number} ({s.title.lower()})" for s in missing)
        raise DomainError(f"Ansøgningen er ikke færdig. Udfyld {names}, før du indsender.")
    now = clock.now()
    application.status = ApplicationStatus.SUBMITTED
    application.submitted_at = now
    application.reference = next_reference(utc_to_local(now).year)
    db.session.add(ApplicationStatusChange(application=application,
                                           from_status=ApplicationStatus.DRAFT,
                                           to_status=ApplicationStatus.SUBMITTED, actor=user,
                                           at=now, comment="Indsendt af ansøger"))


def send_receipt(application: Application, user: User) -> None:
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


def withdraw(application: Application, user: User, reason: str) -> None:
    # Re-read under a row lock (PostgreSQL) so a manager's decision at the same moment
    # cannot be overtaken by the withdrawal.
    db.session.refresh(application, attribute_names=["status"], with_for_update=True)
    if not can_withdraw(application.status):
        raise DomainError("Ansøgningen kan ikke trækkes tilbage, når der er truffet en "
                          "afgørelse, eller den allerede er trukket tilbage.")
    previous = application.status
    application.status = ApplicationStatus.WITHDRAWN
    application.withdrawn_at = clock.now()
    db.session.add(ApplicationStatusChange(application=application, from_status=previous,
                                           to_status=ApplicationStatus.WITHDRAWN, actor=user,
                                           comment=reason.strip() or "Trukket tilbage af ansøger"))


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
