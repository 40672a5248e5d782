"""The rules a document that failed its model can still be seen to break.

A file with a model problem (a missing name, a wrong type, a misspelt key)
never becomes a document, so the rules of `gatekeeper.definitions.validation`
cannot run on it; yet its well-formed parts can break them, and
`gatekeeper validate` promises every problem in one run. `outline_of` reads
what it safely can from the plain data: ids and references that are text,
found where the format puts them. `outline_problems` checks ids used twice
and references to phases and roles the file does not define; the caller checks
its gates' checklists against the other files. Rules that need the whole
document (reachability, quorums) wait until the model holds, since a part
left out would make them report problems that are not there.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from gatekeeper.definitions.locator import Loc
from gatekeeper.definitions.source import Source
from gatekeeper.errors import DefinitionProblem

DuplicateIds = Callable[[Source, str, str, Sequence[str | None]], list[DefinitionProblem]]
NotOneOf = Callable[[Source, Loc, str, str, Sequence[str]], DefinitionProblem]


@dataclass(frozen=True)
class Reference:
    """A text value at `loc` that should name a `what` (phase, role or checklist)."""

    loc: Loc
    name: str
    what: str


@dataclass(frozen=True)
class Outline:
    """What could be read from a document whose model failed."""

    source: Source
    kind: str
    ids: dict[str, list[str | None]]  # "roles", "phases", "gates" or "items" → ids by index
    references: tuple[Reference, ...]

    def known(self, section: str) -> list[str] | None:
        """The ids of `section` when every entry has one (else None: a reference to a
        missing id may be to the entry whose id could not be read)."""
        ids = self.ids.get(section)
        if ids is None or any(ident is None for ident in ids):
            return None
        return [ident for ident in ids if ident is not None]


def outline_of(source: Source, kind: str) -> Outline:
    """The ids and references readable from `source`'s plain data."""
    data = source.data
    if kind == "checklist":
        return Outline(source, kind, {"items": _ids(data.get("items"))}, ())
    ids = {section: _ids(data.get(section)) for section in ("roles", "phases", "gates")}
    references: list[Reference] = []
    if isinstance(data.get("initial"), str):
        references.append(Reference(("initial",), data["initial"], "phase"))
    gates = data.get("gates")
    for index, gate in enumerate(gates if isinstance(gates, list) else []):
        if not isinstance(gate, dict):
            continue
        here: Loc = ("gates", index)
        for end in ("from", "to"):
            if isinstance(gate.get(end), str):
                references.append(Reference((*here, end), gate[end], "phase"))
        for field in ("checklists", "unit_checklists"):
            names = gate.get(field)
            for position, name in enumerate(names if isinstance(names, list) else []):
                if isinstance(name, str):
                    references.append(Reference((*here, field, position), name, "checklist"))
        approval = gate.get("approval")
        if isinstance(approval, dict) and isinstance(approval.get("deciders"), str):
            references.append(
                Reference((*here, "approval", "deciders"), approval["deciders"], "role")
            )
    return Outline(source, kind, ids, tuple(references))


def outline_problems(
    outline: Outline, *, duplicate_ids: DuplicateIds, not_one_of: NotOneOf
) -> list[DefinitionProblem]:
    """Ids used twice, and phases and roles named but not defined in the file."""
    source = outline.source
    problems: list[DefinitionProblem] = []
    singular = {"roles": "role", "phases": "phase", "gates": "gate", "items": "item"}
    for section, ids in outline.ids.items():
        problems.extend(duplicate_ids(source, section, singular[section], ids))
    sections = {"phase": "phases", "role": "roles"}
    for reference in outline.references:
        named = sections.get(reference.what)
        if named is None:
            continue
        known = outline.known(named)
        if known is not None and reference.name not in known:
            problems.append(
                not_one_of(source, reference.loc, reference.name, reference.what, known)
            )
    return problems


def checklist_problems(
    outlines: Sequence[Outline], known: set[str], *, not_one_of: NotOneOf
) -> list[DefinitionProblem]:
    """Checklists named by the gates of workflows whose model failed, yet not loaded."""
    return [
        not_one_of(outline.source, reference.loc, reference.name, "checklist", sorted(known))
        for outline in outlines
        for reference in outline.references
        if reference.what == "checklist" and reference.name not in known
    ]


def elsewhere(
    salvaged: Sequence[DefinitionProblem], found: Sequence[DefinitionProblem]
) -> list[DefinitionProblem]:
    """The salvaged problems at places where none was found: a value the model refused
    (a phase id that is no identifier) is not also reported as an unknown phase."""
    taken = {(problem.path, problem.line, problem.column) for problem in found}
    return [p for p in salvaged if (p.path, p.line, p.column) not in taken]


def _ids(entries: Any) -> list[str | None]:
    if not isinstance(entries, list):
        return []
    return [
        entry["id"] if isinstance(entry, dict) and isinstance(entry.get("id"), str) else None
        for entry in entries
    ]


__all__ = [
    "Outline",
    "Reference",
    "checklist_problems",
    "elsewhere",
    "outline_of",
    "outline_problems",
]
