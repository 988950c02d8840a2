"""Every message a form can show is Danish: every validator of every form is triggered (empty,
too long, too short, out of range, not a number/date/choice) and no error may be English."""

from __future__ import annotations

import importlib
import pkgutil
import re
from io import BytesIO

from babel.messages.mofile import read_mo
from babel.messages.pofile import read_po
from werkzeug.datastructures import MultiDict
from wtforms import validators as v
from wtforms.fields import (
    BooleanField,
    DateField,
    DateTimeLocalField,
    IntegerField,
    RadioField,
    SelectFieldBase,
    SelectMultipleField,
)

import indsatsteam
from indsatsteam.forms import Form

GARBAGE = "ugyldig-værdi"
# Words of WTForms' and Flask-WTF's English messages that never occur in a Danish one.
ENGLISH = re.compile(
    r"\b(field|must|invalid|valid|choice|choices|characters?|required|number|date|value|"
    r"token|missing|cannot|longer|least|between|expired|not|this|is|the|please|enter)\b",
    re.IGNORECASE)


def _all_forms() -> list[type[Form]]:
    for module in pkgutil.walk_packages(indsatsteam.__path__, "indsatsteam."):
        importlib.import_module(module.name)
    seen, todo = [], list(Form.__subclasses__())
    while todo:
        cls = todo.pop()
        if cls not in seen:
            seen.append(cls)
            todo.extend(cls.__subclasses__())
    return seen


def _dynamic_forms() -> list[type[Form]]:
    """Forms built per object (a field per theme or per chosen recommendation)."""
    from types import SimpleNamespace

    from indsatsteam.engagements.forms import analysis_form_class
    from indsatsteam.portal.forms import self_assessment_form_class

    theme = SimpleNamespace(id=1, name="Sundhed")
    row = SimpleNamespace(id=7, recommendation=SimpleNamespace(number=5, title="Sundhed"))
    return [analysis_form_class([theme]), self_assessment_form_class([row])]


def _variants(form_class: type[Form]) -> list[MultiDict]:
    """Form data that together trip every validator of every field."""
    names = [name for name, _ in form_class()._fields.items() if name != "csrf_token"]
    variants = [MultiDict(), MultiDict({name: GARBAGE for name in names}),
                MultiDict({name: "" for name in names})]
    for name, field in form_class()._fields.items():
        for validator in field.validators:
            if isinstance(validator, v.Length):
                if validator.max and validator.max > 0:
                    variants.append(MultiDict({name: "a" * (validator.max + 1)}))
                if validator.min and validator.min > 1:
                    variants.append(MultiDict({name: "a"}))
            if isinstance(validator, v.NumberRange):
                if validator.min is not None:
                    variants.append(MultiDict({name: str(validator.min - 1)}))
                if validator.max is not None:
                    variants.append(MultiDict({name: str(validator.max + 1)}))
            if isinstance(validator, v.EqualTo):
                variants.append(MultiDict({name: "en-ting", validator.fieldname: "noget-andet"}))
        if isinstance(field, IntegerField | DateField | DateTimeLocalField):
            variants.append(MultiDict({name: "12,5"}))
        if isinstance(field, SelectMultipleField):
            variants.append(MultiDict([(name, "1"), (name, GARBAGE)]))
    return variants


def _errors(form: Form) -> list[str]:
    messages = list(form.form_errors)
    for errors in form.errors.values():
        messages.extend(e for e in errors if isinstance(e, str))
    return messages


def _validate(form_class: type[Form], data: MultiDict) -> list[str]:
    form = form_class(formdata=data, meta={"csrf": False})
    for field in form:
        if isinstance(field, SelectFieldBase) and not isinstance(field, RadioField | BooleanField):
            if field.choices is None:  # set by the route from the database
                field.choices = [(1, "Første mulighed")]
        if isinstance(field, RadioField) and field.choices is None:
            field.choices = [(1, "Første mulighed")]
    form.validate()
    return _errors(form)


def test_every_validator_of_every_form_speaks_danish(app):
    forms = _all_forms() + _dynamic_forms()
    assert len(forms) > 40, "every form of the app is enumerated"
    english, checked = [], 0
    with app.test_request_context("/", method="POST"):
        for form_class in forms:
            for data in _variants(form_class):
                for message in _validate(form_class, data):
                    checked += 1
                    if ENGLISH.search(message):
                        english.append(f"{form_class.__name__}: {message}")
    assert checked > 300
    assert not english, "\n".join(sorted(set(english)))


def test_wtforms_length_message_is_danish(app):
    from indsatsteam.engagements.forms import MeetingForm

    with app.test_request_context("/", method="POST"):
        form = MeetingForm(formdata=MultiDict({"location": "x" * 201}), meta={"csrf": False})
        form.validate()
    assert form.location.errors == ["Skriv højst 200 tegn"]


def test_csrf_messages_are_danish(app):
    from indsatsteam.engagements.forms import NoteForm

    with app.test_request_context("/", method="POST", data={"body": "Note"}):
        form = NoteForm(meta={"csrf": True})
        form.validate()
    assert form.csrf_token.errors == ["Formularen er udløbet. Prøv igen."]


def test_catalogue_translates_every_wtforms_message():
    """The Danish catalogue covers WTForms' own template, and the compiled file matches it
    (run `make translations` after editing the .po file)."""
    import wtforms.i18n

    locale_dir = indsatsteam.__path__[0] + "/translations/da/LC_MESSAGES/"
    with open(wtforms.i18n.messages_path() + "/wtforms.pot", "rb") as fp:
        template = read_po(fp)
    with open(locale_dir + "wtforms.po", "rb") as fp:
        catalogue = read_po(fp, locale="da")
    with open(locale_dir + "wtforms.mo", "rb") as fp:
        compiled = read_mo(BytesIO(fp.read()))
    for message in template:
        if not message.id:
            continue
        ours = catalogue.get(message.id)
        assert ours is not None and not ours.fuzzy, message.id
        assert all(ours.string) if isinstance(ours.string, tuple) else ours.string, message.id
        strings = compiled.get(message.id).string
        if isinstance(ours.string, tuple):
            strings = tuple(strings)
        assert strings == ours.string, message.id
