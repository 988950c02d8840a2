"""The admin's search forms (GET, so no CSRF token): Danish messages next to the fields."""

from __future__ import annotations

from wtforms import DateField, IntegerField, SelectField
from wtforms.validators import NumberRange, Optional, ValidationError

from ..forms import Form


def _optional_int(value):
    return int(value) if value not in (None, "") else None


class _PeriodForm(Form):
    class Meta:
        csrf = False

    fra = DateField("Fra dato", validators=[Optional()])
    til = DateField("Til dato", validators=[Optional()])

    def validate_til(self, field) -> None:
        if field.data and self.fra.data and field.data < self.fra.data:
            raise ValidationError("Til-datoen skal være samme dag som fra-datoen eller senere")


class AuditSearchForm(_PeriodForm):
    bruger = SelectField("Udført af", coerce=_optional_int, validate_choice=True)
    objekttype = SelectField("Objekttype", default="", validate_choice=True)
    objekt_id = IntegerField("Objektets id", validators=[
        Optional(), NumberRange(min=1, max=2**31 - 1, message="Indtast et id større end 0")])


class AccessSearchForm(_PeriodForm):
    bruger = SelectField("Set af", coerce=_optional_int, validate_choice=True)
    person = SelectField("Person, hvis data er set", coerce=_optional_int, validate_choice=True)
    tilbud = SelectField("Tilbud", coerce=_optional_int, validate_choice=True)
