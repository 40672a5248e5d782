"""Authentication and authorisation of API requests, as FastAPI dependencies.

Routes declare what they need (`PrincipalDep`, `ProjectReader`, `ProjectWriter`,
`AdminDep`) and never check permissions themselves; what each allows is decided
by `core.access.Principal` alone (`AdminDep`: an installation admin, which a
token limited to some projects never is). A project the caller may
not see answers 404, exactly like one that does not exist; a project they see
but may not change answers 403.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from gatekeeper.core.access import Principal
from gatekeeper.core.actor import Actor
from gatekeeper.errors import NotFound, PermissionDenied, Unauthenticated
from gatekeeper.services.access import account as accounts
from gatekeeper.web.deps import ContextDep
from gatekeeper.web.etag import parse_etag

_bearer = HTTPBearer(
    auto_error=False,
    bearerFormat="gk_<id>_<secret>",
    description="An API token from `gatekeeper token create` or POST /api/v1/tokens.",
)


def get_principal(
    ctx: ContextDep,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
) -> Principal:
    if credentials is None:
        raise Unauthenticated(
            "API:et kräver ett token: skicka 'Authorization: Bearer gk_…' "
            "(skapa ett med `gatekeeper token create`)."
        )
    return accounts.authenticate(ctx, credentials.credentials)


PrincipalDep = Annotated[Principal, Depends(get_principal)]


@dataclass(frozen=True)
class ProjectAccess:
    """A caller cleared for one project."""

    project_key: str
    principal: Principal

    @property
    def actor(self) -> Actor:
        return self.principal.actor()


def _visible(ctx: ContextDep, principal: Principal, project_key: str) -> ProjectAccess:
    member = accounts.is_member(ctx, project_key, principal.email)
    if not principal.may_see(project_key, is_member=member):
        raise NotFound(f"Projektet '{project_key}' finns inte.")
    return ProjectAccess(project_key, principal)


def project_reader(ctx: ContextDep, principal: PrincipalDep, project_key: str) -> ProjectAccess:
    return _visible(ctx, principal, project_key)


def project_writer(ctx: ContextDep, principal: PrincipalDep, project_key: str) -> ProjectAccess:
    access = _visible(ctx, principal, project_key)
    if not principal.can_write:
        raise PermissionDenied("Tokenet får bara läsa; skapa ett token med skrivrätt.")
    return access


def require_admin(principal: PrincipalDep) -> Principal:
    if not principal.may_administer:
        raise PermissionDenied(
            "Det här kräver en administratör med skrivrätt och ett token som gäller alla projekt."
        )
    return principal


ProjectReader = Annotated[ProjectAccess, Depends(project_reader)]
ProjectWriter = Annotated[ProjectAccess, Depends(project_writer)]
AdminDep = Annotated[Principal, Depends(require_admin)]


def request_etag(request: Request) -> int | None:
    """The row version an `If-Match` header names (None when absent or `*`)."""
    header = request.headers.get("if-match")
    if header is None or header.strip() == "*":
        return None
    return parse_etag(header)


IfMatch = Annotated[int | None, Depends(request_etag)]
