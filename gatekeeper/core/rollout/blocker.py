"""Blockers of a rollout: what keeps units from being ready, ranked by how many.

An open high risk holds back every unit in scope; a mandatory item past its
deadline holds back each unit that has it open; a mandatory item whose evidence
is missing (done without it, or still open with its deadline within the
kritisk linje's horizon) holds back each such unit. Each unit's item counts
once. Most units first, then risk, overdue, evidence.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum

from gatekeeper.core.rollout.critical_line import HORIZON_DAYS
from gatekeeper.core.rollout.rows import HighRisk, ItemCounts, WaveRow


class BlockerKind(StrEnum):
    RISK = "risk"  # an open high risk holds back every unit in scope
    OVERDUE = "overdue"  # a mandatory item past its deadline
    EVIDENCE = "evidence"  # a mandatory item's evidence missing: done without it, or open


@dataclass(frozen=True)
class Blocker:
    """Something that keeps units from being ready, and how many."""

    kind: BlockerKind
    title: str
    units: int
    checklist_id: str = ""
    item_id: str = ""
    category: str = ""
    wave_keys: tuple[str, ...] = ()
    due_on: date | None = None  # the earliest deadline (overdue items)
    score: int | None = None  # risks


def blockers(
    items: Sequence[ItemCounts],
    waves: dict[int, WaveRow],
    risks: Sequence[HighRisk],
    units_in_scope: int,
    today: date,
) -> tuple[Blocker, ...]:
    overdue: dict[tuple[str, str], list[tuple[ItemCounts, WaveRow, date]]] = defaultdict(list)
    evidence: dict[tuple[str, str], list[tuple[int, ItemCounts, WaveRow | None]]] = defaultdict(
        list
    )
    for item in items:
        if not item.mandatory:
            continue
        key = (item.checklist_id, item.item_id)
        wave = waves.get(item.wave_id) if item.wave_id is not None else None
        due = None
        if wave is not None and item.due_offset_days is not None:
            due = wave.go_live_on + timedelta(days=item.due_offset_days)
        if item.open and wave is not None and due is not None and due < today:
            overdue[key].append((item, wave, due))
        # Evidence missing: done without it, or still open with its deadline in the next
        # HORIZON_DAYS (one that is late is counted above, so no unit's item counts twice).
        soon = due is not None and today <= due <= today + timedelta(days=HORIZON_DAYS)
        missing = item.lacking_evidence + (item.open_evidence if soon else 0)
        if missing:
            evidence[key].append((missing, item, wave))
    found = [
        Blocker(BlockerKind.RISK, risk.title, units_in_scope, score=risk.score) for risk in risks
    ]
    for (checklist_id, item_id), entries in overdue.items():
        first = entries[0][0]
        found.append(
            Blocker(
                BlockerKind.OVERDUE,
                first.text,
                sum(item.open for item, _, _ in entries),
                checklist_id,
                item_id,
                first.category,
                tuple(wave.key for _, wave, _ in sorted(entries, key=lambda e: e[1].position)),
                min(due for _, _, due in entries),
            )
        )
    for (checklist_id, item_id), triples in evidence.items():
        first = triples[0][1]
        found.append(
            Blocker(
                BlockerKind.EVIDENCE,
                first.text,
                sum(missing for missing, _, _ in triples),
                checklist_id,
                item_id,
                first.category,
                tuple(
                    wave.key
                    for _, _, wave in sorted(triples, key=lambda t: t[2].position if t[2] else 0)
                    if wave is not None
                ),
            )
        )
    order = {BlockerKind.RISK: 0, BlockerKind.OVERDUE: 1, BlockerKind.EVIDENCE: 2}
    found.sort(key=lambda b: (-b.units, order[b.kind], b.due_on or date.max, b.title))
    return tuple(b for b in found if b.units > 0)
