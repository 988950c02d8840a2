"""Reviewer assignment, the assessment, the manager's decision and what the applicant sees."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import func, select

from indsatsteam import clock, mail
from indsatsteam.domain.applications import ApplicationStatus
from indsatsteam.extensions import db
from indsatsteam.models import (
    Application,
    ApplicationStatusChange,
    Engagement,
    Review,
    Role,
    Theme,
)
from indsatsteam.notifications.sender import send_pending

from helpers import aware, field_error, text_of

VALID_ASSESSMENT = {
    "fit_score": "4", "fit_comment": "Temaerne passer til tilbuddets udfordringer",
    "readiness_score": "3", "readiness_comment": "Fem medarbejdere og ti timer om måneden",
    "anchoring_score": "2", "anchoring_comment": "Lederen deltager, men uden fast opfølgning",
    "recommendation": "approve", "comment": "Et godt match for en botilbudsrunde",
}


@pytest.fixture
def case(make_user, make_provider, make_round, make_application):
    """A submitted application with its provider's user, two consultants and a manager."""
    clock.freeze(aware(2026, 12, 10, 9, 0))
    round_ = make_round(name="Vinterrunden", opens_at=aware(2026, 10, 1, 6, 0),
                        closes_at=aware(2026, 12, 1, 11, 0), programmes_offered=2)
    provider = make_provider(name="Bostedet Lyngen", kind="sel108",
                             contact_email="leder@lyngen.dk")
    application = make_application(round_, provider, status=ApplicationStatus.SUBMITTED,
                                   contact_email="Kim@Lyngen.dk", desired_start=date(2027, 2, 1))
    return dict(
        round=round_, provider=provider, application=application,
        applicant=make_user(Role.APPLICANT, email="ansat@lyngen.dk", provider=provider),
        stranger=make_user(Role.APPLICANT, provider=make_provider()),
        anna=make_user(Role.CONSULTANT, name="Anna Andersen"),
        bo=make_user(Role.CONSULTANT, name="Bo Berg"),
        carl=make_user(Role.CONSULTANT, name="Carl Clausen"),
        manager=make_user(Role.MANAGER, name="Mette Leder"),
        admin=make_user(Role.ADMIN),
    )


def url(case, suffix: str = "") -> str:
    return f"/sagsbehandling/ansoegninger/{case['application'].id}{suffix}"


def assign(case, *reviewers) -> None:
    for reviewer in reviewers:
        db.session.add(Review(application=case["application"], reviewer=reviewer,
                              assigned_at=clock.now()))
    case["application"].status = ApplicationStatus.IN_REVIEW
    db.session.commit()


@pytest.fixture
def switch_to(post, login):
    """Log the client out and in again as another user."""

    def _switch(client, user):
        post(client, "/log-ud")
        login(client, user)

    return _switch


def fresh(application: Application) -> Application:
    db.session.expire_all()
    return db.session.get(Application, application.id)


# --- assigning reviewers ------------------------------------------------------------------------

def test_manager_assigns_two_reviewers_and_the_application_goes_to_review(
        client, post, login, case):
    login(client, case["manager"])
    page = client.get(url(case))
    assert "Bedømmere" in text_of(page) and "Anna Andersen (0 aktive forløb)" in text_of(page)

    response = post(client, url(case, "/bedoemmere"),
                    {"reviewer_ids": [case["anna"].id, case["bo"].id]})
    assert response.status_code == 302
    application = fresh(case["application"])
    assert application.status == ApplicationStatus.IN_REVIEW
    assert {r.reviewer.name for r in application.reviews} == {"Anna Andersen", "Bo Berg"}
    assert all(r.assigned_by_id == case["manager"].id for r in application.reviews)
    change = application.status_changes[0]
    assert (change.from_status, change.to_status) == ("submitted", "in_review")
    assert change.comment == "Sendt til vurdering hos Anna Andersen og Bo Berg"
    assert change.actor_id == case["manager"].id

    page = text_of(client.get(url(case)))
    assert "Sendt til vurdering hos Anna Andersen og Bo Berg" in page
    assert "Har endnu ikke vurderet ansøgningen" in page


def test_reviewers_can_be_changed_but_an_assessed_one_stays(client, post, login, case):
    assign(case, case["anna"], case["bo"])
    review = db.session.execute(select(Review).where(Review.reviewer_id == case["bo"].id)
                                ).scalar_one()
    review.submitted_at = clock.now()
    db.session.commit()
    login(client, case["manager"])

    response = post(client, url(case, "/bedoemmere"), {"reviewer_ids": [case["anna"].id]})
    assert response.status_code == 400
    assert "Bo Berg har allerede vurderet ansøgningen og kan ikke fjernes" in text_of(response)

    response = post(client, url(case, "/bedoemmere"),
                    {"reviewer_ids": [case["carl"].id, case["bo"].id]})
    assert response.status_code == 302
    application = fresh(case["application"])
    assert {r.reviewer.name for r in application.reviews} == {"Bo Berg", "Carl Clausen"}
    # Still in review: a change of reviewers is no change of status.
    assert application.status == ApplicationStatus.IN_REVIEW
    assert application.status_changes == []


@pytest.mark.parametrize("chosen, message", [
    ([], "Vælg mindst én bedømmer"),
    (["anna", "bo", "carl"], "Vælg højst to bedømmere"),
])
def test_one_or_two_reviewers(client, post, login, case, chosen, message):
    login(client, case["manager"])
    response = post(client, url(case, "/bedoemmere"),
                    {"reviewer_ids": [case[name].id for name in chosen]})
    assert response.status_code == 400
    page = text_of(response)
    assert page.count(message) == 2  # in the error summary and at the field
    assert fresh(case["application"]).status == ApplicationStatus.SUBMITTED
    assert db.session.scalar(select(func.count()).select_from(Review)) == 0


def test_only_consultants_can_be_reviewers(client, post, login, case):
    login(client, case["manager"])
    response = post(client, url(case, "/bedoemmere"), {"reviewer_ids": [case["manager"].id]})
    assert response.status_code == 400
    assert "Vælg kun mulighederne på listen" in text_of(response)


@pytest.mark.parametrize("who", ["anna", "admin", "applicant"])
def test_only_managers_assign(client, post, login, case, who):
    login(client, case[who])
    response = post(client, url(case, "/bedoemmere"), {"reviewer_ids": [case["anna"].id]})
    assert response.status_code == 403
    assert fresh(case["application"]).status == ApplicationStatus.SUBMITTED


def test_the_assignment_form_is_shown_to_managers_only(client, login, case):
    login(client, case["anna"])
    page = client.get(url(case)).get_data(as_text=True)
    assert "/bedoemmere" not in page and "Træf afgørelse" not in page


# --- the assessment -----------------------------------------------------------------------------

def test_assigned_reviewer_records_and_edits_an_assessment(client, post, login, case):
    assign(case, case["anna"])
    login(client, case["anna"])
    queue = text_of(client.get("/sagsbehandling/ansoegninger"))
    assert "Afventer din vurdering" in queue
    assert "Vurdér ansøgningen" in text_of(client.get(url(case)))

    form = client.get(url(case, "/vurdering"))
    assert form.status_code == 200
    html = form.get_data(as_text=True)
    assert html.count('type="radio"') == 3 * 4 + 3
    assert 'name="fit_score" class="form-radio" value="4"' in html

    response = post(client, url(case, "/vurdering"), VALID_ASSESSMENT)
    assert response.status_code == 302
    review = db.session.execute(select(Review)).scalar_one()
    assert (review.fit_score, review.readiness_score, review.anchoring_score) == (4, 3, 2)
    assert review.fit_comment == "Temaerne passer til tilbuddets udfordringer"
    assert review.anchoring_comment == "Lederen deltager, men uden fast opfølgning"
    assert (review.recommendation, review.comment) == ("approve",
                                                       "Et godt match for en botilbudsrunde")
    assert review.submitted_at == clock.now()

    page = text_of(client.get(url(case)))
    assert "Din vurdering af" in page and "Ret din vurdering" in page
    assert "Lederen deltager, men uden fast opfølgning" in page
    assert "Afventer din vurdering" not in text_of(client.get("/sagsbehandling/ansoegninger"))

    # The stored values fill the form again, and can be changed until the decision.
    html = client.get(url(case, "/vurdering")).get_data(as_text=True)
    assert 'name="readiness_score" class="form-radio" value="3" checked' in html
    assert "Lederen deltager, men uden fast opfølgning</textarea>" in html
    response = post(client, url(case, "/vurdering"),
                    {**VALID_ASSESSMENT, "fit_score": "1", "recommendation": "waitlist"})
    assert response.status_code == 302
    db.session.refresh(review)
    assert (review.fit_score, review.recommendation) == (1, "waitlist")


def test_assessment_messages_in_danish(client, post, login, case):
    assign(case, case["anna"])
    login(client, case["anna"])
    response = post(client, url(case, "/vurdering"),
                    {"fit_score": "7", "readiness_comment": "Ok", "recommendation": "maybe"})
    assert response.status_code == 400
    page = text_of(response)
    assert page.count("Vælg en score fra 1 til 4") == 2 * 3
    assert "Skriv en begrundelse for scoren" in page
    assert "Vælg en anbefaling: godkend, afslå eller venteliste" in page
    assert "Skriv en samlet vurdering af ansøgningen" in page
    assert "Der er problemer" in page
    review = db.session.execute(select(Review)).scalar_one()
    assert review.submitted_at is None and review.fit_score is None


def test_only_the_assigned_consultant_assesses(client, post, login, switch_to, case):
    assign(case, case["anna"])
    login(client, case["bo"])
    assert client.get(url(case, "/vurdering")).status_code == 404
    assert post(client, url(case, "/vurdering"), VALID_ASSESSMENT).status_code == 404
    for who in ("manager", "admin", "applicant"):
        switch_to(client, case[who])
        assert client.get(url(case, "/vurdering")).status_code == 403
        assert post(client, url(case, "/vurdering"), VALID_ASSESSMENT).status_code == 403
    assert db.session.execute(select(Review)).scalar_one().submitted_at is None


def test_no_assessment_after_the_decision(client, post, login, case):
    assign(case, case["anna"])
    case["application"].status = ApplicationStatus.REJECTED
    db.session.commit()
    login(client, case["anna"])
    response = post(client, url(case, "/vurdering"), VALID_ASSESSMENT, follow_redirects=True)
    assert "vurderingen kan ikke længere ændres" in text_of(response)
    assert db.session.execute(select(Review)).scalar_one().submitted_at is None


# --- the decision -------------------------------------------------------------------------------

def decide(post, client, case, **values):
    data = {"outcome": "approved", "message": "Velkommen til et forløb hos indsatsteamet.",
            "lead_consultant_id": case["anna"].id, "second_consultant_id": "",
            "theme_ids": [t.id for t in case["application"].themes],
            "planned_start": "2027-02-01", "duration_months": "6",
            # The review requirement has its own tests (test_decision_rules.py).
            "no_review_reason": "Hastesag: tilbuddet skal i gang nu."}
    data.update(values)
    return post(client, url(case, "/afgoerelse"), {k: v for k, v in data.items()
                                                   if v is not None})


def test_decision_form_is_prefilled_from_the_application(client, login, case):
    case["application"].duration_months = 9
    db.session.commit()
    login(client, case["manager"])
    html = client.get(url(case, "/afgoerelse")).get_data(as_text=True)
    assert 'value="2027-02-01"' in html
    assert '<option value="9" selected>9 måneder</option>' in html
    for theme in case["application"].themes:
        assert f'value="{theme.id}" checked' in html
    assert "Anna Andersen (0 aktive forløb)" in html
    assert "Runden er fuld" not in html


def test_approve_creates_the_engagement_and_tells_the_applicant(client, post, login, case):
    assign(case, case["anna"])
    themes = db.session.execute(select(Theme).order_by(Theme.position)).scalars().all()
    login(client, case["manager"])
    response = decide(post, client, case, second_consultant_id=case["bo"].id,
                      theme_ids=[themes[2].id, themes[3].id], duration_months="8",
                      message="Velkommen.\nVi kontakter jer om opstarten.")
    assert response.status_code == 302, text_of(response)

    application = fresh(case["application"])
    assert application.status == ApplicationStatus.APPROVED
    assert application.decided_at == clock.now()
    assert application.decided_by_id == case["manager"].id
    assert application.decision_message == "Velkommen.\nVi kontakter jer om opstarten."
    assert application.capacity_override_reason == ""
    change = application.status_changes[0]
    assert (change.from_status, change.to_status, change.actor_id) == (
        "in_review", "approved", case["manager"].id)
    assert change.comment == application.decision_message

    engagement = db.session.execute(select(Engagement)).scalar_one()
    assert engagement.application_id == application.id
    assert engagement.provider_id == case["provider"].id
    assert engagement.lead_consultant_id == case["anna"].id
    assert engagement.second_consultant_id == case["bo"].id
    assert [t.name for t in engagement.themes] == [themes[2].name, themes[3].name]
    assert (engagement.planned_start, engagement.duration_months) == (date(2027, 2, 1), 8)
    assert [p.phase for p in engagement.phase_plans] == ["startup", "analysis", "development"]
    assert engagement.tasks and engagement.phase == "startup"

    # The e-mail goes to the provider's user (through the outbox, so once the sender has
    # run) and to the contact person, who has no user account (directly), each once.
    assert [m["To"] for m in mail.outbox] == ["kim@lyngen.dk"]
    assert send_pending().sent == 1
    assert sorted(m["To"] for m in mail.outbox) == ["ansat@lyngen.dk", "kim@lyngen.dk"]
    for message in mail.outbox:
        assert message["Subject"] == f"Afgørelse på ansøgning {application.reference}"
        body = message.get_body(("plain",)).get_content()
        assert "Afgørelse: Godkendt" in body and "Vi kontakter jer om opstarten." in body
        assert f"http://localhost/ansoegninger/{application.id}" in body
        assert "Vi kontakter jer om opstarten." in message.get_body(("html",)).get_content()
    assert send_pending().sent == 0 and len(mail.outbox) == 2

    html = client.get(url(case)).get_data(as_text=True)
    assert f'href="/forloeb/{engagement.id}"' in html
    page = text_of(client.get(url(case)))
    assert "Afgørelse: Godkendt" in page and "af Mette Leder" in page
    assert "Træf afgørelse" not in page


@pytest.mark.parametrize("outcome, label", [("rejected", "Afslået"),
                                            ("waitlisted", "På venteliste")])
def test_reject_or_waitlist_creates_no_engagement(client, post, login, case, outcome, label):
    login(client, case["manager"])
    # The engagement's fields do not count: even an emptied date is no error.
    response = decide(post, client, case, outcome=outcome, message="Tak for ansøgningen.",
                      lead_consultant_id="", planned_start="", theme_ids=None)
    assert response.status_code == 302, text_of(response)
    application = fresh(case["application"])
    assert application.status == outcome
    assert application.decision_message == "Tak for ansøgningen."
    assert application.decided_by_id == case["manager"].id
    assert application.status_changes[0].from_status == "submitted"
    assert db.session.scalar(select(func.count()).select_from(Engagement)) == 0
    send_pending()
    assert sorted(m["To"] for m in mail.outbox) == ["ansat@lyngen.dk", "kim@lyngen.dk"]
    for message in mail.outbox:
        assert f"Afgørelse: {label}" in message.get_body(("plain",)).get_content()


def test_decision_needs_an_outcome_and_a_message(client, post, login, case):
    login(client, case["manager"])
    response = decide(post, client, case, outcome=None, message="  ")
    assert response.status_code == 400
    page = text_of(response)
    assert "Vælg om ansøgningen skal godkendes, afslås eller på venteliste" in page
    assert "Skriv en besked til ansøgeren" in page
    assert fresh(case["application"]).status == ApplicationStatus.SUBMITTED
    assert send_pending().sent == 0 and mail.outbox == []


def test_approval_needs_a_lead_consultant_themes_and_a_start(client, post, login, case):
    login(client, case["manager"])
    response = decide(post, client, case, lead_consultant_id="", theme_ids=None,
                      planned_start="", duration_months="")
    assert response.status_code == 400
    page = text_of(response)
    for message in ("Vælg en ansvarlig konsulent", "Vælg mindst ét tema",
                    "Indtast en gyldig dato for planlagt start",
                    "Vælg en varighed på mellem 4 og 12 måneder"):
        assert page.count(message) == 2, message
    assert db.session.scalar(select(func.count()).select_from(Engagement)) == 0


def test_an_invalid_lead_consultant_is_named_at_the_field_and_nothing_is_created(
        client, post, login, case):
    login(client, case["manager"])
    response = decide(post, client, case, lead_consultant_id=case["manager"].id)
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    field_error = html.split('id="lead_consultant_id-error"')[1].split("</span>", 2)[1]
    assert "Vælg en konsulent fra listen" in field_error
    assert db.session.scalar(select(func.count()).select_from(Engagement)) == 0
    application = fresh(case["application"])
    assert application.status == ApplicationStatus.SUBMITTED and application.decided_at is None
    assert db.session.scalar(select(func.count()).select_from(ApplicationStatusChange)) == 0
    assert send_pending().sent == 0 and mail.outbox == []


def test_a_full_round_needs_an_override_reason(client, post, login, case, make_provider,
                                               make_application):
    for _ in range(2):
        make_application(case["round"], make_provider(), status=ApplicationStatus.APPROVED)
    login(client, case["manager"])
    form = text_of(client.get(url(case, "/afgoerelse")))
    assert "Runden er fuld" in form and "2 er allerede godkendt" in form

    response = decide(post, client, case)
    assert response.status_code == 400
    assert "Begrundelse for at godkende ud over rundens antal forløb" in text_of(response)
    assert fresh(case["application"]).status == ApplicationStatus.SUBMITTED
    assert db.session.scalar(select(func.count()).select_from(Engagement)) == 0

    response = decide(post, client, case, override_reason="Særlig prioritet fra "
                      "ministeriet")
    assert response.status_code == 302, text_of(response)
    application = fresh(case["application"])
    assert application.status == ApplicationStatus.APPROVED
    assert application.capacity_override_reason == "Særlig prioritet fra ministeriet"
    assert "Godkendt ud over rundens antal forløb" in text_of(client.get(url(case)))


def test_room_in_the_round_stores_no_override_reason(client, post, login, case):
    login(client, case["manager"])
    response = decide(post, client, case, override_reason="Ikke nødvendig")
    assert response.status_code == 302
    assert fresh(case["application"]).capacity_override_reason == ""


def test_a_decided_application_cannot_be_decided_again(client, post, login, case):
    case["application"].status = ApplicationStatus.APPROVED
    db.session.commit()
    login(client, case["manager"])
    response = decide(post, client, case, outcome="rejected")
    assert response.headers["Location"] == url(case)
    assert "Der kan ikke træffes afgørelse" in text_of(client.get(url(case)))
    assert fresh(case["application"]).status == ApplicationStatus.APPROVED
    assert send_pending().sent == 0 and mail.outbox == []


@pytest.mark.parametrize("who", ["anna", "admin", "applicant"])
def test_only_managers_decide(client, post, login, case, who):
    login(client, case[who])
    assert client.get(url(case, "/afgoerelse")).status_code == 403
    assert decide(post, client, case, outcome="rejected").status_code == 403
    assert fresh(case["application"]).status == ApplicationStatus.SUBMITTED


# --- the staff page and the applicant's side ----------------------------------------------------

def test_staff_page_shows_reviews_and_history(client, login, case):
    assign(case, case["anna"])
    review = db.session.execute(select(Review)).scalar_one()
    for key, value in VALID_ASSESSMENT.items():
        setattr(review, key, int(value) if key.endswith("_score") else value)
    review.submitted_at = clock.now()
    db.session.add(ApplicationStatusChange(application=case["application"],
                                           from_status="submitted", to_status="in_review",
                                           actor=case["manager"],
                                           comment="Sendt til vurdering hos Anna Andersen"))
    db.session.commit()
    login(client, case["bo"])
    page = text_of(client.get(url(case)))
    assert "Anna Andersen Vurderet 10. december 2026 kl. 10.00" in page
    assert "Temaerne passer til tilbuddets udfordringer" in page
    assert "Samlet vurdering: Et godt match for en botilbudsrunde" in page
    assert "Mette Leder Sendt til vurdering hos Anna Andersen" in page
    assert "Vurdér ansøgningen" not in page  # Bo is not a reviewer


def test_applicant_sees_the_decision_and_message(client, post, login, switch_to, case):
    login(client, case["manager"])
    decide(post, client, case, outcome="waitlisted",
           message="I står som nummer to på ventelisten.\nVi vender tilbage i marts.")

    switch_to(client, case["applicant"])
    page = text_of(client.get(f"/ansoegninger/{case['application'].id}"))
    assert "Afgørelse: På venteliste" in page
    assert "Indsatsteamet traf afgørelse 10. december 2026." in page
    assert "I står som nummer to på ventelisten. Vi vender tilbage i marts." in page
    assert "Mette Leder" in page  # the history names who decided


def test_access_to_the_staff_application_page(client, post, login, switch_to, case):
    for suffix in ("", "/vurdering", "/afgoerelse"):
        response = client.get(url(case, suffix))
        assert response.status_code == 302 and "/log-ind" in response.headers["Location"]
    response = post(client, url(case, "/bedoemmere"), {"reviewer_ids": [case["anna"].id]})
    assert response.status_code == 302 and "/log-ind" in response.headers["Location"]

    login(client, case["stranger"])
    assert client.get(url(case)).status_code == 403
    assert client.get(f"/ansoegninger/{case['application'].id}").status_code == 404
    for who in ("anna", "manager", "admin"):
        switch_to(client, case[who])
        assert client.get(url(case)).status_code == 200
    # Staff never see a draft, not even by guessing its id.
    case["application"].status = ApplicationStatus.DRAFT
    db.session.commit()
    assert client.get(url(case)).status_code == 404


# --- decisions need an assessment (or a reason) and a start that is not past (issue 12) ---------

def test_deciding_without_a_completed_assessment_needs_a_reason(client, post, login, case):
    assign(case, case["anna"])  # assigned, but the assessment is not done
    login(client, case["manager"])
    response = decide(post, client, case, outcome="rejected", no_review_reason=None)
    assert response.status_code == 400
    assert "Ingen bedømmer har afsluttet en vurdering" in field_error(response, "no_review_reason")
    db.session.refresh(case["application"])
    assert case["application"].status == ApplicationStatus.IN_REVIEW

    response = decide(post, client, case, outcome="rejected",
                      no_review_reason="Tilbuddet opfylder ikke betingelserne.")
    assert response.status_code == 302
    db.session.refresh(case["application"])
    assert case["application"].status == ApplicationStatus.REJECTED
    assert case["application"].no_review_reason == "Tilbuddet opfylder ikke betingelserne."


def test_a_completed_assessment_is_enough_to_decide(client, post, login, case):
    assign(case, case["anna"])
    review = db.session.execute(select(Review)).scalar_one()
    review.submitted_at, review.recommendation = clock.now(), "approve"
    db.session.commit()
    login(client, case["manager"])
    page = text_of(client.get(url(case, "/afgoerelse")))
    assert "Ansøgningen er ikke vurderet" not in page
    response = decide(post, client, case, no_review_reason=None)
    assert response.status_code == 302, text_of(response)
    db.session.refresh(case["application"])
    assert case["application"].status == ApplicationStatus.APPROVED
    assert case["application"].no_review_reason == ""


def test_a_planned_start_in_the_past_is_refused_with_the_earliest_date(client, post, login,
                                                                         case):
    assign(case, case["anna"])
    login(client, case["manager"])
    response = decide(post, client, case, planned_start="2020-01-01")
    assert response.status_code == 400
    assert field_error(response, "planned_start") == (
        "Den planlagte start kan ikke ligge før i dag. Vælg 10. december 2026 eller senere")
    assert db.session.execute(select(Engagement)).first() is None
    assert decide(post, client, case, planned_start="2026-12-10").status_code == 302
