"""Who a batch of reminders goes to, and the links they get."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from functools import lru_cache
from typing import TypeVar

from sqlalchemy import select

from ..extensions import db
from ..links import path_for
from ..models import ProviderMembership, User

T = TypeVar("T")


class Recipients:
    """The active users a batch of reminders goes to, loaded in two queries."""

    def __init__(self, user_ids: Iterable[int | None] = (), provider_ids: Iterable[int] = ()):
        ids = {i for i in user_ids if i is not None}
        self.users: dict[int, User] = {u.id: u for u in db.session.execute(
            select(User).where(User.id.in_(ids), User.active.is_(True))).scalars()} if ids else {}
        self.by_provider: dict[int, list[User]] = {}
        provider_ids = set(provider_ids)
        if provider_ids:
            rows = db.session.execute(
                select(ProviderMembership.provider_id, User)
                .join(User, User.id == ProviderMembership.user_id)
                .where(ProviderMembership.provider_id.in_(provider_ids), User.active.is_(True))
                .order_by(User.id))
            for provider_id, user in rows:
                self.by_provider.setdefault(provider_id, []).append(user)

    def staff(self, *user_ids: int | None, url: str) -> list[tuple[User, str]]:
        return [(self.users[i], url) for i in dict.fromkeys(user_ids) if i in self.users]

    def provider(self, provider_id: int, url: str) -> list[tuple[User, str]]:
        return [(user, url) for user in self.by_provider.get(provider_id, [])]


def once_each(pairs: Iterable[tuple[User, str]]) -> list[tuple[User, str]]:
    """One (user, url) per user; the first url wins."""
    seen: dict[int, tuple[User, str]] = {}
    for user, url in pairs:
        seen.setdefault(user.id, (user, url))
    return list(seen.values())


def staff_url(engagement_id: int, anchor: str) -> str:
    """The engagement's page for the team, at a section, e.g. /forloeb/3#opgaver."""
    return _engagement_path("engagements.view", engagement_id) + f"#{anchor}"


def portal_url(engagement_id: int, anchor: str) -> str:
    """The engagement's page for the tilbud, e.g. /vores-forloeb/3#opgaver."""
    return _engagement_path("portal.view", engagement_id) + f"#{anchor}"


# Building a URL costs more than the rest of a reminder; a sweep after downtime may build
# thousands for the same few engagements. The routes are the same in every app instance.
@lru_cache(maxsize=4096)
def _engagement_path(endpoint: str, engagement_id: int) -> str:
    return path_for(endpoint, engagement_id=engagement_id)


def chunked(values: Iterable[T], size: int = 900) -> Iterator[list[T]]:
    """Values in slices, so an IN list stays under SQLite's limit on bound parameters."""
    values = list(values)
    for i in range(0, len(values), size):
        yield values[i:i + size]
