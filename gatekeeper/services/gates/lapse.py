"""When a standing go lapses: the gate's date moved past it, or an item it relied on
was unticked.

A consequence of a change, not a use case: `consequences` calls
`lapse_if_relied_on` when a gate's target date moves or a checklist item is
unticked, and records the `DecisionLapsed` it returns with the decision row
(whose version the recorder bumps). Nothing here records or commits.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import bindparam
from sqlmodel import Session, col, select

from gatekeeper.core.events.gates import DecisionLapsed, Lapse, NotLapsed
from gatekeeper.core.outcome import Outcome
from gatekeeper.store.gates.tables import GateDecision
from gatekeeper.store.projects.tables import Project


@dataclass(frozen=True)
class LapsedDecision:
    """The lapse to record: the event and the decision row it changed."""

    event: DecisionLapsed
    decision: GateDecision


# Built once: every unticked item and moved gate date asks, and building the statement
# cost more than running it.
_LATEST_DECISION = (
    select(GateDecision)
    .where(
        GateDecision.project_id == bindparam("project_id"),
        GateDecision.gate_id == bindparam("gate_id"),
        GateDecision.lap == bindparam("lap"),
        col(GateDecision.wave_id).is_(None),
    )
    .order_by(col(GateDecision.decided_at).desc(), col(GateDecision.id).desc())
    .limit(1)
)


def latest_decision(*, session: Session, project: Project, gate_id: str) -> GateDecision | None:
    """The project's own latest decision of the gate in its current lap (a wave's
    decisions are the wave's; an earlier lap's stand as they were, never lapsed by this one)."""
    return session.exec(
        _LATEST_DECISION,
        params={"project_id": project.id, "gate_id": gate_id, "lap": project.lap},
    ).first()


def lapse_if_relied_on(
    *,
    session: Session,
    project: Project,
    gate_id: str,
    at: datetime,
    new_target: date | None = None,
    unticked_item: str | None = None,
) -> LapsedDecision | None:
    """Flag the gate's standing go decision as lapsed when what it relied on changed.

    `new_target`: the gate's target date moved (a go lapses when it moves past
    the date it was given for). `unticked_item`: `checklist/item` of a
    mandatory item that was done in the decision's snapshot and now is not.
    """
    decision = latest_decision(session=session, project=project, gate_id=gate_id)
    if decision is None or decision.lapsed_at is not None:
        return None
    if decision.outcome not in (Outcome.GO, Outcome.CONDITIONAL_GO):
        return None
    reason = None
    if (
        new_target is not None
        and decision.valid_for_target is not None
        and new_target > decision.valid_for_target
    ):
        reason = (
            f"Måldatumet flyttades till {new_target.isoformat()}, efter "
            f"{decision.valid_for_target.isoformat()} som beslutet gällde."
        )
    if unticked_item is not None:
        relied = decision.record.get("snapshot", {}).get("items", {}).get(unticked_item)
        if relied and relied.get("mandatory") and relied.get("status") == "done":
            reason = (
                f"Den obligatoriska punkten {unticked_item} som beslutet byggde på "
                "är inte längre klar."
            )
    if reason is None:
        return None
    decision.lapsed_at = at
    decision.lapse_reason = reason
    return LapsedDecision(
        DecisionLapsed(
            object_id=str(decision.id),
            before=NotLapsed(),
            after=Lapse(reason=reason, gate=gate_id),
        ),
        decision,
    )
