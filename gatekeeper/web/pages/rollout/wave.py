"""The beredskapsgenomgång (cut-over readiness review) page, its printable report and files.

`/projects/{key}/readiness` shows, for the units of a rollout, by the one
readiness definition (`core.rollout.unit_readiness`): units ready per wave,
the forecast in units and the decision it suggests by the rule stated under
the table (`core.rollout.forecast.RULE_SV`), the blockers ranked by how many
units each holds back, the kritisk linje, and the heatmap of kommuner ×
checklist categories as a table: every cell says its share done ("60 %") and
carries its step's pattern class (`rr-g0`…`rr-g4`), never colour alone, under
abbreviated column heads spelled out in the legend, so it fits 1366 px. The
heatmap of units × categories appears for a chosen kommun or wave (a plain
GET form filters by both). `/readiness/report` is the steering group's
printable report (`/readiness/report.pdf` the same as PDF/A): per wave a table
per kommun and the units not ready grouped under their kommun. The export
files (per unit, per wave, the open items) are offered here too, to the
signed-in browser (the API has the same for tokens).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from fastapi import APIRouter, Response
from fastapi.responses import HTMLResponse

from gatekeeper.core.collation import swedish_sort_key
from gatekeeper.core.rollout.blocker import Blocker, BlockerKind
from gatekeeper.core.rollout.critical_line import HORIZON_DAYS
from gatekeeper.core.rollout.forecast import (
    GO_EXCEPT_MIN_SHARE,
    PACE_WEEKS,
    RULE_EN,
    RULE_SV,
    Suggestion,
)
from gatekeeper.core.rollout.readiness import WaveReadiness
from gatekeeper.core.rollout.report import KommunInWave, kommuner_in_wave
from gatekeeper.core.rollout.rows import (
    HIGH_RISK_SCORE,
    percent,
    tal,
)
from gatekeeper.core.rollout.unit_readiness import (
    GRADES,
    READINESS_EN,
    READINESS_SV,
    CellState,
    KommunReadiness,
    UnitReadiness,
    abbreviations,
    cell_state,
    grade,
)
from gatekeeper.services.gates import wave_review as wave_reviews
from gatekeeper.services.rollout import readiness_review as rollout_review
from gatekeeper.services.rollout.readiness_review import ReadinessReview
from gatekeeper.web.api.rollout.readiness_review import Format, Table, export_response
from gatekeeper.web.deps import ContextDep
from gatekeeper.web.i18n import N_
from gatekeeper.web.page import Page, PageDep
from gatekeeper.web.pdf import pdf_response
from gatekeeper.web.sessions import WebOrTokenProjectReader, WebProjectReader

router = APIRouter(tags=["pages"], include_in_schema=False)

# A heatmap cell's word and symbol; the CSS adds a pattern and a colour that only repeat them.
CELL = {
    CellState.DONE: ("✓", N_("Klar")),
    CellState.OVERDUE: ("!", N_("Försenad")),
    CellState.EVIDENCE: ("?", N_("Underlag saknas")),
    CellState.PARTIAL: ("◐", N_("Pågår")),
    CellState.OPEN: ("○", N_("Ej påbörjad")),
    CellState.EMPTY: ("–", N_("Inga punkter")),
}
BLOCKER = {
    BlockerKind.RISK: N_("Öppen hög risk"),
    BlockerKind.OVERDUE: N_("Försenad obligatorisk punkt"),
    BlockerKind.EVIDENCE: N_("Underlag saknas"),
}
SUGGESTION = {
    Suggestion.GO: N_("Go"),
    Suggestion.GO_EXCEPT: N_("Go utom namngivna enheter"),
    Suggestion.POSTPONE: N_("Skjut upp"),
    Suggestion.LIVE: N_("I drift"),
}
SUGGESTION_MARK = {
    Suggestion.GO: "✓",
    Suggestion.GO_EXCEPT: "◐",
    Suggestion.POSTPONE: "✗",
    Suggestion.LIVE: "▶",
}
WAVE_STATUS = {"planned": N_("Planerad"), "live": N_("I drift"), "paused": N_("Pausad")}


@dataclass(frozen=True)
class KommunGroup:
    """A kommun and its units, as one row group of the heatmap."""

    kommun: KommunReadiness
    units: tuple[UnitReadiness, ...]


def kommun_groups(view: ReadinessReview) -> list[KommunGroup]:
    """The heatmap's row groups: the review's units (already in kommun order) by kommun."""
    by_id = {k.kommun.id: k for k in view.review.kommuner}
    groups: list[KommunGroup] = []
    current: list[UnitReadiness] = []
    for unit in view.review.units:
        if current and current[0].kommun.id != unit.kommun.id:
            groups.append(KommunGroup(by_id[current[0].kommun.id], tuple(current)))
            current = []
        current.append(unit)
    if current:
        groups.append(KommunGroup(by_id[current[0].kommun.id], tuple(current)))
    return groups


def blockers_of(wave: WaveReadiness, blockers: tuple[Blocker, ...]) -> list[Blocker]:
    """The blockers that concern a wave (risks concern every wave)."""
    return [b for b in blockers if b.kind is BlockerKind.RISK or wave.wave.key in b.wave_keys]


def _query(**values: str | None) -> str:
    given = {name: value for name, value in values.items() if value}
    return f"?{urlencode(given)}" if given else ""


def _context(page: Page, view: ReadinessReview) -> dict[str, Any]:
    base = f"/projects/{view.project_key}/readiness"
    query = _query(wave=view.wave, kommun=view.kommun)

    def in_lang(sv: str, en: str) -> str:
        return sv if page.lang == "sv" else en

    return {
        "view": view,
        "review": view.review,
        "base": base,
        "query": query,
        "exports": [
            (N_("Beredskap per enhet (CSV)"), f"{base}/units.csv{query}"),
            (N_("Beredskap per enhet (Excel)"), f"{base}/units.xlsx{query}"),
            (N_("Beredskap per våg (CSV)"), f"{base}/waves.csv{query}"),
            (N_("Beredskap per våg (Excel)"), f"{base}/waves.xlsx{query}"),
            (N_("Öppna punkter per enhet (CSV)"), f"{base}/open-items.csv{query}"),
            (N_("Öppna punkter per enhet (Excel)"), f"{base}/open-items.xlsx{query}"),
        ],
        "cell_state": cell_state,
        "cell_words": CELL,
        "cell_symbols": {state: symbol for state, (symbol, _) in CELL.items()},
        "cell_labels": {state: page.gettext(word) for state, (_, word) in CELL.items()},
        "blocker_words": BLOCKER,
        "suggestion_words": SUGGESTION,
        "wave_status": WAVE_STATUS,
        "percent": percent,
        "in_lang": in_lang,
        "rule": in_lang(RULE_SV, RULE_EN),
        "readiness_rule": in_lang(READINESS_SV, READINESS_EN),
        "suggestion_marks": SUGGESTION_MARK,
        "grade": grade,
        "grades": GRADES,
        "abbrev": abbreviations(view.review.categories),
        "tal": tal,
        "high_risk_score": HIGH_RISK_SCORE,
        "horizon_days": HORIZON_DAYS,
        "pace_weeks": PACE_WEEKS,
        "go_except_percent": percent(GO_EXCEPT_MIN_SHARE),
        "wave_names": {w.key: w.name for w in view.waves},
        # "Våg 1 – Sjuhärad och pilotkommuner" is "Våg 1" in a narrow column.
        "short_wave_names": {w.key: w.name.split(" – ")[0] for w in view.waves},
    }


@router.get("/projects/{project_key}/readiness", response_class=HTMLResponse)
def readiness_page(
    page: PageDep,
    ctx: ContextDep,
    access: WebProjectReader,
    wave: str | None = None,
    kommun: str | None = None,
) -> HTMLResponse:
    # Unit rows (ten thousand cells for a region) only where the unit heatmap shows them.
    view = rollout_review.readiness_review(
        ctx, access.project_key, wave=wave, kommun=kommun, with_units=bool(wave or kommun)
    )
    return page.render(
        "rollout.html",
        # The unit heatmap (a thousand rows for a region) only for a chosen wave or kommun.
        groups=kommun_groups(view) if view.wave or view.kommun else None,
        wave_reviews=wave_reviews.open_wave_reviews(ctx, access.project_key),
        wave_gate=wave_reviews.wave_gate_id(ctx, access.project_key),
        may_request_wave=wave_reviews.may_request_wave_review(
            ctx, access.actor, access.project_key
        ),
        **_context(page, view),
    )


@router.get("/projects/{project_key}/readiness/report", response_class=HTMLResponse)
def readiness_report(
    page: PageDep,
    ctx: ContextDep,
    access: WebOrTokenProjectReader,
    wave: str | None = None,
    kommun: str | None = None,
) -> HTMLResponse:
    view = rollout_review.readiness_review(ctx, access.project_key, wave=wave, kommun=kommun)
    return _report(page, view)


@router.get("/projects/{project_key}/readiness/report.pdf")
def readiness_report_pdf(
    page: PageDep,
    ctx: ContextDep,
    access: WebOrTokenProjectReader,
    wave: str | None = None,
    kommun: str | None = None,
) -> Response:
    """The steering group's report as a PDF/A document (the printed page, laid out on A4)."""
    view = rollout_review.readiness_review(ctx, access.project_key, wave=wave, kommun=kommun)
    suffix = "-".join(part for part in (view.wave, view.kommun) if part)
    name = f"beredskapsrapport-{view.project_key}{'-' + suffix if suffix else ''}.pdf"
    return pdf_response(_report(page, view).body, filename=name)


def _report(page: Page, view: ReadinessReview) -> HTMLResponse:
    context = _context(page, view)

    def kommuner_of(wave: WaveReadiness) -> tuple[KommunInWave, ...]:
        return kommuner_in_wave(wave, view.review.units, swedish_sort_key)

    return page.render(
        "rollout_report.html",
        blockers_of=blockers_of,
        kommuner_of=kommuner_of,
        pdf_href=f"{context['base']}/report.pdf{context['query']}",
        **context,
    )


@router.get("/projects/{project_key}/readiness/units.{fmt}")
def readiness_units_file(
    ctx: ContextDep,
    access: WebOrTokenProjectReader,
    fmt: Format,
    wave: str | None = None,
    kommun: str | None = None,
) -> Response:
    return _file(ctx, access.project_key, "units", fmt, wave, kommun)


@router.get("/projects/{project_key}/readiness/waves.{fmt}")
def readiness_waves_file(
    ctx: ContextDep,
    access: WebOrTokenProjectReader,
    fmt: Format,
    wave: str | None = None,
    kommun: str | None = None,
) -> Response:
    return _file(ctx, access.project_key, "waves", fmt, wave, kommun)


@router.get("/projects/{project_key}/readiness/open-items.{fmt}")
def readiness_open_items_file(
    ctx: ContextDep,
    access: WebOrTokenProjectReader,
    fmt: Format,
    wave: str | None = None,
    kommun: str | None = None,
) -> Response:
    return _file(ctx, access.project_key, "open-items", fmt, wave, kommun)


def _file(
    ctx: ContextDep, key: str, table: Table, fmt: Format, wave: str | None, kommun: str | None
) -> Response:
    return export_response(ctx, key, table, fmt, wave, kommun)
