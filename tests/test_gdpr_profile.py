"""My profile: who has seen my data (Art. 15), my data as JSON, and asking for deletion."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from sqlalchemy import select

from indsatsteam import clock, mail
from indsatsteam.extensions import db
from indsatsteam.models import Notification, Role
from indsatsteam.models.audit import AccessLogEntry
from indsatsteam.models.gdpr import DeletionRequest

from helpers import aware, text_of


@pytest.fixture
def people(make_user, make_provider, make_round, make_application):
    clock.freeze(aware(2026, 11, 2, 10, 0))
    mine, theirs = make_provider(name="Bostedet Lyngen"), make_provider(name="Bostedet Anden")
    me = make_user(Role.APPLICANT, provider=mine, name="Mette Mig")
    other = make_user(Role.APPLICANT, provider=theirs, name="Otto Anden")
    consultant = make_user(Role.CONSULTANT, name="Karin Konsulent")
    admin = make_user(Role.ADMIN, name="Ada Admin")
    round_ = make_round()
    make_application(round_, mine, status="submitted", motivation="Vores egen motivation")
    make_application(round_, theirs, status="submitted", motivation="Hemmelig anden motivation")
    for provider, what in ((mine, "Ansøgning fra Lyngen"), (theirs, "Ansøgning fra Anden")):
        db.session.add(AccessLogEntry(viewer_id=consultant.id, provider_id=provider.id,
                                      object_type="application", description=what))
    db.session.add(AccessLogEntry(viewer_id=consultant.id, subject_user_id=me.id,
                                  object_type="user", description="Brugerprofil for Mette",
                                  at=clock.now() + timedelta(minutes=5)))
    db.session.commit()
    return me, other, consultant, admin


def test_profile_shows_who_looked_at_my_data_and_not_others(client, login, people):
    me, _, _, _ = people
    login(client, me)
    page = text_of(client.get("/min-profil"))
    assert "Mette Mig" in page and "Bostedet Lyngen" in page
    assert "Brugerprofil for Mette" in page and "Ansøgning fra Lyngen" in page
    assert "Karin Konsulent" in page
    assert "Ansøgning fra Anden" not in page
    # Newest first.
    assert page.index("Brugerprofil for Mette") < page.index("Ansøgning fra Lyngen")


def test_header_links_to_my_profile(client, login, people):
    login(client, people[2])
    assert 'href="/min-profil"' in client.get("/notifikationer/").get_data(as_text=True)


def test_my_data_as_json_holds_mine_and_not_other_providers(client, login, people):
    me, other, _, _ = people
    login(client, me)
    response = client.get("/min-profil/data.json")
    assert response.headers["Content-Disposition"] == (
        'attachment; filename="mine-data-2026-11-02.json"')
    data = json.loads(response.get_data(as_text=True))
    assert data["user"]["email"] == me.email and "password_hash" not in data["user"]
    assert [p["name"] for p in data["providers"]] == ["Bostedet Lyngen"]
    assert [a["motivation"] for a in data["applications"]] == ["Vores egen motivation"]
    assert data["applications"][0]["themes"]
    assert {e["description"] for e in data["access_log_about_me"]} == {
        "Ansøgning fra Lyngen", "Brugerprofil for Mette"}
    raw = response.get_data(as_text=True)
    assert "Hemmelig anden motivation" not in raw and other.email not in raw
    assert data["user"]["created_at"].startswith("2026-11-02T")


def _ask(client, post, reason="Jeg er stoppet"):
    return post(client, "/min-profil/sletning", {"reason": reason, "confirm": "y"})


def test_deletion_request_needs_confirmation_and_only_one_open(client, login, post, people):
    me, _, _, admin = people
    login(client, me)
    response = post(client, "/min-profil/sletning", {"reason": "x"})
    assert response.status_code == 400
    assert "Bekræft, at du vil anmode om sletning" in text_of(response)

    assert _ask(client, post).status_code == 302
    request = db.session.execute(select(DeletionRequest)).scalar_one()
    assert request.status == "open" and request.reason == "Jeg er stoppet"
    note = db.session.execute(select(Notification).where(
        Notification.recipient_id == admin.id)).scalar_one()
    assert note.category == "deletion_request"
    assert "åben anmodning" in text_of(client.get("/min-profil"))

    response = _ask(client, post)
    assert response.status_code == 400 and "allerede en åben anmodning" in text_of(response)
    assert len(db.session.execute(select(DeletionRequest)).all()) == 1


def test_admin_refuses_with_a_required_reason(client, login, post, people, app):
    me, _, _, admin = people
    login(client, me)
    _ask(client, post)
    request_id = db.session.execute(select(DeletionRequest.id)).scalar_one()
    admin_client = app.test_client()
    login(admin_client, admin)
    assert "Mette Mig" in text_of(admin_client.get("/admin/sletteanmodninger"))
    url = f"/admin/sletteanmodninger/{request_id}"
    response = post(admin_client, url, {"action": "refuse", "response": ""})
    assert response.status_code == 400 and "Skriv hvorfor" in text_of(response)
    mail.outbox.clear()
    reason = "Oplysningerne bruges i et igangværende forløb"
    response = post(admin_client, url, {"action": "refuse", "response": reason})
    assert response.status_code == 302
    db.session.expire_all()
    request = db.session.get(DeletionRequest, request_id)
    assert (request.status, request.handled_by_id) == ("refused", admin.id)
    assert request.handled_at is not None
    assert [m["To"] for m in mail.outbox] == [me.email]
    assert "igangværende forløb" in mail.outbox[0].get_body(("plain",)).get_content()
    # Refused: a new request may be made.
    assert _ask(client, post).status_code == 302


def test_admin_anonymises_the_user(client, login, post, people, app):
    pytest.importorskip("indsatsteam.users.services")
    me, _, _, admin = people
    email = me.email
    login(client, me)
    _ask(client, post)
    request_id = db.session.execute(select(DeletionRequest.id)).scalar_one()
    admin_client = app.test_client()
    login(admin_client, admin)
    mail.outbox.clear()
    response = post(admin_client, f"/admin/sletteanmodninger/{request_id}",
                    {"action": "anonymise", "response": ""})
    assert response.status_code == 302
    db.session.expire_all()
    request = db.session.get(DeletionRequest, request_id)
    assert request.status == "done"
    assert request.user is not None and request.user.email != email  # kept, not deleted
    assert request.user.anonymised_at is not None and not request.user.active
    assert [m["To"] for m in mail.outbox] == [email]
