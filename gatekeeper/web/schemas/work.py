"""API schemas of a project's work records (risks, the aktivitetsplan, named
decisions) and of API tokens."""

from __future__ import annotations

from datetime import date, datetime

from pydantic import BaseModel, ConfigDict, Field

from gatekeeper.core.status import ActivityStatus, RiskStatus, TokenScope, label_sv
from gatekeeper.services.access.api_token import IssuedToken, TokenView
from gatekeeper.store.projects.tables import Activity, NamedDecision, Risk


class RiskPublic(BaseModel):
    """A risk scored as the riskanalys does: `score` = probability × consequence (1–16)."""

    id: int
    title: str
    description: str
    probability: int
    consequence: int
    score: int
    mitigation: str
    owner: str
    status: RiskStatus
    status_sv: str
    created_at: datetime
    updated_at: datetime
    row_version: int

    @classmethod
    def of(cls, risk: Risk) -> RiskPublic:
        return cls(
            id=risk.id or 0,
            title=risk.title,
            description=risk.description,
            probability=risk.probability,
            consequence=risk.consequence,
            score=risk.score,
            mitigation=risk.mitigation,
            owner=risk.owner,
            status=risk.status,
            status_sv=label_sv(risk.status),
            created_at=risk.created_at,
            updated_at=risk.updated_at,
            row_version=risk.row_version,
        )


class ActivityPublic(BaseModel):
    """A line of the aktivitetsplan."""

    id: int
    title: str
    start: date | None
    end: date | None
    responsible: str
    status: ActivityStatus
    status_sv: str
    postponed_to: date | None
    comment: str
    created_at: datetime
    updated_at: datetime
    row_version: int

    @classmethod
    def of(cls, activity: Activity) -> ActivityPublic:
        return cls(
            id=activity.id or 0,
            title=activity.title,
            start=activity.start,
            end=activity.end,
            responsible=activity.responsible,
            status=activity.status,
            status_sv=label_sv(activity.status),
            postponed_to=activity.postponed_to,
            comment=activity.comment,
            created_at=activity.created_at,
            updated_at=activity.updated_at,
            row_version=activity.row_version,
        )


class NamedDecisionPublic(BaseModel):
    """A named decision (e.g. `finansiering`) that `decisions_taken` criteria look for."""

    model_config = ConfigDict(from_attributes=True)

    key: str
    title: str
    decided_on: date
    lap: int = Field(
        description="The lap (varv) of a cyclic workflow it belongs to: the sigtepunkter of "
        "lap 2 are recorded anew and only the current lap's count for the criteria."
    )
    reference: str = Field(description="Diarienummer, e.g. 'Dnr 2021.158 VON'.")
    recorded_by: str
    recorded_at: datetime

    @classmethod
    def of(cls, decision: NamedDecision) -> NamedDecisionPublic:
        return cls.model_validate(decision)


class TokenPublic(BaseModel):
    """An API token as its owner sees it later: never its secret."""

    public_id: str
    name: str
    owner: str
    scope: TokenScope
    projects: list[str] = Field(description="The projects it is limited to (empty: all).")
    created_at: datetime
    expires_at: datetime
    revoked_at: datetime | None
    last_used_at: datetime | None

    @classmethod
    def of(cls, view: TokenView) -> TokenPublic:
        token = view.token
        return cls(
            public_id=token.public_id,
            name=token.name,
            owner=view.owner,
            scope=token.scope,
            projects=list(token.projects),
            created_at=token.created_at,
            expires_at=token.expires_at,
            revoked_at=token.revoked_at,
            last_used_at=token.last_used_at,
        )


class NewTokenPublic(TokenPublic):
    """A token just made. `token` is the bearer secret, shown this once: store it now."""

    token: str = Field(description="`gk_<public_id>_<secret>`; only its hash is kept.")

    @classmethod
    def of_new(cls, made: IssuedToken) -> NewTokenPublic:
        return cls(**TokenPublic.of(made).model_dump(), token=made.plaintext)
