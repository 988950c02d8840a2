"""Every Jinja filter and global, registered in one place (`init_app`).

Dates and times go through `domain/danish_time.py` ("7. marts 2025", "27. november 2026
kl. 09.00", Danish time whatever zone the value has); numbers through Babel's Danish
separators. Feature packages keep their helpers (labels, look-ups) and this module names
them for the templates, so a template's vocabulary is found here and nowhere else.
"""

from __future__ import annotations

import hashlib
from datetime import date, datetime
from pathlib import Path

from flask import Flask, current_app, has_request_context, request, url_for
from flask_babel import format_decimal
from flask_login import current_user

from . import clock
from .admin.indicator_services import current_catalogue as current_indicator_catalogue
from .applications.summary import summary_sections
from .attachments import routes as attachment_views
from .audit import queries as audit_queries
from .development.services import current_library
from .development.values import expectations_of, plan_values
from .documents.routes import document_section
from .domain.applications import ApplicationStatus, time_left_text
from .domain.catalogues import item_words
from .domain.danish_time import format_danish_date, format_danish_datetime
from .domain.engagements import RUBRIC, RUBRIC_SCORES, MeetingType, ReviewRecommendation, TaskStatus
from .domain.expectations import BENEFITS, CONDITION_COLUMNS, missing_parts, plan_missing
from .domain.gates import GateKey, is_gate_key
from .domain.indicators import IndicatorUnit, improvement, reached_target
from .domain.methods import parse_recommendation_ref
from .domain.phases import Phase
from .domain.themes import THEMES
from .measurements import services as measurements
from .models import Role
from .notifications.services import unread_count
from .pagination import PAGE_ARG
from .portal.forms import SCORE_LABELS
from .portal.services import engagement_id_for_application
from .users.services import status_of

# --- filters -----------------------------------------------------------------------------


def danish_date(value: date | datetime | None) -> str:
    """7. marts 2025 (a moment gives its Danish date); empty for no value."""
    return "" if value is None else format_danish_date(value)


def danish_datetime(value: datetime | None) -> str:
    """27. november 2026 kl. 12.00 (Danish local time); empty for no value."""
    return "" if value is None else format_danish_datetime(value)


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


def self_assessment_score(score: int) -> str:
    """4 → "4 – I høj grad"."""
    return f"{score} – {SCORE_LABELS[score]}"


# --- globals -----------------------------------------------------------------------------


def status_label(value: str) -> str:
    return ApplicationStatus(value).label


def phase_label(value: str | None) -> str:
    return Phase(value).label if value else ""


def meeting_label(value: str) -> str:
    return MeetingType(value).label


def task_status_label(value: str) -> str:
    return TaskStatus(value).label


def gate_label(value: str) -> str:
    return GateKey(value).label if is_gate_key(value) else ""


_SCORES = dict(RUBRIC_SCORES)


def score_label(value: int | None) -> str:
    return _SCORES.get(value, "Ikke angivet")


def recommendation_label(value: str | None) -> str:
    return ReviewRecommendation(value).label if value else "Ingen"


def expectations_missing(agreement) -> list[str]:
    """What the forventningsafstemning (with its indicators) still lacks before it can be
    agreed."""
    missing = missing_parts(expectations_of(agreement))
    return missing + (measurements.indicators_missing(agreement.engagement) if agreement else [])


def measured_value(value: float | None, unit) -> str:
    """A measurement in its unit, Danish: "42,5 %", "3,2 (1–5)", "12 dage"; "–" without."""
    if value is None:
        return "–"
    return danish_number(value) + IndicatorUnit(unit).suffix


def indicator_change(row, stage: str) -> str:
    """The change from the baseline to the end or the follow-up, signed so that + is better,
    with the unit; "–" without both."""
    later = row.end_value if stage == "end" else row.follow_up_value
    gain = improvement(row.baseline_value, later, row.indicator.direction)
    if gain is None:
        return "–"
    text = danish_number(abs(gain))
    return ("+" if gain > 0 else "−" if gain < 0 else "±") + text + row.indicator.unit.suffix


def plan_missing_for(plan) -> list[str]:
    return plan_missing(plan_values(plan))


_THEME_NAMES = dict(THEMES)


def method_supports(method) -> str:
    """"Sundhed · Botilbud: anbefaling 6 · Bostøtte: kvalitetstema 5"."""
    parts = [_THEME_NAMES[c] for c in method.theme_codes.split(",") if c in _THEME_NAMES]
    refs: dict[str, list[str]] = {}
    for ref in method.recommendation_refs.split(","):
        parsed = parse_recommendation_ref(ref)
        if parsed:
            refs.setdefault(parsed[0], []).append(str(parsed[1]))
    for code, numbers in refs.items():
        words = item_words(code)
        label = words.one if len(numbers) == 1 else words.many
        parts.append(f"{CATALOGUE_SHORT.get(code, code)}: {label} {', '.join(numbers)}")
    return " · ".join(parts) or "–"


CATALOGUE_SHORT = {"botilbud": "Botilbud", "bostotte": "Bostøtte"}


# The sections of a forløb page that hold a phase's work, in the order they then come first
# (the others follow in the page's usual order). Staff and portal anchors share the names.
CURRENT_WORK: dict[str, tuple[str, ...]] = {
    Phase.STARTUP: ("fase", "opstart", "samarbejdsaftale", "effekt", "moeder", "opgaver"),
    Phase.ANALYSIS: ("fase", "analyse", "anbefalinger", "metoder", "opgaver", "moeder"),
    Phase.DEVELOPMENT: ("fase", "udviklingsplan", "opgaver", "anbefalinger", "metoder",
                        "effekt", "udvikling", "moeder"),
    # A completed forløb stays open for its follow-up.
    Phase.COMPLETED: ("effekt",),
}


def engagement_sections(engagement, sections: list[tuple[str, str]]
                        ) -> list[tuple[str, str, bool]]:
    """The page's (anchor, title) sections with the current phase's work first, each marked
    whether it is that work."""
    work = CURRENT_WORK.get(engagement.phase, ())
    first = [(key, title, True) for name in work for key, title in sections if key == name]
    rest = [(key, title, False) for key, title in sections if key not in work]
    return first + rest


def task_phases(engagement) -> list[str]:
    """The work phases for listing tasks: the current one first."""
    phases = [p.value for p in (Phase.STARTUP, Phase.ANALYSIS, Phase.DEVELOPMENT)]
    if engagement.phase in phases:
        phases.remove(engagement.phase)
        phases.insert(0, engagement.phase)
    return phases


def unread_notification_count() -> int:
    """The header's unread count: one COUNT, run only when a page's header asks for it."""
    if not has_request_context() or not current_user.is_authenticated:
        return 0
    return unread_count(current_user.id)


# The main menu per role, (endpoint, text); anonymous visitors get the last one.
MAIN_MENU: dict[str | None, list[tuple[str, str]]] = {
    Role.APPLICANT: [("pages.index", "Forside"), ("providers.mine", "Mit tilbud"),
                     ("applications.mine", "Mine ansøgninger"), ("portal.index", "Vores forløb")],
    Role.MANAGER: [("pages.index", "Forside"), ("dashboards.manager_overview", "Overblik"),
                   ("dashboards.consultant_overview", "Mit overblik"),
                   ("dashboards.effect_report", "Effekt"),
                   ("staff.applications", "Ansøgninger"), ("engagements.index", "Forløb")],
    Role.CONSULTANT: [("pages.index", "Forside"),
                      ("dashboards.consultant_overview", "Mit overblik"),
                      ("dashboards.effect_report", "Effekt"),
                      ("staff.applications", "Ansøgninger"), ("engagements.index", "Forløb")],
    Role.ADMIN: [("pages.index", "Forside"), ("staff.applications", "Ansøgninger"),
                 ("admin.index", "Administration")],
    None: [("pages.index", "Forside"), ("auth.login", "Log ind"),
           ("auth.register", "Opret bruger")],
}


def main_menu_items(user) -> list[tuple[str, str]]:
    """The header's menu for this user (anonymous or of an unknown role: the public one)."""
    role = user.role if user.is_authenticated else None
    items = MAIN_MENU.get(role, MAIN_MENU[None])
    if role is None and not tilbud_may_register():
        items = [item for item in items if item[0] != "auth.register"]
    return items


def tilbud_may_register() -> bool:
    """Self-registration with a password (PASSWORD_LOGIN includes tilbud)."""
    from .domain.login_methods import parse_password_login
    return "tilbud" in parse_password_login(current_app.config.get("PASSWORD_LOGIN"))


def page_url(number: int) -> str:
    """This page's URL at page `number` of its list (`pagination` macro): the other query
    parameters kept, empty ones left out, and no ?side= for the first page."""
    args = {key: kept for key, values in request.args.lists()
            if key != PAGE_ARG and (kept := [v for v in values if v])}
    if number > 1:
        args[PAGE_ARG] = number
    return url_for(request.endpoint, **(request.view_args or {}), **args)


FILTERS = {
    "danish_date": danish_date,
    "danish_datetime": danish_datetime,
    "danish_number": danish_number,
    "time_left": time_left,
    "self_assessment_score": self_assessment_score,
    "file_size": attachment_views.file_size,
}

GLOBALS = {
    "now": clock.now,
    "today": clock.today,
    "page_url": page_url,
    "main_menu_items": main_menu_items,
    "tilbud_may_register": tilbud_may_register,
    "unread_notification_count": unread_notification_count,
    # applications and the review queue
    "summary_sections": summary_sections,
    "status_label": status_label,
    "rubric": RUBRIC,
    "score_label": score_label,
    "recommendation_label": recommendation_label,
    # engagements, shared with the portal
    "phase_label": phase_label,
    "gate_label": gate_label,
    "meeting_label": meeting_label,
    "task_status": TaskStatus,
    "task_status_label": task_status_label,
    "portal_engagement_id": engagement_id_for_application,
    "item_words": item_words,
    # the phases' work: forventningsafstemning, development plans, methods
    "benefits": BENEFITS,
    "condition_columns": CONDITION_COLUMNS,
    "expectations_missing": expectations_missing,
    "plan_missing_for": plan_missing_for,
    "method_supports": method_supports,
    "current_method_library": current_library,
    "current_indicator_catalogue": current_indicator_catalogue,
    "engagement_sections": engagement_sections,
    "task_phases": task_phases,
    # documented effect
    "agreed_indicators": measurements.agreed_indicators,
    "without_end_measurement": measurements.without_end_measurement,
    "follow_up_state": measurements.follow_up_state,
    "benefit_ratings": measurements.benefit_ratings,
    "measured_value": measured_value,
    "indicator_change": indicator_change,
    "reached_target": reached_target,
    # users and the audit trail
    "user_status": status_of,
    "audit_object_type_label": audit_queries.object_type_label,
    "audit_field_label": audit_queries.field_label,
    "audit_object_url": audit_queries.object_url,
    "audit_person": audit_queries.person_label,
    "audit_action_labels": audit_queries.ACTION_LABELS,
    "audit_access_action_labels": audit_queries.ACCESS_ACTION_LABELS,
    # attachments and issued documents
    "application_attachments": attachment_views.application_attachments,
    "engagement_attachments": attachment_views.engagement_attachments,
    "may_delete_attachment": attachment_views.may_delete_attachment,
    "max_attachment_bytes": attachment_views.max_attachment_bytes,
    "document_section": document_section,
}


def init_app(app: Flask) -> None:
    app.jinja_env.filters.update(FILTERS)
    app.jinja_env.globals.update(GLOBALS)
    app.url_defaults(_static_version)


_static_versions: dict[str, str] = {}


def _static_version(endpoint: str, values: dict) -> None:
    """`url_for('static', …)` carries `?v=` + the start of the file's SHA-256, so nginx may
    let browsers keep static files for a year (deploy/nginx): a changed file has a new URL."""
    if endpoint != "static" or "filename" not in values or "v" in values:
        return
    filename = values["filename"]
    if filename not in _static_versions:
        path = Path(current_app.static_folder or "") / filename
        try:
            _static_versions[filename] = hashlib.sha256(path.read_bytes()).hexdigest()[:12]
        except OSError:
            return  # a missing file keeps its plain URL (and 404s as before)
    values["v"] = _static_versions[filename]
