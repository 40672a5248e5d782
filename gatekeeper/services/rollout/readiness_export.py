"""The export tables of a rollout readiness review: per unit, per wave and the open items.

Each table is a header and rows of plain cells (text, numbers, real dates, or
empty), in Swedish throughout (kinds, statuses, the suggested decision, yes and
no), built from a `ReadinessReview` that has its unit rows, or from the open
items (`open_items`); the web layer writes them as CSV and XLSX. Readiness is
the one definition of `core.rollout.unit_readiness`, so the files say what
the page says.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from gatekeeper.core.rollout.forecast import Suggestion
from gatekeeper.core.rollout.rows import percent
from gatekeeper.core.status import UnitKind
from gatekeeper.services.context import Context
from gatekeeper.services.rollout.open_items import OpenItem, open_items
from gatekeeper.services.rollout.readiness_review import ReadinessReview, readiness_review
from gatekeeper.services.rollout.unit_rule import KIND_LABEL_SV

Cell = str | int | float | date | None
Table = tuple[tuple[str, ...], list[tuple[Cell, ...]]]

WAVE_STATUS_SV = {"planned": "Planerad", "live": "I drift", "paused": "Pausad"}
SUGGESTION_SV = {
    Suggestion.GO: "Go",
    Suggestion.GO_EXCEPT: "Go utom namngivna enheter",
    Suggestion.POSTPONE: "Skjut upp",
    Suggestion.LIVE: "I drift",
}

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
    "Väntas redo vid driftstart",
    "Andel som väntas redo (%)",
    "Obligatoriska klara",
    "Obligatoriska totalt",
    "Förslag till beslut",
    "Motivering",
    "Enheter som inte är redo",
)
OPEN_ITEM_COLUMNS = (
    "Kommun",
    "Enhet",
    "Enhetsnyckel",
    "Våg",
    "Punkt",
    "Kategori",
    "Obligatorisk",
    "Läge",
    "Deadline",
    "Ansvarig",
    "Ansvarig roll",
)


def _yes(value: bool) -> str:
    return "ja" if value else "nej"


def _kind(kind: str) -> str:
    try:
        return KIND_LABEL_SV[UnitKind(kind)]
    except ValueError:
        return kind


def unit_table(view: ReadinessReview) -> Table:
    """Readiness per unit: the header and one row per unit (for CSV and XLSX)."""
    rows: list[tuple[Cell, ...]] = [
        (
            u.kommun.name,
            u.unit.name,
            u.unit.key,
            _kind(u.unit.kind),
            u.wave.name if u.wave else "",
            u.wave.go_live_on if u.wave else None,
            _yes(u.ready),
            u.mandatory_satisfied,
            u.mandatory,
            percent(u.share),
            u.overdue,
            u.lacking_evidence,
        )
        for u in view.review.units
    ]
    return UNIT_COLUMNS, rows


def wave_table(view: ReadinessReview) -> Table:
    """Readiness per wave: the header and one row per wave (for CSV and XLSX)."""
    rows: list[tuple[Cell, ...]] = [
        (
            w.wave.name,
            w.wave.key,
            w.wave.go_live_on,
            WAVE_STATUS_SV.get(w.wave.status, w.wave.status),
            w.counts.units,
            w.counts.ready,
            percent(w.counts.share_ready),
            w.forecast.units_expected,
            percent(w.forecast.expected_share),
            w.counts.mandatory_satisfied,
            w.counts.mandatory,
            SUGGESTION_SV[w.suggestion.kind],
            w.suggestion.message_sv,
            "; ".join(f"{r.unit.name} ({r.kommun.name})" for r in w.not_ready),
        )
        for w in view.review.waves
    ]
    return WAVE_COLUMNS, rows


def _state(item: OpenItem) -> str:
    if item.lacking_evidence:
        return "Klar, underlag saknas"
    return "Försenad" if item.overdue else "Öppen"


def open_item_table(items: list[OpenItem]) -> Table:
    """The open items, one row per unit × item (for CSV and XLSX)."""
    rows: list[tuple[Cell, ...]] = [
        (
            item.kommun,
            item.unit,
            item.unit_key,
            item.wave,
            item.text,
            item.category,
            _yes(item.mandatory),
            _state(item),
            item.due_on,
            (
                f"{item.responsible} (via {item.inherited_from})"
                if item.inherited_from
                else item.responsible
            ),
            item.responsible_role,
        )
        for item in items
    ]
    return OPEN_ITEM_COLUMNS, rows


SHEET_TITLES = {"units": "Enheter", "waves": "Vågor", "open-items": "Öppna punkter"}


@dataclass(frozen=True)
class Export:
    """The tables of one export file (one per sheet; a CSV file takes the first), and what
    its file name says: the project, the filters, the day."""

    project_key: str
    wave: str | None
    kommun: str | None
    today: date
    sheets: tuple[tuple[str, tuple[str, ...], list[tuple[Cell, ...]]], ...]


def export(
    ctx: Context,
    project_key: str,
    table: str,
    *,
    wave: str | None = None,
    kommun: str | None = None,
    with_open_items: bool = False,
) -> Export:
    """The tables of an export: `units` (with the open items as a second sheet when
    `with_open_items`), `waves` or `open-items`."""
    if table == "open-items":
        view = readiness_review(ctx, project_key, wave=wave, kommun=kommun, with_units=False)
        tables = [open_item_table(open_items(ctx, project_key, wave=wave, kommun=kommun))]
    else:
        view = readiness_review(
            ctx, project_key, wave=wave, kommun=kommun, with_units=table == "units"
        )
        tables = [unit_table(view) if table == "units" else wave_table(view)]
        if table == "units" and with_open_items:
            tables.append(open_item_table(open_items(ctx, project_key, wave=wave, kommun=kommun)))
    titles = [SHEET_TITLES[table], SHEET_TITLES["open-items"]]
    return Export(
        project_key=view.project_key,
        wave=view.wave,
        kommun=view.kommun,
        today=view.review.today,
        sheets=tuple(
            (title, header, rows) for title, (header, rows) in zip(titles, tables, strict=False)
        ),
    )
