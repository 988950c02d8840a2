from __future__ import annotations

from wtforms import (
    BooleanField,
    FieldList,
    FormField,
    IntegerField,
    RadioField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import (
    DataRequired,
    InputRequired,
    Length,
    NumberRange,
    Optional,
    ValidationError,
)

from ..domain.engagements import TaskOwner
from ..domain.gates import GATE_CHOICES
from ..domain.indicators import Direction, IndicatorUnit, OutcomeArea
from ..forms import Form, SubmitOnceForm


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
        NumberRange(min=1, max=98, message="Angiv en andel mellem 1 og 98 %%")])


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
    gate_key = SelectField(
        "Gennemføres af sig selv, når", choices=GATE_CHOICES,
        description="Står opgaven for en af betingelserne for at skifte fase, markeres den "
                    "som gennemført, når betingelsen er opfyldt, og åbnes igen, hvis den ikke "
                    "længere er det.", validators=[Optional()])


class DeleteForm(Form):
    """Carries only the CSRF token."""


class IndicatorForm(SubmitOnceForm):
    """One indicator of the catalogue (adding one is saved once per page load)."""

    outcome_area = SelectField(
        "Område", choices=[(a.value, a.label) for a in OutcomeArea],
        description="Det af de fem resultater for borgerne, som indikatoren belyser.",
        validators=[DataRequired("Vælg et af de fem områder")])
    name = StringField("Navn", validators=[DataRequired("Skriv indikatorens navn"),
                                           Length(max=200, message="Skriv højst 200 tegn")])
    definition = TextAreaField(
        "Definition", description="Hvad der måles, hos hvem og over hvilken periode.",
        validators=[DataRequired("Skriv, hvordan indikatoren måles"),
                    Length(max=3000, message="Skriv højst 3000 tegn")])
    unit = RadioField("Enhed", choices=[(u.value, u.label) for u in IndicatorUnit],
                      validators=[InputRequired("Vælg en af enhederne")])
    direction = RadioField("Hvad er bedre?", choices=[(d.value, d.label) for d in Direction],
                           validators=[InputRequired("Vælg, hvilken retning der er bedre")])


def _check_days(form, field) -> None:
    parts = [p.strip() for p in (field.data or "").split(",")]
    if not all(p.isascii() and p.isdigit() and 0 <= int(p) <= 365 for p in parts):
        raise ValidationError("Skriv hele dage mellem 0 og 365 adskilt af komma, fx 7,1")


def reminder_rules_form_class(rules) -> type[Form]:
    """An on/off box and a days field per reminder rule."""
    fields = {}
    for rule in rules:
        label = REMINDER_RULE_LABELS.get(rule.code, rule.code)
        fields[f"enabled_{rule.code}"] = BooleanField(f"{label}: slået til")
        fields[f"days_{rule.code}"] = StringField(
            f"{label}: dage", description=REMINDER_RULE_HINTS.get(rule.code, ""),
            validators=[DataRequired("Skriv mindst én dag"),
                        Length(max=50, message="Skriv højst 50 tegn"), _check_days])
    return type("ReminderRulesForm", (Form,), fields)


REMINDER_RULE_LABELS = {
    "task_due": "Opgave med frist snart",
    "task_overdue": "Overskredet opgave",
    "round_closing": "Ansøgningsfrist nærmer sig",
    "decision_waiting": "Ansøgning venter på afgørelse",
    "phase_end": "Fase slutter uden at portene er opfyldt",
    "meeting_tomorrow": "Møde i morgen",
    "follow_up_due": "Opfølgning efter forløbet",
}
REMINDER_RULE_HINTS = {
    "task_due": "Antal dage før fristen, fx 7,1.",
    "task_overdue": "Påmind igen hver N. dag, så længe opgaven er overskredet.",
    "round_closing": "Antal dage før ansøgningsfristen, fx 7,1.",
    "decision_waiting": "Påmind lederne, når en ansøgning har ventet mere end N dage.",
    "phase_end": "Antal dage før fasens planlagte slutdato.",
    "meeting_tomorrow": "Antal dage før mødet.",
    "follow_up_due": "Antal dage efter opfølgningsdatoen, fx 0,14: på dagen og igen efter 14 "
                     "dage, hvis opfølgningen ikke er kommet.",
}
