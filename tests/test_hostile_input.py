"""Hostile input on every form route: never a 5xx, and no refused value in the database.

Every POST rule of the app is listed here with its rightful user and the page its form is
on (a new route fails `test_every_post_route_is_covered` until it is added). For each route
the test reads the form's own fields and values from the page, then posts it again and again
with one field at a time replaced by a hostile value (huge and negative integers, control
characters, 10 000 characters, emoji, invalid and DST-skipped dates, a list for one value).
No answer may be a 5xx, and afterwards no table may hold a value a validator refuses.
Runs on SQLite and, with TEST_DATABASE_URL, on PostgreSQL.
"""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hostile_helpers import HOSTILE_VALUES, forms_on, refused_values_in_database
from werkzeug.datastructures import MultiDict

from indsatsteam import clock
from indsatsteam.auth.services import RESET_PURPOSE, make_token
from indsatsteam.domain.applications import ApplicationStatus
from indsatsteam.engagements.planning import create_engagement
from indsatsteam.extensions import db
from indsatsteam.models import (
    DeletionRequest,
    Meeting,
    Notification,
    PhaseTemplate,
    ProviderMembership,
    Review,
    Role,
    TaskTemplate,
    Theme,
)
from indsatsteam.users.services import invite_user, make_invitation_token

from helpers import aware, csrf_token

# rule → (rightful user, the page its form is on; None: the rule's own URL). Values in braces
# are filled in from the world below.
ROUTES: dict[str, tuple[str | None, str | None]] = {
    "/admin/brugere/<int:user_id>/anonymiser": ("admin", None),
    "/admin/brugere/<int:user_id>/deaktiver": ("admin", "/admin/brugere/{user_id}"),
    "/admin/brugere/<int:user_id>/genaktiver": ("admin", "/admin/brugere/{deactivated_id}"),
    "/admin/brugere/<int:user_id>/inviter-igen": ("admin", "/admin/brugere/{invited_id}"),
    "/admin/brugere/<int:user_id>/kapacitet": ("admin", "/admin/brugere/{user_id}"),
    "/admin/brugere/<int:user_id>/nulstil-adgangskode": ("admin", "/admin/brugere/{user_id}"),
    "/admin/brugere/<int:user_id>/rolle": ("admin", "/admin/brugere/{user_id}"),
    "/admin/brugere/inviter": ("admin", None),
    "/admin/faseskabelon/<int:phase_template_id>/opgaver/<int:task_template_id>": ("admin", None),
    "/admin/faseskabelon/<int:phase_template_id>/opgaver/ny": ("admin", None),
    "/admin/faseskabelon/andele": ("admin", "/admin/"),
    "/admin/faseskabelon/opgaver/<int:task_template_id>/slet": ("admin", "/admin/"),
    "/admin/indikatorer/<int:indicator_number>/ret": ("admin", None),
    "/admin/indikatorer/<int:indicator_number>/traek-tilbage": ("admin", "/admin/indikatorer"),
    "/admin/indikatorer/ny": ("admin", None),
    "/admin/kataloger/<code>": ("admin", None),
    "/admin/metoder": ("admin", None),
    "/admin/opbevaring": ("admin", None),
    "/admin/paamindelser": ("admin", None),
    "/admin/runder/<int:round_id>": ("admin", None),
    "/admin/runder/<int:round_id>/luk": ("admin", None),
    "/admin/runder/ny": ("admin", None),
    "/admin/sletteanmodninger/<int:request_id>": ("admin", None),
    "/admin/temaer": ("admin", None),
    "/ansoegninger/<int:application_id>/bilag": ("applicant", None),
    "/ansoegninger/<int:application_id>/indsend": ("applicant",
                                                   "/ansoegninger/{application_id}/tjek"),
    "/ansoegninger/<int:application_id>/traek-tilbage": ("applicant", None),
    "/ansoegninger/<int:application_id>/trin/<int:number>": ("applicant", None),
    "/forloeb/<int:engagement_id>/analyse": ("lead", None),
    "/forloeb/<int:engagement_id>/anbefalinger": ("lead", None),
    "/forloeb/<int:engagement_id>/evaluering": ("lead", None),
    "/forloeb/<int:engagement_id>/fase": ("lead", "/forloeb/{engagement_id}"),
    "/forloeb/<int:engagement_id>/metoder": ("lead", None),
    "/forloeb/<int:engagement_id>/milepaele/<int:milestone_id>/opgave": (
        "lead", "/forloeb/{engagement_id}"),
    "/forloeb/<int:engagement_id>/udviklingsplan/<int:row_id>": ("lead", None),
    "/forloeb/<int:engagement_id>/filer": ("lead", None),
    "/forloeb/<int:engagement_id>/moeder/<int:meeting_id>": ("lead", None),
    "/forloeb/<int:engagement_id>/moeder/nyt": ("lead", None),
    "/forloeb/<int:engagement_id>/noter": ("lead", "/forloeb/{engagement_id}"),
    "/forloeb/<int:engagement_id>/opgaver/<int:task_id>": ("lead", None),
    "/forloeb/<int:engagement_id>/opgaver/<int:task_id>/status": ("lead",
                                                                  "/forloeb/{engagement_id}"),
    "/forloeb/<int:engagement_id>/opgaver/ny": ("lead", None),
    "/forloeb/<int:engagement_id>/plan": ("lead", None),
    "/forloeb/<int:engagement_id>/samarbejdsaftale": ("lead", None),
    "/forloeb/<int:engagement_id>/indikatorer": ("lead", None),
    "/forloeb/<int:engagement_id>/slutmaaling": ("lead", None),
    "/forloeb/<int:engagement_id>/opfoelgning": ("lead", None),
    "/forloeb/<int:engagement_id>/udbytte": ("lead", None),
    "/glemt-adgangskode": (None, None),
    "/invitation/<token>": (None, None),
    "/kalender/forny": ("applicant", "/kalender"),
    "/log-ind": (None, None),
    "/log-ud": ("applicant", "/"),
    "/log-ud-alle-steder": ("applicant", "/min-profil"),
    "/min-profil/adgangskode": ("applicant", None),
    "/min-profil/sletning": ("applicant", "/min-profil"),
    "/mit-tilbud/<int:provider_id>/kolleger": ("applicant", "/mit-tilbud/"),
    "/mit-tilbud/<int:provider_id>/rediger": ("applicant", None),
    "/mit-tilbud/registrer": ("applicant", None),
    "/notifikationer/<int:notification_id>/laest": ("applicant", "/notifikationer/"),
    "/notifikationer/indstillinger": ("applicant", None),
    "/notifikationer/laest": ("applicant", "/notifikationer/"),
    "/nulstil-adgangskode/<token>": (None, None),
    "/opret-bruger": (None, None),
    "/runder/<int:round_id>/ansoeg": ("applicant", "/"),
    "/sagsbehandling/ansoegninger/<int:application_id>/afgoerelse": ("manager", None),
    "/sagsbehandling/ansoegninger/<int:application_id>/bedoemmere": (
        "manager", "/sagsbehandling/ansoegninger/{application_id}"),
    "/sagsbehandling/ansoegninger/<int:application_id>/vurdering": ("lead", None),
    "/vores-forloeb/<int:engagement_id>/anbefalinger": ("applicant", None),
    "/vores-forloeb/<int:engagement_id>/filer": ("applicant", None),
    "/vores-forloeb/<int:engagement_id>/forventninger": ("applicant", None),
    "/vores-forloeb/<int:engagement_id>/milepaele/<int:milestone_id>/opgave": (
        "applicant", "/vores-forloeb/{engagement_id}"),
    "/vores-forloeb/<int:engagement_id>/udviklingsplan/<int:row_id>": ("applicant", None),
    "/vores-forloeb/<int:engagement_id>/opgaver/<int:task_id>/status": (
        "applicant", "/vores-forloeb/{engagement_id}"),
    "/vores-forloeb/<int:engagement_id>/selvevaluering": ("applicant", None),
    "/vores-forloeb/<int:engagement_id>/indikatorer": ("applicant", None),
    "/vores-forloeb/<int:engagement_id>/slutmaaling": ("applicant", None),
    "/vores-forloeb/<int:engagement_id>/opfoelgning": ("applicant", None),
    "/vores-forloeb/<int:engagement_id>/udbytte": ("applicant", None),
}
# Rules posted to without a form on any page: the fields they read, and why.
WITHOUT_PAGE = {
    "/session/forlaeng": ("applicant", {}, "posted by the page's script; carries only the "
                                           "CSRF token"),
    # Their forms appear only once a file or an issued document exists (tests/test_attachments
    # and tests/test_documents post them); here an unknown id or link must still never 500.
    "/filer/<int:attachment_id>/slet": ("applicant", {}, "a file's delete button"),
    "/forloeb/<int:engagement_id>/dokumenter/<kind>": ("lead", {}, "re-issue a document"),
    "/sagsbehandling/ansoegninger/<int:application_id>/afgoerelsesbrev": (
        "manager", {}, "re-issue the decision letter"),
    "/mit-tilbud/invitation/<token>": ("applicant", {}, "the link in a colleague invitation"),
}
# The application each route acts on: the draft, the submitted one, or the approved one.
APPLICATION_FOR = {
    "/ansoegninger/<int:application_id>/bilag": "draft",
    "/ansoegninger/<int:application_id>/indsend": "draft",
    "/ansoegninger/<int:application_id>/trin/<int:number>": "draft",
    "/ansoegninger/<int:application_id>/traek-tilbage": "submitted",
}


# Where a route needs another object than the default one of its kind.
OTHER_OBJECT = {
    "/nulstil-adgangskode/<token>": {"token": "reset_token"},
    "/admin/runder/<int:round_id>": {"round_id": "future_round_id"},
    "/admin/brugere/<int:user_id>/genaktiver": {"user_id": "deactivated_id"},
    "/admin/brugere/<int:user_id>/inviter-igen": {"user_id": "invited_id"},
    # The development plans' forms are shown in the development phase.
    **{rule: {"engagement_id": "development_engagement_id"} for rule in (
        "/forloeb/<int:engagement_id>/milepaele/<int:milestone_id>/opgave",
        "/forloeb/<int:engagement_id>/udviklingsplan/<int:row_id>",
        "/vores-forloeb/<int:engagement_id>/milepaele/<int:milestone_id>/opgave",
        "/vores-forloeb/<int:engagement_id>/udviklingsplan/<int:row_id>",
        "/forloeb/<int:engagement_id>/slutmaaling", "/forloeb/<int:engagement_id>/udbytte",
        "/vores-forloeb/<int:engagement_id>/slutmaaling",
        "/vores-forloeb/<int:engagement_id>/udbytte")},
    # The follow-up's form is shown in a completed forløb from its date.
    **{rule: {"engagement_id": "completed_engagement_id"} for rule in (
        "/forloeb/<int:engagement_id>/opfoelgning",
        "/vores-forloeb/<int:engagement_id>/opfoelgning")},
}


def post_rules(app) -> list[str]:
    return sorted({r.rule for r in app.url_map.iter_rules() if "POST" in r.methods})


def test_every_post_route_is_covered(app):
    missing = [rule for rule in post_rules(app) if rule not in ROUTES and rule
               not in WITHOUT_PAGE]
    assert not missing, f"add these POST routes to ROUTES in {__name__}: {missing}"
    stale = [rule for rule in (*ROUTES, *WITHOUT_PAGE) if rule not in post_rules(app)]
    assert not stale, stale


@pytest.fixture
def world(make_user, make_provider, make_round, make_application):
    """One of everything, each in a state where its forms are shown."""
    clock.freeze(aware(2026, 11, 20, 9, 0))
    now = clock.now()
    round_ = make_round(name="Vinterrunden", opens_at=now - timedelta(days=30),
                        closes_at=now + timedelta(days=10))
    future = make_round(name="Forårsrunden", opens_at=now + timedelta(days=60),
                        closes_at=now + timedelta(days=90))
    # The applicant's tilbud: one with a draft, one submitted, one in a forløb, one to apply.
    provider, provider2, provider3, provider4 = (make_provider(name=f"Bostedet {n}")
                                                 for n in "ABCD")
    applicant = make_user(Role.APPLICANT, email="ansat@bostedet.dk", name="Ane Ansat",
                          provider=provider)
    for other in (provider2, provider3, provider4):
        db.session.add(ProviderMembership(user=applicant, provider=other))
    admin = make_user(Role.ADMIN, name="Adam Admin")
    manager = make_user(Role.MANAGER, name="Mette Leder")
    lead = make_user(Role.CONSULTANT, name="Lea Lead")
    colleague = make_user(Role.CONSULTANT, name="Carl Kollega")
    deactivated = make_user(Role.CONSULTANT, name="Dorte Deaktiveret")
    deactivated.active = False
    draft = make_application(round_, provider, desired_start=date(2027, 2, 1))
    submitted = make_application(round_, provider2, status=ApplicationStatus.SUBMITTED,
                                 desired_start=date(2027, 2, 1))
    db.session.add(Review(application=submitted, reviewer=lead, assigned_by=manager,
                          assigned_at=now))
    submitted.status = ApplicationStatus.IN_REVIEW
    approved = make_application(round_, provider3, status=ApplicationStatus.APPROVED,
                                desired_start=date(2027, 2, 1))
    themes = db.session.query(Theme).order_by(Theme.position).limit(2).all()
    engagement = create_engagement(
        approved, lead_consultant_id=lead.id, second_consultant_id=None,
        planned_start=date(2027, 2, 1), duration_months=6, theme_ids=[t.id for t in themes],
        actor=manager)
    engagement.phase = "analysis"
    db.session.flush()
    meeting = Meeting(engagement=engagement, meeting_type="kickoff",
                      starts_at=aware(2026, 11, 10, 9, 0), held=True, location="Tilbuddet")
    db.session.add(meeting)
    engagement.recommendations  # noqa: B018 (loaded before the proposal below)
    from indsatsteam.models import EngagementRecommendation

    for rec in engagement.catalogue.recommendations[:2]:
        engagement.recommendations.append(EngagementRecommendation(
            recommendation=rec, proposed_by=lead, proposed_at=now, chosen_at=now,
            chosen_by=applicant))
    # A second forløb, in the development phase, with a plan and a milestone for its choice.
    last_year = make_round(name="Sidste år", opens_at=now - timedelta(days=400),
                           closes_at=now - timedelta(days=350))
    approved4 = make_application(last_year, provider4, status=ApplicationStatus.APPROVED,
                                 desired_start=date(2027, 2, 1))
    developing = create_engagement(
        approved4, lead_consultant_id=lead.id, second_consultant_id=None,
        planned_start=date(2027, 2, 1), duration_months=6, theme_ids=[t.id for t in themes],
        actor=manager)
    developing.phase = "development"
    db.session.flush()
    from indsatsteam.models import DevelopmentPlan, PlanMilestone

    chosen = EngagementRecommendation(
        recommendation=developing.catalogue.recommendations[0], proposed_by=lead,
        proposed_at=now, chosen_at=now, chosen_by=applicant)
    developing.recommendations.append(chosen)
    plan = DevelopmentPlan(engagement=developing, engagement_recommendation=chosen,
                           changes="Borgerne sætter mål")
    plan.milestones.append(PlanMilestone(title="Første opfølgning",
                                         due_date=date(2027, 3, 1)))
    db.session.add(plan)
    # Documented effect: an agreed indicator in the developing forløb, and a completed forløb
    # whose follow-up is due.
    from indsatsteam.measurements.services import current_indicators
    from indsatsteam.models import EngagementIndicator

    indicator = current_indicators()[0]
    developing.indicators.append(EngagementIndicator(
        indicator=indicator, baseline_value=40, baseline_date=date(2026, 11, 1),
        target_value=60))
    provider5 = make_provider(name="Bostedet E")
    db.session.add(ProviderMembership(user=applicant, provider=provider5))
    approved5 = make_application(last_year, provider5, status=ApplicationStatus.APPROVED,
                                 desired_start=date(2026, 1, 5))
    completed = create_engagement(
        approved5, lead_consultant_id=lead.id, second_consultant_id=None,
        planned_start=date(2026, 1, 5), duration_months=4, theme_ids=[t.id for t in themes],
        actor=manager)
    completed.phase, completed.actual_end = "completed", date(2026, 5, 1)
    completed.follow_up_due = date(2026, 11, 1)
    completed.indicators.append(EngagementIndicator(
        indicator=indicator, baseline_value=40, baseline_date=date(2026, 1, 5),
        target_value=60, end_value=55, end_date=date(2026, 5, 1)))
    completed.recommendations.append(EngagementRecommendation(
        recommendation=completed.catalogue.recommendations[0], chosen_at=now,
        chosen_by=applicant, baseline_score=2, final_score=4))
    request = DeletionRequest(user=colleague, reason="Jeg er stoppet")
    db.session.add(request)
    db.session.add(Notification(recipient_id=applicant.id, category="event",
                                subject="Nyt i jeres forløb", dedupe_key="hostile:1"))
    db.session.commit()
    from flask import current_app

    with current_app.test_request_context():
        invited = invite_user("ny@indsatsteam.dk", "Nina Ny", Role.CONSULTANT, capacity=4)
        db.session.commit()
        invitation = make_invitation_token(invited)
        reset = make_token(colleague, RESET_PURPOSE)
    phase_template = db.session.query(PhaseTemplate).first()
    task_template = db.session.query(TaskTemplate).filter_by(
        phase_template_id=phase_template.id).first()
    values = {
        "user_id": colleague.id, "invited_id": invited.id, "deactivated_id": deactivated.id,
        "round_id": round_.id,
        "future_round_id": future.id, "application_id": draft.id,
        "engagement_id": engagement.id, "meeting_id": meeting.id,
        "development_engagement_id": developing.id, "row_id": chosen.id,
        "completed_engagement_id": completed.id,
        "milestone_id": plan.milestones[0].id,
        "task_id": next(t.id for t in engagement.tasks if t.owner_type == "provider"),
        "consultant_task_id": next(t.id for t in engagement.tasks
                                   if t.owner_type == "consultant"),
        "provider_id": provider.id, "notification_id": db.session.query(Notification).first().id,
        "request_id": request.id, "phase_template_id": phase_template.id,
        "task_template_id": task_template.id, "code": engagement.catalogue.code,
        "token": invitation, "reset_token": reset, "number": 3, "indicator_number": 2,
        "attachment_id": 2**31 - 1, "kind": "samarbejdsaftale",
        "applications": {"draft": draft.id, "submitted": submitted.id,
                         "decided": submitted.id},
    }
    users = {"admin": admin, "manager": manager, "lead": lead, "applicant": applicant}
    return values, users


def ids_for_rule(rule: str, values: dict) -> dict:
    """The world's objects the rule acts on, by URL variable."""
    ids = dict(values)
    ids["application_id"] = values["applications"].get(APPLICATION_FOR.get(rule, "decided"),
                                                       values["application_id"])
    if "/vores-forloeb/" not in rule and "opgaver/<int:task_id>" in rule:
        ids["task_id"] = values["consultant_task_id"]
    for key, other in OTHER_OBJECT.get(rule, {}).items():
        ids[key] = values[other]
    return ids


def url_for_rule(rule: str, values: dict) -> str:
    """The rule's URL for the world's objects."""
    ids = ids_for_rule(rule, values)
    url = rule
    for part in rule.split("<")[1:]:
        name = part.split(">")[0]
        key = name.split(":")[-1]
        url = url.replace(f"<{name}>", str(ids[key]))
    return url


def _page_form(client, page: str, action: str):
    response = client.get(page)
    assert response.status_code == 200, (page, response.status_code)
    forms = [f for f in forms_on(response.get_data(as_text=True), page) if f.action == action]
    assert forms, f"no form posting to {action} on {page}"
    return forms[0]


@pytest.mark.parametrize("rule", sorted(ROUTES))
def test_hostile_values_on_every_form_route(app, login, world, rule):
    values, users = world
    who, page = ROUTES[rule]
    client = app.test_client()
    if who is not None:
        login(client, users[who])
    # The application form: every one of its four steps.
    for number in (1, 2, 3, 4) if "<int:number>" in rule else (None,):
        if number is not None:
            values = {**values, "number": number}
        url = url_for_rule(rule, values)
        _post_hostile_values(app, client, rule, url,
                             page.format(**ids_for_rule(rule, values)) if page else url)
    assert not refused_values_in_database(db), refused_values_in_database(db)


def _post_hostile_values(app, client, rule: str, url: str, page: str) -> None:
    """Post the page's form to `url` once per field and hostile value, the other fields
    keeping the values the page gave them."""
    form = _page_form(client, page, url)
    names = [n for n in form.names if n != "csrf_token"]
    for name in names or [None]:
        for hostile in HOSTILE_VALUES:
            data = MultiDict()
            for key, posted in form.fields.items():
                if key != name:
                    for value in posted:
                        data.add(key, value)
            if name is not None:
                for value in (hostile if isinstance(hostile, list) else [hostile]):
                    data.add(name, value)
            data["csrf_token"] = csrf_token(app, client)
            response = client.post(url, data=data)
            assert response.status_code < 500, (rule, name, hostile)
            db.session.rollback()


@pytest.mark.parametrize("rule", sorted(WITHOUT_PAGE))
def test_hostile_values_on_routes_without_a_form_page(app, login, world, rule):
    values, users = world
    who, fields, _reason = WITHOUT_PAGE[rule]
    client = app.test_client()
    login(client, users[who])
    for hostile in HOSTILE_VALUES:
        data = MultiDict({"csrf_token": csrf_token(app, client), "extra": hostile})
        response = client.post(url_for_rule(rule, values), data=data)
        assert response.status_code < 500, (rule, hostile)
    assert not refused_values_in_database(db)
