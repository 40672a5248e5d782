"""The readiness snapshot of a gate review: what the deciders approve, and its refresh.

The snapshot freezes criteria results, item completion, the state of every
item, open risks and open conditions (and, in a wave review, the wave and
whether each of its units is ready). Its hash travels with every vote; when
readiness changes during a review the snapshot is replaced
(`ReviewSnapshotChanged`) and votes cast on the old one no longer count (a
reviewer approved something else than what now stands).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlmodel import Session, col, select

from gatekeeper.core.actor import Actor
from gatekeeper.core.events.gates import ReviewSnapshotChanged, Snapshot
from gatekeeper.core.phase_model import Workflow
from gatekeeper.core.status import RiskStatus
from gatekeeper.definitions import content_hash
from gatekeeper.services import change
from gatekeeper.services.context import Context
from gatekeeper.services.gates.readiness import GateReadiness, readiness_in
from gatekeeper.store.gates.tables import GateReview
from gatekeeper.store.projects.tables import Project, Risk
from gatekeeper.store.rollout.unit_tables import Wave


def snapshot_of(readiness: GateReadiness, *, session: Session) -> dict[str, Any]:
    """The readiness the deciders look at, as plain data (no timestamps)."""
    risks: Sequence[Risk]
    if readiness.risks is not None:  # read with the readiness (`with_risks`): no query
        risks = sorted(
            (r for r in readiness.risks if r.status == RiskStatus.OPEN),
            key=lambda r: (-r.score, r.id or 0),
        )
    else:
        risks = session.exec(
            select(Risk)
            .where(Risk.project_id == readiness.project.id, Risk.status == RiskStatus.OPEN)
            .order_by(col(Risk.score).desc(), col(Risk.id))
        ).all()
    items = readiness.items
    counted = [item for item in items if item.state().counts]
    return {
        "gate": readiness.gate.id,
        "phase": readiness.project.phase,
        "target_date": readiness.target_date.isoformat() if readiness.target_date else None,
        "passed": readiness.verdict.passed,
        "criteria": [
            {
                "kind": r.kind,
                "passed": r.passed,
                "measured": r.measured,
                "required": r.required,
                "message_sv": r.message_sv,
                "details": list(r.details),
            }
            for r in readiness.verdict.results
        ],
        "items_total": len(counted),
        "items_done": sum(1 for item in counted if item.state().done),
        "items": {
            f"{item.checklist_id}/{item.row.item_id}": {
                "status": item.row.status.value,
                "mandatory": item.row.mandatory,
                "evidence": bool(item.row.evidence),
            }
            for item in items
        },
        "open_risks": [{"title": r.title, "score": r.score} for r in risks],
        **_wave_part(readiness),
    }


def _wave_part(readiness: GateReadiness) -> dict[str, Any]:
    """A wave review also freezes the wave and whether each of its units is ready (not
    their item counts: a tick that leaves every unit as ready as it was lapses no vote)."""
    wave, scope = readiness.wave, readiness.units
    if wave is None or scope is None:
        return {}
    return {
        "wave": {
            "key": wave.key,
            "name": wave.name,
            "go_live_on": wave.go_live_on.isoformat(),
            "status": wave.status.value,
        },
        "units": [{"key": u.key, "name": u.name, "ready": u.ready} for u in scope.units],
        "units_total": len(scope.units),
        "units_ready": sum(1 for u in scope.units if u.ready),
        "required_units": [
            {"key": u.key, "name": u.name, "ready": u.ready} for u in scope.required
        ],
    }


def refresh_snapshot(
    *,
    session: Session,
    project: Project,
    workflow: Workflow,
    review: GateReview,
    ctx: Context,
    actor: Actor,
    at: datetime,
) -> GateReadiness:
    """Re-judge readiness; if it changed since the snapshot, replace the snapshot."""
    gate = workflow.gate(review.gate_id)
    wave = session.get(Wave, review.wave_id) if review.wave_id is not None else None
    readiness = readiness_in(
        session=session,
        project=project,
        workflow=workflow,
        gate=gate,
        today=ctx.today(),
        wave=wave,
        with_risks=True,
    )
    snapshot = snapshot_of(readiness, session=session)
    fresh_hash = content_hash(snapshot)
    if fresh_hash != review.snapshot_hash:
        before = Snapshot(
            snapshot_hash=review.snapshot_hash, criteria_passed=review.snapshot["passed"]
        )
        review.snapshot = snapshot
        review.snapshot_hash = fresh_hash
        review.snapshot_at = at
        change.record(
            session,
            ReviewSnapshotChanged(
                object_id=str(review.id),
                before=before,
                after=Snapshot(snapshot_hash=fresh_hash, criteria_passed=snapshot["passed"]),
            ),
            by=actor,
            at=at,
            project=project,
            row=review,
        )
    return readiness
