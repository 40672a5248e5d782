"""The cross-reference rules of a workflow's `reminders:` section, each at its file:line.

Called by `gatekeeper.definitions.validation.workflow_problems`: escalation
and cadence name roles of the workflow (or `responsible`), cadence phases and
`after_phase` name its phases, cadence ids are unique, and each cadence has
exactly one form: recurring (`every` with months or weeks, optional `phases`)
or follow-ups (`after_phase` with `months`). Checks one value can make on its
own (times, time zones, numbers >= 1) live in the document models.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from gatekeeper.definitions.documents import CadenceDocument, RemindersDocument
from gatekeeper.definitions.locator import Loc
from gatekeeper.definitions.source import Source
from gatekeeper.errors import DefinitionProblem

NotOneOf = Callable[[Source, Loc, str, str, Sequence[str]], DefinitionProblem]


def reminder_problems(
    source: Source,
    reminders: RemindersDocument | None,
    role_ids: Sequence[str],
    phase_ids: Sequence[str],
    *,
    not_one_of: NotOneOf,
) -> list[DefinitionProblem]:
    """The `reminders:` section: roles and phases it names exist, each cadence has one form.

    `not_one_of(source, loc, value, what, known)` words an unknown reference the way
    the other rules of `gatekeeper.definitions.validation` do.
    """
    if reminders is None:
        return []
    problems: list[DefinitionProblem] = []
    here: Loc = ("reminders",)
    for index, step in enumerate(reminders.escalation):
        if step.notify != "responsible" and step.notify not in role_ids:
            problems.append(
                not_one_of(
                    source, (*here, "escalation", index, "notify"), step.notify, "role", role_ids
                )
            )
    cadence = reminders.cadence
    seen: dict[str, int] = {}
    for index, meeting in enumerate(cadence):
        at: Loc = (*here, "cadence", index)
        if meeting.id in seen:
            problems.append(
                source.problem(
                    (*at, "id"),
                    f"cadence id '{meeting.id}' is already used by "
                    f"reminders.cadence[{seen[meeting.id]}]",
                )
            )
        seen.setdefault(meeting.id, index)
        for position, role in enumerate(meeting.roles):
            if role not in role_ids:
                problems.append(
                    not_one_of(source, (*at, "roles", position), role, "role", role_ids)
                )
        for position, phase in enumerate(meeting.phases):
            if phase not in phase_ids:
                problems.append(
                    not_one_of(source, (*at, "phases", position), phase, "phase", phase_ids)
                )
        if meeting.after_phase is not None and meeting.after_phase not in phase_ids:
            problems.append(
                not_one_of(source, (*at, "after_phase"), meeting.after_phase, "phase", phase_ids)
            )
        problems.extend(_cadence_form_problems(source, at, meeting))
    return problems


def _cadence_form_problems(
    source: Source, at: Loc, meeting: CadenceDocument
) -> list[DefinitionProblem]:
    """A cadence is either `every` (+ `phases`) or `after_phase` + `months`, never both."""
    recurring = meeting.every is not None
    follow_up = meeting.after_phase is not None or bool(meeting.months)
    if recurring and follow_up:
        key = "after_phase" if meeting.after_phase is not None else "months"
        return [
            source.problem(
                (*at, key),
                f"cadence '{meeting.id}' has both every and {key}; a meeting either recurs "
                "(every: {months: N} or {weeks: N}) or follows up after a phase "
                "(after_phase and months)",
            )
        ]
    if recurring:
        assert meeting.every is not None
        if (meeting.every.months is None) == (meeting.every.weeks is None):
            return [
                source.problem(
                    (*at, "every"),
                    f"cadence '{meeting.id}' must repeat every N months or every N weeks "
                    "(write one of months or weeks, at least 1)",
                )
            ]
        return []
    if meeting.phases:
        return [
            source.problem(
                (*at, "phases"),
                f"phases apply to a recurring meeting; cadence '{meeting.id}' has no every",
            )
        ]
    if meeting.after_phase is None or not meeting.months:
        missing = "after_phase" if meeting.after_phase is None else "months"
        return [
            source.problem(
                at,
                f"cadence '{meeting.id}' needs every (a recurring meeting) or after_phase and "
                f"months (follow-ups); {missing} is missing",
            )
        ]
    return []


__all__ = ["reminder_problems"]
