"""The six themes: the admin may rename them; the codes stay, since the domain uses them."""

from __future__ import annotations

from sqlalchemy import select

from ..domain.errors import DomainError
from ..extensions import db
from ..models import Theme


def themes() -> list[Theme]:
    return list(db.session.execute(select(Theme).order_by(Theme.position, Theme.id)).scalars())


def active_themes() -> list[Theme]:
    """The themes in use, in their order (the front page and the ansøgningsvejledning)."""
    return list(db.session.execute(
        select(Theme).where(Theme.active.is_(True)).order_by(Theme.position)).scalars())


def rename_themes(names: dict[int, str]) -> int:
    """Give the themes new names (codes stay: the domain rules use them). Returns how many
    changed."""
    cleaned = {theme_id: name.strip() for theme_id, name in names.items()}
    seen: dict[str, int] = {}
    for theme_id, name in cleaned.items():
        if name.casefold() in seen:
            raise DomainError("To temaer kan ikke have samme navn", field=f"name_{theme_id}")
        seen[name.casefold()] = theme_id
    changed = 0
    for theme in themes():
        if theme.id in cleaned and cleaned[theme.id] != theme.name:
            theme.name = cleaned[theme.id]
            changed += 1
    return changed
