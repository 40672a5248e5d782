"""Refused changes leave one trace: a `change.refused` audit event, and nothing else.

A use case that refuses a person (`PermissionDenied`: only the projektledare
records risks, only the role a gate names may pass it, …) raises inside its
write transaction, which rolls back whatever it had begun. `audits_refusal`
wraps such a use case: it then records the refusal (`ChangeRefused`: the
action tried, the object, the reason) through `change.record` in a write
transaction of its own, committed, and raises the refusal on to the caller
(the API answers 403, the page shows it). Vote and tick refusals keep their
own events (`gate.vote_refused`, `checklist.item.refused`).
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any, ParamSpec, TypeVar

from sqlmodel import select

from gatekeeper.core.access import Principal
from gatekeeper.core.actor import Actor
from gatekeeper.core.events.base import Event
from gatekeeper.core.events.projects import ChangeRefused, RefusedChange
from gatekeeper.errors import PermissionDenied
from gatekeeper.services import change
from gatekeeper.services.context import Context
from gatekeeper.store.projects.tables import Project

P = ParamSpec("P")
R = TypeVar("R")


def record_refused(ctx: Context, actor: Actor, *, project_key: str, event: Event) -> None:
    """Record a refusal's `event`, in a committed write transaction of its own (the
    refused use case's transaction has rolled back); the project may not exist."""
    with ctx.db.write() as session:
        project = session.exec(select(Project).where(Project.key == project_key)).one_or_none()
        change.record(
            session,
            event,
            by=actor,
            at=ctx.clock.now(),
            project_id=project.id if project else None,
        )


def record_refusal(
    ctx: Context,
    actor: Actor,
    *,
    project_key: str,
    action: str,
    object_type: str,
    object_id: str,
    reason: str,
) -> None:
    """Record, in a committed transaction of its own, that `actor` was refused `action`."""
    record_refused(
        ctx,
        actor,
        project_key=project_key,
        event=ChangeRefused(
            object_id=object_id,
            kind=object_type,
            after=RefusedChange(action=action, reason=reason),
        ),
    )


def audits_refusal(
    action: str, *, object_type: str, object_id: str = "{project_key}"
) -> Callable[[Callable[P, R]], Callable[P, R]]:
    """Record a `PermissionDenied` of the wrapped use case as `change.refused`, then raise it.

    The use case is called as `(ctx, actor or principal, *, project_key=…, …)`;
    `object_id` is formatted with its keyword arguments (`"{risk_id}"`,
    `"{project_key}/{gate_id}"`).
    """

    def wrap(use_case: Callable[P, R]) -> Callable[P, R]:
        @functools.wraps(use_case)
        def refused_or_done(*args: P.args, **kwargs: P.kwargs) -> R:
            try:
                return use_case(*args, **kwargs)
            except PermissionDenied as refusal:
                ctx, who = args[0], args[1]
                assert isinstance(ctx, Context)
                actor = who.actor() if isinstance(who, Principal) else who
                assert isinstance(actor, Actor)
                values: dict[str, Any] = dict(kwargs)
                record_refusal(
                    ctx,
                    actor,
                    project_key=str(values["project_key"]),
                    action=action,
                    object_type=object_type,
                    object_id=object_id.format(**values),
                    reason=refusal.message,
                )
                raise

        return refused_or_done

    return wrap
