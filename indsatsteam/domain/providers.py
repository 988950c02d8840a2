"""Which services (tilbud) may apply, and which recommendation catalogue fits each."""

from __future__ import annotations

from enum import StrEnum

from .errors import DomainError

CATALOGUE_BOTILBUD = "botilbud"
CATALOGUE_BOSTOTTE = "bostotte"


class ProviderKind(StrEnum):
    SEL85_HOME = "sel85_home"
    SEL107 = "sel107"
    SEL108 = "sel108"
    ABL_SEL85 = "abl_sel85"

    @property
    def label(self) -> str:
        return _KIND_LABELS[self]

    @property
    def short_label(self) -> str:
        return _KIND_SHORT_LABELS[self]


class OwnerType(StrEnum):
    REGION = "region"
    KOMMUNE = "kommune"
    PRIVAT = "privat"

    @property
    def label(self) -> str:
        return _OWNER_LABELS[self]


_KIND_LABELS = {
    ProviderKind.SEL85_HOME: "Tilbud i borgerens eget hjem efter § 85 i lov om social service",
    ProviderKind.SEL107: "Botilbud efter § 107",
    ProviderKind.SEL108: "Botilbud efter § 108",
    ProviderKind.ABL_SEL85: "Botilbud efter almenboligloven med støtte efter § 85",
}
_KIND_SHORT_LABELS = {
    ProviderKind.SEL85_HOME: "Bostøtte (§ 85)",
    ProviderKind.SEL107: "Botilbud (§ 107)",
    ProviderKind.SEL108: "Botilbud (§ 108)",
    ProviderKind.ABL_SEL85: "Almenbolig med § 85-støtte",
}
_OWNER_LABELS = {
    OwnerType.REGION: "Regionalt",
    OwnerType.KOMMUNE: "Kommunalt",
    OwnerType.PRIVAT: "Privat",
}
# Residential facilities use the seven botilbud recommendations; support in the
# citizen's home (also in social housing) uses the ten bostøtte quality themes.
_CATALOGUES = {
    ProviderKind.SEL85_HOME: CATALOGUE_BOSTOTTE,
    ProviderKind.SEL107: CATALOGUE_BOTILBUD,
    ProviderKind.SEL108: CATALOGUE_BOTILBUD,
    ProviderKind.ABL_SEL85: CATALOGUE_BOSTOTTE,
}

KIND_CHOICES: list[tuple[str, str]] = [(kind.value, kind.label) for kind in ProviderKind]
OWNER_CHOICES: list[tuple[str, str]] = [(owner.value, owner.label) for owner in OwnerType]


def is_eligible(kind: str | None) -> bool:
    """Only the four kinds of social-psychiatric service may apply."""
    return kind in _CATALOGUES


def catalogue_for(kind: str) -> str:
    """The recommendation catalogue ("botilbud" or "bostotte") for a kind of service."""
    if not is_eligible(kind):
        raise DomainError("Vælg en af de fire typer tilbud", field="kind")
    return _CATALOGUES[ProviderKind(kind)]
