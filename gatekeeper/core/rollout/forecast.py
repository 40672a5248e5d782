"""A wave's forecast at go-live, in units, and the decision it suggests.

One definition of readiness runs through every view (`core.rollout.unit_readiness`):
a unit is *ready* when every mandatory item that counts is done, with evidence
where it is demanded. A unit is *expected ready at go-live* when it is ready
now, or when its own pace over the last `PACE_WEEKS` weeks (mandatory items
done per week) covers the mandatory items it has left by the wave's go-live.
A wave's forecast is how many of its units are expected ready; the suggested
decision follows from that forecast by one rule (`RULE_SV`), so the two can
never disagree: go when every unit is expected ready; go without the units not
expected ready when at least `GO_EXCEPT_MIN_SHARE` of them are; otherwise
postpone, and always postpone while a high risk is open. Both are figures for
the steering group, never a decision. The items' share at go-live (from the
wave's pace) is kept beside it as a detail.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum
from typing import NamedTuple, Protocol

from gatekeeper.core.rollout.rows import HIGH_RISK_SCORE, WaveRow, percent, share_of

PACE_WEEKS = 4  # the forecast's pace: items done per week over the last four weeks
GO_EXCEPT_MIN_SHARE = 0.8  # "go utom namngivna enheter" needs at least this share expected ready

RULE_SV = (
    f"Förslaget följer av prognosen: go när alla vågens enheter väntas vara redo vid "
    f"driftstart; go utom de namngivna enheterna när minst {percent(GO_EXCEPT_MIN_SHARE)} % "
    f"väntas vara redo; annars skjut upp – och alltid skjut upp så länge en öppen risk har "
    f"riskvärde {HIGH_RISK_SCORE} eller mer. En enhet väntas vara redo när den är redo nu "
    f"eller när dess egen takt de senaste {PACE_WEEKS} veckorna räcker för de obligatoriska "
    f"punkter den har kvar."
)
RULE_EN = (
    f"The suggestion follows from the forecast: go when every unit of the wave is expected "
    f"ready at go-live; go without the named units when at least "
    f"{percent(GO_EXCEPT_MIN_SHARE)} % are; otherwise postpone – and always postpone while "
    f"an open risk scores {HIGH_RISK_SCORE} or more. A unit is expected ready when it is "
    f"ready now or when its own pace over the last {PACE_WEEKS} weeks covers the mandatory "
    f"items it has left."
)


class Paced(Protocol):
    """What the forecast needs of one unit (a `UnitReadiness` is one, so the review passes
    its units as they are): its name, mandatory items, those satisfied, those done lately."""

    @property
    def name(self) -> str: ...
    @property
    def mandatory(self) -> int: ...
    @property
    def mandatory_satisfied(self) -> int: ...
    @property
    def done_recent(self) -> int: ...


class UnitPace(NamedTuple):
    """A `Paced` unit on its own (for a forecast outside a review)."""

    name: str
    mandatory: int
    mandatory_satisfied: int
    done_recent: int


def expected_ready(unit: Paced, weeks_left: float) -> bool:
    """Ready now, or its own pace of the last PACE_WEEKS weeks covers what it has left."""
    remaining = unit.mandatory - unit.mandatory_satisfied
    if remaining <= 0:
        return True
    return unit.done_recent / PACE_WEEKS * weeks_left >= remaining - 1e-9


@dataclass(frozen=True)
class Forecast:
    """A wave at go-live: units expected ready, and its mandatory items from the pace."""

    satisfied: int
    mandatory: int
    done_recent: int  # mandatory items done in the last PACE_WEEKS weeks
    weeks_left: float
    projected_share: float  # of mandatory items, capped at 1
    ready_on: date | None  # when the wave's pace reaches 100 % of its items, if it ever does
    units: int = 0
    units_ready: int = 0  # ready now
    units_expected: int = 0  # expected ready at go-live (ready now included)
    not_expected: tuple[str, ...] = ()  # names of the units not expected ready

    @property
    def pace(self) -> float:
        """Mandatory items done per week, averaged over the last PACE_WEEKS weeks."""
        return self.done_recent / PACE_WEEKS

    @property
    def current_share(self) -> float:
        return share_of(self.satisfied, self.mandatory)

    @property
    def expected_share(self) -> float:
        """Units expected ready at go-live, 0 to 1 (0 for a wave without units)."""
        return self.units_expected / self.units if self.units else 0.0

    @property
    def in_time(self) -> bool:
        """Every unit of the wave is expected ready at go-live (and it has units)."""
        return self.units > 0 and self.units_expected == self.units

    @property
    def message_sv(self) -> str:
        pace = f"{self.pace:.1f}".replace(".", ",")
        return (
            f"{self.units_expected} av {self.units} enheter ({percent(self.expected_share)} %) "
            f"väntas vara redo vid driftstart; {self.units_ready} är redo nu. "
            f"Takt: {pace} obligatoriska punkter/vecka."
        )

    @property
    def message_en(self) -> str:
        return (
            f"{self.units_expected} of {self.units} units ({percent(self.expected_share)} %) "
            f"are expected ready at go-live; {self.units_ready} are ready now. "
            f"Pace: {self.pace:.1f} mandatory items/week."
        )


def forecast(
    *,
    satisfied: int,
    mandatory: int,
    done_recent: int,
    today: date,
    go_live_on: date,
    units: Sequence[Paced] = (),
) -> Forecast:
    """The wave's units expected ready at `go_live_on` (each from its own pace), and the share
    of its mandatory items satisfied then from the wave's pace, capped at 100 %."""
    weeks_left = max(0.0, (go_live_on - today).days / 7)
    pace = done_recent / PACE_WEEKS
    remaining = max(0, mandatory - satisfied)
    projected = min(1.0, (satisfied + pace * weeks_left) / mandatory) if mandatory else 1.0
    ready_on = None
    if remaining == 0:
        ready_on = today
    elif pace > 0:
        ready_on = today + timedelta(days=math.ceil(remaining / pace * 7))
    expected = [expected_ready(u, weeks_left) for u in units]
    return Forecast(
        satisfied=satisfied,
        mandatory=mandatory,
        done_recent=done_recent,
        weeks_left=weeks_left,
        projected_share=projected,
        ready_on=ready_on,
        units=len(units),
        units_ready=sum(1 for u in units if u.mandatory_satisfied >= u.mandatory),
        units_expected=sum(expected),
        not_expected=tuple(u.name for u, ok in zip(units, expected, strict=True) if not ok),
    )


class Suggestion(StrEnum):
    GO = "go"
    GO_EXCEPT = "go_except"  # go for the wave minus the named units
    POSTPONE = "postpone"
    LIVE = "live"  # the wave is in drift already: nothing to decide


@dataclass(frozen=True)
class WaveSuggestion:
    """'Förslag till beslut' for a wave, derived from its forecast (a suggestion only)."""

    kind: Suggestion
    except_units: tuple[str, ...]  # names of the units left out ("go utom")
    message_sv: str
    message_en: str


def suggest(wave: WaveRow, outlook: Forecast, risks: int) -> WaveSuggestion:
    """The decision `RULE_SV` draws from the wave's forecast and the open high risks."""
    expected, units = outlook.units_expected, outlook.units
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
        many_sv = "öppen hög risk" if risks == 1 else "öppna höga risker"
        many_en = "open high risk" if risks == 1 else "open high risks"
        return WaveSuggestion(
            Suggestion.POSTPONE,
            (),
            f"Skjut upp: {risks} {many_sv} (riskvärde {HIGH_RISK_SCORE} eller mer) "
            f"behöver hanteras först; {expected} av {units} enheter väntas vara redo.",
            f"Postpone: {risks} {many_en} (score {HIGH_RISK_SCORE} or more) must be "
            f"handled first; {expected} of {units} units are expected ready.",
        )
    if outlook.in_time:
        return WaveSuggestion(
            Suggestion.GO,
            (),
            f"Go: alla {units} enheter väntas vara redo vid driftstart.",
            f"Go: all {units} units are expected ready at go-live.",
        )
    if outlook.expected_share >= GO_EXCEPT_MIN_SHARE:
        names = outlook.not_expected
        them = "enhet som inte väntas" if len(names) == 1 else "enheter som inte väntas"
        return WaveSuggestion(
            Suggestion.GO_EXCEPT,
            names,
            f"Go utom {len(names)} {them} bli redo (flyttas till en senare "
            f"våg): {expected} av {units} enheter väntas vara redo vid driftstart.",
            f"Go except {len(names)} unit(s) not expected ready (moved to a later wave): "
            f"{expected} of {units} units are expected ready at go-live.",
        )
    share = percent(outlook.expected_share)
    return WaveSuggestion(
        Suggestion.POSTPONE,
        (),
        f"Skjut upp: bara {expected} av {units} enheter ({share} %) väntas vara redo vid "
        f"driftstart; go utom namngivna enheter kräver minst {percent(GO_EXCEPT_MIN_SHARE)} %.",
        f"Postpone: only {expected} of {units} units ({share} %) are expected ready at "
        f"go-live; go except named units needs at least {percent(GO_EXCEPT_MIN_SHARE)} %.",
    )
