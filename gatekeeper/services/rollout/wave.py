"""Waves (vågor) of a rollout: units that go live together on one go-live date.

A wave's go-live date (driftstart) is the target of every unit checklist
deadline in it: moving the date moves every deadline of its units, because
deadlines are computed when read. Only the projektledare (or an
administrator) creates and changes waves.
"""

from __future__ import annotations

import re
from datetime import date

from sqlalchemy import func
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from gatekeeper.core.actor import Actor
from gatekeeper.core.events.rollout import WaveCreated, WaveState, WaveUpdated
from gatekeeper.errors import Conflict, NotFound, ValidationFailed
from gatekeeper.services import change, validation
from gatekeeper.services.context import Context
from gatekeeper.services.lookup import check_version, project_by_key, require_active
from gatekeeper.services.rollout.access import require_manager
from gatekeeper.store.projects.tables import Project
from gatekeeper.store.rollout.unit_tables import Wave

ROLLOUT_KEY_PATTERN = r"^[a-z0-9][a-z0-9_-]{0,98}[a-z0-9]$|^[a-z0-9]$"  # in the OpenAPI document
_KEY = re.compile(ROLLOUT_KEY_PATTERN)


def rollout_key(value: str, *, field: str, label: str) -> str:
    """A wave or unit key: lowercase a–z, digits, '-' and '_', at most 100 characters."""
    cleaned = value.strip()
    if not _KEY.match(cleaned):
        raise ValidationFailed(
            f"{label} '{value}' ska vara 1–100 tecken: små bokstäver a–z, siffror, "
            "bindestreck och understreck, t.ex. vag-1 eller boras-hemtjanst-norr.",
            field=field,
        )
    return cleaned


def _state(wave: Wave) -> WaveState:
    return WaveState(
        key=wave.key,
        name=wave.name,
        go_live_on=wave.go_live_on.isoformat(),
        position=wave.position,
        status=wave.status.value,
    )


def wave_by_key(*, session: Session, project: Project, key: str, lock: bool = False) -> Wave:
    """The project's wave `key`; NotFound otherwise."""
    statement = select(Wave).where(Wave.project_id == project.id, Wave.key == key)
    if lock:
        statement = statement.with_for_update()
    wave = session.exec(statement).one_or_none()
    if wave is None:
        raise NotFound(f"Vågen '{key}' finns inte i projektet {project.name}.")
    return wave


def create_wave(
    ctx: Context,
    actor: Actor,
    *,
    project_key: str,
    key: str,
    name: str,
    go_live_on: date,
    position: int | None = None,
) -> Wave:
    """Create a wave with its go-live date; it is placed last unless `position` is given."""
    key = rollout_key(key, field="key", label="Vågens nyckel")
    name = validation.text(name, field="name", label="Vågens namn", max_length=200)
    if not isinstance(go_live_on, date):
        raise ValidationFailed("Driftstart ska vara ett datum (ÅÅÅÅ-MM-DD).", field="go_live_on")
    now = ctx.clock.now()
    with ctx.db.write() as session:
        project = project_by_key(session=session, key=project_key, lock=True)
        require_active(project)
        require_manager(session=session, project=project, actor=actor)
        assert project.id is not None
        existing = session.exec(
            select(Wave.id).where(Wave.project_id == project.id, Wave.key == key)
        ).first()
        if existing is not None:
            raise Conflict(f"Det finns redan en våg med nyckeln '{key}' i projektet.")
        if position is None:
            last = session.exec(
                select(func.max(Wave.position)).where(Wave.project_id == project.id)
            ).one()
            position = 1 if last is None else int(last) + 1
        wave = Wave(
            project_id=project.id,
            key=key,
            name=name,
            go_live_on=go_live_on,
            position=position,
            created_at=now,
        )
        session.add(wave)
        try:
            session.flush()
        except IntegrityError:
            raise Conflict(f"Det finns redan en våg med nyckeln '{key}' i projektet.") from None
        change.record(
            session,
            WaveCreated(object_id=f"{project.key}/{key}", after=_state(wave)),
            by=actor,
            at=now,
            project=project,
        )
        return wave


def update_wave(
    ctx: Context,
    actor: Actor,
    *,
    project_key: str,
    wave_key: str,
    name: str | None = None,
    go_live_on: date | None = None,
    expected_version: int | None = None,
) -> Wave:
    """Rename a wave or move its go-live date (every unit deadline in it follows)."""
    if name is not None:
        name = validation.text(name, field="name", label="Vågens namn", max_length=200)
    if go_live_on is not None and not isinstance(go_live_on, date):
        raise ValidationFailed("Driftstart ska vara ett datum (ÅÅÅÅ-MM-DD).", field="go_live_on")
    now = ctx.clock.now()
    with ctx.db.write() as session:
        project = project_by_key(session=session, key=project_key, lock=True)
        require_active(project)
        require_manager(session=session, project=project, actor=actor)
        wave = wave_by_key(session=session, project=project, key=wave_key, lock=True)
        check_version(wave.row_version, expected_version, f"Vågen {wave.name}")
        before = _state(wave)
        if name is not None:
            wave.name = name
        if go_live_on is not None:
            wave.go_live_on = go_live_on
        after = _state(wave)
        if after == before:
            return wave
        change.record(
            session,
            WaveUpdated(object_id=f"{project.key}/{wave.key}", before=before, after=after),
            by=actor,
            at=now,
            project=project,
            row=wave,
        )
        return wave


def waves_in(*, session: Session, project: Project) -> list[Wave]:
    """The project's waves in order (position, then go-live date)."""
    return list(
        session.exec(
            select(Wave)
            .where(Wave.project_id == project.id)
            .order_by(col(Wave.position), col(Wave.go_live_on), col(Wave.id))
        ).all()
    )


def list_waves(ctx: Context, project_key: str) -> list[Wave]:
    """Every wave of the project, in order."""
    with ctx.db.read() as session:
        project = project_by_key(session=session, key=project_key)
        return waves_in(session=session, project=project)


def get_wave(ctx: Context, project_key: str, wave_key: str) -> Wave:
    """One wave of the project."""
    with ctx.db.read() as session:
        project = project_by_key(session=session, key=project_key)
        return wave_by_key(session=session, project=project, key=wave_key)
