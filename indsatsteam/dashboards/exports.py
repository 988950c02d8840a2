"""A drill-down list as CSV or XLSX, written row by row: rows come from the database a
thousand at a time and leave as they are written, so a large export never sits in memory."""

from __future__ import annotations

import csv
import io
import tempfile
from collections.abc import Iterable, Iterator
from typing import IO

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from ..domain.danish_time import local_wall_time, utc_to_local
from ..extensions import db
from .lists import DATE, DATETIME, TEXT, Column, DrillDown

YIELD_PER = 1000
FILE_CHUNK = 64 * 1024
CSV_DATE, CSV_DATETIME = "%d-%m-%Y", "%d-%m-%Y %H:%M"
XLSX_DATE, XLSX_DATETIME = "dd-mm-yyyy", "dd-mm-yyyy hh:mm"
# Spreadsheets run a cell that starts with one of these as a formula (CSV injection); a
# provider's name or a task title is typed by people outside the team.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
MIME_TYPES = {"csv": "text/csv; charset=utf-8",
              "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}


def _partitions(d: DrillDown) -> Iterator[list]:
    """The list's rows in batches, read through a server-side cursor where there is one.
    The statement runs when this is called, not at the first batch."""
    result = db.session.execute(d.rows_statement().execution_options(yield_per=YIELD_PER))
    return result.partitions()


def _values(columns: tuple[Column, ...], partition: Iterable) -> Iterator[list]:
    for row in partition:
        yield [(column, column.value(row)) for column in columns]


# -- CSV -------------------------------------------------------------------------------------

def _csv_text(column: Column, value) -> str:
    if value is None:
        return ""
    if column.kind == DATE:
        return value.strftime(CSV_DATE)
    if column.kind == DATETIME:
        return utc_to_local(value).strftime(CSV_DATETIME)
    text = str(value)
    if column.kind == TEXT and text.startswith(FORMULA_START):
        return "'" + text
    return text


def csv_chunks(d: DrillDown) -> Iterator[bytes]:
    """UTF-8 with a byte order mark and `;` between fields: what Danish Excel opens as
    columns without an import dialogue. The headings go out first, then one chunk per batch.
    The query runs before the headings, so the route can pull the first chunk before it
    answers and a failing query is an error page, not a truncated file."""
    partitions = _partitions(d)
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow([column.heading for column in d.kind.columns])
    yield ("\ufeff" + buffer.getvalue()).encode()
    for partition in partitions:
        buffer.seek(0)
        buffer.truncate()
        writer.writerows([_csv_text(column, value) for column, value in row]
                         for row in _values(d.kind.columns, partition))
        yield buffer.getvalue().encode()


# -- XLSX ------------------------------------------------------------------------------------

def _xlsx_cell(sheet, column: Column, value):
    """A plain value where that is enough (cheaper), a styled cell for dates, and text kept
    as text even when it looks like a formula."""
    if value is None:
        return None
    if column.kind in (DATE, DATETIME):
        if column.kind == DATETIME:
            # Excel has no time zones: write the Danish wall time.
            value = local_wall_time(value)
        cell = WriteOnlyCell(sheet, value=value)
        cell.number_format = XLSX_DATETIME if column.kind == DATETIME else XLSX_DATE
        return cell
    if column.kind != TEXT:
        return value
    value = ILLEGAL_CHARACTERS_RE.sub("", str(value))
    if value.startswith("="):
        cell = WriteOnlyCell(sheet, value=value)
        cell.data_type = "s"
        return cell
    return value


def _heading_row(sheet, columns: tuple[Column, ...]) -> list:
    bold = Font(bold=True)
    row = []
    for index, column in enumerate(columns, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = max(12, len(column.heading) + 2)
        cell = WriteOnlyCell(sheet, value=column.heading)
        cell.font = bold
        row.append(cell)
    return row


def xlsx_file(d: DrillDown) -> IO[bytes]:
    """The workbook in a temporary file, positioned at its start. openpyxl's write-only
    mode keeps the rows in a temporary file of its own until it zips them."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=d.kind.many.capitalize())
    columns = d.kind.columns
    sheet.append(_heading_row(sheet, columns))
    for partition in _partitions(d):
        for row in _values(columns, partition):
            sheet.append([_xlsx_cell(sheet, column, value) for column, value in row])
    return saved_workbook(workbook)


def saved_workbook(workbook: Workbook) -> IO[bytes]:
    """The workbook saved to a temporary file, positioned at its start (streamed in chunks,
    so a large export is never held in memory whole)."""
    out = tempfile.TemporaryFile()
    try:
        workbook.save(out)
    except BaseException:
        out.close()
        raise
    out.seek(0)
    return out


def file_chunks(file: IO[bytes]) -> Iterator[bytes]:
    """The file in chunks; it is closed (and so deleted) when the response is done or the
    client goes away."""
    try:
        while chunk := file.read(FILE_CHUNK):
            yield chunk
    finally:
        file.close()
