"""What a wave's go-live decision does to the wave and its units.

When a wave review is decided (`gatekeeper.services.gates.outcome.decide`
calls `resolve` and then `apply`, inside the voting transaction, instead of
moving the project's phase), the terms of the counted votes
(`gatekeeper.services.gates.wave_terms`) say what happens:

- go / conditional_go: the wave is live. Units excluded by any counted
  approval (and the units below them in the same wave) move to a later wave,
  each move recorded on the unit as a decision; a unit named for several
  target waves goes to the latest of them (the cautious reading).
- hold: the rollout is paused: every planned wave is paused, and the project
  is put on hold (its reminders pause) until a decider resumes it, which
  resumes the paused waves too.
- no_go: the wave stays planned; if counted no_go votes name new dates, the
  wave's go-live moves to the latest of them (every unit deadline follows,
  being relative to it, and the reminders are re-planned). A split decision
  postpones nothing.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from sqlmodel import Session, col, select

from gatekeeper.core.events.rollout import (
    ByDecision,
    GoLive,
    PostponedGoLive,
    UnitMove,
    UnitMoved,
    UnitPlace,
    WavePostponed,
    WaveStatusChanged,
    WaveStatusState,
)
from gatekeeper.core.outcome import APPROVALS, Outcome
from gatekeeper.core.status import WaveStatus
from gatekeeper.services import change
from gatekeeper.services.gates.wave_units import wave_of, waves_of, with_followers
from gatekeeper.services.rollout import readiness_item_model as readiness_items
from gatekeeper.store.gates.tables import GateReview, ReviewVote
from gatekeeper.store.projects.tables import Project
from gatekeeper.store.rollout.unit_tables import Unit, Wave
from gatekeeper.store.rollout.wave_tables import WaveRequiredUnit


@dataclass(frozen=True)
class WaveEffect:
    """What the decision does to the wave, resolved from the counted votes."""

    wave_id: int
    outcome: Outcome
    moves: dict[str, str] = field(default_factory=dict)  # unit key -> target wave key
    postpone_to: date | None = None
    record: dict[str, Any] = field(default_factory=dict)  # for the decision register


def resolve(
    *,
    session: Session,
    project: Project,
    review: GateReview,
    outcome: Outcome,
    counted: Sequence[ReviewVote],
    split: bool,
) -> WaveEffect:
    """The wave effect of a decided review, from the terms of its counted votes."""
    wave = wave_of(session, review)
    assert wave.id is not None
    waves = {w.key: w for w in waves_of(session, project)}
    moves: dict[str, str] = {}
    if outcome in APPROVALS:
        for vote in counted:
            if vote.outcome not in APPROVALS or not vote.move_to_wave:
                continue
            target = waves.get(vote.move_to_wave)
            if target is None:
                continue
            for key in vote.exclude_units:
                earlier = waves.get(moves.get(key, ""))
                if earlier is None or (target.go_live_on, target.position) > (
                    earlier.go_live_on,
                    earlier.position,
                ):
                    moves[key] = target.key
    dates = [
        v.postpone_to for v in counted if v.outcome is Outcome.NO_GO and v.postpone_to is not None
    ]
    postpone = max(dates) if outcome is Outcome.NO_GO and dates and not split else None
    units = {
        u.key: u
        for u in session.exec(
            select(Unit).where(Unit.project_id == project.id, col(Unit.key).in_(list(moves)))
        ).all()
    }
    record: dict[str, Any] = {
        "key": wave.key,
        "name": wave.name,
        "go_live_on": wave.go_live_on.isoformat(),
        "moved": [
            {
                "key": key,
                "name": units[key].name if key in units else key,
                "to_wave": target,
                "to_wave_name": waves[target].name,
                "to_go_live_on": waves[target].go_live_on.isoformat(),
            }
            for key, target in moves.items()
        ],
        "postponed_to": postpone.isoformat() if postpone else None,
        "paused_waves": (
            [w.key for w in waves.values() if w.status is WaveStatus.PLANNED]
            if outcome is Outcome.HOLD
            else []
        ),
    }
    return WaveEffect(wave.id, outcome, moves, postpone, record)


def _set_wave_status(
    *, session: Session, project: Project, wave: Wave, status: WaveStatus, at: datetime, actor: str
) -> None:
    before = wave.status
    wave.status = status
    change.record(
        session,
        WaveStatusChanged(
            object_id=f"{project.key}/{wave.key}",
            before=WaveStatusState(before.value),
            after=WaveStatusState(status.value),
        ),
        by=actor,
        at=at,
        project=project,
        row=wave,
    )


def apply(
    *,
    session: Session,
    project: Project,
    effect: WaveEffect,
    decision_id: int,
    at: datetime,
    actor: str,
) -> None:
    """Carry out the wave effect inside the deciding transaction."""
    wave = session.get(Wave, effect.wave_id)
    assert wave is not None and wave.id is not None
    if effect.outcome in APPROVALS:
        _move_excluded(session, project, wave, effect, decision_id, at, actor)
        _set_wave_status(
            session=session, project=project, wave=wave, status=WaveStatus.LIVE, at=at, actor=actor
        )
    elif effect.outcome is Outcome.HOLD:
        for other in waves_of(session, project):
            if other.status is WaveStatus.PLANNED:
                _set_wave_status(
                    session=session,
                    project=project,
                    wave=other,
                    status=WaveStatus.PAUSED,
                    at=at,
                    actor=actor,
                )
    elif effect.postpone_to is not None:
        before = wave.go_live_on
        wave.go_live_on = effect.postpone_to
        change.record(
            session,
            WavePostponed(
                object_id=f"{project.key}/{wave.key}",
                before=GoLive(before.isoformat()),
                after=PostponedGoLive(
                    go_live_on=effect.postpone_to.isoformat(), decision=decision_id
                ),
            ),
            by=actor,
            at=at,
            project=project,
            row=wave,
        )


def _move_excluded(
    session: Session,
    project: Project,
    wave: Wave,
    effect: WaveEffect,
    decision_id: int,
    at: datetime,
    actor: str,
) -> None:
    if not effect.moves:
        return
    assert wave.id is not None
    units = list(session.exec(select(Unit).where(Unit.project_id == project.id)).all())
    by_key = {u.key: u for u in units}
    targets = {w.key: w for w in waves_of(session, project)}
    for key, target_key in effect.moves.items():
        unit, target = by_key.get(key), targets[target_key]
        if unit is None or unit.wave_id != wave.id:
            continue  # removed or moved away since the vote
        moving = with_followers(units, [unit], wave.id)
        ids = [u.id for u in moving]
        for moved in moving:
            moved.wave_id = target.id
        session.flush()
        assert project.id is not None
        readiness_items.recount(session=session, project_id=project.id)  # counted per wave
        for row in session.exec(
            select(WaveRequiredUnit).where(
                WaveRequiredUnit.wave_id == wave.id, col(WaveRequiredUnit.unit_id).in_(ids)
            )
        ).all():
            session.delete(row)
        session.flush()
        change.record(
            session,
            UnitMoved(
                object_id=f"{project.key}/{unit.key}",
                before=UnitPlace(wave=wave.key, go_live_on=wave.go_live_on.isoformat()),
                after=UnitMove(
                    wave=target.key,
                    go_live_on=target.go_live_on.isoformat(),
                    later=True,
                    motivation=f"Beslut om driftstart för {wave.name}: go utan enheten.",
                    decided_by=actor,
                    units=[u.key for u in moving],
                    by_decision=ByDecision(decision_id),
                ),
            ),
            by=actor,
            at=at,
            project=project,
            row=moving,
        )


def resume_waves(*, session: Session, project: Project, at: datetime, actor: str) -> list[str]:
    """The waves a hold paused are planned again (when the project is resumed); their keys."""
    resumed = []
    for wave in waves_of(session, project):
        if wave.status is WaveStatus.PAUSED:
            _set_wave_status(
                session=session,
                project=project,
                wave=wave,
                status=WaveStatus.PLANNED,
                at=at,
                actor=actor,
            )
            resumed.append(wave.key)
    return resumed
