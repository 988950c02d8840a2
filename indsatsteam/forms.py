"""Form helpers shared by the features."""

from __future__ import annotations

import unicodedata
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date

from flask import flash, render_template
from flask_wtf import FlaskForm
from wtforms import (
    DateField,
    DateTimeLocalField,
    HiddenField,
    SelectMultipleField,
    TextAreaField,
    widgets,
)
from wtforms import EmailField as _EmailField
from wtforms.validators import (
    Email,
    Length,
    Optional,
    Regexp,
    StopValidation,
    ValidationError,
)

from .domain.danish_time import check_wall_time
from .domain.errors import DomainError
from .extensions import db

EMAIL_FORMAT = Email("Indtast en e-mailadresse i formatet navn@eksempel.dk",
                     check_deliverability=False)
PHONE_FORMAT = Regexp(r"^\+?[\d ]{8,15}$",
                      message="Indtast et telefonnummer på 8 cifre, fx 12 34 56 78")
# The columns' lengths (users.email, applications.contact_phone, …).
EMAIL_LENGTH = Length(max=254, message="Skriv højst 254 tegn")
PHONE_LENGTH = Length(max=30, message="Skriv højst 30 tegn")

# WTForms ships no Danish catalogue; these are the built-in messages users can meet.
_DANISH = {
    "Not a valid integer value.": "Indtast et helt tal",
    "Not a valid decimal value.": "Indtast et tal",
    "Not a valid float value.": "Indtast et tal",
    "Not a valid date value.": "Indtast en gyldig dato",
    "Not a valid datetime value.": "Indtast en gyldig dato og et gyldigt klokkeslæt",
    "Not a valid time value.": "Indtast et gyldigt klokkeslæt",
    "Not a valid choice.": "Vælg en af mulighederne på listen",
    "Invalid Choice: could not coerce.": "Vælg en af mulighederne på listen",
    "One or more data inputs could not be coerced.": "Vælg kun mulighederne på listen",
    "'%(value)s' is not a valid choice for this field.": "Vælg kun mulighederne på listen",
    "This field is required.": "Feltet skal udfyldes",
    "Field cannot be longer than %(max)d character.": "Skriv højst %(max)d tegn",
    "Field cannot be longer than %(max)d characters.": "Skriv højst %(max)d tegn",
    "Field must be at least %(min)d character long.": "Skriv mindst %(min)d tegn",
    "Field must be at least %(min)d characters long.": "Skriv mindst %(min)d tegn",
    "Field must be between %(min)d and %(max)d characters long.":
        "Skriv mellem %(min)d og %(max)d tegn",
    "Number must be between %(min)s and %(max)s.": "Indtast et tal mellem %(min)s og %(max)s",
    "Number must be at least %(min)s.": "Indtast et tal på mindst %(min)s",
    "Number must be at most %(max)s.": "Indtast et tal på højst %(max)s",
    "Invalid email address.": "Indtast en gyldig e-mailadresse",
    "The CSRF token is missing.": "Formularen er udløbet. Prøv igen.",
    "The CSRF token is invalid.": "Formularen er udløbet. Prøv igen.",
    "The CSRF token has expired.": "Formularen er udløbet. Prøv igen.",
    "The CSRF tokens do not match.": "Formularen er udløbet. Prøv igen.",
}


class _DanishTranslations:
    def gettext(self, string: str) -> str:
        return _DANISH.get(string, string)

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        return self.gettext(singular if n == 1 else plural)


# What any field accepts, whatever its own validators say (checked first, in `Form`).
CONTROL_CHARACTERS_MESSAGE = ("Feltet indeholder usynlige kontroltegn, som ikke kan gemmes. "
                              "Skriv teksten igen uden dem.")
MULTILINE_CONTROLS = frozenset("\n\r\t")
# Ids and counts are 32-bit integers in both databases.
MAX_INTEGER = 2**31 - 1
TOO_LARGE_MESSAGE = "Tallet er for stort"
# Every date a user types is a working date of the team: years outside this range are typos.
FIRST_YEAR, LAST_YEAR = 2000, 2099
DATE_RANGE_MESSAGE = f"Indtast en dato mellem år {FIRST_YEAR} og {LAST_YEAR}"


def has_control_characters(value: str, allowed: frozenset[str] = frozenset()) -> bool:
    """Whether `value` holds a control character (NUL, escape, …) other than `allowed`."""
    return any(unicodedata.category(ch) == "Cc" and ch not in allowed for ch in value)


def _values(data) -> list:
    return list(data) if isinstance(data, list | tuple | set) else [data]


def check_hostile_input(form, field) -> None:
    """The app-wide guard every field runs before its own validators: no control characters
    (newline and tab are fine in multi-line fields), no integer beyond the database's range,
    no date outside the years the team works in. A refused value never reaches a column."""
    if field.errors:
        return  # already refused (unreadable, not a choice): its own validators say why
    if isinstance(field, HiddenField) and isinstance(field.data, str):
        # Nobody can correct a field they cannot see (the login's "next"): strip instead.
        field.data = "".join(ch for ch in field.data if not has_control_characters(ch))
        return
    allowed = MULTILINE_CONTROLS if isinstance(field, TextAreaField) else frozenset()
    if any(isinstance(raw, str) and has_control_characters(raw, allowed)
           for raw in field.raw_data or ()):
        raise StopValidation(CONTROL_CHARACTERS_MESSAGE)
    values = _values(field.data)
    if any(isinstance(v, int) and not isinstance(v, bool) and abs(v) > MAX_INTEGER
           for v in values):
        raise StopValidation(TOO_LARGE_MESSAGE)
    if any(isinstance(v, date) and not FIRST_YEAR <= v.year <= LAST_YEAR for v in values):
        raise StopValidation(DATE_RANGE_MESSAGE)


class Form(FlaskForm):
    """Base form of the app: WTForms' own messages in Danish, and `check_hostile_input` ahead
    of every field's validators, so no form can forget it."""

    class Meta:
        def get_translations(self, form):
            return _DanishTranslations()

        def bind_field(self, form, unbound_field, options):
            field = unbound_field.bind(form=form, **options)
            field.validators = [check_hostile_input, *field.validators]
            return field


class EmailField(_EmailField):
    """An e-mail field that ignores the spaces a pasted address often carries."""

    def process_formdata(self, valuelist):
        super().process_formdata(valuelist)
        if isinstance(self.data, str):
            self.data = self.data.strip()


class DanishDateTimeField(DateTimeLocalField):
    """A date and time typed as Danish wall time (`<input type="datetime-local">`). A time
    the clocks skip, or pass twice, on a DST change is refused with a message saying why."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("format", "%Y-%m-%dT%H:%M")
        super().__init__(*args, **kwargs)

    def pre_validate(self, form) -> None:
        typed = self.raw_data and self.data is not None and self.data.tzinfo is None
        if not typed or not FIRST_YEAR <= self.data.year <= LAST_YEAR:
            return  # not typed (an object's stored value), unreadable or out of range
        try:
            check_wall_time(self.data)
        except DomainError as err:
            raise ValidationError(err.message) from err


class MultiCheckboxField(SelectMultipleField):
    """A list of checkboxes (rendered by the DKFDS checkbox macro)."""

    widget = widgets.ListWidget(prefix_label=False)
    option_widget = widgets.CheckboxInput()


def optional_int(value):
    """Coerce for a select whose first choice, "", means "all"."""
    return int(value) if value not in (None, "") else None


class PeriodForm(Form):
    """A GET search form (no CSRF token) with a period of Danish calendar days."""

    class Meta:
        csrf = False

    fra = DateField("Fra dato", validators=[Optional()])
    til = DateField("Til dato", validators=[Optional()])

    def validate_til(self, field) -> None:
        if field.data and self.fra.data and field.data < self.fra.data:
            raise ValidationError("Til-datoen skal være samme dag som fra-datoen eller senere")


def add_domain_error(form: FlaskForm, err: DomainError, default_field: str | None = None) -> None:
    """Show a domain rule's Danish message next to the field it concerns."""
    name = err.field or default_field
    field = getattr(form, name, None) if name else None
    if field is None:
        form.form_errors.append(err.message)
        return
    field.errors = [*field.errors, err.message]


@dataclass
class Outcome:
    """Whether the action inside `domain_errors` succeeded (and was committed), or the rule
    that refused it."""

    ok: bool = False
    error: DomainError | None = None


@contextmanager
def domain_errors(form: FlaskForm | None = None, default_field: str | None = None, *,
                  flash_general: bool = False,
                  handled: tuple[type[DomainError], ...] = ()) -> Iterator[Outcome]:
    """The one way a form action ends. Services take plain values and never commit; here the
    transaction is committed when the block succeeds, or rolled back when a rule refuses, with
    the rule's Danish message next to its field (so `render_form` answers 400). Without a form
    (a button that redirects back to its page) the message is flashed at the top instead;
    `flash_general` flashes only the messages that concern no field. Refusals of the types in
    `handled` are rolled back and left in `done.error` for the route to answer itself.

        with domain_errors(form) as done:
            services.create_round(...)
        if done.ok:
            flash(...)
            return redirect(...)
        return render_form("rounds/edit.html", form)
    """
    outcome = Outcome()
    try:
        yield outcome
    except DomainError as err:
        db.session.rollback()
        outcome.error = err
        if isinstance(err, handled):
            return
        if form is None or (flash_general and not (err.field or default_field)):
            flash(err.message, "error")
        else:
            add_domain_error(form, err, default_field)
    else:
        db.session.commit()
        outcome.ok = True


def form_status(*forms: FlaskForm) -> int:
    """400 when any of the page's forms carries errors, so a refused POST is never 200."""
    return 400 if any(form.errors for form in forms) else 200


def render_form(template: str, form: FlaskForm, **context) -> tuple[str, int]:
    """Render a form page (the form as `form`) with `form_status`."""
    return render_template(template, form=form, **context), form_status(form)
