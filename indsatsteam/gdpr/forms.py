from __future__ import annotations

from wtforms import BooleanField, FormField, IntegerField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange

from ..forms import Form


class DeletionRequestForm(Form):
    reason = TextAreaField("Begrundelse (valgfri)", validators=[Length(max=2000, message=(
        "Begrundelsen må højst være 2000 tegn"))])
    confirm = BooleanField("Jeg forstår, at mine oplysninger anonymiseres, hvis anmodningen "
                           "imødekommes, og at jeg så ikke længere kan logge ind",
                           validators=[DataRequired(message="Bekræft, at du vil anmode om "
                                                            "sletning")])


class HandleRequestForm(Form):
    response = TextAreaField("Svar til brugeren", description=(
        "Skal udfyldes, hvis anmodningen afvises, fx fordi oplysningerne bruges i et "
        "igangværende forløb."), validators=[Length(max=2000, message=(
            "Svaret må højst være 2000 tegn"))])


class PolicyForm(Form):
    class Meta:
        csrf = False

    months = IntegerField("Måneder", validators=[
        InputRequired(message="Indtast et helt antal måneder mellem 1 og 240"),
        NumberRange(min=1, max=240, message="Indtast et helt antal måneder mellem 1 og 240")])
    enabled = BooleanField("Slet eller anonymiser automatisk")


def policies_form(policies):
    """One sub-form per retention kind, named after the kind."""
    class PoliciesForm(Form):
        pass

    for policy in policies:
        setattr(PoliciesForm, policy.kind, FormField(PolicyForm, label=policy.kind))
    data = {p.kind: {"months": p.months, "enabled": p.enabled} for p in policies}
    return PoliciesForm(data=data)


class DryRunForm(Form):
    pass
