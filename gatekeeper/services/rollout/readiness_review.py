"""The cut-over readiness review of a rollout (beredskapsgenomgång), and its export tables.

Built for 49 kommuner × 20 units × 40 items on every call, without a cache: the
database counts, Python only judges. Reads go from the project's units to their
items through the covering index `ix_unit_item_review` (unit, category, status,
mandatory, evidence flag, deadline offset, updated, position, item), so the
counting reads no table rows: one pass groups unit × category (10,000 cells,
overdue items included), one groups the open items by wave × item, and only the
few items done without their evidence are read from the table. A deadline is
the wave's go-live date plus the item's offset, so "overdue" is an offset below
a per-wave bound (a CASE on the unit's wave): no date arithmetic in SQL, the
same on SQLite and PostgreSQL. The kommun level comes from the unit tree,
resolved once. `gatekeeper.core.rollout.readiness` turns the counts into the
review. Filters (a wave, a kommun) narrow the units counted.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import ColumnElement, and_, case, false, func, literal, or_
from sqlmodel import Session, col
from sqlmodel.sql.expression import Select

from gatekeeper.core.collation import swedish_sort_key
from gatekeeper.core.rollout.forecast import (
    PACE_WEEKS,
)
from gatekeeper.core.rollout.readiness import Review, build_review, build_summary
from gatekeeper.core.rollout.rows import (
    HIGH_RISK_SCORE,
    CellCounts,
    HighRisk,
    ItemCounts,
    UnitRow,
    WaveRow,
    percent,
)
from gatekeeper.core.rollout.unit_readiness import kommun_of
from gatekeeper.core.status import ItemStatus, RiskStatus
from gatekeeper.errors import ValidationFailed
from gatekeeper.services.context import Context
from gatekeeper.services.lookup import project_by_key
from gatekeeper.store.projects.tables import Project, Risk
from gatekeeper.store.rollout.unit_tables import Unit, UnitItem, Wave


@dataclass(frozen=True)
class ReadinessReview:
    """The review of one project, what it is filtered on, and what it could be filtered on."""

    project_key: str
    project_name: str
    organisation: str
    review: Review
    wave: str | None  # the wave key filtered on
    kommun: str | None  # the kommun key filtered on
    waves: tuple[WaveRow, ...]  # every wave of the project
    kommuner: tuple[UnitRow, ...]  # every top-level unit, in Swedish order


def _columns(*columns: Any) -> Select[*tuple[Any, ...]]:
    """A select of plain columns and aggregates (sqlmodel's `select` is typed up to four)."""
    return Select(*columns)


def _load_units(session: Session, project_id: int) -> list[UnitRow]:
    return [
        UnitRow(uid, key, name, kind.value, parent, wave)
        for uid, key, name, kind, parent, wave in session.exec(
            _columns(Unit.id, Unit.key, Unit.name, Unit.kind, Unit.parent_id, Unit.wave_id).where(
                col(Unit.project_id) == project_id
            )
        ).all()
    ]


def _load_waves(session: Session, project_id: int) -> list[WaveRow]:
    return [
        WaveRow(wid, key, name, go_live, position, status.value)
        for wid, key, name, go_live, position, status in session.exec(
            _columns(
                Wave.id, Wave.key, Wave.name, Wave.go_live_on, Wave.position, Wave.status
            ).where(col(Wave.project_id) == project_id)
        ).all()
    ]


def _scope(
    units: list[UnitRow],
    waves: list[WaveRow],
    tops: dict[int, UnitRow],
    wave: str | None,
    kommun: str | None,
) -> tuple[WaveRow | None, UnitRow | None, list[int] | None]:
    """The wave and kommun filtered on, and the ids of the kommun's units (None: no kommun)."""
    chosen_wave = None
    if wave:
        chosen_wave = next((w for w in waves if w.key == wave), None)
        if chosen_wave is None:
            raise ValidationFailed(f"Vågen '{wave}' finns inte i projektet.", field="wave")
    chosen_kommun = None
    if kommun:
        chosen_kommun = next((u for u in units if u.key == kommun), None)
        if chosen_kommun is None or tops[chosen_kommun.id].id != chosen_kommun.id:
            raise ValidationFailed(
                f"'{kommun}' är ingen kommun (enhet på högsta nivån) i projektet.", field="kommun"
            )
    if chosen_kommun is None:
        return chosen_wave, None, None
    ids = [u.id for u in units if tops[u.id].id == chosen_kommun.id]
    return chosen_wave, chosen_kommun, ids


def _evidence_missing() -> ColumnElement[bool]:
    """No evidence given; writes trim it, so blank is ''."""
    evidence = col(UnitItem.evidence)
    return or_(evidence.is_(None), evidence == "")


def _units_in_scope(
    statement: Select[*tuple[Any, ...]],
    project_id: int,
    wave: WaveRow | None,
    ids: list[int] | None,
) -> Select[*tuple[Any, ...]]:
    """Items reached from the project's units (through `ix_unit_item_review`), filtered."""
    statement = statement.select_from(Unit).join(UnitItem, col(UnitItem.unit_id) == col(Unit.id))
    statement = statement.where(col(Unit.project_id) == project_id)
    if wave is not None:
        statement = statement.where(col(Unit.wave_id) == wave.id)
    if ids is not None:
        statement = statement.where(col(Unit.id).in_(ids))
    return statement


def _past_due(waves: Sequence[WaveRow], today: date) -> ColumnElement[bool]:
    """An item's deadline (its wave's go-live plus its offset) is before `today`: the offset
    is below a per-wave bound, so no date arithmetic in SQL (the same on both databases)."""
    if not waves:
        return false()
    bound = case({w.id: (today - w.go_live_on).days for w in waves}, value=col(Unit.wave_id))
    return col(UnitItem.due_offset_days) < bound


def _cells(
    session: Session,
    project_id: int,
    now: datetime,
    today: date,
    waves: Sequence[WaveRow],
    scope: tuple[WaveRow | None, list[int] | None],
) -> list[CellCounts]:
    """Unit × category counts in one pass over the covering index `ix_unit_item_review`.
    Mandatory items done count as satisfied here; `_lacking` takes off those without the
    evidence they demand (that needs the evidence text, which the index does not hold)."""
    return [
        CellCounts(uid, category, t, d, m, s, 0, o, r, pos)
        for uid, category, t, d, m, s, r, o, pos in session.exec(
            _cell_statement(project_id, now, today, waves, scope)
        )
    ]


def _cell_statement(
    project_id: int,
    now: datetime,
    today: date,
    waves: Sequence[WaveRow],
    scope: tuple[WaveRow | None, list[int] | None],
) -> Select[*tuple[Any, ...]]:
    """Unit × category: id, category, total, done, mandatory, mandatory done, mandatory
    done recently, overdue, the category's first position."""
    status = col(UnitItem.status)
    counts = status != ItemStatus.NOT_APPLICABLE
    done = status == ItemStatus.DONE
    mandatory = col(UnitItem.mandatory).is_(True)
    recent = col(UnitItem.updated_at) > now - timedelta(weeks=PACE_WEEKS)
    statement = _columns(
        Unit.id,
        UnitItem.category,
        func.count().filter(counts),
        func.count().filter(done),
        func.count().filter(and_(mandatory, counts)),
        func.count().filter(and_(mandatory, done)),
        func.count().filter(and_(mandatory, done, recent)),
        func.count().filter(and_(mandatory, status == ItemStatus.OPEN, _past_due(waves, today))),
        func.min(col(UnitItem.position)),
    )
    # Grouped in the order the units' index (project, wave) and the items' index deliver
    # the rows, so SQLite streams the groups instead of sorting 40,000 rows first.
    return _units_in_scope(statement, project_id, *scope).group_by(
        col(Unit.wave_id), col(Unit.id), col(UnitItem.category)
    )


def _summed(
    session: Session,
    statement: Select[*tuple[Any, ...]],
    tops: dict[int, UnitRow],
    lacking: Sequence[_Lacking],
) -> tuple[dict[int, list[int]], dict[int, dict[str, list[int]]], list[str]]:
    """The unit × category rows summed as they stream, without a record per cell: per
    unit, per kommun × category (as `build_summary` takes them), and the categories in
    checklist order; the mandatory items done without evidence moved to lacking."""
    units: dict[int, list[int]] = {}
    kommuner: dict[int, dict[str, list[int]]] = {}
    first: dict[str, int] = {}
    # Core rows, not ORM ones: ten thousand of them, read once.
    for uid, category, t, d, m, s, r, o, pos in session.connection().execute(statement):
        unit = units.get(uid)
        if unit is None:
            units[uid] = [t, d, m, s, 0, o, r]
        else:
            unit[0] += t
            unit[1] += d
            unit[2] += m
            unit[3] += s
            unit[5] += o
            unit[6] += r
        kid = tops[uid].id
        row = kommuner.get(kid)
        if row is None:
            row = kommuner[kid] = {}
        cell = row.get(category)
        if cell is None:
            row[category] = [t, d, m, s, 0, o, r, pos]
        else:
            cell[0] += t
            cell[1] += d
            cell[2] += m
            cell[3] += s
            cell[5] += o
            cell[6] += r
            if pos < cell[7]:
                cell[7] = pos
        if pos < first.get(category, pos + 1):
            first[category] = pos
    for item in lacking:
        if item.mandatory and item.unit_id in units:
            for sums in (units[item.unit_id], kommuner[tops[item.unit_id].id][item.category]):
                sums[3] -= 1
                sums[4] += 1
    return units, kommuner, sorted(first, key=lambda category: (first[category], category))


@dataclass(frozen=True)
class _Lacking:
    """One item done without the evidence it demands."""

    unit_id: int
    category: str
    wave_id: int | None
    checklist_id: str
    item_id: str
    mandatory: bool
    due_offset_days: int | None
    id: int


def _lacking(
    session: Session, project_id: int, scope: tuple[WaveRow | None, list[int] | None]
) -> list[_Lacking]:
    """Items done without the evidence they demand: few rows, read from the table."""
    statement = _columns(
        UnitItem.unit_id,
        UnitItem.category,
        Unit.wave_id,
        UnitItem.checklist_id,
        UnitItem.item_id,
        UnitItem.mandatory,
        UnitItem.due_offset_days,
        UnitItem.id,
    )
    statement = _units_in_scope(statement, project_id, *scope).where(
        col(UnitItem.status) == ItemStatus.DONE,
        col(UnitItem.evidence_required).is_(True),
        _evidence_missing(),
    )
    return [_Lacking(*row) for row in session.exec(statement)]


def _with_lacking(cells: list[CellCounts], lacking: Sequence[_Lacking]) -> list[CellCounts]:
    """Cells with the mandatory items done without evidence moved from satisfied to lacking."""
    per_cell: dict[tuple[int, str], int] = defaultdict(int)
    for row in lacking:
        if row.mandatory:
            per_cell[row.unit_id, row.category] += 1
    if not per_cell:
        return cells
    return [
        replace(
            cell,
            mandatory_satisfied=cell.mandatory_satisfied - n,
            lacking_evidence=n,
        )
        if (n := per_cell.get((cell.unit_id, cell.category), 0))
        else cell
        for cell in cells
    ]


_ITEM_KEY = (
    Unit.wave_id,
    UnitItem.checklist_id,
    UnitItem.item_id,
    UnitItem.category,
    UnitItem.mandatory,
    UnitItem.due_offset_days,
)


def _items(
    session: Session,
    project_id: int,
    scope: tuple[WaveRow | None, list[int] | None],
    lacking: Sequence[_Lacking],
) -> list[ItemCounts]:
    """Wave × item counts of what is open (from the covering index), with the items done
    without evidence added; each item's text is read once, from one of its rows."""
    statement = _columns(
        *_ITEM_KEY,
        func.count(),
        func.count().filter(col(UnitItem.evidence_required).is_(True)),
        func.min(col(UnitItem.id)),
        func.min(col(UnitItem.position)),
    )
    statement = (
        _units_in_scope(statement, project_id, *scope)
        .where(col(UnitItem.status) == ItemStatus.OPEN)
        .group_by(*(col(c) for c in _ITEM_KEY))
    )
    found: dict[tuple[Any, ...], list[int]] = {}
    for row in session.exec(statement):
        found[tuple(row[:6])] = [int(row[6]), int(row[7]), 0, int(row[8]), int(row[9])]
    for r in lacking:
        key = (r.wave_id, r.checklist_id, r.item_id, r.category, r.mandatory, r.due_offset_days)
        entry = found.setdefault(key, [0, 0, 0, r.id, 0])
        entry[2] += 1
    texts: dict[int, tuple[str, int]] = {}
    if found:
        first_rows = sorted({entry[3] for entry in found.values()})
        texts = {
            i: (text, position)
            for i, text, position in session.exec(
                _columns(UnitItem.id, UnitItem.text, UnitItem.position).where(
                    col(UnitItem.id).in_(first_rows)
                )
            )
        }
    return [
        ItemCounts(
            wave_id=wave_id,
            checklist_id=checklist_id,
            item_id=item_id,
            category=category,
            mandatory=bool(mandatory),
            due_offset_days=offset,
            text=texts[first][0],
            position=texts[first][1],
            open=open_,
            open_evidence=open_evidence,
            lacking_evidence=lacking_,
        )
        for (wave_id, checklist_id, item_id, category, mandatory, offset), (
            open_,
            open_evidence,
            lacking_,
            first,
            _,
        ) in found.items()
    ]


def _risks(session: Session, project_id: int) -> list[HighRisk]:
    return [
        HighRisk(title, score)
        for title, score in session.exec(
            _columns(Risk.title, Risk.score).where(
                col(Risk.project_id) == project_id,
                col(Risk.status) == RiskStatus.OPEN,
                col(Risk.score) >= literal(HIGH_RISK_SCORE),
            )
        ).all()
    ]


def _category_order(cells: Sequence[CellCounts]) -> list[str]:
    first: dict[str, int] = {}
    for cell in cells:
        if cell.position < first.get(cell.category, cell.position + 1):
            first[cell.category] = cell.position
    return sorted(first, key=lambda category: (first[category], category))


def readiness_review(
    ctx: Context,
    project_key: str,
    *,
    wave: str | None = None,
    kommun: str | None = None,
    with_units: bool = True,
) -> ReadinessReview:
    """The project's cut-over readiness review, of one wave and/or one kommun if asked.
    Without `with_units` the review's unit rows are left out (`review.units` is empty and
    the units a wave lists as not ready come without their cells): the summary, built
    without ten thousand unit cells.

    Built from the database on every call (no cache): what a reader sees right after a
    tick is what the figures are measured on."""
    now = ctx.clock.now()
    today = ctx.today()
    with ctx.db.read() as session:
        project: Project = project_by_key(session=session, key=project_key)
        return _build(session, project, now, today, wave, kommun, with_units)


def _build(
    session: Session,
    project: Project,
    now: datetime,
    today: date,
    wave: str | None,
    kommun: str | None,
    with_units: bool = True,
) -> ReadinessReview:
    assert project.id is not None
    pid = project.id
    waves = _load_waves(session, pid)
    units = _load_units(session, pid)
    tops = kommun_of({u.id: u for u in units})
    chosen_wave, chosen_kommun, ids = _scope(units, waves, tops, wave, kommun)
    scope = (chosen_wave, ids)
    lacking = _lacking(session, pid, scope)
    in_scope = waves
    if chosen_wave is not None:
        in_scope = [chosen_wave]
    elif ids is not None:
        wave_ids = {u.wave_id for u in units if u.id in set(ids)}
        in_scope = [w for w in waves if w.id in wave_ids]
    if with_units:
        cells = _with_lacking(_cells(session, pid, now, today, waves, scope), lacking)
        items = _items(session, pid, scope, lacking)
        review = build_review(
            today=today,
            waves=in_scope,
            units=units,
            cells=cells,
            items=items,
            risks=_risks(session, pid),
            category_order=_category_order(cells),
            sort_key=swedish_sort_key,
            tops=tops,
        )
    else:
        statement = _cell_statement(pid, now, today, waves, scope)
        unit_sums, kommun_sums, categories = _summed(session, statement, tops, lacking)
        review = build_summary(
            today=today,
            waves=in_scope,
            units=units,
            unit_sums=unit_sums,
            kommun_sums=kommun_sums,
            categories=categories,
            items=_items(session, pid, scope, lacking),
            risks=_risks(session, pid),
            sort_key=swedish_sort_key,
            tops=tops,
        )
    return ReadinessReview(
        project_key=project.key,
        project_name=project.name,
        organisation=project.organisation,
        review=review,
        wave=chosen_wave.key if chosen_wave else None,
        kommun=chosen_kommun.key if chosen_kommun else None,
        waves=tuple(sorted(waves, key=lambda w: (w.position, w.go_live_on, w.key))),
        kommuner=tuple(
            sorted(
                (u for u in units if tops[u.id].id == u.id),
                key=lambda u: (swedish_sort_key(u.name), u.id),
            )
        ),
    )


def has_units(ctx: Context, project_key: str) -> bool:
    """Whether the project rolls out to units (so that a readiness review makes sense)."""
    with ctx.db.read() as session:
        return has_units_in(
            session=session, project=project_by_key(session=session, key=project_key)
        )


def has_units_in(*, session: Session, project: Project) -> bool:
    """`has_units` inside the caller's transaction."""
    found = session.exec(
        _columns(Unit.id).where(col(Unit.project_id) == project.id).limit(1)
    ).first()
    return found is not None


# --- export tables ------------------------------------------------------------------------

Cell = str | int | float | None

UNIT_COLUMNS = (
    "Kommun",
    "Enhet",
    "Enhetsnyckel",
    "Typ",
    "Våg",
    "Driftstart",
    "Redo",
    "Obligatoriska klara",
    "Obligatoriska totalt",
    "Andel klara (%)",
    "Försenade",
    "Underlag saknas",
)
WAVE_COLUMNS = (
    "Våg",
    "Vågnyckel",
    "Driftstart",
    "Status",
    "Enheter",
    "Redo",
    "Andel redo (%)",
    "Obligatoriska klara",
    "Obligatoriska totalt",
    "Prognos vid driftstart (%)",
    "Redo i tid",
    "Förslag till beslut",
    "Enheter som inte är redo",
)


def unit_table(view: ReadinessReview) -> tuple[tuple[str, ...], list[tuple[Cell, ...]]]:
    """Readiness per unit: the header and one row per unit (for CSV and XLSX)."""
    rows: list[tuple[Cell, ...]] = [
        (
            u.kommun.name,
            u.unit.name,
            u.unit.key,
            u.unit.kind,
            u.wave.name if u.wave else "",
            u.wave.go_live_on.isoformat() if u.wave else "",
            "ja" if u.ready else "nej",
            u.mandatory_satisfied,
            u.mandatory,
            percent(u.share),
            u.overdue,
            u.lacking_evidence,
        )
        for u in view.review.units
    ]
    return UNIT_COLUMNS, rows


def wave_table(view: ReadinessReview) -> tuple[tuple[str, ...], list[tuple[Cell, ...]]]:
    """Readiness per wave: the header and one row per wave (for CSV and XLSX)."""
    rows: list[tuple[Cell, ...]] = [
        (
            w.wave.name,
            w.wave.key,
            w.wave.go_live_on.isoformat(),
            w.wave.status,
            w.counts.units,
            w.counts.ready,
            percent(w.counts.share_ready),
            w.counts.mandatory_satisfied,
            w.counts.mandatory,
            percent(w.forecast.projected_share),
            "ja" if w.forecast.in_time else "nej",
            w.suggestion.message_sv,
            ", ".join(r.unit.name for r in w.not_ready),
        )
        for w in view.review.waves
    ]
    return WAVE_COLUMNS, rows
