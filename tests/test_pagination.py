"""The one paginator: `page_arg` reads ?side=, `paginate` clamps, every paged list agrees."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select
from werkzeug.datastructures import MultiDict

from indsatsteam.extensions import db
from indsatsteam.models import Role, User
from indsatsteam.pagination import Page, page_arg, paginate

from helpers import text_of

HUGE = "99999999999999999999"


@pytest.mark.parametrize(("raw", "expected"), [
    (None, 1), ("", 1), ("abc", 1), ("-1", 1), ("0", 1), ("2.5", 1), ("3", 3),
    (HUGE, int(HUGE)),
])
def test_page_arg_reads_side_as_a_page_number_of_at_least_one(raw, expected):
    args = MultiDict() if raw is None else MultiDict({"side": raw})
    assert page_arg(args) == expected


def _users(make_user, n: int) -> list[User]:
    return [make_user(Role.CONSULTANT, name=f"Konsulent {i:02d}") for i in range(n)]


def test_paginate_clamps_to_the_first_and_the_last_page(make_user):
    _users(make_user, 7)
    stmt = select(User).order_by(User.name)
    first = paginate(stmt, -4, 3)
    assert (first.page, first.pages, first.total) == (1, 3, 7)
    assert [u.name for u in first.rows] == ["Konsulent 00", "Konsulent 01", "Konsulent 02"]
    last = paginate(stmt, int(HUGE), 3)
    assert (last.page, [u.name for u in last.rows]) == (3, ["Konsulent 06"])


def test_paginate_with_a_total_counts_nothing_itself_and_keeps_whole_rows(make_user):
    _users(make_user, 2)
    page = paginate(select(User.id, User.name).order_by(User.name), 1, 10, total=2,
                    scalars=False)
    assert page.total == 2 and [row.name for row in page.rows] == ["Konsulent 00",
                                                                    "Konsulent 01"]


def test_an_empty_list_is_one_empty_page(app):
    page = paginate(select(User), 5, 25)
    assert page == Page(rows=[], total=0, page=1, size=25)
    assert page.pages == 1


@pytest.fixture
def admin_with_many_users(make_user, client, login):
    """An admin and enough users for two pages of the user list (25 a page)."""
    admin = make_user(Role.ADMIN, name="Admin Adminsen")
    _users(make_user, 30)
    login(client, admin)
    return admin


@pytest.mark.parametrize(("side", "shown"), [
    (HUGE, 2), ("-1", 1), ("abc", 1), ("0", 1), ("2", 2), ("", 1),
])
def test_the_user_list_answers_every_side_with_a_page(client, admin_with_many_users, side,
                                                      shown):
    response = client.get(f"/admin/brugere?side={side}")
    assert response.status_code == 200
    assert f"31 brugere · side {shown} af 2" in text_of(response)


def test_the_pagination_links_keep_the_filters_and_drop_side_for_page_one(
        client, admin_with_many_users):
    html = client.get("/admin/brugere?rolle=consultant&q=&side=2").get_data(as_text=True)
    links = set(re.findall(r'href="(/admin/brugere[^"]*)"', html))
    assert "/admin/brugere?rolle=consultant" in links  # page 1: no side, no empty q
    assert "/admin/brugere?rolle=consultant&amp;side=2" in links


@pytest.mark.parametrize("url", [
    "/admin/revision", "/admin/adgangslog", "/notifikationer/", "/min-profil",
    "/sagsbehandling/ansoegninger", "/leder/overblik/liste",
])
@pytest.mark.parametrize("side", [HUGE, "-1", "abc"])
def test_no_paged_list_fails_on_a_strange_side(client, make_user, login, url, side):
    role = (Role.MANAGER if url.startswith(("/leder", "/sagsbehandling")) else Role.ADMIN)
    login(client, make_user(role))
    response = client.get(f"{url}?side={side}")
    assert response.status_code == 200
    assert "Side ikke fundet" not in text_of(response)
    db.session.rollback()
