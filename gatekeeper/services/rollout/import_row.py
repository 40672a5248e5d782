"""The rows of a unit import file: its columns, and each row checked on its own.

The columns (documented in docs/rollout.md) are `nyckel`, `namn`, `typ`,
`överordnad`, `våg`, `införandeansvarig` and `epost`. A bad header rejects the
file at once; each other row collects its own problems (key, name, kind,
e-mail), so that all of them can be reported together. The rules between rows
and against the project are `gatekeeper.services.rollout.import_check`.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from gatekeeper.core.status import UnitKind
from gatekeeper.errors import GatekeeperError, ValidationFailed
from gatekeeper.services.rollout.import_file import ImportRejected, RowError
from gatekeeper.services.rollout.unit_rule import parse_kind, responsible_email
from gatekeeper.services.rollout.wave import rollout_key

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


@dataclass
class ImportRow:
    """One row of the file (its Excel row number), its cells and its problems so far."""

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


def parse_rows(records: list[tuple[int, list[str]]]) -> list[ImportRow]:
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

    rows: list[ImportRow] = []
    for number, cells in records[1:]:
        if not any(c.strip() for c in cells):
            continue  # blank lines are not units
        row = ImportRow(
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


def _check_key(row: ImportRow) -> None:
    if not row.key:
        row.problems.append("nyckel saknas")
        return
    try:
        row.key = rollout_key(row.key, field="nyckel", label="nyckeln")
    except ValidationFailed as error:
        row.problems.append(_problem_of(error))


def _check_name(row: ImportRow) -> None:
    if not row.name:
        row.problems.append("namn saknas")
    elif len(row.name) > 300:
        row.problems.append("namnet får vara högst 300 tecken")


def _check_kind(row: ImportRow) -> None:
    if not row.kind_text:
        row.problems.append("typ saknas (kommun, förvaltning eller enhet)")
        return
    try:
        row.kind = parse_kind(row.kind_text)
    except ValidationFailed as error:
        row.problems.append(_problem_of(error))


def _check_email(row: ImportRow) -> None:
    try:
        row.email = responsible_email(row.email)
    except ValidationFailed as error:
        row.problems.append(_problem_of(error))
    if len(row.person) > 200:
        row.problems.append("införandeansvarigs namn får vara högst 200 tecken")
