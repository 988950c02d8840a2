"""One paginator for every list: `Page`, `paginate(stmt, page, size)` and the `?side=` reader.

A page number is never an error: missing, not a number or below 1 reads as page 1, and a
page past the last shows the last page (so `?side=99999999999999999999` never reaches the
database as an OFFSET). Each list costs two statements, the count and the page's rows,
whatever the data. The template side is the `pagination` macro in `templates/_macros.html`
with the `page_url` global (`templating.py`).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from sqlalchemy import Select, func, select

from .extensions import db

T = TypeVar("T")

# The query parameter carrying the page number (Danish, like the rest of the URLs).
PAGE_ARG = "side"


def page_count(total: int, size: int) -> int:
    """How many pages `total` rows fill, at least one (an empty list is one empty page)."""
    return max(-(-total // size), 1)


@dataclass(frozen=True)
class Page(Generic[T]):
    rows: list[T]
    total: int
    page: int
    size: int

    @property
    def pages(self) -> int:
        return page_count(self.total, self.size)


def page_arg(args: Mapping[str, Any]) -> int:
    """The page number asked for in `?side=`: 1 when missing, not a whole number or below 1.

    The upper bound is `paginate`'s: it knows the total and shows the last page."""
    try:
        number = int(args.get(PAGE_ARG) or 1)
    except (TypeError, ValueError):
        return 1
    return max(number, 1)


def paginate(stmt: Select, page: int, size: int, *, total: int | None = None,
             scalars: bool = True) -> Page:
    """Page `page` (clamped to 1…pages) of `stmt`, which carries its own ORDER BY.

    `total` is the number of rows when the caller counts them its own way; otherwise it is
    counted over `stmt` without its ordering. `scalars=False` keeps whole rows (for
    statements that select several columns)."""
    if total is None:
        total = db.session.execute(
            select(func.count()).select_from(stmt.order_by(None).subquery())).scalar_one()
    page = min(max(page, 1), page_count(total, size))
    result = db.session.execute(stmt.limit(size).offset((page - 1) * size))
    rows = list(result.scalars() if scalars else result)
    return Page(rows=rows, total=total, page=page, size=size)
