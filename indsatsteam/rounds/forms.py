from __future__ import annotations

from wtforms import IntegerField, StringField, TextAreaField
from wtforms.validators import (
    DataRequired,
    InputRequired,
    Length,
    NumberRange,
    Optional,
    ValidationError,
)

from ..domain.danish_time import local_to_utc
from ..domain.errors import DomainError
from ..domain.municipalities import REGIONS
from ..domain.providers import OwnerType, ProviderKind
from ..forms import DanishDateTimeField, Form, MultiCheckboxField
from .services import check_dates

LOCAL_FORMAT = "%Y-%m-%dT%H:%M"
PROGRAMMES_RANGE = NumberRange(min=1, max=500, message="Angiv mellem 1 og 500 forløb")


def _description() -> TextAreaField:
    return TextAreaField("Beskrivelse", description="Vises for ansøgerne.", validators=[
        Optional(), Length(max=5000, message="Skriv højst 5000 tegn")])


def _programmes() -> IntegerField:
    return IntegerField("Antal forløb i runden", validators=[
        InputRequired("Angiv antal forløb som et helt tal"), PROGRAMMES_RANGE])


class RoundForm(Form):
    name = StringField("Navn", validators=[DataRequired("Skriv rundens navn"),
                                           Length(max=200, message="Skriv højst 200 tegn")])
    description = _description()
    opens_at = DanishDateTimeField(
        "Åbner", format=LOCAL_FORMAT, description="Dansk tid, fx 1. oktober kl. 08.00.",
        validators=[InputRequired("Indtast dato og klokkeslæt for, hvornår runden åbner")])
    closes_at = DanishDateTimeField(
        "Ansøgningsfrist", format=LOCAL_FORMAT,
        description="Dansk tid. Ansøgninger kan ikke indsendes fra dette tidspunkt.",
        validators=[InputRequired("Indtast dato og klokkeslæt for ansøgningsfristen")])
    programmes_offered = _programmes()
    eligible_kinds = MultiCheckboxField(
        "Hvilke typer tilbud kan søge?", choices=[(k.value, k.label) for k in ProviderKind],
        description="Vælg mindst én. Tilbud af andre typer ser runden med forklaringen, men kan "
                    "ikke søge.")
    eligible_owner_types = MultiCheckboxField(
        "Ejerform", choices=[(o.value, o.label) for o in OwnerType],
        description="Vælg ingen for at lade alle ejerformer søge.", validators=[Optional()])
    eligible_regions = MultiCheckboxField(
        "Regioner", choices=[(r, r) for r in REGIONS],
        description="Vælg ingen for at lade tilbud i hele landet søge.", validators=[Optional()])

    # With the other fields' validators, so a deadline before the opening is reported in the
    # same pass as, say, a missing name.
    def validate_closes_at(self, field) -> None:
        if field.data is None or self.opens_at.data is None or self.opens_at.errors \
                or field.errors:
            return  # a date that is itself refused (year 1, a skipped hour) says so already
        try:
            check_dates(local_to_utc(self.opens_at.data), local_to_utc(field.data))
        except DomainError as err:
            raise ValidationError(err.message) from err


class OpenedRoundForm(Form):
    """After opening: only what does not change the conditions applicants applied on."""

    description = _description()
    programmes_offered = _programmes()


class CloseEarlyForm(Form):
    reason = TextAreaField("Begrundelse", description="Gemmes ved runden og i revisionssporet.",
                           validators=[DataRequired("Skriv hvorfor runden lukkes før tid"),
                                       Length(max=2000, message="Skriv højst 2000 tegn")])
