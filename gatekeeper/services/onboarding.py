"""Adding a project member who may not have an account yet: one use case over two capabilities.

Projects may not use access, nor access projects (tests/test_layout.py), yet
giving a new person a role should also give them an account and an
invitation. This shared use case, at the top of the services layer like
`consequences`, composes the two in one transaction: the membership
(`projects/member.add_member_in`, which checks that the caller may manage
members) and the account with its one-time link (`access/invitation.invite_in`).
The invitation e-mail leaves after the commit, so a mail server that is down
never undoes the membership; the answer says whether it was sent.
"""

from __future__ import annotations

from dataclasses import dataclass

from gatekeeper.channels.account_mail import LetterBox
from gatekeeper.core.access import Principal
from gatekeeper.services import validation
from gatekeeper.services.access import invitation
from gatekeeper.services.context import Context
from gatekeeper.services.lookup import project_by_key
from gatekeeper.services.projects import member as members
from gatekeeper.services.refusal import audits_refusal
from gatekeeper.store.projects.tables import ProjectMember


@dataclass(frozen=True)
class Onboarded:
    """A member just added: their row, and what happened to their account."""

    member: ProjectMember
    new_account: bool  # an account was made for them
    invited: bool  # they have no password yet, so a link to set one was made
    invitation_sent: bool  # and the e-mail with it left gatekeeper


@audits_refusal("member.add", object_type="member", object_id="{email}:{role}")
def add_member(
    ctx: Context,
    principal: Principal,
    *,
    project_key: str,
    name: str,
    email: str,
    role: str,
    substitute_for: str | None = None,
    letters: LetterBox | None,
    base_url: str,
) -> Onboarded:
    """Give a person a role, make or link their account, and invite them if they need it."""
    address = validation.email(email)
    actor = principal.actor()
    now = ctx.clock.now()
    with ctx.db.write() as session:
        project = project_by_key(session=session, key=project_key, lock=True)
        members.require_manager(session=session, project=project, principal=principal)
        member = members.add_member_in(
            session,
            actor,
            project=project,
            name=name,
            email=address,
            role=role,
            substitute_for=substitute_for,
            now=now,
        )
        invited = invitation.invite_in(
            session,
            actor,
            email=address,
            name=member.name,
            base_url=base_url,
            project_key=project.key,
            project_name=project.name,
            now=now,
        )
    sent = invitation.deliver(letters, invited.letter)
    return Onboarded(member, invited.new_account, invited.letter is not None, sent)
