"""The project's phase timeline: planned against actual ("planering och verklighet").

`build_timeline` turns a workflow, the gates' target dates and the phase
history into a `Timeline` value: each phase with its planned period (from the
target date of the gate into it to that of the gate out of it) and the
periods it actually ran (from the phase changes), and each gate with its
target date and the date it was passed. `timeline_svg` draws that value as an
inline SVG Gantt chart, server-side, with a title, a description and a
legend in the page's language; the page shows the same value as a table right
below it, so nothing is only in the picture.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime

from babel.dates import format_date
from markupsafe import Markup, escape

from gatekeeper.core.phase_model import Workflow
from gatekeeper.web.i18n import N_, gettext_for
from gatekeeper.web.templating import STOCKHOLM

# The picture's words, marked for the catalogues (calls inside f-strings are not extracted).
LEGEND_DELAY = N_("+%(days)s d")
LEGEND_TODAY = N_("Idag")
LEGEND_PLANNED_WORD = N_("Planerat")
LEGEND_ACTUAL_WORD = N_("Verkligt")
LEGEND_BEHIND_PLAN = N_("Efter plan")
LEGEND_GATE_TARGET = N_("Grindens måldatum")
LEGEND_GATE_PASSED = N_("Grind passerad")
_BABEL_LOCALE = {"sv": "sv_SE", "en": "en_GB", "da": "da_DK"}

# Geometry of the drawing (SVG user units; the picture scales to its box).
WIDTH = 960
LABEL_WIDTH = 180
RIGHT_MARGIN = 24
AXIS_HEIGHT = 46
ROW_HEIGHT = 44
LEGEND_HEIGHT = 48
# Colours: every mark at least 3:1 against white (WCAG 1.4.11), told apart by shape and fill
# pattern as well as colour.
PLANNED = "#12355b"
ACTUAL = "#0b57a4"
LATE = "#a3001b"
TEXT = "#1b1b1b"
GRID = "#6b6b6b"


@dataclass(frozen=True)
class Period:
    """A stretch of days; `end` None means still running."""

    start: date
    end: date | None


@dataclass(frozen=True)
class PhaseLine:
    """One phase: when it was planned to run and when it actually ran."""

    phase_id: str
    name: str
    planned_start: date | None
    planned_end: date | None
    actual: tuple[Period, ...]
    current: bool
    final: bool


@dataclass(frozen=True)
class GateMark:
    """One gate: its target date and when it was passed (if it was)."""

    gate_id: str
    name: str
    source: str
    dest: str
    planned: date | None
    passed: date | None
    is_next: bool

    def delay_days(self, today: date) -> int | None:
        """Days passed after the target date (negative: early); for a gate not passed,
        the days its target date lies behind today (None while it is still ahead)."""
        if self.planned is None:
            return None
        if self.passed is not None:
            return (self.passed - self.planned).days
        if self.is_next and today > self.planned:
            return (today - self.planned).days
        return None


@dataclass(frozen=True)
class Timeline:
    """Phases and gates of one project, planned and actual, as of `today`."""

    phases: tuple[PhaseLine, ...]
    gates: tuple[GateMark, ...]
    today: date
    start: date
    end: date

    def gate_after(self, phase_id: str) -> GateMark | None:
        """The first gate leaving the phase (where the phase's plan ends)."""
        return next((gate for gate in self.gates if gate.source == phase_id), None)


def _day(moment: datetime) -> date:
    return moment.astimezone(STOCKHOLM).date()


def build_timeline(
    workflow: Workflow,
    *,
    targets: dict[str, date],
    history: Sequence[tuple[datetime, str | None, str]],
    current_phase: str,
    started_on: date,
    today: date,
    ended_on: date | None = None,
) -> Timeline:
    """The timeline of a project.

    `history` is the phase changes in order as (at, gate id or None, to phase);
    `ended_on` closes the last period of a project that was terminated or closed.
    """
    periods: dict[str, list[Period]] = {}
    passed: dict[str, date] = {}
    open_phase: str | None = None
    open_since: date | None = None
    for at, gate_id, to_phase in history:
        day = _day(at)
        if open_phase is not None and open_since is not None:
            periods.setdefault(open_phase, []).append(Period(open_since, day))
        open_phase, open_since = to_phase, day
        if gate_id is not None:
            passed[gate_id] = day
    if open_phase is not None and open_since is not None:
        final = any(p.final and p.id == open_phase for p in workflow.phases)
        end = ended_on if ended_on is not None else (open_since if final else None)
        periods.setdefault(open_phase, []).append(Period(open_since, end))

    next_ids = {gate.id for gate in workflow.gates_from(current_phase)}
    gates = tuple(
        GateMark(
            gate_id=gate.id,
            name=gate.name,
            source=gate.source,
            dest=gate.dest,
            planned=targets.get(gate.id),
            passed=passed.get(gate.id),
            is_next=gate.id in next_ids and ended_on is None,
        )
        for gate in workflow.gates
    )
    phases = []
    for phase in workflow.phases_in_order():
        into = next((g for g in gates if g.dest == phase.id), None)
        out = next((g for g in gates if g.source == phase.id), None)
        start = started_on if phase.id == workflow.initial else (into.planned if into else None)
        end = out.planned if out else None
        if start is not None and end is not None and end < start:
            end = None  # dates from before they were kept in order: never "1 feb – 28 jan"
        phases.append(
            PhaseLine(
                phase_id=phase.id,
                name=phase.name,
                planned_start=start,
                planned_end=end,
                actual=tuple(periods.get(phase.id, ())),
                current=phase.id == current_phase,
                final=phase.final,
            )
        )
    known = [started_on, today]
    known += [g.planned for g in gates if g.planned] + [g.passed for g in gates if g.passed]
    known += [p.start for line in phases for p in line.actual]
    known += [p.end for line in phases for p in line.actual if p.end]
    return Timeline(
        phases=tuple(phases),
        gates=gates,
        today=today,
        start=min(known),
        end=max(known),
    )


def _months(start: date, end: date) -> list[date]:
    """First days of months from `start`'s month to after `end`, thinned to at most 12 ticks."""
    first = date(start.year, start.month, 1)
    months = []
    current = first
    while current <= end:
        months.append(current)
        current = date(current.year + (current.month // 12), current.month % 12 + 1, 1)
    months.append(current)
    step = max(1, -(-len(months) // 12))
    return months[::step]


class _Scale:
    def __init__(self, start: date, end: date) -> None:
        self.start = start
        self.days = max((end - start).days, 1)
        self.width = WIDTH - LABEL_WIDTH - RIGHT_MARGIN

    def x(self, day: date) -> float:
        return round(LABEL_WIDTH + (day - self.start).days / self.days * self.width, 1)


def _diamond(x: float, y: float, *, filled: bool, colour: str) -> str:
    r = 7
    points = f"{x},{y - r} {x + r},{y} {x},{y + r} {x - r},{y}"
    fill = colour if filled else "#ffffff"
    return f'<polygon points="{points}" fill="{fill}" stroke="{colour}" stroke-width="2.5"/>'


def timeline_svg(timeline: Timeline, language: str, *, label: str) -> Markup:
    """The timeline as an inline SVG (role="img", with <title>, <desc> and a legend).

    `label` is the picture's short name (its `<title>` and `aria-label`).
    """

    def _(message: str, **values: object) -> str:
        text = gettext_for(language, message)
        return text % values if values else text

    def short(day: date) -> str:
        pattern = "d. MMM y" if language == "da" else "d MMM y"
        return format_date(day, format=pattern, locale=_BABEL_LOCALE[language])

    months = _months(timeline.start, timeline.end)
    scale = _Scale(months[0], months[-1])
    height = AXIS_HEIGHT + ROW_HEIGHT * len(timeline.phases) + LEGEND_HEIGHT
    plot_bottom = AXIS_HEIGHT + ROW_HEIGHT * len(timeline.phases)
    description = _(
        "Gantt-schema med projektets faser i ordning: för varje fas den planerade perioden "
        "(randig stapel) och den verkliga (hel stapel), och för varje grind måldatumet "
        "(tom romb) och dagen den passerades (fylld romb). Samma uppgifter finns i tabellen "
        "under bilden."
    )
    out: list[str] = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="timeline" id="phase-timeline" '
        f'viewBox="0 0 {WIDTH} {height}" role="img" aria-label="{escape(label)}" '
        f'aria-describedby="timeline-desc" focusable="false" font-family="system-ui, sans-serif" '
        f'font-size="13">',
        f"<title>{escape(label)}</title>",
        f'<desc id="timeline-desc">{escape(description)}</desc>',
        "<defs>"
        '<pattern id="timeline-hatch" patternUnits="userSpaceOnUse" width="6" height="6" '
        'patternTransform="rotate(45)">'
        '<rect width="6" height="6" fill="#ffffff"/>'
        f'<line x1="0" y1="0" x2="0" y2="6" stroke="{PLANNED}" stroke-width="2.5"/>'
        "</pattern></defs>",
    ]
    # Month grid and axis labels.
    for month in months:
        x = scale.x(month)
        out.append(
            f'<line x1="{x}" y1="{AXIS_HEIGHT - 6}" x2="{x}" y2="{plot_bottom}" '
            f'stroke="{GRID}" stroke-width="0.5"/>'
        )
        if month != months[-1]:
            text = format_date(month, format="MMM y", locale=_BABEL_LOCALE[language])
            out.append(
                f'<text x="{x + 3}" y="{AXIS_HEIGHT - 12}" fill="{TEXT}">{escape(text)}</text>'
            )
    # Phase rows: name, planned bar (hatched) above the actual bar (solid).
    for index, line in enumerate(timeline.phases):
        top = AXIS_HEIGHT + ROW_HEIGHT * index
        weight = ' font-weight="700"' if line.current else ""
        name = line.name + (" ◀" if line.current else "")
        out.append(
            f'<text x="8" y="{top + ROW_HEIGHT / 2 + 5}" fill="{TEXT}"{weight}>'
            f"{escape(name)}</text>"
        )
        out.append(
            f'<line x1="0" y1="{top + ROW_HEIGHT}" x2="{WIDTH}" y2="{top + ROW_HEIGHT}" '
            f'stroke="{GRID}" stroke-width="0.5"/>'
        )
        if line.planned_start and line.planned_end and line.planned_end >= line.planned_start:
            x1, x2 = scale.x(line.planned_start), scale.x(line.planned_end)
            out.append(
                f'<rect x="{x1}" y="{top + 7}" width="{max(x2 - x1, 2)}" height="12" '
                f'fill="url(#timeline-hatch)" stroke="{PLANNED}" stroke-width="1.5"/>'
            )
        for period in line.actual:
            end = period.end or timeline.today
            x1, x2 = scale.x(period.start), scale.x(end)
            late = line.planned_end is not None and end > line.planned_end and period.end is None
            colour = LATE if late else ACTUAL
            out.append(
                f'<rect x="{x1}" y="{top + 23}" width="{max(x2 - x1, 3)}" height="12" '
                f'fill="{colour}"/>'
            )
            if period.end is None and not line.final:  # still running: an open arrow end
                out.append(
                    f'<polygon points="{x2},{top + 20} {x2 + 8},{top + 29} {x2},{top + 38}" '
                    f'fill="{colour}"/>'
                )
    # Gates: on the line under their source phase.
    rows = {line.phase_id: i for i, line in enumerate(timeline.phases)}
    for gate in timeline.gates:
        if gate.source not in rows:
            continue
        y = AXIS_HEIGHT + ROW_HEIGHT * (rows[gate.source] + 1)
        if gate.planned:
            out.append(_diamond(scale.x(gate.planned), y, filled=False, colour=PLANNED))
        if gate.passed:
            out.append(_diamond(scale.x(gate.passed), y, filled=True, colour=ACTUAL))
        delay = gate.delay_days(timeline.today)
        if delay and delay > 0:
            anchor = gate.passed or timeline.today
            out.append(
                f'<text x="{scale.x(anchor) + 10}" y="{y - 4}" fill="{LATE}" font-weight="700">'
                f"{escape(_(LEGEND_DELAY, days=delay))}</text>"
            )
    # Today.
    x_today = scale.x(timeline.today)
    out.append(
        f'<line x1="{x_today}" y1="18" x2="{x_today}" y2="{plot_bottom}" '
        f'stroke="{TEXT}" stroke-width="2" stroke-dasharray="5 3"/>'
        f'<text x="{x_today + 4}" y="14" fill="{TEXT}" font-weight="700">'
        f"{escape(_(LEGEND_TODAY) + ' ' + short(timeline.today))}</text>"
    )
    # Legend.
    y = plot_bottom + 28
    out.append(
        f'<rect x="8" y="{y - 11}" width="28" height="12" fill="url(#timeline-hatch)" '
        f'stroke="{PLANNED}" stroke-width="1.5"/>'
        f'<text x="42" y="{y}" fill="{TEXT}">{escape(_(LEGEND_PLANNED_WORD))}</text>'
        f'<rect x="150" y="{y - 11}" width="28" height="12" fill="{ACTUAL}"/>'
        f'<text x="184" y="{y}" fill="{TEXT}">{escape(_(LEGEND_ACTUAL_WORD))}</text>'
        f'<rect x="280" y="{y - 11}" width="28" height="12" fill="{LATE}"/>'
        f'<text x="314" y="{y}" fill="{TEXT}">{escape(_(LEGEND_BEHIND_PLAN))}</text>'
        + _diamond(430, y - 5, filled=False, colour=PLANNED)
        + f'<text x="444" y="{y}" fill="{TEXT}">{escape(_(LEGEND_GATE_TARGET))}</text>'
        + _diamond(610, y - 5, filled=True, colour=ACTUAL)
        + f'<text x="624" y="{y}" fill="{TEXT}">{escape(_(LEGEND_GATE_PASSED))}</text>'
        f'<line x1="780" y1="{y - 12}" x2="780" y2="{y + 2}" stroke="{TEXT}" stroke-width="2" '
        f'stroke-dasharray="5 3"/>'
        f'<text x="788" y="{y}" fill="{TEXT}">{escape(_(LEGEND_TODAY))}</text>'
    )
    out.append("</svg>")
    return Markup("".join(out))


__all__ = ["GateMark", "Period", "PhaseLine", "Timeline", "build_timeline", "timeline_svg"]
