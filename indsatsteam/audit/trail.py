"""The audit trail, written by the ORM itself.

A listener on every flush looks at the audited objects the flush inserts, updates or deletes
and writes one `AuditEvent` per object with the changed fields (from → to) on the same
connection, so the trail commits and rolls back with the change. No service can forget it.

Personal fields (names, e-mails, phone numbers, password hashes) are recorded as changed
without their values, so the trail does not keep personal data beyond its own retention.
"""

from __future__ import annotations

import contextvars
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime
from enum import Enum

from flask import has_request_context
from sqlalchemy import event, inspect
from sqlalchemy.orm import ORMExecuteState, Session, attributes
from sqlalchemy.orm.exc import DetachedInstanceError, ObjectDeletedError

from .. import clock
from ..models import (
    AnalysisFinding,
    Application,
    ApplicationRound,
    Attachment,
    AuditEvent,
    BenefitRating,
    CollaborationAgreement,
    DeletionRequest,
    DevelopmentPlan,
    Engagement,
    EngagementIndicator,
    EngagementMethod,
    EngagementRecommendation,
    FinalEvaluation,
    Indicator,
    IndicatorCatalogue,
    IssuedDocument,
    Meeting,
    Method,
    MethodLibrary,
    Note,
    OidcIdentity,
    PhasePlan,
    PhaseTemplate,
    PhaseTransition,
    PlanMilestone,
    Provider,
    ProviderMembership,
    Recommendation,
    RecommendationCatalogue,
    ReminderRule,
    RetentionPolicy,
    Review,
    Task,
    TaskTemplate,
    Theme,
    User,
)
from ..request_id import current_request_id

MASKED = "[ændret]"
MAX_TEXT = 1000
# Bookkeeping columns whose change is not news.
IGNORED = frozenset({"id", "updated_at", "created_at"})


@dataclass(frozen=True)
class Audited:
    object_type: str
    label: Callable[[object], str]
    personal: frozenset[str] = frozenset()
    ignored: frozenset[str] = frozenset()
    collections: tuple[str, ...] = ()


_CONTACT = frozenset({"contact_name", "contact_email", "contact_phone"})

AUDITED: dict[type, Audited] = {
    Application: Audited("application", lambda a: a.reference or f"Ansøgning {a.id}",
                         personal=_CONTACT, ignored=frozenset({"current_step"}),
                         collections=("themes",)),
    ApplicationRound: Audited("round", lambda r: r.name),
    Review: Audited("review", lambda r: f"Vurdering af ansøgning {r.application_id}"),
    Provider: Audited("provider", lambda p: p.name, personal=_CONTACT),
    ProviderMembership: Audited("membership", lambda m: f"Tilknytning til tilbud {m.provider_id}"),
    User: Audited("user", lambda u: f"Bruger {u.id}",
                  personal=frozenset({"name", "email", "password_hash", "calendar_token_hash"}),
                  # A new session token (every logout) is bookkeeping, not news.
                  ignored=frozenset({"session_token"})),
    Engagement: Audited("engagement", lambda e: f"Forløb {e.id}", collections=("themes",)),
    PhasePlan: Audited("phase_plan", lambda p: f"Faseplan {p.phase} i forløb {p.engagement_id}"),
    PhaseTransition: Audited("phase_transition",
                             lambda t: f"Faseskift i forløb {t.engagement_id}"),
    Task: Audited("task", lambda t: t.title),
    Meeting: Audited("meeting", lambda m: f"Møde i forløb {m.engagement_id}"),
    Note: Audited("note", lambda n: f"Note i forløb {n.engagement_id}"),
    CollaborationAgreement: Audited("agreement",
                                    lambda a: f"Samarbejdsaftale i forløb {a.engagement_id}",
                                    personal=frozenset({"contact_person"})),
    DevelopmentPlan: Audited("development_plan",
                             lambda p: f"Udviklingsplan i forløb {p.engagement_id}",
                             personal=frozenset({"responsible"}), collections=("methods",)),
    PlanMilestone: Audited("milestone", lambda m: f"Milepæl: {m.title}"[:300]),
    EngagementMethod: Audited("engagement_method",
                              lambda m: f"Metode foreslået i forløb {m.engagement_id}"),
    MethodLibrary: Audited("method_library",
                           lambda m: f"{m.title} (version {m.version})"[:300]),
    Method: Audited("method", lambda m: f"Metode {m.number}: {m.title}"[:300]),
    AnalysisFinding: Audited("finding", lambda f: f"Analyse i forløb {f.engagement_id}"),
    EngagementRecommendation: Audited(
        "engagement_recommendation", lambda r: f"Anbefaling i forløb {r.engagement_id}"),
    EngagementIndicator: Audited("engagement_indicator",
                                 lambda i: f"Indikator i forløb {i.engagement_id}"),
    BenefitRating: Audited("benefit_rating",
                           lambda b: f"Vurdering af udbytte i forløb {b.engagement_id}"),
    FinalEvaluation: Audited("final_evaluation", lambda f: f"Slutevaluering i forløb "
                                                           f"{f.engagement_id}"),
    Theme: Audited("theme", lambda t: t.name),
    RecommendationCatalogue: Audited("catalogue", lambda c: f"{c.title} (version {c.version})"),
    Recommendation: Audited("recommendation", lambda r: f"Anbefaling {r.number}: {r.title}"[:300]),
    # The indicator catalogue, versioned like the recommendation catalogues.
    IndicatorCatalogue: Audited("indicator_catalogue",
                                lambda c: f"{c.title} (version {c.version})"[:300]),
    Indicator: Audited("indicator", lambda i: f"Indikator {i.number}: {i.name}"[:300]),
    PhaseTemplate: Audited("phase_template", lambda p: f"Fase {p.phase}"),
    TaskTemplate: Audited("task_template", lambda t: t.title),
    ReminderRule: Audited("reminder_rule", lambda r: r.code),
    RetentionPolicy: Audited("retention_policy", lambda p: p.kind),
    DeletionRequest: Audited("deletion_request", lambda d: f"Sletteanmodning {d.id}"),
    Attachment: Audited("attachment", lambda a: f"Fil {a.filename}"[:300],
                        ignored=frozenset({"storage_key", "uploaded_at"})),
    # The provider's subject is a pseudonymous id: recorded as changed, without its value.
    OidcIdentity: Audited("oidc_identity", lambda i: f"Login via {i.provider} for bruger "
                                                     f"{i.user_id}",
                          personal=frozenset({"subject"}),
                          ignored=frozenset({"last_login_at"})),
    IssuedDocument: Audited("document", lambda d: f"{d.title} version {d.version}"[:300],
                            ignored=frozenset({"storage_key", "html", "issued_at"})),
}

_actor: contextvars.ContextVar[int | None] = contextvars.ContextVar("audit_actor", default=None)


def audited_types() -> dict[str, type]:
    return {spec.object_type: cls for cls, spec in AUDITED.items()}


@contextmanager
def acting_as(user_id: int | None) -> Iterator[None]:
    """Attribute changes outside a request (CLI, scheduler, tests) to a user; None is the
    system itself."""
    token = _actor.set(user_id)
    try:
        yield
    finally:
        _actor.reset(token)


def _current_actor_id() -> int | None:
    if (explicit := _actor.get()) is not None:
        return explicit
    if has_request_context():
        from flask_login import current_user

        if current_user and current_user.is_authenticated:
            return current_user.id
    return None



def _plain(value):
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, str) and len(value) > MAX_TEXT:
        return value[:MAX_TEXT] + "…"
    if value is None or isinstance(value, bool | int | float | str):
        return value
    return str(value)


def _collection_labels(items) -> list[str]:
    return sorted(getattr(i, "code", None) or str(getattr(i, "id", i)) for i in items)


def _changes(obj, spec: Audited, action: str) -> dict[str, list]:
    state = inspect(obj)
    changes: dict[str, list] = {}
    for column in state.mapper.column_attrs:
        key = column.key
        if key in IGNORED or key in spec.ignored:
            continue
        history = state.attrs[key].history
        if action == "create":
            value = getattr(obj, key)
            if value in (None, ""):
                continue
            before, after = None, value
        elif history.has_changes():
            before = history.deleted[0] if history.deleted else None
            after = history.added[0] if history.added else None
            if before == after:
                continue
        else:
            continue
        if key in spec.personal:
            changes[key] = [None, MASKED] if action == "create" else [MASKED, MASKED]
        else:
            changes[key] = [_plain(before), _plain(after)]
    for key in spec.collections:
        history = attributes.get_history(obj, key)
        if history.added or history.deleted:
            before = _collection_labels([*history.unchanged, *history.deleted])
            after = _collection_labels([*history.unchanged, *history.added])
            if before != after:
                changes[key] = [None if action == "create" else before, after]
    return changes


def _object_id(state) -> int | None:
    # A row inserted by this flush has its id but no identity key until the flush ends.
    key = state.identity[0] if state.identity else state.dict.get("id")
    # A text primary key (a retention policy's kind) does not fit the integer column; the
    # label names such an object instead.
    return key if isinstance(key, int) else None


def _label(obj, spec: Audited, state) -> str:
    try:
        return (spec.label(obj) or "")[:300]
    except (ObjectDeletedError, DetachedInstanceError):  # a deleted row's unloaded column
        return f"{spec.object_type} {_object_id(state)}"


def _deleted_values(state, spec: Audited) -> dict[str, list]:
    """What a deleted row held (the loaded, non-empty columns), so the trail shows what went."""
    changes: dict[str, list] = {}
    for column in state.mapper.column_attrs:
        key = column.key
        value = state.dict.get(key)
        if key in IGNORED or key in spec.ignored or value in (None, ""):
            continue
        changes[key] = [MASKED if key in spec.personal else _plain(value), None]
    return changes


def _deleted(session: Session, flush_context) -> list:
    """The rows this flush deleted: those passed to session.delete() and those removed from a
    delete-orphan collection (e.g. a withdrawn method proposal), which the session's own list
    does not show."""
    deleted = list(session.deleted)
    seen = {id(obj) for obj in deleted}
    for state, (is_delete, list_only) in flush_context.states.items():
        obj = state.obj()
        if is_delete and not list_only and obj is not None and id(obj) not in seen:
            deleted.append(obj)
            seen.add(id(obj))
    return deleted


def _after_flush(session: Session, flush_context) -> None:
    rows = []
    now, actor_id, request_id = clock.now(), _current_actor_id(), current_request_id()
    for action, objects in (("create", session.new), ("update", session.dirty),
                            ("delete", _deleted(session, flush_context))):
        for obj in objects:
            spec = AUDITED.get(type(obj))
            if spec is None:
                continue
            state = inspect(obj)
            if action == "delete":
                changes = _deleted_values(state, spec)
            else:
                changes = _changes(obj, spec, action)
                if action == "update" and not changes:
                    continue
            rows.append({
                "at": now, "actor_id": actor_id, "action": action,
                "object_type": spec.object_type, "object_id": _object_id(state),
                "object_label": _label(obj, spec, state), "changes": changes,
                "request_id": request_id,
            })
    if rows:
        session.connection().execute(AuditEvent.__table__.insert(), rows)


def _refuse_change(mapper, connection, target) -> None:
    raise PermissionError("Revisionssporet kan ikke ændres eller slettes.")


def _refuse_bulk_change(state: ORMExecuteState) -> None:
    """`session.execute(update(AuditEvent))` skips the mapper events, so refuse it here.
    Core statements on the table (`AuditEvent.__table__.delete()`) stay possible: the
    retention job removes events older than their period that way."""
    if not (state.is_update or state.is_delete):
        return
    table = getattr(state.statement, "table", None)
    # Only an ORM statement's table carries its entity; a Core one's is the bare Table.
    if table is not None and table._annotations.get("parententity") is inspect(AuditEvent):
        raise PermissionError("Revisionssporet kan ikke ændres eller slettes.")


def register_listeners() -> None:
    """Install the flush listener once per process."""
    # Setting an expired attribute must load its old value first, or "from" would be lost.
    for cls in AUDITED:
        manager = attributes.manager_of_class(cls)
        for prop in inspect(cls).column_attrs:
            manager[prop.key].impl.active_history = True
    if not event.contains(Session, "after_flush", _after_flush):
        event.listen(Session, "after_flush", _after_flush)
        event.listen(Session, "do_orm_execute", _refuse_bulk_change)
        event.listen(AuditEvent, "before_update", _refuse_change)
        event.listen(AuditEvent, "before_delete", _refuse_change)
