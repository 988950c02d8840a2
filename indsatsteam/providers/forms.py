from __future__ import annotations

from wtforms import SelectField, StringField, TelField
from wtforms.validators import DataRequired, Length, Optional, Regexp, ValidationError

from ..domain.cvr import check_cvr, check_p_number
from ..domain.errors import DomainError
from ..domain.municipalities import MUNICIPALITY_CHOICES
from ..domain.providers import KIND_CHOICES, OWNER_CHOICES
from ..forms import (
    EMAIL_FORMAT,
    EMAIL_LENGTH,
    PHONE_FORMAT,
    PHONE_LENGTH,
    EmailField,
    Form,
)


class ProviderForm(Form):
    name = StringField("Tilbuddets navn", validators=[
        DataRequired("Indtast tilbuddets navn"), Length(max=200, message="Navnet er for langt")])
    cvr = StringField("CVR-nummer", description="8 cifre, fx 12345678.",
                      validators=[DataRequired("Indtast et CVR-nummer på 8 cifre"),
                                  Length(max=20, message="Indtast et CVR-nummer på 8 cifre")])
    p_number = StringField(
        "P-nummer", description="10 cifre. Udfyld hvis tilbuddet har sit eget P-nummer.",
        validators=[Optional(), Length(max=20, message="Indtast et P-nummer på 10 cifre")])
    kind = SelectField("Tilbudstype", choices=KIND_CHOICES,
                       validators=[DataRequired("Vælg tilbudstype")])
    owner_type = SelectField("Ejerform", choices=OWNER_CHOICES,
                             validators=[DataRequired("Vælg ejerform")])
    municipality_code = SelectField(
        "Kommune", description="Den kommune, tilbuddet ligger i.", choices=MUNICIPALITY_CHOICES,
        validators=[DataRequired("Vælg den kommune, tilbuddet ligger i")])
    address = StringField("Adresse", description="Vej og husnummer.", validators=[
        DataRequired("Indtast tilbuddets adresse"), Length(max=200)])
    postal_code = StringField("Postnummer", validators=[
        DataRequired("Indtast postnummer"),
        Length(max=4, message="Indtast et postnummer på 4 cifre"),
        Regexp(r"^\d{4}$", message="Indtast et postnummer på 4 cifre")])
    city = StringField("By", validators=[DataRequired("Indtast by"), Length(max=100)])
    contact_name = StringField("Kontaktperson", validators=[
        DataRequired("Indtast navnet på tilbuddets kontaktperson"), Length(max=200)])
    contact_email = EmailField("Kontaktpersonens e-mailadresse", validators=[
        DataRequired("Indtast kontaktpersonens e-mailadresse"),
        EMAIL_FORMAT, EMAIL_LENGTH])
    contact_phone = TelField("Kontaktpersonens telefonnummer", validators=[
        DataRequired("Indtast kontaktpersonens telefonnummer"),
        PHONE_FORMAT, PHONE_LENGTH])

    # The number rules run with the other fields' validators, so every message comes at once
    # (the service checks them again before saving).
    def validate_cvr(self, field) -> None:
        _domain_rule(check_cvr, field.data)

    def validate_p_number(self, field) -> None:
        if (field.data or "").strip():
            _domain_rule(check_p_number, field.data)


def _domain_rule(rule, value) -> None:
    try:
        rule(value)
    except DomainError as err:
        raise ValidationError(err.message) from err


class AddMemberForm(Form):
    email = EmailField(
        "Kollegaens e-mailadresse",
        description="Kollegaen får en e-mail med et link og bliver tilknyttet, når "
                    "vedkommende har taget imod invitationen.",
        validators=[DataRequired("Indtast kollegaens e-mailadresse"),
                    EMAIL_FORMAT, EMAIL_LENGTH])


class AcceptInvitationForm(Form):
    """Only the CSRF token: the invitation itself is in the link."""
