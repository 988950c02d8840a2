"""A deterministic synthetic data set at real scale for `flask seed-demo --size large`.

Rows go in through SQLAlchemy Core bulk inserts with explicit ids: fast, and synthetic data
should not fill the audit trail (the ORM flush listener only sees ORM objects).
At scale 1.0: 2 000 providers, 10 000 applications over 8 rounds, 4 000 forløb, 120 000 tasks.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable, Iterable
from datetime import UTC, date, datetime, timedelta

from sqlalchemy import func, insert, select, text

from .. import clock
from ..auth.services import create_user, get_user_by_email, hash_password
from ..domain.applications import ApplicationStatus, format_reference
from ..domain.engagements import ReviewRecommendation
from ..domain.municipalities import MUNICIPALITIES
from ..domain.providers import OwnerType, ProviderKind
from ..extensions import db
from ..models import (
    Application,
    ApplicationRound,
    ApplicationStatusChange,
    Provider,
    ProviderMembership,
    Recommendation,
    RecommendationCatalogue,
    ReferenceCounter,
    Review,
    Theme,
    User,
)
from ..models.application import application_themes
from .large_engagements import EngagementRows
from .seed import DEMO_PASSWORD, DEMO_USERS

SEED = 20261125
BASE = {"providers": 2000, "applications": 10000, "engagements": 4000, "tasks": 120000}
ROUNDS = 8
CONSULTANTS = 30
EXTRA_MANAGERS = 2
CHUNK = 5000
DECIDED = (ApplicationStatus.REJECTED, ApplicationStatus.WAITLISTED)


def cvr_numbers(count: int, rng: random.Random) -> list[str]:
    """`count` distinct valid CVR numbers (modulus 11 with weights 2,7,6,5,4,3,2,1)."""
    weights = (2, 7, 6, 5, 4, 3, 2)
    found: set[str] = set()
    while len(found) < count:
        head = str(rng.randint(1_000_000, 9_999_999))
        rest = -sum(int(d) * w for d, w in zip(head, weights, strict=True)) % 11
        if rest < 10:  # the check digit has weight 1, so it must be 0–9
            found.add(head + str(rest))
    return sorted(found)


class _Ids:
    """Explicit primary keys, continuing after whatever the table already holds."""

    def __init__(self) -> None:
        self.next: dict[str, int] = {}

    def take(self, model) -> int:
        table = model.__table__
        if table.name not in self.next:
            self.next[table.name] = (db.session.execute(
                select(func.max(table.c.id))).scalar() or 0) + 1
        value = self.next[table.name]
        self.next[table.name] += 1
        return value


class Generator(EngagementRows):
    def __init__(self, scale: float, seed: int, today: date) -> None:
        self.rng = random.Random(seed)
        self.seed = seed
        self.scale = scale
        self.today = today
        self.now = datetime.combine(today, datetime.min.time(), tzinfo=UTC) + timedelta(hours=9)
        self.ids = _Ids()
        self.rows: dict[str, list[dict]] = {}
        self.tables: dict[str, object] = {}

    def n(self, key: str) -> int:
        return max(1, round(BASE[key] * self.scale))

    def add(self, table, row: dict) -> dict:
        table = getattr(table, "__table__", table)
        self.tables[table.name] = table
        self.rows.setdefault(table.name, []).append(row)
        return row

    def at(self, day: date, hour: int = 10) -> datetime:
        return datetime.combine(day, datetime.min.time(), tzinfo=UTC) + timedelta(hours=hour)

    # --- people and organisations ------------------------------------------------------
    def users(self) -> None:
        demo = {}
        for email, name, role in DEMO_USERS:
            demo[role, email] = (get_user_by_email(email)
                                 or create_user(email, name, role, DEMO_PASSWORD, confirmed=True))
        self.demo = demo
        self.managers = [u.id for (role, _), u in demo.items() if role == "manager"]
        self.consultants = [u.id for (role, _), u in demo.items() if role == "consultant"]
        self.applicants = [u.id for (role, _), u in demo.items() if role == "applicant"]
        password_hash = hash_password(DEMO_PASSWORD)
        extra = [("consultant", f"konsulent{i:02d}@synthetic.example.dk", f"Konsulent {i:02d}")
                 for i in range(len(self.consultants) + 1, CONSULTANTS + 1)]
        extra += [("manager", f"leder{i}@synthetic.example.dk", f"Leder {i}")
                  for i in range(2, 2 + EXTRA_MANAGERS)]
        existing = dict(db.session.execute(select(User.email, User.id).where(
            User.email.in_([email for _, email, _ in extra]))).tuples().all())
        for role, email, name in extra:
            # A second run adds to the data set and reuses the synthetic staff.
            user_id = existing.get(email) or self.ids.take(User)
            (self.consultants if role == "consultant" else self.managers).append(user_id)
            if email in existing:
                continue
            self.add(User, {"id": user_id, "email": email, "name": name, "role": role,
                            "password_hash": password_hash, "active": True,
                            "email_confirmed_at": self.now, "created_at": self.now,
                            "capacity": self.rng.choice((4, 5, 6, 6, 6, 8))})

    def providers(self) -> None:
        rng = self.rng
        self.provider_kind: dict[int, str] = {}
        kinds, owners = list(ProviderKind), list(OwnerType)
        for index, cvr in enumerate(cvr_numbers(self.n("providers"), rng)):
            municipality = rng.choice(MUNICIPALITIES)
            provider_id = self.ids.take(Provider)
            kind = rng.choice(kinds).value
            self.provider_kind[provider_id] = kind
            self.add(Provider, {
                "id": provider_id, "name": f"Tilbud {index + 1:04d} {municipality.name}",
                "cvr": cvr, "p_number": f"{provider_id:010d}", "kind": kind,
                "owner_type": rng.choice(owners).value,
                "municipality_code": municipality.code, "region": municipality.region,
                "address": f"Vejen {index % 200 + 1}", "postal_code": "8000",
                "city": municipality.name, "contact_name": f"Kontakt {index + 1}",
                "contact_email": f"kontakt{index + 1}@tilbud.example.dk",
                "contact_phone": "12 34 56 78", "created_at": self.now})
        provider_ids = list(self.provider_kind)
        for user_index, user_id in enumerate(self.applicants):
            for provider_id in provider_ids[user_index::max(2, len(provider_ids) // 3)][:3]:
                self.add(ProviderMembership, {"id": self.ids.take(ProviderMembership),
                                              "user_id": user_id, "provider_id": provider_id,
                                              "created_at": self.now})

    # --- rounds and applications -------------------------------------------------------
    def rounds(self) -> None:
        self.round_rows = []
        for index in range(ROUNDS):
            # Six closed rounds half a year apart, one open and one opening soon-ish.
            closes = self.today + timedelta(days=(index - 5) * 182 - 30)
            if index >= 6:
                closes = self.today + timedelta(days=14 + (index - 6) * 45)
            round_id = self.ids.take(ApplicationRound)
            row = self.add(ApplicationRound, {
                "id": round_id, "name": f"Syntetisk runde {round_id}",
                "description": "Syntetiske data til måling af ydelse.",
                "opens_at": self.at(closes - timedelta(days=90), 7),
                "closes_at": self.at(closes, 11), "programmes_offered": 500 + index,
                "close_reason": "", "created_at": self.at(closes - timedelta(days=100))})
            self.round_rows.append(row)

    def applications(self) -> None:
        rng = self.rng
        providers = list(self.provider_kind)
        slots = [(r, p) for r in range(ROUNDS) for p in providers]
        rng.shuffle(slots)
        slots = slots[:min(len(slots), self.n("applications"))]
        closed = [s for s in slots if s[0] < 6]
        approved = set(closed[:min(len(closed), self.n("engagements"))])
        self.approved: list[dict] = []
        self.counters: dict[int, int] = dict(db.session.execute(
            select(ReferenceCounter.year, ReferenceCounter.last)).tuples().all())
        themes = self.theme_ids
        for round_index, provider_id in sorted(slots):
            if (round_index, provider_id) in approved:
                status = ApplicationStatus.APPROVED
            elif round_index < 6:
                status = rng.choice(DECIDED + (ApplicationStatus.WITHDRAWN,
                                               ApplicationStatus.IN_REVIEW))
            else:
                status = rng.choice((ApplicationStatus.DRAFT, ApplicationStatus.SUBMITTED,
                                     ApplicationStatus.IN_REVIEW, ApplicationStatus.WITHDRAWN))
            row = self._application(self.round_rows[round_index], provider_id, status)
            for theme_id in rng.sample(themes, rng.randint(1, 3)):
                self.add(application_themes, {"application_id": row["id"], "theme_id": theme_id})
            if status == ApplicationStatus.APPROVED:
                self.approved.append(row)

    def _application(self, round_: dict, provider_id: int, status: ApplicationStatus) -> dict:
        rng = self.rng
        opens, closes = round_["opens_at"], round_["closes_at"]
        submitted = opens + timedelta(days=rng.randint(1, 80), hours=rng.randint(0, 8))
        app_id = self.ids.take(Application)
        row = self.add(Application, {
            "id": app_id, "round_id": round_["id"], "provider_id": provider_id,
            "created_by_id": None, "status": status.value, "reference": None,
            "current_step": 5, "contact_name": "Kontakt", "contact_email": "k@tilbud.example.dk",
            "contact_phone": "12 34 56 78", "duration_months": rng.randint(4, 12),
            "desired_start": (closes + timedelta(days=45)).date(),
            "participants": "Ledelse og medarbejdere", "participant_count": rng.randint(3, 20),
            "hours_per_month": rng.randint(5, 40), "management_anchoring": "Forstanderen",
            "motivation": "Recoveryorienteret praksis", "challenges": "Dokumentation",
            "hoped_outcomes": "Fælles faglig tilgang", "created_at": opens,
            "updated_at": submitted, "submitted_at": None, "withdrawn_at": None,
            "decided_at": None, "decided_by_id": None, "decision_message": "",
            "capacity_override_reason": ""})
        history = [(None, ApplicationStatus.DRAFT, opens, None)]
        if status != ApplicationStatus.DRAFT:
            year = submitted.year
            self.counters[year] = self.counters.get(year, 0) + 1
            row["submitted_at"] = submitted
            row["reference"] = format_reference(year, self.counters[year])
            history.append((ApplicationStatus.DRAFT, ApplicationStatus.SUBMITTED, submitted,
                            None))
        if status in (ApplicationStatus.IN_REVIEW, ApplicationStatus.APPROVED) + DECIDED:
            history.append((ApplicationStatus.SUBMITTED, ApplicationStatus.IN_REVIEW,
                            submitted + timedelta(days=2), rng.choice(self.managers)))
            self._reviews(app_id, submitted + timedelta(days=2), status)
        if status in (ApplicationStatus.APPROVED,) + DECIDED:
            row["decided_at"] = closes + timedelta(days=rng.randint(5, 20))
            row["decided_by_id"] = rng.choice(self.managers)
            row["decision_message"] = "Afgørelse"
            history.append((ApplicationStatus.IN_REVIEW, status, row["decided_at"],
                            row["decided_by_id"]))
        if status == ApplicationStatus.WITHDRAWN:
            row["withdrawn_at"] = submitted + timedelta(days=1)
            history.append((ApplicationStatus.SUBMITTED, status, row["withdrawn_at"], None))
        for from_status, to_status, at, actor in history:
            self.add(ApplicationStatusChange, {
                "id": self.ids.take(ApplicationStatusChange), "application_id": app_id,
                "from_status": from_status and from_status.value, "to_status": to_status.value,
                "actor_id": actor, "at": at, "comment": ""})
        return row

    def _reviews(self, app_id: int, assigned: datetime, status: ApplicationStatus) -> None:
        rng = self.rng
        for reviewer in rng.sample(self.consultants, rng.randint(1, 2)):
            done = status != ApplicationStatus.IN_REVIEW or rng.random() < 0.5
            self.add(Review, {
                "id": self.ids.take(Review), "application_id": app_id, "reviewer_id": reviewer,
                "assigned_by_id": self.managers[0], "assigned_at": assigned,
                "fit_score": rng.randint(1, 5) if done else None, "fit_comment": "",
                "readiness_score": rng.randint(1, 5) if done else None, "readiness_comment": "",
                "anchoring_score": rng.randint(1, 5) if done else None, "anchoring_comment": "",
                "recommendation": rng.choice(list(ReviewRecommendation)).value if done else None,
                "comment": "", "submitted_at": assigned + timedelta(days=3) if done else None})

    # --- orchestration -----------------------------------------------------------------
    def load_reference_data(self) -> None:
        self.theme_ids = list(db.session.execute(
            select(Theme.id).order_by(Theme.position)).scalars())
        self.catalogues = {}
        for catalogue in db.session.execute(select(RecommendationCatalogue).where(
                RecommendationCatalogue.is_current)).scalars():
            self.catalogues[catalogue.code] = (catalogue.id, list(db.session.execute(
                select(Recommendation.id).where(Recommendation.catalogue_id == catalogue.id)
                .order_by(Recommendation.number)).scalars()))

    def build(self) -> None:
        self.load_reference_data()
        self.load_indicators()
        self.users()
        self.providers()
        self.rounds()
        self.applications()
        self.engagements()


# Parents before children, so foreign keys hold at every chunk.
INSERT_ORDER = ("users", "providers", "provider_memberships", "application_rounds",
                "applications", "application_themes", "application_status_changes", "reviews",
                "engagements", "engagement_themes", "phase_plans", "phase_transitions",
                "engagement_recommendations", "tasks", "meetings", "collaboration_agreements",
                "final_evaluations", "engagement_indicators", "benefit_ratings")


def _chunks(rows: list[dict], size: int) -> Iterable[list[dict]]:
    for start in range(0, len(rows), size):
        yield rows[start:start + size]


def generate(scale: float = 1.0, *, seed: int = SEED, echo: Callable[[str], None] = print
             ) -> dict[str, int]:
    """Insert the synthetic data set; returns the number of rows per table."""
    started = time.perf_counter()
    generator = Generator(scale, seed, clock.now().date())
    generator.build()
    echo(f"Genereret i hukommelsen på {time.perf_counter() - started:.1f} s")
    counts = {}
    for name in INSERT_ORDER:
        rows = generator.rows.get(name, [])
        for chunk in _chunks(rows, CHUNK):
            db.session.execute(insert(generator.tables[name]), chunk)
        counts[name] = len(rows)
        echo(f"  {name:<28} {len(rows):>8}   {time.perf_counter() - started:6.1f} s")
    for year, last in generator.counters.items():
        counter = db.session.get(ReferenceCounter, year)
        if counter is None:
            db.session.add(ReferenceCounter(year=year, last=last))
        else:
            counter.last = max(counter.last, last)
    _advance_sequences(generator.ids.next)
    db.session.commit()
    # Fresh statistics after a bulk load: without them SQLite's planner picks poor indexes
    # for the dashboard aggregates (measured 3× slower).
    db.session.execute(text("ANALYZE"))
    db.session.commit()
    echo(f"Færdig på {time.perf_counter() - started:.1f} s")
    return counts


def _advance_sequences(tables: dict[str, int]) -> None:
    """PostgreSQL's id sequences do not see explicit ids; move them past the inserted rows."""
    if db.engine.dialect.name != "postgresql":
        return
    for name in tables:
        db.session.execute(text(
            f"SELECT setval(pg_get_serial_sequence('{name}', 'id'), "
            f"(SELECT COALESCE(MAX(id), 1) FROM {name}))"))
