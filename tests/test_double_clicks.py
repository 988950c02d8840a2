"""A double click, or two colleagues at the same instant: every state change happens once.

Each test sends the same POST from two logged-in browsers released at the same instant (the
`run_at_once` barrier) and checks that one change, one history row, one reference and one
e-mail came of it, on SQLite and on PostgreSQL alike (TEST_DATABASE_URL).
"""

from __future__ import annotations

import threading
from datetime import date

import pytest
from sqlalchemy import func, select

from indsatsteam import clock, mail
from indsatsteam.domain.applications import ApplicationStatus
from indsatsteam.engagements.planning import create_engagement
from indsatsteam.extensions import db
from indsatsteam.models import (
    Application,
    ApplicationStatusChange,
    AuditEvent,
    Engagement,
    EngagementRecommendation,
    Meeting,
    Note,
    Notification,
    PhaseTransition,
    ReferenceCounter,
    Role,
    Task,
    Theme,
    User,
)

from helpers import aware, csrf_token, run_at_once


@pytest.fixture
def browsers(app, login):
    """browsers(user) → two clients logged in as `user` (None: anonymous), with their tokens."""

    def _browsers(user=None):
        pairs = []
        for _ in range(2):
            client = app.test_client()
            if user is not None:
                login(client, user)
            pairs.append((client, csrf_token(app, client)))
        return pairs

    return _browsers


def post_at_once(app, pairs, url: str, data: dict) -> list[tuple[int, str]]:
    """POST `data` to `url` from both browsers at the same instant: [(status, Location)]."""
    db.session.commit()  # the test's own session holds nothing while the two run
    pending, guard = list(pairs), threading.Lock()

    def job():
        with guard:
            client, token = pending.pop()
        response = client.post(url, data={**data, "csrf_token": token})
        return response.status_code, response.headers.get("Location", "")

    results = run_at_once(app, job)
    db.session.expire_all()
    assert len(results) == 2, results
    return results


def count(model, *where) -> int:
    return db.session.scalar(select(func.count()).select_from(model).where(*where))


def audited_changes(object_type: str, object_id: int, field: str) -> int:
    """How many recorded updates of the object changed `field`."""
    events = db.session.execute(select(AuditEvent).where(
        AuditEvent.object_type == object_type, AuditEvent.object_id == object_id,
        AuditEvent.action == "update")).scalars()
    return sum(1 for e in events if field in (e.changes or {}))


@pytest.fixture
def case(make_user, make_provider, make_round, make_application):
    clock.freeze(aware(2026, 11, 20, 9, 0))
    round_ = make_round(opens_at=aware(2026, 10, 1, 6, 0), closes_at=aware(2026, 12, 1, 11, 0))
    provider = make_provider(name="Bostedet Lyngen")
    applicant = make_user(Role.APPLICANT, email="ansat@lyngen.dk", provider=provider)
    draft = make_application(round_, provider, desired_start=date(2027, 2, 1))
    return dict(round=round_, provider=provider, applicant=applicant, draft=draft,
                manager=make_user(Role.MANAGER, name="Mette Leder"),
                lead=make_user(Role.CONSULTANT, name="Lea Lead"))


# --- the applicant ----------------------------------------------------------------------------

def test_a_double_click_on_indsend_submits_once(app, browsers, case):
    draft = case["draft"]
    results = post_at_once(app, browsers(case["applicant"]),
                           f"/ansoegninger/{draft.id}/indsend", {})

    receipt = f"/ansoegninger/{draft.id}/kvittering"
    assert results == [(302, receipt), (302, receipt)]
    application = db.session.get(Application, draft.id)
    assert application.status == ApplicationStatus.SUBMITTED
    assert application.reference == "IT-2026-0001"
    assert db.session.get(ReferenceCounter, 2026).last == 1  # no number drawn by the loser
    assert count(ApplicationStatusChange, ApplicationStatusChange.application_id == draft.id,
                 ApplicationStatusChange.to_status == ApplicationStatus.SUBMITTED) == 1
    # One receipt: to the submitter and to the contact person, once each.
    assert sorted(m["To"] for m in mail.outbox) == ["ansat@lyngen.dk", "kim@example.dk"]
    assert {m["Subject"] for m in mail.outbox} == {"Kvittering for ansøgning IT-2026-0001"}


def test_a_double_click_on_withdraw_withdraws_once(app, browsers, case, make_application,
                                                   make_provider):
    application = case["draft"]
    application.status, application.submitted_at = ApplicationStatus.SUBMITTED, clock.now()
    application.reference = "IT-2026-0042"
    db.session.commit()  # the logins' throttle counts in a connection of its own
    results = post_at_once(app, browsers(case["applicant"]),
                           f"/ansoegninger/{application.id}/traek-tilbage",
                           {"reason": "Vi har fået en ny leder"})

    assert [status for status, _ in results] == [302, 302]
    assert db.session.get(Application, application.id).status == ApplicationStatus.WITHDRAWN
    assert count(ApplicationStatusChange,
                 ApplicationStatusChange.application_id == application.id,
                 ApplicationStatusChange.to_status == ApplicationStatus.WITHDRAWN) == 1


# --- the manager --------------------------------------------------------------------------------

def _submitted(case):
    application = case["draft"]
    application.status, application.submitted_at = ApplicationStatus.SUBMITTED, clock.now()
    application.reference = "IT-2026-0042"
    return application


@pytest.mark.parametrize("outcome", ["approved", "rejected"])
def test_a_double_click_on_a_decision_decides_once(app, browsers, case, outcome):
    application = _submitted(case)
    db.session.commit()
    data = {"outcome": outcome, "message": "Tak for ansøgningen.",
            "lead_consultant_id": case["lead"].id, "second_consultant_id": "",
            "theme_ids": [t.id for t in application.themes], "planned_start": "2027-02-01",
            "duration_months": "6", "no_review_reason": "Hastesag: tilbuddet skal i gang nu."}
    results = post_at_once(app, browsers(case["manager"]),
                           f"/sagsbehandling/ansoegninger/{application.id}/afgoerelse", data)

    assert [status for status, _ in results] == [302, 302], results
    assert db.session.get(Application, application.id).status == outcome
    assert count(ApplicationStatusChange,
                 ApplicationStatusChange.application_id == application.id,
                 ApplicationStatusChange.to_status == outcome) == 1
    assert count(Engagement) == (1 if outcome == "approved" else 0)
    # The tilbud's user is told once, and the contact person without an account is mailed once.
    assert count(Notification, Notification.recipient_id == case["applicant"].id) == 1
    assert [m["To"] for m in mail.outbox
            if m["Subject"].startswith("Afgørelse")] == [application.contact_email]


# --- the forløb ---------------------------------------------------------------------------------

@pytest.fixture
def engagement(case):
    application = _submitted(case)
    application.status = ApplicationStatus.APPROVED
    themes = db.session.execute(select(Theme).order_by(Theme.position).limit(2)).scalars().all()
    engagement = create_engagement(
        application, lead_consultant_id=case["lead"].id, second_consultant_id=None,
        planned_start=date(2027, 2, 1), duration_months=6, theme_ids=[t.id for t in themes],
        actor=case["manager"])
    db.session.commit()
    return engagement


def test_a_double_click_on_a_phase_move_moves_once(app, browsers, case, engagement):
    results = post_at_once(app, browsers(case["manager"]), f"/forloeb/{engagement.id}/fase",
                           {"target": "paused", "comment": "Tilbuddet har ny ledelse"})

    assert [status for status, _ in results] == [302, 302]
    assert db.session.get(Engagement, engagement.id).phase == "paused"
    assert count(PhaseTransition, PhaseTransition.engagement_id == engagement.id,
                 PhaseTransition.to_phase == "paused") == 1


# --- forms that create something carry a key from the page that showed them (forms.py) ------

PAGE_KEY = "side-indlaest-en-gang-0001"
NEW_THINGS = {
    "opgave": ("opgaver/ny", Task, {"title": "Planlæg workshop", "phase": "startup",
                                    "owner_type": "consultant", "status": "not_started"}),
    "møde": ("moeder/nyt", Meeting, {"meeting_type": "kickoff", "starts_at": "2027-02-03T10:00",
                                     "location": "Tilbuddets mødelokale"}),
    "note": ("noter", Note, {"body": "Lederen ønsker et ekstra møde i marts."}),
}


def _things(model, engagement) -> int:
    return count(model, model.engagement_id == engagement.id)


@pytest.mark.parametrize("thing", NEW_THINGS)
def test_a_double_click_on_saving_a_new_thing_saves_one(app, browsers, case, engagement, thing):
    path, model, data = NEW_THINGS[thing]
    before = _things(model, engagement)
    results = post_at_once(app, browsers(case["lead"]), f"/forloeb/{engagement.id}/{path}",
                           {**data, "submission_key": PAGE_KEY})

    assert [status for status, _ in results] == [302, 302], results
    assert _things(model, engagement) == before + 1


@pytest.mark.parametrize("thing", NEW_THINGS)
def test_the_same_page_sent_again_later_saves_nothing_more(app, client, login, case, engagement,
                                                           thing):
    path, model, data = NEW_THINGS[thing]
    before = _things(model, engagement)
    login(client, case["lead"])
    form = {**data, "submission_key": PAGE_KEY, "csrf_token": csrf_token(app, client)}
    for _ in range(2):  # e.g. the browser's "send again" after the first answer
        assert client.post(f"/forloeb/{engagement.id}/{path}", data=form).status_code == 302

    assert _things(model, engagement) == before + 1


def test_two_page_loads_save_two_notes(app, client, login, case, engagement):
    login(client, case["lead"])
    token = csrf_token(app, client)
    for key in ("forste-side-0000000001", "anden-side-00000000002"):
        client.post(f"/forloeb/{engagement.id}/noter",
                    data={"body": "Samme tekst", "submission_key": key, "csrf_token": token})

    assert _things(Note, engagement) == 2


def test_a_refused_save_leaves_the_key_free_for_the_corrected_form(app, client, login, case,
                                                                   engagement):
    from indsatsteam.engagements import services

    login(client, case["lead"])
    form = {**NEW_THINGS["opgave"][2], "submission_key": PAGE_KEY,
            "csrf_token": csrf_token(app, client)}
    original = services.save_task

    def refuse(*args, **kwargs):
        raise services.DomainError("Forløbet er afsluttet", field="title")

    services.save_task = refuse
    try:
        refused = client.post(f"/forloeb/{engagement.id}/opgaver/ny", data=form)
    finally:
        services.save_task = original
    assert refused.status_code == 400
    assert PAGE_KEY in refused.get_data(as_text=True)  # the page keeps its key

    assert client.post(f"/forloeb/{engagement.id}/opgaver/ny", data=form).status_code == 302
    assert count(Task, Task.title == "Planlæg workshop") == 1


def test_the_new_forms_show_a_key_of_their_own(app, client, login, case, engagement):
    login(client, case["lead"])
    pages = [client.get(f"/forloeb/{engagement.id}/opgaver/ny").get_data(as_text=True)
             for _ in range(2)]

    keys = [page.split('name="submission_key" value="')[1].split('"')[0] for page in pages]
    assert len(set(keys)) == 2 and all(len(k) >= 16 for k in keys)


def test_a_double_click_on_a_task_status_changes_it_once(app, browsers, case, engagement):
    task = next(t for t in engagement.tasks if t.owner_type == "consultant")
    results = post_at_once(app, browsers(case["lead"]),
                           f"/forloeb/{engagement.id}/opgaver/{task.id}/status",
                           {"status": "done"})

    assert [status for status, _ in results] == [302, 302]
    assert db.session.get(Task, task.id).status == "done"
    assert audited_changes("task", task.id, "status") == 1


def test_a_double_click_on_the_tilbuds_task_status_changes_it_once(app, browsers, case,
                                                                   engagement):
    task = next(t for t in engagement.tasks if t.owner_type == "provider")
    results = post_at_once(app, browsers(case["applicant"]),
                           f"/vores-forloeb/{engagement.id}/opgaver/{task.id}/status",
                           {"status": "done"})

    assert [status for status, _ in results] == [302, 302]
    assert db.session.get(Task, task.id).status == "done"
    assert audited_changes("task", task.id, "status") == 1


def test_a_double_click_on_the_tilbuds_choice_chooses_once(app, browsers, case, engagement):
    engagement.phase = "analysis"
    db.session.commit()
    recommendations = engagement.catalogue.recommendations[:2]
    results = post_at_once(app, browsers(case["applicant"]),
                           f"/vores-forloeb/{engagement.id}/anbefalinger",
                           {"recommendation_ids": [r.id for r in recommendations]})

    assert [status for status, _ in results] == [302, 302], results
    assert count(EngagementRecommendation,
                 EngagementRecommendation.engagement_id == engagement.id) == 2


# --- the invitation -----------------------------------------------------------------------------

def _invited(app, case) -> tuple[User, str]:
    from indsatsteam.users.services import invite_user, make_invitation_token

    with app.test_request_context():
        user = invite_user("ny@indsatsteam.dk", "Nina Ny", Role.CONSULTANT, capacity=4)
        db.session.commit()
        return user, f"/invitation/{make_invitation_token(user)}"


def test_a_double_click_on_accepting_an_invitation_sets_the_password_once(app, browsers,
                                                                          case):
    from indsatsteam.auth.services import verify_password

    user, link = _invited(app, case)
    password = "en-lang-og-god-adgangskode"
    results = post_at_once(app, browsers(), link,
                           {"password": password, "password_repeat": password})

    assert results == [(302, "/log-ind"), (302, "/log-ind")]
    user = db.session.get(User, user.id)
    assert verify_password(user, password) and user.email_confirmed_at is not None
    assert audited_changes("user", user.id, "password_hash") == 1


def test_an_invitation_used_twice_at_once_with_two_passwords_is_used_once(app, case, browsers):
    from indsatsteam.auth.services import verify_password

    user, link = _invited(app, case)
    pairs = browsers()
    db.session.commit()
    passwords = iter(["første-lange-adgangskode", "anden-lange-adgangskode"])
    guard, pending = threading.Lock(), list(pairs)

    def job():
        with guard:
            client, token = pending.pop()
            password = next(passwords)
        response = client.post(link, data={"password": password, "password_repeat": password,
                                           "csrf_token": token})
        return response.status_code, password

    results = sorted(run_at_once(app, job))
    db.session.expire_all()
    assert [status for status, _ in results] == [302, 410]
    user = db.session.get(User, user.id)
    assert verify_password(user, results[0][1]) and not verify_password(user, results[1][1])


# --- the tilbud's colleagues, and the net under the rest -----------------------------------------

def test_a_double_click_on_accepting_a_colleague_invitation_joins_once(app, browsers, case,
                                                                        make_user):
    from indsatsteam.models import ProviderMembership
    from indsatsteam.providers import services as provider_services

    colleague = make_user(Role.APPLICANT, email="kollega@lyngen.dk")
    provider = case["provider"]
    token = provider_services._colleague_serializer().dumps(
        {"p": provider.id, "e": colleague.email, "i": case["applicant"].id})
    db.session.commit()
    results = post_at_once(app, browsers(colleague), f"/mit-tilbud/invitation/{token}", {})

    # The second click either sees the membership ("allerede tilknyttet", 400) or finds it
    # after the lock and says nothing new; never a second row.
    statuses = sorted(status for status, _ in results)
    assert statuses in ([302, 302], [302, 400])
    assert count(ProviderMembership, ProviderMembership.provider_id == provider.id,
                 ProviderMembership.user_id == colleague.id) == 1


def test_a_unique_row_inserted_twice_is_a_409_with_a_danish_page(app, client, post, login,
                                                                 case, monkeypatch):
    from sqlalchemy.exc import IntegrityError

    from indsatsteam.providers import services as provider_services

    def insert_twice(provider, inviter, email):
        raise IntegrityError("INSERT INTO provider_memberships …", {}, Exception("UNIQUE"))

    monkeypatch.setattr(provider_services, "invite_colleague", insert_twice)
    login(client, case["applicant"])
    response = post(client, f"/mit-tilbud/{case['provider'].id}/kolleger",
                    {"email": "kollega@lyngen.dk"})
    assert response.status_code == 409
    page = response.get_data(as_text=True)
    assert "Det er allerede gemt" in page and "dobbeltklik" in page


# --- administration and GDPR ---------------------------------------------------------------------

def test_two_admins_demoting_each_other_at_once_leave_one_admin(app, login, make_user):
    first, second = make_user(Role.ADMIN), make_user(Role.ADMIN)
    jobs = []
    for actor, target in ((first, second), (second, first)):
        client = app.test_client()
        login(client, actor)
        jobs.append((client, csrf_token(app, client), f"/admin/brugere/{target.id}/rolle"))
    db.session.commit()
    guard = threading.Lock()

    def job():
        with guard:
            client, token, url = jobs.pop()
        return client.post(url, data={"role": "manager", "csrf_token": token}).status_code

    statuses = sorted(run_at_once(app, job))
    db.session.expire_all()
    assert statuses[1] < 500, statuses
    assert count(User, User.role == Role.ADMIN, User.active.is_(True)) == 1


def test_a_double_click_on_handling_a_deletion_request_handles_it_once(app, browsers, case,
                                                                       make_user):
    from indsatsteam.models import DeletionRequest

    request = DeletionRequest(user=case["applicant"], reason="Jeg er stoppet",
                              requested_at=clock.now())
    db.session.add(request)
    db.session.commit()
    results = post_at_once(app, browsers(make_user(Role.ADMIN)),
                           f"/admin/sletteanmodninger/{request.id}",
                           {"action": "refuse", "response": "Vi skal gemme sagen i fem år"})

    assert sorted(status for status, _ in results)[0] == 302 and results[1][0] < 500
    assert db.session.get(DeletionRequest, request.id).status == "refused"
    assert [m["Subject"] for m in mail.outbox] == ["Svar på din anmodning om sletning"]


def test_a_double_click_on_requesting_deletion_opens_one_request(app, browsers, case):
    from indsatsteam.models import DeletionRequest

    results = post_at_once(app, browsers(case["applicant"]), "/min-profil/sletning",
                           {"reason": "Jeg er stoppet", "confirm": "y"})

    assert all(status < 500 for status, _ in results), results
    assert count(DeletionRequest, DeletionRequest.user_id == case["applicant"].id) == 1


def test_a_double_click_on_registering_a_tilbud_registers_one(app, browsers, make_user):
    from indsatsteam.models import Provider

    applicant = make_user(Role.APPLICANT, email="ny@tilbud.dk")
    data = {"name": "Bostedet Åen", "cvr": "10000009", "p_number": "", "kind": "sel107",
            "owner_type": "kommune", "municipality_code": "101", "address": "Åvej 1",
            "postal_code": "2100", "city": "København Ø", "contact_name": "Sofie Leder",
            "contact_email": "sofie@tilbud.dk", "contact_phone": "12345678"}
    results = post_at_once(app, browsers(applicant), "/mit-tilbud/registrer", data)

    assert all(status < 500 for status, _ in results), results
    assert count(Provider) == 1
