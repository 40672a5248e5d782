"""The criterion plugin family: what every go/no-go criterion is and returns.

A criterion is a small frozen pydantic model whose fields are its YAML
parameters. `evaluate` looks at a `GateContext` and returns a
`CriterionResult` with the measured and required figure and a sentence in
Swedish and English that a steering group understands.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import ClassVar

from pydantic import BaseModel, ConfigDict

from gatekeeper.core.checklist import ItemState
from gatekeeper.core.followup.goal import GoalState
from gatekeeper.core.risk import RiskState


@dataclass(frozen=True)
class UnitState:
    """A unit of a rollout as unit criteria see it: ready when every mandatory item
    of its cut-over checklists is done (with evidence where demanded)."""

    key: str
    name: str
    ready: bool


@dataclass(frozen=True)
class UnitScope:
    """The units a rollout gate is judged on: one wave's (a wave review), or for the
    project's own review those of the waves not yet live. `required` are the units
    named as required (they must all be ready); `label_sv` names the scope in a
    sentence ("Våg 1", "vågorna som inte gått i drift")."""

    label_sv: str
    units: tuple[UnitState, ...] = ()
    required: tuple[UnitState, ...] = ()


@dataclass(frozen=True)
class SubprojectState:
    """A delprojekt as the parent's gate criteria see it: handed over when it has passed
    its driftöverlämning gate or stands in a final phase (`core.subproject.handed_over`)."""

    key: str
    name: str
    phase_name: str
    handed_over: bool


@dataclass(frozen=True)
class GateContext:
    """Everything criteria may look at: the gate's items, the project's risks
    and decisions, today's date, for a rollout its units (None: no units), the
    project's delprojekt and, for a gate that judges them, the project's goals and
    benefits with their measurements."""

    items: Sequence[ItemState]
    risks: Sequence[RiskState] = ()
    decisions: frozenset[str] = frozenset()
    today: date | None = None
    open_conditions: tuple[str, ...] = ()
    units: UnitScope | None = None
    goals: tuple[GoalState, ...] = ()
    subprojects: tuple[SubprojectState, ...] = ()  # the project's delprojekt


NOT_APPLICABLE = "–"  # what a criterion measures when it does not apply to the project


@dataclass(frozen=True)
class CriterionResult:
    """The outcome of one criterion, explained."""

    kind: str
    passed: bool
    measured: str
    required: str
    message_sv: str
    message_en: str
    details: tuple[str, ...] = field(default_factory=tuple)
    # Danish, for the pages of a Danish project (empty: the Swedish text is shown).
    message_da: str = ""
    measured_da: str = ""
    required_da: str = ""
    details_da: tuple[str, ...] = field(default_factory=tuple)

    def message(self, language: str) -> str:
        """The sentence in `language` (sv, en or da; Swedish when there is none)."""
        if language == "en":
            return self.message_en
        if language == "da" and self.message_da:
            return self.message_da
        return self.message_sv

    def figures(self, language: str) -> tuple[str, str]:
        """(measured, required) in `language`: Danish where given, else as measured."""
        if language == "da" and self.measured_da:
            return self.measured_da, self.required_da or self.required
        return self.measured, self.required

    def lines(self, language: str) -> tuple[str, ...]:
        """The detail lines (which items, which risks) in `language`."""
        if language == "da" and self.details_da:
            return self.details_da
        return self.details

    @property
    def applies(self) -> bool:
        """Whether the criterion applied to the project: one that does not (a rollout
        criterion on a project without units) passes, and is shown as "Gäller inte"."""
        return self.measured != NOT_APPLICABLE


class Criterion(BaseModel, ABC):
    """Base of every criterion kind; subclasses set `kind` and `title_sv`."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    title_sv: ClassVar[str]

    @abstractmethod
    def evaluate(self, context: GateContext) -> CriterionResult:
        """Judge the criterion on the given context."""
