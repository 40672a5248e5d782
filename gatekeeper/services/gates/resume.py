"""Pausing, terminating and resuming a project: the status a decision sets, and resuming.

A hold decision pauses the project (`ProjectPaused`) and a kill terminates it
(`ProjectTerminated`); a member of a deciding role resumes a paused project
(`ProjectResumed`), which plans again the waves a hold paused.
"""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Session

from gatekeeper.core.actor import Actor
from gatekeeper.core.engine import Standing, engine_for
from gatekeeper.core.events.gates import (
    ProjectPaused,
    ProjectResumed,
    ProjectTerminated,
    StatusAfter,
    StatusBefore,
)
from gatekeeper.core.status import ProjectStatus
from gatekeeper.errors import PermissionDenied
from gatekeeper.services import change, validation
from gatekeeper.services.context import Context
from gatekeeper.services.definitions import project_workflow
from gatekeeper.services.gates.seat import member_roles
from gatekeeper.services.gates.wave_outcome import resume_waves
from gatekeeper.services.lookup import project_by_key
from gatekeeper.store.projects.tables import Project


def set_status(
    *,
    session: Session,
    project: Project,
    status: ProjectStatus,
    at: datetime,
    actor: str,
    reason: str,
) -> None:
    """Set the project's status and record it as paused, terminated or resumed."""
    before = project.status
    project.status = status
    event = {
        ProjectStatus.ON_HOLD: ProjectPaused,
        ProjectStatus.TERMINATED: ProjectTerminated,
        ProjectStatus.ACTIVE: ProjectResumed,
    }[status]
    change.record(
        session,
        event(
            object_id=project.key,
            before=StatusBefore(before.value),
            after=StatusAfter(status=status.value, reason=reason),
        ),
        by=actor,
        at=at,
        project=project,
        row=project,
    )


def resume_project(ctx: Context, actor: Actor, *, project_key: str, motivation: str) -> Project:
    """Resume a paused project; only a member of a deciding role may."""
    motivation = validation.text(
        motivation, field="motivation", label="Motiveringen", max_length=4000
    )
    now = ctx.clock.now()
    with ctx.db.write() as session:
        project = project_by_key(session=session, key=project_key, lock=True)
        workflow = project_workflow(session=session, project=project)
        after = engine_for(workflow).after_resume(
            Standing(project.phase, project.status), project_name=project.name
        )
        deciders = {g.approval.deciders for g in workflow.gates if g.approval}
        roles = member_roles(session=session, project=project).get(actor.id, frozenset())
        if not roles & deciders:
            raise PermissionDenied(
                "Bara en beslutande ledamot ("
                + ", ".join(sorted(deciders))
                + ") kan återuppta projektet."
            )
        set_status(
            session=session,
            project=project,
            status=after.status,
            at=now,
            actor=str(actor),
            reason=motivation,
        )
        resume_waves(session=session, project=project, at=now, actor=str(actor))
        return project
