"""Forms of documented effect, shared by the staff pages and the tilbud's portal. The fields
are made per indicator (i<indicator id>_value, _on, _target) and per recommendation."""

from __future__ import annotations

from wtforms import BooleanField, DateField, RadioField, SelectChoice, TextAreaField
from wtforms.validators import InputRequired, Length, Optional

from ..domain.expectations import BENEFITS
from ..domain.indicators import MeasurementStage
from ..forms import DanishNumberField, Form
from ..models import EngagementIndicator, EngagementRecommendation, Indicator
from ..portal.forms import SCORE_LABELS
from .services import MAX_COMMENT, indicator_prefix, score_field


def _score_choices() -> list[SelectChoice]:
    return [SelectChoice(score, f"{score} – {label}") for score, label in SCORE_LABELS.items()]


def _unit_hint(indicator: Indicator) -> str:
    return f"{indicator.unit.label}. {indicator.direction.label}."


def baseline_form_class(choices: list[Indicator]) -> type[Form]:
    """Per indicator of the catalogue: chosen or not, baseline, its date and the target. The
    values of a chosen one are checked by the service (a draft may leave them out)."""
    fields: dict = {}
    for indicator in choices:
        prefix = indicator_prefix(indicator.id)
        fields[f"{prefix}chosen"] = BooleanField(
            indicator.name, description=indicator.definition)
        fields[f"{prefix}value"] = DanishNumberField(
            f"Udgangspunkt: {indicator.name}", description=_unit_hint(indicator),
            validators=[Optional()])
        fields[f"{prefix}on"] = DateField(f"Udgangspunktet er målt: {indicator.name}",
                                          validators=[Optional()])
        fields[f"{prefix}target"] = DanishNumberField(
            f"Mål ved afslutningen: {indicator.name}", validators=[Optional()])
    return type("BaselineForm", (Form,), fields)


def measurement_form_class(stage: MeasurementStage, rows: list[EngagementIndicator],
                           assessed: list[EngagementRecommendation]) -> type[Form]:
    """The end measurement or the follow-up: a value and its date per agreed indicator; the
    follow-up also the self-assessment again per chosen recommendation."""
    word = "Slutmåling" if stage == MeasurementStage.END else "Opfølgning"
    fields: dict = {}
    for row in rows:
        indicator = row.indicator
        prefix = indicator_prefix(indicator.id)
        fields[f"{prefix}value"] = DanishNumberField(
            f"{word}: {indicator.name}", description=_unit_hint(indicator),
            validators=[InputRequired(f"Angiv {word.lower()}en for {indicator.name}")])
        fields[f"{prefix}on"] = DateField(
            f"Målt den: {indicator.name}", description="Tom: i dag.", validators=[Optional()])
    if stage == MeasurementStage.FOLLOW_UP:
        for row in assessed:
            number = row.recommendation.number
            fields[score_field(row)] = RadioField(
                f"{number}. {row.recommendation.title}", coerce=int, choices=_score_choices(),
                validators=[InputRequired(f"Vælg en vurdering fra 1 til 5 for anbefaling "
                                          f"{number}")])
    return type("MeasurementForm", (Form,), fields)


class BenefitForm(Form):
    """The four benefits of seed 003, each rated 1–5 with a comment."""


for _benefit in BENEFITS:
    setattr(BenefitForm, f"benefit_{_benefit.code}", RadioField(
        _benefit.text, coerce=int, choices=_score_choices(),
        validators=[InputRequired("Vælg en vurdering fra 1 til 5")]))
    setattr(BenefitForm, f"comment_{_benefit.code}", TextAreaField(
        "Kommentar", description="Hvad fik I, og hvad manglede?",
        validators=[Optional(), Length(max=MAX_COMMENT,
                                       message=f"Skriv højst {MAX_COMMENT} tegn")]))
