from __future__ import annotations

from wtforms import BooleanField, HiddenField, PasswordField, StringField
from wtforms.validators import DataRequired, EqualTo, InputRequired, Length

from ..domain.passwords import MIN_PASSWORD_LENGTH
from ..forms import EMAIL_FORMAT, EMAIL_LENGTH, EmailField, Form

EMAIL_REQUIRED = DataRequired("Indtast din e-mailadresse")
PASSWORD_LENGTH = Length(min=MIN_PASSWORD_LENGTH,
                         message=f"Adgangskoden skal være på mindst {MIN_PASSWORD_LENGTH} tegn")
# A typed password or its repetition is never stored; this only keeps hashing cheap.
PASSWORD_MAX = Length(max=200, message="Adgangskoden må højst være på 200 tegn")


class LoginForm(Form):
    email = EmailField("E-mailadresse", validators=[EMAIL_REQUIRED, EMAIL_FORMAT, EMAIL_LENGTH])
    password = PasswordField("Adgangskode", validators=[InputRequired("Indtast din adgangskode"),
                                                     PASSWORD_MAX])
    remember = BooleanField("Husk mig på denne computer", default=False)
    next = HiddenField(validators=[Length(max=2000, message="Adressen er for lang")])


class RegisterForm(Form):
    name = StringField("Fulde navn", validators=[
        DataRequired("Indtast dit fulde navn"), Length(max=200, message="Navnet er for langt")])
    email = EmailField("E-mailadresse", validators=[EMAIL_REQUIRED, EMAIL_FORMAT, EMAIL_LENGTH])
    password = PasswordField(
        "Adgangskode", description=f"Mindst {MIN_PASSWORD_LENGTH} tegn.",
        validators=[InputRequired("Vælg en adgangskode"), PASSWORD_LENGTH, PASSWORD_MAX])
    password_repeat = PasswordField("Gentag adgangskode", validators=[
        InputRequired("Gentag adgangskoden"), PASSWORD_MAX,
        EqualTo("password", message="De to adgangskoder er ikke ens")])
    accept_terms = BooleanField(
        "Jeg har læst privatlivspolitikken og accepterer, at mine oplysninger behandles som "
        "beskrevet", validators=[DataRequired("Du skal acceptere privatlivspolitikken for at "
                                              "oprette en bruger")])


class ForgotPasswordForm(Form):
    email = EmailField("E-mailadresse", validators=[EMAIL_REQUIRED, EMAIL_FORMAT, EMAIL_LENGTH])


class ResetPasswordForm(Form):
    password = PasswordField(
        "Ny adgangskode", description=f"Mindst {MIN_PASSWORD_LENGTH} tegn.",
        validators=[InputRequired("Vælg en ny adgangskode"), PASSWORD_LENGTH, PASSWORD_MAX])
    password_repeat = PasswordField("Gentag ny adgangskode", validators=[
        InputRequired("Gentag adgangskoden"), PASSWORD_MAX,
        EqualTo("password", message="De to adgangskoder er ikke ens")])


class ChangePasswordForm(Form):
    current_password = PasswordField("Nuværende adgangskode", validators=[
        InputRequired("Indtast din nuværende adgangskode"), PASSWORD_MAX])
    password = PasswordField(
        "Ny adgangskode", description=f"Mindst {MIN_PASSWORD_LENGTH} tegn.",
        validators=[InputRequired("Vælg en ny adgangskode"), PASSWORD_LENGTH, PASSWORD_MAX])
    password_repeat = PasswordField("Gentag ny adgangskode", validators=[
        InputRequired("Gentag adgangskoden"), PASSWORD_MAX,
        EqualTo("password", message="De to adgangskoder er ikke ens")])
