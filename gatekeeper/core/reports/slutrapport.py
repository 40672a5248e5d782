"""The slutrapport as a value: its sections, the lessons' categories and plan vs actual.

A slutrapport (seed 004) is partly written by people (sammanfattning,
bakgrund, genomförande, ekonomi, överlämning, rekommendationer) and partly
read from the project's own record: plan vs actual per gate, the decisions
and deviations, the risks at the end, the restlista handed over, the
activities not done, and the lessons learned. `FinalReport` holds all of it;
being a pydantic model it is also the frozen snapshot a fastställd report
keeps (`model_dump(mode="json")` in, `model_validate` out), so an approved
report reads exactly as it was approved. `ReportSection` is the open shape of
the sections that other capabilities add (goals vs measured outcome, the
avslutningsmöte): a heading, an optional note and a table.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime
from enum import StrEnum

from pydantic import BaseModel, ConfigDict, computed_field

from gatekeeper.core.phase_model import Gate, Workflow


class SectionKey(StrEnum):
    """The text sections people write, in the order of seed 004's slutrapport."""

    SAMMANFATTNING = "sammanfattning"
    BAKGRUND = "bakgrund"
    GENOMFORANDE = "genomforande"
    EKONOMI = "ekonomi"
    OVERLAMNING = "overlamning"
    REKOMMENDATIONER = "rekommendationer"


SECTION_HEADINGS: Mapping[SectionKey, str] = {
    SectionKey.SAMMANFATTNING: "Sammanfattning",
    SectionKey.BAKGRUND: "Projektets bakgrund, syfte och mål",
    SectionKey.GENOMFORANDE: "Genomförande: projektets olika faser",
    SectionKey.EKONOMI: "Ekonomi",
    SectionKey.OVERLAMNING: "Överlämning: drift och uppföljning",
    SectionKey.REKOMMENDATIONER: "Rekommendationer: tankar om fortsatt utveckling",
}

SECTION_HINTS: Mapping[SectionKey, str] = {
    SectionKey.SAMMANFATTNING: "Vad projektet gjorde och nådde, och vad som kvarstår.",
    SectionKey.BAKGRUND: "Varför projektet startades, avgränsning, uppdrag och mål.",
    SectionKey.GENOMFORANDE: "Hur arbetet gick till fas för fas: metod, organisation, ändringar.",
    SectionKey.EKONOMI: "Budget och utfall, medfinansiering, avvikelser.",
    SectionKey.OVERLAMNING: "Vem i förvaltningen tar över vad, och hur det följs upp.",
    SectionKey.REKOMMENDATIONER: "Vad verksamheten bör göra härnäst, och vem som bör göra det.",
}


class LessonCategory(StrEnum):
    """What a lärdom concerns, in the words of seed 004's reflections."""

    STYRNING = "styrning"
    KOMMUNIKATION = "kommunikation"
    SAMVERKAN = "samverkan"
    TEKNIK = "teknik"
    UTBILDNING = "utbildning"
    UPPHANDLING = "upphandling"
    OVRIGT = "ovrigt"


CATEGORY_SV: Mapping[LessonCategory, str] = {
    LessonCategory.STYRNING: "Styrning",
    LessonCategory.KOMMUNIKATION: "Kommunikation",
    LessonCategory.SAMVERKAN: "Samverkan",
    LessonCategory.TEKNIK: "Teknik",
    LessonCategory.UTBILDNING: "Utbildning",
    LessonCategory.UPPHANDLING: "Upphandling",
    LessonCategory.OVRIGT: "Övrigt",
}


class _Value(BaseModel):
    model_config = ConfigDict(frozen=True)


class TextSection(_Value):
    """One written section: its text, who last saved it, and its version (the ETag)."""

    key: SectionKey
    heading: str
    text: str = ""
    updated_by: str | None = None  # a name
    updated_at: datetime | None = None
    row_version: int = 0  # 0: never written


class PhaseLine(_Value):
    """One gate of the plan: planned date against the day its go took effect."""

    gate_id: str
    gate: str
    from_phase: str
    to_phase: str
    planned_on: date | None  # the first target date the project gave the gate
    target_on: date | None  # the target date at the end (moved or not)
    took_effect_on: date | None  # the day the go decision moved the project on
    days_late: int | None  # took_effect_on − planned_on; negative: early

    @computed_field  # type: ignore[prop-decorator]  # pydantic's documented use
    @property
    def state(self) -> str:
        """early | on_time | late | not_passed | no_plan"""
        if self.took_effect_on is None:
            return "not_passed"
        if self.days_late is None:
            return "no_plan"
        if self.days_late < 0:
            return "early"
        return "on_time" if self.days_late == 0 else "late"


class ConditionLine(_Value):
    text: str
    owner: str  # a name
    due_on: date | None
    status: str  # open | closed | waived
    status_sv: str


class DecisionLine(_Value):
    """One gate decision: outcome, conditions, reservations and late votes."""

    gate: str
    outcome: str
    outcome_sv: str
    decided_on: date
    reference: str
    reason: str
    override: bool
    lapsed: bool
    conditions: tuple[ConditionLine, ...] = ()
    reservations: tuple[str, ...] = ()  # "Namn: text"
    late_votes: tuple[str, ...] = ()  # "Namn: utfall"

    @computed_field  # type: ignore[prop-decorator]
    @property
    def deviation(self) -> bool:
        """Whether the decision departs from the plan: anything but a go (or a conditional
        go whose conditions were all met), a go against failing criteria, a lapsed
        decision, or one with a reservation against it."""
        unmet = any(c.status != "closed" for c in self.conditions)
        outcome_off = self.outcome not in ("go", "conditional_go") or (
            self.outcome == "conditional_go" and unmet
        )
        return outcome_off or self.override or self.lapsed or bool(self.reservations)


class NamedDecisionLine(_Value):
    title: str
    decided_on: date
    reference: str


class RiskLine(_Value):
    title: str
    score: int
    status: str  # open | closed | accepted
    status_sv: str
    owner: str
    mitigation: str


class RestItem(_Value):
    """An item handed over on the restlista, to the role that received it."""

    text: str
    gate: str
    responsible: str  # the role's label
    status: str
    status_sv: str
    comment: str


class ActivityLine(_Value):
    title: str
    end: date | None
    responsible: str
    status: str
    status_sv: str
    comment: str
    postponed_to: date | None


class LessonLine(_Value):
    id: int
    lesson: str
    category: LessonCategory
    category_sv: str
    recommendation: str
    recorded_by: str  # a name
    row_version: int


class ReportSection(_Value):
    """A section another capability adds (goals vs outcome, the avslutningsmöte): a
    heading, a note and a table of plain text cells."""

    key: str
    heading: str
    note: str = ""
    columns: tuple[str, ...] = ()
    rows: tuple[tuple[str, ...], ...] = ()


class Approval(_Value):
    approved_on: date
    approved_by: str  # a name
    approved_at: datetime


class FinalReport(_Value):
    """The whole slutrapport, drafted from the record on `drafted_on` (or as approved)."""

    project_key: str
    project_name: str
    organisation: str
    phase: str
    started_on: date
    drafted_on: date
    approval: Approval | None = None
    texts: tuple[TextSection, ...]
    phases: tuple[PhaseLine, ...]
    decisions: tuple[DecisionLine, ...]
    named_decisions: tuple[NamedDecisionLine, ...]
    risks: tuple[RiskLine, ...]
    restlista: tuple[RestItem, ...]
    activities_not_done: tuple[ActivityLine, ...]
    lessons: tuple[LessonLine, ...]
    extra: tuple[ReportSection, ...] = ()

    def text(self, key: SectionKey | str) -> TextSection:
        return next(t for t in self.texts if t.key == key)


def plan_vs_actual(
    workflow: Workflow,
    *,
    planned: Mapping[str, date],
    targets: Mapping[str, date],
    took_effect: Mapping[str, date],
) -> tuple[PhaseLine, ...]:
    """Every gate in the workflow's order with its first plan, last target and the day
    its go took effect; days late counted in calendar days against the first plan."""
    lines: list[PhaseLine] = []
    for gate in _gates_in_order(workflow):
        first = planned.get(gate.id, targets.get(gate.id))
        effect = took_effect.get(gate.id)
        lines.append(
            PhaseLine(
                gate_id=gate.id,
                gate=gate.name,
                from_phase=workflow.phase(gate.source).name,
                to_phase=workflow.phase(gate.dest).name,
                planned_on=first,
                target_on=targets.get(gate.id),
                took_effect_on=effect,
                days_late=(effect - first).days if effect and first else None,
            )
        )
    return tuple(lines)


def _gates_in_order(workflow: Workflow) -> list[Gate]:
    order = {phase.id: n for n, phase in enumerate(workflow.phases_in_order())}
    return sorted(workflow.gates, key=lambda g: (order.get(g.source, len(order)), g.id))


def closing_phases(workflow: Workflow) -> frozenset[str]:
    """The phases in which a project is closing: from the handover gate's phase on
    (or, without one, the phases whose gate leads to a final phase), and the final ones."""
    finals = {p.id for p in workflow.phases if p.final}
    handovers = [g for g in workflow.gates if g.handover_to]
    closing = set(finals)
    for gate in handovers or [g for g in workflow.gates if g.dest in finals]:
        closing.add(gate.source)
        closing |= workflow.reachable_phases(gate.dest)
    return frozenset(closing)
