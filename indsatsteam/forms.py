"""Form helpers shared by the features."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import SelectMultipleField, widgets

from .domain.errors import DomainError


class MultiCheckboxField(SelectMultipleField):
    """A list of checkboxes (rendered by the DKFDS checkbox macro)."""

    widget = widgets.ListWidget(prefix_label=False)
    option_widget = widgets.CheckboxInput()


def add_domain_error(form: FlaskForm, err: DomainError, default_field: str | None = None) -> None:
    """Show a domain rule's Danish message next to the field it concerns."""
    name = err.field or default_field
    field = getattr(form, name, None) if name else None
    if field is None:
        form.form_errors.append(err.message)
        return
    field.errors = [*field.errors, err.message]
