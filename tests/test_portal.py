"""The tilbud's portal: its engagement page, its own tasks, the recommendations it chooses and
its self-assessments; and that nobody else gets in."""

from __future__ import annotations

import re
from datetime import date

import pytest
from sqlalchemy import func, select

from indsatsteam import clock
from indsatsteam.domain.applications import ApplicationStatus
from indsatsteam.domain.phases import Phase
from indsatsteam.extensions import db
from indsatsteam.models import (
    AnalysisFinding,
    CollaborationAgreement,
    Engagement,
    EngagementRecommendation,
    Meeting,
    PhasePlan,
    Recommendation,
    RecommendationCatalogue,
    Role,
    Task,
    Theme,
)

from helpers import aware, count_statements, text_of

NOW = aware(2027, 3, 15, 9, 0)  # 10.00 Danish time, in the analysis phase


def seeded_catalogue(code: str) -> RecommendationCatalogue:
    return db.session.execute(
        select(RecommendationCatalogue).where(RecommendationCatalogue.code == code,
                                              RecommendationCatalogue.version == 1)
    ).scalar_one()


@pytest.fixture
def build(make_user, make_provider, make_round, make_application):
    """build(kind=..., phase=...) → an engagement of a new provider with its plan, tasks of
    both owners, a past and a future meeting; consultants and members made on the way."""
    clock.freeze(NOW)
    round_ = make_round(opens_at=aware(2026, 10, 1, 6, 0), closes_at=aware(2026, 12, 1, 11, 0))
    lead = make_user(Role.CONSULTANT, name="Lea Lead")
    second = make_user(Role.CONSULTANT, name="Sam Second")

    def _build(kind: str = "sel108", phase: str = Phase.ANALYSIS, name: str = "Bostedet Lyngen"):
        provider = make_provider(kind=kind, name=name)
        application = make_application(round_, provider, status=ApplicationStatus.APPROVED)
        member = make_user(Role.APPLICANT, provider=provider, name=f"Ansøger på {name}")
        code = "botilbud" if kind in ("sel107", "sel108") else "bostotte"
        engagement = Engagement(
            application=application, provider=provider, lead_consultant=lead,
            second_consultant=second, catalogue=seeded_catalogue(code), phase=phase,
            planned_start=date(2027, 2, 1), duration_months=6, planned_end=date(2027, 7, 30))
        engagement.themes = list(db.session.execute(
            select(Theme).order_by(Theme.position).limit(2)).scalars())
        engagement.phase_plans = [
            PhasePlan(phase="startup", position=0, planned_start=date(2027, 2, 1),
                      planned_end=date(2027, 2, 26)),
            PhasePlan(phase="analysis", position=1, planned_start=date(2027, 3, 1),
                      planned_end=date(2027, 4, 30)),
            PhasePlan(phase="development", position=2, planned_start=date(2027, 5, 3),
                      planned_end=date(2027, 7, 30)),
        ]
        engagement.tasks = [
            Task(phase="analysis", title="Beskriv jeres dagsrytme", owner_type="provider",
                 due_date=date(2027, 3, 10)),
            Task(phase="analysis", title="Saml borgernes perspektiver", owner_type="provider",
                 due_date=date(2027, 4, 15), status="in_progress"),
            Task(phase="startup", title="Udpeg en tovholder", owner_type="provider",
                 due_date=date(2027, 2, 5), status="done", completed_at=aware(2027, 2, 4, 9),
                 completed_by=member),
            Task(phase="analysis", title="Skriv analyserapporten", owner_type="consultant",
                 owner_user=lead, due_date=date(2027, 3, 1)),
        ]
        engagement.meetings = [
            Meeting(meeting_type="kickoff", starts_at=aware(2027, 2, 3, 9, 0), held=True,
                    location="Tilbuddets mødelokale", participants="Leder og personale"),
            Meeting(meeting_type="analysis_workshop", starts_at=aware(2027, 3, 22, 12, 30),
                    location="Lyngvej 1, Aarhus", participants="Leder, 4 medarbejdere, Lea"),
        ]
        db.session.add(engagement)
        db.session.commit()
        return engagement, member

    _build.lead, _build.second = lead, second
    return _build


def provider_task(engagement: Engagement, title: str) -> Task:
    return next(t for t in engagement.tasks if t.title == title)


def consultant_task(engagement: Engagement) -> Task:
    return next(t for t in engagement.tasks if t.owner_type == "consultant")


def catalogue_rec(engagement: Engagement, number: int) -> Recommendation:
    return next(r for r in engagement.catalogue.recommendations if r.number == number)


def checkbox_labels(html: str) -> list[str]:
    return re.findall(r'<input type="checkbox"[^>]*>\s*<label class="form-label"[^>]*>([^<]+)<',
                      html)


# --- the engagement page --------------------------------------------------------------------------

def test_list_and_page_show_phase_plan_tasks_and_meetings(client, login, build):
    engagement, member = build()
    engagement.agreement = CollaborationAgreement(
        goals="Fælles recovery-tilgang", participants="Leder og personale",
        meeting_cadence="Hver 14. dag", agreed_at=aware(2027, 2, 10, 9))
    engagement.findings = [AnalysisFinding(theme=engagement.themes[0], strengths="Gode rutiner",
                                           development_areas="Borgerinddragelse")]
    db.session.commit()
    login(client, member)

    listing = text_of(client.get("/vores-forloeb/"))
    assert "Bostedet Lyngen" in listing and Phase.ANALYSIS.label in listing

    response = client.get(f"/vores-forloeb/{engagement.id}")
    html, page = response.get_data(as_text=True), text_of(response)
    assert response.status_code == 200
    assert "Lea Lead (ansvarlig) og Sam Second" in page
    # The step indicator marks the analysis phase as the current one, without links.
    current = re.search(r'<li class="current">.*?</li>', html, re.S).group(0)
    assert Phase.ANALYSIS.label in current and 'aria-current="step"' in current
    assert '<ol class="step-indicator">' in html and 'class="step" href' not in html
    # Planned start and end per phase in Danish.
    assert "1. marts 2027 30. april 2027" in page and "3. maj 2027 30. juli 2027" in page
    # Its own tasks, the overdue one marked; the consultant's task is not shown.
    assert "Beskriv jeres dagsrytme" in page and "Saml borgernes perspektiver" in page
    assert "Skriv analyserapporten" not in page
    assert page.count("Overskredet") == 1
    overdue_row = re.search(r"<tr>\s*<th[^>]*>\s*<strong>Beskriv jeres dagsrytme.*?</tr>", html,
                            re.S).group(0)
    assert "Overskredet" in overdue_row
    # Upcoming meetings only, in Danish local time.
    assert "22. marts 2027 kl. 13.30" in page and "Lyngvej 1, Aarhus" in page
    assert "Leder, 4 medarbejdere, Lea" in page and "Tilbuddets mødelokale" not in page
    # The agreement and the analysis, read-only.
    assert "Fælles recovery-tilgang" in page and "Hver 14. dag" in page
    assert "Gode rutiner" in page and "Borgerinddragelse" in page
    assert "<h1>" in html and html.count("<h1") == 1


def test_page_statement_count_does_not_grow_with_rows(client, login, build):
    engagement, member = build()
    login(client, member)

    def add_rows(n: int) -> None:
        for i in range(n):
            done = i % 3 == 0
            engagement.tasks.append(Task(
                phase="development", title=f"Opgave {i}", owner_type="provider",
                due_date=date(2027, 3, 1 + i % 28), status="done" if done else "not_started",
                completed_at=NOW if done else None, completed_by=member if done else None))
            engagement.meetings.append(Meeting(meeting_type="follow_up",
                                               starts_at=aware(2027, 4, 1 + i % 28, 8)))
        db.session.commit()

    add_rows(5)
    few = count_statements(client, f"/vores-forloeb/{engagement.id}")
    add_rows(45)
    many = count_statements(client, f"/vores-forloeb/{engagement.id}")
    assert few == many


def test_paused_and_cancelled_are_shown_clearly(client, login, build):
    engagement, member = build(phase=Phase.PAUSED)
    engagement.resume_phase = Phase.ANALYSIS
    db.session.commit()
    login(client, member)
    page = text_of(client.get(f"/vores-forloeb/{engagement.id}"))
    assert "Forløbet er sat på pause" in page

    engagement.phase = Phase.CANCELLED
    db.session.commit()
    page = text_of(client.get(f"/vores-forloeb/{engagement.id}"))
    assert "Forløbet er annulleret" in page
    assert "Gem status for" not in page  # nothing to update on a cancelled engagement


def test_list_without_engagement_explains(client, login, make_user, make_provider):
    member = make_user(Role.APPLICANT, provider=make_provider())
    login(client, member)
    assert "I har ikke et rådgivningsforløb endnu" in text_of(client.get("/vores-forloeb/"))


# --- tasks ---------------------------------------------------------------------------------------

def test_member_updates_own_task_status(client, post, login, build):
    engagement, member = build()
    task = provider_task(engagement, "Beskriv jeres dagsrytme")
    login(client, member)
    url = f"/vores-forloeb/{engagement.id}/opgaver/{task.id}/status"

    response = post(client, url, {"status": "done"})
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/vores-forloeb/{engagement.id}#opgaver")
    db.session.refresh(task)
    assert task.status == "done" and task.completed_at == NOW
    assert task.completed_by_id == member.id
    page = text_of(client.get(f"/vores-forloeb/{engagement.id}"))
    assert "Overskredet" not in page  # done is never overdue

    assert post(client, url, {"status": "in_progress"}).status_code == 302
    db.session.refresh(task)
    assert (task.status, task.completed_at, task.completed_by_id) == ("in_progress", None, None)

    assert post(client, url, {"status": "forgotten"}).status_code == 302
    db.session.refresh(task)
    assert task.status == "in_progress"


def test_consultant_task_is_not_the_tilbuds(client, post, login, build):
    engagement, member = build()
    task = consultant_task(engagement)
    login(client, member)
    response = post(client, f"/vores-forloeb/{engagement.id}/opgaver/{task.id}/status",
                    {"status": "done"})
    assert response.status_code == 404
    db.session.refresh(task)
    assert task.status == "not_started" and task.completed_at is None


def test_task_of_another_engagement_is_404(client, post, login, build):
    engagement, member = build()
    other, _ = build(name="Andet tilbud")
    task = provider_task(other, "Beskriv jeres dagsrytme")
    login(client, member)
    response = post(client, f"/vores-forloeb/{engagement.id}/opgaver/{task.id}/status",
                    {"status": "done"})
    assert response.status_code == 404


@pytest.mark.parametrize("phase", [Phase.COMPLETED, Phase.CANCELLED])
def test_task_update_refused_when_closed(client, post, login, build, phase):
    engagement, member = build(phase=phase)
    task = provider_task(engagement, "Beskriv jeres dagsrytme")
    login(client, member)
    response = post(client, f"/vores-forloeb/{engagement.id}/opgaver/{task.id}/status",
                    {"status": "done"}, follow_redirects=True)
    assert "Forløbet er afsluttet eller annulleret" in text_of(response)
    db.session.refresh(task)
    assert task.status == "not_started"


# --- access --------------------------------------------------------------------------------------

def _routes(engagement: Engagement) -> list[tuple[str, str, dict]]:
    task = provider_task(engagement, "Beskriv jeres dagsrytme")
    rec = catalogue_rec(engagement, 1)
    base = f"/vores-forloeb/{engagement.id}"
    return [
        ("get", base, {}),
        ("get", f"{base}/anbefalinger", {}),
        ("get", f"{base}/selvevaluering", {}),
        ("post", f"{base}/opgaver/{task.id}/status", {"status": "done"}),
        ("post", f"{base}/anbefalinger", {"recommendation_ids": [rec.id]}),
        ("post", f"{base}/selvevaluering", {}),
    ]


def _state(engagement: Engagement) -> tuple:
    db.session.expire_all()
    return (
        tuple(db.session.execute(select(Task.id, Task.status, Task.completed_at)
                                 .order_by(Task.id)).all()),
        tuple(db.session.execute(select(EngagementRecommendation.recommendation_id,
                                        EngagementRecommendation.chosen_at,
                                        EngagementRecommendation.baseline_score)
                                 .order_by(EngagementRecommendation.id)).all()),
    )


def test_another_providers_member_gets_404_everywhere(client, post, login, build):
    engagement, _ = build()
    _, outsider = build(name="Andet tilbud")
    chosen = EngagementRecommendation(recommendation=catalogue_rec(engagement, 2),
                                      chosen_at=NOW)
    engagement.recommendations.append(chosen)
    db.session.commit()
    before = _state(engagement)
    login(client, outsider)
    for method, url, data in _routes(engagement):
        if method == "get":
            response = client.get(url)
        else:
            response = post(client, url, {**data, f"score_{chosen.id}": "3"})
        assert response.status_code == 404, (method, url)
    assert _state(engagement) == before


@pytest.mark.parametrize("role", [Role.CONSULTANT, Role.MANAGER, Role.ADMIN])
def test_staff_get_403(client, post, login, build, make_user, role):
    engagement, _ = build()
    # Even the engagement's own consultant: the portal is the tilbud's.
    user = build.lead if role == Role.CONSULTANT else make_user(role)
    login(client, user)
    assert client.get("/vores-forloeb/").status_code == 403
    for method, url, data in _routes(engagement):
        response = client.get(url) if method == "get" else post(client, url, data)
        assert response.status_code == 403, (method, url)


def test_anonymous_is_sent_to_login(client, post, build):
    engagement, _ = build()
    for method, url, data in [("get", "/vores-forloeb/", {}), *_routes(engagement)]:
        response = client.get(url) if method == "get" else post(client, url, data)
        assert response.status_code == 302 and "/log-ind" in response.headers["Location"]


def test_post_without_csrf_token_is_refused(client, login, build):
    engagement, member = build()
    task = provider_task(engagement, "Beskriv jeres dagsrytme")
    login(client, member)
    response = client.post(f"/vores-forloeb/{engagement.id}/opgaver/{task.id}/status",
                           data={"status": "done"})
    assert response.status_code == 400
    db.session.refresh(task)
    assert task.status == "not_started"


# --- recommendations -----------------------------------------------------------------------------

def test_botilbud_choice_with_proposals(client, post, login, build):
    engagement, member = build(kind="sel108")
    proposed = EngagementRecommendation(recommendation=catalogue_rec(engagement, 2),
                                        proposed_by=build.lead, proposed_at=NOW)
    engagement.recommendations.append(proposed)
    db.session.commit()
    login(client, member)
    url = f"/vores-forloeb/{engagement.id}/anbefalinger"

    html = client.get(url).get_data(as_text=True)
    labels = checkbox_labels(html)
    assert len(labels) == 7
    assert labels[0] == ("1. Se borgeren som ekspert i eget liv og tag udgangspunkt i borgerens "
                         "egne perspektiver")
    assert labels[6].startswith("7. Koordinér og skab sammenhæng")
    assert html.count("Foreslået af konsulenten") == 1
    assert re.search(rf'value="{proposed.recommendation_id}"\s+aria-describedby="[^"]+-hint"',
                     html)

    response = post(client, url, {})
    assert response.status_code == 400
    assert text_of(response).count("Vælg mindst én anbefaling") == 2  # summary and field

    rec5 = catalogue_rec(engagement, 5)
    response = post(client, url, {"recommendation_ids": [proposed.recommendation_id, rec5.id]})
    assert response.status_code == 302
    db.session.expire_all()
    rows = {r.recommendation.number: r for r in engagement.recommendations}
    assert set(rows) == {2, 5}
    assert all(r.chosen_at == NOW and r.chosen_by_id == member.id for r in rows.values())
    assert rows[5].proposed_at is None and rows[2].proposed_by_id == build.lead.id
    page = text_of(client.get(f"/vores-forloeb/{engagement.id}"))
    assert "2. Arbejd med mål og opfølgning" in page and "5. Støt borgeren" in page

    # Un-choosing keeps the consultant's proposal and drops a row that was only a choice.
    assert post(client, url, {"recommendation_ids": [catalogue_rec(engagement, 7).id]}
                ).status_code == 302
    db.session.expire_all()
    rows = {r.recommendation.number: r for r in engagement.recommendations}
    assert set(rows) == {2, 7}
    assert rows[2].chosen_at is None and rows[2].chosen_by_id is None
    assert rows[2].proposed_at == NOW and rows[7].chosen_at == NOW


def test_the_portal_page_puts_the_current_phases_work_first(client, login, build):
    engagement, member = build(phase=Phase.ANALYSIS)
    login(client, member)
    html = client.get(f"/vores-forloeb/{engagement.id}").get_data(as_text=True)
    main = html[html.index("<main"):html.index("</main>")]
    ids = re.findall(r'<h2 id="([a-z-]+)"', main)
    assert ids == ["anbefalinger", "metoder", "opgaver", "moeder", "plan", "afholdte-moeder",
                   "samarbejdsaftale", "effekt", "filer", "dokumenter"]
    nav = re.search(r'class="section-nav">(.*?)</nav>', main, re.S).group(1)
    assert re.findall(r'href="#([a-z-]+)"', nav) == ids
    assert nav.count("Analyse nu") == 4


def test_bostotte_catalogue_for_home_support(client, post, login, build):
    engagement, member = build(kind="sel85_home")
    login(client, member)
    labels = checkbox_labels(client.get(f"/vores-forloeb/{engagement.id}/anbefalinger")
                             .get_data(as_text=True))
    assert len(labels) == 10
    assert labels[0] == "1. Afsæt i borgernes ønsker, drømme og motivation"
    assert labels[9] == "10. Det gode forløb"


def test_bostotte_items_are_kvalitetstemaer_with_their_explanation(client, login, build):
    engagement, member = build(kind="sel85_home")
    login(client, member)
    response = client.get(f"/vores-forloeb/{engagement.id}/anbefalinger")
    page = text_of(response)
    assert "Vælg kvalitetstemaer" in page and "Hvilke kvalitetstemaer vil I arbejde med?" in page
    assert "anbefaling" not in page.replace("Ti kvalitetstemaer", "").lower().split(
        "jeres rådgivningsforløb", 1)[1].split("socialstyrelsen edisonsvej")[0]
    assert ("5. Sundhed Fokus på borgerens fysiske og mentale sundhed, fx kost, motion og "
            "søvn, og på kontakten til egen læge og psykiatrien.") in page
    assert "Kvalitetstemaer og selvevaluering" in text_of(
        client.get(f"/vores-forloeb/{engagement.id}"))
    engagement.phase = Phase.STARTUP
    db.session.commit()
    assert "I vælger kvalitetstemaer i analysefasen." in text_of(
        client.get(f"/vores-forloeb/{engagement.id}/anbefalinger"))


def test_every_item_of_both_catalogues_explains_itself(client, login, build):
    """The first version of each catalogue carries an explanation of every item (0010)."""
    for code, count in (("botilbud", 7), ("bostotte", 10)):
        texts = [r.text for r in seeded_catalogue(code).recommendations]
        assert len(texts) == count and all(len(t) > 40 for t in texts), code
    engagement, member = build(kind="sel108")
    login(client, member)
    html = client.get(f"/vores-forloeb/{engagement.id}/anbefalinger").get_data(as_text=True)
    first = seeded_catalogue("botilbud").recommendations[0]
    assert re.search(rf'<span class="form-hint"[^>]*>\s*{re.escape(first.text)}', html)
    assert "Vælg anbefalinger" in text_of(
        client.get(f"/vores-forloeb/{engagement.id}/anbefalinger"))


def test_recommendations_from_another_catalogue_are_ignored(client, post, login, build):
    engagement, member = build(kind="sel108")
    foreign = seeded_catalogue("bostotte").recommendations[0]
    login(client, member)
    response = post(client, f"/vores-forloeb/{engagement.id}/anbefalinger",
                    {"recommendation_ids": [foreign.id]})
    assert response.status_code == 400
    assert db.session.scalar(select(func.count(EngagementRecommendation.id))) == 0


CHOICE_REFUSALS = {
    Phase.STARTUP: "I vælger anbefalinger i analysefasen",
    Phase.DEVELOPMENT: "Valget af anbefalinger blev lagt fast",
    Phase.PAUSED: "Forløbet er sat på pause",
    Phase.COMPLETED: "Forløbet er afsluttet eller annulleret",
}


@pytest.mark.parametrize("phase", list(CHOICE_REFUSALS))
def test_choice_only_in_the_analysis_phase(client, post, login, build, phase):
    message = CHOICE_REFUSALS[phase]
    engagement, member = build(phase=phase)
    login(client, member)
    url = f"/vores-forloeb/{engagement.id}/anbefalinger"
    page = client.get(url)
    assert message in text_of(page) and 'type="checkbox"' not in page.get_data(as_text=True)
    response = post(client, url, {"recommendation_ids": [catalogue_rec(engagement, 1).id]},
                    follow_redirects=True)
    assert message in text_of(response)
    assert db.session.scalar(select(func.count(EngagementRecommendation.id))) == 0


@pytest.fixture
def newer_catalogue(app):
    """Version 2 of the botilbud catalogue, with a changed title for recommendation 1 (the
    seeded catalogues are restored after each test)."""
    old = seeded_catalogue("botilbud")
    new = RecommendationCatalogue(code="botilbud", version=2, title=old.title, is_current=True)
    new.recommendations = [
        Recommendation(number=r.number, text=r.text,
                       title="Borgeren er ekspert i eget liv" if r.number == 1 else r.title)
        for r in old.recommendations]
    old.is_current = False
    db.session.add(new)
    db.session.commit()
    return new


def test_wording_is_the_engagements_catalogue_version(client, post, login, build,
                                                      newer_catalogue):
    engagement, member = build()
    login(client, member)
    html = client.get(f"/vores-forloeb/{engagement.id}/anbefalinger").get_data(as_text=True)
    assert "1. Se borgeren som ekspert i eget liv" in html
    assert "Borgeren er ekspert i eget liv" not in html
    newer_ids = {str(r.id) for r in newer_catalogue.recommendations}
    assert not newer_ids & set(re.findall(r'type="checkbox"[^>]*value="(\d+)"', html))
    _choose(engagement, member, 1)
    page = text_of(client.get(f"/vores-forloeb/{engagement.id}"))
    assert "1. Se borgeren som ekspert i eget liv" in page
    assert "Borgeren er ekspert i eget liv" not in page


# --- self-assessment -----------------------------------------------------------------------------

def _choose(engagement: Engagement, member, *numbers: int) -> list[EngagementRecommendation]:
    rows = [EngagementRecommendation(recommendation=catalogue_rec(engagement, n), chosen_at=NOW,
                                     chosen_by=member) for n in numbers]
    engagement.recommendations.extend(rows)
    db.session.commit()
    return rows


def test_self_assessment_baseline_then_final(client, post, login, build):
    engagement, member = build()
    first, third = _choose(engagement, member, 1, 3)
    login(client, member)
    url = f"/vores-forloeb/{engagement.id}/selvevaluering"

    response = client.get(url)
    page, html = text_of(response), response.get_data(as_text=True)
    assert "Første selvevaluering" in page
    assert html.count('type="radio"') == 10
    assert "1 – I meget lav grad" in page and "5 – I meget høj grad" in page
    assert re.search(r"<legend[^>]*>1\. Se borgeren som ekspert", html)

    response = post(client, url, {f"score_{first.id}": "4"})
    assert response.status_code == 400
    assert "Vælg en vurdering fra 1 til 5 for anbefaling 3" in text_of(response)
    response = post(client, url, {f"score_{first.id}": "4", f"score_{third.id}": "9"})
    assert response.status_code == 400
    db.session.refresh(first)
    assert first.baseline_score is None

    assert post(client, url, {f"score_{first.id}": "2", f"score_{third.id}": "3"}
                ).status_code == 302
    db.session.expire_all()
    assert (first.baseline_score, third.baseline_score) == (2, 3)
    assert first.final_score is None

    engagement.phase = Phase.DEVELOPMENT
    db.session.commit()
    page = text_of(client.get(url))
    assert "Afsluttende selvevaluering" in page and "2 – I lav grad" in page
    assert post(client, url, {f"score_{first.id}": "4", f"score_{third.id}": "3"}
                ).status_code == 302
    db.session.expire_all()
    assert (first.baseline_score, first.final_score) == (2, 4)
    assert (third.baseline_score, third.final_score) == (3, 3)

    engagement.phase = Phase.COMPLETED
    db.session.commit()
    response = client.get(url)
    page = text_of(response)
    assert 'type="radio"' not in response.get_data(as_text=True)
    assert "Forløbet er afsluttet" in page
    assert "2 – I lav grad 4 – I høj grad 2 højere" in page
    assert "3 – I nogen grad 3 – I nogen grad Uændret" in page
    response = post(client, url, {f"score_{first.id}": "1", f"score_{third.id}": "1"},
                    follow_redirects=True)
    assert "Forløbet er afsluttet eller annulleret" in text_of(response)
    db.session.expire_all()
    assert first.final_score == 4
    # The engagement page shows the same before → after.
    page = text_of(client.get(f"/vores-forloeb/{engagement.id}"))
    assert "1. Se borgeren som ekspert" in page and "2 højere" in page


def test_self_assessment_needs_chosen_recommendations(client, post, login, build):
    engagement, member = build()
    login(client, member)
    url = f"/vores-forloeb/{engagement.id}/selvevaluering"
    assert "Vælg først de anbefalinger" in text_of(client.get(url))
    response = post(client, url, {}, follow_redirects=True)
    assert "Vælg først de anbefalinger" in text_of(response)


def test_self_assessment_not_yet_in_startup(client, post, login, build):
    engagement, member = build(phase=Phase.STARTUP)
    login(client, member)
    page = text_of(client.get(f"/vores-forloeb/{engagement.id}/selvevaluering"))
    assert "I giver den første selvevaluering i analysefasen" in page


def test_application_links_to_its_engagement(client, login, build):
    engagement, member = build()
    login(client, member)
    html = client.get(f"/ansoegninger/{engagement.application_id}").get_data(as_text=True)
    assert f'href="/vores-forloeb/{engagement.id}"' in html


# --- what the tilbud sees of its results (issue 12) ----------------------------------------------

def test_held_meetings_show_only_the_minutes_staff_shared(client, post, login, build):
    engagement, member = build()
    kickoff = engagement.meetings[0]
    kickoff.minutes = "Forventninger afstemt med hele personalegruppen."
    engagement.meetings.append(Meeting(
        meeting_type="follow_up", starts_at=aware(2027, 3, 1, 9, 0), held=True,
        minutes="Lederen virker presset; følg op internt.", minutes_shared=False))
    engagement.notes = []
    db.session.commit()
    login(client, member)
    page = text_of(client.get(f"/vores-forloeb/{engagement.id}"))
    assert "Afholdte møder" in page and "3. februar 2027 kl. 10.00" in page
    assert "1. marts 2027 kl. 10.00" in page and "Intet delt referat" in page
    # Default: minutes are not shared.
    assert "Forventninger afstemt" not in page and "presset" not in page

    staff = client.application.test_client()
    login(staff, build.lead)
    response = post(staff, f"/forloeb/{engagement.id}/moeder/{kickoff.id}", {
        "meeting_type": "kickoff", "starts_at": "2027-02-03T10:00", "held": "y",
        "minutes": kickoff.minutes, "minutes_shared": "y"})
    assert response.status_code == 302, text_of(response)
    post(staff, f"/forloeb/{engagement.id}/noter", {"body": "Intern: ring til forvaltningen"})
    assert "Referatet er delt med tilbuddet" in text_of(staff.get(f"/forloeb/{engagement.id}"))

    page = text_of(client.get(f"/vores-forloeb/{engagement.id}"))
    assert "Forventninger afstemt med hele personalegruppen." in page
    assert "presset" not in page and "ring til forvaltningen" not in page


def test_another_tilbud_never_sees_the_shared_minutes(client, login, build):
    engagement, _member = build()
    engagement.meetings[0].minutes = "Delt referat fra opstarten"
    engagement.meetings[0].minutes_shared = True
    db.session.commit()
    _other, stranger = build(name="Andet tilbud")
    login(client, stranger)
    assert client.get(f"/vores-forloeb/{engagement.id}").status_code == 404
    own = _other.id
    assert "Delt referat fra opstarten" not in text_of(client.get(f"/vores-forloeb/{own}"))


def test_the_result_shows_the_final_evaluation_and_the_before_after(client, login, build):
    from indsatsteam.models import FinalEvaluation

    engagement, member = build(phase=Phase.COMPLETED)
    for number, (before, after) in ((1, (2, 4)), (2, (3, 3))):
        engagement.recommendations.append(EngagementRecommendation(
            recommendation=catalogue_rec(engagement, number), chosen_at=NOW,
            baseline_score=before, final_score=after))
    engagement.final_evaluation = FinalEvaluation(
        summary="Et godt forløb", achievements="Fælles tilgang til mål", next_steps="Fortsæt",
        completed_at=aware(2027, 7, 20, 9))
    db.session.commit()
    login(client, member)
    page = text_of(client.get(f"/vores-forloeb/{engagement.id}"))
    assert "Jeres resultat" in page
    assert ("I har vurderet jer selv før og efter for 2 anbefalinger: 1 højere, 1 uændret og 0 "
            "lavere. I gennemsnit gik I fra 2,5 til 3,5 på skalaen 1–5.") in page
    assert "Et godt forløb" in page and "Fælles tilgang til mål" in page
    assert "Den afsluttende evaluering (20. juli 2027)" in page


def test_a_draft_final_evaluation_stays_with_the_team(client, login, build):
    from indsatsteam.models import FinalEvaluation

    engagement, member = build(phase=Phase.DEVELOPMENT)
    engagement.final_evaluation = FinalEvaluation(summary="Udkast: tilbuddet er svagt",
                                                  achievements="")
    db.session.commit()
    login(client, member)
    page = text_of(client.get(f"/vores-forloeb/{engagement.id}"))
    assert "Udkast" not in page and "Jeres resultat" not in page
