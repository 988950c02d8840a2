"""Jinja filters and globals: Danish dates in Europe/Copenhagen via Flask-Babel."""

from __future__ import annotations

from datetime import date, datetime

from flask import Flask
from flask_babel import format_date, format_datetime, format_decimal

from . import clock
from .applications.summary import summary_sections
from .domain.applications import ApplicationStatus, time_left_text


def danish_date(value: date | datetime | None) -> str:
    """7. marts 2025."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        return format_datetime(value, "d. MMMM y")
    return format_date(value, "d. MMMM y")


def danish_datetime(value: datetime | None) -> str:
    """27. november 2026 kl. 12.00 (Danish local time)."""
    if value is None:
        return ""
    return format_datetime(value, "d. MMMM y 'kl.' HH.mm")


def danish_number(value: float | int | None, decimals: int | None = None,
                  signed: bool = False) -> str:
    """1.250 and 2,5 (Danish separators); "–" when there is no figure; signed: +1,3 and
    -0,5, but 0,0 without a sign."""
    if value is None:
        return "–"
    signed = signed and value != 0
    if decimals is not None:
        pattern = f"{'+' if signed else ''}#,##0.{'0' * decimals};-#,##0.{'0' * decimals}"
        return format_decimal(value, pattern)
    text = format_decimal(value)
    return f"+{text}" if signed and value > 0 else text


def time_left(closes_at: datetime) -> str:
    return time_left_text(closes_at, clock.now())


def status_label(value: str) -> str:
    return ApplicationStatus(value).label


def init_app(app: Flask) -> None:
    app.jinja_env.globals["summary_sections"] = summary_sections
    app.jinja_env.globals["status_label"] = status_label
    app.jinja_env.filters["danish_date"] = danish_date
    app.jinja_env.filters["danish_datetime"] = danish_datetime
    app.jinja_env.filters["time_left"] = time_left
    app.jinja_env.filters["danish_number"] = danish_number
    app.jinja_env.globals["now"] = clock.now
