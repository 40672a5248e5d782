"""Who is asking, and what they may see and change.

A `Principal` is a person (or an admin) acting through an API token or a web
session. Rules, in one place:

- A project is visible to admins and to its members; a token limited to some
  projects sees only those. Anything else does not exist for the caller (404:
  private projects do not leak).
- Changing a project needs a write-scoped token (or a web session) on top.
- Creating projects, adding members and managing other people's tokens is for
  admins. What a member may do inside a project (vote, resume, waive) is
  decided by the use case from their roles there.
"""

from __future__ import annotations

from dataclasses import dataclass

from gatekeeper.core.actor import Actor


@dataclass(frozen=True)
class Principal:
    """The caller of one request."""

    email: str
    name: str
    is_admin: bool
    can_write: bool
    token_id: str | None = None
    projects: frozenset[str] | None = None  # None: every project the person may see

    def actor(self) -> Actor:
        if self.token_id is not None:
            return Actor.token(self.token_id, self.email, self.name)
        return Actor.user(self.email, self.name)

    def may_see(self, project_key: str, *, is_member: bool) -> bool:
        if self.projects is not None and project_key not in self.projects:
            return False
        return self.is_admin or is_member

    def may_change(self, project_key: str, *, is_member: bool) -> bool:
        return self.can_write and self.may_see(project_key, is_member=is_member)

    @property
    def may_administer(self) -> bool:
        return self.is_admin and self.can_write
