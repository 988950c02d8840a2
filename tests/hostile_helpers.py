"""What the hostile-input test posts and how it reads a page's forms and checks the database."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field
from datetime import date, datetime
from html.parser import HTMLParser
from urllib.parse import urlsplit

from sqlalchemy import select

MAX_INTEGER = 2**31 - 1
LONG_TEXT = "x" * 10_000
# Huge and negative integers, control characters, long text, emoji, invalid and far-off or
# DST-skipped dates, wrong types (text for numbers, a list for one value).
HOSTILE_VALUES: list[str | list[str]] = [
    "99999999999999999999",
    "-99999999999999999999",
    "-1",
    "Navn\x00med NUL",
    "\x1b[31m\x07\x08\x7f\x85",
    LONG_TEXT,
    "🙂 Ærø ﷽ \u202e",
    "2027-02-30",
    "0001-01-01T00:00",
    "9999-12-31",
    "2027-03-28T02:30",
    "NaN",
    ["1", "to"],
]


@dataclass
class PageForm:
    action: str
    fields: dict[str, list[str]] = field(default_factory=dict)  # name → values (baseline)
    names: list[str] = field(default_factory=list)  # every field name, in order


class _FormParser(HTMLParser):
    """The page's forms: their action and every named field with the value it would post."""

    def __init__(self, page_path: str):
        super().__init__(convert_charrefs=True)
        self.page_path = page_path
        self.forms: list[PageForm] = []
        self._select: str | None = None
        self._select_first: str | None = None
        self._select_chosen = False
        self._option_value: str | None = None
        self._textarea: str | None = None
        self._text: list[str] = []

    @property
    def form(self) -> PageForm | None:
        return self.forms[-1] if self.forms else None

    def _name(self, name: str) -> None:
        if self.form is not None and name not in self.form.names:
            self.form.names.append(name)

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form":
            self.forms.append(PageForm(action=urlsplit(a.get("action") or self.page_path).path
                                       or self.page_path))
            return
        if self.form is None or "name" not in a:
            if tag == "option" and self._select is not None:
                self._option_value = a.get("value", "")
                if self._select_first is None:
                    self._select_first = self._option_value
                if "selected" in a:
                    self.form.fields.setdefault(self._select, []).append(self._option_value)
                    self._select_chosen = True
            return
        name = a["name"]
        if tag == "input":
            kind = a.get("type", "text")
            self._name(name)
            if kind in ("checkbox", "radio"):
                if "checked" in a:
                    self.form.fields.setdefault(name, []).append(a.get("value", "y"))
            elif kind not in ("submit", "button"):
                self.form.fields.setdefault(name, []).append(a.get("value", ""))
        elif tag == "select":
            self._name(name)
            self._select, self._select_first, self._select_chosen = name, None, False
        elif tag == "textarea":
            self._name(name)
            self._textarea, self._text = name, []

    def handle_endtag(self, tag):
        if tag == "select" and self._select is not None:
            if not self._select_chosen and self._select_first is not None:
                self.form.fields.setdefault(self._select, []).append(self._select_first)
            self._select = None
        elif tag == "textarea" and self._textarea is not None:
            self.form.fields.setdefault(self._textarea, []).append("".join(self._text))
            self._textarea = None

    def handle_data(self, data):
        if self._textarea is not None:
            self._text.append(data)


def forms_on(html: str, page_path: str) -> list[PageForm]:
    parser = _FormParser(page_path)
    parser.feed(html)
    return parser.forms


def refused_values_in_database(db) -> list[str]:
    """Values no validator lets through, found anywhere in the database: control characters
    (newline and tab aside), text longer than its column or the 10 000-character string,
    integers beyond 32 bits, and dates outside the years the team works in."""
    found = []
    with db.engine.connect() as conn:
        for table in db.metadata.sorted_tables:
            checked = list(table.columns)
            for row in conn.execute(select(*checked)):
                for column, value in zip(checked, row, strict=True):
                    problem = _problem(column, value)
                    if problem:
                        found.append(f"{table.name}.{column.name}: {problem}")
    return found


def _problem(column, value) -> str | None:
    if value is None:
        return None
    if isinstance(value, str):
        if any(unicodedata.category(ch) == "Cc" and ch not in "\n\r\t" for ch in value):
            return f"control character in {value[:40]!r}"
        length = getattr(column.type, "length", None)
        if length and len(value) > length:
            return f"{len(value)} characters in a column of {length}"
        if LONG_TEXT in value:
            return "the 10 000-character text"
    elif isinstance(value, bool):
        return None
    elif isinstance(value, int) and abs(value) > MAX_INTEGER:
        return f"integer {value}"
    elif isinstance(value, date | datetime) and not 2000 <= value.year <= 2099:
        return f"date {value.isoformat()}"
    return None
