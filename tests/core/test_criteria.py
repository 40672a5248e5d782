"""Each criterion kind judged on seed-shaped Swedish checklists, risks and decisions."""

from __future__ import annotations

from datetime import date

import pytest
from pydantic import TypeAdapter, ValidationError

from gatekeeper.core.checklist import ItemState
from gatekeeper.core.criteria import CRITERION_KINDS, AnyCriterion, GateContext
from gatekeeper.core.criteria.completion_share import CompletionShare
from gatekeeper.core.criteria.decisions_taken import DecisionsTaken
from gatekeeper.core.criteria.mandatory_items import MandatoryItemsDone
from gatekeeper.core.criteria.risk_score import MaxOpenRiskScore
from gatekeeper.core.risk import RiskState
from gatekeeper.core.status import ItemStatus, RiskStatus

OPEN = ItemStatus.OPEN
DONE = ItemStatus.DONE
NA = ItemStatus.NOT_APPLICABLE


def item(
    text: str,
    status: ItemStatus = OPEN,
    *,
    category: str = "Planering",
    mandatory: bool = True,
    evidence_required: bool = False,
    has_evidence: bool = False,
) -> ItemState:
    return ItemState(
        checklist_id="forstudie",
        item_id=text.lower().replace(" ", "-")[:40],
        text=text,
        category=category,
        mandatory=mandatory,
        evidence_required=evidence_required,
        status=status,
        has_evidence=has_evidence,
        due_on=date(2025, 6, 3),
    )


def risk(
    title: str, probability: int, consequence: int, status: RiskStatus = RiskStatus.OPEN
) -> RiskState:
    return RiskState(title, probability, consequence, status)


def context(
    items: list[ItemState] | None = None,
    risks: list[RiskState] | None = None,
    decisions: set[str] | None = None,
) -> GateContext:
    return GateContext(
        items=tuple(items or ()),
        risks=tuple(risks or ()),
        decisions=frozenset(decisions or ()),
        today=date(2025, 5, 1),
    )


PROJEKTPLAN = "Projektplan fastställd av styrgruppen"
UTBILDNING = "Utbildningsmaterial framtaget"
UTRUSTNING = "Lista på rekommenderad utrustning"
KOMMUNIKATION = "Kommunikationsplan framtagen"
UTBILDA_ALLA = "Verksamheten hinner inte utbilda all personal före driftstart"


# --- mandatory_items_done --------------------------------------------------------------


def test_mandatory_items_done_passes_when_every_mandatory_item_is_done() -> None:
    result = MandatoryItemsDone().evaluate(
        context(
            [
                item(PROJEKTPLAN, DONE, category="Styrning"),
                item(UTBILDNING, DONE, category="Utbildning"),
                item(UTRUSTNING, OPEN, category="Teknik", mandatory=False),
            ]
        )
    )
    assert result.kind == "mandatory_items_done"
    assert result.passed
    assert (result.measured, result.required) == ("2 av 2", "2 av 2")
    assert result.message_sv == "Alla 2 obligatoriska punkter är klara."
    assert result.message_en == "All 2 mandatory items are done."
    assert result.details == ()


def test_mandatory_items_done_fails_and_names_the_open_items() -> None:
    result = MandatoryItemsDone().evaluate(
        context(
            [
                item(PROJEKTPLAN, DONE, category="Styrning"),
                item(UTBILDNING, OPEN, category="Utbildning"),
                item(UTRUSTNING, OPEN, category="Teknik"),
            ]
        )
    )
    assert not result.passed
    assert (result.measured, result.required) == ("1 av 3", "3 av 3")
    assert result.message_sv == "2 obligatoriska punkter är inte klara."
    assert result.details == (f"Ej klar: {UTBILDNING}", f"Ej klar: {UTRUSTNING}")


def test_done_item_without_required_evidence_does_not_count_as_done() -> None:
    result = MandatoryItemsDone().evaluate(
        context(
            [
                item(PROJEKTPLAN, DONE, evidence_required=True, has_evidence=False),
                item(UTBILDNING, DONE, evidence_required=True, has_evidence=True),
            ]
        )
    )
    assert not result.passed
    assert result.measured == "1 av 2"
    assert "saknar underlag som krävs" in result.message_sv
    assert result.details == (f"Underlag saknas: {PROJEKTPLAN}",)


def test_open_items_and_missing_evidence_are_both_reported() -> None:
    result = MandatoryItemsDone().evaluate(
        context(
            [
                item(PROJEKTPLAN, DONE, evidence_required=True),
                item(UTBILDNING, OPEN),
                item(UTRUSTNING, OPEN),
            ]
        )
    )
    assert not result.passed
    assert result.measured == "0 av 3"
    assert result.message_sv == (
        "2 obligatoriska punkter är inte klara och 1 saknar underlag som krävs."
    )
    assert result.details == (
        f"Ej klar: {UTBILDNING}",
        f"Ej klar: {UTRUSTNING}",
        f"Underlag saknas: {PROJEKTPLAN}",
    )


def test_evidence_is_not_asked_of_items_that_do_not_require_it() -> None:
    result = MandatoryItemsDone().evaluate(context([item(PROJEKTPLAN, DONE, has_evidence=False)]))
    assert result.passed


def test_not_applicable_mandatory_items_are_left_out() -> None:
    result = MandatoryItemsDone().evaluate(
        context(
            [
                item(PROJEKTPLAN, DONE),
                item(UTRUSTNING, NA, evidence_required=True),
            ]
        )
    )
    assert result.passed
    assert result.measured == "1 av 1"


def test_optional_items_never_fail_mandatory_items_done() -> None:
    result = MandatoryItemsDone().evaluate(
        context([item(UTRUSTNING, OPEN, mandatory=False, evidence_required=True)])
    )
    assert result.passed
    assert result.measured == "0 av 0"


def test_mandatory_items_done_on_an_empty_checklist_passes() -> None:
    result = MandatoryItemsDone().evaluate(context([]))
    assert result.passed
    assert (result.measured, result.required) == ("0 av 0", "0 av 0")


# --- completion_share ------------------------------------------------------------------


def five_items(done: int) -> list[ItemState]:
    texts = [PROJEKTPLAN, UTBILDNING, UTRUSTNING, KOMMUNIKATION, "Supportorganisation klar"]
    return [item(text, DONE if i < done else OPEN) for i, text in enumerate(texts)]


def test_completion_share_at_the_required_share_passes() -> None:
    result = CompletionShare(min_share=0.8).evaluate(context(five_items(4)))
    assert result.kind == "completion_share"
    assert result.passed
    assert (result.measured, result.required) == ("80 %", "minst 80 %")
    assert result.message_sv == "4 av 5 punkter är klara (80 %), vilket når kravet på minst 80 %."
    assert result.message_en == "4 of 5 items are done (80 %), which meets the required 80 %."


def test_completion_share_below_the_required_share_fails() -> None:
    result = CompletionShare(min_share=0.8).evaluate(context(five_items(3)))
    assert not result.passed
    assert (result.measured, result.required) == ("60 %", "minst 80 %")
    assert result.message_sv == (
        "3 av 5 punkter är klara (60 %), vilket inte når kravet på minst 80 %."
    )
    assert "falls short of" in result.message_en


def test_not_applicable_items_are_left_out_of_the_share() -> None:
    items = [
        item(PROJEKTPLAN, DONE),
        item(UTBILDNING, DONE, category="Utbildning"),
        item(UTRUSTNING, NA, category="Teknik"),
        item(KOMMUNIKATION, NA, category="Kommunikation"),
    ]
    result = CompletionShare(min_share=1.0).evaluate(context(items))
    assert result.passed
    assert result.message_sv.startswith("2 av 2 punkter är klara (100 %)")


def test_optional_items_count_in_the_share() -> None:
    items = [item(PROJEKTPLAN, DONE), item(UTRUSTNING, OPEN, mandatory=False)]
    result = CompletionShare(min_share=0.75).evaluate(context(items))
    assert not result.passed
    assert result.measured == "50 %"


def test_completion_share_on_an_empty_checklist_passes() -> None:
    result = CompletionShare(min_share=1.0).evaluate(context([]))
    assert result.passed
    assert result.measured == "100 %"
    assert result.message_sv.startswith("0 av 0 punkter är klara")


def test_only_not_applicable_items_count_as_an_empty_checklist() -> None:
    result = CompletionShare(min_share=0.9).evaluate(context([item(UTRUSTNING, NA)]))
    assert result.passed


def test_zero_share_passes_with_nothing_done() -> None:
    assert CompletionShare(min_share=0.0).evaluate(context(five_items(0))).passed


# --- max_open_risk_score ---------------------------------------------------------------


def test_open_risk_exactly_at_the_limit_passes() -> None:
    result = MaxOpenRiskScore(max_score=12).evaluate(context(risks=[risk(UTBILDA_ALLA, 3, 4)]))
    assert result.kind == "max_open_risk_score"
    assert result.passed
    assert (result.measured, result.required) == ("högsta öppna riskvärde 12", "högst 12")
    assert result.message_sv == "Ingen öppen risk har ett riskvärde över 12."
    assert result.details == ()


def test_open_risk_above_the_limit_fails_and_is_named() -> None:
    risks = [
        risk(UTBILDA_ALLA, 3, 4),
        risk("Leverantören levererar inte i tid", 4, 4),
        risk("Nätverket klarar inte belastningen", 2, 2),
    ]
    result = MaxOpenRiskScore(max_score=8).evaluate(context(risks=risks))
    assert not result.passed
    assert (result.measured, result.required) == ("högsta öppna riskvärde 16", "högst 8")
    assert result.message_sv == "2 öppna risker har ett riskvärde över 8 (högst 16)."
    # highest first, the low risk not listed
    assert result.details == (
        "Leverantören levererar inte i tid (riskvärde 16)",
        f"{UTBILDA_ALLA} (riskvärde 12)",
    )


@pytest.mark.parametrize("status", [RiskStatus.CLOSED, RiskStatus.ACCEPTED])
def test_closed_and_accepted_risks_are_ignored(status: RiskStatus) -> None:
    risks = [risk(UTBILDA_ALLA, 4, 4, status), risk("Lokalerna blir inte klara", 1, 2)]
    result = MaxOpenRiskScore(max_score=4).evaluate(context(risks=risks))
    assert result.passed
    assert result.measured == "högsta öppna riskvärde 2"


def test_no_risks_pass_with_highest_zero() -> None:
    result = MaxOpenRiskScore(max_score=1).evaluate(context())
    assert result.passed
    assert result.measured == "högsta öppna riskvärde 0"


# --- decisions_taken -------------------------------------------------------------------


def test_decisions_taken_passes_when_all_are_recorded() -> None:
    result = DecisionsTaken(decisions=("finansiering", "projektdirektiv")).evaluate(
        context(decisions={"finansiering", "projektdirektiv", "upphandling"})
    )
    assert result.kind == "decisions_taken"
    assert result.passed
    assert (result.measured, result.required) == ("2 av 2", "2 av 2")
    assert result.message_sv == "Alla 2 beslut som krävs är fattade."


def test_decisions_taken_lists_the_missing_keys_in_order() -> None:
    result = DecisionsTaken(decisions=("finansiering", "projektdirektiv", "upphandling")).evaluate(
        context(decisions={"projektdirektiv"})
    )
    assert not result.passed
    assert (result.measured, result.required) == ("1 av 3", "3 av 3")
    assert result.message_sv == "Beslut saknas: finansiering, upphandling."
    assert result.message_en == "Decisions missing: finansiering, upphandling."
    assert result.details == ("Beslut saknas: finansiering", "Beslut saknas: upphandling")


def test_decisions_taken_fails_on_a_project_without_decisions() -> None:
    result = DecisionsTaken(decisions=("finansiering",)).evaluate(context())
    assert not result.passed
    assert result.message_sv == "Beslut saknas: finansiering."


# --- parameters, as YAML gives them ----------------------------------------------------

CRITERION = TypeAdapter(AnyCriterion)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ({"kind": "mandatory_items_done"}, MandatoryItemsDone()),
        ({"kind": "completion_share", "min_share": 0.8}, CompletionShare(min_share=0.8)),
        ({"kind": "max_open_risk_score", "max_score": 8}, MaxOpenRiskScore(max_score=8)),
        (
            {"kind": "decisions_taken", "decisions": ["finansiering"]},
            DecisionsTaken(decisions=("finansiering",)),
        ),
    ],
)
def test_yaml_shaped_parameters_build_the_registered_kind(
    raw: dict[str, object], expected: object
) -> None:
    criterion = CRITERION.validate_python(raw)
    assert criterion == expected
    assert type(criterion) is CRITERION_KINDS[str(raw["kind"])]


@pytest.mark.parametrize(
    "raw",
    [
        {"kind": "completion_share", "min_share": 1.01},
        {"kind": "completion_share", "min_share": -0.1},
        {"kind": "completion_share"},
        {"kind": "max_open_risk_score", "max_score": 0},
        {"kind": "max_open_risk_score", "max_score": 17},
        {"kind": "decisions_taken", "decisions": []},
        {"kind": "mandatory_items_done", "threshold": 1},
        {"kind": "completion_share", "min_share": 0.8, "min_items": 3},
        {"kind": "all_items_done"},
        {"kind": "__import__('os').system('true')"},
    ],
    ids=lambda raw: ",".join(f"{k}={v}" for k, v in raw.items()),
)
def test_invalid_parameters_are_refused(raw: dict[str, object]) -> None:
    with pytest.raises(ValidationError):
        CRITERION.validate_python(raw)


@pytest.mark.parametrize("min_share", [-0.01, 1.5])
def test_completion_share_outside_zero_to_one_raises(min_share: float) -> None:
    with pytest.raises(ValidationError, match="min_share"):
        CompletionShare(min_share=min_share)


@pytest.mark.parametrize("max_score", [0, 17])
def test_max_score_outside_the_scale_raises(max_score: int) -> None:
    with pytest.raises(ValidationError, match="max_score"):
        MaxOpenRiskScore(max_score=max_score)


@pytest.mark.parametrize("max_score", [1, 16])
def test_max_score_at_the_ends_of_the_scale_is_allowed(max_score: int) -> None:
    assert MaxOpenRiskScore(max_score=max_score).max_score == max_score


def test_unknown_parameter_raises() -> None:
    with pytest.raises(ValidationError, match="threshold"):
        MandatoryItemsDone.model_validate({"threshold": 3})


def test_criteria_are_immutable() -> None:
    criterion = CompletionShare(min_share=0.8)
    with pytest.raises(ValidationError):
        criterion.min_share = 0.1  # type: ignore[misc]
