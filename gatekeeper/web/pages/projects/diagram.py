"""The phase model as a picture: an inline SVG drawn from a `Workflow`, no JavaScript.

Phases are boxes stacked top to bottom in the workflow's order (a column
reads well on a 360 px phone and scales up), each gate to the next phase is a
labelled arrow between the boxes, and any other gate (a cycle back to an
earlier phase, or a jump ahead) is drawn as a loop on the right-hand side
with its label along it. The SVG carries `role="img"`, a `<title>` and a
`<desc>` (the whole model in words) for screen readers; every text is
escaped. The words around the picture (title, description) come translated
from the page.
"""

from __future__ import annotations

from dataclasses import dataclass
from xml.sax.saxutils import escape

from markupsafe import Markup

from gatekeeper.core.phase_model import Gate, Workflow

BOX_X = 16
BOX_WIDTH = 200
BOX_HEIGHT = 44
GAP = 60  # room for an arrow and its label between two boxes
TOP = 12
LOOP_X = 300  # the first loop's vertical line
LOOP_STEP = 26
LABEL_LIMIT = 30  # characters of a gate label before it is cut with an ellipsis


@dataclass(frozen=True)
class _Box:
    phase_id: str
    name: str
    y: int
    final: bool

    @property
    def middle(self) -> int:
        return self.y + BOX_HEIGHT // 2


def _short(text: str, limit: int = LABEL_LIMIT) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _e(text: str) -> str:
    return escape(text, {'"': "&quot;"})


def _is_step(gate: Gate, order: dict[str, int]) -> bool:
    return order[gate.dest] == order[gate.source] + 1


def workflow_svg(
    workflow: Workflow,
    *,
    title: str,
    description: str,
    current_phase: str | None = None,
    current_label: str = "",
    svg_id: str = "workflow-diagram",
) -> Markup:
    """The SVG of `workflow`; `current_phase` (if given) is drawn bold with `current_label`."""
    phases = list(workflow.phases_in_order())
    order = {phase.id: index for index, phase in enumerate(phases)}
    boxes = {
        phase.id: _Box(phase.id, phase.name, TOP + index * (BOX_HEIGHT + GAP), phase.final)
        for index, phase in enumerate(phases)
    }
    steps = [
        g for g in workflow.gates if g.source in order and g.dest in order and _is_step(g, order)
    ]
    loops = [g for g in workflow.gates if g.source in order and g.dest in order and g not in steps]
    width = LOOP_X + LOOP_STEP * max(len(loops), 1) + 24
    height = TOP * 2 + len(phases) * BOX_HEIGHT + max(len(phases) - 1, 0) * GAP
    parts: list[str] = [
        f'<svg xmlns="http://www.w3.org/2000/svg" id="{_e(svg_id)}" class="workflow-diagram" '
        f'role="img" viewBox="0 0 {width} {height}" width="{width}" height="{height}" '
        f'aria-labelledby="{_e(svg_id)}-title {_e(svg_id)}-desc" aria-label="{_e(title)}">',
        f'<title id="{_e(svg_id)}-title">{_e(title)}</title>',
        f'<desc id="{_e(svg_id)}-desc">{_e(description)}</desc>',
        '<defs><marker id="' + _e(svg_id) + '-arrow" viewBox="0 0 10 10" refX="9" refY="5" '
        'markerWidth="8" markerHeight="8" orient="auto-start-reverse">'
        '<path d="M 0 0 L 10 5 L 0 10 z" fill="#1b1b1b"/></marker></defs>',
    ]
    marker = f'marker-end="url(#{_e(svg_id)}-arrow)"'
    for box in boxes.values():
        current = box.phase_id == current_phase
        stroke = "#12355b"
        parts.append(
            f'<g class="phase{" phase--current" if current else ""}">'
            f'<rect x="{BOX_X}" y="{box.y}" width="{BOX_WIDTH}" height="{BOX_HEIGHT}" '
            f'rx="{12 if box.final else 4}" fill="{"#e8eef6" if current else "#ffffff"}" '
            f'stroke="{stroke}" stroke-width="{4 if current else 2}"/>'
            f'<text x="{BOX_X + BOX_WIDTH // 2}" y="{box.middle + 5}" text-anchor="middle" '
            f'font-size="15" font-weight="{700 if current else 600}" fill="#1b1b1b">'
            f"{_e(_short(box.name, 24))}</text>"
        )
        if current and current_label:
            parts.append(
                f'<text x="{BOX_X + BOX_WIDTH // 2}" y="{box.y + BOX_HEIGHT - 4}" '
                f'text-anchor="middle" font-size="10" fill="#1b1b1b">{_e(current_label)}</text>'
            )
        parts.append("</g>")
    arrow_x = BOX_X + 40
    for gate in steps:
        start, end = boxes[gate.source], boxes[gate.dest]
        y1, y2 = start.y + BOX_HEIGHT, end.y
        parts.append(
            f'<g class="gate"><line x1="{arrow_x}" y1="{y1}" x2="{arrow_x}" y2="{y2 - 1}" '
            f'stroke="#1b1b1b" stroke-width="2" {marker}/>'
            f'<text x="{arrow_x + 10}" y="{(y1 + y2) // 2 + 5}" font-size="13" fill="#1b1b1b">'
            f"{_e(_short(gate.name))}</text></g>"
        )
    for index, gate in enumerate(loops):
        start, end = boxes[gate.source], boxes[gate.dest]
        x = LOOP_X + LOOP_STEP * index
        right = BOX_X + BOX_WIDTH
        y1, y2 = start.middle + 6, end.middle - 6
        path = f"M {right} {y1} H {x} V {y2} H {right + 2}"
        label_y = (y1 + y2) // 2
        parts.append(
            f'<g class="gate gate--loop"><path d="{path}" fill="none" stroke="#1b1b1b" '
            f'stroke-width="2" stroke-dasharray="6 3" {marker}/>'
            f'<text x="{x - 6}" y="{label_y}" font-size="13" fill="#1b1b1b" text-anchor="middle" '
            f'transform="rotate(-90 {x - 6} {label_y})">{_e(_short(gate.name))}</text></g>'
        )
    parts.append("</svg>")
    return Markup("".join(parts))


def describe(workflow: Workflow, *, arrow: str = "→") -> str:
    """The model in one line of words: every gate as 'from → to (gate)'."""
    return "; ".join(
        f"{workflow.phase(g.source).name} {arrow} {workflow.phase(g.dest).name} ({g.name})"
        for g in workflow.gates
    )
