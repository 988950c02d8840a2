"""The manager's exports: the drill-down lists as CSV (Danish Excel) and XLSX, streamed,
filtered as the list page is, and written to the access log."""

from __future__ import annotations

import csv
import io
import tracemalloc
from datetime import date, datetime

import pytest
from openpyxl import load_workbook
from sqlalchemy import insert, select

from indsatsteam.dashboards import exports
from indsatsteam.extensions import db
from indsatsteam.models import AccessLogEntry, Role, Task

import list_helpers

# The shared fixtures, made available to pytest under their names.
world, manager_client = list_helpers.world, list_helpers.manager_client

BOM = "\ufeff"


def wall(*args) -> datetime:
    """A spreadsheet cell's date or time: Danish wall time, without a zone."""
    return datetime(*args)  # noqa: DTZ001

ENGAGEMENT_HEADINGS = ["Tilbud", "Region", "Kommune", "Ansøgningsrunde", "Fase",
                       "Ansvarlig konsulent", "Anden konsulent", "Planlagt start",
                       "Planlagt slut", "Varighed (måneder)", "Faktisk slut"]


def csv_rows(response) -> list[list[str]]:
    text = response.get_data().decode("utf-8")
    assert text.startswith(BOM)
    return list(csv.reader(io.StringIO(text[len(BOM):]), delimiter=";"))


def workbook_rows(response) -> tuple[object, list[list]]:
    sheet = load_workbook(io.BytesIO(response.get_data())).active
    return sheet, [[cell.value for cell in row] for row in sheet.iter_rows()]


# -- CSV -------------------------------------------------------------------------------------

def test_engagements_csv(manager_client, world):
    response = manager_client.get("/leder/eksport/forloeb.csv")
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "text/csv; charset=utf-8"
    assert response.headers["Content-Disposition"] == \
        'attachment; filename="indsatsteam-forloeb-2026-12-02.csv"'
    assert response.headers["Cache-Control"] == "no-store"
    assert csv_rows(response) == [
        ENGAGEMENT_HEADINGS,
        ["Bostøtten Nord", "Region Nordjylland", "Aalborg", "Forårsrunden 2026", "Afsluttet",
         "Karin Konsulent", "", "05-01-2026", "04-07-2026", "6", "10-07-2026"],
        ["Byens Botilbud", "Region Hovedstaden", "København", "Forårsrunden 2026",
         "Sat på pause", "Ole Olsen", "", "01-06-2026", "31-01-2027", "8", ""],
        ["Bostedet Lyngen", "Region Midtjylland", "Aarhus", "Efterårsrunden 2026", "Opstart",
         "Karin Konsulent", "", "02-11-2026", "01-03-2027", "4", ""],
        ["Bostøtten Nord", "Region Nordjylland", "Aalborg", "Efterårsrunden 2026", "Analyse",
         "Karin Konsulent", "Ole Olsen", "02-11-2026", "01-05-2027", "6", ""],
    ]


def test_applications_csv_in_danish_time_across_summer_time(manager_client, world):
    w = world
    rows = csv_rows(manager_client.get("/leder/eksport/ansoegninger.csv"))
    assert rows[0] == ["Reference", "Tilbud", "CVR-nummer", "Type af tilbud", "Ejerform",
                       "Region", "Kommune", "Ansøgningsrunde", "Status", "Indsendt", "Temaer",
                       "Ønsket varighed (måneder)", "Ønsket start"]
    assert rows[1] == [w["submitted"].reference, "Byens Botilbud", "20000005",
                       "Botilbud efter § 107", "Regionalt", "Region Hovedstaden", "København",
                       "Efterårsrunden 2026", "Indsendt", "20-11-2026 11:00",
                       "Sundhed, Civilsamfund", "9", "01-02-2027"]
    submitted = {row[0]: row[9] for row in rows[1:]}
    assert len(submitted) == 7  # never the draft
    assert submitted[w["in_review"].reference] == "25-10-2026 00:30"  # summer time, +2
    assert submitted[w["rejected"].reference] == "29-03-2026 01:30"  # just before the change
    assert submitted[w["e4"].application.reference] == "11-04-2026 10:00"


def test_tasks_csv(manager_client, world):
    rows = csv_rows(manager_client.get("/leder/eksport/opgaver.csv"))
    assert rows[0] == ["Opgave", "Tilbud", "Fase", "Ansvarlig", "Frist", "Status"]
    assert [row[0] for row in rows[1:]] == [
        "Gammel opgave", "Glemt opgave", "Pauseopgave", "Forberede opstartsmøde",
        "Skrive referat", "Indsamle data", "Analysemøde"]
    assert rows[3] == ["Pauseopgave", "Byens Botilbud", "Opstart", "Ikke fordelt",
                       "15-11-2026", "Ikke startet"]
    assert rows[6] == ["Indsamle data", "Bostøtten Nord", "Analyse", "Tilbuddet",
                       "16-12-2026", "Ikke startet"]


@pytest.mark.parametrize(("url", "first_column"), [
    ("/leder/eksport/opgaver.csv?liste=forfaldne", ["Pauseopgave", "Forberede opstartsmøde"]),
    ("/leder/eksport/opgaver.csv?liste=frister", ["Skrive referat", "Indsamle data"]),
    ("/leder/eksport/opgaver.csv?status=done", ["Gammel opgave"]),
    ("/leder/eksport/opgaver.csv?region=Region+Hovedstaden", ["Pauseopgave"]),
    ("/leder/eksport/opgaver.csv?fra=2026-12-01&til=2026-12-16",
     ["Skrive referat", "Indsamle data"]),
    ("/leder/eksport/forloeb.csv?fase=aktive&region=Region+Nordjylland", ["Bostøtten Nord"]),
    ("/leder/eksport/forloeb.csv?fra=2027-02-01", ["Bostedet Lyngen", "Bostøtten Nord"]),
    ("/leder/eksport/ansoegninger.csv?kommune=101&status=approved", ["Byens Botilbud"]),
    ("/leder/eksport/ansoegninger.csv?type=sel85_home", ["Bostøtten Nord", "Bostøtten Nord"]),
])
def test_exports_respect_filters_and_narrowing(manager_client, url, first_column):
    rows = csv_rows(manager_client.get(url))
    column = 1 if "ansoegninger" in url else 0
    assert [row[column] for row in rows[1:]] == first_column


def test_exports_respect_the_consultant_and_round(manager_client, world):
    ole, spring = world["ole"].id, world["spring"].id
    rows = csv_rows(manager_client.get(f"/leder/eksport/forloeb.csv?konsulent={ole}"))
    assert [row[0] for row in rows[1:]] == ["Byens Botilbud", "Bostøtten Nord"]
    rows = csv_rows(manager_client.get(
        f"/leder/eksport/opgaver.csv?liste=forfaldne&ansvarlig={world['karin'].id}"))
    assert [row[0] for row in rows[1:]] == ["Forberede opstartsmøde"]
    rows = csv_rows(manager_client.get(f"/leder/eksport/ansoegninger.csv?runde={spring}"))
    assert [row[0] for row in rows[1:]] == [
        world["e4"].application.reference, world["e3"].application.reference,
        world["rejected"].reference]


def test_text_that_looks_like_a_formula_stays_text(manager_client, world):
    db.session.add(Task(engagement_id=world["e1"].id, phase="startup", title="=1+1",
                        due_date=date(2027, 1, 1), owner_type="provider"))
    db.session.commit()
    rows = csv_rows(manager_client.get("/leder/eksport/opgaver.csv"))
    assert rows[-1][0] == "'=1+1"
    sheet, values = workbook_rows(manager_client.get("/leder/eksport/opgaver.xlsx"))
    assert values[-1][0] == "=1+1"
    assert sheet.cell(row=len(values), column=1).data_type == "s"


# -- XLSX ------------------------------------------------------------------------------------

def test_engagements_xlsx(manager_client, world):
    response = manager_client.get("/leder/eksport/forloeb.xlsx?fase=aktive")
    assert response.status_code == 200
    assert response.headers["Content-Type"] == \
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert response.headers["Content-Disposition"] == \
        'attachment; filename="indsatsteam-forloeb-2026-12-02.xlsx"'
    sheet, rows = workbook_rows(response)
    assert sheet.title == "Forløb"
    assert rows[0] == ENGAGEMENT_HEADINGS
    assert sheet["A1"].font.bold
    assert rows[1:] == [
        ["Byens Botilbud", "Region Hovedstaden", "København", "Forårsrunden 2026",
         "Sat på pause", "Ole Olsen", None, wall(2026, 6, 1), wall(2027, 1, 31), 8,
         None],
        ["Bostedet Lyngen", "Region Midtjylland", "Aarhus", "Efterårsrunden 2026", "Opstart",
         "Karin Konsulent", None, wall(2026, 11, 2), wall(2027, 3, 1), 4, None],
        ["Bostøtten Nord", "Region Nordjylland", "Aalborg", "Efterårsrunden 2026", "Analyse",
         "Karin Konsulent", "Ole Olsen", wall(2026, 11, 2), wall(2027, 5, 1), 6, None],
    ]
    assert sheet["H2"].number_format == "dd-mm-yyyy"
    assert sheet["H2"].is_date


def test_applications_xlsx_has_danish_wall_times(manager_client, world):
    sheet, rows = workbook_rows(manager_client.get(
        "/leder/eksport/ansoegninger.xlsx?status=uafgjorte"))
    assert sheet.title == "Ansøgninger"
    assert [row[0] for row in rows[1:]] == [world["submitted"].reference,
                                            world["in_review"].reference]
    assert rows[1][9] == wall(2026, 11, 20, 11, 0)
    assert rows[2][9] == wall(2026, 10, 25, 0, 30)
    assert sheet["J2"].number_format == "dd-mm-yyyy hh:mm"
    assert rows[1][10:] == ["Sundhed, Civilsamfund", 9, wall(2027, 2, 1)]


def test_tasks_xlsx_special_list(manager_client, world):
    response = manager_client.get("/leder/eksport/opgaver.xlsx?liste=frister")
    assert response.headers["Content-Disposition"] == \
        'attachment; filename="indsatsteam-opgaver-2026-12-02.xlsx"'
    _, rows = workbook_rows(response)
    assert rows[1:] == [
        ["Skrive referat", "Bostedet Lyngen", "Opstart", "Karin Konsulent",
         wall(2026, 12, 2), "I gang"],
        ["Indsamle data", "Bostøtten Nord", "Analyse", "Tilbuddet", wall(2026, 12, 16),
         "Ikke startet"],
    ]


# -- streaming -------------------------------------------------------------------------------

def test_csv_is_streamed_a_batch_at_a_time(manager_client, monkeypatch):
    monkeypatch.setattr(exports, "YIELD_PER", 2)
    response = manager_client.get("/leder/eksport/opgaver.csv", buffered=False)
    assert response.is_streamed
    chunks = list(response.response)
    response.close()
    # The headings first, then one chunk per two of the seven tasks.
    assert len(chunks) == 1 + 4
    assert chunks[0].decode("utf-8") == BOM + "Opgave;Tilbud;Fase;Ansvarlig;Frist;Status\r\n"
    assert chunks[1].decode("utf-8").count("\r\n") == 2


def _add_tasks(engagement_id: int, n: int) -> None:
    db.session.execute(insert(Task), [
        dict(engagement_id=engagement_id, phase="startup", title=f"Opgave nummer {i:05d}",
             due_date=date(2027, 1, 1 + i % 28), owner_type="provider", status="not_started")
        for i in range(n)])
    db.session.commit()


def _export_peak(client, url: str) -> tuple[int, int]:
    """(bytes sent, peak memory traced while exporting)."""
    tracemalloc.start()
    try:
        response = client.get(url, buffered=False)
        size = sum(len(chunk) for chunk in response.response)
        response.close()
        return size, tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def test_a_large_csv_export_does_not_build_up_in_memory(manager_client, world):
    _add_tasks(world["e1"].id, 10_000)
    small, small_peak = _export_peak(manager_client, "/leder/eksport/opgaver.csv")
    _add_tasks(world["e1"].id, 20_000)
    large, large_peak = _export_peak(manager_client, "/leder/eksport/opgaver.csv")
    assert large > 2.5 * small
    # Three times the rows, (nearly) the same peak: a batch at a time, not the whole file.
    assert large_peak - small_peak < (large - small) / 4, (small_peak, large_peak)


# -- who may, and the access log ---------------------------------------------------------------

def test_each_export_is_written_to_the_access_log(manager_client, world):
    manager_client.get("/leder/eksport/opgaver.xlsx?liste=forfaldne").get_data()
    manager_client.get("/leder/eksport/forloeb.csv?fase=analysis").get_data()
    entries = db.session.execute(
        select(AccessLogEntry).order_by(AccessLogEntry.id)).scalars().all()
    assert [(e.action, e.object_type, e.object_id, e.viewer_id, e.description, e.path)
            for e in entries] == [
        ("export", "task", None, world["manager"].id,
         "Eksport (XLSX): Overskredne opgaver i aktive forløb",
         "/leder/eksport/opgaver.xlsx?liste=forfaldne"),
        ("export", "engagement", None, world["manager"].id,
         "Eksport (CSV): Forløb i fasen Analyse", "/leder/eksport/forloeb.csv?fase=analysis"),
    ]


@pytest.mark.parametrize("url", [
    "/leder/eksport/ukendt.csv", "/leder/eksport/forloeb.pdf", "/leder/eksport/forloeb",
    "/leder/eksport/forloeb.csv?liste=forfaldne", "/leder/eksport/opgaver.csv?liste=forloeb",
    "/leder/eksport/forloeb.csv?fase=ukendt", "/leder/eksport/opgaver.xlsx?ansvarlig=abc",
])
def test_unknown_exports_are_404(manager_client, url):
    assert manager_client.get(url).status_code == 404
    assert db.session.execute(select(AccessLogEntry)).first() is None


def test_invalid_filter_refuses_the_export(manager_client):
    assert manager_client.get("/leder/eksport/forloeb.csv?fra=igaar").status_code == 400
    assert db.session.execute(select(AccessLogEntry)).first() is None


@pytest.mark.parametrize("role", [Role.CONSULTANT, Role.ADMIN, Role.APPLICANT])
def test_only_managers_may_export(client, login, make_user, world, role):
    login(client, make_user(role))
    for url in ("/leder/eksport/forloeb.csv", "/leder/eksport/ansoegninger.xlsx"):
        assert client.get(url).status_code == 403


def test_anonymous_is_sent_to_log_in(client, world):
    response = client.get("/leder/eksport/opgaver.csv")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/log-ind?next=")
