"""A wave's forecast at go-live from the pace of the last weeks, and the suggested decision.

Both are figures for the steering group, never a decision: the forecast
projects mandatory items done at go-live from the items done per week over
the last `PACE_WEEKS` weeks; the suggestion reads go, go without the named
units, or postpone from the units ready and the open high risks.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum

from gatekeeper.core.rollout.rows import HIGH_RISK_SCORE, Counts, WaveRow, percent, share_of

PACE_WEEKS = 4  # the forecast's pace: items done per week over the last four weeks
GO_EXCEPT_MIN_SHARE = 0.8  # "go utom namngivna enheter" needs at least this share ready


@dataclass(frozen=True)
class Forecast:
    """A wave's mandatory items at go-live, projected from the pace of the last weeks."""

    satisfied: int
    mandatory: int
    done_recent: int  # mandatory items done in the last PACE_WEEKS weeks
    weeks_left: float
    projected_share: float  # capped at 1
    ready_on: date | None  # when the pace reaches 100 %, if it ever does

    @property
    def pace(self) -> float:
        """Mandatory items done per week, averaged over the last PACE_WEEKS weeks."""
        return self.done_recent / PACE_WEEKS

    @property
    def current_share(self) -> float:
        return share_of(self.satisfied, self.mandatory)

    @property
    def in_time(self) -> bool:
        return self.projected_share >= 1.0 - 1e-9

    @property
    def message_sv(self) -> str:
        now, then = percent(self.current_share), percent(self.projected_share)
        pace = f"{self.pace:.1f}".replace(".", ",")
        if self.in_time:
            return f"Redo i tid: {now} % nu, {then} % vid driftstart i takten {pace} punkter/vecka."
        return (
            f"Inte redo i tid: {now} % nu, prognos {then} % vid driftstart "
            f"i takten {pace} punkter/vecka."
        )

    @property
    def message_en(self) -> str:
        now, then = percent(self.current_share), percent(self.projected_share)
        if self.in_time:
            return f"Ready in time: {now} % now, {then} % at go-live at {self.pace:.1f} items/week."
        return (
            f"Not ready in time: {now} % now, forecast {then} % at go-live "
            f"at {self.pace:.1f} items/week."
        )


def forecast(
    *, satisfied: int, mandatory: int, done_recent: int, today: date, go_live_on: date
) -> Forecast:
    """Project the share of mandatory items satisfied at `go_live_on` from the pace of the
    last PACE_WEEKS weeks (`done_recent` items done in them), capped at 100 %."""
    weeks_left = max(0.0, (go_live_on - today).days / 7)
    pace = done_recent / PACE_WEEKS
    remaining = max(0, mandatory - satisfied)
    projected = min(1.0, (satisfied + pace * weeks_left) / mandatory) if mandatory else 1.0
    ready_on = None
    if remaining == 0:
        ready_on = today
    elif pace > 0:
        ready_on = today + timedelta(days=math.ceil(remaining / pace * 7))
    return Forecast(
        satisfied=satisfied,
        mandatory=mandatory,
        done_recent=done_recent,
        weeks_left=weeks_left,
        projected_share=projected,
        ready_on=ready_on,
    )


class Suggestion(StrEnum):
    GO = "go"
    GO_EXCEPT = "go_except"  # go for the wave minus the named units
    POSTPONE = "postpone"
    LIVE = "live"  # the wave is in drift already: nothing to decide


@dataclass(frozen=True)
class WaveSuggestion:
    """'Förslag till beslut' for a wave, derived from its figures (a suggestion only)."""

    kind: Suggestion
    except_units: tuple[str, ...]  # names of the units left out ("go utom")
    message_sv: str
    message_en: str


def suggest(wave: WaveRow, counts: Counts, not_ready: Sequence[str], risks: int) -> WaveSuggestion:
    """Go when every unit is ready; go without the named units when at least
    `GO_EXCEPT_MIN_SHARE` are; otherwise (or with open high risks) postpone."""
    ready, units = counts.ready, counts.units
    if wave.status == "live":
        return WaveSuggestion(Suggestion.LIVE, (), "Vågen är i drift.", "The wave is live already.")
    if units == 0:
        return WaveSuggestion(
            Suggestion.POSTPONE,
            (),
            "Skjut upp: vågen har inga enheter med checklista.",
            "Postpone: the wave has no units with a checklist.",
        )
    if risks:
        return WaveSuggestion(
            Suggestion.POSTPONE,
            (),
            f"Skjut upp: {risks} öppna höga risker (riskvärde {HIGH_RISK_SCORE} eller mer) "
            f"behöver hanteras först; {ready} av {units} enheter är redo.",
            f"Postpone: {risks} open high risks (score {HIGH_RISK_SCORE} or more) must be "
            f"handled first; {ready} of {units} units are ready.",
        )
    if ready == units:
        return WaveSuggestion(
            Suggestion.GO,
            (),
            f"Go: alla {units} enheter är redo.",
            f"Go: all {units} units are ready.",
        )
    if counts.share_ready >= GO_EXCEPT_MIN_SHARE:
        names = tuple(not_ready)
        return WaveSuggestion(
            Suggestion.GO_EXCEPT,
            names,
            f"Go utom {len(names)} enheter som inte är redo (flyttas till en senare våg): "
            f"{ready} av {units} enheter är redo.",
            f"Go except {len(names)} units that are not ready (moved to a later wave): "
            f"{ready} of {units} units are ready.",
        )
    return WaveSuggestion(
        Suggestion.POSTPONE,
        (),
        f"Skjut upp: bara {ready} av {units} enheter är redo ({percent(counts.share_ready)} %); "
        f"go utom namngivna enheter kräver minst {percent(GO_EXCEPT_MIN_SHARE)} %.",
        f"Postpone: only {ready} of {units} units are ready ({percent(counts.share_ready)} %); "
        f"go except named units needs at least {percent(GO_EXCEPT_MIN_SHARE)} %.",
    )
