"""Who acts: a user, an API token or the system itself.

Every audit event names its actor as `kind:id` (e.g. `user:anna.berg@alingsas.se`,
`token:7f3a9c01/anna.berg@alingsas.se`, `system:demo`) so that an auditor can tell
people from tools, and which token of whose acted.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class ActorKind(StrEnum):
    USER = "user"
    TOKEN = "token"
    SYSTEM = "system"


@dataclass(frozen=True)
class Actor:
    """The one who asked for a change."""

    kind: ActorKind
    id: str
    name: str = ""
    via: str | None = None  # the API token's public id, when a token acted

    def __post_init__(self) -> None:
        if not self.id.strip():
            raise ValueError("an actor needs an id")

    def __str__(self) -> str:
        if self.kind is ActorKind.TOKEN and self.via:
            return f"token:{self.via}/{self.id}"
        return f"{self.kind.value}:{self.id}"

    @classmethod
    def system(cls, job: str) -> Actor:
        return cls(ActorKind.SYSTEM, job, name=f"gatekeeper ({job})")

    @classmethod
    def user(cls, email: str, name: str = "") -> Actor:
        return cls(ActorKind.USER, email, name=name or email)

    @classmethod
    def token(cls, public_id: str, email: str, name: str = "") -> Actor:
        """A person acting through one of their API tokens."""
        return cls(ActorKind.TOKEN, email, name=name or email, via=public_id)


def recorded_address(recorded: str) -> str | None:
    """The e-mail address in an actor as events record it (`str(actor)`): the address
    of `user:<address>` and of `token:<token id>/<address>`; None for a system job."""
    kind, _, rest = recorded.partition(":")
    if kind == ActorKind.USER:
        return rest or None
    if kind == ActorKind.TOKEN:
        return rest.partition("/")[2] or None
    return None
