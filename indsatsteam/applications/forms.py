"""The four steps of the application form."""

from __future__ import annotations

from wtforms import (
    DateField,
    IntegerField,
    SelectField,
    StringField,
    TelField,
    TextAreaField,
)
from wtforms.validators import (
    DataRequired,
    InputRequired,
    Length,
    NumberRange,
    Optional,
)

from ..domain.applications import MAX_DURATION_MONTHS, MIN_DURATION_MONTHS
from ..forms import (
    EMAIL_FORMAT,
    EMAIL_LENGTH,
    PHONE_FORMAT,
    PHONE_LENGTH,
    EmailField,
    Form,
    MultiCheckboxField,
)

TEXT_MAX = 3000


def _text(label: str, missing: str, description: str = "") -> TextAreaField:
    return TextAreaField(label, description=description, validators=[
        DataRequired(missing),
        Length(max=TEXT_MAX, message=f"Skriv højst {TEXT_MAX} tegn")])


class ContactStep(Form):
    contact_name = StringField("Kontaktperson for ansøgningen", validators=[
        DataRequired("Indtast navnet på kontaktpersonen"), Length(max=200)])
    contact_email = EmailField("Kontaktpersonens e-mailadresse", validators=[
        DataRequired("Indtast kontaktpersonens e-mailadresse"),
        EMAIL_FORMAT, EMAIL_LENGTH])
    contact_phone = TelField("Kontaktpersonens telefonnummer", validators=[
        DataRequired("Indtast kontaktpersonens telefonnummer"),
        PHONE_FORMAT, PHONE_LENGTH])


class ProgrammeStep(Form):
    themes = MultiCheckboxField(
        "Hvilke temaer vil I arbejde med?", coerce=int,
        description="Vælg et eller flere temaer.",
        validators=[DataRequired("Vælg mindst ét tema")])
    duration_months = SelectField(
        "Ønsket varighed", coerce=int,
        description=f"Et forløb varer mellem {MIN_DURATION_MONTHS} og {MAX_DURATION_MONTHS} "
                    f"måneder.",
        choices=[(m, f"{m} måneder") for m in range(MIN_DURATION_MONTHS, MAX_DURATION_MONTHS + 1)],
        validators=[InputRequired("Vælg en varighed på mellem 4 og 12 måneder")])
    desired_start = DateField(
        "Ønsket start", format="%Y-%m-%d",
        validators=[InputRequired("Indtast en gyldig dato for ønsket start")])


class ResourcesStep(Form):
    participants = _text(
        "Hvem kan deltage i forløbet?", "Beskriv hvem der kan deltage i forløbet",
        "Fx leder, afdelingsleder, medarbejdere og eventuelt borgere eller pårørende.")
    participant_count = IntegerField(
        "Antal deltagere fra tilbuddet",
        validators=[InputRequired("Indtast antal deltagere som et helt tal"),
                    NumberRange(min=1, max=500, message="Indtast et antal mellem 1 og 500")])
    hours_per_month = IntegerField(
        "Timer om måneden, tilbuddet kan afsætte i alt",
        validators=[InputRequired("Indtast antal timer om måneden som et helt tal"),
                    NumberRange(min=1, max=2000,
                                message="Indtast et antal timer mellem 1 og 2000")])
    management_anchoring = _text(
        "Hvordan er forløbet forankret i ledelsen?",
        "Beskriv hvordan forløbet er forankret i ledelsen",
        "Hvem i ledelsen er ansvarlig, og hvordan følger ledelsen op?")


class MotivationStep(Form):
    motivation = _text("Hvorfor søger I om et rådgivningsforløb?",
                       "Beskriv hvorfor I søger om et forløb")
    challenges = _text("Hvilke udfordringer står I med i dag?",
                       "Beskriv jeres nuværende udfordringer")
    hoped_outcomes = _text("Hvad håber I at opnå med forløbet?",
                           "Beskriv hvad I håber at opnå")


class ConfirmForm(Form):
    """Submit and withdraw carry only the CSRF token."""


class WithdrawForm(Form):
    reason = TextAreaField("Hvorfor trækker I ansøgningen tilbage?",
                           validators=[Optional(), Length(max=1000,
                                                          message="Skriv højst 1000 tegn")])


class StartForm(Form):
    provider_id = SelectField("Tilbud", coerce=int, validators=[Optional()])
