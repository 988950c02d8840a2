"""Forms of the notification centre."""

from __future__ import annotations

from wtforms import RadioField, SelectChoice
from wtforms.validators import InputRequired

from ..forms import Form
from .services import CHANNELS, Category


class MarkReadForm(Form):
    """Marking one or all notifications as read: only the CSRF token."""


def preferences_form(categories: list[Category], data: dict[str, str] | None = None) -> Form:
    """One radio group per category (in the given order) with the three channels."""
    fields = {
        category.code: RadioField(
            category.label,
            choices=[SelectChoice(code, label) for code, label in CHANNELS.items()],
            description=f"Standard: {CHANNELS[category.default_channel].lower()}",
            validators=[InputRequired(f"Vælg hvordan du vil have besked om "
                                      f"{category.label.lower()}")])
        for category in categories
    }
    return type("PreferencesForm", (Form,), fields)(data=data)
