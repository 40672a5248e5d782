"""The phase model (workflow): phases, gates between them, roles, approval policy.

A `Workflow` is an immutable definition loaded from YAML, identified by id,
version and a hash of its content. Projects are instances that record which
version they run on (see `gatekeeper.core.engine` for how they move).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Literal

from gatekeeper.core.reminders.policy import ReminderPolicy

if TYPE_CHECKING:
    from gatekeeper.core.criteria.base import Criterion

Quorum = Literal["all", "majority", "any"] | int


@dataclass(frozen=True)
class Role:
    """A role a project member can hold, e.g. projektledare or styrgrupp."""

    id: str
    name: str
    description: str | None = None
    max_members: int | None = None  # at most this many project members hold the role
    manages_members: bool = False  # its holders add, change and remove members (and invite)


@dataclass(frozen=True)
class Phase:
    """One phase of the model, e.g. förstudie."""

    id: str
    name: str
    final: bool = False
    description: str | None = None


@dataclass(frozen=True)
class ApprovalPolicy:
    """Who decides a gate and how many of them must agree."""

    deciders: str
    quorum: Quorum = "majority"
    required_roles: tuple[str, ...] = ()
    requester_may_approve: bool = False
    vote_valid_days: int | None = None
    substitutes: bool = True
    requested_by: tuple[str, ...] = ()  # who may ask for a review; empty: the default rule

    def __post_init__(self) -> None:
        if isinstance(self.quorum, int) and self.quorum < 1:
            raise ValueError("a numeric quorum is at least 1")


@dataclass(frozen=True)
class Gate:
    """A go/no-go point between two phases."""

    id: str
    name: str
    source: str
    dest: str
    checklists: tuple[str, ...] = ()
    criteria: tuple[Criterion, ...] = ()
    unit_checklists: tuple[str, ...] = ()  # filled in per unit of a rollout
    approval: ApprovalPolicy | None = None
    description: str | None = None
    handover_to: str | None = None
    passed_by: str | None = None  # without approval: the role that passes it

    @property
    def passer_role(self) -> str:
        """The role that passes this gate when it has no approval policy."""
        return self.passed_by or "projektledare"


@dataclass(frozen=True)
class Workflow:
    """A versioned phase model."""

    id: str
    version: int
    name: str
    initial: str
    phases: tuple[Phase, ...]
    gates: tuple[Gate, ...]
    roles: tuple[Role, ...]
    description: str | None = None
    content_hash: str = ""
    reminders: ReminderPolicy = field(default_factory=ReminderPolicy)
    language: str = "sv"  # of its people: pages and e-mails of its projects ("sv", "da", "en")
    _phase_index: dict[str, Phase] = field(default_factory=dict, compare=False, repr=False)

    def __post_init__(self) -> None:
        self._phase_index.update({phase.id: phase for phase in self.phases})

    @property
    def key(self) -> tuple[str, int]:
        return (self.id, self.version)

    def phase(self, phase_id: str) -> Phase:
        try:
            return self._phase_index[phase_id]
        except KeyError:
            raise KeyError(
                f"workflow {self.id} v{self.version} has no phase {phase_id!r}"
            ) from None

    def gate(self, gate_id: str) -> Gate:
        for gate in self.gates:
            if gate.id == gate_id:
                return gate
        raise KeyError(f"workflow {self.id} v{self.version} has no gate {gate_id!r}")

    def gates_from(self, phase_id: str) -> tuple[Gate, ...]:
        return tuple(gate for gate in self.gates if gate.source == phase_id)

    def role_ids(self) -> frozenset[str]:
        return frozenset(role.id for role in self.roles)

    def reachable_phases(self, start: str | None = None) -> frozenset[str]:
        """Phases reachable through gates from `start` (default: the initial), itself included."""
        origin = self.initial if start is None else start
        seen = {origin}
        frontier = [origin]
        while frontier:
            current = frontier.pop()
            for gate in self.gates_from(current):
                if gate.dest not in seen:
                    seen.add(gate.dest)
                    frontier.append(gate.dest)
        return frozenset(seen)

    def gates_ahead(self, phase_id: str) -> tuple[Gate, ...]:
        """The gates still ahead of a project in `phase_id`: those leaving a phase it can
        reach from there (itself included), in the workflow's order."""
        ahead = self.reachable_phases(phase_id)
        return tuple(gate for gate in self.gates if gate.source in ahead)

    def phases_in_order(self) -> Iterator[Phase]:
        yield from self.phases
