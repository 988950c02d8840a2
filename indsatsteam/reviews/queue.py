"""The review queue: one round's submitted applications, filtered, sorted and paged."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import selectinload
from werkzeug.datastructures import MultiDict

from .. import clock
from ..domain.applications import ApplicationStatus
from ..domain.danish_time import format_danish_date, local_date
from ..domain.municipalities import MUNICIPALITIES, REGIONS, danish_sort_key
from ..domain.providers import ProviderKind
from ..extensions import db
from ..forms import optional_id
from ..models import Application, ApplicationRound, Provider, Review, Theme, User
from ..pagination import Page, page_arg, paginate

PAGE_SIZE = 25
# Drafts belong to the applicant until submitted; staff never list them.
VISIBLE_STATUSES = [s for s in ApplicationStatus if s != ApplicationStatus.DRAFT]
UNDECIDED = (ApplicationStatus.SUBMITTED, ApplicationStatus.IN_REVIEW)
NEWEST_FIRST = "nyeste"


@dataclass
class QueueFilters:
    """The queue's choices as they travel in the URL (Danish parameter names)."""

    round_id: int | None = None
    status: str = ""
    theme_id: int | None = None
    kind: str = ""
    region: str = ""
    municipality: str = ""
    sort: str = ""
    page: int = 1

    @classmethod
    def from_args(cls, args: MultiDict) -> QueueFilters:
        """Read the query string; unknown values are ignored rather than refused."""
        status = args.get("status", "")
        kind = args.get("type", "")
        region = args.get("region", "")
        municipality = args.get("kommune", "")
        return cls(
            round_id=args.get("runde", type=optional_id),
            status=status if status in {s.value for s in VISIBLE_STATUSES} else "",
            theme_id=args.get("tema", type=optional_id),
            kind=kind if kind in {k.value for k in ProviderKind} else "",
            region=region if region in REGIONS else "",
            municipality=municipality if municipality in {m.code for m in MUNICIPALITIES}
            else "",
            sort=NEWEST_FIRST if args.get("sortering") == NEWEST_FIRST else "",
            page=page_arg(args),
        )

    def to_args(self, **changes) -> dict:
        """URL parameters for url_for, leaving out empty ones; `changes` override."""
        values = {"runde": self.round_id, "status": self.status, "tema": self.theme_id,
                  "type": self.kind, "region": self.region, "kommune": self.municipality,
                  "sortering": self.sort, "side": self.page if self.page > 1 else None}
        values.update(changes)
        return {k: v for k, v in values.items() if v not in (None, "")}

    @property
    def narrowed(self) -> bool:
        """Whether anything but the round and the sort order limits the list."""
        return bool(self.status or self.theme_id or self.kind or self.region
                    or self.municipality)


@dataclass
class QueueRow:
    application: Application
    days_waiting: int | None
    awaits_me: bool


@dataclass
class Queue:
    rounds: list[ApplicationRound]
    selected_round: ApplicationRound | None
    filters: QueueFilters
    counts: dict[str, int] = field(default_factory=dict)
    rows: list[QueueRow] = field(default_factory=list)
    page: Page = field(default_factory=lambda: Page(rows=[], total=0, page=1, size=PAGE_SIZE))

    @property
    def total(self) -> int:
        return self.page.total

    @property
    def pages(self) -> int:
        return self.page.pages

    @property
    def round_total(self) -> int:
        return sum(self.counts.values())


def days_since(moment, today: date) -> int:
    """Whole calendar days (Danish dates) from a moment until today."""
    return (today - local_date(moment)).days


def _filtered(round_id: int, filters: QueueFilters):
    query = (select(Application).join(Application.provider)
             .where(Application.round_id == round_id,
                    Application.status != ApplicationStatus.DRAFT))
    if filters.status:
        query = query.where(Application.status == filters.status)
    if filters.theme_id:
        query = query.where(Application.themes.any(Theme.id == filters.theme_id))
    if filters.kind:
        query = query.where(Provider.kind == filters.kind)
    if filters.region:
        query = query.where(Provider.region == filters.region)
    if filters.municipality:
        query = query.where(Provider.municipality_code == filters.municipality)
    return query


def _busiest(rounds: list[ApplicationRound]) -> ApplicationRound | None:
    """The round the queue opens on: the one with the most applications waiting for a
    decision; on a tie (or none waiting anywhere) the one with the latest deadline."""
    if not rounds:
        return None
    waiting = dict(db.session.execute(
        select(Application.round_id, func.count())
        .where(Application.status.in_(UNDECIDED)).group_by(Application.round_id)).all())
    # `rounds` is newest deadline first, and max() keeps the first of equals.
    return max(rounds, key=lambda r: waiting.get(r.id, 0))


def load_queue(filters: QueueFilters, user: User) -> Queue:
    """The page of the queue the filters ask for, with every row's relations loaded eagerly
    (a fixed number of statements however many rows)."""
    rounds = list(db.session.execute(
        select(ApplicationRound).order_by(ApplicationRound.closes_at.desc())).scalars())
    selected = next((r for r in rounds if r.id == filters.round_id), None) or _busiest(rounds)
    queue = Queue(rounds=rounds, selected_round=selected, filters=filters)
    if selected is None:
        return queue
    filters.round_id = selected.id
    queue.counts = dict(db.session.execute(
        select(Application.status, func.count())
        .where(Application.round_id == selected.id,
               Application.status != ApplicationStatus.DRAFT)
        .group_by(Application.status)).all())

    submitted = (Application.submitted_at.desc() if filters.sort == NEWEST_FIRST
                 else Application.submitted_at.asc())
    queue.page = paginate(
        _filtered(selected.id, filters)
        .options(selectinload(Application.provider), selectinload(Application.themes),
                 selectinload(Application.reviews).selectinload(Review.reviewer))
        .order_by(submitted, Application.id.asc() if filters.sort != NEWEST_FIRST
                  else Application.id.desc()),
        filters.page, PAGE_SIZE)
    filters.page = queue.page.page

    today = clock.today()
    for application in queue.page.rows:
        undecided = application.status in UNDECIDED
        queue.rows.append(QueueRow(
            application=application,
            days_waiting=days_since(application.submitted_at, today)
            if undecided and application.submitted_at else None,
            awaits_me=undecided and any(r.reviewer_id == user.id and r.submitted_at is None
                                        for r in application.reviews),
        ))
    return queue


def filter_options(rounds: list[ApplicationRound]) -> dict[str, list]:
    """The choices of the queue's filter form, as (value, text) pairs."""
    themes = db.session.execute(select(Theme).order_by(Theme.position)).scalars()
    return {
        "rounds": [(r.id, f"{r.name} (frist {format_danish_date(r.closes_at)})") for r in rounds],
        "statuses": [(s.value, s.label) for s in VISIBLE_STATUSES],
        "themes": [(t.id, t.name) for t in themes],
        "kinds": [(k.value, k.short_label) for k in ProviderKind],
        "regions": [(r, r) for r in REGIONS],
        "municipalities": [
            (region, sorted((m for m in MUNICIPALITIES if m.region == region),
                            key=lambda m: danish_sort_key(m.name)))
            for region in REGIONS],
    }
