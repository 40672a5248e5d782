"""The closed registry of criterion kinds.

YAML names a kind and its parameters; this dict maps the kind to its class.
A new kind is one class, one line here, one entry in docs/formats.md and one
test. Nothing from YAML is ever evaluated as code.
"""

from __future__ import annotations

from typing import Annotated

from pydantic import Field

from gatekeeper.core.criteria.base import Criterion, CriterionResult, GateContext
from gatekeeper.core.criteria.completion_share import CompletionShare
from gatekeeper.core.criteria.decisions_taken import DecisionsTaken
from gatekeeper.core.criteria.goal_targets_reached import GoalTargetsReached
from gatekeeper.core.criteria.goals_measured import GoalsMeasured
from gatekeeper.core.criteria.mandatory_items import MandatoryItemsDone
from gatekeeper.core.criteria.named_units_ready import NamedUnitsReady
from gatekeeper.core.criteria.risk_score import MaxOpenRiskScore
from gatekeeper.core.criteria.subprojects_handed_over import SubprojectsHandedOver
from gatekeeper.core.criteria.units_ready_share import UnitsReadyShare

CRITERION_KINDS: dict[str, type[Criterion]] = {
    "mandatory_items_done": MandatoryItemsDone,
    "completion_share": CompletionShare,
    "max_open_risk_score": MaxOpenRiskScore,
    "decisions_taken": DecisionsTaken,
    "units_ready_share": UnitsReadyShare,
    "named_units_ready": NamedUnitsReady,
    "goals_measured": GoalsMeasured,
    "goal_targets_reached": GoalTargetsReached,
    "subprojects_handed_over": SubprojectsHandedOver,
}

# The kinds that look at the project's goals: a gate judges goals only when it has one.
GOAL_CRITERIA = frozenset({"goals_measured", "goal_targets_reached"})

AnyCriterion = Annotated[
    MandatoryItemsDone
    | CompletionShare
    | MaxOpenRiskScore
    | DecisionsTaken
    | UnitsReadyShare
    | NamedUnitsReady
    | GoalsMeasured
    | GoalTargetsReached
    | SubprojectsHandedOver,
    Field(discriminator="kind"),
]

__all__ = [
    "CRITERION_KINDS",
    "GOAL_CRITERIA",
    "AnyCriterion",
    "Criterion",
    "CriterionResult",
    "GateContext",
]
