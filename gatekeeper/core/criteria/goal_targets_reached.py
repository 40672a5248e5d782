"""Criterion `goal_targets_reached`: the chosen goals' latest measurements reach their targets.

The goals judged are chosen as `goals_measured` chooses them (kinds, named
keys); a goal without a target or without a measurement has not reached it.
Which way is "reached" (up or down) is the comparison rule of
`core/followup/goal`.
"""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from gatekeeper.core.criteria.base import Criterion, CriterionResult, GateContext
from gatekeeper.core.criteria.goals_measured import chosen_goals
from gatekeeper.core.followup.goal import GoalKind


class GoalTargetsReached(Criterion):
    """Each chosen goal's latest measurement has reached its målvärde."""

    kind: Literal["goal_targets_reached"] = "goal_targets_reached"
    kinds: tuple[GoalKind, ...] = Field(
        default=(), description="Goal kinds judged (effektmal, projektmal, delmal, nytta); all."
    )
    goals: tuple[str, ...] = Field(default=(), description="Goal keys judged; all of the kinds.")
    min_goals: int = Field(
        default=1, ge=0, le=1000, description="At least this many goals must be judged."
    )
    title_sv = "Målvärdena nådda"

    def evaluate(self, context: GateContext) -> CriterionResult:
        goals, unknown = chosen_goals(context, self.kinds, self.goals)
        short = tuple(g for g in goals if not g.reached())
        reached = len(goals) - len(short)
        too_few = len(goals) < self.min_goals
        passed = not short and not unknown and not too_few

        def line(title: str, latest: str | None, target: str, *, danish: bool = False) -> str:
            if latest is None:
                return f"{title}: {'ikke målt' if danish else 'inte mätt'}"
            return f"{title}: {latest} ({'målværdi' if danish else 'målvärde'} {target})"

        details = tuple(f"Målet '{key}' finns inte i projektet" for key in unknown) + tuple(
            line(g.title, g.latest.value if g.latest else None, g.target) for g in short
        )
        details_da = tuple(f"Målet '{key}' findes ikke i projektet" for key in unknown) + tuple(
            line(g.title, g.latest.value if g.latest else None, g.target, danish=True)
            for g in short
        )
        if unknown:
            sv = f"Mål saknas i projektet: {', '.join(unknown)}."
            en = f"Goals missing from the project: {', '.join(unknown)}."
            da = f"Mål mangler i projektet: {', '.join(unknown)}."
        elif too_few:
            sv = f"{len(goals)} mål är registrerade; minst {self.min_goals} ska nå sina målvärden."
            en = f"{len(goals)} goals are recorded; at least {self.min_goals} are to reach targets."
            da = f"{len(goals)} mål er registreret; mindst {self.min_goals} skal nå målværdien."
        elif short:
            sv = f"{len(short)} av {len(goals)} mål har inte nått sitt målvärde."
            en = f"{len(short)} of {len(goals)} goals have not reached their target."
            da = f"{len(short)} af {len(goals)} mål har ikke nået deres målværdi."
        else:
            sv = f"Alla {len(goals)} mål har nått sina målvärden."
            en = f"All {len(goals)} goals have reached their targets."
            da = f"Alle {len(goals)} mål har nået deres målværdier."
        return CriterionResult(
            kind=self.kind,
            passed=passed,
            measured=f"{reached} av {len(goals)} mål",
            required=f"{len(goals)} av {len(goals)}",
            message_sv=sv,
            message_en=en,
            details=details,
            message_da=da,
            measured_da=f"{reached} af {len(goals)} mål",
            required_da=f"{len(goals)} af {len(goals)}",
            details_da=details_da,
        )
