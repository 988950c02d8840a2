import pytest

from indsatsteam.domain.errors import DomainError
from indsatsteam.domain.passwords import MIN_PASSWORD_LENGTH, check_password_strength


@pytest.mark.parametrize(
    "password",
    ["a" * MIN_PASSWORD_LENGTH, "korrekt hest batteri hæfteklamme", "æøåÆØÅæøåÆØÅ"],
)
def test_long_enough_passwords_pass(password):
    assert check_password_strength(password, email="lise@example.dk") is None


@pytest.mark.parametrize("password", ["", "kort", "a" * (MIN_PASSWORD_LENGTH - 1), None])
def test_short_passwords_are_refused(password):
    with pytest.raises(DomainError) as caught:
        check_password_strength(password)
    assert caught.value.message == "Adgangskoden skal være på mindst 12 tegn"
    assert caught.value.field == "password"


@pytest.mark.parametrize(
    "password", ["lise.hansen@example.dk", "Lise.Hansen@Example.DK", " lise.hansen@example.dk "]
)
def test_password_equal_to_email_is_refused(password):
    with pytest.raises(DomainError) as caught:
        check_password_strength(password, email="lise.hansen@example.dk")
    assert caught.value.message == "Adgangskoden må ikke være din e-mailadresse"
    assert caught.value.field == "password"


def test_email_is_optional():
    check_password_strength("lise.hansen@example.dk")
