"""The phase engine: the one place that decides a project's next phase and status.

Two `transitions.Machine`s are built per workflow version and cached; each
runs on a tiny plain token (`PhaseToken`, `StatusToken`), never a database row:

- the phase machine: one trigger per gate (`go` and `conditional_go` pass it),
  `recycle:<phase>` back to an earlier phase, and `withdraw:<gate>` back
  before a gate whose lapsed go is reviewed again and decided `no_go`;
- the status machine: one trigger per gate decision outcome (`go`,
  `conditional_go`, `no_go` and `recycle` keep an active project active,
  `hold` pauses it, `kill` terminates it) and `resume` (paused → active).

Both are built with `auto_transitions=False` (no `to_<phase>()` shortcuts past
the gates) and raise on a trigger that does not leave the current state.
Criteria are not hidden in `conditions=`: the caller brings a `GateVerdict`,
and a failing one is refused here with every failing criterion in words.
Services ask the engine (`next_phase`, `after_decision`, `after_resume`) and
then record what it answered.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable
from dataclasses import dataclass

from transitions import Machine, MachineError

from gatekeeper.core.gate import GateVerdict
from gatekeeper.core.outcome import APPROVALS, Outcome
from gatekeeper.core.phase_model import Gate, Workflow
from gatekeeper.core.status import ProjectStatus, label_sv
from gatekeeper.errors import Conflict, TransitionRefused

RESUME = "resume"  # the status machine's trigger that ends a hold


@dataclass(frozen=True)
class Override:
    """Deciders chose to pass a gate whose criteria fail; the motivation is kept."""

    motivation: str

    def __post_init__(self) -> None:
        if not self.motivation.strip():
            raise ValueError("an override needs a motivation")


@dataclass(frozen=True)
class Standing:
    """Where a project stands: its phase and its status (what the engine answers)."""

    phase: str
    status: ProjectStatus = ProjectStatus.ACTIVE


class PhaseToken:
    """The plain object the phase machine moves: it only knows its phase."""

    def __init__(self, phase: str) -> None:
        self.state = phase


class StatusToken:
    """The plain object the status machine moves: it only knows the project's status."""

    def __init__(self, status: ProjectStatus) -> None:
        self.state = status.value


def recycle_trigger(phase: str) -> str:
    return f"recycle:{phase}"


def withdraw_trigger(gate_id: str) -> str:
    return f"withdraw:{gate_id}"


class PhaseEngine:
    """Moves projects of one workflow version from phase to phase, and status to status."""

    def __init__(self, workflow: Workflow) -> None:
        self.workflow = workflow
        self._lock = threading.Lock()
        phase_ids = [phase.id for phase in workflow.phases]
        self._phase_ids = frozenset(phase_ids)
        self._machine = Machine(
            model=None,
            states=[{"name": phase.id, "final": phase.final} for phase in workflow.phases],
            transitions=[
                *(
                    {"trigger": gate.id, "source": gate.source, "dest": gate.dest}
                    for gate in workflow.gates
                ),
                *(
                    {"trigger": withdraw_trigger(gate.id), "source": gate.dest, "dest": gate.source}
                    for gate in workflow.gates
                ),
                *(
                    {
                        "trigger": recycle_trigger(target),
                        "source": [p for p in phase_ids if p != target],
                        "dest": target,
                    }
                    for target in phase_ids
                ),
            ],
            initial=workflow.initial,
            auto_transitions=False,
            ignore_invalid_triggers=False,
        )
        active, on_hold = ProjectStatus.ACTIVE.value, ProjectStatus.ON_HOLD.value
        self._status_machine = Machine(
            model=None,
            states=[status.value for status in ProjectStatus],
            transitions=[
                *(
                    {"trigger": outcome.value, "source": active, "dest": active}
                    for outcome in (
                        Outcome.GO,
                        Outcome.CONDITIONAL_GO,
                        Outcome.NO_GO,
                        Outcome.RECYCLE,
                    )
                ),
                {"trigger": Outcome.HOLD.value, "source": active, "dest": on_hold},
                {
                    "trigger": Outcome.KILL.value,
                    "source": active,
                    "dest": ProjectStatus.TERMINATED.value,
                },
                {"trigger": RESUME, "source": on_hold, "dest": active},
            ],
            initial=active,
            auto_transitions=False,
            ignore_invalid_triggers=False,
        )

    # --- questions ---------------------------------------------------------------------

    def gate_leaving(self, phase: str, gate_id: str) -> Gate:
        """The gate `gate_id`, refused unless it leaves `phase`."""
        gate = self._gate(gate_id)
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

    def recycle_targets(self, phase: str, visited: Iterable[str]) -> tuple[str, ...]:
        """The earlier phases a recycle from `phase` may go back to: the phases of the
        workflow the project has been in (`visited`, in order), less the one it is in."""
        return tuple(p for p in dict.fromkeys(visited) if p != phase and p in self._phase_ids)

    # --- answers -----------------------------------------------------------------------

    def next_phase(
        self, phase: str, gate_id: str, verdict: GateVerdict, *, override: Override | None = None
    ) -> str:
        """The phase after passing `gate_id` from `phase`.

        Refused when the gate does not leave `phase`, when `phase` is final, or
        when the verdict failed and no override was recorded.
        """
        gate = self._passable(phase, gate_id, verdict, override)
        return self._fire(Standing(phase), gate.id, None, verdict=verdict).phase

    def after_decision(
        self,
        standing: Standing,
        gate_id: str,
        outcome: Outcome,
        *,
        verdict: GateVerdict,
        override: Override | None = None,
        recycle_to: str | None = None,
        visited: Iterable[str] = (),
        wave: bool = False,
    ) -> Standing:
        """Where a project stands after a gate decision `outcome` on `gate_id`.

        go / conditional_go: the gate's destination (refused as `next_phase`
        refuses), or no move when the gate's lapsed go is reviewed again from
        where it led; no_go: stay, or back before the gate when its lapsed go is
        reviewed again; hold: paused in the same phase; recycle: back to
        `recycle_to`, one of `recycle_targets(phase, visited)`; kill: terminated
        in the same phase. For a wave's go-live (`wave`) the phase never moves
        (the wave does), and recycle and kill, which concern the whole project,
        are refused. Only an active project is decided.
        """
        gate = self._gate(gate_id)
        reconfirming = gate.dest == standing.phase  # a lapsed go reviewed again
        trigger: str | None = None
        if wave:
            if outcome in (Outcome.RECYCLE, Outcome.KILL):
                raise TransitionRefused(
                    "Återgång och avbrott gäller hela projektet, inte en vågs driftstart."
                )
        elif outcome in APPROVALS:
            if not reconfirming:
                trigger = self._passable(standing.phase, gate.id, verdict, override).id
        elif outcome is Outcome.RECYCLE:
            targets = self.recycle_targets(standing.phase, visited)
            if recycle_to not in targets:
                names = ", ".join(self.workflow.phase(p).name for p in targets)
                raise TransitionRefused(
                    "Återgång kräver en tidigare fas som projektet har varit i"
                    + (f" ({names})." if names else "; projektet har ingen tidigare fas.")
                )
            trigger = recycle_trigger(recycle_to)
        elif outcome is Outcome.NO_GO and reconfirming:
            trigger = withdraw_trigger(gate.id)
        return self._fire(standing, trigger, outcome.value, verdict=verdict)

    def after_resume(self, standing: Standing, *, project_name: str) -> Standing:
        """Where a paused project stands when resumed: active again, in the same phase.

        Refused (`Conflict`) when the project is not paused.
        """
        try:
            return self._fire(standing, None, RESUME)
        except TransitionRefused:
            state = label_sv(standing.status).lower()
            raise Conflict(
                f"Projektet {project_name} är {state}, inte pausat, och kan inte återupptas."
            ) from None

    # --- the machines ------------------------------------------------------------------

    def _gate(self, gate_id: str) -> Gate:
        try:
            return self.workflow.gate(gate_id)
        except KeyError:
            raise TransitionRefused(
                f"Grinden '{gate_id}' finns inte i fasmodellen {self.workflow.name} "
                f"(version {self.workflow.version})."
            ) from None

    def _passable(
        self, phase: str, gate_id: str, verdict: GateVerdict, override: Override | None
    ) -> Gate:
        gate = self.gate_leaving(phase, gate_id)
        if verdict.gate_id != gate.id:
            raise ValueError(f"verdict for gate {verdict.gate_id} used for gate {gate.id}")
        if not verdict.passed and override is None:
            raise TransitionRefused(verdict.summary_sv(), verdict=verdict)
        return gate

    def _fire(
        self,
        standing: Standing,
        phase_trigger: str | None,
        status_trigger: str | None,
        *,
        verdict: GateVerdict | None = None,
    ) -> Standing:
        """Drive a fresh token through the triggers; the machines keep no state between calls."""
        token, status = PhaseToken(standing.phase), StatusToken(standing.status)
        with self._lock:
            self._machine.add_model(token, initial=standing.phase)
            self._status_machine.add_model(status, initial=standing.status.value)
            try:
                if status_trigger is not None:
                    try:
                        self._status_machine.events[status_trigger].trigger(status)
                    except MachineError:
                        state = label_sv(standing.status).lower()
                        raise TransitionRefused(
                            f"Projektet är {state}; beslutet kan inte verkställas."
                        ) from None
                if phase_trigger is not None:
                    try:
                        self._machine.events[phase_trigger].trigger(token)
                    except MachineError as error:
                        raise TransitionRefused(str(error.value), verdict=verdict) from None
            finally:
                self._machine.remove_model(token)
                self._status_machine.remove_model(status)
        return Standing(token.state, ProjectStatus(status.state))


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
