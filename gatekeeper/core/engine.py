"""The phase engine: `transitions` drives a project's phase through its gates.

One `transitions.Machine` is built per workflow version and cached; it runs on
a tiny plain `PhaseToken`, never on a database row. The machine is built with
`auto_transitions=False` (no `to_<phase>()` shortcuts past the gates) and
raises on a trigger that does not leave the current phase. Criteria are not
hidden in `conditions=`: the caller brings a `GateVerdict`, and a failing one
is refused here with every failing criterion in words.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass

from transitions import Machine, MachineError

from gatekeeper.core.gate import GateVerdict
from gatekeeper.core.phase_model import Gate, Workflow
from gatekeeper.errors import TransitionRefused


@dataclass(frozen=True)
class Override:
    """Deciders chose to pass a gate whose criteria fail; the motivation is kept."""

    motivation: str

    def __post_init__(self) -> None:
        if not self.motivation.strip():
            raise ValueError("an override needs a motivation")


class PhaseToken:
    """The plain object transitions moves: it only knows its phase."""

    def __init__(self, phase: str) -> None:
        self.state = phase


class PhaseEngine:
    """Moves projects of one workflow version from phase to phase."""

    def __init__(self, workflow: Workflow) -> None:
        self.workflow = workflow
        self._lock = threading.Lock()
        self._machine = Machine(
            model=None,
            states=[{"name": phase.id, "final": phase.final} for phase in workflow.phases],
            transitions=[
                {"trigger": gate.id, "source": gate.source, "dest": gate.dest}
                for gate in workflow.gates
            ],
            initial=workflow.initial,
            auto_transitions=False,
            ignore_invalid_triggers=False,
        )

    def gate_leaving(self, phase: str, gate_id: str) -> Gate:
        """The gate `gate_id`, refused unless it leaves `phase`."""
        try:
            gate = self.workflow.gate(gate_id)
        except KeyError:
            raise TransitionRefused(
                f"Grinden '{gate_id}' finns inte i fasmodellen {self.workflow.name} "
                f"(version {self.workflow.version})."
            ) from None
        # The loader refuses gates out of a final phase, but a Workflow built in
        # code is not validated and transitions' `final` does not block triggers.
        if self.workflow.phase(phase).final:
            raise TransitionRefused(
                f"Projektet står i slutfasen {self.workflow.phase(phase).name}; "
                "ingen grind leder vidare därifrån."
            )
        if gate.source != phase:
            current = self.workflow.phase(phase).name
            raise TransitionRefused(
                f"Grinden '{gate.name}' leder från fasen {self.workflow.phase(gate.source).name}, "
                f"men projektet står i fasen {current}."
            )
        return gate

    def pass_gate(
        self, phase: str, gate_id: str, verdict: GateVerdict, *, override: Override | None = None
    ) -> str:
        """The phase after passing `gate_id` from `phase`.

        Refused when the gate does not leave `phase`, when `phase` is final, or
        when the verdict failed and no override was recorded.
        """
        gate = self.gate_leaving(phase, gate_id)
        if verdict.gate_id != gate.id:
            raise ValueError(f"verdict for gate {verdict.gate_id} used for gate {gate.id}")
        if not verdict.passed and override is None:
            raise TransitionRefused(verdict.summary_sv(), verdict=verdict)
        token = PhaseToken(phase)
        with self._lock:
            self._machine.add_model(token, initial=phase)
            try:
                self._machine.events[gate.id].trigger(token)
            except MachineError as error:
                raise TransitionRefused(str(error.value), verdict=verdict) from None
            finally:
                self._machine.remove_model(token)
        return token.state


_ENGINES: dict[tuple[str, int, str], PhaseEngine] = {}
_ENGINES_LOCK = threading.Lock()


def engine_for(workflow: Workflow) -> PhaseEngine:
    """The cached engine of a workflow version (built once per content hash)."""
    key = (workflow.id, workflow.version, workflow.content_hash)
    with _ENGINES_LOCK:
        engine = _ENGINES.get(key)
        if engine is None:
            engine = _ENGINES[key] = PhaseEngine(workflow)
        return engine
