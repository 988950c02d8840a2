"""Who may apply in an application round: kinds of tilbud, owner types and regions.

Each dimension is a set of codes; an empty set means the round does not restrict it. A round
made before eligibility existed restricts nothing, so every kind may apply (the default).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from .errors import DomainError
from .municipalities import REGIONS
from .providers import OwnerType, ProviderKind

ALL_KINDS = frozenset(k.value for k in ProviderKind)
ALL_OWNER_TYPES = frozenset(o.value for o in OwnerType)
ALL_REGIONS = frozenset(REGIONS)


def _join_danish(items: list[str], word: str = "eller") -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + f" {word} " + items[-1]


# "Runden er kun for kommunale tilbud, og jeres tilbud er privat."
_OWNER_PLURAL = {"region": "regionale", "kommune": "kommunale", "privat": "private"}
_OWNER_SINGULAR = {"region": "regionalt", "kommune": "kommunalt", "privat": "privat"}


def _lower_first(text: str) -> str:
    return text[:1].lower() + text[1:]


def parse_codes(text: str | None) -> frozenset[str]:
    return frozenset(c.strip() for c in (text or "").split(",") if c.strip())


def join_codes(codes: Iterable[str], every: frozenset[str]) -> str:
    """The column value for a selection: "" when it is everything (or nothing) to choose."""
    chosen = frozenset(codes) & every
    return "" if chosen in (frozenset(), every) else ",".join(sorted(chosen))


@dataclass(frozen=True)
class RoundRules:
    kinds: frozenset[str] = frozenset()
    owner_types: frozenset[str] = frozenset()
    regions: frozenset[str] = frozenset()

    @classmethod
    def from_columns(cls, kinds: str | None, owner_types: str | None,
                     regions: str | None) -> RoundRules:
        return cls(parse_codes(kinds) & ALL_KINDS, parse_codes(owner_types) & ALL_OWNER_TYPES,
                   parse_codes(regions) & ALL_REGIONS)

    @property
    def restricted(self) -> bool:
        return bool(self.kinds or self.owner_types or self.regions)

    def kind_labels(self) -> list[str]:
        return [_lower_first(k.short_label) for k in ProviderKind if k.value in self.kinds]

    def owner_labels(self) -> list[str]:
        return [_OWNER_PLURAL[o.value] for o in OwnerType if o.value in self.owner_types]

    def region_labels(self) -> list[str]:
        return [r for r in REGIONS if r in self.regions]

    def describe(self) -> str:
        """Who may apply, in one Danish sentence, e.g. for the round's card."""
        if not self.restricted:
            return "Alle fire typer socialpsykiatriske tilbud kan søge."
        parts = [_join_danish(self.kind_labels()) if self.kinds else "alle typer tilbud"]
        if self.owner_types:
            parts.append(f"{_join_danish(self.owner_labels())} tilbud")
        if self.regions:
            parts.append(f"i {_join_danish(self.region_labels())}")
        return "Kan søges af: " + ", ".join(parts) + "."


class NotEligible(DomainError):
    """The tilbud may not apply in the round; the message says why."""


def ineligibility_reason(rules: RoundRules, *, kind: str, owner_type: str,
                         region: str) -> str | None:
    """Why a tilbud of this kind, owner type and region may not apply; None if it may."""
    reasons = []
    if rules.kinds and kind not in rules.kinds:
        own = _lower_first(ProviderKind(kind).short_label) if kind in ALL_KINDS else kind
        reasons.append(f"Runden er kun for {_join_danish(rules.kind_labels())}, og jeres "
                       f"tilbud er registreret som {own}")
    if rules.owner_types and owner_type not in rules.owner_types:
        own = _OWNER_SINGULAR.get(owner_type, owner_type)
        reasons.append(f"Runden er kun for {_join_danish(rules.owner_labels())} tilbud, og "
                       f"jeres tilbud er {own}")
    if rules.regions and region not in rules.regions:
        reasons.append(f"Runden er kun for tilbud i {_join_danish(rules.region_labels())}, og "
                       f"jeres tilbud ligger i {region}")
    return ". ".join(reasons) + "." if reasons else None


def check_eligible(rules: RoundRules, *, kind: str, owner_type: str, region: str) -> None:
    """Raise NotEligible with the Danish reason unless the tilbud may apply in the round."""
    reason = ineligibility_reason(rules, kind=kind, owner_type=owner_type, region=region)
    if reason is not None:
        raise NotEligible(reason)
