"""Who acts: a user, an API token or the system itself.

Every audit event names its actor as `kind:id` (e.g. `user:anna.berg@alingsas.se`,
`token:7f3a…`, `system:demo`) so that an auditor can tell people from tools.
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

    def __post_init__(self) -> None:
        if not self.id.strip():
            raise ValueError("an actor needs an id")

    def __str__(self) -> str:
        return f"{self.kind.value}:{self.id}"

    @classmethod
    def system(cls, job: str) -> Actor:
        return cls(ActorKind.SYSTEM, job, name=f"gatekeeper ({job})")

    @classmethod
    def user(cls, email: str, name: str = "") -> Actor:
        return cls(ActorKind.USER, email, name=name or email)
