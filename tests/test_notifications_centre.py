"""The notification centre: the bell in the header, the list, read marks and preferences."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from sqlalchemy import event, select

from indsatsteam import clock, mail
from indsatsteam.extensions import db
from indsatsteam.models import Notification, NotificationPreference, Role
from indsatsteam.notifications.digest import send_digests
from indsatsteam.notifications.sender import send_pending
from indsatsteam.notifications.services import notify

from helpers import aware, count_statements, text_of

NOW = aware(2026, 11, 27, 8, 0)


@pytest.fixture
def kim(make_user, make_provider):
    clock.freeze(NOW)
    return make_user(Role.APPLICANT, email="kim@tilbud.dk", name="Kim Hansen",
                     provider=make_provider())


def add(user, n: int, *, minutes_ago: int = 0, category: str = "task_due",
        url: str = "/vores-forloeb/3", read: bool = False) -> Notification:
    clock.freeze(NOW - timedelta(minutes=minutes_ago))
    notify(user, category, subject=f"Notifikation nummer {n}",
           body=f"Første linje om {n}.\nAnden linje.\n\nNyt afsnit.", url=url,
           dedupe_key=f"test:{n}:{user.id}")
    clock.freeze(NOW)
    db.session.commit()
    row = db.session.execute(
        select(Notification).where(Notification.dedupe_key == f"test:{n}:{user.id}")
    ).scalar_one()
    if read:
        row.read_at = NOW
        db.session.commit()
    return row


# --- access ---------------------------------------------------------------------------------

@pytest.mark.parametrize("method, url", [
    ("get", "/notifikationer/"), ("post", "/notifikationer/1/laest"),
    ("post", "/notifikationer/laest"), ("get", "/notifikationer/indstillinger"),
    ("post", "/notifikationer/indstillinger")])
def test_anonymous_users_are_sent_to_the_login(client, post, method, url):
    response = post(client, url) if method == "post" else client.get(url)
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/log-ind")


# --- the bell -------------------------------------------------------------------------------

def test_the_header_shows_the_unread_count(client, login, kim):
    login(client, kim)
    assert "Notifikationer" in text_of(client.get("/"))
    assert "ulæst" not in text_of(client.get("/"))

    add(kim, 1)
    page = text_of(client.get("/"))
    assert page.count("Notifikationer (1 ulæst)") == 2  # desktop header and mobile menu
    add(kim, 2)
    add(kim, 3)
    add(kim, 4, read=True)
    html = client.get("/").get_data(as_text=True)
    assert 'href="/notifikationer/"' in html and "#notifications" in html
    assert "Notifikationer (3 ulæste)" in text_of(client.get("/"))


def test_the_bell_is_only_for_logged_in_users(client):
    assert "Notifikationer" not in text_of(client.get("/"))


def test_the_unread_count_costs_one_query_per_page(client, login, kim):
    login(client, kim)
    none = count_statements(client, "/")
    for n in range(30):
        add(kim, n)
    assert count_statements(client, "/") == none

    statements: list[str] = []

    def before(conn, cursor, statement, *args):
        statements.append(statement)

    db.session.expire_all()
    event.listen(db.engine, "before_cursor_execute", before)
    try:
        for url in ("/", "/notifikationer/"):
            statements.clear()
            assert client.get(url).status_code == 200
            counts = [s for s in statements if re.search(r"count\(\*\).*FROM notifications.*"
                                                         r"read_at IS NULL", s, re.S)]
            assert len(counts) == 1, url
    finally:
        event.remove(db.engine, "before_cursor_execute", before)


# --- the list -------------------------------------------------------------------------------

def test_the_list_shows_every_notification_newest_first_with_unread_marked(
        client, login, kim, make_user):
    add(kim, 1, minutes_ago=60, read=True)
    add(kim, 2, minutes_ago=30, url="/ansoegninger/7", category="decision_made")
    add(kim, 3, minutes_ago=10)
    add(make_user(Role.APPLICANT), 99)  # someone else's
    login(client, kim)

    response = client.get("/notifikationer/")
    page = text_of(response)
    html = response.get_data(as_text=True)
    assert "<h1>Notifikationer</h1>" in html
    assert "Du har 2 ulæste notifikationer." in page
    assert page.index("nummer 3") < page.index("nummer 2") < page.index("nummer 1")
    assert "Notifikation nummer 99" not in page
    assert "Ulæst Notifikation nummer 3" in page and "Ulæst Notifikation nummer 2" in page
    assert "Ulæst Notifikation nummer 1" not in page
    assert '<a href="/ansoegninger/7">Notifikation nummer 2</a>' in html
    assert "Afgørelse på ansøgning · 27. november 2026 kl. 08.30" in page
    assert "<p>Første linje om 2.<br>Anden linje.</p>" in html
    assert "<p>Nyt afsnit.</p>" in html
    assert page.count("Markér som læst") == 2
    assert "Markér alle som læst" in page
    assert 'href="/notifikationer/indstillinger"' in html


def test_in_app_only_notifications_are_listed_but_never_mailed(client, post, login, kim):
    login(client, kim)
    post(client, "/notifikationer/indstillinger", {"task_due": "in_app", "task_overdue":
                                                   "immediate", "round_closing": "digest",
                                                   "meeting_tomorrow": "immediate",
                                                   "follow_up_due": "immediate",
                                                   "decision_made": "immediate",
                                                   "phase_moved": "immediate"})
    row = add(kim, 1)
    assert row.email_status == "not_wanted"
    assert send_pending(now=NOW + timedelta(days=1)).sent == 0
    assert send_digests(now=NOW + timedelta(days=1)) == 0
    assert mail.outbox == []
    assert "Notifikation nummer 1" in text_of(client.get("/notifikationer/"))


def test_the_list_is_paged(client, login, kim):
    for n in range(1, 26):
        add(kim, n, minutes_ago=100 - n)
    login(client, kim)
    first = text_of(client.get("/notifikationer/"))
    assert "Notifikation nummer 25" in first and "Notifikation nummer 6 " in first
    assert "Notifikation nummer 5 " not in first
    assert "Side 1 af 2" in first
    second = client.get("/notifikationer/?side=2")
    html = second.get_data(as_text=True)
    assert "<title>Notifikationer – side 2 – Indsatsteamet</title>" in html
    text = text_of(second)
    assert "Notifikation nummer 5 " in text and "Notifikation nummer 1 " in text
    assert "Notifikation nummer 6 " not in text
    # A page beyond the last shows the last.
    assert "Notifikation nummer 1 " in text_of(client.get("/notifikationer/?side=9"))


def test_no_notifications_yet(client, login, kim):
    login(client, kim)
    page = text_of(client.get("/notifikationer/"))
    assert "Du har ingen notifikationer endnu." in page
    assert "Markér alle som læst" not in page


# --- read marks -----------------------------------------------------------------------------

def test_mark_one_as_read(client, post, login, kim):
    one, two = add(kim, 1), add(kim, 2)
    login(client, kim)
    response = post(client, f"/notifikationer/{one.id}/laest?side=1")
    assert response.status_code == 302
    assert response.headers["Location"] == "/notifikationer/?side=1"
    db.session.expire_all()
    assert db.session.get(Notification, one.id).read_at == NOW
    assert db.session.get(Notification, two.id).read_at is None
    page = text_of(client.get("/notifikationer/"))
    assert "„Notifikation nummer 1“ er markeret som læst." in page
    assert "Notifikationer (1 ulæst)" in page

    clock.freeze(NOW + timedelta(hours=1))  # marking again keeps the first time
    post(client, f"/notifikationer/{one.id}/laest")
    db.session.expire_all()
    assert db.session.get(Notification, one.id).read_at == NOW


def test_another_users_notification_is_not_found(client, post, login, kim, make_user):
    theirs = add(make_user(Role.APPLICANT), 1)
    login(client, kim)
    assert post(client, f"/notifikationer/{theirs.id}/laest").status_code == 404
    assert post(client, "/notifikationer/999999/laest").status_code == 404
    db.session.expire_all()
    assert db.session.get(Notification, theirs.id).read_at is None


def test_mark_all_as_read_touches_only_own(client, post, login, kim, make_user):
    mine = [add(kim, n) for n in range(3)]
    theirs = add(make_user(Role.APPLICANT), 9)
    login(client, kim)
    response = post(client, "/notifikationer/laest")
    assert response.headers["Location"] == "/notifikationer/"
    db.session.expire_all()
    assert all(db.session.get(Notification, n.id).read_at == NOW for n in mine)
    assert db.session.get(Notification, theirs.id).read_at is None
    page = text_of(client.get("/notifikationer/"))
    assert "Alle notifikationer er markeret som læst." in page
    assert "Du har ingen ulæste notifikationer." in page and "Ulæst" not in page


def test_read_marks_need_the_csrf_token(client, login, kim):
    one = add(kim, 1)
    login(client, kim)
    client.post(f"/notifikationer/{one.id}/laest")
    client.post("/notifikationer/laest")
    db.session.expire_all()
    assert db.session.get(Notification, one.id).read_at is None


# --- preferences ----------------------------------------------------------------------------

def test_the_settings_page_offers_three_channels_per_category(client, login, kim):
    login(client, kim)
    response = client.get("/notifikationer/indstillinger")
    html = response.get_data(as_text=True)
    page = text_of(response)
    assert "<h1>Indstillinger for notifikationer</h1>" in html
    for label in ("Opgaver med frist snart", "Ansøgningsfrist nærmer sig",
                  "Afgørelse på ansøgning", "Forløbet skifter fase", "Møder i morgen",
                  "Opfølgning efter forløbet"):
        assert f"<legend class=\"form-label\">{label}</legend>" in html
    assert "Ansøgninger der venter på afgørelse" not in page  # for managers only
    assert html.count('class="form-radio"') == 7 * 3
    assert page.count("E-mail med det samme") == 7
    assert page.count("Samlet i en daglig e-mail kl. 7") == 7
    assert page.count("Kun her i systemet") == 7
    assert 'id="task_due-0" name="task_due" class="form-radio" value="immediate" checked' in html


def test_a_manager_chooses_for_the_staff_categories(client, login, make_user):
    login(client, make_user(Role.MANAGER))
    html = client.get("/notifikationer/indstillinger").get_data(as_text=True)
    assert "Ansøgninger der venter på afgørelse" in html
    assert "Forløbet skifter fase" not in html
    assert 'name="decision_waiting" class="form-radio" value="digest" checked' in html


def test_saving_preferences_stores_one_row_per_category_and_new_notifications_follow(
        client, post, login, kim):
    login(client, kim)
    choices = {"task_due": "digest", "task_overdue": "immediate", "round_closing": "in_app",
               "meeting_tomorrow": "immediate", "follow_up_due": "immediate",
               "decision_made": "immediate",
               "phase_moved": "in_app"}
    response = post(client, "/notifikationer/indstillinger", choices)
    assert response.status_code == 302
    assert response.headers["Location"] == "/notifikationer/indstillinger"
    stored = dict(db.session.execute(
        select(NotificationPreference.category, NotificationPreference.channel)
        .where(NotificationPreference.user_id == kim.id)).tuples().all())
    assert stored == choices

    html = client.get("/notifikationer/indstillinger").get_data(as_text=True)
    assert "Dine indstillinger for notifikationer er gemt." in html
    assert 'name="round_closing" class="form-radio" value="in_app" checked' in html

    assert add(kim, 1, category="task_due").email_status == "digest"
    assert add(kim, 2, category="round_closing").email_status == "not_wanted"
    assert add(kim, 3, category="task_overdue").email_status == "pending"

    post(client, "/notifikationer/indstillinger", {**choices, "task_due": "immediate"})
    assert db.session.execute(select(NotificationPreference.channel).where(
        NotificationPreference.user_id == kim.id,
        NotificationPreference.category == "task_due")).scalar_one() == "immediate"


def test_an_invalid_or_missing_choice_is_explained(client, post, login, kim):
    login(client, kim)
    response = post(client, "/notifikationer/indstillinger", {"task_due": "pigeon"})
    assert response.status_code == 400
    page = text_of(response)
    assert "Der er problemer" in page
    assert "Vælg hvordan du vil have besked om ansøgningsfrist nærmer sig" in page
    assert "Vælg en af mulighederne på listen" in page
    assert db.session.execute(select(NotificationPreference)).first() is None
