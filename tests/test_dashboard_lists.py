"""The manager's drill-down list: which forløb, applications and tasks lie behind a figure,
checked row by row against the hand-made data set in list_helpers."""

from __future__ import annotations

import html
import re
from datetime import date, timedelta
from urllib.parse import parse_qs, urlsplit

import pytest

from indsatsteam.domain.applications import ApplicationStatus
from indsatsteam.extensions import db
from indsatsteam.models import Role, Task

import list_helpers
from helpers import count_statements, field_error, text_of
from list_helpers import LIST, first_column, table_rows

# The shared fixtures, made available to pytest under their names.
world, manager_client = list_helpers.world, list_helpers.manager_client


def get(client, **params):
    return client.get(LIST, query_string=params)


def h1(response) -> str:
    match = re.search(r"<h1>(.*?)</h1>", response.get_data(as_text=True), flags=re.S)
    return html.unescape(match.group(1)).strip()


def link(response, text: str) -> str:
    match = re.search(rf'<a href="([^"]*)"[^>]*>\s*(?:<[^>]+>\s*)*{re.escape(text)}',
                      response.get_data(as_text=True))
    assert match, f"no link {text!r}"
    return html.unescape(match.group(1))


def query_of(url: str) -> dict[str, list[str]]:
    return parse_qs(urlsplit(url).query)


# -- forløb ----------------------------------------------------------------------------------

def test_engagements_are_the_default_list_with_every_column(manager_client, world):
    response = manager_client.get(LIST)
    assert response.status_code == 200
    assert h1(response) == "Forløb"
    assert "4 forløb" in text_of(response)
    assert table_rows(response) == [
        ["Bostøtten Nord", "Region Nordjylland", "Aalborg", "Forårsrunden 2026", "Afsluttet",
         "Karin Konsulent", "–", "5. januar 2026", "4. juli 2026", "6", "10. juli 2026"],
        ["Byens Botilbud", "Region Hovedstaden", "København", "Forårsrunden 2026",
         "Sat på pause", "Ole Olsen", "–", "1. juni 2026", "31. januar 2027", "8", "–"],
        ["Bostedet Lyngen", "Region Midtjylland", "Aarhus", "Efterårsrunden 2026", "Opstart",
         "Karin Konsulent", "–", "2. november 2026", "1. marts 2027", "4", "–"],
        ["Bostøtten Nord", "Region Nordjylland", "Aalborg", "Efterårsrunden 2026", "Analyse",
         "Karin Konsulent", "Ole Olsen", "2. november 2026", "1. maj 2027", "6", "–"],
    ]
    page = response.get_data(as_text=True)
    assert f'href="/forloeb/{world["e3"].id}"' in page


def test_table_markup_follows_dkfds(manager_client, world):
    page = get(manager_client, liste="forloeb").get_data(as_text=True)
    assert ('<div class="table--responsive-scroll" tabindex="0" '
            'data-scrolls-sideways="export-columns">\n<table class="table table--many-columns">'
            ) in page
    assert "<caption>Forløb: 4 forløb</caption>" in page
    assert '<th scope="col">Planlagt slut</th>' in page
    assert page.count('<th scope="row">') == 4


@pytest.mark.parametrize(("params", "heading", "providers"), [
    ({"fase": "analysis"}, "Forløb i fasen Analyse", ["Bostøtten Nord"]),
    ({"fase": "aktive"}, "Aktive forløb", ["Byens Botilbud", "Bostedet Lyngen",
                                           "Bostøtten Nord"]),
    ({"fase": "completed"}, "Forløb i fasen Afsluttet", ["Bostøtten Nord"]),
    ({"fase": "development"}, "Forløb i fasen Udvikling", []),
])
def test_engagements_by_phase(manager_client, params, heading, providers):
    response = get(manager_client, liste="forloeb", **params)
    assert h1(response) == heading
    if providers:
        assert first_column(response) == providers
    else:
        assert table_rows(response) == [["Ingen forløb passer til filtrene."]]
        assert "0 forløb" in text_of(response)


def test_engagements_respect_every_filter(manager_client, world):
    def rounds(**params):
        return [row[3] + "/" + row[0] for row in table_rows(get(manager_client, **params))]

    assert rounds(konsulent=world["ole"].id) == [  # lead of e3, second on e2
        "Forårsrunden 2026/Byens Botilbud", "Efterårsrunden 2026/Bostøtten Nord"]
    assert rounds(region="Region Nordjylland") == [
        "Forårsrunden 2026/Bostøtten Nord", "Efterårsrunden 2026/Bostøtten Nord"]
    assert rounds(runde=world["spring"].id) == [
        "Forårsrunden 2026/Bostøtten Nord", "Forårsrunden 2026/Byens Botilbud"]
    # The planned period overlaps the chosen one.
    assert rounds(fra="2027-02-01") == [
        "Efterårsrunden 2026/Bostedet Lyngen", "Efterårsrunden 2026/Bostøtten Nord"]
    assert rounds(til="2026-05-31") == ["Forårsrunden 2026/Bostøtten Nord"]
    assert rounds(fra="2027-02-01", konsulent=world["ole"].id, fase="aktive") == [
        "Efterårsrunden 2026/Bostøtten Nord"]


def test_engagements_by_the_consultants_role(manager_client, world):
    response = get(manager_client, konsulent=world["karin"].id, rolle="leder")
    assert first_column(response) == ["Bostøtten Nord", "Bostedet Lyngen", "Bostøtten Nord"]
    assert "Karin Konsulent er ansvarlig konsulent" in text_of(response)
    response = get(manager_client, konsulent=world["ole"].id, rolle="anden")
    assert [row[6] for row in table_rows(response)] == ["Ole Olsen"]
    assert "Ole Olsen er anden konsulent" in text_of(response)


# -- applications ----------------------------------------------------------------------------

def references(response) -> list[str]:
    return first_column(response)


def test_applications_never_drafts_newest_first(manager_client, world):
    w = world
    response = get(manager_client, liste="ansoegninger")
    assert h1(response) == "Ansøgninger"
    assert "7 ansøgninger" in text_of(response)
    assert references(response) == [
        w["submitted"].reference, w["e2"].application.reference,
        w["e1"].application.reference, w["in_review"].reference,
        w["e4"].application.reference, w["e3"].application.reference,
        w["rejected"].reference]
    assert table_rows(response)[0] == [
        w["submitted"].reference, "Byens Botilbud", "20000005", "Botilbud efter § 107",
        "Regionalt", "Region Hovedstaden", "København", "Efterårsrunden 2026", "Indsendt",
        "20. november 2026 kl. 11.00", "Sundhed, Civilsamfund", "9", "1. februar 2027"]
    # Summer time: 22.30 UTC on 24 October is 00.30 on the 25th in Denmark.
    assert table_rows(response)[3][8:11] == [
        "Under behandling", "25. oktober 2026 kl. 00.30",
        "Ledelse og organisation, Helhed og sammenhæng"]
    page = response.get_data(as_text=True)
    assert f'href="/sagsbehandling/ansoegninger/{w["submitted"].id}"' in page


@pytest.mark.parametrize(("params", "heading", "expected"), [
    ({"status": "uafgjorte"}, "Uafgjorte ansøgninger", ["submitted", "in_review"]),
    ({"status": "approved"}, "Ansøgninger med status Godkendt", ["e2", "e1", "e4", "e3"]),
    ({"status": "rejected"}, "Ansøgninger med status Afslået", ["rejected"]),
    ({"type": "sel85_home"}, "Ansøgninger", ["e2", "e4"]),
    ({"ejerform": "privat"}, "Ansøgninger", ["e2", "e4"]),
    ({"kommune": "101"}, "Ansøgninger", ["submitted", "e3"]),
    ({"kommune": "0101"}, "Ansøgninger", ["submitted", "e3"]),
    ({"region": "Region Midtjylland"}, "Ansøgninger", ["e1", "in_review", "rejected"]),
    ({"fra": "2026-11-02", "til": "2026-11-03"}, "Ansøgninger", ["e2", "e1"]),
    ({"fra": "2026-10-25", "til": "2026-10-25"}, "Ansøgninger", ["in_review"]),
    ({"status": "approved", "type": "sel85_home"}, "Ansøgninger med status Godkendt",
     ["e2", "e4"]),
])
def test_applications_narrowed(manager_client, world, params, heading, expected):
    def reference(key):
        obj = world[key]
        return obj.reference if hasattr(obj, "reference") else obj.application.reference

    response = get(manager_client, liste="ansoegninger", **params)
    assert response.status_code == 200
    assert h1(response) == heading
    assert references(response) == [reference(k) for k in expected]


def test_applications_by_theme_round_and_consultant(manager_client, world):
    w = world
    response = get(manager_client, liste="ansoegninger", tema=w["themes"]["Civilsamfund"].id)
    assert references(response) == [w["submitted"].reference]
    assert "Afgrænset til tema: Civilsamfund." in text_of(response)
    response = get(manager_client, liste="ansoegninger", runde=w["spring"].id)
    assert references(response) == [w["e4"].application.reference,
                                    w["e3"].application.reference, w["rejected"].reference]
    # Ole runs e2 (second) and e3 (lead) and has reviewed nothing.
    response = get(manager_client, liste="ansoegninger", konsulent=w["ole"].id)
    assert references(response) == [w["e2"].application.reference,
                                    w["e3"].application.reference]
    response = get(manager_client, liste="ansoegninger", type="sel107", kommune="101",
                   ejerform="region")
    assert ("Afgrænset til type af tilbud: Botilbud efter § 107, ejerform: Regionalt, "
            "kommune: København.") in text_of(response)


# -- tasks -----------------------------------------------------------------------------------

def test_tasks_by_due_date_with_owner_and_link(manager_client, world):
    response = get(manager_client, liste="opgaver")
    assert h1(response) == "Opgaver"
    assert "7 opgaver" in text_of(response)
    rows = table_rows(response)
    assert [row[0] for row in rows] == [
        "Gammel opgave", "Glemt opgave", "Pauseopgave", "Forberede opstartsmøde",
        "Skrive referat", "Indsamle data", "Analysemøde"]
    assert rows[0] == ["Gammel opgave", "Bostedet Lyngen", "Opstart", "Karin Konsulent",
                       "1. november 2026", "Gennemført"]
    assert rows[2] == ["Pauseopgave", "Byens Botilbud", "Opstart", "Ikke fordelt",
                       "15. november 2026", "Ikke startet"]
    assert rows[4][5] == "I gang"
    assert rows[5] == ["Indsamle data", "Bostøtten Nord", "Analyse", "Tilbuddet",
                       "16. december 2026", "Ikke startet"]
    assert f'href="/forloeb/{world["e2"].id}#opgaver"' in response.get_data(as_text=True)


@pytest.mark.parametrize(("params", "heading", "titles"), [
    ({"liste": "forfaldne"}, "Overskredne opgaver i aktive forløb",
     ["Pauseopgave", "Forberede opstartsmøde"]),
    ({"liste": "frister"}, "Opgaver med frist de næste 14 dage i aktive forløb",
     ["Skrive referat", "Indsamle data"]),
    ({"liste": "opgaver", "status": "done"}, "Opgaver med status Gennemført",
     ["Gammel opgave"]),
    ({"liste": "opgaver", "status": "aabne", "aktive": "1"}, "Åbne opgaver",
     ["Pauseopgave", "Forberede opstartsmøde", "Skrive referat", "Indsamle data",
      "Analysemøde"]),
    ({"liste": "opgaver", "fra": "2026-12-01", "til": "2026-12-16"}, "Opgaver",
     ["Skrive referat", "Indsamle data"]),
    ({"liste": "frister", "til": "2026-12-10"},
     "Opgaver med frist de næste 14 dage i aktive forløb", ["Skrive referat"]),
])
def test_task_lists(manager_client, params, heading, titles):
    response = get(manager_client, **params)
    assert h1(response) == heading
    assert first_column(response) == titles


def test_tasks_by_owner_and_consultant(manager_client, world):
    karin, ole = world["karin"].id, world["ole"].id
    response = get(manager_client, liste="opgaver", ansvarlig=karin)
    assert first_column(response) == ["Gammel opgave", "Glemt opgave",
                                      "Forberede opstartsmøde", "Skrive referat"]
    assert "Afgrænset til ansvarlig: Karin Konsulent." in text_of(response)
    assert first_column(get(manager_client, liste="forfaldne", ansvarlig=karin)) == [
        "Forberede opstartsmøde"]
    # The consultant filter: the tasks of the forløb Ole leads or seconds.
    assert first_column(get(manager_client, liste="opgaver", konsulent=ole)) == [
        "Pauseopgave", "Indsamle data", "Analysemøde"]
    assert first_column(get(manager_client, liste="opgaver", region="Region Midtjylland")) \
        == ["Gammel opgave", "Forberede opstartsmøde", "Skrive referat"]


# -- the page around the table -------------------------------------------------------------

def test_links_keep_the_filters_and_the_narrowing(manager_client, world):
    ole = str(world["ole"].id)
    response = get(manager_client, liste="forfaldne", konsulent=ole, ansvarlig=ole,
                   fra="2026-11-01")
    csv_url = link(response, "Hent som CSV")
    assert urlsplit(csv_url).path == "/leder/eksport/opgaver.csv"
    assert query_of(csv_url) == {"liste": ["forfaldne"], "konsulent": [ole],
                                 "ansvarlig": [ole], "fra": ["2026-11-01"]}
    xlsx_url = link(response, "Hent som Excel (XLSX)")
    assert urlsplit(xlsx_url).path == "/leder/eksport/opgaver.xlsx"
    assert query_of(xlsx_url) == query_of(csv_url)
    back = link(response, "Tilbage til overblikket")
    assert urlsplit(back).path == "/leder/overblik"
    assert query_of(back) == {"konsulent": [ole], "fra": ["2026-11-01"]}
    page = response.get_data(as_text=True)
    # The filter form carries the list and its narrowing along.
    assert '<input type="hidden" name="liste" value="forfaldne">' in page
    assert f'<input type="hidden" name="ansvarlig" value="{ole}">' in page

    response = get(manager_client, liste="forloeb", fase="analysis")
    assert query_of(link(response, "Hent som CSV")) == {"fase": ["analysis"]}


def test_invalid_filter_shows_the_message_and_answers_400(manager_client, world):
    response = get(manager_client, liste="forloeb", fra="igaar", konsulent=world["ole"].id)
    assert response.status_code == 400
    assert field_error(response, "fra") == "Indtast en gyldig dato"
    assert "Fejl:" in response.get_data(as_text=True).split("</title>")[0]
    # The valid filters still apply.
    assert first_column(response) == ["Byens Botilbud", "Bostøtten Nord"]
    response = get(manager_client, fra="2026-12-01", til="2026-11-01")
    assert response.status_code == 400
    assert field_error(response, "til") == \
        "Til-datoen skal være samme dag som fra-datoen eller senere"


@pytest.mark.parametrize("params", [
    {"liste": "ukendt"}, {"liste": "forloeb", "fase": "ukendt"},
    {"liste": "ansoegninger", "status": "draft"}, {"liste": "ansoegninger", "kommune": "999"},
    {"liste": "ansoegninger", "tema": "999999"}, {"liste": "opgaver", "ansvarlig": "abc"},
    {"liste": "opgaver", "ansvarlig": "999999"}, {"liste": "opgaver", "status": "approved"},
])
def test_unknown_lists_and_values_are_404(manager_client, params):
    assert get(manager_client, **params).status_code == 404


def test_parameters_of_other_lists_are_ignored(manager_client):
    response = get(manager_client, liste="forloeb", status="approved", ansvarlig="abc")
    assert response.status_code == 200
    assert "4 forløb" in text_of(response)


def _add_tasks(engagement_id: int, n: int, due: date) -> None:
    db.session.add_all(Task(engagement_id=engagement_id, phase="startup", title=f"Ekstra {i:02d}",
                            due_date=due + timedelta(days=i % 3), owner_type="provider")
                       for i in range(n))
    db.session.commit()


def test_pagination_50_rows_a_page(manager_client, world):
    _add_tasks(world["e1"].id, 53, date(2027, 1, 10))  # 60 tasks, all after the world's
    response = get(manager_client, liste="opgaver", region="Region Midtjylland")
    rows = table_rows(response)
    assert len(rows) == 50 and "56 opgaver" in text_of(response)
    assert "side 1 af 2" in text_of(response)
    next_page = link(response, "Næste")
    assert query_of(next_page) == {"liste": ["opgaver"], "region": ["Region Midtjylland"],
                                   "side": ["2"]}
    second = manager_client.get(next_page)
    assert len(table_rows(second)) == 6
    shown = first_column(response) + first_column(second)
    assert len(set(shown)) == 56
    # Past the last page: the last page.
    assert first_column(get(manager_client, liste="opgaver", region="Region Midtjylland",
                            side=9)) == first_column(second)


@pytest.mark.parametrize("params", [
    {"liste": "forloeb"}, {"liste": "forloeb", "fase": "aktive", "konsulent": "karin"},
    {"liste": "ansoegninger", "tema": "Sundhed"}, {"liste": "opgaver", "ansvarlig": "karin"},
    {"liste": "forfaldne"}, {"liste": "frister"},
])
def test_statements_do_not_grow_with_the_rows(manager_client, world, make_provider,
                                              make_application, params):
    ids = {"karin": world["karin"].id, "Sundhed": world["themes"]["Sundhed"].id}
    url = LIST + "?" + "&".join(f"{k}={ids.get(v, v)}" for k, v in params.items())
    before = count_statements(manager_client, url)
    for _ in range(45):
        application = make_application(world["autumn"], make_provider(),
                                       status=ApplicationStatus.SUBMITTED)
        application.themes = [world["themes"]["Sundhed"]]
    db.session.add_all(Task(engagement_id=world["e1"].id, phase="startup", title="Mere",
                            due_date=date(2026, 11, 20 + i % 10), owner_type="consultant",
                            owner_user_id=world["karin"].id) for i in range(45))
    db.session.commit()
    assert count_statements(manager_client, url) == before
    assert before <= 15


def test_only_managers(client, login, world, make_user):
    assert client.get(LIST).status_code == 302
    login(client, world["karin"])
    assert client.get(LIST).status_code == 403
    admin = client.application.test_client()
    login(admin, make_user(Role.ADMIN))
    assert admin.get(LIST).status_code == 403
