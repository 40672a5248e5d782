"""The intressentanalys: add and revise its rows (seed 000's Tabell 5).

An intressent, their relation to the project (intresse), their påverkan
(liten / medel / stor), what they expect (förväntningar) and how the project
meets them (strategi). The projektledare or an administrator writes; members
read.
"""

from __future__ import annotations

from sqlmodel import Session, col, select

from gatekeeper.core.actor import Actor
from gatekeeper.core.events.registers import (
    StakeholderCreated,
    StakeholderState,
    StakeholderUpdated,
)
from gatekeeper.core.followup.register import INFLUENCE_ORDER, Influence
from gatekeeper.errors import NotFound
from gatekeeper.services import change, validation
from gatekeeper.services.context import Context
from gatekeeper.services.lookup import check_version, project_by_key, require_active
from gatekeeper.services.projects.leader import require_leader
from gatekeeper.services.refusal import audits_refusal
from gatekeeper.store.followup.register_tables import Stakeholder
from gatekeeper.store.projects.tables import Project


def _state(row: Stakeholder) -> StakeholderState:
    return StakeholderState(
        name=row.name,
        interest=row.interest,
        influence=row.influence.value,
        expectations=row.expectations,
        strategy=row.strategy,
    )


def _texts(
    name: str | None, interest: str | None, expectations: str | None, strategy: str | None
) -> dict[str, str]:
    out: dict[str, str] = {}
    if name is not None:
        out["name"] = validation.text(name, field="name", label="Intressenten", max_length=300)
    for field, value, label in (
        ("interest", interest, "Intresset"),
        ("expectations", expectations, "Förväntningarna"),
        ("strategy", strategy, "Strategin"),
    ):
        if value is not None:
            out[field] = validation.text(
                value, field=field, label=label, max_length=4000, required=False
            )
    return out


@audits_refusal("stakeholder.create", object_type="project")
def add_stakeholder(
    ctx: Context,
    actor: Actor,
    *,
    project_key: str,
    name: str,
    interest: str = "",
    influence: Influence = Influence.MEDIUM,
    expectations: str = "",
    strategy: str = "",
) -> Stakeholder:
    """Add an intressent to the intressentanalys (the projektledare or an administrator)."""
    texts = _texts(name, interest, expectations, strategy)
    now = ctx.clock.now()
    with ctx.db.write() as session:
        project = project_by_key(session=session, key=project_key)
        require_leader(
            session=session, project=project, actor=actor, what="ändra intressentanalysen"
        )
        require_active(project)
        assert project.id is not None
        row = Stakeholder(
            project_id=project.id,
            influence=Influence(influence),
            name=texts["name"],
            interest=texts["interest"],
            expectations=texts["expectations"],
            strategy=texts["strategy"],
            created_at=now,
            updated_at=now,
        )
        session.add(row)
        session.flush()
        change.record(
            session,
            StakeholderCreated(object_id=str(row.id), after=_state(row)),
            by=actor,
            at=now,
            project=project,
        )
        return row


@audits_refusal("stakeholder.update", object_type="stakeholder", object_id="{row_id}")
def update_stakeholder(
    ctx: Context,
    actor: Actor,
    *,
    project_key: str,
    row_id: int,
    name: str | None = None,
    interest: str | None = None,
    influence: Influence | None = None,
    expectations: str | None = None,
    strategy: str | None = None,
    expected_version: int | None = None,
) -> Stakeholder:
    """Revise an intressent's row; only given fields change."""
    texts = _texts(name, interest, expectations, strategy)
    now = ctx.clock.now()
    with ctx.db.write() as session:
        project = project_by_key(session=session, key=project_key)
        require_leader(
            session=session, project=project, actor=actor, what="ändra intressentanalysen"
        )
        require_active(project)
        row = session.exec(
            select(Stakeholder)
            .where(Stakeholder.id == row_id, Stakeholder.project_id == project.id)
            .with_for_update()
        ).one_or_none()
        if row is None:
            raise NotFound(f"Intressenten {row_id} finns inte i projektet {project.name}.")
        check_version(row.row_version, expected_version, f"Intressenten '{row.name}'")
        before = _state(row)
        for field, value in texts.items():
            setattr(row, field, value)
        if influence is not None:
            row.influence = Influence(influence)
        after = _state(row)
        if after == before:
            return row
        change.record(
            session,
            StakeholderUpdated(object_id=str(row.id), before=before, after=after),
            by=actor,
            at=now,
            project=project,
            row=row,
        )
        return row


def list_stakeholders_in(*, session: Session, project: Project) -> list[Stakeholder]:
    """The intressentanalys: greatest påverkan first, then in the order they were added."""
    rows = session.exec(
        select(Stakeholder)
        .where(Stakeholder.project_id == project.id)
        .order_by(col(Stakeholder.id))
    ).all()
    return sorted(rows, key=lambda row: INFLUENCE_ORDER[row.influence])


def list_stakeholders(ctx: Context, project_key: str) -> list[Stakeholder]:
    """`list_stakeholders_in` in a read transaction of its own."""
    with ctx.db.read() as session:
        project = project_by_key(session=session, key=project_key)
        return list_stakeholders_in(session=session, project=project)


def get_stakeholder(ctx: Context, project_key: str, row_id: int) -> Stakeholder:
    """One intressent of the project (NotFound when it is another project's)."""
    with ctx.db.read() as session:
        project = project_by_key(session=session, key=project_key)
        row = session.exec(
            select(Stakeholder).where(
                Stakeholder.id == row_id, Stakeholder.project_id == project.id
            )
        ).one_or_none()
        if row is None:
            raise NotFound(f"Intressenten {row_id} finns inte i projektet {project.name}.")
        return row
