"""The audit trail: a row with from → to values for every kind of change, written by the
actor in the change's own transaction; append-only; searchable by admins; each object's
history for those who may see the object."""

from __future__ import annotations

import pytest
from sqlalchemy import delete, func, select, update

from indsatsteam import clock
from indsatsteam.audit import acting_as
from indsatsteam.audit.queries import history_for
from indsatsteam.domain.applications import ApplicationStatus
from indsatsteam.extensions import db
from indsatsteam.models import (
    AuditEvent,
    Engagement,
    PhaseTemplate,
    RecommendationCatalogue,
    ReminderRule,
    Role,
    Task,
    Theme,
    User,
)

from helpers import EXPECTATIONS_FORM, add_indicators, aware, field_error, text_of

NOW = aware(2026, 11, 20, 13, 3)  # 14.03 Danish time


def events(object_type: str | None = None, object_id: int | None = None,
           action: str | None = None) -> list[AuditEvent]:
    db.session.expire_all()
    query = select(AuditEvent).order_by(AuditEvent.id)
    if object_type:
        query = query.where(AuditEvent.object_type == object_type)
    if object_id is not None:
        query = query.where(AuditEvent.object_id == object_id)
    if action:
        query = query.where(AuditEvent.action == action)
    return list(db.session.execute(query).scalars())


def count_events() -> int:
    return db.session.execute(select(func.count()).select_from(AuditEvent)).scalar_one()


def themes() -> list[Theme]:
    return list(db.session.execute(select(Theme).order_by(Theme.position)).scalars())


@pytest.fixture
def case(make_user, make_provider, make_round, make_application):
    clock.freeze(NOW)
    provider = make_provider(name="Bostedet Lyngen", kind="sel108")
    round_ = make_round(name="Vinterrunden", opens_at=aware(2026, 10, 1, 6, 0),
                        closes_at=aware(2026, 11, 27, 11, 0))
    return dict(
        provider=provider, round=round_,
        applicant=make_user(Role.APPLICANT, provider=provider, name="Sofie Ansøger"),
        lead=make_user(Role.CONSULTANT, name="Lea Konsulent"),
        other=make_user(Role.CONSULTANT, name="Otto Konsulent"),
        manager=make_user(Role.MANAGER, name="Mona Leder"),
        admin=make_user(Role.ADMIN, name="Adam Admin"),
        make_application=make_application,
    )


@pytest.fixture
def engagement(case, make_round, make_engagement):
    past = make_round(opens_at=aware(2026, 3, 1, 6, 0), closes_at=aware(2026, 5, 1, 10, 0))
    return make_engagement(provider=case["provider"], round_=past, lead=case["lead"],
                           manager=case["manager"], themes=themes()[:1])


# --- applications ---------------------------------------------------------------------------

def test_draft_save_submit_and_themes_are_recorded_with_the_applicant(
        client, post, login, case):
    draft = case["make_application"](case["round"], case["provider"])
    login(client, case["applicant"])
    response = post(client, f"/ansoegninger/{draft.id}/trin/3", {
        "participants": "Leder og 6 medarbejdere", "participant_count": "7",
        "hours_per_month": "12", "management_anchoring": "Forstanderen følger op"})
    assert response.status_code == 302, text_of(response)
    update_ = events("application", draft.id, "update")[-1]
    assert update_.actor_id == case["applicant"].id
    assert update_.changes["participants"] == ["Leder og personale", "Leder og 6 medarbejdere"]
    assert update_.changes["participant_count"] == [5, 7]
    assert update_.object_label == f"Ansøgning {draft.id}"

    new_themes = themes()[3:5]
    response = post(client, f"/ansoegninger/{draft.id}/trin/2", {
        "themes": [t.id for t in new_themes], "duration_months": "6",
        "desired_start": "2027-01-15"})
    assert response.status_code == 302, text_of(response)
    change = events("application", draft.id, "update")[-1].changes
    assert change["themes"] == [sorted(t.code for t in themes()[:2]),
                                sorted(t.code for t in new_themes)]
    assert change["desired_start"][1] == "2027-01-15"

    response = post(client, f"/ansoegninger/{draft.id}/indsend", {"confirm": "y"})
    assert response.status_code == 302, text_of(response)
    # The reference is counted in a query, which flushes the status first: two rows.
    reference, status = events("application", draft.id, "update")[-1:-3:-1]
    assert status.changes["status"] == ["draft", "submitted"]
    assert reference.changes["reference"][0] is None
    assert status.actor_id == reference.actor_id == case["applicant"].id
    assert status.request_id == reference.request_id != ""


def test_personal_fields_are_recorded_as_changed_without_their_values(case):
    draft = case["make_application"](case["round"], case["provider"])
    draft.contact_email = "ny@lyngen.dk"
    draft.contact_phone = "87654321"
    db.session.commit()
    changes = events("application", draft.id, "update")[-1].changes
    assert changes["contact_email"] == ["[ændret]", "[ændret]"]
    assert "ny@lyngen.dk" not in str(events())
    created = events("application", draft.id, "create")[0].changes
    assert created["contact_name"] == [None, "[ændret]"]
    assert created["themes"] == [None, sorted(t.code for t in themes()[:2])]


# --- decisions ------------------------------------------------------------------------------

def _decide(post, client, application, **values):
    data = {"outcome": "approved", "message": "Velkommen.", "second_consultant_id": "",
            "theme_ids": [t.id for t in application.themes], "planned_start": "2027-02-01",
            "duration_months": "6", "no_review_reason": "Hastesag."}
    data.update(values)
    return post(client, f"/sagsbehandling/ansoegninger/{application.id}/afgoerelse", data)


def test_approval_records_the_decision_and_the_new_engagement(client, post, login, case):
    application = case["make_application"](case["round"], case["provider"],
                                           status=ApplicationStatus.SUBMITTED)
    login(client, case["manager"])
    response = _decide(post, client, application, lead_consultant_id=case["lead"].id)
    assert response.status_code == 302, text_of(response)

    decision = events("application", application.id, "update")[-1]
    assert decision.actor_id == case["manager"].id
    assert decision.changes["status"] == ["submitted", "approved"]
    assert decision.changes["decided_by_id"] == [None, case["manager"].id]
    assert decision.changes["decision_message"] == ["", "Velkommen."]
    engagement = db.session.execute(select(Engagement)).scalar_one()
    created = events("engagement", engagement.id, "create")
    assert len(created) == 1 and created[0].actor_id == case["manager"].id
    assert created[0].changes["lead_consultant_id"] == [None, case["lead"].id]
    assert created[0].changes["themes"][1] == sorted(t.code for t in application.themes)
    assert created[0].changes["planned_start"] == [None, "2027-02-01"]
    # Its phase plans and standard tasks come with ids of their own.
    assert {e.object_type for e in events(action="create")} >= {"phase_plan", "task",
                                                                 "phase_transition"}
    assert all(e.object_id for e in events(action="create"))


def test_rejection_is_recorded(client, post, login, case):
    application = case["make_application"](case["round"], case["provider"],
                                           status=ApplicationStatus.IN_REVIEW)
    login(client, case["manager"])
    response = _decide(post, client, application, outcome="rejected", message="Desværre.",
                       lead_consultant_id="", planned_start="")
    assert response.status_code == 302, text_of(response)
    decision = events("application", application.id, "update")[-1]
    assert decision.changes["status"] == ["in_review", "rejected"]
    assert decision.actor_id == case["manager"].id
    assert not events("engagement")


# --- engagements, phases and tasks ----------------------------------------------------------

def test_consultant_change_and_replan_are_recorded(client, post, login, case, engagement):
    with acting_as(case["manager"].id):
        engagement.second_consultant_id = case["other"].id
        engagement.lead_consultant_id = case["other"].id
        db.session.commit()
    change = events("engagement", engagement.id, "update")[-1]
    assert change.actor_id == case["manager"].id
    assert change.changes["lead_consultant_id"] == [case["lead"].id, case["other"].id]
    assert change.changes["second_consultant_id"] == [None, case["other"].id]

    login(client, case["other"])
    response = post(client, f"/forloeb/{engagement.id}/plan",
                    {"planned_start": "2027-01-04", "duration_months": "8"})
    assert response.status_code == 302, text_of(response)
    replan = events("engagement", engagement.id, "update")[-1]
    assert replan.actor_id == case["other"].id
    assert replan.changes["planned_start"] == ["2026-12-01", "2027-01-04"]
    assert replan.changes["duration_months"] == [6, 8]
    assert events("phase_plan", action="update")


def test_phase_move_and_tasks_are_recorded(client, post, login, case, engagement):
    login(client, case["lead"])
    base = f"/forloeb/{engagement.id}"
    assert post(client, base + "/moeder/nyt", {
        "meeting_type": "kickoff", "starts_at": "2026-11-19T10:00", "location": "Tilbuddet",
        "participants": "Leder", "minutes": "Forventninger afstemt", "held": "y"}
    ).status_code == 302
    add_indicators(engagement)
    assert post(client, base + "/samarbejdsaftale", {
        **EXPECTATIONS_FORM, "agreed": "y"}).status_code == 302
    response = post(client, base + "/fase", {"target": "analysis", "comment": "Klar"})
    assert response.status_code == 302
    db.session.refresh(engagement)
    assert engagement.phase == "analysis"
    move = events("engagement", engagement.id, "update")[-1]
    assert move.changes["phase"] == ["startup", "analysis"]
    assert move.actor_id == case["lead"].id
    transition = events("phase_transition", action="create")[-1]
    assert transition.changes["to_phase"] == [None, "analysis"]
    assert events("meeting", action="create") and events("agreement", action="create")

    response = post(client, base + "/opgaver/ny", {
        "title": "Besøg på tilbuddet", "phase": "analysis", "owner_type": "consultant",
        "owner_user_id": str(case["lead"].id), "due_date": "2027-02-10",
        "status": "not_started"})
    assert response.status_code == 302, text_of(response)
    task = db.session.execute(select(Task).where(Task.title == "Besøg på tilbuddet")
                              ).scalar_one()
    created = events("task", task.id, "create")[0]
    assert created.changes["title"] == [None, "Besøg på tilbuddet"]
    assert created.actor_id == case["lead"].id

    response = post(client, base + f"/opgaver/{task.id}", {
        "title": "Besøg på tilbuddet", "phase": "analysis", "owner_type": "consultant",
        "owner_user_id": str(case["lead"].id), "due_date": "2027-02-17",
        "status": "not_started"})
    assert response.status_code == 302, text_of(response)
    assert events("task", task.id, "update")[-1].changes["due_date"] == [
        "2027-02-10", "2027-02-17"]

    post(client, base + f"/opgaver/{task.id}/status", {"status": "done"})
    status = events("task", task.id, "update")[-1]
    assert status.changes["status"] == ["not_started", "done"]
    assert status.changes["completed_by_id"] == [None, case["lead"].id]


# --- users and configuration ----------------------------------------------------------------

def test_role_change_and_deactivation_are_recorded(case):
    user = case["other"]
    with acting_as(case["admin"].id):
        user.role = Role.MANAGER
        db.session.commit()
        user.active = False
        user.deactivated_at = clock.now()
        db.session.commit()
    role, deactivation = events("user", user.id, "update")[-2:]
    assert role.changes == {"role": ["consultant", "manager"]}
    assert role.actor_id == deactivation.actor_id == case["admin"].id
    assert deactivation.changes["active"] == [True, False]
    assert deactivation.changes["deactivated_at"][1] == NOW.isoformat()
    assert [e.id for e in history_for("user", user.id).rows][:2] == [deactivation.id, role.id]


def test_catalogue_shares_and_reminder_days_are_recorded(client, post, login, case):
    login(client, case["admin"])
    old = db.session.execute(select(RecommendationCatalogue).where(
        RecommendationCatalogue.code == "botilbud")).scalar_one()
    data = {"title": old.title}
    for i, r in enumerate(old.recommendations):
        data[f"items-{i}-title"], data[f"items-{i}-text"] = r.title, r.text
    data["items-0-title"] = "Se borgeren som ekspert i sit eget liv"
    assert post(client, "/admin/kataloger/botilbud", data).status_code == 302
    new = db.session.execute(select(RecommendationCatalogue).where(
        RecommendationCatalogue.code == "botilbud", RecommendationCatalogue.version == 2)
    ).scalar_one()
    assert events("catalogue", new.id, "create")[0].actor_id == case["admin"].id
    assert events("catalogue", old.id, "update")[-1].changes["is_current"] == [True, False]
    assert any(e.changes.get("title") == [None, "Se borgeren som ekspert i sit eget liv"]
               for e in events("recommendation", action="create"))

    assert post(client, "/admin/faseskabelon/andele",
                {"startup": "25", "analysis": "25", "development": "50"}).status_code == 302
    shares = {e.object_label: e.changes for e in events("phase_template", action="update")}
    startup = db.session.execute(select(PhaseTemplate).where(PhaseTemplate.phase == "startup")
                                 ).scalar_one()
    assert any(c.get("share_percent", [None, None])[1] == 25 for c in shares.values())
    assert events("phase_template", startup.id, "update")[-1].actor_id == case["admin"].id

    data = {}
    for rule in db.session.execute(select(ReminderRule)).scalars():
        data[f"days_{rule.code}"], data[f"enabled_{rule.code}"] = rule.days, "y"
    before = data["days_task_due"]
    data["days_task_due"] = "14,7,1"
    assert post(client, "/admin/paamindelser", data).status_code == 302
    rule = db.session.execute(select(ReminderRule).where(ReminderRule.code == "task_due")
                              ).scalar_one()
    [change] = events("reminder_rule", rule.id, "update")
    assert change.changes == {"days": [before, "14,7,1"]}


# --- the same transaction, and nothing for nothing ------------------------------------------

def test_a_rolled_back_change_leaves_no_audit_row(case):
    before = count_events()
    case["other"].role = Role.MANAGER
    db.session.flush()
    assert count_events() == before + 1  # written in the flush, inside the transaction
    db.session.rollback()
    assert count_events() == before
    assert db.session.get(User, case["other"].id).role == Role.CONSULTANT


def test_pages_that_change_nothing_write_nothing(client, login, case, engagement):
    login(client, case["lead"])
    before = count_events()
    for url in (f"/forloeb/{engagement.id}", "/forloeb/", "/sagsbehandling/ansoegninger",
                f"/forloeb/{engagement.id}/historik"):
        assert client.get(url).status_code == 200
    assert count_events() == before


def test_deleting_records_what_was_deleted(case, engagement):
    task = engagement.tasks[0]
    with acting_as(case["lead"].id):
        db.session.delete(task)
        db.session.commit()
    [gone] = events("task", task.id, "delete")
    assert gone.changes["title"] == [task.title, None]
    assert gone.object_label == task.title and gone.actor_id == case["lead"].id


# --- append-only ----------------------------------------------------------------------------

def test_no_audit_row_can_be_edited_or_deleted_through_the_orm(case):
    event = events()[0]
    event.action = "delete"
    with pytest.raises(PermissionError):
        db.session.commit()
    db.session.rollback()
    db.session.delete(events()[0])
    with pytest.raises(PermissionError):
        db.session.commit()
    db.session.rollback()
    with pytest.raises(PermissionError):
        db.session.execute(update(AuditEvent).values(action="x"))
    db.session.rollback()
    with pytest.raises(PermissionError):
        db.session.execute(delete(AuditEvent))
    db.session.rollback()
    assert count_events() > 0 and not events(action="x")


def test_the_retention_job_can_still_delete_old_rows_with_core(case):
    total = count_events()
    db.session.execute(AuditEvent.__table__.delete().where(AuditEvent.id == events()[0].id))
    db.session.commit()
    assert count_events() == total - 1


def test_no_route_changes_the_audit_trail(app):
    audit_rules = [rule for rule in app.url_map.iter_rules()
                   if rule.endpoint.startswith("audit.")
                   or "revision" in rule.rule or "historik" in rule.rule]
    assert len(audit_rules) >= 3
    assert all(rule.methods <= {"GET", "HEAD", "OPTIONS"} for rule in audit_rules)


# --- the admin's search and each object's history -------------------------------------------

def test_admin_searches_by_user_object_and_period(client, login, case, engagement):
    with acting_as(case["admin"].id):
        case["other"].role = Role.MANAGER
        db.session.commit()
    login(client, case["admin"])
    page = client.get(f"/admin/revision?bruger={case['admin'].id}")
    text = text_of(page)
    assert page.status_code == 200
    assert "20. november 2026 kl. 14.03" in text and "Adam Admin" in text
    assert "Bruger: Bruger" in text and "Rolle consultant manager" in text
    # The admin's own login is in the trail too: method and outcome, no personal data.
    assert "2 ændringer, nyeste først" in text
    assert "Login: password" in text and "Logget ind" in text
    assert "Login-metode Tom password" in text and "Udfald Tom success" in text

    page = text_of(client.get(f"/admin/revision?objekttype=engagement&objekt_id={engagement.id}"))
    assert "1 ændring" in page and "Mona Leder" in page and "Oprettet" in page
    # The admin cannot open a forløb (403), so the trail names it without a link.
    assert f'href="/forloeb/{engagement.id}"' not in client.get(
        "/admin/revision?objekttype=engagement").get_data(as_text=True)
    assert "Planlagt start" in page

    assert "Der er ingen ændringer at vise" in text_of(
        client.get("/admin/revision?fra=2026-11-21"))
    assert "Der er ingen ændringer at vise" not in text_of(client.get(
        "/admin/revision?fra=2026-11-20&til=2026-11-20"))


def test_system_and_anonymised_users_and_danish_validation(client, login, case):
    with acting_as(None):
        case["lead"].capacity = 4
        db.session.commit()
    with acting_as(case["other"].id):
        case["lead"].capacity = 5
        db.session.commit()
    case["other"].anonymised_at = clock.now()
    case["other"].name = "Anonym"
    db.session.commit()
    login(client, case["admin"])
    text = text_of(client.get(f"/admin/revision?objekttype=user&objekt_id={case['lead'].id}"))
    assert "System" in text and "Anonymiseret bruger" in text
    assert "Kapacitet 6 4" in text and "Kapacitet 4 5" in text

    response = client.get("/admin/revision?fra=2026-11-21&til=2026-11-20&objekt_id=0")
    assert response.status_code == 400
    assert field_error(response, "til") == \
        "Til-datoen skal være samme dag som fra-datoen eller senere"
    assert field_error(response, "objekt_id") == "Indtast et id større end 0"
    assert field_error(client.get("/admin/revision?fra=igaar"), "fra") == \
        "Indtast en gyldig dato"


def test_history_pages_for_the_team(client, post, login, case, engagement, make_user):
    application = case["make_application"](case["round"], case["provider"],
                                           status=ApplicationStatus.SUBMITTED)
    with acting_as(case["manager"].id):
        application.status = ApplicationStatus.IN_REVIEW
        db.session.commit()
    login(client, case["lead"])
    page = client.get(f"/sagsbehandling/ansoegninger/{application.id}")
    assert f"/sagsbehandling/ansoegninger/{application.id}/historik" in page.get_data(
        as_text=True)
    text = text_of(client.get(f"/sagsbehandling/ansoegninger/{application.id}/historik"))
    assert "Ændringslog for ansøgning" in text and "Mona Leder" in text
    assert "Status submitted in_review" in text

    text = text_of(client.get(f"/forloeb/{engagement.id}/historik"))
    assert "Ændringslog for forløbet med Bostedet Lyngen" in text
    assert "Opgave" in text and "Faseplan" in text
    post(client, "/log-ud")
    login(client, make_user(Role.CONSULTANT))
    assert client.get(f"/forloeb/{engagement.id}/historik").status_code == 404


# --- Danish labels ------------------------------------------------------------------------------

def test_every_recorded_field_has_a_danish_label():
    from sqlalchemy import inspect

    from indsatsteam.audit.queries import FIELD_LABELS
    from indsatsteam.audit.trail import AUDITED, IGNORED

    missing = []
    for cls, spec in AUDITED.items():
        keys = [c.key for c in inspect(cls).column_attrs
                if c.key not in IGNORED and c.key not in spec.ignored]
        missing += [f"{spec.object_type}.{key}" for key in (*keys, *spec.collections)
                    if key not in FIELD_LABELS]
    assert not missing


def test_the_trail_shows_labels_not_column_names(client, login, make_user):
    from indsatsteam.models import RecommendationCatalogue

    catalogue = db.session.execute(select(RecommendationCatalogue)).scalars().first()
    with acting_as(None):
        catalogue.is_current = False
        db.session.commit()
    login(client, make_user(Role.ADMIN))
    page = text_of(client.get("/admin/revision"))
    assert "Gældende Ja Nej" in page
    assert "is_current" not in page
