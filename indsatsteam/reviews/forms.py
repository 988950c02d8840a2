"""Forms of the review workflow: assigning reviewers, the assessment and the decision."""

from __future__ import annotations

from wtforms import DateField, RadioField, SelectField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, InputRequired, Length, StopValidation, ValidationError

from ..domain.applications import MAX_DURATION_MONTHS, MIN_DURATION_MONTHS, ApplicationStatus
from ..domain.engagements import RUBRIC, RUBRIC_SCORES, ReviewRecommendation
from ..forms import Form, MultiCheckboxField

COMMENT_MAX = 2000
MESSAGE_MAX = 3000
MAX_REVIEWERS = 2

DECISION_CHOICES = [
    SelectChoice(ApplicationStatus.APPROVED.value, "Godkend", {
        "hint": "Der oprettes et rådgivningsforløb med de oplysninger, du angiver nedenfor."}),
    SelectChoice(ApplicationStatus.REJECTED.value, "Afslå"),
    SelectChoice(ApplicationStatus.WAITLISTED.value, "Sæt på venteliste"),
]


def _comment(label: str, missing: str | None = None, description: str = "") -> TextAreaField:
    validators = [DataRequired(missing)] if missing else []
    too_long = Length(max=COMMENT_MAX, message=f"Skriv højst {COMMENT_MAX} tegn")
    return TextAreaField(label, description=description, render_kw={"rows": 4},
                         validators=[*validators, too_long])


# --- assigning reviewers -----------------------------------------------------------------------

class AssignReviewersForm(Form):
    reviewer_ids = MultiCheckboxField(
        "Vælg en eller to konsulenter", coerce=int,
        description="Tallet i parentes er konsulentens aktive forløb.",
        validators=[DataRequired("Vælg mindst én bedømmer")])

    def validate_reviewer_ids(self, field) -> None:
        if len(field.data or []) > MAX_REVIEWERS:
            raise ValidationError("Vælg højst to bedømmere")


# --- the assessment ----------------------------------------------------------------------------

def score_field(name: str) -> str:
    return f"{name}_score"


def comment_field(name: str) -> str:
    return f"{name}_comment"


RECOMMENDATION_MISSING = "Vælg en anbefaling: godkend, afslå eller venteliste"


def _score_choices() -> list[SelectChoice]:
    return [SelectChoice(value, label) for value, label in RUBRIC_SCORES]


class _ScoreInRange:
    def __init__(self, message: str) -> None:
        self.message = message

    def __call__(self, form, field) -> None:
        if field.data not in {value for value, _ in RUBRIC_SCORES}:
            raise ValidationError(self.message)


def _recommendation_known(form, field) -> None:
    if field.data not in {r.value for r in ReviewRecommendation}:
        raise ValidationError(RECOMMENDATION_MISSING)


def _build_assessment_form() -> type[Form]:
    """A score (radios 1–4) and a comment per rubric criterion in the rubric's order, then
    the recommendation and the overall comment (fields are ordered as they are created)."""
    fields = {}
    for criterion in RUBRIC:
        topic = criterion.label.lower()
        message = f"Vælg en score fra 1 til 4 for {topic}"
        fields[score_field(criterion.key)] = RadioField(
            criterion.label, coerce=int, validate_choice=False, choices=_score_choices(),
            description=criterion.description,
            validators=[InputRequired(message), _ScoreInRange(message)])
        fields[comment_field(criterion.key)] = _comment(
            f"Begrundelse for scoren: {topic}", f"Skriv en begrundelse for scoren for {topic}")
    fields["recommendation"] = RadioField(
        "Din anbefaling", validate_choice=False,
        choices=[SelectChoice(r.value, r.label) for r in ReviewRecommendation],
        validators=[InputRequired(RECOMMENDATION_MISSING), _recommendation_known])
    fields["comment"] = _comment("Samlet vurdering", "Skriv en samlet vurdering af ansøgningen",
                                 "Det vigtigste, lederen skal vide før afgørelsen.")
    return type("AssessmentForm", (Form,), fields)


AssessmentForm = _build_assessment_form()


# --- the decision ------------------------------------------------------------------------------

def _int_or_none(value) -> int | None:
    if value in (None, ""):
        return None
    return int(value)


class WhenApproving:
    """The engagement's fields count only when the manager approves: otherwise their errors
    (an emptied date, say) are dropped; when approving, `message` makes the field required."""

    def __init__(self, message: str | None = None) -> None:
        self.message = message

    def __call__(self, form, field) -> None:
        if form.outcome.data != ApplicationStatus.APPROVED:
            field.errors[:] = []
            raise StopValidation()
        if self.message and (field.data is None or field.data in ("", [])):
            field.errors[:] = []
            raise StopValidation(self.message)


class DecisionForm(Form):
    outcome = RadioField("Afgørelse", choices=DECISION_CHOICES, validate_choice=False,
                         validators=[InputRequired("Vælg om ansøgningen skal godkendes, "
                                                   "afslås eller på venteliste")])
    message = TextAreaField(
        "Besked til ansøgeren",
        description="Beskeden står på ansøgningen og sendes med e-mail til tilbuddet.",
        validators=[DataRequired("Skriv en besked til ansøgeren"),
                    Length(max=MESSAGE_MAX, message=f"Skriv højst {MESSAGE_MAX} tegn")])
    lead_consultant_id = SelectField(
        "Ansvarlig konsulent", coerce=_int_or_none, validate_choice=False,
        validators=[WhenApproving("Vælg en ansvarlig konsulent")])
    second_consultant_id = SelectField(
        "Anden konsulent", coerce=_int_or_none, validate_choice=False,
        validators=[WhenApproving()])
    theme_ids = MultiCheckboxField(
        "Temaer i forløbet", coerce=int,
        description="Udfyldt med ansøgningens temaer. Vælg et eller flere.",
        validators=[WhenApproving("Vælg mindst ét tema")])
    planned_start = DateField(
        "Planlagt start", format="%Y-%m-%d", description="Udfyldt med ansøgningens ønskede start.",
        validators=[WhenApproving("Indtast en gyldig dato for planlagt start")])
    duration_months = SelectField(
        "Varighed", coerce=_int_or_none, validate_choice=False,
        choices=[SelectChoice(m, f"{m} måneder")
                 for m in range(MIN_DURATION_MONTHS, MAX_DURATION_MONTHS + 1)],
        validators=[WhenApproving(f"Vælg en varighed på mellem {MIN_DURATION_MONTHS} og "
                                  f"{MAX_DURATION_MONTHS} måneder")])
    no_review_reason = TextAreaField(
        "Begrundelse for at træffe afgørelse uden vurdering",
        description="Ingen bedømmer har afsluttet en vurdering. Begrundelsen gemmes ved "
                    "afgørelsen og i revisionssporet.",
        render_kw={"rows": 3},
        validators=[Length(max=COMMENT_MAX, message=f"Skriv højst {COMMENT_MAX} tegn")])
    override_reason = TextAreaField(
        "Begrundelse for at godkende ud over rundens antal forløb",
        render_kw={"rows": 3},
        validators=[WhenApproving(),
                    Length(max=COMMENT_MAX, message=f"Skriv højst {COMMENT_MAX} tegn")])

    def validate_outcome(self, field) -> None:
        if field.data not in {choice.value for choice in DECISION_CHOICES}:
            raise ValidationError("Vælg om ansøgningen skal godkendes, afslås eller på venteliste")
