"""Delete or anonymise what has outlived its retention period, set-based.

What happens per kind (also stated in the privacy policy):
- rejected_applications: rejected applications of rounds closed more than N months ago are
  deleted with their reviews, status changes and themes (they never got an engagement).
- withdrawn_applications: withdrawn applications and never-submitted drafts of such rounds
  are deleted the same way.
- completed_engagements: completed or cancelled engagements whose actual end is more than N
  months ago are anonymised, not deleted: notes go, meeting minutes/participants and other
  free text (also the comments of the benefit ratings) are blanked, the application's contact
  fields and free text are blanked. The statistical skeleton (phases, dates, themes, scores,
  the indicators' measurements) stays so dashboards keep history.
- access_log, audit_events: rows older than N months are deleted.
- notifications: notifications and digest deliveries older than N months are deleted,
  except those still waiting in the e-mail outbox (pending), which the sender still needs.

A dry run computes the same counts, changes nothing and writes no RetentionRun row.
"""

from __future__ import annotations

import logging
from calendar import monthrange
from collections.abc import Callable
from datetime import datetime, timedelta

from sqlalchemy import Select, delete, func, or_, select, update

from .. import clock
from ..attachments.storage import file_store
from ..domain.phases import Phase
from ..extensions import db
from ..models import Attachment, IssuedDocument, notification_documents
from ..models.application import (
    Application,
    ApplicationRound,
    ApplicationStatusChange,
    application_themes,
)
from ..models.audit import AccessLogEntry, AuditEvent
from ..models.development import DevelopmentPlan
from ..models.effect import BenefitRating
from ..models.engagement import (
    AnalysisFinding,
    CollaborationAgreement,
    Engagement,
    FinalEvaluation,
    Meeting,
    Note,
)
from ..models.gdpr import RetentionPolicy, RetentionRun
from ..models.notification import DigestDelivery, Notification
from ..models.review import Review

log = logging.getLogger(__name__)

KIND_LABELS = {
    "rejected_applications": "Afviste ansøgninger",
    "withdrawn_applications": "Tilbagetrukne og aldrig indsendte ansøgninger",
    "completed_engagements": "Afsluttede og annullerede forløb",
    "access_log": "Adgangslog",
    "notifications": "Notifikationer",
    "audit_events": "Ændringslog (audit)",
    "security_bookkeeping": "Loginforsøg, Husk mig-logins og sendte konto-e-mails",
}
# Not a policy (no personal data worth keeping): sent or given-up account e-mails go after
# this many days; rate-limit counters and "Husk mig" tokens as soon as they have run out.
ACCOUNT_MAIL_DAYS = 7


def cutoff(now: datetime, months: int) -> datetime:
    """`now` moved back whole calendar months (31 March - 1 month = 28/29 February)."""
    total = now.year * 12 + now.month - 1 - months
    year, month = divmod(total, 12)
    day = min(now.day, monthrange(year, month + 1)[1])
    return now.replace(year=year, month=month + 1, day=day)


def _count(stmt: Select) -> int:
    return db.session.execute(select(func.count()).select_from(stmt.subquery())).scalar_one()


def _application_ids(statuses: tuple[str, ...], limit: datetime) -> Select:
    return (select(Application.id)
            .join(ApplicationRound, ApplicationRound.id == Application.round_id)
            .where(Application.status.in_(statuses), ApplicationRound.closes_at < limit,
                   ~select(Engagement.id).where(Engagement.application_id == Application.id)
                   .exists()))


def _delete_files(owner_column, ids, document_column) -> None:
    """Attachments and issued documents go with their application or forløb: the rows and
    the stored bytes (which hold names, minutes and free text)."""
    opts = {"synchronize_session": False}
    keys = list(db.session.execute(
        select(Attachment.storage_key).where(owner_column.in_(ids))).scalars())
    keys += db.session.execute(
        select(IssuedDocument.storage_key).where(document_column.in_(ids))).scalars()
    db.session.execute(delete(notification_documents).where(
        notification_documents.c.document_id.in_(
            select(IssuedDocument.id).where(document_column.in_(ids)))))
    db.session.execute(delete(Attachment).where(owner_column.in_(ids)).execution_options(**opts))
    db.session.execute(delete(IssuedDocument).where(document_column.in_(ids))
                       .execution_options(**opts))
    store = file_store()
    for key in keys:
        store.delete(key)


def _delete_applications(ids: list[int]) -> None:
    """Bulk deletes (the audit trail does not see them; the run's summary records them)."""
    opts = {"synchronize_session": False}
    _delete_files(Attachment.application_id, ids, IssuedDocument.application_id)
    db.session.execute(delete(Review).where(Review.application_id.in_(ids))
                       .execution_options(**opts))
    db.session.execute(delete(ApplicationStatusChange)
                       .where(ApplicationStatusChange.application_id.in_(ids))
                       .execution_options(**opts))
    db.session.execute(delete(application_themes)
                       .where(application_themes.c.application_id.in_(ids)))
    db.session.execute(delete(Application).where(Application.id.in_(ids))
                       .execution_options(**opts))


def _rejected(now: datetime, months: int, dry_run: bool) -> dict:
    ids = _application_ids(("rejected",), cutoff(now, months))
    return _delete_apps(ids, dry_run)


def _withdrawn(now: datetime, months: int, dry_run: bool) -> dict:
    ids = _application_ids(("withdrawn", "draft"), cutoff(now, months))
    return _delete_apps(ids, dry_run)


def _delete_apps(ids: Select, dry_run: bool) -> dict:
    # Materialise the ids once, then delete in chunks: children first, no per-row ORM work.
    id_list = list(db.session.execute(ids).scalars())
    if not dry_run and id_list:
        for start in range(0, len(id_list), 500):
            _delete_applications(id_list[start:start + 500])
    return {"deleted": len(id_list)}


def _expired_engagements(now: datetime, months: int) -> Select:
    limit = cutoff(now, months).date()
    return (select(Engagement.id)
            .where(Engagement.phase.in_((Phase.COMPLETED, Phase.CANCELLED)),
                   Engagement.actual_end.is_not(None), Engagement.actual_end < limit,
                   # Already anonymised ones have no contact name left; don't count them again.
                   select(Application.id).where(Application.id == Engagement.application_id,
                                                Application.contact_email != "").exists()))


def _engagements(now: datetime, months: int, dry_run: bool) -> dict:
    id_list = list(db.session.execute(_expired_engagements(now, months)).scalars())
    if dry_run or not id_list:
        return {"anonymised": len(id_list)}
    for start in range(0, len(id_list), 500):
        _anonymise_engagements(id_list[start:start + 500])
    return {"anonymised": len(id_list)}


def _anonymise_engagements(ids: list[int]) -> None:
    s = db.session
    opts = {"synchronize_session": False}
    # The files and documents of the forløb and of its application (the decision letter).
    _delete_files(Attachment.engagement_id, ids, IssuedDocument.engagement_id)
    app_id_list = list(s.execute(select(Engagement.application_id)
                                 .where(Engagement.id.in_(ids))).scalars())
    _delete_files(Attachment.application_id, app_id_list, IssuedDocument.application_id)
    s.execute(delete(Note).where(Note.engagement_id.in_(ids)).execution_options(**opts))
    s.execute(update(Meeting).where(Meeting.engagement_id.in_(ids))
              .values(participants="", minutes="", location="").execution_options(**opts))
    s.execute(update(CollaborationAgreement).where(CollaborationAgreement.engagement_id.in_(ids))
              .values(participants="", goals="", meeting_cadence="", meaning_insight="",
                      meaning_competences="", meaning_understanding="", meaning_systematics="",
                      time_commitment="", leadership_involvement="", contact_person="",
                      risks="").execution_options(**opts))
    s.execute(update(DevelopmentPlan).where(DevelopmentPlan.engagement_id.in_(ids))
              .values(changes="", leadership_conditions="", organisation_conditions="",
                      competence_conditions="", routine_conditions="", responsible="")
              .execution_options(**opts))
    s.execute(update(AnalysisFinding).where(AnalysisFinding.engagement_id.in_(ids))
              .values(strengths="", development_areas="").execution_options(**opts))
    s.execute(update(FinalEvaluation).where(FinalEvaluation.engagement_id.in_(ids))
              .values(summary="", achievements="", next_steps="").execution_options(**opts))
    # The tilbud's ratings of the benefits keep their scores; the indicators' measurements
    # are figures about the tilbud, not about persons, and stay for the statistics.
    s.execute(update(BenefitRating).where(BenefitRating.engagement_id.in_(ids))
              .values(comment="").execution_options(**opts))
    app_ids = select(Engagement.application_id).where(Engagement.id.in_(ids)).scalar_subquery()
    s.execute(update(Application).where(Application.id.in_(app_ids))
              .values(contact_name="", contact_email="", contact_phone="", participants="",
                      management_anchoring="", motivation="", challenges="", hoped_outcomes="")
              .execution_options(**opts))


def _older_than(model, column, extra=()) -> Callable[[datetime, int, bool], dict]:
    def run(now: datetime, months: int, dry_run: bool) -> dict:
        where = (column < cutoff(now, months), *extra)
        n = _count(select(model.id).where(*where))
        if not dry_run and n:
            # A Core delete on the bare table: the audit trail refuses ORM deletes of its rows
            # (only retention may remove them), and no per-row ORM work is wanted here.
            db.session.execute(delete(model.__table__).where(*where))
        return {"deleted": n}
    return run


def _notifications(now: datetime, months: int, dry_run: bool) -> dict:
    notes = _older_than(Notification, Notification.created_at,
                        (or_(Notification.email_status != "pending",
                             Notification.read_at.is_not(None)),))(now, months, dry_run)
    digests = _older_than(DigestDelivery, DigestDelivery.created_at,
                          (DigestDelivery.status != "pending",))(now, months, dry_run)
    return {"deleted": notes["deleted"] + digests["deleted"]}


HANDLERS: dict[str, Callable[[datetime, int, bool], dict]] = {
    "rejected_applications": _rejected,
    "withdrawn_applications": _withdrawn,
    "completed_engagements": _engagements,
    "access_log": _older_than(AccessLogEntry, AccessLogEntry.at),
    "notifications": _notifications,
    "audit_events": _older_than(AuditEvent, AuditEvent.at),
}


def policies() -> list[RetentionPolicy]:
    return list(db.session.execute(select(RetentionPolicy).order_by(RetentionPolicy.kind))
                .scalars())


def run_retention(now: datetime | None = None, dry_run: bool = False, trigger: str = "cli",
                  actor_id: int | None = None) -> RetentionRun:
    """Apply every enabled retention policy at `now`; a dry run only counts."""
    now = now or clock.now()
    started = clock.now()
    summary: dict[str, dict] = {}
    for policy in policies():
        handler = HANDLERS.get(policy.kind)
        if handler is None or not policy.enabled:
            continue
        summary[policy.kind] = handler(now, policy.months, dry_run)
        log.info("Opbevaring%s: %s %s", " (prøvekørsel)" if dry_run else "", policy.kind,
                 summary[policy.kind])
    summary["security_bookkeeping"] = _purge_security_bookkeeping(now, dry_run)
    run = RetentionRun(started_at=started, finished_at=clock.now(), dry_run=dry_run,
                       trigger=trigger, actor_id=actor_id, summary=summary)
    if dry_run:
        db.session.rollback()
    else:
        db.session.add(run)
        db.session.commit()
    return run


def _purge_security_bookkeeping(now: datetime, dry_run: bool) -> dict[str, int]:
    """Expired login counters and \"Husk mig\" tokens, old account e-mails."""
    from ..auth.throttle import counters
    from ..models.security import OutgoingMail, RememberToken

    epoch = int(now.timestamp())
    stale_counters = select(counters.c.key).where(counters.c.expires_at < epoch,
                                                  counters.c.blocked_until < epoch)
    expired_tokens = select(RememberToken.id).where(RememberToken.expires_at <= now)
    old_mails = select(OutgoingMail.id).where(
        OutgoingMail.status.in_(("sent", "failed")),
        OutgoingMail.created_at < now - timedelta(days=ACCOUNT_MAIL_DAYS))
    deleted = _count(stale_counters) + _count(expired_tokens) + _count(old_mails)
    if not dry_run:
        db.session.execute(delete(counters).where(counters.c.key.in_(stale_counters)))
        db.session.execute(delete(RememberToken).where(RememberToken.id.in_(expired_tokens)))
        db.session.execute(delete(OutgoingMail).where(OutgoingMail.id.in_(old_mails)))
    return {"deleted": deleted}


def period_text(months: int) -> str:
    """'24' → '2 år', '18' → '18 måneder' — for the privacy policy."""
    if months % 12 == 0:
        return f"{months // 12} år"
    return "1 måned" if months == 1 else f"{months} måneder"


def current_periods() -> dict[str, str | None]:
    """Each kind's period as Danish text, None when automatic deletion is off."""
    return {p.kind: period_text(p.months) if p.enabled else None for p in policies()}
