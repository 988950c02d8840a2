"""Password rules for people who log in with e-mail and password."""

from __future__ import annotations

from .errors import DomainError

MIN_PASSWORD_LENGTH = 12


def check_password_strength(pw: str, email: str | None = None) -> None:
    """Raise DomainError if the password is too short or is the user's e-mail address.

    Length is what matters most against guessing (NIST SP 800-63B), so there are no
    rules about character classes.
    """
    pw = pw or ""
    if len(pw) < MIN_PASSWORD_LENGTH:
        raise DomainError(
            f"Adgangskoden skal være på mindst {MIN_PASSWORD_LENGTH} tegn", field="password"
        )
    if email and pw.strip().casefold() == email.strip().casefold():
        raise DomainError("Adgangskoden må ikke være din e-mailadresse", field="password")
