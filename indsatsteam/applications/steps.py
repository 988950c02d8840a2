"""The application form's four steps: which form each is, what it edits, how a posted step
is validated and which of its answers may be kept in the draft.

The form side of the applicant journey lives here; `services` take plain values only.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from werkzeug.datastructures import MultiDict

from ..domain.applications import check_desired_start, check_duration, desired_start_bounds
from ..domain.danish_time import format_danish_date
from ..domain.errors import DomainError
from ..extensions import db
from ..forms import Form, add_domain_error
from ..models import Application, Theme
from .forms import ContactStep, MotivationStep, ProgrammeStep, ResourcesStep


@dataclass(frozen=True)
class Step:
    number: int
    title: str
    form_class: type[Form]


STEPS = (
    Step(1, "Tilbud og kontaktperson", ContactStep),
    Step(2, "Forløbet", ProgrammeStep),
    Step(3, "Ressourcer", ResourcesStep),
    Step(4, "Motivation", MotivationStep),
)
CHECK_STEP = len(STEPS) + 1  # "Tjek dine svar"

# Which application attributes each step edits, in the order the form shows them.
_FIELDS = {
    1: ("contact_name", "contact_email", "contact_phone"),
    2: ("themes", "duration_months", "desired_start"),
    3: ("participants", "participant_count", "hours_per_month", "management_anchoring"),
    4: ("motivation", "challenges", "hoped_outcomes"),
}


def get_step(number: int) -> Step | None:
    return next((s for s in STEPS if s.number == number), None)


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


def build_step_form(application: Application, step: Step, formdata: MultiDict | None = None,
                    *, csrf: bool = True) -> Form:
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


def validate_step(application: Application, step: Step, form: Form) -> bool:
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


def _left_empty(field) -> bool:
    return not field.raw_data or all(not str(v).strip() for v in field.raw_data)


def answers_to_keep(step: Step, form: Form) -> dict:
    """The answers of a validated step the draft may store, as plain values.

    An answer its validators accepted is kept, and so is an emptied one (the user may clear a
    field and save). A refused answer (too long, out of range, not a choice, control
    characters) is never stored: the page shows it back with its message, and the draft keeps
    its previous value.
    """
    answers = {}
    for name in _FIELDS[step.number]:
        field = getattr(form, name)
        if name == "themes":
            if not field.errors:
                answers["themes"] = list(field.data or [])
            elif _left_empty(field):
                answers["themes"] = []
        elif not field.errors:
            value = field.data
            answers[name] = value.strip() if isinstance(value, str) else value
        elif _left_empty(field):
            text = issubclass(getattr(Application, name).type.python_type, str)
            answers[name] = "" if text else None
    return answers


def incomplete_steps(application: Application) -> list[Step]:
    """Steps whose saved answers would not pass validation today."""
    missing = []
    for step in STEPS:
        form = build_step_form(application, step, csrf=False)
        if not validate_step(application, step, form):
            missing.append(step)
    return missing
