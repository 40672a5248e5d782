"""The catalog of loaded definitions, and loading or validating folders of YAML.

`load_catalog` reads the workflow and checklist folders, checks every rule
across all files and either returns a frozen `Catalog` or raises one
`DefinitionError` listing every problem. `validate_paths` is the engine of
`gatekeeper validate`: it takes files or folders, tells workflows from
checklists by their `kind`, and returns the problems instead of raising.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import Any, TypeVar

from gatekeeper.core.checklist import ChecklistTemplate
from gatekeeper.core.phase_model import Gate, Workflow
from gatekeeper.definitions.advice import definition_warnings
from gatekeeper.definitions.convert import (
    canonical_json,
    checklist_from_document,
    workflow_from_document,
)
from gatekeeper.definitions.loader import FileResult, Kind, load_file, loaded_of, yaml_files
from gatekeeper.definitions.messages import sort_problems
from gatekeeper.definitions.shipped import shipped_checklists_dir, shipped_workflows_dir
from gatekeeper.definitions.validation import check_results, distinct
from gatekeeper.errors import DefinitionError, DefinitionProblem, NotFound

Key = tuple[str, int]
D = TypeVar("D", "WorkflowDefinition", "ChecklistDefinition")


@dataclass(frozen=True)
class WorkflowDefinition:
    """A loaded workflow with the plain document it was built from."""

    workflow: Workflow
    path: str
    document_json: str = field(repr=False)

    @property
    def content_hash(self) -> str:
        return self.workflow.content_hash

    @property
    def document(self) -> dict[str, Any]:
        """A fresh copy of the plain document (for a snapshot in the database)."""
        data: dict[str, Any] = json.loads(self.document_json)
        return data


@dataclass(frozen=True)
class ChecklistDefinition:
    """A loaded checklist template with the plain document it was built from."""

    checklist: ChecklistTemplate
    path: str
    document_json: str = field(repr=False)

    @property
    def content_hash(self) -> str:
        return self.checklist.content_hash

    @property
    def document(self) -> dict[str, Any]:
        """A fresh copy of the plain document (for a snapshot in the database)."""
        data: dict[str, Any] = json.loads(self.document_json)
        return data


@dataclass(frozen=True, repr=False)
class Catalog:
    """Every loaded definition: workflows and checklists by (id, version).

    Asking without a version gives the latest (highest) version of an id.
    """

    workflow_definitions: Mapping[Key, WorkflowDefinition] = field(
        default_factory=lambda: MappingProxyType({})
    )
    checklist_definitions: Mapping[Key, ChecklistDefinition] = field(
        default_factory=lambda: MappingProxyType({})
    )
    warnings: tuple[DefinitionProblem, ...] = ()

    def __repr__(self) -> str:
        workflows = ", ".join(f"{i}@{v}" for i, v in sorted(self.workflow_definitions))
        checklists = ", ".join(f"{i}@{v}" for i, v in sorted(self.checklist_definitions))
        return f"Catalog(workflows=[{workflows}], checklists=[{checklists}])"

    def workflow(self, workflow_id: str, version: int | None = None) -> Workflow:
        """The workflow `workflow_id` at `version` (None: the latest); NotFound otherwise."""
        return self.workflow_definition(workflow_id, version).workflow

    def workflow_definition(
        self, workflow_id: str, version: int | None = None
    ) -> WorkflowDefinition:
        """Like `workflow`, with the plain document and where it came from."""
        return _pick(self.workflow_definitions, "workflow", workflow_id, version)

    def checklist(self, checklist_id: str, version: int | None = None) -> ChecklistTemplate:
        """The checklist `checklist_id` at `version` (None: the latest); NotFound otherwise."""
        return self.checklist_definition(checklist_id, version).checklist

    def checklist_definition(
        self, checklist_id: str, version: int | None = None
    ) -> ChecklistDefinition:
        """Like `checklist`, with the plain document and where it came from."""
        return _pick(self.checklist_definitions, "checklist", checklist_id, version)

    def workflows(self, *, latest_only: bool = False) -> tuple[Workflow, ...]:
        """All workflows sorted by id and version (or only each id's latest)."""
        keys = _keys(self.workflow_definitions, latest_only)
        return tuple(self.workflow_definitions[key].workflow for key in keys)

    def checklists(self, *, latest_only: bool = False) -> tuple[ChecklistTemplate, ...]:
        """All checklists sorted by id and version (or only each id's latest)."""
        keys = _keys(self.checklist_definitions, latest_only)
        return tuple(self.checklist_definitions[key].checklist for key in keys)

    def checklists_of(self, gate: Gate) -> tuple[ChecklistTemplate, ...]:
        """The (latest) checklist templates a gate names, in the gate's order."""
        return tuple(self.checklist(checklist_id) for checklist_id in gate.checklists)


def load_catalog(
    workflow_dirs: Sequence[Path],
    checklist_dirs: Sequence[Path],
    *,
    extra_workflow_dirs: Sequence[Path] = (),
    extra_checklist_dirs: Sequence[Path] = (),
) -> Catalog:
    """Load every *.yaml / *.yml below the folders; raise `DefinitionError` listing
    every problem in every file, or return the catalog.

    The extra folders hold an installation's own definitions next to the main
    ones (by default those shipped): an id defined in both is a problem naming
    both files, so that an own file never silently becomes a new version of a
    shipped definition.
    """
    problems: list[DefinitionProblem] = []
    main = _load_folders(workflow_dirs, checklist_dirs, problems)
    extra = _load_folders(extra_workflow_dirs, extra_checklist_dirs, problems)
    results = [*main, *extra]
    problems.extend(check_results(results))
    problems.extend(_clashes(main, extra))
    if problems:
        raise DefinitionError(sort_problems(problems))
    return build_catalog(results, warnings=sort_problems(definition_warnings(results)))


def _load_folders(
    workflow_dirs: Sequence[Path], checklist_dirs: Sequence[Path], problems: list[DefinitionProblem]
) -> list[FileResult]:
    results: list[FileResult] = []
    folders: list[tuple[Path, Kind]] = [(d, "workflow") for d in workflow_dirs]
    folders += [(d, "checklist") for d in checklist_dirs]
    for folder, kind in folders:
        if not folder.is_dir():
            problems.append(
                DefinitionProblem(str(folder), 0, 0, f"the {kind}s folder does not exist")
            )
            continue
        results.extend(load_file(path, expect=kind) for path in yaml_files(folder))
    return results


def _clashes(
    main: Sequence[FileResult], extra: Sequence[FileResult], *, warning: bool = False
) -> list[DefinitionProblem]:
    """An extra file whose kind and id a main file has as well, at the extra file's id
    (as a warning for `gatekeeper validate`, where a given file may take a shipped
    file's place)."""
    owners: dict[tuple[Kind | None, str | None], str] = {
        (r.kind, r.declared_id): r.path for r in main if r.declared_id is not None
    }
    problems = []
    for result in extra:
        owner = owners.get((result.kind, result.declared_id))
        if owner is None or result.kind is None:
            continue
        line, column = (0, 0)
        if result.loaded is not None:
            line, column = result.loaded.source.locator.position(("id",))
        elif result.source is not None:
            line, column = result.source.locator.position(("id",))
        head = f"id: {result.kind} id '{result.declared_id}' is also defined in {owner}"
        setting = f"GATEKEEPER_{result.kind.upper()}S_DIR"
        if warning:
            message = (
                f"{head}; here this file takes its place (as in {setting}), but in "
                f"GATEKEEPER_EXTRA_{result.kind.upper()}S_DIRS it would be refused"
            )
        else:
            message = (
                f"{head}; an own {result.kind} in an extra folder needs an id of its own "
                f"(or replace that folder with {setting})"
            )
        problems.append(DefinitionProblem(result.path, line, column, message, warning))
    return problems


def validate_paths(
    paths: Sequence[Path], *, use_shipped: bool = True, warnings: bool = False
) -> list[DefinitionProblem]:
    """Every problem in the given files and folders, checked together (with
    `warnings`, the warnings too, marked `warning=True`).

    Workflows and checklists are told apart by their `kind`. A gate may name a
    checklist that is not among the given files, and a checklist may be used by a
    workflow that is not: with `use_shipped`, such references are looked up among
    the shipped definitions (whose own problems are not reported).
    """
    problems: list[DefinitionProblem] = []
    files: dict[Path, Path] = {}
    for path in paths:
        if not path.exists():
            problems.append(DefinitionProblem(str(path), 0, 0, "no such file or folder"))
            continue
        found = yaml_files(path)
        if not found:
            problems.append(DefinitionProblem(str(path), 0, 0, "no .yaml or .yml files here"))
        for candidate in found:
            files.setdefault(candidate.resolve(), candidate)
    results = [load_file(path) for path in files.values()]
    shipped = _shipped(set(files)) if use_shipped else []
    claimed = {(result.kind, result.declared_id) for result in results}
    context = [r for r in shipped if (r.kind, r.declared_id) not in claimed]
    problems.extend(check_results(results, context=context))
    if warnings:
        problems.extend(definition_warnings(results))
        problems.extend(_clashes(shipped, results, warning=True))
    return sort_problems(problems)


def build_catalog(
    results: Iterable[FileResult], *, warnings: Sequence[DefinitionProblem] = ()
) -> Catalog:
    """The catalog of the documents among `results` (assumed free of problems)."""
    workflows, checklists = loaded_of(list(results))
    workflow_definitions = {
        loaded.key: WorkflowDefinition(
            workflow_from_document(loaded.document, content_hash=loaded.content_hash),
            loaded.source.path,
            canonical_json(loaded.source.data),
        )
        for loaded in distinct(workflows, "workflow")[0]
    }
    checklist_definitions = {
        loaded.key: ChecklistDefinition(
            checklist_from_document(loaded.document, content_hash=loaded.content_hash),
            loaded.source.path,
            canonical_json(loaded.source.data),
        )
        for loaded in distinct(checklists, "checklist")[0]
    }
    return Catalog(
        MappingProxyType(workflow_definitions),
        MappingProxyType(checklist_definitions),
        tuple(warnings),
    )


def _shipped(given: set[Path]) -> list[FileResult]:
    """The shipped definitions, less the given files themselves."""
    found: list[FileResult] = []
    for folder in (shipped_workflows_dir(), shipped_checklists_dir()):
        if not folder.is_dir():
            continue
        found.extend(load_file(path) for path in yaml_files(folder) if path.resolve() not in given)
    return found


_KIND_SV = {"workflow": "Fasmodellen", "checklist": "Checklistan"}


def _pick(definitions: Mapping[Key, D], kind: str, ident: str, version: int | None) -> D:
    if version is not None:
        try:
            return definitions[(ident, version)]
        except KeyError:
            raise NotFound(f"{_KIND_SV[kind]} '{ident}' version {version} finns inte.") from None
    versions = [key[1] for key in definitions if key[0] == ident]
    if not versions:
        raise NotFound(f"{_KIND_SV[kind]} '{ident}' finns inte.")
    return definitions[(ident, max(versions))]


def _keys(definitions: Mapping[Key, Any], latest_only: bool) -> list[Key]:
    keys = sorted(definitions)
    if latest_only:
        latest = {ident: version for ident, version in keys}  # sorted: the last wins
        keys = sorted(latest.items())
    return keys


__all__ = [
    "Catalog",
    "ChecklistDefinition",
    "WorkflowDefinition",
    "build_catalog",
    "load_catalog",
    "validate_paths",
]
