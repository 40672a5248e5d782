"""API schemas of the cut-over readiness review (beredskapsgenomgång) of a rollout.

The default answer is the steering group's summary: totals, waves, kommuner
with their row of the kommun × category heatmap, blockers and the kritisk
linje. The unit rows (a rollout of 1,000 units has some 8,000 unit cells) come
only when the review is filtered on a wave or a kommun, or page by page from
`…/readiness-review/units`. Answers are built as plain dicts and validated once
by pydantic-core.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from pydantic import BaseModel, Field

from gatekeeper.core.rollout.blocker import Blocker, BlockerKind
from gatekeeper.core.rollout.critical_line import Deadline
from gatekeeper.core.rollout.forecast import (
    Suggestion,
)
from gatekeeper.core.rollout.readiness import WaveReadiness
from gatekeeper.core.rollout.rows import (
    CellCounts,
)
from gatekeeper.core.rollout.unit_readiness import CellState, UnitReadiness, cell_state, grade
from gatekeeper.services.rollout.readiness_review import ReadinessReview


class CellPublic(BaseModel):
    """One unit's items of one category: done of those that count (not-applicable left out)."""

    category: str
    done: int
    total: int
    state: CellState = Field(
        description="done, overdue (a mandatory item past its deadline), evidence "
        "(a mandatory item done without the evidence it demands), partial, open or empty."
    )
    step: int | None = Field(
        ge=0,
        le=4,
        description="The heatmap's step of done/total: 0 (0–24 %), 1 (25–49 %), 2 (50–74 %), "
        "3 (75–99 %), 4 (100 %); null when no item counts.",
    )


class UnitReadinessPublic(BaseModel):
    """A unit: ready when every mandatory item is done, with evidence where demanded."""

    key: str
    name: str
    kind: str
    kommun: str = Field(description="Key of the unit's top-level unit (its kommun).")
    wave: str | None
    ready: bool
    mandatory_done: int
    mandatory_total: int
    share: float = Field(ge=0, le=1, description="Mandatory items done, 0 to 1.")
    overdue: int
    missing_evidence: int
    cells: list[CellPublic]


class ForecastPublic(BaseModel):
    """A wave at go-live: its units expected ready (each from its own pace over the last four
    weeks), and its mandatory items projected from the wave's pace."""

    units: int
    units_ready: int = Field(description="Ready now.")
    units_expected: int = Field(description="Expected ready at go-live (ready now included).")
    expected_share: float = Field(ge=0, le=1)
    not_expected: list[str] = Field(description="Names of the units not expected ready.")

    current_share: float = Field(ge=0, le=1)
    projected_share: float = Field(ge=0, le=1, description="Capped at 1.")
    pace_per_week: float
    weeks_left: float
    in_time: bool
    ready_on: date | None = Field(description="When the pace reaches 100 % (None: never).")
    message_sv: str
    message_en: str


class SuggestionPublic(BaseModel):
    """'Förslag till beslut' derived from the figures: a suggestion, not a decision."""

    kind: Suggestion
    except_units: list[str] = Field(description="Names of the units left out of a go.")
    message_sv: str
    message_en: str


class WaveReadinessPublic(BaseModel):
    key: str
    name: str
    go_live_on: date
    status: str
    units: int
    ready: int
    share_ready: float = Field(ge=0, le=1)
    mandatory_done: int
    mandatory_total: int
    not_ready: list[str] = Field(description="Keys of the units that are not ready.")
    forecast: ForecastPublic
    suggestion: SuggestionPublic


class KommunReadinessPublic(BaseModel):
    """A kommun and its row of the kommun heatmap (its units' cells summed per category)."""

    key: str
    name: str
    units: int
    ready: int
    share_ready: float = Field(ge=0, le=1)
    mandatory_done: int
    mandatory_total: int
    waves: list[str]
    cells: list[CellPublic] = Field(
        description="Per category: items done of those that count in the kommun's units; "
        "the state is overdue if any unit's item is, evidence if any lacks it, and so on."
    )


class CategoryReadinessPublic(BaseModel):
    category: str
    done: int
    total: int
    share: float = Field(ge=0, le=1)


class BlockerPublic(BaseModel):
    """What holds units back, ranked by how many units it holds back."""

    kind: BlockerKind
    title: str
    units: int
    checklist_id: str
    item_id: str
    category: str
    waves: list[str]
    due_on: date | None
    score: int | None


class DeadlinePublic(BaseModel):
    """An open item on the kritisk linje: due in one wave, open in `units` units."""

    due_on: date
    wave: str
    checklist_id: str
    item_id: str
    text: str
    category: str
    mandatory: bool
    units: int


class TotalsPublic(BaseModel):
    units: int
    ready: int
    share_ready: float = Field(ge=0, le=1)
    mandatory_done: int
    mandatory_total: int


class ReadinessReviewPublic(BaseModel):
    """The cut-over readiness review of the units in scope (a wave and/or a kommun)."""

    project: str
    as_of: date
    wave: str | None
    kommun: str | None
    totals: TotalsPublic
    categories: list[str]
    by_category: list[CategoryReadinessPublic]
    waves: list[WaveReadinessPublic]
    kommuner: list[KommunReadinessPublic]
    units: list[UnitReadinessPublic] | None = Field(
        description="The unit heatmap rows: only when filtered on a wave or a kommun "
        "(otherwise null; page through `…/readiness-review/units`)."
    )
    blockers: list[BlockerPublic]
    upcoming: list[DeadlinePublic] = Field(description="Open items due in the next four weeks.")
    late: list[DeadlinePublic] = Field(description="Open items past their deadline.")

    @classmethod
    def of(cls, view: ReadinessReview, *, with_units: bool) -> ReadinessReviewPublic:
        """The review's summary, with the unit rows if `with_units`."""
        review = view.review
        totals = review.totals
        return cls.model_validate(
            {
                "project": view.project_key,
                "as_of": review.today,
                "wave": view.wave,
                "kommun": view.kommun,
                "totals": {
                    "units": totals.units,
                    "ready": totals.ready,
                    "share_ready": totals.share_ready,
                    "mandatory_done": totals.mandatory_satisfied,
                    "mandatory_total": totals.mandatory,
                },
                "categories": list(review.categories),
                "by_category": [
                    {"category": c.category, "done": c.done, "total": c.total, "share": c.share}
                    for c in review.by_category
                ],
                "waves": [_wave(w) for w in review.waves],
                "kommuner": [
                    {
                        "key": k.kommun.key,
                        "name": k.kommun.name,
                        "units": k.counts.units,
                        "ready": k.counts.ready,
                        "share_ready": k.counts.share_ready,
                        "mandatory_done": k.counts.mandatory_satisfied,
                        "mandatory_total": k.counts.mandatory,
                        "waves": list(k.wave_keys),
                        "cells": _cells(k.cells, review.categories),
                    }
                    for k in review.kommuner
                ],
                "units": [unit_dict(u, review.categories) for u in review.units]
                if with_units
                else None,
                "blockers": [_blocker(b) for b in review.blockers],
                "upcoming": [_deadline(d) for d in review.upcoming],
                "late": [_deadline(d) for d in review.late],
            }
        )


def _cells(cells: dict[str, CellCounts], categories: tuple[str, ...]) -> list[dict[str, Any]]:
    return [
        {
            "category": c,
            "done": cell.done,
            "total": cell.total,
            "state": cell_state(cell),
            "step": grade(cell.done, cell.total),
        }
        for c in categories
        if (cell := cells.get(c)) is not None
    ]


def unit_dict(u: UnitReadiness, categories: tuple[str, ...]) -> dict[str, Any]:
    """A unit's row, as `UnitReadinessPublic` validates it."""
    return {
        "key": u.unit.key,
        "name": u.unit.name,
        "kind": u.unit.kind,
        "kommun": u.kommun.key,
        "wave": u.wave.key if u.wave else None,
        "ready": u.ready,
        "mandatory_done": u.mandatory_satisfied,
        "mandatory_total": u.mandatory,
        "share": u.share,
        "overdue": u.overdue,
        "missing_evidence": u.lacking_evidence,
        "cells": _cells(u.cells, categories),
    }


def _wave(w: WaveReadiness) -> dict[str, Any]:
    f, s = w.forecast, w.suggestion
    return {
        "key": w.wave.key,
        "name": w.wave.name,
        "go_live_on": w.wave.go_live_on,
        "status": w.wave.status,
        "units": w.counts.units,
        "ready": w.counts.ready,
        "share_ready": w.counts.share_ready,
        "mandatory_done": w.counts.mandatory_satisfied,
        "mandatory_total": w.counts.mandatory,
        "not_ready": [u.unit.key for u in w.not_ready],
        "forecast": {
            "units": f.units,
            "units_ready": f.units_ready,
            "units_expected": f.units_expected,
            "expected_share": f.expected_share,
            "not_expected": list(f.not_expected),
            "current_share": f.current_share,
            "projected_share": f.projected_share,
            "pace_per_week": f.pace,
            "weeks_left": f.weeks_left,
            "in_time": f.in_time,
            "ready_on": f.ready_on,
            "message_sv": f.message_sv,
            "message_en": f.message_en,
        },
        "suggestion": {
            "kind": s.kind,
            "except_units": list(s.except_units),
            "message_sv": s.message_sv,
            "message_en": s.message_en,
        },
    }


def _blocker(b: Blocker) -> dict[str, Any]:
    return {
        "kind": b.kind,
        "title": b.title,
        "units": b.units,
        "checklist_id": b.checklist_id,
        "item_id": b.item_id,
        "category": b.category,
        "waves": list(b.wave_keys),
        "due_on": b.due_on,
        "score": b.score,
    }


def _deadline(d: Deadline) -> dict[str, Any]:
    return {
        "due_on": d.due_on,
        "wave": d.wave.key,
        "checklist_id": d.checklist_id,
        "item_id": d.item_id,
        "text": d.text,
        "category": d.category,
        "mandatory": d.mandatory,
        "units": d.units,
    }


class UnitPagePublic(BaseModel):
    """A page of the unit heatmap rows; pass `next_cursor` back as `cursor` for the next."""

    categories: list[str]
    items: list[UnitReadinessPublic]
    next_cursor: str | None
