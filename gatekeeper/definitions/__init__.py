"""Definitions: workflows and checklist templates read from YAML.

Reading (`source`), the document models and JSON Schema (`documents`), plain
English messages (`messages`), building core objects (`convert`), the
cross-reference rules (`validation`) and the catalog of everything loaded
(`catalog`). Plain Python: no web framework, ORM or scheduler is imported here.
"""

from __future__ import annotations

from gatekeeper.definitions.catalog import (
    Catalog,
    ChecklistDefinition,
    WorkflowDefinition,
    load_catalog,
    validate_paths,
)
from gatekeeper.definitions.convert import content_hash, to_checklist, to_workflow
from gatekeeper.definitions.documents import ChecklistDocument, WorkflowDocument, json_schema
from gatekeeper.definitions.loader import FileResult, load_file, load_text
from gatekeeper.definitions.locator import Locator
from gatekeeper.definitions.shipped import shipped_checklists_dir, shipped_workflows_dir
from gatekeeper.definitions.source import Source, parse_source, read_source
from gatekeeper.definitions.validation import validate_text

__all__ = [
    "Catalog",
    "ChecklistDefinition",
    "ChecklistDocument",
    "FileResult",
    "Locator",
    "Source",
    "WorkflowDefinition",
    "WorkflowDocument",
    "content_hash",
    "json_schema",
    "load_catalog",
    "load_file",
    "load_text",
    "parse_source",
    "read_source",
    "shipped_checklists_dir",
    "shipped_workflows_dir",
    "to_checklist",
    "to_workflow",
    "validate_paths",
    "validate_text",
]
