"""Admin: catalogue versions keep running forløb's wording; phase template shares and tasks."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import func, select

from indsatsteam.extensions import db
from indsatsteam.models import PhaseTemplate, RecommendationCatalogue, Role, TaskTemplate

from helpers import text_of


@pytest.fixture
def admin(client, login, make_user):
    user = make_user(Role.ADMIN)
    login(client, user)
    return user


def test_editing_a_catalogue_makes_a_new_version_and_running_engagements_keep_theirs(
        client, post, admin, make_provider, make_engagement):
    engagement = make_engagement(provider=make_provider(kind="sel107"), manager=admin,
                                 planned_start=date(2027, 1, 4))
    old = engagement.catalogue
    assert old.recommendations[0].title.startswith("Se borgeren som ekspert")

    page = client.get("/admin/kataloger/botilbud")
    assert "Se borgeren som ekspert i eget liv" in page.get_data(as_text=True)
    data = {"title": old.title}
    for i, r in enumerate(old.recommendations):
        data[f"items-{i}-title"] = r.title
        data[f"items-{i}-text"] = ""
    data["items-0-title"] = "Se borgeren som ekspert i sit eget liv"
    data["items-1-title"] = ""  # removed
    data["items-7-title"] = "Arbejd med peer-medarbejdere"  # added
    response = post(client, "/admin/kataloger/botilbud", data)
    assert response.status_code == 302, text_of(response)

    versions = db.session.execute(select(RecommendationCatalogue).where(
        RecommendationCatalogue.code == "botilbud").order_by(RecommendationCatalogue.version)
    ).scalars().all()
    assert [(v.version, v.is_current) for v in versions] == [(1, False), (2, True)]
    assert [r.title for r in versions[1].recommendations][0] == \
        "Se borgeren som ekspert i sit eget liv"
    assert len(versions[1].recommendations) == 7
    db.session.refresh(engagement)
    assert engagement.catalogue_id == old.id
    assert engagement.catalogue.recommendations[0].title.startswith("Se borgeren som ekspert i")
    assert "sit eget liv" not in engagement.catalogue.recommendations[0].title


def test_unchanged_catalogue_is_not_saved_again(client, post, admin):
    catalogue = db.session.execute(select(RecommendationCatalogue).where(
        RecommendationCatalogue.code == "bostotte")).scalar_one()
    data = {"title": catalogue.title}
    for i, r in enumerate(catalogue.recommendations):
        data[f"items-{i}-title"], data[f"items-{i}-text"] = r.title, r.text
    response = post(client, "/admin/kataloger/bostotte", data)
    assert response.status_code == 400 and "ingen ændringer" in text_of(response)
    assert db.session.execute(select(func.count()).select_from(RecommendationCatalogue)
                              ).scalar_one() == 2


def test_shares_must_sum_to_100(client, post, admin):
    response = post(client, "/admin/faseskabelon/andele",
                    {"startup": "20", "analysis": "30", "development": "40"})
    assert response.status_code == 400
    assert "give 100 % tilsammen (nu 90 %)" in text_of(response)
    response = post(client, "/admin/faseskabelon/andele",
                    {"startup": "25", "analysis": "25", "development": "50"})
    assert response.status_code == 302
    shares = dict(db.session.execute(select(PhaseTemplate.phase, PhaseTemplate.share_percent)
                                     ).tuples().all())
    assert shares == {"startup": 25, "analysis": 25, "development": 50}


def test_task_templates_add_edit_remove(client, post, admin):
    startup = db.session.execute(select(PhaseTemplate).where(PhaseTemplate.phase == "startup")
                                 ).scalar_one()
    response = post(client, f"/admin/faseskabelon/{startup.id}/opgaver/ny",
                    {"title": "Send velkomstbrev", "offset_days": "-1", "owner_type": "consultant"})
    assert response.status_code == 400 and "mellem 0 og 365 dage" in text_of(response)
    post(client, f"/admin/faseskabelon/{startup.id}/opgaver/ny",
         {"title": "Send velkomstbrev", "offset_days": "2", "owner_type": "consultant"})
    template = db.session.execute(select(TaskTemplate).where(
        TaskTemplate.title == "Send velkomstbrev")).scalar_one()
    post(client, f"/admin/faseskabelon/{startup.id}/opgaver/{template.id}",
         {"title": "Send velkomstmail", "offset_days": "3", "owner_type": "provider"})
    db.session.refresh(template)
    assert (template.title, template.offset_days, template.owner_type) == (
        "Send velkomstmail", 3, "provider")
    post(client, f"/admin/faseskabelon/opgaver/{template.id}/slet")
    assert db.session.get(TaskTemplate, template.id) is None


def test_a_task_template_is_linked_to_a_gate_by_its_key(client, post, admin):
    startup = db.session.execute(select(PhaseTemplate).where(PhaseTemplate.phase == "startup")
                                 ).scalar_one()
    response = post(client, f"/admin/faseskabelon/{startup.id}/opgaver/ny", {
        "title": "Hold opstartsmødet", "offset_days": "3", "owner_type": "consultant",
        "gate_key": "kickoff_held"})
    assert response.status_code == 302
    template = db.session.execute(select(TaskTemplate).where(
        TaskTemplate.title == "Hold opstartsmødet")).scalar_one()
    assert template.gate_key == "kickoff_held"
    assert ("Gennemføres af sig selv, når opstartsmødet er registreret som afholdt"
            in text_of(client.get("/admin/")))
    response = post(client, f"/admin/faseskabelon/{startup.id}/opgaver/{template.id}", {
        "title": "Hold opstartsmødet", "offset_days": "3", "owner_type": "consultant",
        "gate_key": "no_such_gate"})
    assert response.status_code == 400
    db.session.refresh(template)
    assert template.gate_key == "kickoff_held"


@pytest.mark.parametrize("role, expected", [
    (None, 302), (Role.APPLICANT, 403), (Role.CONSULTANT, 403), (Role.MANAGER, 403),
    (Role.ADMIN, 200),
])
@pytest.mark.parametrize("url", ["/admin/", "/admin/kataloger/botilbud",
                                 "/admin/faseskabelon/1/opgaver/ny"])
def test_admin_pages_are_for_admins_only(client, login, make_user, role, expected, url):
    if role is not None:
        login(client, make_user(role))
    assert client.get(url).status_code == expected


def test_admin_posts_are_for_admins_only(client, post, login, make_user):
    login(client, make_user(Role.MANAGER))
    assert post(client, "/admin/faseskabelon/andele",
                {"startup": "10", "analysis": "10", "development": "80"}).status_code == 403
    assert post(client, "/admin/faseskabelon/opgaver/1/slet").status_code == 403
    assert db.session.get(TaskTemplate, 1) is not None


def test_unknown_catalogue_is_404(client, admin):
    assert client.get("/admin/kataloger/ukendt").status_code == 404


def test_reminder_rules_can_be_switched_off_and_their_days_changed(client, post, admin):
    from indsatsteam.models import ReminderRule

    page = client.get("/admin/paamindelser")
    assert "Opgave med frist snart" in text_of(page)
    data = {}
    for rule in db.session.execute(select(ReminderRule)).scalars():
        data[f"days_{rule.code}"] = rule.days
        data[f"enabled_{rule.code}"] = "y"
    data["days_task_due"] = "1, 14,7"
    del data["enabled_meeting_tomorrow"]
    assert post(client, "/admin/paamindelser", data).status_code == 302
    rules = {r.code: r for r in db.session.execute(select(ReminderRule)).scalars()}
    assert rules["task_due"].days == "14,7,1"
    assert rules["meeting_tomorrow"].enabled is False

    data["days_phase_end"] = "syv"
    response = post(client, "/admin/paamindelser", data)
    assert response.status_code == 400
    assert "Skriv hele dage mellem 0 og 365 adskilt af komma" in text_of(response)
    db.session.refresh(rules["phase_end"])
    assert rules["phase_end"].days == "7"


def test_reminder_days_refuse_non_ascii_digits(client, post, admin):
    from indsatsteam.models import ReminderRule

    data = {}
    for rule in db.session.execute(select(ReminderRule)).scalars():
        data[f"days_{rule.code}"], data[f"enabled_{rule.code}"] = rule.days, "y"
    data["days_task_due"] = "7,²"
    response = post(client, "/admin/paamindelser", data)
    assert response.status_code == 400
    assert "Skriv hele dage" in text_of(response)
