"""Storing a definition snapshot: the exact workflow or checklist version a project uses.

When a project starts (or a rollout's unit checklist is first used), the
document is stored under its id, version and content hash, once; the same id
and version with other content is refused, since the YAML was edited without
bumping its version. `gatekeeper.services.definitions` rebuilds a project's
workflow from it.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlmodel import Session, select

from gatekeeper.core.actor import Actor
from gatekeeper.core.events.projects import DefinitionRegistered, DefinitionVersion
from gatekeeper.errors import Conflict
from gatekeeper.services import change
from gatekeeper.store.projects.tables import DefinitionSnapshot


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
    change.record(
        session,
        DefinitionRegistered(
            object_id=f"{definition_id}@{version}",
            kind=kind,
            after=DefinitionVersion(id=definition_id, version=version, content_hash=content_hash),
        ),
        by=actor,
        at=at,
    )
    return snapshot
