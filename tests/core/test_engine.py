"""PhaseEngine: projects move through gates only on a passing verdict or an override."""

from __future__ import annotations

import itertools
import sys
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace

import pytest

from gatekeeper.core.checklist import ItemState
from gatekeeper.core.criteria import GateContext
from gatekeeper.core.criteria.completion_share import CompletionShare
from gatekeeper.core.criteria.decisions_taken import DecisionsTaken
from gatekeeper.core.criteria.mandatory_items import MandatoryItemsDone
from gatekeeper.core.criteria.risk_score import MaxOpenRiskScore
from gatekeeper.core.engine import Override, PhaseEngine, engine_for
from gatekeeper.core.gate import GateVerdict, evaluate_gate
from gatekeeper.core.phase_model import ApprovalPolicy, Gate, Phase, Role, Workflow
from gatekeeper.core.risk import RiskState
from gatekeeper.core.status import ItemStatus, RiskStatus
from gatekeeper.errors import GatekeeperError, TransitionRefused

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
        phase = ENGINE.pass_gate(phase, gate_id, verdict(gate_id))
        visited.append(phase)
    assert visited == ["forstudie", "beslut", "genomforande", "driftoverlamning", "avslutad"]
    assert WORKFLOW.phase(phase).final


def test_pass_gate_does_not_keep_state_between_calls() -> None:
    assert ENGINE.pass_gate("forstudie", "forstudie-klar", verdict("forstudie-klar")) == "beslut"
    assert ENGINE.pass_gate("forstudie", "forstudie-klar", verdict("forstudie-klar")) == "beslut"


# --- refusals --------------------------------------------------------------------------


def test_a_failing_verdict_is_refused_with_the_verdict_and_swedish_reasons() -> None:
    failing = verdict("beslut-fattat", NOT_READY)
    with pytest.raises(TransitionRefused) as caught:
        ENGINE.pass_gate("beslut", "beslut-fattat", failing)
    assert caught.value.verdict is failing
    assert isinstance(caught.value, GatekeeperError)
    assert caught.value.message == ("Grinden kan inte passeras: Beslut saknas: finansiering.")


def test_refusal_names_every_failing_criterion() -> None:
    failing = verdict("go-live", NOT_READY)
    with pytest.raises(TransitionRefused) as caught:
        ENGINE.pass_gate("genomforande", "go-live", failing)
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
    assert ENGINE.pass_gate("beslut", "beslut-fattat", failing, override=override) == "genomforande"


@pytest.mark.parametrize("motivation", ["", "   ", "\n\t"])
def test_an_override_needs_a_motivation(motivation: str) -> None:
    with pytest.raises(ValueError, match="motivation"):
        Override(motivation)


def test_a_gate_that_does_not_leave_the_current_phase_is_refused() -> None:
    with pytest.raises(TransitionRefused) as caught:
        ENGINE.pass_gate("forstudie", "go-live", verdict("go-live"))
    assert caught.value.message == (
        "Grinden 'Driftstart' leder från fasen Genomförande, men projektet står i fasen Förstudie."
    )


def test_an_override_does_not_open_a_gate_from_another_phase() -> None:
    with pytest.raises(TransitionRefused):
        ENGINE.pass_gate(
            "forstudie", "go-live", verdict("go-live"), override=Override("Brådskande driftstart")
        )


@pytest.mark.parametrize("gate_id", ["hoppa-over-beslut", "to_avslutad", "to_beslut", ""])
def test_an_unknown_gate_is_refused(gate_id: str) -> None:
    fake = GateVerdict(gate_id, ())
    with pytest.raises(TransitionRefused, match="finns inte i fasmodellen Införandeprojekt"):
        ENGINE.pass_gate("forstudie", gate_id, fake)


@pytest.mark.parametrize("gate", WORKFLOW.gates, ids=lambda gate: gate.id)
def test_no_gate_leaves_the_final_phase(gate: Gate) -> None:
    with pytest.raises(TransitionRefused, match="Avslutad"):
        ENGINE.pass_gate("avslutad", gate.id, verdict(gate.id), override=Override("Återöppna"))


def test_a_final_phase_is_final_even_in_an_unvalidated_workflow() -> None:
    # Built in code, so the loader's "no gate leaves a final phase" rule never ran.
    reopen = Gate("ateroppna", "Återöppna", "avslutad", "genomforande")
    workflow = replace(inforande(), gates=(*inforande().gates, reopen), content_hash="sha256:x")
    engine = PhaseEngine(workflow)
    with pytest.raises(TransitionRefused, match="slutfasen Avslutad"):
        engine.pass_gate("avslutad", "ateroppna", GateVerdict("ateroppna", ()))


def test_a_verdict_for_another_gate_is_a_programming_error() -> None:
    with pytest.raises(ValueError, match="forstudie-klar"):
        ENGINE.pass_gate("beslut", "beslut-fattat", verdict("forstudie-klar"))


# --- the machine -----------------------------------------------------------------------


def test_the_machine_has_no_auto_transitions() -> None:
    machine = ENGINE._machine  # the safe flags are the point of this test
    assert set(machine.events) == {gate.id for gate in WORKFLOW.gates}
    for phase in WORKFLOW.phases:
        assert not hasattr(machine, f"to_{phase.id}")
    assert machine.auto_transitions is False
    assert machine.ignore_invalid_triggers is False


def test_a_cyclic_workflow_loops() -> None:
    workflow = forankring()
    engine = PhaseEngine(workflow)
    phase = workflow.initial
    visited = []
    for _ in range(2 * len(workflow.phases)):
        (gate,) = workflow.gates_from(phase)
        phase = engine.pass_gate(phase, gate.id, evaluate_gate(gate, READY))
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
        return engine.pass_gate(phase, gate.id, evaluate_gate(gate, READY if ready else NOT_READY))
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
