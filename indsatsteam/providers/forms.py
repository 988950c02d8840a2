from __future__ import annotations

from wtforms import SelectField, StringField, TelField
from wtforms.validators import DataRequired, Length, Optional, Regexp

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


class AddMemberForm(Form):
    email = EmailField(
        "Kollegaens e-mailadresse",
        description="Kollegaen skal først have oprettet en bruger som ansøger.",
        validators=[DataRequired("Indtast kollegaens e-mailadresse"),
                    EMAIL_FORMAT, EMAIL_LENGTH])
