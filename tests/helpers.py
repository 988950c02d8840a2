"""Small helpers for tests (import with `from helpers import ...`)."""

from __future__ import annotations

import re
from datetime import UTC, datetime

PASSWORD = "korrekt-hest-batteri"


def complete_answers() -> dict:
    """Answers that pass every step of the application form."""
    return dict(contact_name="Kim Kontakt", contact_email="kim@example.dk",
                contact_phone="12345678", duration_months=6, participants="Leder og personale",
                participant_count=5, hours_per_month=10, management_anchoring="Lederen",
                motivation="Vi vil udvikle os", challenges="Dokumentation",
                hoped_outcomes="Bedre praksis")


def text_of(response) -> str:
    """The visible text of a response, whitespace folded, for content assertions."""
    html = response.get_data(as_text=True)
    html = re.sub(r"<(script|style)[^>]*>.*?</\1>", " ", html, flags=re.S)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html)).strip()


def aware(*args) -> datetime:
    return datetime(*args, tzinfo=UTC)
