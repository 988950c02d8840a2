"""The answers of an application as sections of rows, for "Tjek dine svar" and read-only views."""

from __future__ import annotations

from flask import url_for

from ..domain.danish_time import format_danish_date
from ..models import Application


def summary_sections(application: Application, editable: bool = False) -> list[dict]:
    provider = application.provider

    def change(step: int) -> str | None:
        if not editable:
            return None
        return url_for("applications.step", application_id=application.id, number=step)

    def row(key: str, value, step: int) -> dict:
        text = "" if value is None else str(value)
        return {"key": key, "value": text, "change_url": change(step),
                "change_label": key.lower()}

    return [
        {"title": "Tilbud og kontaktperson", "rows": [
            {"key": "Tilbud", "value": f"{provider.name} (CVR {provider.cvr})",
             "change_url": None, "change_label": ""},
            {"key": "Tilbudstype", "value": provider.kind.label, "change_url": None,
             "change_label": ""},
            {"key": "Kommune", "value": f"{provider.municipality_name}, {provider.region}",
             "change_url": None, "change_label": ""},
            row("Kontaktperson", application.contact_name, 1),
            row("E-mailadresse", application.contact_email, 1),
            row("Telefonnummer", application.contact_phone, 1),
        ]},
        {"title": "Forløbet", "rows": [
            row("Temaer", ", ".join(t.name for t in application.themes), 2),
            row("Ønsket varighed", f"{application.duration_months} måneder"
                if application.duration_months else None, 2),
            row("Ønsket start", format_danish_date(application.desired_start)
                if application.desired_start else None, 2),
        ]},
        {"title": "Ressourcer", "rows": [
            row("Hvem kan deltage", application.participants, 3),
            row("Antal deltagere", application.participant_count, 3),
            row("Timer om måneden", application.hours_per_month, 3),
            row("Ledelsesmæssig forankring", application.management_anchoring, 3),
        ]},
        {"title": "Motivation", "rows": [
            row("Hvorfor I søger", application.motivation, 4),
            row("Nuværende udfordringer", application.challenges, 4),
            row("Det håber I at opnå", application.hoped_outcomes, 4),
        ]},
    ]
