"""CSV and XLSX files written from plain cells, safe to open in a spreadsheet program.

Every export of gatekeeper goes through `csv_bytes` or `xlsx_bytes`, and both
run each text cell through `safe_cell` (OWASP's rule against CSV injection): a
text that a spreadsheet would read as a formula or a DDE call, one that starts
with `=`, `+`, `-`, `@`, a tab or a carriage return, is prefixed with a single
quote, so `=HYPERLINK(…)` in a unit's name is shown, never run. XLSX cells
holding text are moreover written as strings (`data_type "s"`), which openpyxl
would otherwise turn into a formula for a text starting with `=`. Numbers stay
numbers: only text is escaped, and a date is an XLSX date (shown YYYY-MM-DD),
one a spreadsheet sorts and filters as a date (ISO in CSV). An XLSX sheet has
its header frozen and, unless asked not to, an autofilter on it.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from datetime import date

from openpyxl import Workbook  # type: ignore[import-untyped]  # openpyxl ships no types
from openpyxl.styles import Font  # type: ignore[import-untyped]
from openpyxl.utils import get_column_letter  # type: ignore[import-untyped]

Cell = str | int | float | date | None
DATE_FORMAT = "yyyy-mm-dd"  # the Swedish way of writing a date (SS-ISO 8601)

FORMULA_LEADERS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: Cell) -> Cell:
    """A text that would start a formula, quoted with `'`; anything else as it is."""
    if isinstance(value, str) and value.startswith(FORMULA_LEADERS):
        return "'" + value
    return value


def csv_bytes(header: tuple[str, ...], rows: Sequence[Sequence[Cell]]) -> bytes:
    """CSV as Swedish Excel opens it: UTF-8 with BOM, `;`-separated, CRLF line ends."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow([safe_cell(name) for name in header])
    writer.writerows(["" if value is None else safe_cell(value) for value in row] for row in rows)
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def _append(sheet: object, row: list[Cell], row_number: int) -> None:
    for column, value in enumerate(row, start=1):
        cell = sheet.cell(row=row_number, column=column)  # type: ignore[attr-defined]
        if isinstance(value, str):
            cell.value = safe_cell(value)
            cell.data_type = "s"  # a string, never a formula, whatever it starts with
        else:
            cell.value = value
            if isinstance(value, date):
                cell.number_format = DATE_FORMAT


def xlsx_bytes(
    title: str,
    header: tuple[str, ...],
    rows: Sequence[Sequence[Cell]],
    *,
    autofilter: bool = True,
) -> bytes:
    """One sheet: a bold, frozen header row and columns as wide as their content (capped);
    with `autofilter` (the default), a filter button on every column of the header."""
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = title
    _append(sheet, list(header), 1)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for number, row in enumerate(rows, start=2):
        _append(sheet, list(row), number)
    sheet.freeze_panes = "A2"
    if autofilter:
        sheet.auto_filter.ref = sheet.dimensions
    for index, name in enumerate(header, start=1):
        widest = max([len(name), *(len(str(row[index - 1] or "")) for row in rows)])
        sheet.column_dimensions[get_column_letter(index)].width = min(60, max(8, widest + 2))
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
