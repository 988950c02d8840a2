"""Retention with a frozen clock: exactly the expired records go, a dry run changes nothing."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from indsatsteam import clock
from indsatsteam.domain.applications import ApplicationStatus
from indsatsteam.extensions import db
from indsatsteam.gdpr.retention import cutoff, run_retention
from indsatsteam.models import Role
from indsatsteam.models.application import Application
from indsatsteam.models.audit import AccessLogEntry, AuditEvent
from indsatsteam.models.catalogue import RecommendationCatalogue
from indsatsteam.models.effect import BenefitRating, EngagementIndicator, Indicator
from indsatsteam.models.engagement import Engagement, Meeting, Note
from indsatsteam.models.gdpr import RetentionRun
from indsatsteam.models.notification import Notification
from indsatsteam.models.review import Review

from helpers import aware, text_of

NOW = aware(2030, 6, 15, 10, 0)
MINUTE = timedelta(minutes=1)


def test_cutoff_moves_whole_calendar_months():
    assert cutoff(aware(2030, 3, 31, 10, 0), 1) == aware(2030, 2, 28, 10, 0)
    assert cutoff(NOW, 24) == aware(2028, 6, 15, 10, 0)


@pytest.fixture
def world(make_user, make_provider, make_round, make_application):
    """One record just past and one just inside each limit."""
    clock.freeze(aware(2025, 1, 1, 10, 0))  # the audit rows this writes are kept
    consultant = make_user(Role.CONSULTANT)
    limit24 = cutoff(NOW, 24)
    old_round = make_round(opens_at=limit24 - timedelta(days=60), closes_at=limit24 - MINUTE)
    new_round = make_round(opens_at=limit24 - timedelta(days=60), closes_at=limit24 + MINUTE)
    apps = {}
    for label, round_ in (("old", old_round), ("new", new_round)):
        for status in ("rejected", "withdrawn", "draft", "approved"):
            provider = make_provider(name=f"{label} {status}")
            apps[label, status] = make_application(round_, provider, status=status)
    db.session.add(Review(application_id=apps["old", "rejected"].id, reviewer_id=consultant.id))

    catalogue = db.session.execute(select(RecommendationCatalogue).limit(1)).scalar_one()
    engagements = {}
    end_limit = cutoff(NOW, 60).date()
    for label, end in (("old", end_limit - timedelta(days=1)), ("new", end_limit)):
        application = apps[label, "approved"]
        engagement = Engagement(
            application=application, provider_id=application.provider_id,
            lead_consultant_id=consultant.id, catalogue=catalogue, phase="completed",
            planned_start=end - timedelta(days=180), duration_months=6, planned_end=end,
            actual_end=end)
        engagement.notes = [Note(body="Fortroligt om Kim", author_id=consultant.id)]
        engagement.indicators = [EngagementIndicator(
            indicator=db.session.execute(select(Indicator).limit(1)).scalar_one(),
            baseline_value=40, target_value=70, end_value=65, follow_up_value=72)]
        engagement.benefit_ratings = [BenefitRating(benefit_code="insight", score=4,
                                                    comment="Kim fik det bedre")]
        db.session.add(engagement)
        db.session.flush()
        db.session.add(Meeting(engagement_id=engagement.id, meeting_type="kickoff",
                               starts_at=aware(2020, 2, 1, 9, 0), participants="Kim, Lea",
                               minutes="Referat"))
        engagements[label] = engagement
    for months, model, column, extra in (
            (12, AccessLogEntry, "at", dict(object_type="application")),
            (120, AuditEvent, "at", dict(action="update", object_type="application")),
            (6, Notification, "created_at",
             dict(recipient_id=consultant.id, category="task_due", subject="Frist",
                  email_status="sent"))):
        for label, delta in (("old", -MINUTE), ("new", MINUTE)):
            if model is Notification:
                extra["dedupe_key"] = f"test:{label}"
            db.session.add(model(**{column: cutoff(NOW, months) + delta}, **extra))
    # An old notification still waiting in the outbox is kept for the sender.
    db.session.add(Notification(created_at=cutoff(NOW, 6) - MINUTE, recipient_id=consultant.id,
                                category="task_due", subject="Venter", email_status="pending",
                                dedupe_key="test:pending"))
    db.session.commit()
    clock.freeze(NOW)
    return apps, engagements


def snapshot() -> dict:
    tables = {}
    for table in db.metadata.sorted_tables:
        rows = db.session.execute(table.select()).all()
        tables[table.name] = sorted(map(repr, rows))
    return tables


def test_dry_run_changes_nothing_and_counts(world):
    before = snapshot()
    run = run_retention(NOW, dry_run=True, trigger="cli")
    db.session.expire_all()
    assert snapshot() == before
    assert run.summary == {
        "access_log": {"deleted": 1}, "audit_events": {"deleted": 1},
        "completed_engagements": {"anonymised": 1}, "notifications": {"deleted": 1},
        "rejected_applications": {"deleted": 1}, "withdrawn_applications": {"deleted": 2},
        "security_bookkeeping": {"deleted": 0}}
    assert db.session.execute(select(RetentionRun)).first() is None


def test_exactly_the_expired_records_go(world):
    apps, engagements = world
    ids = {key: app.id for key, app in apps.items()}
    eng_ids = {key: e.id for key, e in engagements.items()}
    run = run_retention(NOW, dry_run=False, trigger="cli")
    db.session.expire_all()

    left = set(db.session.execute(select(Application.id)).scalars())
    gone = {ids["old", "rejected"], ids["old", "withdrawn"], ids["old", "draft"]}
    assert left == set(ids.values()) - gone
    assert db.session.execute(select(Review)).first() is None

    old, new = (db.session.get(Engagement, eng_ids[k]) for k in ("old", "new"))
    assert old.notes == [] and old.application.contact_email == ""
    assert old.phase == "completed" and old.actual_end is not None  # statistics stay
    meeting = db.session.execute(
        select(Meeting).where(Meeting.engagement_id == old.id)).scalar_one()
    assert meeting.minutes == "" and meeting.participants == ""
    assert len(new.notes) == 1 and new.application.contact_email != ""
    # The benefit ratings keep their scores without their comments; the indicators' figures
    # stay for the statistics.
    assert [(r.score, r.comment) for r in old.benefit_ratings] == [(4, "")]
    assert [r.comment for r in new.benefit_ratings] == ["Kim fik det bedre"]
    assert [(i.baseline_value, i.end_value, i.follow_up_value) for i in old.indicators] == [
        (40, 65, 72)]

    for model, column, months in ((AccessLogEntry, AccessLogEntry.at, 12),
                                  (AuditEvent, AuditEvent.at, 120)):
        remaining = db.session.execute(select(column).where(
            model.object_type == "application")).scalars().all()
        assert all(at >= cutoff(NOW, months) for at in remaining) and remaining
    subjects = set(db.session.execute(select(Notification.subject)).scalars())
    assert "Venter" in subjects and len(subjects) == 2

    stored = db.session.get(RetentionRun, run.id)
    assert stored.summary["rejected_applications"] == {"deleted": 1} and not stored.dry_run
    # Idempotent: a second run finds nothing more.
    again = run_retention(NOW, dry_run=False, trigger="scheduler")
    assert all(not any(counts.values()) for counts in again.summary.values())


def test_cli_dry_run_prints_counts(world, runner):
    result = runner.invoke(args=["retention", "run", "--dry-run", "--at", "2030-06-15 12:00"])
    assert result.exit_code == 0, result.output
    assert "Afviste ansøgninger: 1 ville blive slettet" in result.output
    assert "Afsluttede og annullerede forløb: 1 ville blive anonymiseret" in result.output
    assert "intet er ændret" in result.output
    assert db.session.execute(select(Application).where(
        Application.status == ApplicationStatus.REJECTED)).scalars().all()


def test_disabled_policy_is_skipped(world):
    from indsatsteam.models.gdpr import RetentionPolicy

    db.session.get(RetentionPolicy, "access_log").enabled = False
    db.session.commit()
    run = run_retention(NOW, dry_run=True)
    assert "access_log" not in run.summary


def test_privacy_policy_states_the_periods_from_the_table(client):
    from indsatsteam.models.gdpr import RetentionPolicy

    db.session.get(RetentionPolicy, "access_log").months = 18
    db.session.get(RetentionPolicy, "audit_events").enabled = False
    db.session.commit()
    page = text_of(client.get("/privatlivspolitik"))
    assert "Adgangsloggen slettes efter 18 måneder." in page
    assert "slettes 2 år efter, at ansøgningsrunden er lukket" in page
    assert "anonymiseres 5 år efter" in page
    assert "Revisionssporet (hvem har ændret hvad) slettes efter" not in page
    assert "ændringslog (audit)" in page


def test_admin_edits_periods_with_danish_messages_and_dry_runs(app, client, login, post,
                                                             make_user, world):
    from indsatsteam.models.gdpr import RetentionPolicy

    login(client, make_user(Role.ADMIN))
    data = {f"{kind}-months": "24" for kind in (
        "rejected_applications", "withdrawn_applications", "completed_engagements",
        "access_log", "notifications", "audit_events")}
    response = post(client, "/admin/opbevaring", {**data, "access_log-months": "241"})
    assert response.status_code == 400
    assert "Indtast et helt antal måneder mellem 1 og 240" in text_of(response)
    response = post(client, "/admin/opbevaring", {**data, "access_log-months": "3",
                                                  "access_log-enabled": "y"})
    assert response.status_code == 302
    policy = db.session.get(RetentionPolicy, "access_log")
    assert (policy.months, policy.enabled) == (3, True)
    assert db.session.get(RetentionPolicy, "notifications").enabled is False

    before = snapshot()
    page = text_of(post(client, "/admin/opbevaring", {"dry_run": "1"}))
    # Only the access log is enabled now, at 3 months: both its rows would go.
    assert "Prøvekørsel – intet er ændret" in page and "Adgangslog: 2 slettet" in page
    assert "Afviste ansøgninger" not in page.split("Prøvekørsel")[1]
    db.session.expire_all()
    assert snapshot() == before
