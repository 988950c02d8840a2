"""Forms of the staff side of an engagement."""

from __future__ import annotations

from wtforms import (
    BooleanField,
    DateField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, InputRequired, Length, Optional

from ..domain.applications import MAX_DURATION_MONTHS, MIN_DURATION_MONTHS
from ..domain.engagements import MeetingType, TaskOwner, TaskStatus
from ..domain.phases import WORK_PHASES
from ..forms import DanishDateTimeField, Form, MultiCheckboxField, SubmitOnceForm

LONG = 5000


def _long(label: str, description: str = "", required: str | None = None) -> TextAreaField:
    validators = [DataRequired(required)] if required else [Optional()]
    return TextAreaField(label, description=description, validators=[
        *validators, Length(max=LONG, message=f"Skriv højst {LONG} tegn")])


class PhaseMoveForm(Form):
    target = SelectField("Ny fase", validators=[DataRequired("Vælg den fase, forløbet skal til")])
    comment = TextAreaField(
        "Kommentar", description="Påkrævet ved pause, annullering og genåbning.",
        validators=[Optional(), Length(max=2000, message="Skriv højst 2000 tegn")])
    # Set by the confirmation page that lists the open tasks when completing.
    close_open_tasks = BooleanField("Luk de åbne opgaver som ikke relevante")


class PlanForm(Form):
    planned_start = DateField("Planlagt start", format="%Y-%m-%d",
                              validators=[InputRequired("Indtast en gyldig startdato")])
    duration_months = SelectField(
        "Varighed", coerce=int,
        choices=[(m, f"{m} måneder") for m in range(MIN_DURATION_MONTHS, MAX_DURATION_MONTHS + 1)],
        validators=[InputRequired("Vælg en varighed på mellem 4 og 12 måneder")])


class MeetingForm(SubmitOnceForm):
    meeting_type = SelectField("Mødetype", choices=[(m.value, m.label) for m in MeetingType],
                               validators=[DataRequired("Vælg mødetype")])
    starts_at = DanishDateTimeField(
        "Dato og klokkeslæt", format="%Y-%m-%dT%H:%M", description="Dansk tid.",
        validators=[InputRequired("Indtast dato og klokkeslæt for mødet")])
    location = StringField("Sted", validators=[Optional(), Length(max=200)])
    participants = _long("Deltagere")
    minutes = _long("Referat")
    minutes_shared = BooleanField(
        "Del referatet med tilbuddet",
        description="Tilbuddet ser referatet i sin portal, når mødet er afholdt. Interne noter "
                    "hører til under Noter, ikke i referatet.")
    held = BooleanField("Mødet er afholdt")


def analysis_form_class(themes) -> type[Form]:
    """One pair of fields (strengths, development areas) per theme of the engagement."""
    fields = {}
    for theme in themes:
        fields[f"strengths_{theme.id}"] = _long(f"{theme.name}: styrker")
        fields[f"areas_{theme.id}"] = _long(f"{theme.name}: udviklingsområder")
    return type("AnalysisForm", (Form,), fields)


class NoteForm(SubmitOnceForm):
    body = TextAreaField("Ny note", description="Noter er interne og vises ikke for tilbuddet.",
                         validators=[DataRequired("Skriv noten"),
                                     Length(max=LONG, message=f"Skriv højst {LONG} tegn")])


class ProposeForm(Form):
    recommendation_ids = MultiCheckboxField(
        "Anbefalinger, du foreslår tilbuddet", coerce=int,
        description="Tilbuddet vælger selv, hvilke anbefalinger det vil arbejde med.",
        validators=[Optional()])


class TaskForm(SubmitOnceForm):
    title = StringField("Titel", validators=[DataRequired("Skriv en titel på opgaven"),
                                             Length(max=200, message="Skriv højst 200 tegn")])
    description = _long("Beskrivelse")
    phase = SelectField("Fase", choices=[(p.value, p.label) for p in WORK_PHASES],
                        validators=[DataRequired("Vælg fase")])
    owner_type = SelectField("Ansvarlig", choices=[(o.value, o.label) for o in TaskOwner],
                             validators=[DataRequired("Vælg hvem der er ansvarlig")])
    owner_user_id = SelectField("Ansvarlig konsulent", coerce=lambda v: int(v) if v else None,
                                description="Kun når en konsulent er ansvarlig.",
                                validators=[Optional()])
    due_date = DateField("Frist", format="%Y-%m-%d", validators=[Optional()])
    status = SelectField("Status", choices=[(s.value, s.label) for s in TaskStatus],
                         validators=[DataRequired("Vælg status")])
    theme_id = SelectField("Tema", coerce=lambda v: int(v) if v else None,
                           validators=[Optional()])
    engagement_recommendation_id = SelectField(
        "Anbefaling", coerce=lambda v: int(v) if v else None, validators=[Optional()])


class TaskStatusForm(Form):
    status = SelectField("Status", choices=[(s.value, s.label) for s in TaskStatus],
                         validators=[DataRequired("Vælg status")])


class FinalEvaluationForm(Form):
    summary = _long("Opsummering af forløbet")
    achievements = _long("Resultater", "Hvad har tilbuddet opnået? Brug gerne selvevalueringerne.")
    next_steps = _long("Næste skridt for tilbuddet")
    complete = BooleanField("Den afsluttende evaluering er færdig")
