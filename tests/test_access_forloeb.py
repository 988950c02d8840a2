"""Authorization matrix for the review, decision, forløb and portal routes: every route of
these features × every kind of user, as one parametrised test."""

from __future__ import annotations

from datetime import date

import pytest

from indsatsteam.domain.applications import ApplicationStatus
from indsatsteam.extensions import db
from indsatsteam.models import (
    DevelopmentPlan,
    EngagementRecommendation,
    Meeting,
    PlanMilestone,
    Review,
    Role,
)

from helpers import aware

WHO = ("anonymous", "applicant", "other_applicant", "consultant", "other_consultant",
       "manager", "admin")
OK = "ok"  # 200, or a redirect/validation answer of a POST the user may make
LOGIN = "login"

STAFF_LIST = {"anonymous": LOGIN, "applicant": 403, "other_applicant": 403, "consultant": OK,
              "other_consultant": OK, "manager": OK, "admin": OK}
ASSESS = {"anonymous": LOGIN, "applicant": 403, "other_applicant": 403, "consultant": OK,
          "other_consultant": 404, "manager": 403, "admin": 403}
MANAGER_ONLY = {"anonymous": LOGIN, "applicant": 403, "other_applicant": 403,
                "consultant": 403, "other_consultant": 403, "manager": OK, "admin": 403}
ENGAGEMENT_LIST = {"anonymous": LOGIN, "applicant": 403, "other_applicant": 403,
                   "consultant": OK, "other_consultant": OK, "manager": OK, "admin": 403}
ENGAGEMENT = {"anonymous": LOGIN, "applicant": 403, "other_applicant": 403, "consultant": OK,
              "other_consultant": 404, "manager": OK, "admin": 403}
PORTAL_LIST = {"anonymous": LOGIN, "applicant": OK, "other_applicant": OK, "consultant": 403,
               "other_consultant": 403, "manager": 403, "admin": 403}
PORTAL = {"anonymous": LOGIN, "applicant": OK, "other_applicant": 404, "consultant": 403,
          "other_consultant": 403, "manager": 403, "admin": 403}

# (endpoint, method, path with {placeholders}, expectations)
ROUTES = [
    ("staff.applications", "GET", "/sagsbehandling/ansoegninger", STAFF_LIST),
    ("staff.application", "GET", "/sagsbehandling/ansoegninger/{review_app}", STAFF_LIST),
    ("staff.assess", "GET", "/sagsbehandling/ansoegninger/{review_app}/vurdering", ASSESS),
    ("staff.assess", "POST", "/sagsbehandling/ansoegninger/{review_app}/vurdering", ASSESS),
    ("staff.assign", "POST", "/sagsbehandling/ansoegninger/{review_app}/bedoemmere",
     MANAGER_ONLY),
    ("staff.decide", "GET", "/sagsbehandling/ansoegninger/{review_app}/afgoerelse",
     MANAGER_ONLY),
    ("staff.decide", "POST", "/sagsbehandling/ansoegninger/{review_app}/afgoerelse",
     MANAGER_ONLY),
    ("engagements.index", "GET", "/forloeb/", ENGAGEMENT_LIST),
    ("engagements.view", "GET", "/forloeb/{e}", ENGAGEMENT),
    ("engagements.move", "POST", "/forloeb/{e}/fase", ENGAGEMENT),
    ("engagements.plan", "GET", "/forloeb/{e}/plan", ENGAGEMENT),
    ("engagements.plan", "POST", "/forloeb/{e}/plan", ENGAGEMENT),
    ("engagements.agreement", "GET", "/forloeb/{e}/samarbejdsaftale", ENGAGEMENT),
    ("engagements.agreement", "POST", "/forloeb/{e}/samarbejdsaftale", ENGAGEMENT),
    ("engagements.meeting", "GET", "/forloeb/{e}/moeder/nyt", ENGAGEMENT),
    ("engagements.meeting", "POST", "/forloeb/{e}/moeder/nyt", ENGAGEMENT),
    ("engagements.meeting", "GET", "/forloeb/{e}/moeder/{meeting}", ENGAGEMENT),
    ("engagements.meeting", "POST", "/forloeb/{e}/moeder/{meeting}", ENGAGEMENT),
    ("engagements.analysis", "GET", "/forloeb/{e}/analyse", ENGAGEMENT),
    ("engagements.analysis", "POST", "/forloeb/{e}/analyse", ENGAGEMENT),
    ("engagements.recommendations", "GET", "/forloeb/{e}/anbefalinger", ENGAGEMENT),
    ("engagements.recommendations", "POST", "/forloeb/{e}/anbefalinger", ENGAGEMENT),
    ("engagements.task", "GET", "/forloeb/{e}/opgaver/ny", ENGAGEMENT),
    ("engagements.task", "POST", "/forloeb/{e}/opgaver/ny", ENGAGEMENT),
    ("engagements.task", "GET", "/forloeb/{e}/opgaver/{task}", ENGAGEMENT),
    ("engagements.task", "POST", "/forloeb/{e}/opgaver/{task}", ENGAGEMENT),
    ("engagements.task_status", "POST", "/forloeb/{e}/opgaver/{task}/status", ENGAGEMENT),
    ("engagements.note", "POST", "/forloeb/{e}/noter", ENGAGEMENT),
    ("engagements.evaluation", "GET", "/forloeb/{e}/evaluering", ENGAGEMENT),
    ("engagements.evaluation", "POST", "/forloeb/{e}/evaluering", ENGAGEMENT),
    ("engagements.development_plan", "GET", "/forloeb/{e}/udviklingsplan/{row}", ENGAGEMENT),
    ("engagements.development_plan", "POST", "/forloeb/{e}/udviklingsplan/{row}", ENGAGEMENT),
    ("engagements.milestone_task", "POST", "/forloeb/{e}/milepaele/{milestone}/opgave",
     ENGAGEMENT),
    ("engagements.methods", "GET", "/forloeb/{e}/metoder", ENGAGEMENT),
    ("engagements.methods", "POST", "/forloeb/{e}/metoder", ENGAGEMENT),
    ("portal.index", "GET", "/vores-forloeb/", PORTAL_LIST),
    ("portal.view", "GET", "/vores-forloeb/{e}", PORTAL),
    ("portal.task_status", "POST", "/vores-forloeb/{e}/opgaver/{provider_task}/status", PORTAL),
    ("portal.recommendations", "GET", "/vores-forloeb/{e}/anbefalinger", PORTAL),
    ("portal.recommendations", "POST", "/vores-forloeb/{e}/anbefalinger", PORTAL),
    ("portal.self_assessment", "GET", "/vores-forloeb/{e}/selvevaluering", PORTAL),
    ("portal.self_assessment", "POST", "/vores-forloeb/{e}/selvevaluering", PORTAL),
    ("portal.expectations", "GET", "/vores-forloeb/{e}/forventninger", PORTAL),
    ("portal.expectations", "POST", "/vores-forloeb/{e}/forventninger", PORTAL),
    ("portal.development_plan", "GET", "/vores-forloeb/{e}/udviklingsplan/{row}", PORTAL),
    ("portal.development_plan", "POST", "/vores-forloeb/{e}/udviklingsplan/{row}", PORTAL),
    ("portal.milestone_task", "POST", "/vores-forloeb/{e}/milepaele/{milestone}/opgave",
     PORTAL),
    *((f"engagements.{endpoint}", method, f"/forloeb/{{e}}/{path}", ENGAGEMENT)
      for endpoint, path in (("indicators", "indikatorer"), ("end_measurement", "slutmaaling"),
                             ("follow_up", "opfoelgning"), ("benefits", "udbytte"))
      for method in ("GET", "POST")),
    *((f"portal.{endpoint}", method, f"/vores-forloeb/{{e}}/{path}", PORTAL)
      for endpoint, path in (("indicators", "indikatorer"), ("end_measurement", "slutmaaling"),
                             ("follow_up", "opfoelgning"), ("benefits", "udbytte"))
      for method in ("GET", "POST")),
]
FEATURE_BLUEPRINTS = ("staff", "engagements", "portal")


@pytest.fixture
def world(make_user, make_provider, make_round, make_application, make_engagement):
    provider = make_provider(kind="sel108")
    other_provider = make_provider(kind="sel85_home")
    round_ = make_round()
    old_round = make_round(opens_at=aware(2025, 1, 1), closes_at=aware(2025, 3, 1))
    users = {
        "applicant": make_user(Role.APPLICANT, provider=provider),
        "other_applicant": make_user(Role.APPLICANT, provider=other_provider),
        "consultant": make_user(Role.CONSULTANT),
        "other_consultant": make_user(Role.CONSULTANT),
        "manager": make_user(Role.MANAGER),
        "admin": make_user(Role.ADMIN),
    }
    review_app = make_application(round_, provider, status=ApplicationStatus.IN_REVIEW)
    db.session.add(Review(application=review_app, reviewer=users["consultant"],
                          assigned_by=users["manager"]))
    engagement = make_engagement(provider=provider, round_=old_round, lead=users["consultant"],
                                 manager=users["manager"], planned_start=date(2026, 1, 5),
                                 themes=2)
    db.session.add(Meeting(engagement=engagement, meeting_type="kickoff",
                           starts_at=aware(2026, 1, 6, 9)))
    row = EngagementRecommendation(recommendation=engagement.catalogue.recommendations[0],
                                   chosen_at=aware(2026, 2, 1, 9), chosen_by=users["applicant"])
    engagement.recommendations.append(row)
    plan = DevelopmentPlan(engagement=engagement, engagement_recommendation=row, changes="Mål")
    plan.milestones.append(PlanMilestone(title="Første opfølgning"))
    db.session.add(plan)
    db.session.commit()
    ids = {"review_app": review_app.id, "e": engagement.id,
           "meeting": engagement.meetings[0].id,
           "task": next(t.id for t in engagement.tasks if t.owner_type == "consultant"),
           "provider_task": next(t.id for t in engagement.tasks if t.owner_type == "provider"),
           "row": row.id, "milestone": plan.milestones[0].id}
    return users, ids


def test_every_route_of_the_features_is_in_the_matrix(app):
    listed = {(endpoint, method) for endpoint, method, _path, _exp in ROUTES}
    for rule in app.url_map.iter_rules():
        if rule.endpoint.split(".")[0] in FEATURE_BLUEPRINTS:
            for method in rule.methods - {"HEAD", "OPTIONS"}:
                assert (rule.endpoint, method) in listed, f"{method} {rule.rule} has no row"


@pytest.mark.parametrize("who", WHO)
@pytest.mark.parametrize("endpoint, method, path, expectations", ROUTES,
                         ids=[f"{m} {p}" for _e, m, p, _x in ROUTES])
def test_authorization_matrix(client, post, login, world, who, endpoint, method, path,
                              expectations):
    users, ids = world
    if who != "anonymous":
        login(client, users[who])
    url = path.format(**ids)
    response = client.get(url) if method == "GET" else post(client, url, {})
    expected = expectations[who]
    if expected == LOGIN:
        assert response.status_code == 302 and "/log-ind" in response.headers["Location"]
    elif expected == OK:
        assert response.status_code in (200, 302, 400), response.status_code
        if response.status_code == 302:
            assert "/log-ind" not in response.headers["Location"]
    else:
        assert response.status_code == expected


# --- links: a page links to a forløb only for those who may open it ---------------------------

@pytest.mark.parametrize(("who", "linked"), [("manager", True), ("consultant", True),
                                              ("other_consultant", False), ("admin", False)])
def test_the_application_links_to_its_forloeb_only_for_who_may_open_it(client, login, world,
                                                                        who, linked):
    from indsatsteam.models import Engagement

    users, ids = world
    engagement = db.session.get(Engagement, ids["e"])
    engagement.application.decided_at = aware(2025, 4, 1, 10)  # the decision shows the link
    db.session.commit()
    login(client, users[who])
    page = client.get(f"/sagsbehandling/ansoegninger/{engagement.application_id}")
    assert page.status_code == 200
    assert (f'href="/forloeb/{ids["e"]}"' in page.get_data(as_text=True)) is linked
    if linked:
        assert client.get(f"/forloeb/{ids['e']}").status_code == 200


def test_the_admins_audit_trail_does_not_link_to_forloeb(client, login, world):
    users, ids = world
    login(client, users["admin"])
    page = client.get("/admin/revision").get_data(as_text=True)
    assert "Forløb " + str(ids["e"]) in page  # the events are there, as text
    assert f'href="/forloeb/{ids["e"]}"' not in page
    assert 'href="/sagsbehandling/ansoegninger/' in page  # an admin may read applications
