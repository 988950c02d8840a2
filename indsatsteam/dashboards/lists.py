"""The manager's drill-down lists: which applications, forløb and tasks lie behind a figure.

The list page and the exports both build their statements here, from the dashboard's
filters and a few narrowing parameters, so a figure, its list and its export always agree.
Rows are flat column tuples read with joins in one statement; nothing is loaded per row.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import Select, func, literal_column, select
from sqlalchemy.dialects.postgresql import aggregate_order_by
from sqlalchemy.orm import aliased

from ..domain.applications import ApplicationStatus
from ..domain.engagements import TaskOwner, TaskStatus
from ..domain.municipalities import municipality_by_code
from ..domain.phases import Phase
from ..domain.providers import OwnerType, ProviderKind
from ..extensions import db
from ..forms import MAX_ID
from ..models import (
    Application,
    ApplicationRound,
    Engagement,
    Provider,
    Task,
    Theme,
    User,
    application_themes,
)
from ..pagination import Page, paginate
from ..templating import danish_number
from . import manager
from .consultant import ACTIVE_PHASES, OPEN_TASK
from .filters import DashboardFilters

PAGE_SIZE = 50
DEFAULT_LIST = "forloeb"
# Values of the narrowing parameters that stand for a group rather than one status/phase.
UNDECIDED, ACTIVE, OPEN = "uafgjorte", "aktive", "aabne"
LEAD, SECOND = "leder", "anden"
TEXT, NUMBER, DATE, DATETIME = "text", "number", "date", "datetime"


class UnknownList(LookupError):
    """A list or a narrowing value that does not exist (a mistyped or outdated link)."""


@dataclass(frozen=True)
class Column:
    heading: str
    value: Callable  # row -> the value shown, typed (date, datetime, int or str) or None
    kind: str = TEXT


def _field(name: str) -> Callable:
    return lambda row: getattr(row, name)


def municipality_name(code: str) -> str:
    municipality = municipality_by_code(code)
    return municipality.name if municipality else code


def _task_owner(row) -> str:
    if row.owner_name:
        return row.owner_name
    return "Tilbuddet" if row.owner_type == TaskOwner.PROVIDER else "Ikke fordelt"


# -- the statements -----------------------------------------------------------------------

def _theme_names():
    """The application's theme names, comma-joined in the themes' own order, as a correlated
    subquery (one statement for the whole list). SQLite 3.40 has no ORDER BY inside
    group_concat; it concatenates the rows of an ordered subquery in that order, which its
    documentation leaves open but the tests check."""
    joined = (select(Theme.name, Theme.position, Theme.id)
              .join(application_themes, application_themes.c.theme_id == Theme.id)
              .where(application_themes.c.application_id == Application.id))
    if db.engine.dialect.name == "postgresql":
        return (joined.with_only_columns(func.string_agg(
            Theme.name, aggregate_order_by(literal_column("', '"), Theme.position, Theme.id)))
            .scalar_subquery())
    ordered = joined.order_by(Theme.position, Theme.id).correlate(Application).subquery()
    return select(func.group_concat(ordered.c.name, ", ")).scalar_subquery()


def _applications(d: DrillDown, *columns) -> Select:
    clauses = [Application.status != ApplicationStatus.DRAFT,
               *d.filters.application_clauses()]
    p = d.params
    if status := p.get("status"):
        clauses.append(Application.status.in_(manager.UNDECIDED) if status == UNDECIDED
                       else Application.status == status)
    if theme := p.get("tema"):
        clauses.append(Application.id.in_(select(application_themes.c.application_id)
                                          .where(application_themes.c.theme_id == int(theme))))
    providers = [column == p[name] for name, column in (
        ("type", Provider.kind), ("ejerform", Provider.owner_type),
        ("kommune", Provider.municipality_code)) if p.get(name)]
    if providers:
        clauses.append(Application.provider_id.in_(select(Provider.id).where(*providers)))
    return select(*columns).select_from(Application).where(*clauses)


def _application_rows(d: DrillDown) -> Select:
    return (_applications(
        d, Application.id, Application.reference, Provider.name.label("provider_name"),
        Provider.cvr, Provider.kind, Provider.owner_type, Provider.region,
        Provider.municipality_code, ApplicationRound.name.label("round_name"),
        Application.status, Application.submitted_at, _theme_names().label("themes"),
        Application.duration_months, Application.desired_start)
        .join(Provider, Provider.id == Application.provider_id)
        .join(ApplicationRound, ApplicationRound.id == Application.round_id)
        .order_by(Application.submitted_at.is_(None), Application.submitted_at.desc(),
                  Application.id.desc()))


def _engagements(d: DrillDown, *columns) -> Select:
    clauses = d.filters.engagement_clauses()
    phase = d.params.get("fase")
    if phase:
        clauses.append(Engagement.phase.in_(ACTIVE_PHASES) if phase == ACTIVE
                       else Engagement.phase == phase)
    role, consultant = d.params.get("rolle"), d.filters.consultant_id
    if role and consultant:
        clauses.append((Engagement.lead_consultant_id if role == LEAD
                        else Engagement.second_consultant_id) == consultant)
    return select(*columns).select_from(Engagement).where(*clauses)


def _engagement_rows(d: DrillDown) -> Select:
    lead, second = aliased(User), aliased(User)
    return (_engagements(
        d, Engagement.id, Provider.name.label("provider_name"), Provider.region,
        Provider.municipality_code, ApplicationRound.name.label("round_name"), Engagement.phase,
        lead.name.label("lead_name"), second.name.label("second_name"),
        Engagement.planned_start, Engagement.planned_end, Engagement.duration_months,
        Engagement.actual_end)
        .join(Provider, Provider.id == Engagement.provider_id)
        .join(Application, Application.id == Engagement.application_id)
        .join(ApplicationRound, ApplicationRound.id == Application.round_id)
        .join(lead, lead.id == Engagement.lead_consultant_id)
        .outerjoin(second, second.id == Engagement.second_consultant_id)
        .order_by(Engagement.planned_start, Engagement.id))


def _tasks(d: DrillDown, *columns) -> Select:
    clauses = d.filters.task_clauses()
    p = d.params
    if d.name in ("forfaldne", "frister"):
        clauses += [Task.status.in_(OPEN_TASK), Engagement.phase.in_(ACTIVE_PHASES)]
        if d.name == "forfaldne":
            clauses.append(Task.due_date < d.today)
        else:
            clauses += [Task.due_date >= d.today,
                        Task.due_date <= d.today + timedelta(days=manager.DEADLINE_DAYS)]
    if owner := p.get("ansvarlig"):
        clauses.append(Task.owner_user_id == int(owner))
    if status := p.get("status"):
        clauses.append(Task.status.in_(OPEN_TASK) if status == OPEN else Task.status == status)
    if p.get("aktive"):
        clauses.append(Engagement.phase.in_(ACTIVE_PHASES))
    return (select(*columns).select_from(Task)
            .join(Engagement, Engagement.id == Task.engagement_id).where(*clauses))


def _task_rows(d: DrillDown) -> Select:
    return (_tasks(
        d, Task.id, Task.title, Provider.name.label("provider_name"), Task.phase,
        User.name.label("owner_name"), Task.owner_type, Task.due_date, Task.status,
        Task.engagement_id)
        .join(Provider, Provider.id == Engagement.provider_id)
        .outerjoin(User, User.id == Task.owner_user_id)
        .order_by(Task.due_date.is_(None), Task.due_date, Task.id))


# -- the kinds of list ----------------------------------------------------------------------

def _one_of(*values: str) -> Callable[[str], str]:
    allowed = set(values)

    def check(value: str) -> str:
        if value not in allowed:
            raise UnknownList(value)
        return value
    return check


def _whole_number(value: str) -> str:
    """An id: ASCII digits within the database's integer range."""
    if not (value.isascii() and value.isdigit()) or not 0 < int(value) <= MAX_ID:
        raise UnknownList(value)
    return str(int(value))


def _municipality_code(value: str) -> str:
    municipality = municipality_by_code(value)
    if municipality is None:
        raise UnknownList(value)
    return municipality.code


@dataclass(frozen=True)
class ListKind:
    name: str  # as in the export's URL
    one: str  # "forløb", "ansøgning": the noun for a count
    many: str
    params: Mapping[str, Callable[[str], str]]  # narrowing parameter -> its check
    columns: tuple[Column, ...]
    rows: Callable[[DrillDown], Select]
    where: Callable  # (drill_down, *columns) -> the statement without joins, for counting
    endpoint: str  # the first column links to this page of the row's object
    link_args: Callable[[object], dict]
    anchor: str = ""
    period_hint: str = ""

    def count_text(self, n: int) -> str:
        return f"{danish_number(n)} {self.one if n == 1 else self.many}"


APPLICATIONS = ListKind(
    name="ansoegninger", one="ansøgning", many="ansøgninger",
    params={"status": _one_of(*(s.value for s in ApplicationStatus
                                if s != ApplicationStatus.DRAFT), UNDECIDED),
            "tema": _whole_number, "type": _one_of(*ProviderKind), "ejerform": _one_of(*OwnerType),
            "kommune": _municipality_code},
    columns=(
        Column("Reference", _field("reference")),
        Column("Tilbud", _field("provider_name")),
        Column("CVR-nummer", _field("cvr")),
        Column("Type af tilbud", lambda r: r.kind.label),
        Column("Ejerform", lambda r: r.owner_type.label),
        Column("Region", _field("region")),
        Column("Kommune", lambda r: municipality_name(r.municipality_code)),
        Column("Ansøgningsrunde", _field("round_name")),
        Column("Status", lambda r: r.status.label),
        Column("Indsendt", _field("submitted_at"), DATETIME),
        Column("Temaer", _field("themes")),
        Column("Ønsket varighed (måneder)", _field("duration_months"), NUMBER),
        Column("Ønsket start", _field("desired_start"), DATE),
    ),
    rows=_application_rows, where=_applications, endpoint="staff.application",
    link_args=lambda r: {"application_id": r.id},
    period_hint="Indsendt i perioden, dansk tid",
)

ENGAGEMENTS = ListKind(
    name="forloeb", one="forløb", many="forløb",
    params={"fase": _one_of(*Phase, ACTIVE), "rolle": _one_of(LEAD, SECOND)},
    columns=(
        Column("Tilbud", _field("provider_name")),
        Column("Region", _field("region")),
        Column("Kommune", lambda r: municipality_name(r.municipality_code)),
        Column("Ansøgningsrunde", _field("round_name")),
        Column("Fase", lambda r: r.phase.label),
        Column("Ansvarlig konsulent", _field("lead_name")),
        Column("Anden konsulent", _field("second_name")),
        Column("Planlagt start", _field("planned_start"), DATE),
        Column("Planlagt slut", _field("planned_end"), DATE),
        Column("Varighed (måneder)", _field("duration_months"), NUMBER),
        Column("Faktisk slut", _field("actual_end"), DATE),
    ),
    rows=_engagement_rows, where=_engagements, endpoint="engagements.view",
    link_args=lambda r: {"engagement_id": r.id},
    period_hint="Forløb, hvis planlagte periode overlapper perioden",
)

_TASK_PARAMS = {"ansvarlig": _whole_number, "status": _one_of(*TaskStatus, OPEN),
                "aktive": _one_of("1")}

TASKS = ListKind(
    name="opgaver", one="opgave", many="opgaver", params=_TASK_PARAMS,
    columns=(
        Column("Opgave", _field("title")),
        Column("Tilbud", _field("provider_name")),
        Column("Fase", lambda r: r.phase.label),
        Column("Ansvarlig", _task_owner),
        Column("Frist", _field("due_date"), DATE),
        Column("Status", lambda r: r.status.label),
    ),
    rows=_task_rows, where=_tasks, endpoint="engagements.view",
    link_args=lambda r: {"engagement_id": r.engagement_id}, anchor="#opgaver",
    period_hint="Frist i perioden",
)

# The value of `liste` -> its kind. Overdue and upcoming tasks are the tasks list narrowed
# as the dashboard's deadline figures count them.
LISTS: dict[str, ListKind] = {"forloeb": ENGAGEMENTS, "ansoegninger": APPLICATIONS,
                              "opgaver": TASKS, "forfaldne": TASKS, "frister": TASKS}
EXPORT_KINDS: dict[str, ListKind] = {k.name: k for k in (APPLICATIONS, ENGAGEMENTS, TASKS)}


# -- one list, as asked for ------------------------------------------------------------------

@dataclass(frozen=True)
class DrillDown:
    name: str  # the value of `liste`
    filters: DashboardFilters
    params: dict[str, str]  # the checked narrowing parameters, as in the URL
    today: date

    @property
    def kind(self) -> ListKind:
        return LISTS[self.name]

    def to_args(self, **changes) -> dict:
        """URL parameters for the list page: the filters, the list and its narrowing."""
        return self.filters.to_args(liste=self.name, **self.params, **changes)

    def export_args(self) -> dict:
        """URL parameters for the export of the same rows (the kind is in its path)."""
        special = self.name if self.name != self.kind.name else None
        return self.filters.to_args(liste=special, **self.params)

    def rows_statement(self) -> Select:
        return self.kind.rows(self)

    def count(self) -> int:
        return db.session.execute(self.kind.where(self, func.count())).scalar_one()


def drill_down(name: str, args: Mapping[str, str], filters: DashboardFilters,
               today: date) -> DrillDown:
    """The list `name` narrowed by the parameters in `args` it knows; UnknownList for a list
    or a value that does not exist. Empty parameters and those of other lists are ignored."""
    kind = LISTS.get(name)
    if kind is None:
        raise UnknownList(name)
    params = {param: check(args[param]) for param, check in kind.params.items()
              if args.get(param)}
    return DrillDown(name, filters, params, today)


def export_drill_down(kind_name: str, args: Mapping[str, str], filters: DashboardFilters,
                      today: date) -> DrillDown:
    """The list behind an export of `kind_name`; `liste` may pick a special task list."""
    kind = EXPORT_KINDS.get(kind_name)
    name = args.get("liste") or kind_name
    if kind is None or LISTS.get(name) is not kind:
        raise UnknownList(name)
    return drill_down(name, args, filters, today)


def page_of(d: DrillDown, page: int) -> Page:
    """One page of rows and the total: two statements, whatever the data. A page beyond
    the last shows the last page."""
    return paginate(d.rows_statement(), page, PAGE_SIZE, total=d.count(), scalars=False)
