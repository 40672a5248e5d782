"""Import a rollout's units from a CSV or XLSX file: check every row, then all or nothing.

The columns (documented in docs/rollout.md) are `nyckel`, `namn`, `typ`,
`överordnad`, `våg`, `införandeansvarig` and `epost`. A CSV file may be UTF-8
(with or without the BOM Excel adds) or Windows-1252, as Excel writes it,
separated by `;` (Swedish Excel) or `,`. Every row is checked before anything
is written; each bad row is reported as "rad N: …" with N the row number the
user sees in Excel (the header is row 1), and then nothing is imported.
Otherwise every unit and its checklist items are inserted in one transaction
with a few bulk statements (level by level, so parents get their ids first).
"""

from __future__ import annotations

import csv
import importlib
import io
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from sqlalchemy import insert
from sqlmodel import col, select

from gatekeeper.core.actor import Actor
from gatekeeper.core.events.rollout import Import, UnitsImported
from gatekeeper.core.status import UnitKind
from gatekeeper.errors import GatekeeperError, ValidationFailed
from gatekeeper.services import change
from gatekeeper.services.context import Context
from gatekeeper.services.definitions import project_workflow
from gatekeeper.services.lookup import project_by_key, require_active
from gatekeeper.services.rollout.access import require_manager
from gatekeeper.services.rollout.unit import check_nesting, parse_kind, responsible_email
from gatekeeper.services.rollout.unit_checklist import copy_unit_checklists, unit_templates
from gatekeeper.services.rollout.wave import rollout_key
from gatekeeper.store.rollout.unit_tables import Unit, Wave

MAX_ROWS = 20_000
COLUMNS = ("nyckel", "namn", "typ", "överordnad", "våg", "införandeansvarig", "epost")
REQUIRED = ("nyckel", "namn", "typ")
_ALIASES = {
    "overordnad": "överordnad",
    "vag": "våg",
    "inforandeansvarig": "införandeansvarig",
    "e-post": "epost",
    "e-postadress": "epost",
    "email": "epost",
}


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


@dataclass
class _Row:
    number: int
    key: str
    name: str
    kind_text: str
    parent: str
    wave: str
    person: str
    email: str
    problems: list[str] = field(default_factory=list)
    kind: UnitKind | None = None


@dataclass(frozen=True)
class ImportResult:
    """What an import added."""

    units: int
    items: int
    keys: tuple[str, ...]


# ---------------------------------------------------------------- reading files


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


def _header(cells: list[str]) -> tuple[dict[str, int], list[RowError]]:
    errors: list[RowError] = []
    columns: dict[str, int] = {}
    for index, raw in enumerate(cells):
        name = raw.strip().lstrip("\ufeff").lower()
        if not name:
            continue
        name = _ALIASES.get(name, name)
        if name not in COLUMNS:
            errors.append(RowError(1, f"okänd kolumn '{raw}'; kolumnerna är {', '.join(COLUMNS)}"))
        elif name in columns:
            errors.append(RowError(1, f"kolumnen '{name}' finns två gånger"))
        else:
            columns[name] = index
    for name in REQUIRED:
        if name not in columns:
            errors.append(RowError(1, f"kolumnen '{name}' saknas"))
    return columns, errors


def parse_rows(records: list[tuple[int, list[str]]]) -> list[_Row]:
    """Rows with their own problems (each row checked alone); header errors raise."""
    if not records or not any(records[0][1]):
        raise ImportRejected([RowError(1, "filen är tom; första raden ska vara kolumnrubriker")])
    columns, errors = _header(records[0][1])
    if errors:
        raise ImportRejected(errors)
    if len(records) - 1 > MAX_ROWS:
        raise ImportRejected([RowError(1, f"filen har fler än {MAX_ROWS} rader")])

    def get(cells: list[str], name: str) -> str:
        index = columns.get(name)
        return cells[index].strip() if index is not None and index < len(cells) else ""

    rows: list[_Row] = []
    for number, cells in records[1:]:
        if not any(c.strip() for c in cells):
            continue  # blank lines are not units
        row = _Row(
            number=number,
            key=get(cells, "nyckel"),
            name=get(cells, "namn"),
            kind_text=get(cells, "typ"),
            parent=get(cells, "överordnad"),
            wave=get(cells, "våg"),
            person=get(cells, "införandeansvarig"),
            email=get(cells, "epost"),
        )
        for check in (_check_key, _check_name, _check_kind, _check_email):
            check(row)
        rows.append(row)
    if not rows:
        raise ImportRejected([RowError(1, "filen har inga enheter under rubrikraden")])
    return rows


def _problem_of(error: GatekeeperError) -> str:
    return error.message.rstrip(".")


def _check_key(row: _Row) -> None:
    if not row.key:
        row.problems.append("nyckel saknas")
        return
    try:
        row.key = rollout_key(row.key, field="nyckel", label="nyckeln")
    except ValidationFailed as error:
        row.problems.append(_problem_of(error))


def _check_name(row: _Row) -> None:
    if not row.name:
        row.problems.append("namn saknas")
    elif len(row.name) > 300:
        row.problems.append("namnet får vara högst 300 tecken")


def _check_kind(row: _Row) -> None:
    if not row.kind_text:
        row.problems.append("typ saknas (kommun, förvaltning eller enhet)")
        return
    try:
        row.kind = parse_kind(row.kind_text)
    except ValidationFailed as error:
        row.problems.append(_problem_of(error))


def _check_email(row: _Row) -> None:
    try:
        row.email = responsible_email(row.email)
    except ValidationFailed as error:
        row.problems.append(_problem_of(error))
    if len(row.person) > 200:
        row.problems.append("införandeansvarigs namn får vara högst 200 tecken")


# ---------------------------------------------------------------- checking against the project


@dataclass(frozen=True)
class _Existing:
    id: int
    kind: UnitKind
    wave_id: int | None


def _cross_check(
    rows: list[_Row], *, existing: dict[str, _Existing], waves: dict[str, int]
) -> None:
    """Rules between rows and against the project: duplicates, parents, waves, cycles."""
    first_row: dict[str, int] = {}
    for row in rows:
        if not row.key:
            continue
        if row.key in first_row:
            row.problems.append(f"nyckeln '{row.key}' finns redan på rad {first_row[row.key]}")
        else:
            first_row[row.key] = row.number
            if row.key in existing:
                row.problems.append(f"nyckeln '{row.key}' finns redan i projektet")
    in_file = {row.key: row for row in rows if row.key and first_row.get(row.key) == row.number}
    for row in rows:
        if row.wave and row.wave not in waves:
            known = ", ".join(sorted(waves)) or "inga vågor ännu"
            row.problems.append(f"vågen '{row.wave}' finns inte (vågor: {known})")
        if not row.parent:
            continue
        if row.parent == row.key:
            row.problems.append("enheten kan inte vara överordnad sig själv")
            continue
        parent_kind: UnitKind | None
        if row.parent in in_file:
            if _in_cycle(row, in_file):
                row.problems.append(f"överordnad bildar en cykel: {_cycle_text(row, in_file)}")
                continue
            parent_kind = in_file[row.parent].kind
        elif row.parent in existing:
            parent_kind = existing[row.parent].kind
        else:
            row.problems.append(f"överordnad '{row.parent}' finns varken i filen eller i projektet")
            continue
        if row.kind is not None and parent_kind is not None:
            problem = check_nesting(row.kind, parent_kind)
            if problem:
                row.problems.append(problem)


def _in_cycle(row: _Row, in_file: dict[str, _Row]) -> bool:
    seen = {row.key}
    current = in_file.get(row.parent)
    while current is not None:
        if current.key in seen:
            return current.key == row.key
        seen.add(current.key)
        current = in_file.get(current.parent) if current.parent else None
    return False


def _cycle_text(row: _Row, in_file: dict[str, _Row]) -> str:
    chain = [row.key]
    current = in_file.get(row.parent)
    while current is not None and current.key != row.key:
        chain.append(current.key)
        current = in_file.get(current.parent) if current.parent else None
    return " → ".join([*chain, row.key])


def _depth(row: _Row, in_file: dict[str, _Row]) -> int:
    depth = 0
    current = row
    while current.parent in in_file:
        depth += 1
        current = in_file[current.parent]
    return depth


# ---------------------------------------------------------------- importing


def import_units(
    ctx: Context, actor: Actor, *, project_key: str, data: bytes, filename: str = ""
) -> ImportResult:
    """Import every unit of the file with its checklists, or raise `ImportRejected`
    listing every bad row (and import nothing)."""
    rows = parse_rows(read_records(data, filename))
    now = ctx.clock.now()
    with ctx.db.write() as session:
        project = project_by_key(session=session, key=project_key, lock=True)
        require_active(project)
        require_manager(session=session, project=project, actor=actor)
        assert project.id is not None
        existing = {
            key: _Existing(unit_id, UnitKind(kind), wave_id)
            for unit_id, key, kind, wave_id in session.exec(
                select(Unit.id, Unit.key, Unit.kind, Unit.wave_id).where(
                    Unit.project_id == project.id
                )
            ).all()
            if unit_id is not None
        }
        waves = {
            key: wave_id
            for key, wave_id in session.exec(
                select(Wave.key, Wave.id).where(Wave.project_id == project.id)
            ).all()
            if wave_id is not None
        }
        _cross_check(rows, existing=existing, waves=waves)
        errors = [RowError(row.number, "; ".join(row.problems)) for row in rows if row.problems]
        if errors:
            raise ImportRejected(errors)

        in_file = {row.key: row for row in rows}
        ids = {key: unit.id for key, unit in existing.items()}
        wave_of: dict[str, int | None] = {key: unit.wave_id for key, unit in existing.items()}
        levels: dict[int, list[_Row]] = {}
        for row in rows:
            levels.setdefault(_depth(row, in_file), []).append(row)
        for depth in sorted(levels):
            batch = []
            for row in levels[depth]:
                assert row.kind is not None
                wave_id = (
                    waves[row.wave]
                    if row.wave
                    else (wave_of.get(row.parent) if row.parent else None)
                )
                wave_of[row.key] = wave_id
                batch.append(
                    {
                        "project_id": project.id,
                        "key": row.key,
                        "name": row.name,
                        "kind": row.kind,
                        "parent_id": ids[row.parent] if row.parent else None,
                        "wave_id": wave_id,
                        "responsible_email": row.email,
                        "responsible_name": row.person,
                        "created_at": now,
                        "row_version": 1,
                    }
                )
            for unit_id, key in session.execute(
                insert(Unit).returning(col(Unit.id), col(Unit.key)), batch
            ).all():
                ids[key] = unit_id
        workflow = project_workflow(session=session, project=project)
        templates = unit_templates(
            ctx, session=session, project=project, workflow=workflow, actor=actor, at=now
        )
        keys = tuple(row.key for row in rows)
        items = copy_unit_checklists(
            session=session,
            project_id=project.id,
            unit_ids=[ids[key] for key in keys],
            templates=templates,
        )
        change.record(
            session,
            UnitsImported(
                object_id=f"{project.key}/*", after=Import(file=filename, units=keys, items=items)
            ),
            by=actor,
            at=now,
            project=project,
        )
        return ImportResult(units=len(keys), items=items, keys=keys)


__all__ = ["COLUMNS", "ImportRejected", "ImportResult", "RowError", "import_units", "read_records"]
