"""The documents the team issues to a tilbud, and when each is issued."""

from __future__ import annotations

import re
import unicodedata
from enum import StrEnum

from .phases import Phase


class DocumentKind(StrEnum):
    DECISION_LETTER = "decision_letter"
    AGREEMENT = "agreement"
    ANALYSIS_REPORT = "analysis_report"
    FINAL_REPORT = "final_report"

    @property
    def label(self) -> str:
        return _LABELS[self]

    @property
    def slug(self) -> str:
        return _SLUGS[self]


_LABELS = {
    DocumentKind.DECISION_LETTER: "Afgørelsesbrev",
    DocumentKind.AGREEMENT: "Samarbejdsaftale",
    DocumentKind.ANALYSIS_REPORT: "Analyserapport",
    DocumentKind.FINAL_REPORT: "Slutrapport",
}
_SLUGS = {
    DocumentKind.DECISION_LETTER: "afgoerelsesbrev",
    DocumentKind.AGREEMENT: "samarbejdsaftale",
    DocumentKind.ANALYSIS_REPORT: "analyserapport",
    DocumentKind.FINAL_REPORT: "slutrapport",
}
BY_SLUG = {kind.slug: kind for kind in DocumentKind}
ENGAGEMENT_KINDS = (DocumentKind.AGREEMENT, DocumentKind.ANALYSIS_REPORT,
                    DocumentKind.FINAL_REPORT)


def kind_for_move(from_phase: str, to_phase: str) -> DocumentKind | None:
    """The document a phase move issues: the analysis report when the analysis is done and
    development starts, the final report when the forløb is completed."""
    if from_phase == Phase.ANALYSIS and to_phase == Phase.DEVELOPMENT:
        return DocumentKind.ANALYSIS_REPORT
    if to_phase == Phase.COMPLETED:
        return DocumentKind.FINAL_REPORT
    return None


def document_title(kind: DocumentKind, provider_name: str) -> str:
    return f"{kind.label} – {provider_name}"


def download_name(kind: DocumentKind, reference: str | None, version: int) -> str:
    """"Afgørelsesbrev IT-2026-0007 v2.pdf" (the name people save it under)."""
    ref = f" {reference}" if reference else ""
    name = f"{kind.label}{ref} v{version}.pdf"
    return re.sub(r"[^\w .-]", "", unicodedata.normalize("NFC", name))
