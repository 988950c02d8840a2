"""The work of the phases, through the pages: the forventningsafstemning filled in by both
sides and agreed by the team, the udviklingsplan per chosen recommendation with milestones
that become tasks, the methods proposed from the library, the timeline and audit trail of
it all, and statement counts that do not grow with the number of plans."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from indsatsteam import clock
from indsatsteam.development.values import chosen_rows
from indsatsteam.domain.documents import DocumentKind
from indsatsteam.extensions import db
from indsatsteam.models import (
    AuditEvent,
    DevelopmentPlan,
    EngagementMethod,
    EngagementRecommendation,
    IssuedDocument,
    Method,
    MethodLibrary,
    PlanMilestone,
    Recommendation,
    RecommendationCatalogue,
    Role,
    Task,
)

from helpers import (
    EXPECTATIONS_FORM,
    add_indicators,
    count_statements,
    field_error,
    laerken_case,
    text_of,
)

SEED_002_METHODS = ["Sundhedstjek", "Skadesreduktion", "Meningsfulde aktiviteter",
                    "Brobygning til samfundet", "Hjemlighed", "Borgersammensat teamstruktur",
                    "Fysiske rammer", "Borgere, der sætter mål", "Peer-medarbejdere"]


@pytest.fixture
def setup(make_user, make_provider, make_round, make_engagement):
    return laerken_case(make_user, make_provider, make_round, make_engagement)


def _choose(engagement, numbers, by):
    for rec in engagement.catalogue.recommendations:
        if rec.number in numbers:
            engagement.recommendations.append(EngagementRecommendation(
                recommendation=rec, chosen_at=clock.now(), chosen_by=by))
    engagement.phase = "development"
    db.session.commit()
    return chosen_rows(engagement)


def _as(app, login, user):
    """A browser of its own for each user (logging in again keeps the first user)."""
    client = app.test_client()
    login(client, user)
    return client


PLAN_FORM = {
    "changes": "Borgerne skriver selv deres mål", "leadership_conditions": "Lederen følger op",
    "responsible": "Afdelingsleder Kim", "milestones-0-title": "Mål skrevet for alle",
    "milestones-0-due_date": "2027-03-01",
}


# --- the library ---------------------------------------------------------

def test_the_library_is_seeded_from_seed_002s_practice_examples(app):
    library = db.session.execute(select(MethodLibrary)).scalar_one()
    assert (library.version, library.is_current) == (1, True)
    assert [m.title for m in library.methods] == SEED_002_METHODS
    for method in library.methods:
        assert "VIVEs kortlægning af god kvalitet på botilbud" in method.description
        assert method.theme_codes and method.recommendation_refs and method.links == ""


def test_the_admin_edits_the_library_as_a_new_version(app, post, login, make_user, setup):
    engagement = setup["engagement"]
    first = db.session.execute(select(Method).where(Method.number == 1)).scalar_one()
    db.session.add(EngagementMethod(engagement=engagement, method=first))
    db.session.commit()
    client = _as(app, login, make_user(Role.ADMIN))
    page = client.get("/admin/metoder")
    assert page.status_code == 200
    assert 'value="Peer-medarbejdere"' in page.get_data(as_text=True)
    data = {"title": "Metoder og redskaber", "items-0-title": "Sundhedstjek hver måned",
            "items-0-description": "Ny tekst", "items-0-theme_codes": "sundhed",
            "items-0-recommendation_refs": ["botilbud:6", "bostotte:5"],
            "items-0-links": "https://vive.dk/rapport", "items-1-title": "Hjemlighed"}
    response = post(client, "/admin/metoder", data)
    assert response.status_code == 302
    versions = db.session.execute(select(MethodLibrary).order_by(MethodLibrary.version)
                                  ).scalars().all()
    assert [(v.version, v.is_current) for v in versions] == [(1, False), (2, True)]
    assert [(m.title, m.theme_codes, m.recommendation_refs, m.links)
            for m in versions[1].methods] == [
        ("Sundhedstjek hver måned", "sundhed", "botilbud:6,bostotte:5", "https://vive.dk/rapport"),
        ("Hjemlighed", "", "", "")]
    # The forløb keeps the wording it was proposed.
    db.session.refresh(engagement)
    assert engagement.methods[0].method.title == "Sundhedstjek"
    # A link that is not a web address is refused next to its field.
    bad = post(client, "/admin/metoder", {**data, "items-0-links": "javascript:alert(1)"})
    assert bad.status_code == 400
    assert "https://" in field_error(bad, "items-0-links")


# --- the forventningsafstemning ---------------------------------------------------------

def test_both_sides_fill_it_in_and_the_team_agrees(app, post, login, setup):
    engagement = setup["engagement"]
    base = f"/forloeb/{engagement.id}"
    client = _as(app, login, setup["applicant"])
    page = client.get(f"/vores-forloeb/{engagement.id}/forventninger")
    assert page.status_code == 200
    for benefit in ("Mere systematik i indsatsen", "Et indblik i egne styrker"):
        assert benefit.lower() in text_of(page).lower()
    response = post(client, f"/vores-forloeb/{engagement.id}/forventninger", {
        "meaning_systematics": "Faste rutiner for opfølgning", "contact_person": "Sofie"})
    assert response.status_code == 302
    agreement = engagement.agreement
    assert agreement.meaning_systematics == "Faste rutiner for opfølgning"
    assert agreement.agreed_at is None

    # The team cannot mark it agreed while a part is missing.
    client = _as(app, login, setup["lead"])
    refused = post(client, base + "/samarbejdsaftale", {
        "meaning_systematics": "Faste rutiner for opfølgning", "contact_person": "Sofie",
        "agreed": "y"})
    assert refused.status_code == 400
    assert "hvem der deltager fra tilbuddet" in field_error(refused, "agreed")
    db.session.refresh(agreement)
    assert agreement.agreed_at is None
    # Filled in, it is agreed by the consultant, and the samarbejdsaftale is issued.
    add_indicators(setup["engagement"])
    assert post(client, base + "/samarbejdsaftale",
                {**EXPECTATIONS_FORM, "agreed": "y"}).status_code == 302
    db.session.refresh(agreement)
    assert agreement.agreed_at == clock.now() and agreement.agreed_by_id == setup["lead"].id
    assert db.session.execute(select(IssuedDocument).where(
        IssuedDocument.kind == DocumentKind.AGREEMENT)).scalar_one()
    staff_page = text_of(client.get(base))
    assert "Aftalt 10. januar 2027 af Lea Lead" in staff_page
    assert "Forventningsafstemningen er aftalt" in staff_page  # the timeline

    # Agreed: the tilbud reads it but can no longer change it.
    client = _as(app, login, setup["applicant"])
    page = client.get(f"/vores-forloeb/{engagement.id}/forventninger")
    assert "Forventningsafstemningen er aftalt. Skal noget ændres" in text_of(page)
    assert 'name="risks"' not in page.get_data(as_text=True)
    response = post(client, f"/vores-forloeb/{engagement.id}/forventninger",
                    {**EXPECTATIONS_FORM, "risks": "Ændret af tilbuddet"})
    assert response.status_code == 302
    db.session.refresh(agreement)
    assert agreement.risks == "Ingen kendte"
    portal = text_of(client.get(f"/vores-forloeb/{engagement.id}"))
    assert "Kim Kontakt" in portal and "10 timer om måneden" in portal


def test_the_gate_to_analysis_needs_the_agreement(app, post, login, setup):
    engagement = setup["engagement"]
    base = f"/forloeb/{engagement.id}"
    client = _as(app, login, setup["lead"])
    post(client, base + "/moeder/nyt", {"meeting_type": "kickoff",
                                        "starts_at": "2027-01-08T10:00", "held": "y"})
    post(client, base + "/samarbejdsaftale", EXPECTATIONS_FORM)  # saved, not agreed
    post(client, base + "/fase", {"target": "analysis"})
    db.session.refresh(engagement)
    assert engagement.phase == "startup"
    add_indicators(engagement)
    post(client, base + "/samarbejdsaftale", {**EXPECTATIONS_FORM, "agreed": "y"})
    post(client, base + "/fase", {"target": "analysis"})
    db.session.refresh(engagement)
    assert engagement.phase == "analysis"


# --- development plans and methods ---------------------------------------------------------

def test_plans_milestones_tasks_and_the_final_evaluation_gate(app, post, login, setup):
    engagement = setup["engagement"]
    rows = _choose(engagement, (2, 6), setup["applicant"])
    base = f"/forloeb/{engagement.id}"
    client = _as(app, login, setup["lead"])
    # No plans yet: the final evaluation cannot be recorded.
    refused = post(client, base + "/evaluering", {"summary": "Godt", "achievements": "Mål",
                                                  "complete": "y"})
    assert refused.status_code == 400
    assert "Planen mangler for: 2. " in field_error(refused, "complete")
    # The consultant proposes a method; the tilbud makes its plan and uses it.
    method = db.session.execute(select(Method).where(Method.title == "Sundhedstjek")
                                ).scalar_one()
    assert post(client, base + "/metoder", {"method_ids": [str(method.id)]}).status_code == 302
    client = _as(app, login, setup["applicant"])
    portal = text_of(client.get(f"/vores-forloeb/{engagement.id}"))
    assert "Sundhedstjek" in portal and "Praksiseksempel fra VIVEs kortlægning" in portal
    form = client.get(f"/vores-forloeb/{engagement.id}/udviklingsplan/{rows[0].id}")
    assert "Foreslået af konsulenten." in text_of(form)
    # A milestone in the past is refused next to its field.
    past = post(client, f"/vores-forloeb/{engagement.id}/udviklingsplan/{rows[0].id}",
                {**PLAN_FORM, "milestones-0-due_date": "2027-01-01"})
    assert past.status_code == 400
    assert "før i dag" in field_error(past, "milestones-0-due_date")
    response = post(client, f"/vores-forloeb/{engagement.id}/udviklingsplan/{rows[0].id}",
                    {**PLAN_FORM, "method_ids": [str(method.id)]})
    assert response.status_code == 302
    plan = rows[0].plan
    assert plan.responsible == "Afdelingsleder Kim" and plan.methods == [method]
    assert [(m.title, m.due_date) for m in plan.milestones] == [
        ("Mål skrevet for alle", date(2027, 3, 1))]
    # One click makes the milestone a task of the tilbud, linked to its recommendation; a
    # second click makes nothing more.
    milestone = plan.milestones[0]
    html = client.get(f"/vores-forloeb/{engagement.id}").get_data(as_text=True)
    assert (f'Gør til opgave<span class="sr-only"> for milepælen {milestone.title}</span>'
            in html)
    for _ in range(2):
        assert post(client, f"/vores-forloeb/{engagement.id}/milepaele/{milestone.id}/opgave"
                    ).status_code == 302
    tasks = db.session.execute(select(Task).where(Task.title == "Mål skrevet for alle")
                               ).scalars().all()
    assert len(tasks) == 1
    task = tasks[0]
    assert (task.owner_type, task.phase, task.due_date, task.engagement_recommendation_id) == (
        "provider", "development", date(2027, 3, 1), rows[0].id)
    assert milestone.task_id == task.id
    # Moving the milestone moves the open task's deadline with it.
    assert post(client, f"/vores-forloeb/{engagement.id}/udviklingsplan/{rows[0].id}",
                {**PLAN_FORM, "milestones-0-due_date": "2027-03-15",
                 "method_ids": [str(method.id)]}).status_code == 302
    db.session.refresh(task)
    assert task.due_date == date(2027, 3, 15)
    assert "Mål skrevet for alle" in text_of(client.get(f"/vores-forloeb/{engagement.id}"))

    # The consultant plans the second one; then the evaluation can be recorded.
    client = _as(app, login, setup["lead"])
    assert post(client, f"{base}/udviklingsplan/{rows[1].id}", PLAN_FORM).status_code == 302
    assert post(client, base + "/evaluering", {"summary": "Godt", "achievements": "Mål",
                                               "complete": "y"}).status_code == 302
    page = text_of(client.get(base))
    assert "Udviklingsplan oprettet: 2. " in page and "Metode foreslået" in page
    # A proposal withdrawn is on the timeline too, though its row is gone.
    assert post(client, base + "/metoder", {}).status_code == 302
    assert "Forslag om metode trukket tilbage" in text_of(client.get(base))
    assert "Milepæl: Mål skrevet for alle er gjort til en opgave" in page
    # The audit trail has every new kind of object.
    kinds = set(db.session.execute(select(AuditEvent.object_type)).scalars())
    assert {"agreement", "development_plan", "milestone", "engagement_method"} - kinds == {
        "agreement"}  # (no agreement in this test)
    responsible = db.session.execute(select(AuditEvent).where(
        AuditEvent.object_type == "development_plan", AuditEvent.action == "create")
    ).scalars().first()
    assert responsible.changes["responsible"] == [None, "[ændret]"]  # a person: masked


def test_plans_are_made_in_the_development_phase_only(app, post, login, setup):
    engagement = setup["engagement"]
    rows = _choose(engagement, (1,), setup["applicant"])
    engagement.phase = "analysis"
    db.session.commit()
    client = _as(app, login, setup["applicant"])
    url = f"/vores-forloeb/{engagement.id}/udviklingsplan/{rows[0].id}"
    assert "Udviklingsplanerne laves og rettes i udviklingsfasen." in text_of(client.get(url))
    assert post(client, url, PLAN_FORM).status_code == 400
    assert db.session.execute(select(DevelopmentPlan)).first() is None


def test_a_recommendation_that_is_not_chosen_has_no_plan_page(app, login, setup):
    engagement = setup["engagement"]
    rec = engagement.catalogue.recommendations[0]
    engagement.recommendations.append(EngagementRecommendation(
        recommendation=rec, proposed_at=clock.now(), proposed_by=setup["lead"]))
    engagement.phase = "development"
    db.session.commit()
    client = _as(app, login, setup["applicant"])
    row = engagement.recommendations[0]
    assert client.get(f"/vores-forloeb/{engagement.id}/udviklingsplan/{row.id}"
                      ).status_code == 404


# --- statement counts ---------------------------------------------------------

def _many_plans(engagement, n: int, by) -> None:
    """n chosen recommendations, each with a plan, two milestones (one a task) and a
    method; a catalogue of the forløb's own so there are enough recommendations."""
    catalogue = engagement.catalogue
    if len(catalogue.recommendations) < 60:
        catalogue = RecommendationCatalogue(code="botilbud", version=99, title="Stort katalog",
                                            is_current=False)
        catalogue.recommendations = [Recommendation(number=i, title=f"Anbefaling {i}")
                                     for i in range(1, 61)]
        db.session.add(catalogue)
        engagement.catalogue = catalogue
        db.session.flush()
    methods = db.session.execute(select(Method)).scalars().all()
    have = {r.recommendation_id for r in engagement.recommendations}
    for rec in [r for r in catalogue.recommendations if r.id not in have][:n - len(have)]:
        row = EngagementRecommendation(recommendation=rec, chosen_at=clock.now(), chosen_by=by)
        engagement.recommendations.append(row)
        task = Task(engagement=engagement, phase="development", title=f"Milepæl {rec.number}",
                    owner_type="provider", engagement_recommendation=row)
        plan = DevelopmentPlan(engagement=engagement, engagement_recommendation=row,
                               changes="Ændringer", responsible="Kim",
                               methods=[methods[rec.number % len(methods)]],
                               milestones=[PlanMilestone(title="Første", task=task),
                                           PlanMilestone(title="Anden")])
        db.session.add(plan)
    for method in methods[: min(n, len(methods))]:
        if method.id not in {m.method_id for m in engagement.methods}:
            engagement.methods.append(EngagementMethod(method=method))
    db.session.commit()


@pytest.mark.parametrize("side", ["staff", "portal"])
def test_statement_counts_stay_constant_at_5_and_50_plans(app, login, setup, side):
    engagement = setup["engagement"]
    engagement.phase = "development"
    db.session.commit()
    url = (f"/forloeb/{engagement.id}" if side == "staff"
           else f"/vores-forloeb/{engagement.id}")
    client = _as(app, login, setup["lead"] if side == "staff" else setup["applicant"])
    _many_plans(engagement, 5, setup["applicant"])
    # Each plan's changes are in the audit trail too (the timeline reads them).
    for plan in db.session.execute(select(DevelopmentPlan)).scalars():
        plan.changes = "Rettet"
    db.session.commit()
    few = count_statements(client, url)
    _many_plans(engagement, 50, setup["applicant"])
    for plan in db.session.execute(select(DevelopmentPlan)).scalars():
        plan.changes = "Rettet igen"
    db.session.commit()
    assert len(chosen_rows(engagement)) == 50
    many = count_statements(client, url)
    assert few == many
