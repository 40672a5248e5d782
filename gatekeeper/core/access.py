"""Who is asking, and what they may see and change.

A `Principal` is a person (or an admin) acting through an API token or a web
session. Rules, in one place:

- A project is visible to admins and to its members; a token limited to some
  projects sees only those. Anything else does not exist for the caller (404:
  private projects do not leak).
- Changing a project needs a write-scoped token (or a web session) on top.
- Creating projects, reading the whole audit log and seeing or revoking other
  people's tokens is for *installation* admins: an admin account acting
  through a web session or a token valid for every project. A token limited
  to some projects is never an installation admin, even when its owner is:
  it acts as an admin inside those projects only (it sees them without being
  a member, and manages their members), exactly as far as its list reaches.
  What a member may do inside a project (vote, resume, waive) is decided by
  the use case from their roles there.
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

    def administers(self, project_key: str) -> bool:
        """Whether the caller acts as an admin inside this project (within its token's list)."""
        return self.is_admin and (self.projects is None or project_key in self.projects)

    @property
    def administers_installation(self) -> bool:
        """An admin whose reach is not limited to some projects: may see everything."""
        return self.is_admin and self.projects is None

    @property
    def may_administer(self) -> bool:
        """An installation admin who may also change things (create projects, others' tokens)."""
        return self.administers_installation and self.can_write
