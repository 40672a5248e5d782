"""Deadline reminders: before a checklist item's, a condition's or a kommunikationsplan
row's deadline (its tidpunkt), and the
overdue escalation after it (owner → projektledare → styrgrupp, as the policy says).

An optional item (`mandatory: false`) is contained unless the policy's
`escalate_optional` says otherwise: only the holders of its own role hear of
it, before the deadline and on the first late day; no escalation step that
names another role is planned, and nobody stands in when nobody holds its
role. A reminder whose send day had passed when it was planned comes back
`late` (logged as missed, never sent); see `Planner.missed`.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from gatekeeper.core.reminders.planner import Planner, days_da, days_en, days_sv
from gatekeeper.core.reminders.policy import RESPONSIBLE
from gatekeeper.core.reminders.project_state import Person
from gatekeeper.core.wording import date_da, date_en, date_sv


def plan_items(planner: Planner) -> None:
    """Deadline reminders and overdue escalation for open checklist items."""
    for item in planner.project.items:
        if item.due_on is None:
            continue
        anchor = f"item-{item.checklist_id}-{item.item_id}"
        link = f"/projects/{planner.project.key}/gates/{item.gate_id}#{anchor}"
        contained = not item.mandatory and not planner.policy.escalate_optional
        _deadline(
            planner,
            prefix=f"item:{item.id}",
            subject=("checklist_item", str(item.id)),
            due_on=item.due_on,
            text=item.text,
            responsible=planner.role(item.responsible),
            link=link,
            kind_before="deadline",
            kind_after="overdue",
            extra={
                "item_text": item.text,
                "gate_id": item.gate_id,
                "gate_name": item.gate_name,
                "role": item.responsible,
                "role_name": planner.role_name(item.responsible),
                "mandatory": item.mandatory,
            },
            label=("", "", ""),
            contained=contained,
        )


def plan_conditions(planner: Planner) -> None:
    """Deadline reminders and escalation for open conditions of a conditional go."""
    for condition in planner.project.conditions:
        if condition.due_on is None:
            continue
        _deadline(
            planner,
            prefix=f"condition:{condition.id}",
            subject=("condition", str(condition.id)),
            due_on=condition.due_on,
            text=condition.text,
            responsible=(planner.person(condition.owner),),
            link=f"/projects/{planner.project.key}",
            kind_before="condition",
            kind_after="condition",
            extra={"condition_text": condition.text, "gate_name": condition.gate_name},
            label=("Villkor: ", "Condition: ", "Betingelse: "),
            contained=False,
        )


def plan_communications(planner: Planner) -> None:
    """Deadline reminders and escalation for planned rows of the kommunikationsplan."""
    for row in planner.project.communications:
        _deadline(
            planner,
            prefix=f"communication:{row.id}",
            subject=("communication", str(row.id)),
            due_on=row.due_on,
            text=row.text,
            responsible=(planner.person(row.owner),),
            link=f"/projects/{planner.project.key}/communications#communication-{row.id}",
            kind_before="deadline",
            kind_after="overdue",
            extra={"communication_text": row.text},
            label=("Kommunikationsplan: ", "Communication plan: ", "Kommunikationsplan: "),
            contained=False,
        )


def _when(days: int) -> tuple[str, str, str]:
    """'Om 3 dagar', 'In 3 days', 'Om 3 dage' (today and tomorrow in words)."""
    if days == 0:
        return "I dag", "Today", "I dag"
    if days == 1:
        return "I morgon", "Tomorrow", "I morgen"
    return f"Om {days_sv(days)}", f"In {days_en(days)}", f"Om {days_da(days)}"


def _deadline(
    planner: Planner,
    *,
    prefix: str,
    subject: tuple[str, str],
    due_on: date,
    text: str,
    responsible: tuple[Person, ...],
    link: str,
    kind_before: str,
    kind_after: str,
    extra: dict[str, Any],
    label: tuple[str, str, str],
    contained: bool,
) -> None:
    condition = subject[0] == "condition"
    what, what_en = ("villkoret", "condition") if condition else ("punkten", "item")
    # Danish: betingelsen (common gender: den, opfyldt), punktet (neuter: det, færdigt).
    what_da, it_da, done_da, mark_da = (
        ("betingelsen", "den", "opfyldt", "Markér den som opfyldt i gatekeeper, når den er det.")
        if condition
        else ("punktet", "det", "færdigt", "Markér det som færdigt i gatekeeper, når det er gjort.")
    )
    project = planner.project.name
    own = responsible if contained else planner.recipients(RESPONSIBLE, responsible)
    for days in planner.policy.before_deadline:
        day = due_on - timedelta(days=days)
        when, when_en, when_da = _when(days)
        for person in own:
            due_at = planner.on_day(day, person)
            planner.add(
                planner.make(
                    key=f"{kind_before}:{prefix}:{due_on.isoformat()}:-{days}:{person.email}",
                    kind=kind_before,
                    person=person,
                    subject=subject,
                    title=f"{label[0]}{when}: {text}",
                    lines=[
                        f'Deadline för {what} "{text}" i projektet {project} är {date_sv(due_on)}.',
                        "Markera den som klar i gatekeeper när den är gjord.",
                    ],
                    title_en=f"{label[1]}{when_en}: {text}",
                    lines_en=[
                        f'The deadline for the {what_en} "{text}" in the project {project} '
                        f"is {date_en(due_on)}.",
                        "Mark it as done in gatekeeper when it is done.",
                    ],
                    title_da=f"{label[2]}{when_da}: {text}",
                    lines_da=[
                        f'Fristen for {what_da} "{text}" i projektet {project} er '
                        f"{date_da(due_on)}.",
                        mark_da,
                    ],
                    link=link,
                    due_at=due_at,
                    late=planner.missed(due_at, person),
                    due_on=due_on.isoformat(),
                    level=-days,
                    **extra,
                )
            )
    first_late_day = due_on + timedelta(days=1)
    steps = [
        (step, planner.after(first_late_day, step.after_days))
        for step in planner.policy.escalation
        if not contained or step.notify == RESPONSIBLE
    ]
    for step, day in steps:
        late_by = (day - due_on).days
        people = own if step.notify == RESPONSIBLE else planner.recipients(step.notify, responsible)
        for person in people:
            due_at = planner.on_day(day, person)
            role, role_en, role_da = "", "", ""
            if step.notify != RESPONSIBLE:
                name = planner.role_name(step.notify)
                role, role_en = f" Du får den i rollen {name}.", f" You get it as {name}."
                role_da = f" Du får påmindelsen i rollen {name}."
            planner.add(
                planner.make(
                    key=f"{kind_after}:{prefix}:{due_on.isoformat()}:+{step.after_days}:"
                    f"{person.email}",
                    kind=kind_after,
                    person=person,
                    subject=subject,
                    title=f"{label[0]}Försenad sedan {days_sv(late_by)}: {text}",
                    lines=[
                        f'Deadline för {what} "{text}" i projektet {project} '
                        f"var {date_sv(due_on)} och den är inte klar.{role}",
                    ],
                    title_en=f"{label[1]}Overdue by {days_en(late_by)}: {text}",
                    lines_en=[
                        f'The deadline for the {what_en} "{text}" in the project {project} '
                        f"was {date_en(due_on)} and it is not done.{role_en}",
                    ],
                    title_da=f"{label[2]}Forsinket med {days_da(late_by)}: {text}",
                    lines_da=[
                        f'Fristen for {what_da} "{text}" i projektet {project} '
                        f"var {date_da(due_on)}, og {it_da} er ikke {done_da}.{role_da}",
                    ],
                    link=link,
                    due_at=due_at,
                    late=planner.missed(due_at, person),
                    due_on=due_on.isoformat(),
                    level=step.after_days,
                    notify=step.notify,
                    **extra,
                )
            )
