"""Reading and checking the audit log (writing happens inside each use case)."""

from __future__ import annotations

from collections.abc import Collection
from pathlib import Path

from sqlmodel import col, select

from gatekeeper.core.actor import recorded_address
from gatekeeper.errors import ValidationFailed
from gatekeeper.services.context import Context
from gatekeeper.services.lookup import project_by_key
from gatekeeper.store.access.tables import UserAccount
from gatekeeper.store.audit import checkpoint as checkpoints
from gatekeeper.store.audit import verify as chains
from gatekeeper.store.audit.tables import AuditEvent
from gatekeeper.store.projects.tables import ProjectMember

MAX_PAGE = 500


def list_events(
    ctx: Context,
    *,
    project_key: str | None = None,
    actor: str | None = None,
    after_seq: int = 0,
    limit: int = 100,
) -> list[AuditEvent]:
    """Events in chain order after `after_seq` (a cursor), filtered by project and actor."""
    return events_page(ctx, project_key=project_key, actor=actor, after_seq=after_seq, limit=limit)[
        0
    ]


def events_page(
    ctx: Context,
    *,
    project_key: str | None = None,
    actor: str | None = None,
    after_seq: int = 0,
    limit: int = 100,
) -> tuple[list[AuditEvent], bool]:
    """Like `list_events`, and whether more events follow the page."""
    if not 1 <= limit <= MAX_PAGE:
        raise ValidationFailed(f"limit ska vara mellan 1 och {MAX_PAGE}.", field="limit")
    with ctx.db.read() as session:
        statement = select(AuditEvent).where(col(AuditEvent.seq) > after_seq)
        if project_key is not None:
            project = project_by_key(session=session, key=project_key)
            statement = statement.where(AuditEvent.project_id == project.id)
        if actor is not None:
            statement = statement.where(AuditEvent.actor == actor)
        rows = list(session.exec(statement.order_by(col(AuditEvent.seq)).limit(limit + 1)).all())
        return rows[:limit], len(rows) > limit


def actor_names(ctx: Context, actors: Collection[str]) -> dict[str, str]:
    """The name of the person (or job) behind each of `actors`, as events record them,
    where it is known: the account's name, else the name a project membership gives
    them; a system job as `gatekeeper (<job>)`. Two queries in one read, whatever the
    number of actors."""
    names: dict[str, str] = {}
    emails: dict[str, list[str]] = {}
    for actor in actors:
        if actor.startswith("system:"):
            names[actor] = f"gatekeeper ({actor.removeprefix('system:')})"
        elif (email := recorded_address(actor)) is not None:
            emails.setdefault(email, []).append(actor)
    if not emails:
        return names
    with ctx.db.read() as session:
        known = dict(
            session.exec(
                select(ProjectMember.email, ProjectMember.name).where(
                    col(ProjectMember.email).in_(emails)
                )
            ).all()
        )
        known.update(
            session.exec(
                select(UserAccount.email, UserAccount.name).where(
                    col(UserAccount.email).in_(emails)
                )
            ).all()
        )
    for email, recorded in emails.items():
        if email in known:
            names.update(dict.fromkeys(recorded, known[email]))
    return names


def verify(
    ctx: Context, *, checkpoint_path: Path | None = None, key: bytes | None = None
) -> chains.ChainReport:
    """Walk every chain; with a checkpoint, also detect a chain cut off, deleted or rewritten."""
    checkpoint = None
    if checkpoint_path is not None:
        if key is None:
            raise ValidationFailed(
                "A checkpoint can only be checked with the audit key "
                "(GATEKEEPER_AUDIT_KEY or GATEKEEPER_AUDIT_KEY_FILE).",
                field="key",
            )
        try:
            checkpoint = checkpoints.read_checkpoint(checkpoint_path, key)
        except checkpoints.CheckpointError as error:
            raise ValidationFailed(str(error), field="checkpoint") from None
    with ctx.db.read() as session:
        return chains.verify_chains(session=session, checkpoint=checkpoint)


def checkpoint(ctx: Context, *, path: Path, key: bytes) -> checkpoints.Checkpoint:
    """Sign every chain's current head with `key` and write it to `path`."""
    with ctx.db.read() as session:
        return checkpoints.write_checkpoint(session=session, path=path, key=key, at=ctx.clock.now())
