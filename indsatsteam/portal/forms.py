"""Forms of the tilbud's portal."""

from __future__ import annotations

from wtforms import RadioField, SelectChoice, SelectField
from wtforms.validators import DataRequired, InputRequired

from ..domain.catalogues import ItemWords
from ..domain.engagements import TaskStatus
from ..forms import Form, MultiCheckboxField
from ..models import EngagementRecommendation
from .services import CatalogueItem, score_field

SCORE_LABELS = {
    1: "I meget lav grad",
    2: "I lav grad",
    3: "I nogen grad",
    4: "I høj grad",
    5: "I meget høj grad",
}


class TaskStatusForm(Form):
    status = SelectField("Status", choices=[SelectChoice(s.value, s.label) for s in TaskStatus],
                         validators=[DataRequired("Vælg status for opgaven")])


class ChooseRecommendationsForm(Form):
    recommendation_ids = MultiCheckboxField(
        "Hvilke anbefalinger vil I arbejde med?", coerce=int,
        description="Vælg en eller flere. Jeres konsulent har måske foreslået nogle, men det "
                    "er jer, der bestemmer.",
        validators=[DataRequired("Vælg mindst én anbefaling")])

    def set_catalogue(self, items: list[CatalogueItem], words: ItemWords) -> None:
        """Each item with what it means, and whether the consultant proposed it."""
        self.recommendation_ids.label.text = f"Hvilke {words.many} vil I arbejde med?"
        # A new list: the class's validators are shared by every instance of the form.
        self.recommendation_ids.validators = [DataRequired(
            f"Vælg mindst ét {words.one}" if words.one.endswith("tema")
            else f"Vælg mindst én {words.one}")]
        self.recommendation_ids.choices = [
            SelectChoice(item.recommendation.id,
                         f"{item.recommendation.number}. {item.recommendation.title}",
                         _hint(item))
            for item in items]


def _hint(item: CatalogueItem) -> dict:
    parts = [item.recommendation.text.strip()] if item.recommendation.text.strip() else []
    if item.proposed:
        parts.append("Foreslået af konsulenten.")
    return {"hint": " ".join(parts)} if parts else {}


def self_assessment_form_class(rows: list[EngagementRecommendation],
                               words: ItemWords | None = None) -> type[Form]:
    """One 1–5 radio group per chosen recommendation, named by its engagement row."""
    one = words.one if words else "anbefaling"
    fields = {}
    for row in rows:
        number = row.recommendation.number
        fields[score_field(row)] = RadioField(
            f"{number}. {row.recommendation.title}", coerce=int,
            choices=[SelectChoice(score, f"{score} – {label}")
                     for score, label in SCORE_LABELS.items()],
            validators=[InputRequired(f"Vælg en vurdering fra 1 til 5 for {one} {number}")])
    return type("SelfAssessmentForm", (Form,), fields)
