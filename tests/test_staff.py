"""The staff's list of applications per round and the read-only application page, for
consultants, managers and admins alike."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest

from indsatsteam import clock
from indsatsteam.domain.applications import ApplicationStatus
from indsatsteam.extensions import db
from indsatsteam.models import ApplicationStatusChange, Role

from helpers import aware, text_of

NOW = aware(2026, 12, 10, 9, 0)
STAFF_ROLES = [Role.CONSULTANT, Role.MANAGER, Role.ADMIN]
LIST = "/sagsbehandling/ansoegninger"


def rows(response) -> list[str]:
    """The visible text of each row of the list."""
    body = response.get_data(as_text=True)
    tbody = re.search(r"<tbody>(.*?)</tbody>", body, re.S)
    if tbody is None:
        return []
    return [re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", row)).strip()
            for row in re.findall(r"<tr>(.*?)</tr>", tbody.group(1), re.S)]


def counts(response) -> dict[str, int]:
    """The "Status i runden" list as {label: count}."""
    body = response.get_data(as_text=True)
    section = re.search(r"<h3>Status i runden</h3>\s*<ul[^>]*>(.*?)</ul>", body, re.S).group(1)
    return {label.strip(): int(n) for label, n in
            re.findall(r"<a [^>]*>([^<:]+): (\d+)</a>", section)}


@pytest.fixture
def staff_client(app, login, make_user):
    def _client(role=Role.CONSULTANT):
        client = app.test_client()
        login(client, make_user(role))
        client.get("/")  # shows the login message
        return client

    return _client


@pytest.fixture
def round_(make_round):
    clock.freeze(NOW)
    return make_round(name="Vinterrunden", opens_at=aware(2026, 10, 1, 6, 0),
                      closes_at=aware(2026, 12, 1, 11, 0), programmes_offered=3)


@pytest.fixture
def add(make_provider, make_application, round_):
    """add(status, name=…, round_=…) → an application of a new provider, submitted in order."""
    order = iter(range(1000))

    def _add(status=ApplicationStatus.SUBMITTED, name=None, in_round=None):
        provider = make_provider(**({"name": name} if name else {}))
        application = make_application(in_round or round_, provider, status=status)
        if status != ApplicationStatus.DRAFT:
            application.submitted_at = aware(2026, 11, 1, 9, 0) + timedelta(
                minutes=next(order))
            db.session.commit()
        return application

    return _add


@pytest.mark.parametrize("role", STAFF_ROLES)
def test_the_list_counts_each_status_of_the_round(staff_client, add, role):
    for status, n in ((ApplicationStatus.SUBMITTED, 3), (ApplicationStatus.IN_REVIEW, 2),
                      (ApplicationStatus.APPROVED, 1), (ApplicationStatus.WITHDRAWN, 1),
                      (ApplicationStatus.DRAFT, 4)):
        for _ in range(n):
            add(status)
    response = staff_client(role).get(LIST)
    assert response.status_code == 200
    assert counts(response) == {"I alt": 7, "Indsendt": 3, "Under behandling": 2,
                                "Godkendt": 1, "Afslået": 0, "På venteliste": 0,
                                "Trukket tilbage": 1}
    assert len(rows(response)) == 7
    page = text_of(response)
    assert "Vinterrunden" in page and "Frist 1. december 2026 kl. 12.00" in page
    assert "3 forløb i runden · 1 godkendt" in page
    assert "7 ansøgninger, ældste først" in page


def test_drafts_are_never_listed(staff_client, add):
    draft = add(ApplicationStatus.DRAFT, name="Kladdehuset")
    add(ApplicationStatus.SUBMITTED, name="Indsendthuset")
    client = staff_client(Role.MANAGER)
    for query in ("", "?status=draft", f"?runde={draft.round_id}&status=draft"):
        response = client.get(LIST + query)
        page = text_of(response)
        assert "Kladdehuset" not in page, query
        assert "Indsendthuset" in page, query
        assert "Kladde" not in counts(response), query


def test_the_status_filter(staff_client, add):
    approved = add(ApplicationStatus.APPROVED, name="Godkendthuset")
    add(ApplicationStatus.SUBMITTED, name="Indsendthuset")
    add(ApplicationStatus.REJECTED, name="Afslåethuset")
    response = staff_client().get(f"{LIST}?status=approved")
    listed = rows(response)
    assert len(listed) == 1
    assert listed[0].startswith(f"{approved.reference} Godkendthuset")
    assert "Godkendt" in listed[0]
    assert "1 ansøgning matcher filtrene" in text_of(response)
    # The counts still describe the whole round, and the chosen status is marked.
    assert counts(response)["I alt"] == 3
    assert re.search(r'<a href="[^"]*status=approved[^"]*" aria-current="true">Godkendt: 1</a>',
                     response.get_data(as_text=True))


def test_an_unknown_status_shows_everything(staff_client, add):
    add(ApplicationStatus.SUBMITTED)
    add(ApplicationStatus.APPROVED)
    response = staff_client().get(f"{LIST}?status=findes-ikke")
    assert response.status_code == 200
    assert len(rows(response)) == 2


def test_the_list_shows_one_round_at_a_time(staff_client, add, make_round):
    earlier = make_round(name="Forårsrunden", opens_at=aware(2026, 3, 1, 6, 0),
                         closes_at=aware(2026, 5, 1, 10, 0))
    add(name="Vinterhuset")
    add(name="Forårshuset", in_round=earlier)
    client = staff_client()
    newest = text_of(client.get(LIST))
    assert "Vinterhuset" in newest and "Forårshuset" not in newest
    chosen = text_of(client.get(f"{LIST}?runde={earlier.id}"))
    assert "Forårshuset" in chosen and "Vinterhuset" not in chosen
    assert "Frist 1. maj 2026 kl. 12.00" in chosen


@pytest.mark.parametrize("runde", ["987654", "abc", "", "-1"])
def test_an_unknown_round_falls_back_to_the_newest(staff_client, add, runde):
    add(name="Vinterhuset")
    response = staff_client().get(f"{LIST}?runde={runde}")
    assert response.status_code == 200
    page = text_of(response)
    assert "Vinterrunden" in page and "Vinterhuset" in page


def test_no_rounds_yet(staff_client):
    page = text_of(staff_client().get(LIST))
    assert "Der er ingen ansøgningsrunder endnu." in page


def test_thirty_applications_make_two_pages(staff_client, add):
    applications = [add() for _ in range(30)]
    client = staff_client()

    first = client.get(LIST)
    first_rows = rows(first)
    assert len(first_rows) == 25
    assert first_rows[0].startswith(applications[0].reference)  # oldest first
    page = text_of(first)
    assert "30 ansøgninger, ældste først · side 1 af 2" in page
    assert "Side 1 af 2" in page
    body = first.get_data(as_text=True)
    assert re.search(r'href="/sagsbehandling/ansoegninger\?[^"]*side=2"', body)

    second = client.get(f"{LIST}?side=2")
    second_rows = rows(second)
    assert len(second_rows) == 5
    assert [r.split()[0] for r in second_rows] == [a.reference for a in applications[25:]]
    assert "side 2 af 2" in text_of(second)
    listed = {r.split()[0] for r in first_rows + second_rows}
    assert listed == {a.reference for a in applications}


@pytest.mark.parametrize(("side", "expected_rows"), [("99", 5), ("0", 25), ("-3", 25),
                                                     ("abc", 25)])
def test_paging_beyond_the_ends_is_graceful(staff_client, add, side, expected_rows):
    for _ in range(30):
        add()
    response = staff_client().get(f"{LIST}?side={side}")
    assert response.status_code == 200
    assert len(rows(response)) == expected_rows


def test_one_page_has_no_pagination(staff_client, add):
    for _ in range(25):
        add()
    response = staff_client().get(LIST)
    assert len(rows(response)) == 25
    assert 'class="pagination"' not in response.get_data(as_text=True)


# --- the application page ---------------------------------------------------------------------

@pytest.fixture
def submitted(add, make_user):
    applicant = make_user(Role.APPLICANT, name="Sofie Ansøger")
    application = add(ApplicationStatus.SUBMITTED, name="Bostedet Lyngen")
    db.session.add_all([
        ApplicationStatusChange(application=application, from_status=None, to_status="draft",
                                actor=applicant, at=aware(2026, 10, 20, 9, 0),
                                comment="Kladde oprettet"),
        ApplicationStatusChange(application=application, from_status="draft",
                                to_status="submitted", actor=applicant,
                                at=aware(2026, 11, 1, 9, 0), comment="Indsendt af ansøger"),
    ])
    db.session.commit()
    return application


@pytest.mark.parametrize("role", STAFF_ROLES)
def test_the_application_page_shows_answers_and_history(staff_client, submitted, role):
    response = staff_client(role).get(f"{LIST}/{submitted.id}")
    assert response.status_code == 200
    page = text_of(response)
    assert f"Ansøgning {submitted.reference}" in page
    assert "Bostedet Lyngen" in page and "Vinterrunden" in page and "Indsendt" in page
    for answer in ("Kim Kontakt", "kim@example.dk", "6 måneder", "Leder og personale",
                   "Lederen", "Vi vil udvikle os", "Dokumentation", "Bedre praksis",
                   "Ledelse og organisation, Helhed og sammenhæng"):
        assert answer in page, answer
    history = re.search(r"<caption>Historik</caption>(.*?)</table>",
                        response.get_data(as_text=True), re.S).group(1)
    history_text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", history))
    assert "Indsendt Sofie Ansøger Indsendt af ansøger" in history_text
    assert "Kladde Sofie Ansøger Kladde oprettet" in history_text
    assert history_text.index("Indsendt af ansøger") < history_text.index("Kladde oprettet")


@pytest.mark.parametrize("role", STAFF_ROLES)
def test_the_application_page_is_read_only(staff_client, submitted, role):
    body = staff_client(role).get(f"{LIST}/{submitted.id}").get_data(as_text=True)
    # No links into the applicant's form, and nothing to change the answers with.
    assert "/trin/" not in body and "/tjek" not in body
    assert "Ret " not in text_of_summary(body)
    forms = re.findall(r'<form method="post" action="([^"]+)"', body)
    assert set(forms) <= {"/log-ud", f"{LIST}/{submitted.id}/bedoemmere"}


def text_of_summary(body: str) -> str:
    section = body.split("<h2 class=\"mt-7\">Ansøgningen</h2>", 1)[1]
    return re.sub(r"<[^>]+>", " ", section)


def test_the_list_links_to_the_application_page(staff_client, submitted):
    body = staff_client().get(LIST).get_data(as_text=True)
    assert f'<a href="{LIST}/{submitted.id}">{submitted.reference}</a>' in body


def test_an_unknown_application_is_404(staff_client):
    response = staff_client().get(f"{LIST}/987654")
    assert response.status_code == 404
    assert "Siden findes ikke" in text_of(response)
