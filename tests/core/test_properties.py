"""Property tests where rules combine: items × evidence × status, risks × limits,
deadline text."""

from __future__ import annotations

from dataclasses import replace

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from gatekeeper.core.checklist import ItemState
from gatekeeper.core.criteria import GateContext
from gatekeeper.core.criteria.completion_share import CompletionShare
from gatekeeper.core.criteria.mandatory_items import MandatoryItemsDone
from gatekeeper.core.criteria.risk_score import MaxOpenRiskScore
from gatekeeper.core.deadline import RelativeDeadline
from gatekeeper.core.risk import RiskState, risk_score
from gatekeeper.core.status import ItemStatus, RiskStatus

PROPERTY = settings(deadline=None)  # examples: the Hypothesis profile (tests/conftest.py)

TEXTS = [
    "Projektplan fastställd av styrgruppen",
    "Utbildningsmaterial framtaget",
    "Lista på rekommenderad utrustning",
    "Kommunikationsplan framtagen",
    "Behörigheter beställda",
    "Supportorganisation bemannad",
]
CATEGORIES = ["Planering", "Utbildning", "Teknik", "Kommunikation", "Support", "Styrning"]

items_st = st.lists(
    st.builds(
        ItemState,
        checklist_id=st.just("driftstart"),
        item_id=st.uuids().map(str),
        text=st.sampled_from(TEXTS),
        category=st.sampled_from(CATEGORIES),
        mandatory=st.booleans(),
        evidence_required=st.booleans(),
        status=st.sampled_from(ItemStatus),
        has_evidence=st.booleans(),
    ),
    max_size=12,
)
scores = st.integers(min_value=1, max_value=4)
risks_st = st.lists(
    st.builds(
        RiskState,
        title=st.just("Verksamheten hinner inte utbilda all personal före driftstart"),
        probability=scores,
        consequence=scores,
        status=st.sampled_from(RiskStatus),
    ),
    max_size=8,
)


@PROPERTY
@given(items_st)
def test_mandatory_items_done_passes_iff_every_counted_mandatory_item_is_satisfied(
    items: list[ItemState],
) -> None:
    result = MandatoryItemsDone().evaluate(GateContext(items=items))
    counted = [i for i in items if i.mandatory and i.status is not ItemStatus.NOT_APPLICABLE]
    satisfied = [
        i
        for i in counted
        if i.status is ItemStatus.DONE and (i.has_evidence or not i.evidence_required)
    ]
    assert result.passed is (len(satisfied) == len(counted))
    assert result.measured == f"{len(satisfied)} av {len(counted)}"
    assert result.required == f"{len(counted)} av {len(counted)}"
    assert len(result.details) == len(counted) - len(satisfied)


@PROPERTY
@given(items_st, st.floats(min_value=0.0, max_value=1.0), st.data())
def test_ticking_one_more_item_never_turns_pass_into_fail(
    items: list[ItemState], min_share: float, data: st.DataObject
) -> None:
    open_positions = [n for n, i in enumerate(items) if i.status is ItemStatus.OPEN]
    assume(open_positions)
    position = data.draw(st.sampled_from(open_positions))
    ticked = list(items)
    ticked[position] = replace(items[position], status=ItemStatus.DONE)
    criterion = CompletionShare(min_share=min_share)
    before = criterion.evaluate(GateContext(items=items))
    after = criterion.evaluate(GateContext(items=ticked))
    if before.passed:
        assert after.passed
    assert int(after.measured.removesuffix(" %")) >= int(before.measured.removesuffix(" %"))


@PROPERTY
@given(items_st, st.floats(min_value=0.0, max_value=1.0))
def test_completion_share_ignores_not_applicable_items(
    items: list[ItemState], min_share: float
) -> None:
    criterion = CompletionShare(min_share=min_share)
    applicable = [i for i in items if i.status is not ItemStatus.NOT_APPLICABLE]
    assert criterion.evaluate(GateContext(items=items)) == criterion.evaluate(
        GateContext(items=applicable)
    )


@PROPERTY
@given(risks_st, st.integers(min_value=1, max_value=16))
def test_max_open_risk_score_passes_iff_the_highest_open_score_is_within_the_limit(
    risks: list[RiskState], limit: int
) -> None:
    result = MaxOpenRiskScore(max_score=limit).evaluate(GateContext(items=(), risks=risks))
    open_scores = [r.probability * r.consequence for r in risks if r.status is RiskStatus.OPEN]
    highest = max(open_scores, default=0)
    assert result.passed is (highest <= limit)
    assert result.measured == f"högsta öppna riskvärde {highest}"
    assert len(result.details) == sum(1 for score in open_scores if score > limit)


@PROPERTY
@given(scores, scores)
def test_risk_score_is_probability_times_consequence_within_1_to_16(
    probability: int, consequence: int
) -> None:
    score = risk_score(probability, consequence)
    assert score == probability * consequence
    assert 1 <= score <= 16


outside_scale = st.integers().filter(lambda n: not 1 <= n <= 4)


@PROPERTY
@given(outside_scale, scores, st.booleans())
def test_risk_score_rejects_values_outside_1_to_4(bad: int, good: int, bad_first: bool) -> None:
    args = (bad, good) if bad_first else (good, bad)
    with pytest.raises(ValueError, match="1 to 4"):
        risk_score(*args)


deadline_text = st.builds(
    lambda sign, number, unit: f"{sign}{number}{unit}",
    st.sampled_from(["", "+", "-"]),
    st.integers(min_value=0, max_value=9999),
    st.sampled_from(["d", "w"]),
)


@PROPERTY
@given(deadline_text, st.sampled_from(["", " ", "\t", "  "]))
def test_relative_deadline_text_round_trips(text: str, padding: str) -> None:
    deadline = RelativeDeadline.parse(padding + text + padding)
    assert RelativeDeadline.parse(str(deadline)) == deadline
    number = int(text.lstrip("+-")[:-1]) * (7 if text.endswith("w") else 1)
    assert deadline.days == (-number if text.startswith("-") else number)


@PROPERTY
@given(st.integers(min_value=-9999, max_value=9999))
def test_every_day_count_the_parser_can_read_is_written_readably(days: int) -> None:
    deadline = RelativeDeadline(days)
    assert RelativeDeadline.parse(str(deadline)) == deadline
