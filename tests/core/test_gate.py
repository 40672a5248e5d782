"""evaluate_gate: every criterion judged, the verdict explained as a value."""

from __future__ import annotations

from datetime import date

from gatekeeper.core.checklist import ItemState
from gatekeeper.core.criteria import GateContext
from gatekeeper.core.criteria.completion_share import CompletionShare
from gatekeeper.core.criteria.decisions_taken import DecisionsTaken
from gatekeeper.core.criteria.mandatory_items import MandatoryItemsDone
from gatekeeper.core.criteria.risk_score import MaxOpenRiskScore
from gatekeeper.core.gate import GateVerdict, evaluate_gate
from gatekeeper.core.phase_model import ApprovalPolicy, Gate
from gatekeeper.core.risk import RiskState
from gatekeeper.core.status import ItemStatus, RiskStatus

FORSTUDIE_KLAR = Gate(
    id="forstudie-klar",
    name="Förstudie klar",
    source="forstudie",
    dest="beslut",
    checklists=("forstudie",),
    criteria=(
        MandatoryItemsDone(),
        CompletionShare(min_share=0.8),
        MaxOpenRiskScore(max_score=8),
        DecisionsTaken(decisions=("finansiering",)),
    ),
    approval=ApprovalPolicy(deciders="styrgrupp", required_roles=("bestallare",)),
)


def item(text: str, status: ItemStatus, category: str, *, mandatory: bool = True) -> ItemState:
    return ItemState(
        checklist_id="forstudie",
        item_id=text.split()[0].lower(),
        text=text,
        category=category,
        mandatory=mandatory,
        evidence_required=False,
        status=status,
    )


def ready_context() -> GateContext:
    return GateContext(
        items=(
            item("Projektplan fastställd av styrgruppen", ItemStatus.DONE, "Styrning"),
            item("Utbildningsmaterial framtaget", ItemStatus.DONE, "Utbildning"),
            item("Lista på rekommenderad utrustning", ItemStatus.DONE, "Teknik"),
            item("Kommunikationsplan framtagen", ItemStatus.DONE, "Kommunikation"),
            item("Nyhetsbrev till personalen", ItemStatus.OPEN, "Kommunikation", mandatory=False),
        ),
        risks=(
            RiskState(
                "Verksamheten hinner inte utbilda all personal före driftstart",
                2,
                4,
                RiskStatus.OPEN,
            ),
        ),
        decisions=frozenset({"finansiering"}),
        today=date(2025, 5, 1),
    )


def not_ready_context() -> GateContext:
    """Mandatory items open (first criterion fails), a risk 3×4 over the limit,
    financing decided."""
    return GateContext(
        items=(
            item("Projektplan fastställd av styrgruppen", ItemStatus.DONE, "Styrning"),
            item("Utbildningsmaterial framtaget", ItemStatus.OPEN, "Utbildning"),
            item("Lista på rekommenderad utrustning", ItemStatus.DONE, "Teknik"),
            item("Kommunikationsplan framtagen", ItemStatus.DONE, "Kommunikation"),
            item("Leverantörsavtal granskat", ItemStatus.DONE, "Ekonomi"),
        ),
        risks=(
            RiskState(
                "Verksamheten hinner inte utbilda all personal före driftstart",
                3,
                4,
                RiskStatus.OPEN,
            ),
        ),
        decisions=frozenset({"finansiering"}),
        today=date(2025, 5, 1),
    )


def test_a_ready_project_passes_every_criterion() -> None:
    verdict = evaluate_gate(FORSTUDIE_KLAR, ready_context())
    assert verdict.gate_id == "forstudie-klar"
    assert verdict.passed
    assert verdict.failed == ()
    assert verdict.summary_sv() == "Alla kriterier för grinden är uppfyllda."
    assert verdict.summary_en() == "All criteria of the gate are met."


def test_every_criterion_is_judged_even_after_one_fails() -> None:
    verdict = evaluate_gate(FORSTUDIE_KLAR, not_ready_context())
    assert [r.kind for r in verdict.results] == [
        "mandatory_items_done",
        "completion_share",
        "max_open_risk_score",
        "decisions_taken",
    ]
    assert [r.passed for r in verdict.results] == [False, True, False, True]
    assert not verdict.passed
    assert [r.kind for r in verdict.failed] == ["mandatory_items_done", "max_open_risk_score"]


def test_summary_names_each_failing_criterion_and_only_those() -> None:
    verdict = evaluate_gate(FORSTUDIE_KLAR, not_ready_context())
    summary = verdict.summary_sv()
    assert summary.startswith("Grinden kan inte passeras: ")
    assert "1 obligatorisk punkt är inte klar" in summary
    assert "riskvärde över 8 (högst 12)" in summary
    for result in verdict.failed:
        assert result.message_sv in summary
    for result in verdict.results:
        if result.passed:
            assert result.message_sv not in summary
    assert verdict.summary_en().startswith("The gate cannot be passed: ")


def test_every_failing_criterion_fails_together() -> None:
    context = GateContext(
        items=(item("Utbildningsmaterial framtaget", ItemStatus.OPEN, "Utbildning"),),
        risks=(RiskState("Driftstart skjuts upp", 4, 4, RiskStatus.OPEN),),
    )
    verdict = evaluate_gate(FORSTUDIE_KLAR, context)
    assert len(verdict.failed) == len(FORSTUDIE_KLAR.criteria) == 4
    assert "Beslut saknas: finansiering." in verdict.summary_sv()


def test_a_gate_without_criteria_passes() -> None:
    gate = Gate(id="start", name="Start", source="ide", dest="forstudie")
    verdict = evaluate_gate(gate, GateContext(items=()))
    assert verdict.passed
    assert verdict.results == ()


def test_verdict_is_a_plain_value() -> None:
    first = evaluate_gate(FORSTUDIE_KLAR, not_ready_context())
    second = evaluate_gate(FORSTUDIE_KLAR, not_ready_context())
    assert first == second
    assert isinstance(first, GateVerdict)


def test_passed_and_failed_properties_on_a_built_verdict() -> None:
    results = evaluate_gate(FORSTUDIE_KLAR, not_ready_context()).results
    passing_only = GateVerdict("forstudie-klar", tuple(r for r in results if r.passed))
    assert passing_only.passed
    assert passing_only.failed == ()
    failing_only = GateVerdict("forstudie-klar", tuple(r for r in results if not r.passed))
    assert not failing_only.passed
    assert failing_only.failed == failing_only.results
