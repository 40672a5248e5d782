"""Definition snapshots: the workflow and checklist versions projects run on.

When a project starts, the exact workflow document (and each checklist it
uses) is stored in the database under its id, version and content hash. A
project is always rebuilt from that snapshot, so editing or removing a YAML
file never changes what a running project must do; a new version reaches a
project only by an explicit migration.
"""

from __future__ import annotations

import threading
from datetime import datetime
from typing import Any

from sqlmodel import Session, select

from gatekeeper.core.actor import Actor
from gatekeeper.core.events import EventName
from gatekeeper.core.phase_model import Workflow
from gatekeeper.definitions import to_workflow
from gatekeeper.errors import Conflict, NotFound
from gatekeeper.store.audit import chain as audit
from gatekeeper.store.projects.tables import DefinitionSnapshot, Project

_WORKFLOWS: dict[str, Workflow] = {}
_WORKFLOWS_LOCK = threading.Lock()


def ensure_snapshot(
    *,
    session: Session,
    kind: str,
    definition_id: str,
    version: int,
    content_hash: str,
    document: dict[str, Any],
    actor: Actor,
    at: datetime,
) -> DefinitionSnapshot:
    """The stored snapshot of this definition version, storing it if new.

    Refused when the same id and version were stored before with other
    content: the YAML was edited without bumping its version.
    """
    existing = session.exec(
        select(DefinitionSnapshot).where(
            DefinitionSnapshot.kind == kind,
            DefinitionSnapshot.definition_id == definition_id,
            DefinitionSnapshot.version == version,
        )
    ).one_or_none()
    if existing is not None:
        if existing.content_hash != content_hash:
            raise Conflict(
                f"{kind} '{definition_id}' version {version} is already used by projects with "
                "other content; give the changed file a new version number"
            )
        return existing
    snapshot = DefinitionSnapshot(
        kind=kind,
        definition_id=definition_id,
        version=version,
        content_hash=content_hash,
        document=document,
        registered_at=at,
    )
    session.add(snapshot)
    session.flush()
    audit.record(
        session=session,
        at=at,
        actor=str(actor),
        action=EventName.DEFINITION_REGISTERED,
        object_type=kind,
        object_id=f"{definition_id}@{version}",
        after={"id": definition_id, "version": version, "content_hash": content_hash},
    )
    return snapshot


def project_workflow(*, session: Session, project: Project) -> Workflow:
    """The workflow version the project runs on, rebuilt from its snapshot."""
    with _WORKFLOWS_LOCK:
        cached = _WORKFLOWS.get(project.workflow_hash)
    if cached is not None:
        return cached
    snapshot = session.exec(
        select(DefinitionSnapshot).where(
            DefinitionSnapshot.kind == "workflow",
            DefinitionSnapshot.definition_id == project.workflow_id,
            DefinitionSnapshot.version == project.workflow_version,
        )
    ).one_or_none()
    if snapshot is None or snapshot.content_hash != project.workflow_hash:
        raise NotFound(
            f"Fasmodellen {project.workflow_id} version {project.workflow_version} "
            "saknas i databasen."
        )
    workflow = to_workflow(snapshot.document, content_hash=snapshot.content_hash)
    with _WORKFLOWS_LOCK:
        _WORKFLOWS[project.workflow_hash] = workflow
    return workflow
