"""The admin's search forms (GET, so no CSRF token): Danish messages next to the fields."""

from __future__ import annotations

from wtforms import IntegerField, SelectField
from wtforms.validators import NumberRange, Optional

from ..forms import PeriodForm, optional_int


class AuditSearchForm(PeriodForm):
    bruger = SelectField("Udført af", coerce=optional_int, validate_choice=True)
    objekttype = SelectField("Objekttype", default="", validate_choice=True)
    objekt_id = IntegerField("Objektets id", validators=[
        Optional(), NumberRange(min=1, max=2**31 - 1, message="Indtast et id større end 0")])


class AccessSearchForm(PeriodForm):
    bruger = SelectField("Set af", coerce=optional_int, validate_choice=True)
    person = SelectField("Person, hvis data er set", coerce=optional_int, validate_choice=True)
    tilbud = SelectField("Tilbud", coerce=optional_int, validate_choice=True)
