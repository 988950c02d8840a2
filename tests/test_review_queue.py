"""The staff review queue: filters in the URL, counts per status, sort, paging, eager loading."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from sqlalchemy import select

from indsatsteam import clock
from indsatsteam.domain.applications import ApplicationStatus
from indsatsteam.extensions import db
from indsatsteam.models import Review, Role, Theme

from helpers import aware, count_statements, text_of

NOW = aware(2026, 12, 10, 9, 0)


@pytest.fixture
def themes():
    return db.session.execute(select(Theme).order_by(Theme.position)).scalars().all()


@pytest.fixture
def round_(make_round):
    clock.freeze(NOW)
    return make_round(name="Vinterrunden", opens_at=aware(2026, 10, 1, 6, 0),
                      closes_at=aware(2026, 12, 1, 11, 0), programmes_offered=3)


@pytest.fixture
def add(make_provider, make_application, round_):
    """add(status, days_ago=…, themes=[…], **provider values) → a submitted application."""

    def _add(status=ApplicationStatus.SUBMITTED, days_ago=1, themes=None, **provider_values):
        provider = make_provider(**provider_values)
        application = make_application(round_, provider, status=status)
        application.submitted_at = NOW - timedelta(days=days_ago, hours=1)
        if themes is not None:
            application.themes = themes
        db.session.commit()
        return application

    return _add


def references(response) -> list[str]:
    """The references in the queue's table, in the order shown."""
    return re.findall(r">(IT-\d{4}-\d{4,})</a>", response.get_data(as_text=True))


def test_queue_filters_by_status_theme_kind_region_and_municipality(
        client, login, make_user, add, themes, round_):
    aarhus_home = add(kind="sel85_home", municipality_code="751", themes=[themes[0]])
    copenhagen = add(kind="sel107", municipality_code="101", themes=[themes[3]],
                     status=ApplicationStatus.IN_REVIEW)
    odense = add(kind="sel108", municipality_code="461", themes=[themes[0], themes[3]],
                 status=ApplicationStatus.APPROVED)
    login(client, make_user(Role.CONSULTANT))

    def shown(**args):
        return set(references(client.get("/sagsbehandling/ansoegninger",
                                          query_string={"runde": round_.id, **args})))

    everything = {aarhus_home.reference, copenhagen.reference, odense.reference}
    assert shown() == everything
    assert shown(status="in_review") == {copenhagen.reference}
    assert shown(tema=themes[3].id) == {copenhagen.reference, odense.reference}
    assert shown(type="sel85_home") == {aarhus_home.reference}
    assert shown(region="Region Hovedstaden") == {copenhagen.reference}
    assert shown(kommune="461") == {odense.reference}
    assert shown(tema=themes[0].id, status="approved") == {odense.reference}
    assert shown(type="sel85_home", region="Region Syddanmark") == set()
    # Values that are not on the lists are ignored rather than failing.
    assert shown(status="draft", type="bogus", kommune="999") == everything

    page = text_of(client.get("/sagsbehandling/ansoegninger",
                              query_string={"runde": round_.id, "status": "in_review"}))
    assert "1 ansøgning matcher filtrene" in page


def test_counts_per_status_are_for_the_whole_round(client, login, make_user, add, round_,
                                                    make_round, make_provider,
                                                    make_application):
    for status in ("submitted", "submitted", "in_review", "approved", "rejected"):
        add(status=status)
    add(status=ApplicationStatus.DRAFT)  # drafts are the applicant's own and never counted
    other_round = make_round(name="Sommerrunden")
    make_application(other_round, make_provider(), status=ApplicationStatus.SUBMITTED)
    login(client, make_user(Role.MANAGER))

    page = text_of(client.get("/sagsbehandling/ansoegninger",
                              query_string={"runde": round_.id, "status": "approved"}))
    assert "I alt: 5" in page
    assert "Indsendt: 2" in page
    assert "Under behandling: 1" in page
    assert "Godkendt: 1" in page
    assert "Afslået: 1" in page
    assert "På venteliste: 0" in page
    assert "Kladde" not in page


def test_sorted_oldest_first_by_default_and_newest_first_on_request(client, login, make_user,
                                                                    add, round_):
    middle, oldest, newest = add(days_ago=5), add(days_ago=9), add(days_ago=2)
    login(client, make_user(Role.CONSULTANT))

    default = client.get("/sagsbehandling/ansoegninger", query_string={"runde": round_.id})
    assert references(default) == [oldest.reference, middle.reference, newest.reference]
    assert "ældste først" in text_of(default)
    newest_first = client.get("/sagsbehandling/ansoegninger",
                              query_string={"runde": round_.id, "sortering": "nyeste"})
    assert references(newest_first) == [newest.reference, middle.reference, oldest.reference]


def test_pages_of_25_keep_the_filters(client, login, make_user, add, round_):
    created = [add(days_ago=60 - i, kind="sel107") for i in range(30)]
    add(kind="sel108")
    login(client, make_user(Role.CONSULTANT))

    first = client.get("/sagsbehandling/ansoegninger",
                       query_string={"runde": round_.id, "type": "sel107"})
    assert references(first) == [a.reference for a in created[:25]]
    html = first.get_data(as_text=True)
    assert 'aria-label="Paginering"' in html
    assert f"runde={round_.id}" in html and "type=sel107" in html and "side=2" in html
    assert "side 1 af 2" in text_of(first)

    second = client.get("/sagsbehandling/ansoegninger",
                        query_string={"runde": round_.id, "type": "sel107", "side": 2})
    assert references(second) == [a.reference for a in created[25:]]
    # A page beyond the last shows the last.
    beyond = client.get("/sagsbehandling/ansoegninger",
                        query_string={"runde": round_.id, "type": "sel107", "side": 9})
    assert references(beyond) == references(second)


def test_columns_days_waiting_reviewers_and_awaiting_my_assessment(client, post, login,
                                                                  make_user, add, round_):
    me = make_user(Role.CONSULTANT, name="Karen Konsulent")
    colleague = make_user(Role.CONSULTANT, name="Peter Påske")
    waiting = add(days_ago=3, kind="sel85_home", municipality_code="751",
                  status=ApplicationStatus.IN_REVIEW, name="Bostøtten Aarhus")
    assessed = add(days_ago=4, status=ApplicationStatus.IN_REVIEW, name="Bostedet Vest")
    decided = add(days_ago=8, status=ApplicationStatus.REJECTED, name="Botilbuddet Syd")
    db.session.add_all([
        Review(application=waiting, reviewer=me, assigned_at=clock.now()),
        Review(application=waiting, reviewer=colleague, assigned_at=clock.now()),
        Review(application=assessed, reviewer=me, assigned_at=clock.now(),
               submitted_at=clock.now()),
    ])
    db.session.commit()

    login(client, me)
    html = client.get("/sagsbehandling/ansoegninger",
                      query_string={"runde": round_.id}).get_data(as_text=True)
    rows = {ref: text_of_html(row) for ref, row in table_rows(html).items()}
    assert rows[waiting.reference].split() == (
        f"{waiting.reference} Bostøtten Aarhus Bostøtte (§ 85) Aarhus Region Midtjylland "
        f"Ledelse og organisation, Helhed og sammenhæng 7. december 2026 3 "
        f"Under behandling Afventer din vurdering Karen Konsulent, Peter Påske").split()
    assert "Afventer din vurdering" not in rows[assessed.reference]
    assert "Karen Konsulent (vurderet)" in rows[assessed.reference]
    assert " 4 " in rows[assessed.reference]
    assert "Afgjort" in rows[decided.reference] and "Ingen" in rows[decided.reference]

    post(client, "/log-ud")
    login(client, colleague)
    html = client.get("/sagsbehandling/ansoegninger",
                      query_string={"runde": round_.id}).get_data(as_text=True)
    assert "Afventer din vurdering" in table_rows(html)[waiting.reference]
    assert html.count("Afventer din vurdering") == 1


def table_rows(html: str) -> dict[str, str]:
    rows = re.findall(r"<tr>(.*?)</tr>", html, flags=re.S)
    found = {}
    for row in rows:
        match = re.search(r">(IT-\d{4}-\d{4,})</a>", row)
        if match:
            found[match.group(1)] = row
    return found


def text_of_html(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html)).strip()


@pytest.mark.parametrize("role", [Role.CONSULTANT, Role.MANAGER, Role.ADMIN])
def test_staff_roles_see_the_queue(client, login, make_user, role, add, round_):
    application = add()
    login(client, make_user(role))
    response = client.get("/sagsbehandling/ansoegninger")
    assert response.status_code == 200
    assert application.reference in text_of(response)


def test_applicants_and_anonymous_do_not(client, login, make_user, round_):
    response = client.get("/sagsbehandling/ansoegninger")
    assert response.status_code == 302 and "/log-ind" in response.headers["Location"]
    login(client, make_user(Role.APPLICANT))
    assert client.get("/sagsbehandling/ansoegninger").status_code == 403


def test_no_rounds_yet(client, login, make_user):
    login(client, make_user(Role.MANAGER))
    assert "Der er ingen ansøgningsrunder endnu." in text_of(
        client.get("/sagsbehandling/ansoegninger"))


def _statements_for_queue(app, client, round_id: int) -> int:
    return count_statements(client, "/sagsbehandling/ansoegninger",
                            query_string={"runde": round_id})


def test_queue_loads_related_rows_eagerly(app, client, login, make_user, make_round,
                                          make_provider, make_application, themes):
    clock.freeze(NOW)
    consultant = make_user(Role.CONSULTANT)
    reviewer_ids = (consultant.id, make_user(Role.CONSULTANT).id)
    theme_ids = [t.id for t in themes]
    login(client, consultant)

    def fill(n: int) -> int:
        round_ = make_round(name=f"Runde med {n}")
        for i in range(n):
            application = make_application(round_, make_provider(
                kind=("sel107", "sel85_home")[i % 2]), status=ApplicationStatus.IN_REVIEW)
            application.themes = [db.session.get(Theme, t) for t in theme_ids[i % 3:i % 3 + 2]]
            db.session.add(Review(application=application, reviewer_id=reviewer_ids[i % 2],
                                  assigned_at=clock.now()))
        db.session.commit()
        return round_.id

    small, large = fill(5), fill(50)
    few = _statements_for_queue(app, client, small)
    many = _statements_for_queue(app, client, large)
    assert few == many
    assert few < 15


def test_the_queue_opens_on_the_round_with_the_most_waiting(client, login, make_user,
                                                            make_round, make_provider,
                                                            make_application, add, round_):
    """Not on the newest round when nothing has been submitted there yet."""
    add()
    add(status=ApplicationStatus.IN_REVIEW)
    add(status=ApplicationStatus.APPROVED)
    newer = make_round(name="Sommerrunden", opens_at=aware(2026, 12, 1, 8),
                       closes_at=aware(2027, 6, 1, 10))
    make_application(newer, make_provider(), status=ApplicationStatus.DRAFT)
    busy_but_older = make_round(name="Forårsrunden", opens_at=aware(2026, 2, 1, 8),
                                closes_at=aware(2026, 4, 1, 10))
    make_application(busy_but_older, make_provider(), status=ApplicationStatus.SUBMITTED)
    login(client, make_user(Role.CONSULTANT))

    page = client.get("/sagsbehandling/ansoegninger")
    chosen = re.search(r'<option value="(\d+)" selected>', page.get_data(as_text=True))
    assert chosen and int(chosen.group(1)) == round_.id
    assert len(references(page)) == 3
    # A round asked for by the URL is still shown, empty or not.
    page = client.get("/sagsbehandling/ansoegninger", query_string={"runde": newer.id})
    assert references(page) == []


def test_with_nothing_waiting_the_queue_opens_on_the_latest_deadline(client, login, make_user,
                                                                      make_round, round_):
    later = make_round(name="Sommerrunden", opens_at=aware(2026, 12, 1, 8),
                       closes_at=aware(2027, 6, 1, 10))
    login(client, make_user(Role.MANAGER))
    page = client.get("/sagsbehandling/ansoegninger").get_data(as_text=True)
    assert re.search(r'<option value="(\d+)" selected>', page).group(1) == str(later.id)
