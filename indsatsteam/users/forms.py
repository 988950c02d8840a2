from __future__ import annotations

from wtforms import IntegerField, PasswordField, SelectField, StringField
from wtforms.validators import DataRequired, EqualTo, InputRequired, Length, NumberRange, Optional

from ..auth.forms import PASSWORD_LENGTH, PASSWORD_MAX
from ..domain.passwords import MIN_PASSWORD_LENGTH
from ..forms import EMAIL_FORMAT, EMAIL_LENGTH, EmailField, Form
from ..models import Role
from .services import INVITE_ROLES, MAX_CAPACITY, MIN_CAPACITY, UserStatus

ROLE_CHOICES = [(r.value, r.label) for r in INVITE_ROLES]
CAPACITY_RANGE = NumberRange(min=MIN_CAPACITY, max=MAX_CAPACITY,
                             message=f"Angiv en kapacitet mellem {MIN_CAPACITY} og "
                                     f"{MAX_CAPACITY} forløb")
CAPACITY_HINT = "Antal aktive forløb, lederen planlægger konsulenten til (0–50)."


class UserSearchForm(Form):
    """The list's filters (GET, no CSRF)."""

    class Meta:
        csrf = False

    q = StringField("Søg på navn eller e-mail", validators=[Optional(), Length(max=200)])
    rolle = SelectField("Rolle", choices=[("", "Alle"), *[(r.value, r.label) for r in Role]],
                        default="")
    status = SelectField("Status", choices=[("", "Alle"), *[(s.value, s.label)
                                                            for s in UserStatus]], default="")


class InviteForm(Form):
    name = StringField("Navn", validators=[
        DataRequired("Indtast personens fulde navn"),
        Length(max=200, message="Navnet må højst være 200 tegn")])
    email = EmailField("E-mail", validators=[DataRequired("Indtast personens e-mailadresse"),
                                             EMAIL_FORMAT, EMAIL_LENGTH])
    role = SelectField("Rolle", choices=ROLE_CHOICES,
                       validators=[DataRequired("Vælg en rolle")])
    capacity = IntegerField("Kapacitet (kun konsulenter)", default=6,
                            description=CAPACITY_HINT, validators=[Optional(), CAPACITY_RANGE])


class RoleForm(Form):
    role = SelectField("Rolle", choices=ROLE_CHOICES, validators=[DataRequired("Vælg en rolle")])


class CapacityForm(Form):
    capacity = IntegerField("Kapacitet", description=CAPACITY_HINT, validators=[
        InputRequired("Angiv kapaciteten som et helt tal"), CAPACITY_RANGE])


class ActionForm(Form):
    """Carries only the CSRF token (deactivate, reactivate, send links, anonymise)."""


class AcceptInvitationForm(Form):
    password = PasswordField(
        "Adgangskode", description=f"Mindst {MIN_PASSWORD_LENGTH} tegn.",
        validators=[InputRequired("Vælg en adgangskode"), PASSWORD_LENGTH, PASSWORD_MAX])
    password_repeat = PasswordField("Gentag adgangskode", validators=[
        InputRequired("Gentag adgangskoden"), PASSWORD_MAX,
        EqualTo("password", message="De to adgangskoder er ikke ens")])
