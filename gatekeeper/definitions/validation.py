"""The cross-reference rules of docs/formats.md, each problem at its file:line:column.

A document that passed its model can still be wrong as a whole: a gate that
leads to a phase that does not exist, a phase no gate reaches, a quorum that
can never be met. `document_problems` checks one document; `cross_problems`
checks documents against each other (checklists named by gates, the roles of
checklist items, one content per id and version); `check_results` runs
everything over a set of files and returns every problem, sorted.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import TypeVar

from gatekeeper.definitions.loader import (
    FileResult,
    Loaded,
    LoadedChecklist,
    LoadedWorkflow,
    load_text,
    loaded_of,
)
from gatekeeper.definitions.locator import Loc
from gatekeeper.definitions.messages import sort_problems
from gatekeeper.definitions.references import duplicate_ids as _duplicate_ids
from gatekeeper.definitions.references import named_twice as _named_twice
from gatekeeper.definitions.references import not_one_of as _not_one_of
from gatekeeper.definitions.reminder_rules import reminder_problems
from gatekeeper.definitions.salvage import (
    checklist_problems,
    elsewhere,
    outline_of,
    outline_problems,
)
from gatekeeper.errors import DefinitionProblem

L = TypeVar("L", LoadedWorkflow, LoadedChecklist)


def validate_text(text: str | bytes, *, path: str = "<text>") -> list[DefinitionProblem]:
    """Every problem of one document on its own (references to other files unchecked)."""
    return check_results([load_text(text, path=path)], cross=False)


def check_results(
    results: Sequence[FileResult],
    *,
    context: Sequence[FileResult] = (),
    cross: bool = True,
) -> list[DefinitionProblem]:
    """Every problem of `results`: reading, model, document and cross-file rules.

    `context` holds further files that gates and checklists may refer to but whose
    own problems are not reported (the shipped checklists, when only workflows are
    validated).
    """
    reported = {result.path for result in results}
    problems = [problem for result in results for problem in result.problems]
    outlines = [
        outline_of(result.source, result.kind)
        for result in results
        if result.loaded is None and result.source is not None and result.kind is not None
    ]
    for result in results:
        if result.loaded is not None:
            problems.extend(document_problems(result.loaded))
    salvaged = [
        problem
        for outline in outlines
        for problem in outline_problems(
            outline, duplicate_ids=_duplicate_ids, not_one_of=_not_one_of
        )
    ]
    if cross:
        everything = [*results, *context]
        workflows, checklists = loaded_of(everything)
        broken = frozenset(
            result.declared_id
            for result in everything
            if result.kind == "checklist" and result.loaded is None and result.declared_id
        )
        problems.extend(
            problem
            for problem in cross_problems(workflows, checklists, broken_checklists=broken)
            if problem.path in reported
        )
        known = set(latest_checklists(checklists)) | broken
        salvaged.extend(checklist_problems(outlines, known, not_one_of=_not_one_of))
    return sort_problems([*problems, *elsewhere(salvaged, problems)])


def document_problems(loaded: Loaded) -> list[DefinitionProblem]:
    """The rules one document can break on its own."""
    if isinstance(loaded, LoadedWorkflow):
        return workflow_problems(loaded)
    return _duplicate_ids(loaded.source, "items", "item", [i.id for i in loaded.document.items])


def workflow_problems(loaded: LoadedWorkflow) -> list[DefinitionProblem]:
    """Unique ids, phases that exist and are reached, sane gates and approvals."""
    source, document = loaded.source, loaded.document
    phase_ids = [phase.id for phase in document.phases]
    role_ids = [role.id for role in document.roles]
    problems = [
        *_duplicate_ids(source, "roles", "role", role_ids),
        *_duplicate_ids(source, "phases", "phase", phase_ids),
        *_duplicate_ids(source, "gates", "gate", [gate.id for gate in document.gates]),
    ]
    phases = set(phase_ids)
    finals = {phase.id for phase in document.phases if phase.final}
    if document.initial not in phases:
        problems.append(_not_one_of(source, ("initial",), document.initial, "phase", phase_ids))
    for index, gate in enumerate(document.gates):
        here: Loc = ("gates", index)
        for end, named in (("from", gate.source), ("to", gate.dest)):
            if named not in phases:
                problems.append(_not_one_of(source, (*here, end), named, "phase", phase_ids))
        if gate.source == gate.dest:
            problems.append(
                source.problem(
                    (*here, "to"),
                    f"the gate leads back to its own phase '{gate.dest}'; "
                    "a gate must lead to another phase",
                )
            )
        if gate.source in finals:
            problems.append(
                source.problem(
                    (*here, "from"),
                    f"'{gate.source}' is a final phase; no gate may leave a final phase",
                )
            )
        problems.extend(_named_twice(source, (*here, "checklists"), "checklist", gate.checklists))
        problems.extend(
            _named_twice(source, (*here, "unit_checklists"), "checklist", gate.unit_checklists)
        )
        problems.extend(_approval_problems(loaded, index, role_ids))
    problems.extend(
        reminder_problems(source, document.reminders, role_ids, phase_ids, not_one_of=_not_one_of)
    )
    endpoints = {end for gate in document.gates for end in (gate.source, gate.dest)}
    # With a misspelt phase somewhere, "cannot be reached" would only repeat that problem.
    if document.initial in phases and endpoints <= phases:
        reached = _reachable(document.initial, [(g.source, g.dest) for g in document.gates])
        for index, phase in enumerate(document.phases):
            if phase.id not in reached:
                problems.append(
                    source.problem(
                        ("phases", index, "id"),
                        f"phase '{phase.id}' cannot be reached from the initial phase "
                        f"'{document.initial}' through the gates",
                    )
                )
    return problems


def _approval_problems(
    loaded: LoadedWorkflow, index: int, role_ids: list[str]
) -> list[DefinitionProblem]:
    source = loaded.source
    gate = loaded.document.gates[index]
    problems = []
    if gate.handover_to is not None and gate.handover_to not in role_ids:
        problems.append(
            _not_one_of(source, ("gates", index, "handover_to"), gate.handover_to, "role", role_ids)
        )
    if gate.passed_by is not None and gate.passed_by not in role_ids:
        problems.append(
            _not_one_of(source, ("gates", index, "passed_by"), gate.passed_by, "role", role_ids)
        )
    approval = gate.approval
    if approval is not None and gate.passed_by is not None:
        problems.append(
            source.problem(
                ("gates", index, "passed_by"),
                f"gate '{gate.id}' has an approval policy: its deciders decide it, so "
                "'passed_by' cannot be given as well",
            )
        )
    if approval is None:
        return problems
    here: Loc = ("gates", index, "approval")
    if approval.deciders not in role_ids:
        problems.append(
            _not_one_of(source, (*here, "deciders"), approval.deciders, "role", role_ids)
        )
    for position, role in enumerate(approval.required_roles):
        if role not in role_ids:
            problems.append(
                _not_one_of(source, (*here, "required_roles", position), role, "role", role_ids)
            )
    required_roles = approval.required_roles
    problems.extend(_named_twice(source, (*here, "required_roles"), "role", required_roles))
    for position, role in enumerate(approval.requested_by):
        if role not in role_ids:
            problems.append(
                _not_one_of(source, (*here, "requested_by", position), role, "role", role_ids)
            )
    problems.extend(_named_twice(source, (*here, "requested_by"), "role", approval.requested_by))
    quorum = approval.quorum
    if isinstance(quorum, int):
        required = len(set(approval.required_roles))
        if quorum < required:
            problems.append(
                source.problem(
                    (*here, "quorum"),
                    f"a quorum of {quorum} is smaller than the {required} required_roles "
                    "that must be among the approvers, so it can never be met as written",
                )
            )
        deciders = [r for r in loaded.document.roles if r.id == approval.deciders]
        ceiling = deciders[0].max_members if deciders else None
        if ceiling is not None and quorum > ceiling:
            problems.append(
                source.problem(
                    (*here, "quorum"),
                    f"a quorum of {quorum} is larger than role '{approval.deciders}' can ever "
                    f"be (max_members: {ceiling})",
                )
            )
    return problems


def cross_problems(
    workflows: Sequence[LoadedWorkflow],
    checklists: Sequence[LoadedChecklist],
    *,
    broken_checklists: frozenset[str] = frozenset(),
) -> list[DefinitionProblem]:
    """Rules between files: one content per id and version, checklists that gates
    name exist, and checklist items name roles of the workflows that use them.

    `broken_checklists` are ids of checklist files that failed on their own; gates
    naming them are not reported again.
    """
    workflows, problems = distinct(workflows, "workflow")
    checklists, more = distinct(checklists, "checklist")
    problems.extend(more)
    latest = latest_checklists(checklists)
    known = sorted(latest)
    for workflow in workflows:
        for index, gate in enumerate(workflow.document.gates):
            for field in ("checklists", "unit_checklists"):
                for position, name in enumerate(getattr(gate, field)):
                    if name not in latest and name not in broken_checklists:
                        loc = ("gates", index, field, position)
                        problems.append(_not_one_of(workflow.source, loc, name, "checklist", known))
    for checklist in latest.values():
        users = [
            workflow
            for workflow in workflows
            if any(
                checklist.document.id in (*gate.checklists, *gate.unit_checklists)
                for gate in workflow.document.gates
            )
        ]
        for index, item in enumerate(checklist.document.items):
            lacking = [w for w in users if item.responsible not in _role_ids(w)]
            if lacking:
                problems.append(
                    checklist.source.problem(
                        ("items", index, "responsible"), _not_a_role(item.responsible, lacking)
                    )
                )
        problems.extend(_tick_role_problems(checklist, users))
    return problems


def _tick_role_problems(
    checklist: LoadedChecklist, users: Sequence[LoadedWorkflow]
) -> list[DefinitionProblem]:
    """Every role a `may_tick` names (of the checklist or of an item) must be a role of
    each workflow that uses the checklist."""
    lists: list[tuple[Loc, list[str]]] = []
    if checklist.document.may_tick is not None:
        lists.append((("may_tick",), checklist.document.may_tick))
    for index, item in enumerate(checklist.document.items):
        if item.may_tick is not None:
            lists.append((("items", index, "may_tick"), item.may_tick))
    problems = []
    for loc, roles in lists:
        for position, role in enumerate(roles):
            lacking = [w for w in users if role not in _role_ids(w)]
            if lacking:
                problems.append(
                    checklist.source.problem((*loc, position), _not_a_role(role, lacking))
                )
    return problems


def distinct(loaded: Sequence[L], kind: str) -> tuple[list[L], list[DefinitionProblem]]:
    """One definition per (id, version): the same content twice is kept once; a
    different content under the same id and version is a problem."""
    first: dict[tuple[str, int], L] = {}
    problems: list[DefinitionProblem] = []
    for candidate in loaded:
        earlier = first.get(candidate.key)
        if earlier is None:
            first[candidate.key] = candidate
        elif earlier.content_hash != candidate.content_hash:
            ident, version = candidate.key
            problems.append(
                candidate.source.problem(
                    ("version",),
                    f"{kind} '{ident}' version {version} is also defined in "
                    f"{earlier.source.path} with different content; bump version "
                    "when you change a definition",
                )
            )
    return list(first.values()), problems


def latest_checklists(checklists: Iterable[LoadedChecklist]) -> dict[str, LoadedChecklist]:
    """The highest version of each checklist id."""
    latest: dict[str, LoadedChecklist] = {}
    for checklist in checklists:
        current = latest.get(checklist.document.id)
        if current is None or checklist.document.version > current.document.version:
            latest[checklist.document.id] = checklist
    return latest


def _role_ids(workflow: LoadedWorkflow) -> set[str]:
    return {role.id for role in workflow.document.roles}


def _not_a_role(role: str, workflows: Sequence[LoadedWorkflow]) -> str:
    names = ", ".join(f"'{w.document.id}' v{w.document.version}" for w in workflows)
    if len(workflows) == 1:
        roles = ", ".join(sorted(_role_ids(workflows[0])))
        return (
            f"'{role}' is not a role of workflow {names}, which uses this checklist; "
            f"its roles are: {roles}"
        )
    return f"'{role}' is not a role of workflows {names}, which use this checklist"


def _reachable(initial: str, edges: Sequence[tuple[str, str]]) -> set[str]:
    seen = {initial}
    frontier = [initial]
    while frontier:
        current = frontier.pop()
        for source, dest in edges:
            if source == current and dest not in seen:
                seen.add(dest)
                frontier.append(dest)
    return seen


__all__ = [
    "check_results",
    "cross_problems",
    "distinct",
    "document_problems",
    "latest_checklists",
    "validate_text",
    "workflow_problems",
]
