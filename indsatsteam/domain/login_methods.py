"""PASSWORD_LOGIN: who may log in with e-mail and password (`tilbud,staff`, `staff` or `off`)."""

from __future__ import annotations

AUDIENCES = ("tilbud", "staff")


def parse_password_login(value: str | None) -> frozenset[str]:
    """The audiences allowed a password: "tilbud,staff" (default), "staff", "off" (none).

    An unknown word is refused, so a typo cannot quietly turn passwords on or off."""
    text = (value or "tilbud,staff").strip().lower()
    if text in {"off", "none", ""}:
        return frozenset()
    words = {word.strip() for word in text.split(",") if word.strip()}
    unknown = words - set(AUDIENCES)
    if unknown:
        raise ValueError(f"PASSWORD_LOGIN={value!r}: ukendt {', '.join(sorted(unknown))}; brug "
                         "'tilbud,staff', 'staff' eller 'off'")
    return frozenset(words)


def audience_of(is_staff: bool) -> str:
    return "staff" if is_staff else "tilbud"
