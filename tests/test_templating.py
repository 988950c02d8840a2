"""The template vocabulary: filters through danish_time, registered in templating.py only."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime
from pathlib import Path

import indsatsteam
from indsatsteam.templating import FILTERS, GLOBALS, danish_date, danish_datetime

PACKAGE = Path(indsatsteam.__file__).parent
REGISTRATION = re.compile(r"context_processor|app_template_global|app_template_filter|"
                          r"template_global\(|template_filter\(|jinja_env\.")


def test_the_date_filters_speak_danish_time():
    new_year = datetime(2026, 12, 31, 23, 30, tzinfo=UTC)  # 00.30 on 1 January in Denmark
    assert danish_date(new_year) == "1. januar 2027"
    assert danish_date(date(2025, 3, 7)) == "7. marts 2025"
    assert danish_datetime(new_year) == "1. januar 2027 kl. 00.30"
    assert danish_date(None) == danish_datetime(None) == ""


def test_every_filter_and_global_is_registered(app):
    for name, function in FILTERS.items():
        assert app.jinja_env.filters[name] is function
    for name, value in GLOBALS.items():
        assert app.jinja_env.globals[name] is value


def test_no_other_module_registers_template_names():
    offenders = [str(path.relative_to(PACKAGE)) for path in PACKAGE.rglob("*.py")
                 if path.name != "templating.py" and REGISTRATION.search(path.read_text())]
    assert offenders == []
