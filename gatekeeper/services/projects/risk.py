"""Risks: record and revise them as the seeds' riskanalys does (1–4 × 1–4)."""

from __future__ import annotations

from sqlmodel import Session, col, select

from gatekeeper.core.actor import Actor
from gatekeeper.core.events.projects import RiskCreated, RiskState, RiskUpdated
from gatekeeper.core.risk import risk_score
from gatekeeper.core.status import RiskStatus
from gatekeeper.errors import NotFound
from gatekeeper.services import change, validation
from gatekeeper.services.context import Context
from gatekeeper.services.lookup import check_version, project_by_key, require_active
from gatekeeper.services.projects.leader import require_leader
from gatekeeper.services.refusal import audits_refusal
from gatekeeper.store.projects.tables import Project, Risk


def _state(risk: Risk) -> RiskState:
    return RiskState(
        title=risk.title,
        description=risk.description,
        probability=risk.probability,
        consequence=risk.consequence,
        score=risk.score,
        mitigation=risk.mitigation,
        owner=risk.owner,
        status=risk.status.value,
    )


@audits_refusal("risk.create", object_type="project")
def add_risk(
    ctx: Context,
    actor: Actor,
    *,
    project_key: str,
    title: str,
    probability: int,
    consequence: int,
    mitigation: str = "",
    owner: str = "",
    description: str = "",
) -> Risk:
    """Record a new open risk (the projektledare or an administrator)."""
    title = validation.text(title, field="title", label="Risken", max_length=300)
    probability = validation.score(probability, field="probability", label="Sannolikheten")
    consequence = validation.score(consequence, field="consequence", label="Konsekvensen")
    now = ctx.clock.now()
    with ctx.db.write() as session:
        project = project_by_key(session=session, key=project_key)
        require_leader(session=session, project=project, actor=actor, what="registrera risker")
        require_active(project)
        assert project.id is not None
        risk = Risk(
            project_id=project.id,
            title=title,
            description=description.strip(),
            probability=probability,
            consequence=consequence,
            score=risk_score(probability, consequence),
            mitigation=mitigation.strip(),
            owner=owner.strip(),
            created_at=now,
            updated_at=now,
        )
        session.add(risk)
        session.flush()
        change.record(
            session,
            RiskCreated(object_id=str(risk.id), after=_state(risk)),
            by=actor,
            at=now,
            project=project,
        )
        return risk


@audits_refusal("risk.update", object_type="risk", object_id="{risk_id}")
def update_risk(
    ctx: Context,
    actor: Actor,
    *,
    project_key: str,
    risk_id: int,
    title: str | None = None,
    description: str | None = None,
    probability: int | None = None,
    consequence: int | None = None,
    status: RiskStatus | None = None,
    mitigation: str | None = None,
    owner: str | None = None,
    expected_version: int | None = None,
) -> Risk:
    """Re-word, re-score, re-assign, mitigate, close or accept a risk; only given fields change."""
    if title is not None:
        title = validation.text(title, field="title", label="Risken", max_length=300)
    if probability is not None:
        validation.score(probability, field="probability", label="Sannolikheten")
    if consequence is not None:
        validation.score(consequence, field="consequence", label="Konsekvensen")
    now = ctx.clock.now()
    with ctx.db.write() as session:
        project = project_by_key(session=session, key=project_key)
        require_leader(session=session, project=project, actor=actor, what="ändra risker")
        require_active(project)
        risk = session.exec(
            select(Risk).where(Risk.id == risk_id, Risk.project_id == project.id).with_for_update()
        ).one_or_none()
        if risk is None:
            raise NotFound(f"Risken {risk_id} finns inte i projektet {project.name}.")
        check_version(risk.row_version, expected_version, f"Risken '{risk.title}'")
        before = _state(risk)
        if title is not None:
            risk.title = title
        if description is not None:
            risk.description = description.strip()
        if probability is not None:
            risk.probability = probability
        if consequence is not None:
            risk.consequence = consequence
        if status is not None:
            risk.status = RiskStatus(status)
        if mitigation is not None:
            risk.mitigation = mitigation.strip()
        if owner is not None:
            risk.owner = owner.strip()
        risk.score = risk_score(risk.probability, risk.consequence)
        after = _state(risk)
        if after == before:
            return risk
        change.record(
            session,
            RiskUpdated(object_id=str(risk.id), before=before, after=after),
            by=actor,
            at=now,
            project=project,
            row=risk,
        )
        return risk


def list_risks(ctx: Context, project_key: str) -> list[Risk]:
    """The project's risks, highest score first."""
    with ctx.db.read() as session:
        return list_risks_in(
            session=session, project=project_by_key(session=session, key=project_key)
        )


def list_risks_in(*, session: Session, project: Project) -> list[Risk]:
    """`list_risks` inside the caller's transaction."""
    return list(
        session.exec(
            select(Risk)
            .where(Risk.project_id == project.id)
            .order_by(col(Risk.score).desc(), col(Risk.id))
        ).all()
    )


def get_risk(ctx: Context, project_key: str, risk_id: int) -> Risk:
    """One risk of the project (NotFound when it is another project's)."""
    with ctx.db.read() as session:
        project = project_by_key(session=session, key=project_key)
        risk = session.exec(
            select(Risk).where(Risk.id == risk_id, Risk.project_id == project.id)
        ).one_or_none()
        if risk is None:
            raise NotFound(f"Risken {risk_id} finns inte i projektet {project.name}.")
        return risk
