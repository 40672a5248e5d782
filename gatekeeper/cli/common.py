"""What every command shares: settings from options, one-line errors, common options."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from pathlib import Path
from typing import Annotated, Any, TypeVar

import typer
from pydantic import ValidationError

from gatekeeper.config import (
    Settings,
)
from gatekeeper.errors import DefinitionError, GatekeeperError

CLI_ACTOR_JOB = "cli"

F = TypeVar("F", bound=Callable[..., Any])

DatabaseOption = Annotated[
    str | None,
    typer.Option("--database-url", help="Database URL (default: GATEKEEPER_DATABASE_URL)."),
]
WorkflowsOption = Annotated[
    list[Path] | None,
    typer.Option("--workflows", help="Folder of workflow YAML (default: the shipped ones)."),
]
ChecklistsOption = Annotated[
    list[Path] | None,
    typer.Option("--checklists", help="Folder of checklist YAML (default: the shipped ones)."),
]


def _settings(
    database_url: str | None = None,
    workflows: list[Path] | None = None,
    checklists: list[Path] | None = None,
    **extra: Any,
) -> Settings:
    overrides: dict[str, Any] = dict(extra)
    if database_url:
        overrides["database_url"] = database_url
    if workflows:
        overrides["workflows_dir"] = workflows
    if checklists:
        overrides["checklists_dir"] = checklists
    try:
        return Settings(**overrides)
    except ValidationError as error:
        problems = "; ".join(
            str(problem["msg"]).removeprefix("Value error, ") for problem in error.errors()
        )
        _fail(f"error: invalid settings: {problems}")
        raise  # not reached: _fail exits


def _fail(message: str, code: int = 1) -> None:
    typer.echo(message, err=True)
    raise typer.Exit(code)


def friendly(command: F) -> F:
    """Turn gatekeeper errors into one message on stderr and exit code 1."""

    @wraps(command)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return command(*args, **kwargs)
        except DefinitionError as error:
            _fail("The definitions do not validate:\n" + "\n".join(str(p) for p in error.problems))
        except GatekeeperError as error:
            _fail(f"error: {error.message}")
        return None

    return wrapper  # type: ignore[return-value]
