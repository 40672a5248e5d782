"""PhaseEngine: projects move through gates only on a passing verdict or an override,
and the engine alone answers where a gate decision (go, conditional_go, no_go, hold,
recycle, kill) or a resume leaves a project."""

from __future__ import annotations

import itertools
import sys
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gatekeeper.core.checklist import ItemState
from gatekeeper.core.criteria import GateContext
from gatekeeper.core.criteria.completion_share import CompletionShare
from gatekeeper.core.criteria.decisions_taken import DecisionsTaken
from gatekeeper.core.criteria.mandatory_items import MandatoryItemsDone
from gatekeeper.core.criteria.risk_score import MaxOpenRiskScore
from gatekeeper.core.engine import Override, PhaseEngine, Standing, engine_for
from gatekeeper.core.gate import GateVerdict, evaluate_gate
from gatekeeper.core.outcome import APPROVALS, Outcome
from gatekeeper.core.phase_model import ApprovalPolicy, Gate, Phase, Role, Workflow
from gatekeeper.core.risk import RiskState
from gatekeeper.core.status import ItemStatus, ProjectStatus, RiskStatus
from gatekeeper.errors import Conflict, GatekeeperError, TransitionRefused

STYRGRUPP = ApprovalPolicy(deciders="styrgrupp", quorum="majority", required_roles=("bestallare",))


def inforande(*, version: int = 1, content_hash: str = "sha256:inforande-1") -> Workflow:
    """The Swedish five-phase implementation model the seeds describe."""
    return Workflow(
        id="inforande",
        version=version,
        name="Införandeprojekt",
        initial="forstudie",
        phases=(
            Phase("forstudie", "Förstudie"),
            Phase("beslut", "Beslut"),
            Phase("genomforande", "Genomförande"),
            Phase("driftoverlamning", "Driftöverlämning"),
            Phase("avslutad", "Avslutad", final=True),
        ),
        gates=(
            Gate(
                "forstudie-klar",
                "Förstudie klar",
                "forstudie",
                "beslut",
                checklists=("forstudie",),
                criteria=(MandatoryItemsDone(), CompletionShare(min_share=0.8)),
                approval=STYRGRUPP,
            ),
            Gate(
                "beslut-fattat",
                "Beslut om genomförande",
                "beslut",
                "genomforande",
                criteria=(DecisionsTaken(decisions=("finansiering", "projektdirektiv")),),
                approval=STYRGRUPP,
            ),
            Gate(
                "go-live",
                "Driftstart",
                "genomforande",
                "driftoverlamning",
                checklists=("driftstart",),
                criteria=(MandatoryItemsDone(), MaxOpenRiskScore(max_score=8)),
                approval=STYRGRUPP,
            ),
            Gate(
                "overlamning-klar",
                "Överlämning till förvaltning",
                "driftoverlamning",
                "avslutad",
                criteria=(CompletionShare(min_share=1.0),),
                approval=STYRGRUPP,
            ),
        ),
        roles=(
            Role("projektledare", "Projektledare"),
            Role("styrgrupp", "Styrgrupp"),
            Role("bestallare", "Beställare"),
        ),
        content_hash=content_hash,
    )


def forankring() -> Workflow:
    """The Danish ICS loop: a cycle with no final phase."""
    names = [
        ("maling", "Måling"),
        ("plan", "Plan"),
        ("gennemforelse", "Gennemførelse"),
        ("opfolgning", "Opfølgning"),
    ]
    phases = tuple(Phase(pid, name) for pid, name in names)
    gates = tuple(
        Gate(f"{src.id}-klar", f"{src.name} færdig", src.id, dst.id)
        for src, dst in itertools.pairwise((*phases, phases[0]))
    )
    return Workflow(
        id="forankring",
        version=1,
        name="Forankring",
        initial="maling",
        phases=phases,
        gates=gates,
        roles=(Role("tovholder", "Tovholder"),),
        content_hash="sha256:forankring-1",
    )


WORKFLOW = inforande()
ENGINE = PhaseEngine(WORKFLOW)


def item(text: str, status: ItemStatus, category: str) -> ItemState:
    return ItemState("forstudie", text[:12].lower(), text, category, True, False, status)


READY = GateContext(
    items=(
        item("Projektplan fastställd av styrgruppen", ItemStatus.DONE, "Styrning"),
        item("Utbildningsmaterial framtaget", ItemStatus.DONE, "Utbildning"),
        item("Lista på rekommenderad utrustning", ItemStatus.DONE, "Teknik"),
    ),
    risks=(
        RiskState(
            "Verksamheten hinner inte utbilda all personal före driftstart",
            2,
            4,
            RiskStatus.OPEN,
        ),
    ),
    decisions=frozenset({"finansiering", "projektdirektiv"}),
)
NOT_READY = GateContext(
    items=(
        item("Projektplan fastställd av styrgruppen", ItemStatus.DONE, "Styrning"),
        item("Utbildningsmaterial framtaget", ItemStatus.OPEN, "Utbildning"),
    ),
    risks=(
        RiskState(
            "Verksamheten hinner inte utbilda all personal före driftstart",
            3,
            4,
            RiskStatus.OPEN,
        ),
    ),
    decisions=frozenset({"projektdirektiv"}),
)


def verdict(
    gate_id: str, context: GateContext = READY, workflow: Workflow = WORKFLOW
) -> GateVerdict:
    return evaluate_gate(workflow.gate(gate_id), context)


# --- moving forward --------------------------------------------------------------------


def test_a_ready_project_passes_every_gate_to_the_final_phase() -> None:
    phase = WORKFLOW.initial
    visited = [phase]
    for gate_id in ["forstudie-klar", "beslut-fattat", "go-live", "overlamning-klar"]:
        phase = ENGINE.next_phase(phase, gate_id, verdict(gate_id))
        visited.append(phase)
    assert visited == ["forstudie", "beslut", "genomforande", "driftoverlamning", "avslutad"]
    assert WORKFLOW.phase(phase).final


def test_next_phase_does_not_keep_state_between_calls() -> None:
    assert ENGINE.next_phase("forstudie", "forstudie-klar", verdict("forstudie-klar")) == "beslut"
    assert ENGINE.next_phase("forstudie", "forstudie-klar", verdict("forstudie-klar")) == "beslut"


# --- refusals --------------------------------------------------------------------------


def test_a_failing_verdict_is_refused_with_the_verdict_and_swedish_reasons() -> None:
    failing = verdict("beslut-fattat", NOT_READY)
    with pytest.raises(TransitionRefused) as caught:
        ENGINE.next_phase("beslut", "beslut-fattat", failing)
    assert caught.value.verdict is failing
    assert isinstance(caught.value, GatekeeperError)
    assert caught.value.message == ("Grinden kan inte passeras: Beslut saknas: finansiering.")


def test_refusal_names_every_failing_criterion() -> None:
    failing = verdict("go-live", NOT_READY)
    with pytest.raises(TransitionRefused) as caught:
        ENGINE.next_phase("genomforande", "go-live", failing)
    message = caught.value.message
    assert "1 obligatorisk punkt är inte klar" in message
    assert "riskvärde över 8 (högst 12)" in message
    refused = caught.value.verdict
    assert refused is not None
    assert [r.kind for r in refused.failed] == ["mandatory_items_done", "max_open_risk_score"]


def test_an_override_lets_a_failing_verdict_through() -> None:
    failing = verdict("beslut-fattat", NOT_READY)
    override = Override(
        "Styrgruppen beslutade 2025-03-12 att gå vidare; finansiering klar i april."
    )
    assert (
        ENGINE.next_phase("beslut", "beslut-fattat", failing, override=override) == "genomforande"
    )


@pytest.mark.parametrize("motivation", ["", "   ", "\n\t"])
def test_an_override_needs_a_motivation(motivation: str) -> None:
    with pytest.raises(ValueError, match="motivation"):
        Override(motivation)


def test_a_gate_that_does_not_leave_the_current_phase_is_refused() -> None:
    with pytest.raises(TransitionRefused) as caught:
        ENGINE.next_phase("forstudie", "go-live", verdict("go-live"))
    assert caught.value.message == (
        "Grinden 'Driftstart' leder från fasen Genomförande, men projektet står i fasen Förstudie."
    )


def test_an_override_does_not_open_a_gate_from_another_phase() -> None:
    with pytest.raises(TransitionRefused):
        ENGINE.next_phase(
            "forstudie", "go-live", verdict("go-live"), override=Override("Brådskande driftstart")
        )


@pytest.mark.parametrize("gate_id", ["hoppa-over-beslut", "to_avslutad", "to_beslut", ""])
def test_an_unknown_gate_is_refused(gate_id: str) -> None:
    fake = GateVerdict(gate_id, ())
    with pytest.raises(TransitionRefused, match="finns inte i fasmodellen Införandeprojekt"):
        ENGINE.next_phase("forstudie", gate_id, fake)


@pytest.mark.parametrize("gate", WORKFLOW.gates, ids=lambda gate: gate.id)
def test_no_gate_leaves_the_final_phase(gate: Gate) -> None:
    with pytest.raises(TransitionRefused, match="Avslutad"):
        ENGINE.next_phase("avslutad", gate.id, verdict(gate.id), override=Override("Återöppna"))


def test_a_final_phase_is_final_even_in_an_unvalidated_workflow() -> None:
    # Built in code, so the loader's "no gate leaves a final phase" rule never ran.
    reopen = Gate("ateroppna", "Återöppna", "avslutad", "genomforande")
    workflow = replace(inforande(), gates=(*inforande().gates, reopen), content_hash="sha256:x")
    engine = PhaseEngine(workflow)
    with pytest.raises(TransitionRefused, match="slutfasen Avslutad"):
        engine.next_phase("avslutad", "ateroppna", GateVerdict("ateroppna", ()))


def test_a_verdict_for_another_gate_is_a_programming_error() -> None:
    with pytest.raises(ValueError, match="forstudie-klar"):
        ENGINE.next_phase("beslut", "beslut-fattat", verdict("forstudie-klar"))


# --- the machine -----------------------------------------------------------------------


def test_the_machines_have_no_auto_transitions() -> None:
    machine = ENGINE._machine  # the safe flags are the point of this test
    assert set(machine.events) == (
        {gate.id for gate in WORKFLOW.gates}
        | {f"withdraw:{gate.id}" for gate in WORKFLOW.gates}
        | {f"recycle:{phase.id}" for phase in WORKFLOW.phases}
    )
    status_machine = ENGINE._status_machine
    assert set(status_machine.events) == {outcome.value for outcome in Outcome} | {"resume"}
    for phase in WORKFLOW.phases:
        assert not hasattr(machine, f"to_{phase.id}")
    for status in ProjectStatus:
        assert not hasattr(status_machine, f"to_{status.value}")
    for m in (machine, status_machine):
        assert m.auto_transitions is False
        assert m.ignore_invalid_triggers is False


def test_a_cyclic_workflow_loops() -> None:
    workflow = forankring()
    engine = PhaseEngine(workflow)
    phase = workflow.initial
    visited = []
    for _ in range(2 * len(workflow.phases)):
        (gate,) = workflow.gates_from(phase)
        phase = engine.next_phase(phase, gate.id, evaluate_gate(gate, READY))
        visited.append(phase)
    assert visited == ["plan", "gennemforelse", "opfolgning", "maling"] * 2


# --- engine cache ----------------------------------------------------------------------


def test_engine_for_caches_one_engine_per_workflow_version_and_hash() -> None:
    first = engine_for(inforande(version=7, content_hash="sha256:aaa"))
    again = engine_for(inforande(version=7, content_hash="sha256:aaa"))
    assert again is first
    assert first.workflow == inforande(version=7, content_hash="sha256:aaa")


def test_engine_for_builds_a_new_engine_for_new_content_or_version() -> None:
    first = engine_for(inforande(version=8, content_hash="sha256:aaa"))
    changed = engine_for(inforande(version=8, content_hash="sha256:bbb"))
    bumped = engine_for(inforande(version=9, content_hash="sha256:aaa"))
    assert changed is not first
    assert bumped is not first
    assert changed.workflow.content_hash == "sha256:bbb"


def test_engine_for_is_safe_to_call_from_many_threads() -> None:
    workflow = inforande(version=10, content_hash="sha256:threads")
    with ThreadPoolExecutor(max_workers=16) as pool:
        engines = list(pool.map(lambda _: engine_for(workflow), range(64)))
    assert all(engine is engines[0] for engine in engines)


# --- concurrency -----------------------------------------------------------------------

ORDER = ["forstudie", "beslut", "genomforande", "driftoverlamning", "avslutad"]


def expected_outcome(phase: str, gate: Gate, ready: bool) -> str:
    if WORKFLOW.phase(phase).final or gate.source != phase:
        return "refused"
    if not ready:
        return "refused"
    return gate.dest


def attempt(phase: str, gate: Gate, ready: bool) -> str:
    engine = engine_for(WORKFLOW)
    try:
        return engine.next_phase(phase, gate.id, evaluate_gate(gate, READY if ready else NOT_READY))
    except TransitionRefused:
        return "refused"


def test_many_threads_passing_gates_on_one_engine_all_get_correct_answers() -> None:
    cases = list(itertools.product(ORDER, WORKFLOW.gates, [True, False])) * 40
    interval = sys.getswitchinterval()
    sys.setswitchinterval(1e-6)  # switch threads as often as possible
    try:
        with ThreadPoolExecutor(max_workers=32) as pool:
            outcomes = list(pool.map(lambda case: attempt(*case), cases))
    finally:
        sys.setswitchinterval(interval)
    assert outcomes == [expected_outcome(*case) for case in cases]
    assert outcomes.count("refused") < len(outcomes)
    assert {"beslut", "genomforande", "driftoverlamning", "avslutad"} <= set(outcomes)


# --- gate decisions: where each outcome leaves the project -------------------------------

ACTIVE = ProjectStatus.ACTIVE
ON_HOLD = ProjectStatus.ON_HOLD
TERMINATED = ProjectStatus.TERMINATED


def after(
    phase: str,
    gate_id: str,
    outcome: Outcome,
    *,
    status: ProjectStatus = ACTIVE,
    context: GateContext = READY,
    override: Override | None = None,
    recycle_to: str | None = None,
    visited: tuple[str, ...] = (),
    wave: bool = False,
) -> Standing:
    return ENGINE.after_decision(
        Standing(phase, status),
        gate_id,
        outcome,
        verdict=verdict(gate_id, context),
        override=override,
        recycle_to=recycle_to,
        visited=visited,
        wave=wave,
    )


@pytest.mark.parametrize("outcome", [Outcome.GO, Outcome.CONDITIONAL_GO])
def test_an_approval_moves_the_project_to_the_gates_destination(outcome: Outcome) -> None:
    assert after("beslut", "beslut-fattat", outcome) == Standing("genomforande", ACTIVE)


@pytest.mark.parametrize("outcome", [Outcome.GO, Outcome.CONDITIONAL_GO])
def test_an_approval_on_failing_criteria_needs_an_override(outcome: Outcome) -> None:
    with pytest.raises(TransitionRefused) as caught:
        after("beslut", "beslut-fattat", outcome, context=NOT_READY)
    assert caught.value.message == "Grinden kan inte passeras: Beslut saknas: finansiering."
    assert after(
        "beslut", "beslut-fattat", outcome, context=NOT_READY, override=Override("Brådskande")
    ) == Standing("genomforande", ACTIVE)


def test_an_approval_of_a_gate_from_another_phase_is_refused_as_passing_it_is() -> None:
    with pytest.raises(TransitionRefused) as caught:
        after("forstudie", "go-live", Outcome.GO)
    assert caught.value.message == (
        "Grinden 'Driftstart' leder från fasen Genomförande, men projektet står i fasen Förstudie."
    )


def test_no_go_keeps_the_phase() -> None:
    assert after("beslut", "beslut-fattat", Outcome.NO_GO) == Standing("beslut", ACTIVE)


def test_a_lapsed_go_reviewed_again_stays_on_go_and_steps_back_before_the_gate_on_no_go() -> None:
    # The project already stands where the gate led: its go lapsed and is reviewed again.
    assert after("genomforande", "beslut-fattat", Outcome.GO) == Standing("genomforande", ACTIVE)
    assert after("genomforande", "beslut-fattat", Outcome.NO_GO) == Standing("beslut", ACTIVE)


def test_hold_pauses_the_project_in_its_phase_and_resume_brings_it_back() -> None:
    held = after("genomforande", "go-live", Outcome.HOLD)
    assert held == Standing("genomforande", ON_HOLD)
    assert ENGINE.after_resume(held, project_name="IBIC Alingsås") == Standing(
        "genomforande", ACTIVE
    )


@pytest.mark.parametrize(("status", "word"), [(ACTIVE, "pågående"), (TERMINATED, "avbrutet")])
def test_only_a_paused_project_is_resumed(status: ProjectStatus, word: str) -> None:
    with pytest.raises(Conflict) as caught:
        ENGINE.after_resume(Standing("beslut", status), project_name="IBIC Alingsås")
    assert caught.value.message == (
        f"Projektet IBIC Alingsås är {word}, inte pausat, och kan inte återupptas."
    )


def test_kill_terminates_the_project_where_it_stands() -> None:
    assert after("beslut", "beslut-fattat", Outcome.KILL) == Standing("beslut", TERMINATED)


def test_recycle_goes_back_to_an_earlier_phase_the_project_has_been_in() -> None:
    visited = ("forstudie", "beslut", "genomforande")
    assert after(
        "genomforande", "go-live", Outcome.RECYCLE, recycle_to="beslut", visited=visited
    ) == Standing("beslut", ACTIVE)


@pytest.mark.parametrize("target", ["driftoverlamning", "genomforande", "ingenstans", None])
def test_recycle_to_a_phase_not_visited_before_is_refused(target: str | None) -> None:
    visited = ("forstudie", "beslut", "genomforande")
    with pytest.raises(TransitionRefused, match="tidigare fas"):
        after("genomforande", "go-live", Outcome.RECYCLE, recycle_to=target, visited=visited)


def test_recycle_targets_are_the_visited_phases_of_the_workflow_but_the_current_one() -> None:
    visited = ["forstudie", "beslut", "forstudie", "gammal-fas", "genomforande"]
    assert ENGINE.recycle_targets("genomforande", visited) == ("forstudie", "beslut")
    assert ENGINE.recycle_targets("forstudie", ["forstudie"]) == ()


@pytest.mark.parametrize("status", [ON_HOLD, TERMINATED])
@pytest.mark.parametrize("outcome", list(Outcome))
def test_only_an_active_project_is_decided(status: ProjectStatus, outcome: Outcome) -> None:
    with pytest.raises(TransitionRefused):
        after(
            "beslut",
            "beslut-fattat",
            outcome,
            status=status,
            recycle_to="forstudie",
            visited=("forstudie", "beslut"),
        )


@pytest.mark.parametrize("outcome", [Outcome.GO, Outcome.CONDITIONAL_GO, Outcome.NO_GO])
def test_a_waves_go_live_decision_keeps_the_projects_phase(outcome: Outcome) -> None:
    assert after("genomforande", "go-live", outcome, wave=True) == Standing("genomforande", ACTIVE)


def test_a_waves_hold_pauses_the_project() -> None:
    assert after("genomforande", "go-live", Outcome.HOLD, wave=True) == Standing(
        "genomforande", ON_HOLD
    )


@pytest.mark.parametrize("outcome", [Outcome.RECYCLE, Outcome.KILL])
def test_recycle_and_kill_are_refused_for_a_wave(outcome: Outcome) -> None:
    with pytest.raises(TransitionRefused, match="hela projektet"):
        after(
            "genomforande",
            "go-live",
            outcome,
            wave=True,
            recycle_to="forstudie",
            visited=("forstudie", "beslut", "genomforande"),
        )


def test_a_decision_on_an_unknown_gate_is_refused() -> None:
    with pytest.raises(TransitionRefused, match="finns inte i fasmodellen"):
        ENGINE.after_decision(
            Standing("beslut"), "hoppa-over", Outcome.NO_GO, verdict=GateVerdict("hoppa-over", ())
        )


# --- properties: outcomes x phases x gates ----------------------------------------------


def expected_after(
    workflow: Workflow,
    standing: Standing,
    gate: Gate,
    outcome: Outcome,
    ready: bool,
    recycle_to: str | None,
    visited: tuple[str, ...],
) -> Standing | None:
    """The rules of docs/formats.md written out plainly (None: refused)."""
    if standing.status is not ACTIVE:
        return None
    phase = standing.phase
    reconfirming = gate.dest == phase
    if outcome in APPROVALS:
        if reconfirming:
            return standing
        if workflow.phase(phase).final or gate.source != phase or not ready:
            return None
        return Standing(gate.dest, ACTIVE)
    if outcome is Outcome.NO_GO:
        return Standing(gate.source if reconfirming else phase, ACTIVE)
    if outcome is Outcome.HOLD:
        return Standing(phase, ON_HOLD)
    if outcome is Outcome.KILL:
        return Standing(phase, TERMINATED)
    if recycle_to is None or recycle_to == phase or recycle_to not in visited:
        return None
    return Standing(recycle_to, ACTIVE)


def connected(workflow: Workflow, phase: str) -> set[str]:
    """`phase`, the phases a gate leads to from it and those a gate leads into it from."""
    return (
        {phase}
        | {g.dest for g in workflow.gates if g.source == phase}
        | {g.source for g in workflow.gates if g.dest == phase}
    )


WORKFLOWS = (WORKFLOW, forankring())


@settings(max_examples=300, deadline=None)
@given(
    workflow=st.sampled_from(WORKFLOWS),
    data=st.data(),
    outcome=st.sampled_from(list(Outcome)),
    status=st.sampled_from(list(ProjectStatus)),
    ready=st.booleans(),
)
def test_every_outcome_on_every_phase_and_gate_follows_the_rules(
    workflow: Workflow,
    data: st.DataObject,
    outcome: Outcome,
    status: ProjectStatus,
    ready: bool,
) -> None:
    engine = engine_for(workflow)
    phase_ids = [p.id for p in workflow.phases]
    phase = data.draw(st.sampled_from(phase_ids), label="phase")
    gate = data.draw(st.sampled_from(workflow.gates), label="gate")
    visited = tuple(data.draw(st.lists(st.sampled_from(phase_ids), max_size=6), label="visited"))
    recycle_to = data.draw(st.none() | st.sampled_from(phase_ids), label="recycle_to")
    standing = Standing(phase, status)
    judged = evaluate_gate(gate, READY if ready else NOT_READY)
    expected = expected_after(workflow, standing, gate, outcome, judged.passed, recycle_to, visited)
    try:
        answer = engine.after_decision(
            standing,
            gate.id,
            outcome,
            verdict=judged,
            recycle_to=recycle_to,
            visited=visited,
        )
    except TransitionRefused:
        assert expected is None
        return
    assert answer == expected
    if outcome is not Outcome.RECYCLE:
        assert answer.phase in connected(workflow, phase)  # only along the workflow's gates
    else:
        assert answer.phase in visited  # only back to where the project has been


@settings(max_examples=200, deadline=None)
@given(
    workflow=st.sampled_from(WORKFLOWS),
    steps=st.lists(
        st.tuples(
            st.integers(min_value=0, max_value=9),
            st.sampled_from(list(Outcome)),
            st.integers(min_value=0, max_value=9),
            st.booleans(),
        ),
        max_size=25,
    ),
)
def test_a_project_decided_again_and_again_never_leaves_the_workflow(
    workflow: Workflow, steps: list[tuple[int, Outcome, int, bool]]
) -> None:
    """Random decisions on random gates: the project only walks along gates or back to
    where it has been, a hold always resumes in the held phase, and kill is the end."""
    engine = engine_for(workflow)
    reachable = workflow.reachable_phases()
    standing = Standing(workflow.initial)
    visited = [workflow.initial]
    for gate_pick, outcome, target_pick, ready in steps:
        if standing.status is ON_HOLD:
            resumed = engine.after_resume(standing, project_name="Projektet")
            assert resumed == Standing(standing.phase, ACTIVE)
            standing = resumed
        gate = workflow.gates[gate_pick % len(workflow.gates)]
        targets = engine.recycle_targets(standing.phase, visited)
        recycle_to = targets[target_pick % len(targets)] if targets else None
        try:
            answer = engine.after_decision(
                standing,
                gate.id,
                outcome,
                verdict=evaluate_gate(gate, READY if ready else NOT_READY),
                recycle_to=recycle_to,
                visited=visited,
            )
        except TransitionRefused:
            assert standing.status is TERMINATED or outcome in (*APPROVALS, Outcome.RECYCLE)
            continue
        assert answer.phase in reachable
        if outcome is Outcome.RECYCLE:
            assert answer.phase in visited and answer.phase != standing.phase
        else:
            assert answer.phase in connected(workflow, standing.phase)
        if outcome in (Outcome.HOLD, Outcome.KILL):
            assert answer.phase == standing.phase
        standing = answer
        visited.append(standing.phase)
    if standing.status is TERMINATED:
        for outcome in Outcome:
            with pytest.raises(TransitionRefused):
                engine.after_decision(
                    standing,
                    workflow.gates[0].id,
                    outcome,
                    verdict=evaluate_gate(workflow.gates[0], READY),
                    recycle_to=workflow.initial,
                    visited=visited,
                )
