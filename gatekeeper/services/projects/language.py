"""The language a project's people read: its workflow's `language:` (sv, da or en).

The web pages of a project whose workflow is Danish are shown in Danish to
everyone who has not chosen a language (`web/sessions.web_project_reader`
asks here); the workflow comes from the project's stored snapshot, cached
per content hash, so this is one small read.
"""

from __future__ import annotations

from gatekeeper.services.context import Context
from gatekeeper.services.definitions import project_workflow
from gatekeeper.services.lookup import project_by_key


def project_language(ctx: Context, project_key: str) -> str:
    """The language of the project's workflow; raises `NotFound` for an unknown project."""
    with ctx.db.read() as session:
        project = project_by_key(session=session, key=project_key)
        return project_workflow(session=session, project=project).language


__all__ = ["project_language"]
