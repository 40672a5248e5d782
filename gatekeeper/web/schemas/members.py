"""Schemas of a project's members: a seat holder or ersättare, and a member just added."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field

from gatekeeper.services.onboarding import Onboarded
from gatekeeper.store.projects.tables import ProjectMember


class MemberPublic(BaseModel):
    name: str
    email: str
    role: str
    substitute_for: str | None = None

    @classmethod
    def of(cls, member: ProjectMember) -> MemberPublic:
        return cls(
            name=member.name,
            email=member.email,
            role=member.role,
            substitute_for=member.substitute_for,
        )


class MemberCreatedPublic(MemberPublic):
    """A member just added, and what happened to their account."""

    account: Literal["created", "linked"] = Field(
        description="created: the person had no account and got one; linked: they had one."
    )
    invitation_sent: bool = Field(
        description="Whether an e-mail with a one-time link to set a password (valid 7 days) "
        "was sent. Only people without a password are invited; false also when no SMTP "
        "server is configured or it refused the message."
    )

    @classmethod
    def of_onboarded(cls, onboarded: Onboarded) -> MemberCreatedPublic:
        member = onboarded.member
        return cls(
            name=member.name,
            email=member.email,
            role=member.role,
            substitute_for=member.substitute_for,
            account="created" if onboarded.new_account else "linked",
            invitation_sent=onboarded.invitation_sent,
        )
