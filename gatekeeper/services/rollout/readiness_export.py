"""The export tables of a rollout readiness review: per unit and per wave, for CSV and XLSX.

Each table is a header and rows of plain cells (text, numbers, or empty), in
Swedish, built from a `ReadinessReview` that has its unit rows; the web layer
writes them as CSV or XLSX.
"""

from __future__ import annotations

from gatekeeper.core.rollout.rows import (
    percent,
)
from gatekeeper.services.rollout.readiness_review import ReadinessReview

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
