"""Min kalender: a personal iCalendar feed behind a secret token of which only the hash is
stored; renewing it makes the old URL stop working. Feeds are checked by parsing them with
the `icalendar` package."""

from __future__ import annotations

import hashlib
import re
from datetime import date, timedelta

import pytest
from icalendar import Calendar
from sqlalchemy import select, text

from indsatsteam import clock
from indsatsteam.domain.applications import ApplicationStatus
from indsatsteam.extensions import db
from indsatsteam.models import User

from helpers import aware, text_of
from reminder_helpers import build_world, local

FEED_URL = re.compile(r"http://localhost/kalender/([A-Za-z0-9_-]{40,})\.ics")


@pytest.fixture
def world(make_user, make_provider, make_round, make_engagement):
    clock.freeze(local(2026, 11, 20, 12, 0))
    world = build_world(make_user, make_provider, make_round, make_engagement)
    plans = {p.phase: p for p in world.engagement.phase_plans}
    plans["startup"].planned_end = date(2026, 12, 11)
    plans["analysis"].planned_end = date(2027, 1, 29)
    world.others["lead_task"] = world.task("Planlæg opstartsmøde", date(2026, 12, 2))
    world.others["second_task"] = world.task("Aftal samarbejdsaftale", date(2026, 12, 4),
                                             owner_user=world.second)
    world.others["done_task"] = world.task("Allerede klaret", date(2026, 12, 1),
                                           status="done")
    world.others["provider_task"] = world.task("Udfyld forventningsskema", date(2026, 12, 3),
                                               owner="provider")
    world.others["meeting"] = world.meeting(local(2026, 12, 7, 13, 30), kind="kickoff",
                                            location="Åvej 2, Aarhus")
    return world


def renew(client, post, login, user) -> str:
    login(client, user)
    response = post(client, "/kalender/forny")
    assert response.status_code == 200
    page = text_of(response)
    assert "Dit kalenderlink er klar" in page
    match = FEED_URL.search(response.get_data(as_text=True))
    assert match, page
    return match.group(0)


def fetch(client, url: str) -> Calendar:
    response = client.get(url.removeprefix("http://localhost"))
    assert response.status_code == 200
    assert response.mimetype == "text/calendar"
    assert response.headers["Cache-Control"] == "no-store"
    return Calendar.from_ical(response.data)


def events(calendar: Calendar) -> dict[str, dict]:
    """UID → the event's main properties, as Python values."""
    return {str(e["UID"]).split("@")[0]: {
        "summary": str(e["SUMMARY"]), "start": e.decoded("DTSTART"),
        "end": e.decoded("DTEND") if "DTEND" in e else None,
        "url": str(e.get("URL", "")), "location": str(e.get("LOCATION", ""))}
        for e in calendar.walk("VEVENT")}


def test_the_page_needs_login_and_renewing_needs_csrf(client, login, world):
    response = client.get("/kalender")
    assert response.status_code == 302 and "/log-ind" in response.headers["Location"]
    login(client, world.lead)
    page = text_of(client.get("/kalender"))
    assert "Min kalender" in page and "Du har ikke et kalenderlink endnu" in page
    assert client.post("/kalender/forny").status_code == 400
    assert db.session.get(User, world.lead.id).calendar_token_hash is None


def test_renewing_shows_the_url_once_and_stores_only_its_hash(client, post, login, world):
    url = renew(client, post, login, world.lead)
    token = FEED_URL.match(url).group(1)
    db.session.expire_all()
    stored = db.session.get(User, world.lead.id).calendar_token_hash
    assert stored == hashlib.sha256(token.encode()).hexdigest()
    dump = " ".join(str(v) for row in db.session.execute(text("SELECT * FROM users")).all()
                    for v in row)
    assert token not in dump

    page = client.get("/kalender").get_data(as_text=True)
    assert token not in page
    assert "Du har et kalenderlink" in text_of(client.get("/kalender"))


def test_renewing_invalidates_the_old_url(client, post, login, world):
    old = renew(client, post, login, world.lead)
    assert client.get(old.removeprefix("http://localhost")).status_code == 200
    new = renew(client, post, login, world.lead)
    assert new != old
    assert client.get(old.removeprefix("http://localhost")).status_code == 404
    assert client.get(new.removeprefix("http://localhost")).status_code == 200


def test_unknown_tokens_and_deactivated_users_get_404(app, client, post, login, world):
    assert client.get("/kalender/ikke-et-token.ics").status_code == 404
    url = renew(client, post, login, world.lead)
    world.lead.active = False
    db.session.commit()
    assert app.test_client().get(url.removeprefix("http://localhost")).status_code == 404


def test_lead_consultant_sees_own_tasks_meetings_and_phase_ends(app, client, post, login, world):
    url = renew(client, post, login, world.lead)
    feed = fetch(app.test_client(), url)  # no login: the token is the key
    assert str(feed["X-WR-CALNAME"]) == "Indsatsteamet – Lea Lead"
    found = events(feed)
    engagement, others = world.engagement, world.others
    assert set(found) == {
        f"task-{others['lead_task'].id}", f"meeting-{others['meeting'].id}",
        f"phase-{engagement.id}-startup", f"phase-{engagement.id}-analysis",
        f"phase-{engagement.id}-development"}

    task = found[f"task-{others['lead_task'].id}"]
    assert task["summary"] == "Frist: Planlæg opstartsmøde (Bostedet Åen)"
    assert (task["start"], task["end"]) == (date(2026, 12, 2), date(2026, 12, 3))  # all day
    assert task["url"] == f"http://localhost/forloeb/{engagement.id}#opgaver"

    meeting = found[f"meeting-{others['meeting'].id}"]
    assert meeting["summary"] == "Opstartsmøde – Bostedet Åen"
    assert meeting["start"] == aware(2026, 12, 7, 12, 30)  # 13:30 Danish winter time
    assert meeting["end"] - meeting["start"] == timedelta(hours=1)
    assert meeting["location"] == "Åvej 2, Aarhus"

    phase = found[f"phase-{engagement.id}-startup"]
    assert phase["summary"] == "Fasen Opstart slutter (Bostedet Åen)"
    assert phase["start"] == date(2026, 12, 11)


def test_second_consultant_sees_meetings_but_not_the_leads_phase_ends(app, client, post, login,
                                                                      world):
    url = renew(client, post, login, world.second)
    assert set(events(fetch(app.test_client(), url))) == {
        f"task-{world.others['second_task'].id}", f"meeting-{world.others['meeting'].id}"}


def test_applicant_sees_the_tilbuds_tasks_meetings_and_open_round_deadlines(
        app, client, post, login, world, make_round, make_provider, make_application):
    open_round = make_round(opens_at=local(2026, 10, 1, 8, 0),
                            closes_at=local(2026, 11, 27, 12, 0), name="Vinterrunden")
    make_round(opens_at=local(2026, 12, 1, 8, 0), closes_at=local(2027, 1, 15, 12, 0),
               name="Ikke åben endnu")
    make_application(open_round, make_provider(), status=ApplicationStatus.SUBMITTED)
    url = renew(client, post, login, world.applicants[0])
    found = events(fetch(app.test_client(), url))
    assert set(found) == {f"task-{world.others['provider_task'].id}",
                          f"meeting-{world.others['meeting'].id}", f"round-{open_round.id}"}
    assert found[f"task-{world.others['provider_task'].id}"]["url"] == (
        f"http://localhost/vores-forloeb/{world.engagement.id}#opgaver")
    deadline = found[f"round-{open_round.id}"]
    assert deadline["summary"] == "Ansøgningsfrist: Vinterrunden"
    assert deadline["start"] == aware(2026, 11, 27, 11, 0)


def test_feed_follows_the_data(app, client, post, login, world):
    url = renew(client, post, login, world.lead)
    world.others["lead_task"].status = "done"
    world.engagement.phase = "cancelled"
    db.session.commit()
    assert events(fetch(app.test_client(), url)) == {}
    assert db.session.execute(select(User.calendar_token_hash).where(
        User.id == world.lead.id)).scalar_one()
