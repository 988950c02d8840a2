"""Every form field has bounds that fit the column it is saved to, and the app-wide guard in
the base `Form` refuses control characters, out-of-range integers and far-off dates."""

from __future__ import annotations

import pytest
from sqlalchemy import String
from werkzeug.datastructures import MultiDict
from wtforms import IntegerField, StringField, TextAreaField
from wtforms.validators import Length, NumberRange

from indsatsteam.extensions import db
from indsatsteam.forms import (
    CONTROL_CHARACTERS_MESSAGE,
    DATE_RANGE_MESSAGE,
    TOO_LARGE_MESSAGE,
    Form,
)


def all_form_classes(app) -> list[type[Form]]:
    found, todo = [], list(Form.__subclasses__())
    while todo:
        cls = todo.pop()
        if cls.__module__.startswith("indsatsteam."):
            found.append(cls)
        todo.extend(cls.__subclasses__())
    return sorted(found, key=lambda c: f"{c.__module__}.{c.__qualname__}")


def unbound_fields(form_class):
    for name in dir(form_class):
        value = getattr(form_class, name, None)
        if hasattr(value, "field_class") and hasattr(value, "kwargs"):
            yield name, value


def _validators(unbound, kind):
    return [v for v in unbound.kwargs.get("validators") or () if isinstance(v, kind)]


# Where a form's field names match two tables equally well, the one it is saved to.
SAVED_TO = {"ContactStep": "applications", "TaskForm": "tasks"}
# Typed with spaces ("1000 0009") and stored only after the domain has normalised and checked
# them (check_cvr, check_p_number), so the typed text may be longer than the column.
NORMALISED = {"ProviderForm.cvr", "ProviderForm.p_number"}


def saved_to(form_class, names: list[str]):
    """The table a form is saved to: the one with most columns named like its fields."""
    tables = db.metadata.tables
    if form_class.__name__ in SAVED_TO:
        return tables[SAVED_TO[form_class.__name__]]
    best = max(tables.values(), key=lambda table: sum(n in table.c for n in names))
    return best if any(n in best.c for n in names) else None


def column_length(table, name: str) -> int | None:
    if table is None or name not in table.c:
        return None
    column_type = table.c[name].type
    return column_type.length if isinstance(column_type, String) else None


def test_every_text_field_has_a_maximum_length_within_its_column(app):
    missing, too_long = [], []
    for form_class in all_form_classes(app):
        fields = [(n, u) for n, u in unbound_fields(form_class)
                  if issubclass(u.field_class, StringField)]
        table = saved_to(form_class, [n for n, _ in fields])
        for name, unbound in fields:
            where = f"{form_class.__module__}.{form_class.__qualname__}.{name}"
            maxima = [v.max for v in _validators(unbound, Length) if v.max and v.max > 0]
            length = column_length(table, name)
            if not maxima:
                missing.append(where)
            elif length and min(maxima) > length and \
                    f"{form_class.__qualname__}.{name}" not in NORMALISED:
                too_long.append(f"{where}: {min(maxima)} > {table.name}.{name} ({length})")
    assert not missing, f"text fields without Length(max=…): {missing}"
    assert not too_long, f"text fields longer than their column: {too_long}"


def test_every_integer_field_has_bounds_with_a_danish_message(app):
    unbounded = []
    for form_class in all_form_classes(app):
        for name, unbound in unbound_fields(form_class):
            if not issubclass(unbound.field_class, IntegerField):
                continue
            ranges = [v for v in _validators(unbound, NumberRange)
                      if v.min is not None and v.max is not None and v.message]
            if not ranges:
                unbounded.append(f"{form_class.__module__}.{form_class.__qualname__}.{name}")
    assert not unbounded, f"integer fields without NumberRange(min, max, message): {unbounded}"


class _Sample(Form):
    class Meta:
        csrf = False

    line = StringField("Linje")
    text = TextAreaField("Tekst")
    number = IntegerField("Tal")


@pytest.mark.parametrize(("data", "field", "message"), [
    ({"line": "Navn\x00"}, "line", CONTROL_CHARACTERS_MESSAGE),
    ({"line": "Navn\tNavnesen"}, "line", CONTROL_CHARACTERS_MESSAGE),
    ({"line": "\x1b[31m"}, "line", CONTROL_CHARACTERS_MESSAGE),
    ({"line": "\x85"}, "line", CONTROL_CHARACTERS_MESSAGE),
    ({"text": "Første linje\r\nAnden\x07"}, "text", CONTROL_CHARACTERS_MESSAGE),
    ({"number": "99999999999999999999"}, "number", TOO_LARGE_MESSAGE),
    ({"number": "-2147483648"}, "number", TOO_LARGE_MESSAGE),
])
def test_the_base_form_refuses_hostile_values(app, data, field, message):
    form = _Sample(formdata=MultiDict(data))
    assert not form.validate()
    assert form[field].errors == [message]


def test_the_base_form_keeps_newlines_and_tabs_in_text_areas_and_emoji_anywhere(app):
    form = _Sample(formdata=MultiDict({"line": "Åse 🙂 Ærø", "text": "a\r\n\tb 🙂",
                                       "number": "2147483647"}))
    assert form.validate(), form.errors


def test_the_base_form_refuses_far_off_dates(app):
    from wtforms import DateField

    class Dated(Form):
        class Meta:
            csrf = False

        day = DateField("Dag")

    form = Dated(formdata=MultiDict({"day": "0001-01-01"}))
    assert not form.validate()
    assert form.day.errors == [DATE_RANGE_MESSAGE]
    assert Dated(formdata=MultiDict({"day": "2027-03-28"})).validate()
