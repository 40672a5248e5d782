"""Reading one definition file: parse, tell its kind, check it against its model.

`load_file` and `load_text` never raise for bad input; they return a
`FileResult` holding either the checked document (with its source, plain data
and content hash) or the problems that kept it from being one. Rules that
relate values to each other are applied afterwards, by
`gatekeeper.definitions.validation`, over all files together.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from gatekeeper.definitions.convert import content_hash, parse_document
from gatekeeper.definitions.documents import ChecklistDocument, WorkflowDocument
from gatekeeper.definitions.messages import describe
from gatekeeper.definitions.source import Source, parse_source, read_source
from gatekeeper.errors import DefinitionError, DefinitionProblem

Kind = Literal["workflow", "checklist"]
KINDS: tuple[Kind, ...] = ("workflow", "checklist")
YAML_SUFFIXES = (".yaml", ".yml")


@dataclass(frozen=True)
class LoadedWorkflow:
    """A workflow file that passed its model: source, document and hash."""

    source: Source
    document: WorkflowDocument
    content_hash: str

    @property
    def key(self) -> tuple[str, int]:
        return (self.document.id, self.document.version)


@dataclass(frozen=True)
class LoadedChecklist:
    """A checklist file that passed its model: source, document and hash."""

    source: Source
    document: ChecklistDocument
    content_hash: str

    @property
    def key(self) -> tuple[str, int]:
        return (self.document.id, self.document.version)


Loaded = LoadedWorkflow | LoadedChecklist


@dataclass(frozen=True)
class FileResult:
    """What reading one file gave: the document, or why there is none.

    `kind` and `declared_id` are what the file claims even when it is broken,
    so that cross-file rules need not repeat 'no checklist x' for a checklist
    whose file had errors of its own. `source` is the parsed file when its model
    failed, so that the rules its well-formed parts can still break are checked
    too (`gatekeeper.definitions.salvage`). A file whose only problem is its
    `kind` (missing, misspelt, in the wrong folder) but whose content tells its
    kind is checked as that kind: `loaded` holds the document, `problems` the
    kind problem, and such a file never enters a catalog.
    """

    path: str
    loaded: Loaded | None
    problems: tuple[DefinitionProblem, ...] = ()
    kind: Kind | None = None
    declared_id: str | None = None
    source: Source | None = None


def load_file(path: Path, *, name: str | None = None, expect: Kind | None = None) -> FileResult:
    """Read, parse and check the file at `path` (named `name` in problems).

    With `expect`, a file of the other kind is a problem (a checklist lying in
    a workflows folder, say).
    """
    shown = name if name is not None else str(path)
    try:
        source = read_source(path, name=shown)
    except DefinitionError as error:
        return FileResult(shown, None, error.problems)
    return _check(source, expect)


def load_text(text: str | bytes, *, path: str = "<text>", expect: Kind | None = None) -> FileResult:
    """Parse and check YAML text as if it were the file `path`."""
    try:
        source = parse_source(text, path=path)
    except DefinitionError as error:
        return FileResult(path, None, error.problems)
    return _check(source, expect)


def yaml_files(path: Path) -> list[Path]:
    """`path` itself if it is a file; else every *.yaml / *.yml below it, sorted.

    Hidden files and folders (a name starting with '.') are skipped.
    """
    if not path.is_dir():
        return [path]
    found = [
        candidate
        for candidate in path.rglob("*")
        if candidate.suffix in YAML_SUFFIXES
        and candidate.is_file()
        and not any(part.startswith(".") for part in candidate.relative_to(path).parts)
    ]
    return sorted(found, key=lambda candidate: candidate.relative_to(path).as_posix())


def _check(source: Source, expect: Kind | None) -> FileResult:
    raw_kind = source.data.get("kind")
    raw_id = source.data.get("id")
    declared_id = raw_id if isinstance(raw_id, str) else None
    if "kind" not in source.data or raw_kind not in KINDS:
        if "kind" not in source.data:
            problem = source.problem(
                (), "missing required key 'kind'; write kind: workflow or kind: checklist"
            )
        else:
            problem = source.problem(
                ("kind",),
                f"{describe(raw_kind)} is not a definition kind; write workflow or checklist",
            )
        guessed = _kind_by_content(source.data)
        if guessed is None:
            return FileResult(source.path, None, (problem,), None, declared_id)
        # The keys tell the kind: check the rest too, so one run names every problem.
        return _checked(source, guessed, declared_id, (problem,))
    kind: Kind = "workflow" if raw_kind == "workflow" else "checklist"
    if expect is not None and kind != expect:
        problem = source.problem(
            ("kind",), f"this is a {kind}, but it lies among the {expect}s; move it"
        )
        return _checked(source, kind, declared_id, (problem,))
    return _checked(source, kind, declared_id, ())


def _kind_by_content(data: dict[str, object]) -> Kind | None:
    """The kind a document's keys point to (None when they point to neither or both)."""
    workflow = any(key in data for key in ("phases", "gates", "initial", "roles"))
    checklist = "items" in data
    if workflow == checklist:
        return None
    return "workflow" if workflow else "checklist"


def _checked(
    source: Source, kind: Kind, declared_id: str | None, earlier: tuple[DefinitionProblem, ...]
) -> FileResult:
    digest = content_hash(source.data)
    data = {**source.data, "kind": kind}  # a kind problem is in `earlier` already
    loaded: Loaded
    if kind == "workflow":
        workflow = parse_document(WorkflowDocument, data, path=source.path, locator=source.locator)
        if isinstance(workflow, list):
            problems = (*earlier, *workflow)
            return FileResult(source.path, None, problems, kind, declared_id, source)
        loaded = LoadedWorkflow(source, workflow, digest)
    else:
        checklist = parse_document(
            ChecklistDocument, data, path=source.path, locator=source.locator
        )
        if isinstance(checklist, list):
            problems = (*earlier, *checklist)
            return FileResult(source.path, None, problems, kind, declared_id, source)
        loaded = LoadedChecklist(source, checklist, digest)
    return FileResult(source.path, loaded, earlier, kind, declared_id)


def loaded_of(results: Sequence[FileResult]) -> tuple[list[LoadedWorkflow], list[LoadedChecklist]]:
    """The workflows and checklists among `results` that passed their models."""
    workflows = [r.loaded for r in results if isinstance(r.loaded, LoadedWorkflow)]
    checklists = [r.loaded for r in results if isinstance(r.loaded, LoadedChecklist)]
    return workflows, checklists


__all__ = [
    "KINDS",
    "FileResult",
    "Kind",
    "Loaded",
    "LoadedChecklist",
    "LoadedWorkflow",
    "load_file",
    "load_text",
    "loaded_of",
    "yaml_files",
]
