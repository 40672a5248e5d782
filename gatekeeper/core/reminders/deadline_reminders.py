"""Deadline reminders: before a checklist item's or a condition's deadline, and the
overdue escalation after it (owner → projektledare → styrgrupp, as the policy says).

Of the escalation steps already passed only the latest is fresh; the earlier
ones come back `late` (an existing row may still go out, no new row is made).
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from gatekeeper.core.reminders.planner import GRACE, Planner, days_sv
from gatekeeper.core.reminders.policy import RESPONSIBLE
from gatekeeper.core.reminders.project_state import Person


def plan_items(planner: Planner) -> None:
    """Deadline reminders and overdue escalation for open checklist items."""
    for item in planner.project.items:
        if item.due_on is None:
            continue
        anchor = f"item-{item.checklist_id}-{item.item_id}"
        link = f"/projects/{planner.project.key}/gates/{item.gate_id}#{anchor}"
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
            },
            label="",
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
            label="Villkor: ",
        )


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
    label: str,
) -> None:
    what = "villkoret" if subject[0] == "condition" else "punkten"
    for days in planner.policy.before_deadline:
        day = due_on - timedelta(days=days)
        for person in planner.recipients(RESPONSIBLE, responsible):
            due_at = planner.on_day(day, person)
            when = "I dag" if days == 0 else "I morgon" if days == 1 else f"Om {days} dagar"
            planner.add(
                planner.make(
                    key=f"{kind_before}:{prefix}:{due_on.isoformat()}:-{days}:{person.email}",
                    kind=kind_before,
                    person=person,
                    subject=subject,
                    title=f"{label}{when}: {text}",
                    lines=[
                        f'Deadline för {what} "{text}" i projektet '
                        f"{planner.project.name} är {due_on.isoformat()}.",
                        "Markera den som klar i gatekeeper när den är gjord.",
                    ],
                    link=link,
                    due_at=due_at,
                    late=due_at < planner.now - GRACE,
                    due_on=due_on.isoformat(),
                    level=-days,
                    **extra,
                )
            )
    first_late_day = due_on + timedelta(days=1)
    steps = [
        (step, planner.after(first_late_day, step.after_days)) for step in planner.policy.escalation
    ]
    today = planner.today()
    passed = [day for _, day in steps if day <= today]
    latest_passed = max(passed) if passed else None
    for step, day in steps:
        late_by = (day - due_on).days
        for person in planner.recipients(step.notify, responsible):
            due_at = planner.on_day(day, person)
            role = "" if step.notify == RESPONSIBLE else f" Du får den som {step.notify}."
            planner.add(
                planner.make(
                    key=f"{kind_after}:{prefix}:{due_on.isoformat()}:+{step.after_days}:"
                    f"{person.email}",
                    kind=kind_after,
                    person=person,
                    subject=subject,
                    title=f"{label}Försenad sedan {days_sv(late_by)}: {text}",
                    lines=[
                        f'Deadline för {what} "{text}" i projektet {planner.project.name} '
                        f"var {due_on.isoformat()} och den är inte klar.{role}",
                    ],
                    link=link,
                    due_at=due_at,
                    late=day <= today and day != latest_passed,
                    due_on=due_on.isoformat(),
                    level=step.after_days,
                    notify=step.notify,
                    **extra,
                )
            )
