"""Cut-over readiness of a regional rollout, from plain rows: units, waves, kommuner, blockers.

The rollout's checklist state arrives already counted (per unit × category and
per wave × item, as the database groups it), so a review of 39,200 item states
is a few thousand small records. A unit is *ready* when every mandatory item
that counts is done, with evidence where the item demands it; items marked not
applicable are left out of every share, exactly as for a project's own gate
checklists (`core.checklist.ItemState.counts`). A wave or a kommun (a unit's
top-level ancestor) is ready when all its units are. Blockers (open high risks,
mandatory items past their deadline, mandatory items whose evidence is missing:
done without it, or still open with the deadline in the next four weeks) are
ranked by how many units each holds back, each unit's item counted once. The
kritisk linje lists deadlines ahead and what is late, and forecasts each wave's
readiness at go-live from the pace of the last weeks. The per-wave decision
line is a *suggestion* from the figures, never a decision: the steering group
decides. The input rows live in `core.rollout.rows`, the forecast and the
suggestion in `core.rollout.forecast`, a unit's, category's and kommun's
readiness in `core.rollout.unit_readiness`, the blockers in
`core.rollout.blocker` and the kritisk linje in `core.rollout.critical_line`;
this module assembles them into one review.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date

from gatekeeper.core.rollout.blocker import Blocker, blockers
from gatekeeper.core.rollout.critical_line import Deadline, deadlines
from gatekeeper.core.rollout.forecast import (
    Forecast,
    WaveSuggestion,
    forecast,
    suggest,
)
from gatekeeper.core.rollout.rows import (
    CellCounts,
    Counts,
    HighRisk,
    ItemCounts,
    UnitRow,
    WaveRow,
)
from gatekeeper.core.rollout.unit_readiness import (
    CategoryReadiness,
    KommunReadiness,
    UnitReadiness,
    kommun_of,
    unit_readiness,
)


@dataclass(frozen=True)
class WaveReadiness:
    """A wave: its units' readiness, forecast at go-live and the suggested decision."""

    wave: WaveRow
    counts: Counts
    not_ready: tuple[UnitReadiness, ...]
    forecast: Forecast
    suggestion: WaveSuggestion


@dataclass(frozen=True)
class Review:
    """The cut-over readiness review of the units in scope."""

    today: date
    categories: tuple[str, ...]
    units: tuple[UnitReadiness, ...]  # grouped by kommun, then by name
    waves: tuple[WaveReadiness, ...]
    kommuner: tuple[KommunReadiness, ...]
    by_category: tuple[CategoryReadiness, ...]
    blockers: tuple[Blocker, ...]
    upcoming: tuple[Deadline, ...]  # open, due within HORIZON_DAYS
    late: tuple[Deadline, ...]  # open, past their deadline
    high_risks: tuple[HighRisk, ...]
    totals: Counts = field(default_factory=Counts)


# --- building it ------------------------------------------------------------------------


def build_review(
    *,
    today: date,
    waves: Iterable[WaveRow],
    units: Iterable[UnitRow],
    cells: Iterable[CellCounts],
    items: Iterable[ItemCounts],
    risks: Iterable[HighRisk],
    category_order: Sequence[str] = (),
    sort_key: Callable[[str], str] = str.casefold,
    tops: dict[int, UnitRow] | None = None,
) -> Review:
    """The review of the units that hold cells. `units` must include every ancestor of
    those units (to find their kommun; `tops` if the caller has resolved it already);
    units without cells (containers) are left out of every count. `sort_key` orders
    names (default: case-folded)."""
    name_key = sort_key
    wave_by_id = {wave.id: wave for wave in waves}
    unit_by_id = {unit.id: unit for unit in units}
    if tops is None:
        tops = kommun_of(unit_by_id)
    cells_of: dict[int, list[CellCounts]] = defaultdict(list)
    for cell in cells:
        if cell.unit_id in unit_by_id:
            cells_of[cell.unit_id].append(cell)
    readiness = [
        unit_readiness(
            unit_by_id[uid],
            tops[uid],
            wave_by_id.get(unit_by_id[uid].wave_id or -1),
            cells_of[uid],
        )
        for uid in cells_of
    ]
    _sort_units(readiness, name_key)
    present = {cell.category for cs in cells_of.values() for cell in cs}
    listed = [c for c in dict.fromkeys(category_order) if c in present]
    categories = (*listed, *sorted(present - set(listed)))
    category_totals: dict[str, list[int]] = {category: [0, 0] for category in categories}
    for unit_cells in cells_of.values():
        for c in unit_cells:
            sums = category_totals[c.category]
            sums[0] += c.total
            sums[1] += c.done
    by_category = tuple(
        CategoryReadiness(category, *category_totals[category]) for category in categories
    )
    return _assemble(
        today=today,
        wave_by_id=wave_by_id,
        unit_by_id=unit_by_id,
        readiness=readiness,
        categories=categories,
        by_category=by_category,
        items=items,
        risks=risks,
        name_key=name_key,
    )


def build_summary(
    *,
    today: date,
    waves: Iterable[WaveRow],
    units: Iterable[UnitRow],
    unit_sums: dict[int, list[int]],
    kommun_sums: dict[int, dict[str, list[int]]],
    categories: Sequence[str],
    items: Iterable[ItemCounts],
    risks: Iterable[HighRisk],
    sort_key: Callable[[str], str] = str.casefold,
    tops: dict[int, UnitRow] | None = None,
) -> Review:
    """The review as `build_review` makes it, from counts already summed: per unit
    (`unit_sums`: total, done, mandatory, satisfied, lacking, overdue, done recent) and per
    kommun × category (`kommun_sums`: the same seven, then the category's first position).
    The units come without their cells (`Review.units` is empty): what the summary needs
    without ten thousand unit cells."""
    name_key = sort_key
    wave_by_id = {wave.id: wave for wave in waves}
    unit_by_id = {unit.id: unit for unit in units}
    if tops is None:
        tops = kommun_of(unit_by_id)
    readiness = [
        UnitReadiness(
            unit_by_id[uid],
            tops[uid],
            wave_by_id.get(unit_by_id[uid].wave_id or -1),
            {},
            *sums,
        )
        for uid, sums in unit_sums.items()
        if uid in unit_by_id
    ]
    _sort_units(readiness, name_key)
    category_totals: dict[str, list[int]] = {category: [0, 0] for category in categories}
    for row in kommun_sums.values():
        for category, cell in row.items():
            sums = category_totals.setdefault(category, [0, 0])
            sums[0] += cell[0]
            sums[1] += cell[1]
    return _assemble(
        today=today,
        wave_by_id=wave_by_id,
        unit_by_id=unit_by_id,
        readiness=readiness,
        categories=tuple(categories),
        by_category=tuple(
            CategoryReadiness(category, *category_totals[category]) for category in categories
        ),
        items=items,
        risks=risks,
        name_key=name_key,
        kommun_sums=kommun_sums,
    )


def _sort_units(readiness: list[UnitReadiness], name_key: Callable[[str], str]) -> None:
    """Grouped by kommun (its name, then id), the kommun's own row first, then by name; each
    distinct name keyed once (a rollout repeats its enheter's names in every kommun)."""
    keys: dict[str, str] = {}

    def key_of(name: str) -> str:
        found = keys.get(name)
        if found is None:
            found = keys[name] = name_key(name)
        return found

    readiness.sort(
        key=lambda r: (
            key_of(r.kommun.name),
            r.kommun.id,
            r.unit.id != r.kommun.id,
            key_of(r.unit.name),
            r.unit.id,
        )
    )


def _assemble(
    *,
    today: date,
    wave_by_id: dict[int, WaveRow],
    unit_by_id: dict[int, UnitRow],
    readiness: list[UnitReadiness],
    categories: tuple[str, ...],
    by_category: tuple[CategoryReadiness, ...],
    items: Iterable[ItemCounts],
    risks: Iterable[HighRisk],
    name_key: Callable[[str], str],
    kommun_sums: dict[int, dict[str, list[int]]] | None = None,
) -> Review:
    """Waves, kommuner, blockers and the kritisk linje from the units' readiness; the
    kommun heatmap from `kommun_sums` if given, else summed from the units' cells."""
    risk_list = tuple(sorted(risks, key=lambda r: (-r.score, r.title)))
    item_list = list(items)
    # Units, ready, mandatory, satisfied: summed in lists, not by adding `Counts` (a
    # rollout has a thousand units, and ten thousand cells).
    kommun_counts: dict[int, list[int]] = {}
    kommun_waves: dict[int, set[int]] = defaultdict(set)
    wave_counts: dict[int, list[int]] = {}
    wave_not_ready: dict[int, list[UnitReadiness]] = defaultdict(list)
    wave_units: dict[int, list[UnitReadiness]] = defaultdict(list)
    total = [0, 0, 0, 0]
    summed = kommun_sums is not None
    if kommun_sums is None:
        kommun_sums = defaultdict(dict)
    for r in readiness:
        ready = int(r.ready)
        counted = [total, kommun_counts.setdefault(r.kommun.id, [0, 0, 0, 0])]
        if r.wave is not None:
            counted.append(wave_counts.setdefault(r.wave.id, [0, 0, 0, 0]))
        for acc in counted:
            acc[0] += 1
            acc[1] += ready
            acc[2] += r.mandatory
            acc[3] += r.mandatory_satisfied
        row = kommun_sums[r.kommun.id] if not summed else {}
        for category, c in r.cells.items() if not summed else ():
            if category not in row:
                row[category] = [c.total, c.done, c.mandatory, c.mandatory_satisfied]
                row[category] += [c.lacking_evidence, c.overdue, c.done_recent, c.position]
                continue
            sums = row[category]
            sums[0] += c.total
            sums[1] += c.done
            sums[2] += c.mandatory
            sums[3] += c.mandatory_satisfied
            sums[4] += c.lacking_evidence
            sums[5] += c.overdue
            sums[6] += c.done_recent
            sums[7] = min(sums[7], c.position)
        if r.wave is not None:
            kommun_waves[r.kommun.id].add(r.wave.id)
            wave_units[r.wave.id].append(r)
            if not r.ready:
                wave_not_ready[r.wave.id].append(r)

    totals = Counts(*total)
    kommun_cells = {
        kid: {category: CellCounts(kid, category, *sums) for category, sums in row.items()}
        for kid, row in kommun_sums.items()
    }

    def wave_order(wave: WaveRow) -> tuple[int, date, str]:
        return (wave.position, wave.go_live_on, wave.key)

    kommuner = tuple(
        KommunReadiness(
            unit_by_id[kid],
            Counts(*counts),
            tuple(
                w.key for w in sorted((wave_by_id[i] for i in kommun_waves[kid]), key=wave_order)
            ),
            kommun_cells.get(kid, {}),
        )
        for kid, counts in sorted(
            kommun_counts.items(), key=lambda kv: (name_key(unit_by_id[kv[0]].name), kv[0])
        )
    )
    done_recent: dict[int, int] = defaultdict(int)
    for r in readiness:
        if r.wave is not None:
            done_recent[r.wave.id] += r.done_recent
    wave_rows = []
    for wave in sorted(wave_by_id.values(), key=wave_order):
        counts = Counts(*wave_counts.get(wave.id, (0, 0, 0, 0)))
        not_ready = tuple(wave_not_ready.get(wave.id, ()))
        outlook = forecast(
            satisfied=counts.mandatory_satisfied,
            mandatory=counts.mandatory,
            done_recent=done_recent[wave.id],
            today=today,
            go_live_on=wave.go_live_on,
            units=wave_units.get(wave.id, ()),
        )
        wave_rows.append(
            WaveReadiness(
                wave=wave,
                counts=counts,
                not_ready=not_ready,
                forecast=outlook,
                suggestion=suggest(wave, outlook, len(risk_list)),
            )
        )
    upcoming, late = deadlines(item_list, wave_by_id, today)
    return Review(
        today=today,
        categories=categories,
        units=tuple(readiness),
        waves=tuple(wave_rows),
        kommuner=kommuner,
        by_category=by_category,
        blockers=blockers(item_list, wave_by_id, risk_list, totals.units, today),
        upcoming=tuple(upcoming),
        late=tuple(late),
        high_risks=risk_list,
        totals=totals,
    )
