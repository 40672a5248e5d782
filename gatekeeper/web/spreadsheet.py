"""CSV and XLSX files written from plain cells, safe to open in a spreadsheet program.

Every export of gatekeeper goes through `csv_bytes` or `xlsx_bytes`, and both
run each text cell through `safe_cell` (OWASP's rule against CSV injection): a
text that a spreadsheet would read as a formula or a DDE call, one that starts
with `=`, `+`, `-`, `@`, a tab or a carriage return, is prefixed with a single
quote, so `=HYPERLINK(…)` in a unit's name is shown, never run. Control
characters that XML cannot hold (a pasted \x0b, say) are dropped from XLSX text. XLSX cells
holding text are moreover written as strings (`data_type "s"`), which openpyxl
would otherwise turn into a formula for a text starting with `=`. Numbers stay
numbers: only text is escaped.

Dates stay dates: a `date` cell is a real date in XLSX (shown `åååå-mm-dd`, so
Excel sorts and filters it as one) and ISO 8601 in CSV, which Swedish Excel
reads as a date. Every XLSX sheet has a bold, frozen header row with an
autofilter over its columns; `xlsx_book` writes several sheets in one file.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Sequence
from datetime import date

Cell = str | int | float | date | None
Sheet = tuple[str, tuple[str, ...], list[tuple[Cell, ...]]]  # title, header, rows
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
    writer.writerows([_csv_cell(value) for value in row] for row in rows)
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def _csv_cell(value: Cell) -> Cell:
    if value is None:
        return ""
    if isinstance(value, date):
        return value.isoformat()
    return safe_cell(value)


def _append(sheet: object, row: list[Cell], row_number: int, illegal: re.Pattern[str]) -> None:
    for column, value in enumerate(row, start=1):
        cell = sheet.cell(row=row_number, column=column)  # type: ignore[attr-defined]
        if isinstance(value, str):
            # XML 1.0 has no place for most control characters: dropped, not a 500
            cell.value = safe_cell(illegal.sub("", value))
            cell.data_type = "s"  # a string, never a formula, whatever it starts with
        else:
            cell.value = value
            if isinstance(value, date):
                cell.number_format = DATE_FORMAT


def xlsx_bytes(title: str, header: tuple[str, ...], rows: Sequence[Sequence[Cell]]) -> bytes:
    """One sheet: see `xlsx_book`."""
    return xlsx_book([(title, header, [tuple(row) for row in rows])])


def xlsx_book(sheets: Sequence[Sheet]) -> bytes:
    """Sheets in order, each with a bold, frozen header row and an autofilter over its
    columns, and columns as wide as their content (capped)."""
    # openpyxl (a third of a second to import) is loaded on the first download, not
    # by every process that imports the web app. It ships no types.
    from openpyxl import Workbook  # type: ignore[import-untyped]
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE  # type: ignore[import-untyped]
    from openpyxl.styles import Font  # type: ignore[import-untyped]
    from openpyxl.utils import get_column_letter  # type: ignore[import-untyped]

    book = Workbook()
    first = book.active
    assert first is not None
    book.remove(first)
    for title, header, rows in sheets:
        sheet = book.create_sheet(title=title[:31])  # Excel's limit for a sheet's name
        _append(sheet, list(header), 1, ILLEGAL_CHARACTERS_RE)
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        for number, row in enumerate(rows, start=2):
            _append(sheet, list(row), number, ILLEGAL_CHARACTERS_RE)
        sheet.freeze_panes = "A2"
        if header:
            last = get_column_letter(len(header))
            sheet.auto_filter.ref = f"A1:{last}{len(rows) + 1}"
        for index, name in enumerate(header, start=1):
            widest = max([len(name), *(_width(row[index - 1]) for row in rows)])
            sheet.column_dimensions[get_column_letter(index)].width = min(60, max(8, widest + 2))
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _width(value: Cell) -> int:
    if isinstance(value, date):
        return 10
    return len(str(value or ""))
