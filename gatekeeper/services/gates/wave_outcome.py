"""What a wave's go-live decision does: the wave's terms on a vote, and the effect.

A vote in a wave review may carry terms: `go`/`conditional_go` without named
units (`exclude_units`, which move to the later wave `move_to_wave`), or
`no_go` with a new go-live date (`postpone_to`: the wave is postponed). Terms
are checked when the vote is cast; a refused term is a Swedish error naming
its field. Recycle and kill concern the whole project and are refused for a
wave.

When the review is decided (`gatekeeper.services.gates.outcome.decide` calls
`resolve` and then `apply`, inside the voting transaction, instead of moving
the project's phase):

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
from gatekeeper.errors import ValidationFailed
from gatekeeper.services import change
from gatekeeper.store.gates.tables import GateReview, ReviewVote
from gatekeeper.store.projects.tables import Project
from gatekeeper.store.rollout.unit_tables import Unit, Wave
from gatekeeper.store.rollout.wave_tables import WaveRequiredUnit


@dataclass(frozen=True)
class WaveTerms:
    """The wave terms of one vote, checked."""

    exclude_units: tuple[str, ...] = ()
    move_to_wave: str | None = None
    postpone_to: date | None = None


def _wave_of(session: Session, review: GateReview) -> Wave:
    wave = session.get(Wave, review.wave_id)
    assert wave is not None
    return wave


def _waves(session: Session, project: Project) -> list[Wave]:
    return list(
        session.exec(
            select(Wave)
            .where(Wave.project_id == project.id)
            .order_by(col(Wave.position), col(Wave.go_live_on), col(Wave.id))
        ).all()
    )


def _with_followers(units: Sequence[Unit], chosen: Sequence[Unit], wave_id: int) -> list[Unit]:
    """The chosen units and every unit below them that sits in the same wave."""
    children: dict[int | None, list[Unit]] = {}
    for unit in units:
        children.setdefault(unit.parent_id, []).append(unit)
    found: dict[int | None, Unit] = {}
    frontier = list(chosen)
    while frontier:
        unit = frontier.pop(0)
        if unit.id in found or unit.wave_id != wave_id:
            continue
        found[unit.id] = unit
        frontier.extend(children.get(unit.id, []))
    return list(found.values())


def check_terms(
    *,
    session: Session,
    project: Project,
    review: GateReview,
    outcome: Outcome,
    exclude_units: Sequence[str],
    move_to_wave: str | None,
    postpone_to: date | None,
    today: date,
) -> WaveTerms:
    """The vote's wave terms, or a ValidationFailed naming the field that is wrong."""
    keys = tuple(dict.fromkeys(k.strip() for k in exclude_units if k.strip()))
    target_key = move_to_wave.strip() if move_to_wave and move_to_wave.strip() else None
    if review.wave_id is None:
        for name, given in (
            ("exclude_units", keys),
            ("move_to_wave", target_key),
            ("postpone_to", postpone_to),
        ):
            if given:
                raise ValidationFailed(
                    f"{name} anges bara i beslut om en vågs driftstart.", field=name
                )
        return WaveTerms()
    wave = _wave_of(session, review)
    if outcome in (Outcome.RECYCLE, Outcome.KILL):
        raise ValidationFailed(
            f"Beslutet gäller {wave.name}: välj go, go med villkor, no-go (med nytt datum för "
            "att skjuta upp vågen) eller paus. Återgång och avbrott gäller hela projektet.",
            field="outcome",
        )
    if keys or target_key:
        _check_exclusion(session, project, wave, outcome, keys, target_key)
    if postpone_to is not None:
        if outcome is not Outcome.NO_GO:
            raise ValidationFailed(
                "Ett nytt datum för driftstart anges vid no-go (vågen skjuts upp).",
                field="postpone_to",
            )
        if postpone_to <= wave.go_live_on or postpone_to <= today:
            raise ValidationFailed(
                f"Det nya datumet för driftstart ska vara efter vågens nuvarande "
                f"({wave.go_live_on.isoformat()}) och efter i dag.",
                field="postpone_to",
            )
    return WaveTerms(keys, target_key if keys else None, postpone_to)


def _check_exclusion(
    session: Session,
    project: Project,
    wave: Wave,
    outcome: Outcome,
    keys: tuple[str, ...],
    target_key: str | None,
) -> None:
    if outcome not in APPROVALS:
        raise ValidationFailed(
            "Enheter undantas bara vid go eller go med villkor för resten av vågen.",
            field="exclude_units",
        )
    if not keys:
        raise ValidationFailed(
            "Ange vilka enheter som inte går i drift med vågen.", field="exclude_units"
        )
    if target_key is None:
        raise ValidationFailed(
            "Ange vilken senare våg de undantagna enheterna flyttas till.", field="move_to_wave"
        )
    waves = {w.key: w for w in _waves(session, project)}
    target = waves.get(target_key)
    if target is None:
        raise ValidationFailed(
            f"Vågen '{target_key}' finns inte i projektet {project.name}.", field="move_to_wave"
        )
    if target.id == wave.id or target.go_live_on <= wave.go_live_on:
        raise ValidationFailed(
            f"{target.name} har driftstart {target.go_live_on.isoformat()}, inte efter "
            f"{wave.name} ({wave.go_live_on.isoformat()}); välj en senare våg.",
            field="move_to_wave",
        )
    if target.status is WaveStatus.LIVE:
        raise ValidationFailed(f"{target.name} är redan i drift.", field="move_to_wave")
    units = list(session.exec(select(Unit).where(Unit.project_id == project.id)).all())
    by_key = {u.key: u for u in units}
    names = {w.id: w.name for w in waves.values()}
    chosen = []
    for key in keys:
        unit = by_key.get(key)
        if unit is None:
            raise ValidationFailed(
                f"Enheten '{key}' finns inte i projektet {project.name}.", field="exclude_units"
            )
        if unit.wave_id != wave.id:
            where = names.get(unit.wave_id, "ingen våg") if unit.wave_id else "ingen våg"
            raise ValidationFailed(
                f"{unit.name} ingår inte i {wave.name} (utan i {where}).", field="exclude_units"
            )
        chosen.append(unit)
    assert wave.id is not None
    moving = _with_followers(units, chosen, wave.id)
    if len(moving) >= sum(1 for u in units if u.wave_id == wave.id):
        raise ValidationFailed(
            f"Alla enheter i {wave.name} kan inte undantas; välj no-go och skjut upp vågen.",
            field="exclude_units",
        )


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
    wave = _wave_of(session, review)
    assert wave.id is not None
    waves = {w.key: w for w in _waves(session, project)}
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
        for other in _waves(session, project):
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
    targets = {w.key: w for w in _waves(session, project)}
    for key, target_key in effect.moves.items():
        unit, target = by_key.get(key), targets[target_key]
        if unit is None or unit.wave_id != wave.id:
            continue  # removed or moved away since the vote
        moving = _with_followers(units, [unit], wave.id)
        ids = [u.id for u in moving]
        for moved in moving:
            moved.wave_id = target.id
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
    for wave in _waves(session, project):
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
