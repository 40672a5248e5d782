"""Warnings about definitions that load and work, but not as their author may think.

A workflow that writes no `reminders.escalation` gets the default one, which
tells the projektledare of an overdue item after 3 days and the styrgrupp
after 7. A workflow without those roles keeps working, yet those steps reach
nobody. `definition_warnings` says so at the workflow's `roles` (or its
`reminders` section), as a `DefinitionProblem` with `warning=True`: printed by
`gatekeeper validate`, kept in the catalog and logged at start, never refused.
"""

from __future__ import annotations

from collections.abc import Sequence

from gatekeeper.core.reminders.policy import DEFAULT_ESCALATION, RESPONSIBLE
from gatekeeper.definitions.loader import FileResult, LoadedWorkflow, loaded_of
from gatekeeper.errors import DefinitionProblem


def definition_warnings(results: Sequence[FileResult]) -> list[DefinitionProblem]:
    """Every warning about the workflows among `results` that passed their models."""
    workflows, _ = loaded_of(list(results))
    return [warning for workflow in workflows for warning in _escalation_warnings(workflow)]


def _escalation_warnings(workflow: LoadedWorkflow) -> list[DefinitionProblem]:
    reminders = workflow.source.data.get("reminders")
    if isinstance(reminders, dict) and "escalation" in reminders:
        return []  # written out: its roles are checked as errors
    roles = {role.id for role in workflow.document.roles}
    loc = ("reminders",) if isinstance(reminders, dict) else ("roles",)
    warnings = []
    for step in DEFAULT_ESCALATION:
        if step.notify == RESPONSIBLE or step.notify in roles:
            continue
        problem = workflow.source.problem(
            loc,
            f"the default escalation tells role '{step.notify}' of an item "
            f"{step.after_days} days overdue, but this workflow has no role "
            f"'{step.notify}', so that step reaches nobody; add the role or write "
            "reminders.escalation",
            key=True,
        )
        warnings.append(
            DefinitionProblem(problem.path, problem.line, problem.column, problem.message, True)
        )
    return warnings


__all__ = ["definition_warnings"]
