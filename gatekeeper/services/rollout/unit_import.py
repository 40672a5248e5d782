"""Import a rollout's units from a CSV or XLSX file: check every row, then all or nothing.

The file is read by `gatekeeper.services.rollout.import_file`, its rows checked
one by one (`import_row`) and against each other and the project
(`import_check`). Every row is checked before anything is written; each bad
row is reported as "rad N: …" with N the row number the user sees in Excel
(the header is row 1), and then nothing is imported. Otherwise every unit and
its checklist items are inserted in one transaction with a few bulk statements
(level by level, so parents get their ids first); the readiness read models
are counted from the rows inserted, not read back.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import insert
from sqlmodel import col, select

from gatekeeper.core.actor import Actor
from gatekeeper.core.events.rollout import Import, UnitsImported
from gatekeeper.core.rollout.unit_readiness import top_of
from gatekeeper.core.status import UnitKind
from gatekeeper.services import change
from gatekeeper.services.context import Context
from gatekeeper.services.definitions import project_workflow
from gatekeeper.services.lookup import project_by_key, require_active
from gatekeeper.services.rollout.access import require_manager
from gatekeeper.services.rollout.import_check import ExistingUnit, cross_check, depth_in_file
from gatekeeper.services.rollout.import_file import ImportRejected, RowError, read_records
from gatekeeper.services.rollout.import_row import ImportRow, parse_rows
from gatekeeper.services.rollout.readiness_model import NewUnit
from gatekeeper.services.rollout.readiness_scope import select_columns
from gatekeeper.services.rollout.unit_checklist import copy_unit_checklists, unit_templates
from gatekeeper.store.rollout.unit_tables import Unit, Wave


@dataclass(frozen=True)
class ImportResult:
    """What an import added."""

    units: int
    items: int
    keys: tuple[str, ...]


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
            key: ExistingUnit(unit_id, UnitKind(kind), wave_id, parent_id)
            for unit_id, key, kind, wave_id, parent_id in session.exec(
                select_columns(Unit.id, Unit.key, Unit.kind, Unit.wave_id, Unit.parent_id).where(
                    col(Unit.project_id) == project.id
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
        cross_check(rows, existing=existing, waves=waves)
        errors = [RowError(row.number, "; ".join(row.problems)) for row in rows if row.problems]
        if errors:
            raise ImportRejected(errors)

        in_file = {row.key: row for row in rows}
        ids = {key: unit.id for key, unit in existing.items()}
        wave_of: dict[str, int | None] = {key: unit.wave_id for key, unit in existing.items()}
        parent_of = {unit.id: unit.parent_id for unit in existing.values()}
        levels: dict[int, list[ImportRow]] = {}
        for row in rows:
            levels.setdefault(depth_in_file(row, in_file), []).append(row)
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
                parent_of[unit_id] = ids[in_file[key].parent] if in_file[key].parent else None
        workflow = project_workflow(session=session, project=project)
        templates = unit_templates(
            ctx, session=session, project=project, workflow=workflow, actor=actor, at=now
        )
        keys = tuple(row.key for row in rows)
        items = copy_unit_checklists(
            session=session,
            project_id=project.id,
            units=[NewUnit(ids[key], wave_of[key], top_of(ids[key], parent_of)) for key in keys],
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
