"""Event notifications: a decision and a phase move tell the tilbud's users, in the same
transaction as the change (a rollback leaves no notification), once per event."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import func, select

from indsatsteam import clock, mail
from indsatsteam.domain.applications import ApplicationStatus
from indsatsteam.domain.errors import DomainError
from indsatsteam.engagements import services as engagement_services
from indsatsteam.extensions import db
from indsatsteam.models import Application, Engagement, Notification, Role
from indsatsteam.notifications import events
from indsatsteam.notifications.sender import send_pending
from indsatsteam.notifications.services import notify
from indsatsteam.reviews.services import Decision, decide

from helpers import aware, text_of


@pytest.fixture
def case(make_user, make_provider, make_round, make_application):
    clock.freeze(aware(2026, 12, 10, 9, 0))
    round_ = make_round(name="Vinterrunden", opens_at=aware(2026, 10, 1, 6, 0),
                        closes_at=aware(2026, 12, 1, 11, 0))
    provider = make_provider(name="Bostedet Lyngen")
    application = make_application(round_, provider, status=ApplicationStatus.IN_REVIEW,
                                   contact_email="ansat@lyngen.dk")
    inactive = make_user(Role.APPLICANT, email="gammel@lyngen.dk", provider=provider)
    inactive.active = False
    db.session.commit()
    return dict(
        application=application, provider=provider,
        ansat=make_user(Role.APPLICANT, email="ansat@lyngen.dk", name="Ansat Andersen",
                        provider=provider),
        leder=make_user(Role.APPLICANT, email="leder@lyngen.dk", provider=provider),
        stranger=make_user(Role.APPLICANT, provider=make_provider()),
        lead=make_user(Role.CONSULTANT, name="Lea Lead"),
        manager=make_user(Role.MANAGER, name="Mette Leder"),
    )


def notifications() -> list[Notification]:
    db.session.expire_all()
    return list(db.session.execute(
        select(Notification).order_by(Notification.recipient_id)).scalars())


def rejection(message: str = "Tak for ansøgningen.") -> Decision:
    return Decision(outcome=ApplicationStatus.REJECTED, message=message,
                    no_review_reason="Ingen bedømmer nåede det.")


def test_notify_tells_whether_it_added_the_row(case):
    kwargs = dict(subject="Emne", body="", url="/", dedupe_key="test:once")
    assert notify(case["ansat"], "task_due", **kwargs) is True
    assert notify(case["ansat"], "task_due", **kwargs) is False
    db.session.commit()
    assert len(notifications()) == 1


def test_a_decision_notifies_each_active_user_of_the_tilbud(case):
    decide(case["application"], rejection("Tak for ansøgningen.\nSøg gerne igen."),
           case["manager"])
    application = case["application"]
    rows = notifications()
    assert [n.recipient_id for n in rows] == [case["ansat"].id, case["leder"].id]
    for row in rows:
        assert row.category == "decision_made" and row.email_status == "pending"
        assert row.subject == f"Afgørelse på ansøgning {application.reference}"
        assert row.url == f"/ansoegninger/{application.id}"
        assert row.dedupe_key == (f"decision_made:application:{application.id}:rejected:"
                                  f"{row.recipient_id}")
        assert "Afgørelse: Afslået" in row.body and "Søg gerne igen." in row.body
        assert "Ansøgningsrunde: Vinterrunden" in row.body
    # The contact person is a user of the tilbud, so no direct mail: the outbox sends it.
    assert mail.outbox == []
    assert send_pending().sent == 2
    assert sorted(m["To"] for m in mail.outbox) == ["ansat@lyngen.dk", "leder@lyngen.dk"]


def test_the_decision_notification_is_part_of_the_decisions_transaction(case, monkeypatch):
    def crash():
        raise RuntimeError("the database went away before the commit")

    monkeypatch.setattr(db.session, "commit", crash)
    decide(case["application"], rejection(), case["manager"])  # services never commit
    with pytest.raises(RuntimeError):
        db.session.commit()  # the route's commit, which fails
    monkeypatch.undo()
    db.session.rollback()

    assert notifications() == []
    assert db.session.get(Application, case["application"].id).status == "in_review"
    assert send_pending().sent == 0 and mail.outbox == []


def test_a_refused_decision_notifies_nobody(case):
    with pytest.raises(DomainError):
        decide(case["application"], rejection(message="  "), case["manager"])
    db.session.rollback()
    assert notifications() == []


def test_the_same_decision_event_twice_adds_nothing(case):
    decide(case["application"], rejection(), case["manager"])
    assert events.application_decided(case["application"]) == 0
    db.session.commit()
    assert len(notifications()) == 2


@pytest.fixture
def engagement(case, make_engagement):
    application = case["application"]
    application.status = ApplicationStatus.APPROVED
    return make_engagement(application, lead=case["lead"], manager=case["manager"],
                           planned_start=date(2027, 2, 1), themes=2)


def test_a_phase_move_notifies_the_tilbuds_users(case, engagement):
    engagement_services.move_phase(engagement, "paused", case["lead"], "Ferielukket i januar")
    transition = max(engagement.transitions, key=lambda t: t.id)
    rows = notifications()
    assert [n.recipient_id for n in rows] == [case["ansat"].id, case["leder"].id]
    for row in rows:
        assert row.category == "phase_moved"
        assert row.subject == "Jeres forløb er nu i fasen Sat på pause"
        assert row.url == f"/vores-forloeb/{engagement.id}"
        assert row.dedupe_key == (f"phase_moved:engagement:{engagement.id}:{transition.id}:"
                                  f"{row.recipient_id}")
        assert row.body.startswith("Rådgivningsforløbet for Bostedet Lyngen er flyttet fra "
                                   "fasen Opstart til fasen Sat på pause den 10. december 2026.")
        assert "Begrundelse: Ferielukket i januar" in row.body

    # Resuming is a new transition, so a new notification.
    engagement_services.move_phase(engagement, "startup", case["lead"], "")
    assert len(notifications()) == 4
    assert send_pending().sent == 4


def test_the_phase_notification_is_part_of_the_moves_transaction(case, engagement,
                                                                   monkeypatch):
    def crash():
        raise RuntimeError("the database went away before the commit")

    monkeypatch.setattr(db.session, "commit", crash)
    engagement_services.move_phase(engagement, "paused", case["lead"], "Ferie")
    with pytest.raises(RuntimeError):
        db.session.commit()  # the route's commit, which fails
    monkeypatch.undo()
    db.session.rollback()

    assert notifications() == []
    assert db.session.get(Engagement, engagement.id).phase == "startup"


def test_a_refused_phase_move_notifies_nobody(case, engagement):
    with pytest.raises(DomainError):
        engagement_services.move_phase(engagement, "analysis", case["lead"], "")  # gates unmet
    db.session.rollback()
    assert db.session.scalar(select(func.count()).select_from(Notification)) == 0


def test_the_applicant_finds_the_decision_in_the_notification_centre(
        client, post, login, case):
    login(client, case["manager"])
    response = post(client, f"/sagsbehandling/ansoegninger/{case['application'].id}/afgoerelse",
                    {"outcome": "rejected", "message": "Tak for ansøgningen.",
                     "no_review_reason": "Hastesag."})
    assert response.status_code == 302, text_of(response)
    post(client, "/log-ud")

    login(client, case["ansat"])
    page = text_of(client.get("/notifikationer/"))
    assert "Notifikationer (1 ulæst)" in page
    assert f"Afgørelse på ansøgning {case['application'].reference}" in page
    assert "Afgørelse: Afslået" in page and "Tak for ansøgningen." in page
