"""Criterion `goals_measured`: every goal chosen has a measurement at each passed mätpunkt.

The goals judged are the project's goals of the `kinds` given (all kinds when
none are) and, if `goals` names any by key, only those. A mätpunkt that has
passed by the evaluation date counts as measured when a measurement is dated
on or after it (the 3-month measurement may be taken a week late).
"""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from gatekeeper.core.criteria.base import Criterion, CriterionResult, GateContext
from gatekeeper.core.followup.goal import GoalKind, GoalState


def chosen_goals(
    context: GateContext, kinds: tuple[GoalKind, ...], keys: tuple[str, ...]
) -> tuple[tuple[GoalState, ...], tuple[str, ...]]:
    """(the goals a goal criterion judges, the named keys the project has no goal for)."""
    goals = tuple(g for g in context.goals if not kinds or g.kind in kinds)
    if not keys:
        return goals, ()
    known = {g.key for g in context.goals}
    return tuple(g for g in goals if g.key in keys), tuple(k for k in keys if k not in known)


class GoalsMeasured(Criterion):
    """Each chosen goal has a measurement on or after every mätpunkt passed by today."""

    kind: Literal["goals_measured"] = "goals_measured"
    kinds: tuple[GoalKind, ...] = Field(
        default=(), description="Goal kinds judged (effektmal, projektmal, delmal, nytta); all."
    )
    goals: tuple[str, ...] = Field(default=(), description="Goal keys judged; all of the kinds.")
    min_goals: int = Field(
        default=1, ge=0, le=1000, description="At least this many goals must be judged."
    )
    title_sv = "Målen mätta vid sina mätpunkter"

    def evaluate(self, context: GateContext) -> CriterionResult:
        goals, unknown = chosen_goals(context, self.kinds, self.goals)
        missing = tuple((g, point) for g in goals for point in g.missing_points(context.today))
        due = sum(
            1
            for g in goals
            for point in g.measure_points
            if context.today is None or point <= context.today
        )
        too_few = len(goals) < self.min_goals
        passed = not missing and not unknown and not too_few
        details = tuple(f"Målet '{key}' finns inte i projektet" for key in unknown) + tuple(
            f"{g.title}: mätning saknas för mätpunkten {point.isoformat()}" for g, point in missing
        )
        details_da = tuple(f"Målet '{key}' findes ikke i projektet" for key in unknown) + tuple(
            f"{g.title}: måling mangler for sigtepunktet {point.isoformat()}"
            for g, point in missing
        )
        if unknown:
            sv = f"Mål saknas i projektet: {', '.join(unknown)}."
            en = f"Goals missing from the project: {', '.join(unknown)}."
            da = f"Mål mangler i projektet: {', '.join(unknown)}."
        elif too_few:
            sv = f"{len(goals)} mål är registrerade; minst {self.min_goals} ska följas upp."
            en = (
                f"{len(goals)} goals are recorded; at least {self.min_goals} are to be followed up."
            )
            da = f"{len(goals)} mål er registreret; mindst {self.min_goals} skal følges op."
        elif missing:
            sv = f"{len(missing)} av {due} mätningar som har passerat saknas."
            en = f"{len(missing)} of {due} measurements now due are missing."
            da = f"{len(missing)} af {due} målinger, der er passeret, mangler."
        else:
            sv = f"Alla {due} mätningar som har passerat är gjorda ({len(goals)} mål)."
            en = f"All {due} measurements due are taken ({len(goals)} goals)."
            da = f"Alle {due} målinger, der er passeret, er foretaget ({len(goals)} mål)."
        return CriterionResult(
            kind=self.kind,
            passed=passed,
            measured=f"{due - len(missing)} av {due} mätningar",
            required=f"{due} av {due}",
            message_sv=sv,
            message_en=en,
            details=details,
            message_da=da,
            measured_da=f"{due - len(missing)} af {due} målinger",
            required_da=f"{due} af {due}",
            details_da=details_da,
        )
