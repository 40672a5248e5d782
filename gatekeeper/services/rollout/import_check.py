"""The checks of a unit import between its rows and against the project.

Duplicate keys (in the file or already in the project), unknown waves,
parents found neither in the file nor in the project, parents that form a
cycle, and kinds that cannot nest are added to each row's problems. The depth
of a row in the file's own tree orders the inserts, so parents come first.
"""

from __future__ import annotations

from dataclasses import dataclass

from gatekeeper.core.status import UnitKind
from gatekeeper.services.rollout.import_row import ImportRow
from gatekeeper.services.rollout.unit_rule import check_nesting


@dataclass(frozen=True)
class ExistingUnit:
    """A unit already in the project, as the checks and the import need it."""

    id: int
    kind: UnitKind
    wave_id: int | None
    parent_id: int | None


def cross_check(
    rows: list[ImportRow], *, existing: dict[str, ExistingUnit], waves: dict[str, int]
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


def _in_cycle(row: ImportRow, in_file: dict[str, ImportRow]) -> bool:
    seen = {row.key}
    current = in_file.get(row.parent)
    while current is not None:
        if current.key in seen:
            return current.key == row.key
        seen.add(current.key)
        current = in_file.get(current.parent) if current.parent else None
    return False


def _cycle_text(row: ImportRow, in_file: dict[str, ImportRow]) -> str:
    chain = [row.key]
    current = in_file.get(row.parent)
    while current is not None and current.key != row.key:
        chain.append(current.key)
        current = in_file.get(current.parent) if current.parent else None
    return " → ".join([*chain, row.key])


def depth_in_file(row: ImportRow, in_file: dict[str, ImportRow]) -> int:
    depth = 0
    current = row
    while current.parent in in_file:
        depth += 1
        current = in_file[current.parent]
    return depth
