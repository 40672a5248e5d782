"""The "Enheter" page's read: a rollout's units, filtered and grouped, in one read transaction.

`unit_overview` answers what the page shows a viewer for the filters in its
address (`core.rollout.unit_filter`): each wave with its kommuner, each kommun
with its matching units in tree order and their readiness, what the viewer may
do (tick which units, manage the rollout), and the choices of the filter form.
Readiness comes from the rollout's readiness review (`readiness_review_in`,
summed per unit, scoped to the kommun or wave asked for), so the page says
"redo" exactly when the beredskapsgenomgång does.

No page lists a whole region: when more than `LIST_LIMIT` units of more than
one kommun match and no kommun is chosen, the kommuner are listed with their
counts instead of their units (`UnitOverview.collapsed`), each a link to its
own units. A kommun is the page's unit of work (ticked at once, checked for
readiness at once), so it is never split over pages.
"""

from __future__ import annotations

import functools
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass

from sqlmodel import Session, col

from gatekeeper.core.actor import Actor
from gatekeeper.core.collation import swedish_sort_key
from gatekeeper.core.rollout.unit_filter import Show, UnitFacts, UnitFilter, UnitState, unit_state
from gatekeeper.core.status import UnitKind
from gatekeeper.services.context import Context
from gatekeeper.services.lookup import project_by_key
from gatekeeper.services.rollout.access import may_manage, responsible_chain
from gatekeeper.services.rollout.readiness_review import readiness_review_in
from gatekeeper.services.rollout.readiness_scope import select_columns
from gatekeeper.services.rollout.unit_checklist import unit_item_ids_in
from gatekeeper.services.rollout.wave import waves_in
from gatekeeper.store.projects.tables import Project
from gatekeeper.store.rollout.unit_tables import Unit as UnitTable
from gatekeeper.store.rollout.unit_tables import Wave

LIST_LIMIT = 100  # units listed one by one; above it (over several kommuner) the kommuner


@dataclass(frozen=True)
class UnitQuery:
    """The filters as the address gives them: text, '' for none."""

    show: str = ""  # "mina" | "alla" | "" (the viewer's own units when they have any)
    kommun: str = ""
    wave: str = ""
    readiness: str = ""  # "redo" | "inte-redo" | "forsenad" | ""


@dataclass(frozen=True)
class Unit:
    """What the page shows of a unit (read as columns: a region has a thousand)."""

    id: int
    key: str
    name: str
    kind: UnitKind
    parent_id: int | None
    wave_id: int | None
    responsible_email: str
    responsible_name: str


@dataclass(frozen=True)
class ListedUnit:
    """A unit on the page: its place in the tree, progress, readiness and tick right."""

    unit: Unit
    depth: int
    items_done: int
    items_total: int  # not counting items marked not applicable
    state: UnitState | None  # None: no checklist items
    may_tick: bool


@dataclass(frozen=True)
class KommunGroup:
    """A kommun's matching units in one wave, counted (the units left out when collapsed)."""

    kommun: Unit
    units: tuple[ListedUnit, ...]
    matching: int
    ready: int
    not_ready: int  # the late ones included
    overdue: int
    may_tick: bool  # the kommun itself, and through it its units


@dataclass(frozen=True)
class WaveSection:
    """A wave (None: units not yet in a wave) with its kommuner in Swedish order."""

    wave: Wave | None
    kommuner: tuple[KommunGroup, ...]

    @property
    def matching(self) -> int:
        return sum(group.matching for group in self.kommuner)


@dataclass(frozen=True)
class UnitOverview:
    """Everything the "Enheter" page shows."""

    project: Project
    filter: UnitFilter  # in force (visa resolved)
    unknown: tuple[tuple[str, str], ...]  # (field, value) given that names nothing
    sections: tuple[WaveSection, ...]
    collapsed: bool
    matching: int
    total: int
    mine: int  # units the viewer answers for, in the whole project
    may_manage: bool
    kommuner: tuple[Unit, ...]  # every kommun, Swedish order (the filter's choices)
    waves: tuple[Wave, ...]
    parents: tuple[tuple[Unit, str], ...]  # kommuner and förvaltningar with their kommun
    items: list[tuple[str, str, str]]  # (checklist id, item id, text) for bulk ticks
    readiness_kommun: Unit | None  # the one kommun the listed units belong to
    names: dict[str, str]  # unit key → name, for the bulk tick's result

    @property
    def may_tick_any(self) -> bool:
        """Whether the page offers any unit (or kommun) to tick."""
        return any(
            group.may_tick if self.collapsed else any(u.may_tick for u in group.units)
            for section in self.sections
            for group in section.kommuner
        )

    @property
    def listed(self) -> list[Unit]:
        """The units the page shows one by one (the kommuner, when collapsed)."""
        if self.collapsed:
            return [g.kommun for s in self.sections for g in s.kommuner]
        return [u.unit for s in self.sections for g in s.kommuner for u in g.units]

    def item_text(self, item_id: str) -> str:
        """What an item says (the first checklist that has it), or its id if none does."""
        return next((text for _, item, text in self.items if item == item_id), item_id)

    def unit_name(self, unit_key: str) -> str:
        """A unit's name by its key, or the key itself for a unit the project lacks."""
        return self.names.get(unit_key, unit_key)

    @functools.cached_property
    def wave_names(self) -> dict[str, str]:
        return {wave.key: wave.name for wave in self.waves}


def unit_overview(
    ctx: Context, project_key: str, *, viewer: Actor, query: UnitQuery | None = None
) -> UnitOverview:
    """The project's units as `viewer` sees them on the Enheter page, filtered by `query`."""
    query = query or UnitQuery()
    with ctx.db.read() as session:
        project = project_by_key(session=session, key=project_key)
        return _overview(ctx, session, project, viewer, query)


def _overview(
    ctx: Context, session: Session, project: Project, viewer: Actor, query: UnitQuery
) -> UnitOverview:
    units = _units(session, project)
    by_id = {u.id: u for u in units}
    parents = {u.id: u.parent_id for u in units}
    responsible = {u.id: u.responsible_email for u in units}
    tops = _tops(by_id)
    mine = {
        uid
        for uid in parents
        if viewer.id in responsible_chain(uid, parents=parents, responsible=responsible)
    }
    manager = may_manage(session=session, project=project, actor=viewer)
    waves = tuple(waves_in(session=session, project=project))
    wave_keys = {w.id: w.key for w in waves}
    kommuner = tuple(
        sorted(
            (u for u in units if u.parent_id not in by_id),
            key=lambda u: (swedish_sort_key(u.name), u.id),
        )
    )
    chosen, unknown = _resolve(query, mine=bool(mine), kommuner=kommuner, waves=waves)

    states: dict[int, UnitState] = {}
    counts: dict[int, tuple[int, int]] = {}
    if not unknown:
        mine_kommuner = {tops[uid].key for uid in mine}
        scope = chosen.kommun or (
            next(iter(mine_kommuner)) if chosen.mine and len(mine_kommuner) == 1 else None
        )
        review = readiness_review_in(
            session=session,
            project=project,
            now=ctx.clock.now(),
            today=ctx.today(),
            wave=chosen.wave,
            kommun=scope,
            with_units=False,
        ).review
        for readiness in review.units:
            states[readiness.unit.id] = unit_state(ready=readiness.ready, overdue=readiness.overdue)
            counts[readiness.unit.id] = (readiness.done, readiness.total)

    grouped: dict[tuple[int | None, int], list[ListedUnit]] = defaultdict(list)
    tree = _tree(units, by_id) if not unknown else []
    for unit, depth in tree:
        facts = UnitFacts(
            kommun=tops[unit.id].key,
            wave=wave_keys.get(unit.wave_id or -1),
            mine=unit.id in mine,
            state=states.get(unit.id),
        )
        if chosen.matches(facts):
            done, total = counts.get(unit.id, (0, 0))
            grouped[unit.wave_id, tops[unit.id].id].append(
                ListedUnit(unit, depth, done, total, facts.state, manager or unit.id in mine)
            )
    matching = sum(len(listed) for listed in grouped.values())
    collapsed = (
        chosen.kommun is None and len({top for _, top in grouped}) > 1 and matching > LIST_LIMIT
    )
    sections = _sections(
        waves,
        grouped,
        by_id,
        collapsed=collapsed,
        show_empty=not chosen.narrowed and not unknown,
        may_tick=lambda kommun: manager or kommun.id in mine,
    )
    listed_tops = {top for _, top in grouped}
    readiness_kommun = by_id[next(iter(listed_tops))] if len(listed_tops) == 1 else None
    return UnitOverview(
        project=project,
        filter=chosen,
        unknown=unknown,
        sections=sections,
        collapsed=collapsed,
        matching=matching,
        total=len(units),
        mine=len(mine),
        may_manage=manager,
        kommuner=kommuner,
        waves=waves,
        parents=tuple(
            (unit, _with_kommun(unit, tops))
            for unit, _ in (tree or _tree(units, by_id))
            if unit.kind is not UnitKind.ENHET
        ),
        items=unit_item_ids_in(session=session, project=project),
        readiness_kommun=readiness_kommun,
        names={u.key: u.name for u in units},
    )


def _units(session: Session, project: Project) -> list[Unit]:
    """The project's units by name, as columns."""
    table = UnitTable
    statement = (
        select_columns(
            table.id,
            table.key,
            table.name,
            table.kind,
            table.parent_id,
            table.wave_id,
            table.responsible_email,
            table.responsible_name,
        )
        .where(col(table.project_id) == project.id)
        .order_by(col(table.name), col(table.id))
    )
    return [Unit(*row) for row in session.exec(statement).all()]


def _tree(units: list[Unit], by_id: dict[int, Unit]) -> list[tuple[Unit, int]]:
    """The units in tree order (kommun, its förvaltningar, their enheter; siblings by
    name), each with its depth; a unit whose parent is missing counts as a top."""
    children: dict[int | None, list[Unit]] = defaultdict(list)
    for unit in units:
        children[unit.parent_id if unit.parent_id in by_id else None].append(unit)
    found: list[tuple[Unit, int]] = []
    seen: set[int] = set()
    stack = [(unit, 0) for unit in reversed(children[None])]
    while stack:
        unit, depth = stack.pop()
        if unit.id in seen:
            continue
        seen.add(unit.id)
        found.append((unit, depth))
        stack.extend((child, depth + 1) for child in reversed(children.get(unit.id, [])))
    return found


def _with_kommun(unit: Unit, tops: dict[int, Unit]) -> str:
    """A unit's name, with its kommun's unless it is one (förvaltningar share names)."""
    top = tops[unit.id]
    return unit.name if top.id == unit.id else f"{unit.name} ({top.name})"


def _tops(by_id: dict[int, Unit]) -> dict[int, Unit]:
    """Each unit's top-level unit (its kommun); a cycle stops where it was seen."""
    tops: dict[int, Unit] = {}
    for unit in by_id.values():
        top, seen = unit, {unit.id}
        while top.parent_id is not None and top.parent_id in by_id and top.parent_id not in seen:
            seen.add(top.parent_id)
            top = by_id[top.parent_id]
        tops[unit.id] = top
    return tops


def _resolve(
    query: UnitQuery, *, mine: bool, kommuner: tuple[Unit, ...], waves: tuple[Wave, ...]
) -> tuple[UnitFilter, tuple[tuple[str, str], ...]]:
    """The filter in force, and the values given that name nothing in the project."""
    unknown: list[tuple[str, str]] = []
    show = query.show.strip()
    if show and show not in {s.value for s in Show}:
        unknown.append(("visa", show))
    kommun = query.kommun.strip() or None
    if kommun is not None and kommun not in {k.key for k in kommuner}:
        unknown.append(("kommun", kommun))
    wave = query.wave.strip() or None
    if wave is not None and wave not in {w.key for w in waves}:
        unknown.append(("wave", wave))
    readiness = None
    if query.readiness.strip():
        try:
            readiness = UnitState(query.readiness.strip())
        except ValueError:
            unknown.append(("beredskap", query.readiness.strip()))
    own = show == Show.MINE or (not show and mine)
    return UnitFilter(mine=own, kommun=kommun, wave=wave, readiness=readiness), tuple(unknown)


def _sections(
    waves: tuple[Wave, ...],
    grouped: dict[tuple[int | None, int], list[ListedUnit]],
    by_id: dict[int, Unit],
    *,
    collapsed: bool,
    show_empty: bool,
    may_tick: Callable[[Unit], bool],
) -> tuple[WaveSection, ...]:
    per_wave: dict[int | None, list[KommunGroup]] = defaultdict(list)
    for (wave_id, top), listed in grouped.items():
        kommun = by_id[top]
        per_wave[wave_id].append(
            KommunGroup(
                kommun=kommun,
                units=() if collapsed else tuple(listed),
                matching=len(listed),
                ready=sum(1 for u in listed if u.state is UnitState.READY),
                not_ready=sum(
                    1 for u in listed if u.state in (UnitState.NOT_READY, UnitState.OVERDUE)
                ),
                overdue=sum(1 for u in listed if u.state is UnitState.OVERDUE),
                may_tick=may_tick(kommun),
            )
        )
    sections = []
    for wave in (*waves, None):
        groups = per_wave.get(wave.id if wave is not None else None, [])
        if groups or (show_empty and wave is not None):
            groups.sort(key=lambda g: (swedish_sort_key(g.kommun.name), g.kommun.id))
            sections.append(WaveSection(wave, tuple(groups)))
    return tuple(sections)
