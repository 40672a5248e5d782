"""Reading a unit import file (CSV or XLSX) into numbered rows of cells, and its errors.

A CSV file may be UTF-8 (with or without the BOM Excel adds) or Windows-1252,
as Excel writes it, separated by `;` (Swedish Excel) or `,`; an XLSX file is
read from its first sheet. Each row keeps the number the user sees in Excel
(the header is row 1), so that every problem can be reported as "rad N: …"
(`RowError`); a file with problems is rejected as a whole (`ImportRejected`).
"""

from __future__ import annotations

import csv
import importlib
import io
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from gatekeeper.errors import ValidationFailed


@dataclass(frozen=True)
class RowError:
    """One bad row (or the header, row 1) and what is wrong with it."""

    row: int
    message: str

    def __str__(self) -> str:
        return f"rad {self.row}: {self.message}"


class ImportRejected(ValidationFailed):
    """The file has bad rows; nothing was imported. `errors` lists every one."""

    def __init__(self, errors: Sequence[RowError]) -> None:
        self.errors = tuple(errors)
        count = len(self.errors)
        head = (
            f"Filen har {count} fel och ingenting importerades"
            if count != 1
            else "Filen har ett fel och ingenting importerades"
        )
        super().__init__(head + ":\n" + "\n".join(str(e) for e in self.errors), field="file")


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    return str(value).strip()


def _decode(data: bytes) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1252")
    except UnicodeDecodeError:
        raise ImportRejected(
            [RowError(1, "filen är varken UTF-8 eller Windows-1252; spara den som CSV UTF-8")]
        ) from None


def _csv_records(data: bytes) -> list[tuple[int, list[str]]]:
    text = _decode(data)
    first = text.split("\n", 1)[0]
    delimiter = ";" if first.count(";") >= first.count(",") else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        return [(number, [c.strip() for c in record]) for number, record in enumerate(reader, 1)]
    except csv.Error as error:
        raise ImportRejected(
            [RowError(reader.line_num, f"CSV-filen går inte att läsa: {error}")]
        ) from None


def _xlsx_records(data: bytes) -> list[tuple[int, list[str]]]:
    # Imported by name: openpyxl ships no type information, and reading cells needs none.
    load_workbook: Any = importlib.import_module("openpyxl").load_workbook
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError) as error:
        raise ImportRejected([RowError(1, f"XLSX-filen går inte att läsa ({error})")]) from None
    try:
        sheet = workbook.worksheets[0]
        return [
            (number, [_cell(value) for value in record])
            for number, record in enumerate(sheet.iter_rows(values_only=True), 1)
        ]
    finally:
        workbook.close()


def read_records(data: bytes, filename: str = "") -> list[tuple[int, list[str]]]:
    """The file's rows as (Excel row number, cells), from XLSX or CSV."""
    if data[:4] == b"PK\x03\x04" or filename.lower().endswith((".xlsx", ".xlsm")):
        return _xlsx_records(data)
    return _csv_records(data)
