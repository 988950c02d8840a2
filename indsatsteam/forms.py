"""Form helpers shared by the features."""

from __future__ import annotations

import secrets
import unicodedata
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from flask import flash, render_template
from flask_babel import Domain
from flask_login import current_user
from flask_wtf import FlaskForm
from wtforms import (
    DateField,
    DateTimeLocalField,
    HiddenField,
    SelectMultipleField,
    StringField,
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

from . import clock
from .auth import throttle
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

# WTForms' built-in messages come from its gettext domain "wtforms", read through Flask-Babel
# from our Danish catalogue (WTForms 3.3 ships none): indsatsteam/translations/da/LC_MESSAGES.
WTFORMS_DOMAIN = Domain(translation_directories=str(Path(__file__).parent / "translations"),
                        domain="wtforms")

# Better wording than the catalogue's, and Flask-WTF's CSRF messages, which bypass gettext
# (CSRFProtect normally refuses such a request with the Danish 400 page before the form sees it).
_OVERRIDES = {
    "Invalid email address.": "Indtast en e-mailadresse i formatet navn@eksempel.dk",
    # A multi-select's stray value is an id the user never saw: no point in showing it.
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
    "The CSRF token is missing.": "Formularen er udløbet. Prøv igen.",
    "The CSRF token is invalid.": "Formularen er udløbet. Prøv igen.",
    "The CSRF token has expired.": "Formularen er udløbet. Prøv igen.",
    "The CSRF tokens do not match.": "Formularen er udløbet. Prøv igen.",
}


class DanishTranslations:
    """WTForms' translations object: the overrides first, then the Danish catalogue."""

    def gettext(self, string: str) -> str:
        if string in _OVERRIDES:
            return _OVERRIDES[string]
        return WTFORMS_DOMAIN.get_translations().ugettext(string)

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        if singular in _OVERRIDES:
            return _OVERRIDES[singular]
        return WTFORMS_DOMAIN.get_translations().ungettext(singular, plural, n)


# What any field accepts, whatever its own validators say (checked first, in `Form`).
CONTROL_CHARACTERS_MESSAGE = ("Feltet indeholder usynlige kontroltegn, som ikke kan gemmes. "
                              "Skriv teksten igen uden dem.")
MULTILINE_CONTROLS = frozenset("\n\r\t")
# Ids and counts are 32-bit integers in both databases.
MAX_INTEGER = 2**31 - 1
TOO_LARGE_MESSAGE = "Tallet er for stort"
# Every date a user types is a working date of the team: years outside this range are typos.
FIRST_YEAR, LAST_YEAR = 2000, 2099
DATE_RANGE_MESSAGE = f"Vælg en dato mellem 1. januar {FIRST_YEAR} og 31. december {LAST_YEAR}"


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
            return DanishTranslations()

        def bind_field(self, form, unbound_field, options):
            field = unbound_field.bind(form=form, **options)
            field.validators = [check_hostile_input, *field.validators]
            return field

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        token = self._fields.get("csrf_token")
        if token is not None and token.errors:
            token.errors = [_OVERRIDES.get(error, error) for error in token.errors]
        return valid


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


class DanishNumberField(StringField):
    """A number as Danes write it: "12,5" (a point is read too; spaces and a thousands
    point before three digits are not guessed at). Empty gives None."""

    def process_formdata(self, valuelist) -> None:
        raw = valuelist[0].strip() if valuelist else ""
        self.data = None
        if not raw:
            return
        text = raw.replace(",", ".", 1)
        digits = text.removeprefix("-").replace(".", "", 1)
        if len(text) > 20 or not (digits.isascii() and digits.isdigit()):
            raise ValueError("Skriv et tal, fx 12 eller 12,5")
        self.data = float(text)

    def _value(self) -> str:
        if self.raw_data:
            return self.raw_data[0]
        if self.data is None:
            return ""
        return f"{self.data:g}".replace(".", ",")


class MultiCheckboxField(SelectMultipleField):
    """A list of checkboxes (rendered by the DKFDS checkbox macro)."""

    widget = widgets.ListWidget(prefix_label=False)
    option_widget = widgets.CheckboxInput()


def optional_int(value):
    """Coerce for a select whose first choice, "", means "all"."""
    return optional_id(value)


# Ids in query strings, as in URLs (IdConverter): the database's integer range.
MAX_ID = 2**31 - 1
# The calendar a period filter may span: every date the system holds lies within it, and
# Danish midnights of its ends can be computed (year 1 and 9999 cannot).
FIRST_DATE, LAST_DATE = date(2000, 1, 1), date(2099, 12, 31)


def optional_id(value):
    """Coerce for a select of ids whose first choice, "", means "all": only whole numbers
    in the database's range (a longer number would overflow the query)."""
    if value in (None, ""):
        return None
    text = str(value)
    if not (text.isascii() and text.isdigit()) or not 0 < int(text) <= MAX_ID:
        raise ValueError("not an id")
    return int(text)


def _within_calendar(form, field) -> None:
    if DATE_RANGE_MESSAGE in field.errors:
        return  # the base form's guard said it already
    if field.data and not FIRST_DATE <= field.data <= LAST_DATE:
        raise ValidationError(DATE_RANGE_MESSAGE)


class PeriodForm(Form):
    """A GET search form (no CSRF token) with a period of Danish calendar days."""

    class Meta:
        csrf = False

    fra = DateField("Fra dato", validators=[Optional(), _within_calendar])
    til = DateField("Til dato", validators=[Optional(), _within_calendar])

    def validate_til(self, field) -> None:
        if field.data and self.fra.data and field.data < self.fra.data:
            raise ValidationError("Til-datoen skal være samme dag som fra-datoen eller senere")


def add_domain_error(form: FlaskForm, err: DomainError, default_field: str | None = None) -> None:
    """Show a domain rule's Danish message next to the field it concerns."""
    name = err.field or default_field
    field = _field_at(form, name) if name else None
    if field is None:
        form.form_errors.append(err.message)
        return
    field.errors = [*field.errors, err.message]
    top = getattr(form, name.split("-")[0], None)
    if top is not field and top is not None and hasattr(top, "entries"):
        # A FieldList keeps the entries' errors it found when it validated: refresh them, so
        # the form counts as refused (400) and the summary lists the message.
        top.errors = [entry.errors for entry in top.entries]


def _field_at(form: FlaskForm, name: str):
    """A field by its name, also one inside a FieldList ("milestones-0-due_date")."""
    field = getattr(form, name, None)
    if field is not None or "-" not in name:
        return field
    current = form
    for part in name.split("-"):
        if part.isdigit():
            entries = getattr(current, "entries", [])
            current = entries[int(part)] if int(part) < len(entries) else None
        else:
            inner = getattr(current, "form", current)
            current = getattr(inner, part, None)
        if current is None:
            return None
    return current


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


# --- forms that create something: once per page load ------------------------------------------
# A double click, or a POST the browser resends, would otherwise make two tasks, meetings or
# notes. The form carries a random key from the page that showed it; the first save records
# the key in the request's transaction (the atomic counters of auth/throttle.py, whose rows
# expire on their own), and a second POST with the same key finds it recorded and saves
# nothing. A refused save rolls the key back with everything else, so the user can correct
# the form and send it again.

SUBMISSION_KEY_SECONDS = 86400


class SubmitOnceForm(Form):
    submission_key = HiddenField(
        default=lambda: secrets.token_urlsafe(18),
        validators=[Optional(), Length(max=64), Regexp(r"^[A-Za-z0-9_-]{16,64}$",
                                       message="Formularen er ugyldig. Hent siden igen.")])


def first_submission(form: SubmitOnceForm) -> bool:
    """Record the form's key; False when an earlier POST with it was saved. Call it inside
    `domain_errors`, before the service, so the key and the change commit together. A form
    sent without a key (a script, an old page) is saved as before."""
    key = form.submission_key.data
    if not key:
        return True
    hits = throttle.store(in_session=True).hit(
        f"once:{current_user.get_id()}:{key}", now=int(clock.now().timestamp()),
        window=SUBMISSION_KEY_SECONDS, limit=None)
    return hits == 1


def form_status(*forms: FlaskForm) -> int:
    """400 when any of the page's forms carries errors, so a refused POST is never 200."""
    return 400 if any(form.errors for form in forms) else 200


def render_form(template: str, form: FlaskForm, **context) -> tuple[str, int]:
    """Render a form page (the form as `form`) with `form_status`."""
    return render_template(template, form=form, **context), form_status(form)
