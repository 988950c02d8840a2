from __future__ import annotations

from wtforms import FieldList, FormField, IntegerField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from ..domain.engagements import TaskOwner
from ..forms import Form


class RecommendationItemForm(Form):
    class Meta:
        csrf = False

    title = StringField("Titel", description="Lad titlen stå tom for at fjerne anbefalingen.",
                        validators=[Optional(), Length(max=300, message="Skriv højst 300 tegn")])
    text = TextAreaField("Uddybning", validators=[
        Optional(), Length(max=3000, message="Skriv højst 3000 tegn")])


class CatalogueForm(Form):
    title = StringField("Katalogets titel", validators=[
        DataRequired("Skriv katalogets titel"), Length(max=200, message="Skriv højst 200 tegn")])
    items = FieldList(FormField(RecommendationItemForm), min_entries=1)


def _share(label: str) -> IntegerField:
    return IntegerField(label, validators=[
        InputRequired("Angiv fasens andel i procent som et helt tal"),
        NumberRange(min=1, max=98, message="Angiv en andel mellem 1 og 98 %")])


class SharesForm(Form):
    startup = _share("Opstart (% af forløbets varighed)")
    analysis = _share("Analyse (% af forløbets varighed)")
    development = _share("Udvikling (% af forløbets varighed)")


class TaskTemplateForm(Form):
    title = StringField("Titel", validators=[DataRequired("Skriv opgavens titel"),
                                             Length(max=200, message="Skriv højst 200 tegn")])
    description = TextAreaField("Beskrivelse", validators=[
        Optional(), Length(max=3000, message="Skriv højst 3000 tegn")])
    offset_days = IntegerField(
        "Frist: antal dage efter fasens start",
        description="Falder fristen på en weekend eller helligdag, flyttes den til næste "
                    "arbejdsdag.",
        validators=[InputRequired("Angiv antal dage som et helt tal"),
                    NumberRange(min=0, max=365, message="Angiv mellem 0 og 365 dage")])
    owner_type = SelectField("Ansvarlig", choices=[(o.value, o.label) for o in TaskOwner],
                             validators=[DataRequired("Vælg hvem der er ansvarlig")])


class DeleteForm(Form):
    """Carries only the CSRF token."""
