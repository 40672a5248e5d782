"""The workflow a project runs on, rebuilt from its stored definition snapshot.

When a project starts, the exact workflow document (and each checklist it
uses) is stored in the database under its id, version and content hash
(`gatekeeper.services.projects.definition_snapshot`). A project is always
rebuilt from that snapshot, so editing or removing a YAML file never changes
what a running project must do; a new version reaches a project only by an
explicit migration.
"""

from __future__ import annotations

import threading

from sqlmodel import Session, select

from gatekeeper.core.phase_model import Workflow
from gatekeeper.definitions import to_workflow
from gatekeeper.errors import NotFound
from gatekeeper.store.projects.tables import DefinitionSnapshot, Project

_WORKFLOWS: dict[str, Workflow] = {}
_WORKFLOWS_LOCK = threading.Lock()


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
