"""The one error tree of gatekeeper.

Domain and service code raise these; they know nothing of HTTP. The web layer
maps each class to a status and an RFC 9457 problem document in one table
(`gatekeeper.web.problem`), and the CLI prints their messages as plain lines.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from gatekeeper.core.gate import GateVerdict


class GatekeeperError(Exception):
    """Base of every error gatekeeper raises on purpose."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class NotFound(GatekeeperError):
    """The object asked for does not exist (or the caller may not know it does)."""


class PermissionDenied(GatekeeperError):
    """The caller is known but may not do this."""


class Unauthenticated(PermissionDenied):
    """The caller brought no valid credentials (missing, unknown, expired or revoked)."""


class Conflict(GatekeeperError):
    """The change clashes with the current state (duplicate key, closed review…)."""


class StaleVersion(Conflict):
    """The change was made on an old copy: someone else changed the object since."""


class ValidationFailed(GatekeeperError):
    """Input is malformed; `field` names the offending field where there is one."""

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.field = field


class DatesOutOfOrder(ValidationFailed):
    """Gate dates under which a phase would end before it starts; `gates` names them
    as (gate id, gate name, date) in the order they were found."""

    def __init__(
        self, message: str, *, field: str | None = None, gates: Sequence[tuple[str, str, date]] = ()
    ) -> None:
        super().__init__(message, field=field)
        self.gates = tuple(gates)


class OverrideRequired(ValidationFailed):
    """A go vote on a gate whose criteria fail, without `override_motivation`;
    `verdict` says which criteria failed."""

    def __init__(
        self, message: str, *, verdict: GateVerdict, field: str = "override_motivation"
    ) -> None:
        super().__init__(message, field=field)
        self.verdict = verdict


@dataclass(frozen=True)
class DefinitionProblem:
    """One problem found in a YAML definition, with its place in the file.

    A `warning` is a problem that does not stop the definition from working (a
    default that cannot apply to it): it is printed but never refused.
    """

    path: str
    line: int
    column: int
    message: str
    warning: bool = False

    def __str__(self) -> str:
        label = "warning: " if self.warning else ""
        return f"{self.path}:{self.line}:{self.column}: {label}{self.message}"


class DefinitionError(GatekeeperError):
    """One or more YAML definitions are invalid; `problems` lists every one."""

    def __init__(self, problems: Sequence[DefinitionProblem]) -> None:
        self.problems = tuple(problems)
        count = len(self.problems)
        head = f"{count} problem{'s' if count != 1 else ''} in definitions"
        super().__init__(head + "".join(f"\n  {p}" for p in self.problems))

    @property
    def path(self) -> str:
        return self.problems[0].path if self.problems else ""

    @property
    def line(self) -> int:
        return self.problems[0].line if self.problems else 0

    @property
    def column(self) -> int:
        return self.problems[0].column if self.problems else 0


class TransitionRefused(GatekeeperError):
    """A gate transition was refused; `verdict` says which criteria failed."""

    def __init__(self, message: str, *, verdict: GateVerdict | None = None) -> None:
        super().__init__(message)
        self.verdict = verdict


class DatabaseUnavailable(GatekeeperError):
    """The configured database cannot be reached or is not migrated."""
