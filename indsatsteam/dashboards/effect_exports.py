"""The effect report as CSV (Danish Excel: `;`, decimal comma, byte order mark) or XLSX
(openpyxl write-only): one line per row of the report, then the benefit ratings. A cell
with fewer than MIN_FORLOEB forløb gives only its counts, as on the page."""

from __future__ import annotations

import csv
import io
from typing import IO

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font

from ..domain.effect import MIN_FORLOEB, Change
from .effect import EffectReport, Row
from .exports import FORMULA_START, saved_workbook

TOO_FEW = "for få til at sige noget"
HEADINGS = ("Gruppe", "Række", "Enhed", "Retning", "Forløb målt",
            "Median forbedring til slut", "Gns. forbedring til slut",
            "95 %-interval til slut, fra", "95 %-interval til slut, til",
            "Forløb med opfølgning", "Median forbedring til opfølgning",
            "Gns. forbedring til opfølgning", "95 %-interval til opfølgning, fra",
            "95 %-interval til opfølgning, til", "Forløb med mål", "Andel der nåede målet (%)",
            "Forbedrede forløb med opfølgning", "Andel der fastholdt forbedringen (%)",
            "Bemærkning")
BENEFIT_HEADINGS = ("Det, forløbet lover", "Vurderinger", "Gennemsnit (1–5)",
                    "1", "2", "3", "4", "5")


def _change(c: Change) -> list:
    if c.too_few:
        return [None, None, None, None]
    low, high = (c.interval.low, c.interval.high) if c.interval else (None, None)
    return [c.median, c.mean, low, high]


def _percent(share: float | None, too_few: bool) -> float | None:
    return None if share is None or too_few else 100 * share


def row_values(heading: str, row: Row) -> list:
    """One line of the export: text, counts and figures (None where not shown)."""
    c = row.cell
    note = TOO_FEW if c.too_few else (
        f"opfølgning: {TOO_FEW}" if c.to_follow_up.n and c.to_follow_up.too_few else "")
    return [heading, row.label, row.unit_label, row.direction.label, c.n,
            *_change(c.to_end), c.to_follow_up.n,
            *(_change(c.to_follow_up) if not c.too_few else [None] * 4),
            c.with_target, _percent(c.share_reached, c.too_few),
            c.improved_with_follow_up, _percent(c.share_kept, c.too_few), note]


def lines(report: EffectReport) -> list[list]:
    return [row_values(group.heading, row) for group in report.groups for row in group.rows]


def benefit_lines(report: EffectReport) -> list[list]:
    return [[b.text, b.n, b.mean if b.n >= MIN_FORLOEB else None, *b.counts]
            for b in report.benefits]


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        return f"{value:.2f}".replace(".", ",")
    text = str(value)
    return "'" + text if text.startswith(FORMULA_START) else text


def csv_bytes(report: EffectReport) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow(HEADINGS)
    writer.writerows([_text(v) for v in line] for line in lines(report))
    writer.writerow([])
    writer.writerow(BENEFIT_HEADINGS)
    writer.writerows([_text(v) for v in line] for line in benefit_lines(report))
    return ("\ufeff" + buffer.getvalue()).encode()


def _xlsx_value(sheet, value):
    if isinstance(value, float):
        return round(value, 4)
    if not isinstance(value, str):
        return value
    value = ILLEGAL_CHARACTERS_RE.sub("", value)
    if value.startswith("="):
        cell = WriteOnlyCell(sheet, value=value)
        cell.data_type = "s"
        return cell
    return value


def _sheet(workbook: Workbook, title: str, headings: tuple[str, ...], body: list[list]) -> None:
    sheet = workbook.create_sheet(title=title)
    bold = Font(bold=True)
    heading_cells = []
    for text in headings:
        cell = WriteOnlyCell(sheet, value=text)
        cell.font = bold
        heading_cells.append(cell)
    sheet.append(heading_cells)
    for line in body:
        sheet.append([_xlsx_value(sheet, v) for v in line])


def xlsx_file(report: EffectReport) -> IO[bytes]:
    """The workbook in a temporary file, positioned at its start."""
    workbook = Workbook(write_only=True)
    _sheet(workbook, "Effekt", HEADINGS, lines(report))
    _sheet(workbook, "Det, forløbet lover", BENEFIT_HEADINGS, benefit_lines(report))
    return saved_workbook(workbook)
