"""The manager dashboard's filters: round, consultant, region and period, kept in the URL
so a view can be bookmarked and shared. The same filters narrow the drill-down lists and
the exports, so a figure, its list and its export always agree."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import literal, null, or_, select, union_all
from werkzeug.datastructures import MultiDict
from wtforms import SelectField

from ..domain.danish_time import start_of_day
from ..domain.municipalities import REGIONS
from ..extensions import db
from ..forms import PeriodForm, optional_int
from ..models import (
    Application,
    ApplicationRound,
    Engagement,
    Provider,
    Review,
    Role,
    Task,
    User,
)


class FilterForm(PeriodForm):
    runde = SelectField("Ansøgningsrunde", coerce=optional_int, validate_choice=True)
    konsulent = SelectField("Konsulent", coerce=optional_int, validate_choice=True)
    region = SelectField("Region", default="", validate_choice=True)


@dataclass(frozen=True)
class FilterChoices:
    rounds: list[tuple[int, str]]
    consultants: list[tuple[int, str]]


def filter_choices() -> FilterChoices:
    """Rounds (newest first) and staff who can carry forløb, in one statement."""
    rows = db.session.execute(union_all(
        select(literal("round").label("kind"), ApplicationRound.id, ApplicationRound.name,
               ApplicationRound.closes_at.label("closes_at")),
        select(literal("user"), User.id, User.name, null())
        .where(User.role.in_((Role.CONSULTANT, Role.MANAGER)), User.anonymised_at.is_(None)),
    )).all()
    rounds = sorted((r for r in rows if r.kind == "round"), key=lambda r: r.closes_at,
                    reverse=True)
    people = sorted((r for r in rows if r.kind == "user"), key=lambda r: (r.name, r.id))
    return FilterChoices(rounds=[(r.id, r.name) for r in rounds],
                         consultants=[(r.id, r.name) for r in people])


def read_filters(args: MultiDict, choices: FilterChoices | None = None
                 ) -> tuple[FilterForm, DashboardFilters]:
    """The filter form from the URL, validated, and the filters it gives: a field with an
    error is shown with its message and left out, the others still filter."""
    form = filter_form(args, choices)
    form.validate()
    return form, DashboardFilters.from_form(form)


def filter_form(args: MultiDict, choices: FilterChoices | None = None) -> FilterForm:
    """The form with its choices (read now unless given, e.g. from the dashboard's cache)."""
    choices = choices or filter_choices()
    form = FilterForm(args)
    form.runde.choices = [("", "Alle runder"), *choices.rounds]
    form.konsulent.choices = [("", "Alle konsulenter"), *choices.consultants]
    form.region.choices = [("", "Alle regioner"), *((r, r) for r in REGIONS)]
    return form


@dataclass(frozen=True)
class DashboardFilters:
    round_id: int | None = None
    consultant_id: int | None = None
    region: str = ""
    start: date | None = None
    end: date | None = None

    @classmethod
    def from_form(cls, form: FilterForm) -> DashboardFilters:
        """The valid filters of a validated form; a field with an error is left out (its
        message is shown next to it) rather than refusing the whole page."""
        def ok(name):
            field = getattr(form, name)
            return None if field.errors else field.data
        return cls(round_id=ok("runde"), consultant_id=ok("konsulent"),
                   region=ok("region") or "", start=ok("fra"), end=ok("til"))

    def to_args(self, **changes) -> dict:
        """URL parameters for url_for, without empty ones; `changes` add or override."""
        values = {"runde": self.round_id, "konsulent": self.consultant_id,
                  "region": self.region, "fra": self.start.isoformat() if self.start else None,
                  "til": self.end.isoformat() if self.end else None}
        values.update(changes)
        return {k: v for k, v in values.items() if v not in (None, "")}

    @property
    def active(self) -> bool:
        return bool(self.round_id or self.consultant_id or self.region or self.start
                    or self.end)

    # -- clauses ------------------------------------------------------------------------

    def membership_clauses(self) -> list:
        """Round, consultant and region (not the period), as clauses on Engagement."""
        clauses = []
        if self.round_id:
            clauses.append(Engagement.application_id.in_(
                select(Application.id).where(Application.round_id == self.round_id)))
        if self.consultant_id:
            clauses.append(or_(Engagement.lead_consultant_id == self.consultant_id,
                               Engagement.second_consultant_id == self.consultant_id))
        if self.region:
            clauses.append(Engagement.provider_id.in_(
                select(Provider.id).where(Provider.region == self.region)))
        return clauses

    def engagement_clauses(self) -> list:
        """Forløb of the round, with the consultant as lead or second, at a tilbud in the
        region, whose planned period overlaps the chosen period."""
        clauses = self.membership_clauses()
        if self.start:
            clauses.append(Engagement.planned_end >= self.start)
        if self.end:
            clauses.append(Engagement.planned_start <= self.end)
        return clauses

    def task_clauses(self) -> list:
        """Tasks of the filtered forløb (round, consultant, region) due in the period.
        The caller joins Engagement."""
        clauses = self.membership_clauses()
        if self.start:
            clauses.append(Task.due_date >= self.start)
        if self.end:
            clauses.append(Task.due_date <= self.end)
        return clauses

    def application_clauses(self) -> list:
        """Applications of the round, at a tilbud in the region, submitted in the period
        (Danish days), and reviewed by the consultant or run by them as a forløb."""
        clauses = []
        if self.round_id:
            clauses.append(Application.round_id == self.round_id)
        if self.region:
            clauses.append(Application.provider_id.in_(
                select(Provider.id).where(Provider.region == self.region)))
        if self.consultant_id:
            clauses.append(or_(
                Application.id.in_(select(Review.application_id)
                                   .where(Review.reviewer_id == self.consultant_id)),
                Application.id.in_(select(Engagement.application_id).where(or_(
                    Engagement.lead_consultant_id == self.consultant_id,
                    Engagement.second_consultant_id == self.consultant_id)))))
        if self.start:
            clauses.append(Application.submitted_at >= start_of_day(self.start))
        if self.end:
            clauses.append(Application.submitted_at < start_of_day(self.end + timedelta(days=1)))
        return clauses
