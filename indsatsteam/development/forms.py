"""Forms of the phases' work, shared by the staff pages and the tilbud's portal."""

from __future__ import annotations

from wtforms import (
    BooleanField,
    DateField,
    FieldList,
    FormField,
    SelectChoice,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Length, Optional

from ..domain.expectations import BENEFITS, CONDITION_COLUMNS
from ..forms import Form, MultiCheckboxField

LONG = 5000


def _long(label: str, description: str = "", needed: bool = False) -> TextAreaField:
    """`needed`: the part must be filled in before the whole counts (agreed, a plan), but a
    draft may be saved without it, so it is neither Optional (no "frivilligt") nor required."""
    return TextAreaField(label, description=description, validators=[
        *([] if needed else [Optional()]),
        Length(max=LONG, message=f"Skriv højst {LONG} tegn")])


def _short(label: str, description: str = "", max_length: int = 200,
           needed: bool = False) -> StringField:
    return StringField(label, description=description, validators=[
        *([] if needed else [Optional()]),
        Length(max=max_length, message=f"Skriv højst {max_length} tegn")])


# (legend, fields) of the forventningsafstemning, in the order of the page.
EXPECTATION_GROUPS: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    ("Det håber tilbuddet at få ud af forløbet",
     "Et rådgivningsforløb kan give jer fire ting. Skriv ved dem, I vil arbejde med, hvad det "
     "vil betyde for jer.",
     (*(b.column for b in BENEFITS), "goals")),
    ("Indsatsteamets forventninger til tilbuddet", "",
     ("participants", "time_commitment", "leadership_involvement")),
    ("Praktiske aftaler", "", ("meeting_cadence", "contact_person")),
    ("Risici", "", ("risks",)),
)


class ExpectationsForm(Form):
    """The tilbud's form; the team's adds the mark that it is agreed."""

    meaning_insight = _long("Hvad det vil betyde for os: " + BENEFITS[0].text.lower())
    meaning_competences = _long("Hvad det vil betyde for os: " + BENEFITS[1].text.lower())
    meaning_understanding = _long("Hvad det vil betyde for os: " + BENEFITS[2].text.lower())
    meaning_systematics = _long("Hvad det vil betyde for os: " + BENEFITS[3].text.lower())
    goals = _long("Andre mål for forløbet", "Det, I ellers håber at opnå.")
    participants = _long("Deltagere fra tilbuddet",
                         "Hvem fra ledelse og medarbejdergruppe deltager i forløbet?", needed=True)
    time_commitment = _long("Tid", "Hvor meget tid afsætter tilbuddet, fx timer om måneden?",
                            needed=True)
    leadership_involvement = _long("Ledelsens involvering",
                                   "Hvordan deltager og følger ledelsen forløbet?", needed=True)
    meeting_cadence = _long("Mødekadence", "Fx et møde hver 14. dag og en workshop pr. fase.",
                            needed=True)
    contact_person = _short("Kontaktperson hos tilbuddet", "Navn og gerne telefonnummer.",
                            needed=True)
    risks = _long("Risici", "Hvad kan stå i vejen for forløbet, og hvad gør I så? Skriv "
                  "\u201cIngen kendte\u201d, hvis I ikke ser nogen.", needed=True)


class TeamExpectationsForm(ExpectationsForm):
    agreed = BooleanField("Forventningsafstemningen er aftalt med tilbuddet",
                          description="Når den er aftalt, kan tilbuddet ikke længere rette "
                                      "i den, og samarbejdsaftalen udstedes.")


class MilestoneForm(Form):
    class Meta:
        csrf = False

    title = _short("Milepæl", "Lad den stå tom for at fjerne milepælen.")
    due_date = DateField("Dato", format="%Y-%m-%d", validators=[Optional()])


class PlanForm(Form):
    changes = _long("Konkrete ændringer", "Hvad vil tilbuddet gøre anderledes i praksis?",
                    needed=True)
    leadership_conditions = _long(CONDITION_COLUMNS[0][1])
    organisation_conditions = _long(CONDITION_COLUMNS[1][1])
    competence_conditions = _long(CONDITION_COLUMNS[2][1])
    routine_conditions = _long(CONDITION_COLUMNS[3][1])
    method_ids = MultiCheckboxField("Metoder og redskaber", coerce=int,
                                    validators=[Optional()])
    responsible = _short("Ansvarlig", "Hvem hos tilbuddet har ansvaret for planen?", needed=True)
    milestones = FieldList(FormField(MilestoneForm), min_entries=1, max_entries=21)

    def set_methods(self, methods, proposed_ids: set[int]) -> None:
        self.method_ids.choices = [
            SelectChoice(m.id, m.title, {"hint": (("Foreslået af konsulenten. "
                                                   if m.id in proposed_ids else "")
                                                  + m.description)[:400]})
            for m in methods]


class ProposeMethodsForm(Form):
    method_ids = MultiCheckboxField(
        "Metoder og redskaber, du foreslår tilbuddet", coerce=int,
        description="Tilbuddet ser forslagene i sin portal ved siden af sine anbefalinger og "
                    "kan bruge dem i udviklingsplanerne.", validators=[Optional()])


class ButtonForm(Form):
    """Carries only the CSRF token (the milestone's "Gør til opgave")."""


class MethodItemForm(Form):
    class Meta:
        csrf = False

    title = _short("Titel", "Lad titlen stå tom for at fjerne metoden.")
    description = TextAreaField("Kort beskrivelse", validators=[
        Optional(), Length(max=3000, message="Skriv højst 3000 tegn")])
    theme_codes = MultiCheckboxField("Temaer, den understøtter", validators=[Optional()])
    recommendation_refs = MultiCheckboxField("Anbefalinger og kvalitetstemaer, den understøtter",
                                             validators=[Optional()])
    links = TextAreaField("Links", description="Ét link pr. linje, fx https://vive.dk/…",
                          validators=[Optional(),
                                      Length(max=5000, message="Skriv højst 5000 tegn")])


class LibraryForm(Form):
    title = StringField("Bibliotekets titel", validators=[
        DataRequired("Skriv bibliotekets titel"), Length(max=200, message="Skriv højst 200 tegn")])
    items = FieldList(FormField(MethodItemForm), min_entries=1, max_entries=60)

    def set_choices(self, themes: list[tuple[str, str]],
                    recommendations: list[tuple[str, str]]) -> None:
        for entry in self.items:
            entry.form.theme_codes.choices = themes
            entry.form.recommendation_refs.choices = recommendations
