"""The `gatekeeper` command: serve, demo, validate, schema, settings, purge, and the
db, audit, user, token and reminders groups (one module each).

Every command prints plain lines; errors from the error tree become one clear
message and a non-zero exit code, never a traceback.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path
from typing import Annotated

import typer

from gatekeeper import __version__
from gatekeeper.cli.accounts import token_app, user_app
from gatekeeper.cli.audit import audit_app
from gatekeeper.cli.common import (
    ChecklistsOption,
    DatabaseOption,
    WorkflowsOption,
    _fail,
    _settings,
    friendly,
)
from gatekeeper.cli.db import db_app
from gatekeeper.cli.reminders import reminders_app
from gatekeeper.cli.retention import purge
from gatekeeper.config import Settings, describe_settings
from gatekeeper.log_config import log_config
from gatekeeper.session_key import DEFAULT_SECRET_KEY_FILE, session_secret, write_secret_file

app = typer.Typer(
    help="gatekeeper: fasgrindar, checklistor och go/no-go-beslut för införandeprojekt.",
    no_args_is_help=True,
    add_completion=False,
)
app.add_typer(db_app, name="db")
app.add_typer(audit_app, name="audit")
app.add_typer(user_app, name="user")
app.add_typer(token_app, name="token")
app.add_typer(reminders_app, name="reminders")
app.command("purge")(purge)


@app.command()
def version() -> None:
    """Print gatekeeper's version."""
    typer.echo(__version__)


@app.command()
@friendly
def serve(
    database_url: DatabaseOption = None,
    workflows: WorkflowsOption = None,
    checklists: ChecklistsOption = None,
    host: Annotated[str | None, typer.Option(help="Address to bind (default 127.0.0.1).")] = None,
    port: Annotated[int | None, typer.Option(help="Port (default 8000).")] = None,
    workers: Annotated[
        int,
        typer.Option(
            min=1,
            max=64,
            help="Worker processes (PostgreSQL only; one process runs the scheduled jobs).",
        ),
    ] = 1,
) -> None:
    """Run the web server (API under /api/v1, docs at /docs).

    Refuses to start if a workflow or checklist does not validate, or if the
    database is unreachable or not migrated. With --workers N, N uvicorn worker
    processes share the port, the database and the secret key; SQLite is refused
    there (one process writes an SQLite file).
    """
    import uvicorn

    from gatekeeper.web.app import create_app
    from gatekeeper.web.metrics import MULTIPROC_ENV, clear_metrics_dir, shared_metrics_dir

    extra = {key: value for key, value in (("host", host), ("port", port)) if value is not None}
    settings = _settings(database_url, workflows, checklists, **extra)
    secret = session_secret(settings)  # no serving on a missing or weak key, outside demo mode
    if workers > 1 and settings.database_url.startswith("sqlite"):
        _fail(
            "error: --workers above 1 needs PostgreSQL (GATEKEEPER_DATABASE_URL="
            "postgresql://…); an SQLite database is served by one process"
        )
    clear_metrics_dir()  # an operator's PROMETHEUS_MULTIPROC_DIR, before any metric exists
    application = create_app(settings)
    typer.echo(
        f"gatekeeper {__version__} on http://{settings.host}:{settings.port}/ "
        f"(web UI: /login, API docs: /docs, database: {application.state.context.db.display_url}"
        + (f", {workers} workers)" if workers > 1 else ")")
    )
    logs = log_config(settings.log_level, settings.log_format)
    if workers == 1:
        uvicorn.run(
            application,
            host=settings.host,
            port=settings.port,
            log_level=settings.log_level,
            log_config=logs,
        )
        return
    application.state.context.db.dispose()  # checked; each worker opens its own
    os.environ.update(worker_environment(settings, secret))
    with shared_metrics_dir() as metrics_dir:  # every worker's values, for any one to sum
        os.environ[MULTIPROC_ENV] = str(metrics_dir)
        uvicorn.run(
            "gatekeeper.web.app:app_from_environment",
            factory=True,
            workers=workers,
            host=settings.host,
            port=settings.port,
            log_level=settings.log_level,
            log_config=logs,
        )


def worker_environment(settings: Settings, secret: str) -> dict[str, str]:
    """What worker processes read their settings from: the command line's choices and
    the one session key (made here in demo mode), so a cookie signed by one is
    accepted by all."""
    return {
        "GATEKEEPER_DATABASE_URL": settings.database_url,
        "GATEKEEPER_WORKFLOWS_DIR": ":".join(str(path) for path in settings.workflows_dir),
        "GATEKEEPER_CHECKLISTS_DIR": ":".join(str(path) for path in settings.checklists_dir),
        "GATEKEEPER_SECRET_KEY": secret,
    }


@app.command()
@friendly
def demo(
    database_url: DatabaseOption = None,
    workflows: WorkflowsOption = None,
    checklists: ChecklistsOption = None,
) -> None:
    """Fill the database with demo projects shaped like the seed documents.

    Migrates the database first. Projects that already exist are left alone.
    Without a configured secret key it also writes the key file
    (GATEKEEPER_SECRET_KEY_FILE, default .gatekeeper-secret) that `serve` reads.
    """
    from gatekeeper.demo import build_demo
    from gatekeeper.services.setup import command_context
    from gatekeeper.store import migration

    settings = _settings(database_url, workflows, checklists)
    with command_context(settings, require_current=False) as ctx:
        migration.upgrade(ctx.db)
        for line in build_demo(ctx):
            typer.echo(line)
        if settings.secret_key is None and not settings.secret_key_file.exists():
            write_secret_file(settings.secret_key_file)
            typer.echo(
                f"Secret key for web sessions written to {settings.secret_key_file} "
                "(owner-only; gatekeeper serve reads it from this folder)."
            )
        typer.echo(f"Demo data is in {ctx.db.display_url}. Start the server: gatekeeper serve")


@app.command("new-secret-key")
def new_secret_key(
    output: Annotated[
        Path, typer.Argument(help="File to create (refused if it exists).")
    ] = DEFAULT_SECRET_KEY_FILE,
) -> None:
    """Create a random secret key file for web sessions (readable by its owner only).

    `gatekeeper serve` reads .gatekeeper-secret in the working directory, or the
    file GATEKEEPER_SECRET_KEY_FILE names.
    """
    try:
        write_secret_file(output)
    except FileExistsError:
        _fail(f"error: {output} exists; refusing to overwrite a key")
    except OSError as error:
        _fail(f"error: cannot create {output}: {error.strerror}")
    typer.echo(f"Secret key written to {output}. Keep it private; losing it signs everyone out.")


@app.command()
def validate(
    paths: Annotated[list[Path], typer.Argument(help="YAML files or folders to check.")],
) -> None:
    """Check workflow and checklist YAML; print every problem as file:line:column: sentence.

    Warnings (file:line:column: warning: sentence) name what works but not as one
    may think. Exit code 0 only when everything is valid; warnings do not fail.
    """
    from gatekeeper.definitions import validate_paths

    missing = [path for path in paths if not path.exists()]
    if missing:
        _fail("\n".join(f"{path}: no such file or folder" for path in missing), code=2)
    found = validate_paths(paths, warnings=True)
    for problem in found:
        typer.echo(str(problem))
    problems = [problem for problem in found if not problem.warning]
    warned = len(found) - len(problems)
    warnings = f"{warned} warning{'s' if warned != 1 else ''}"
    if problems:
        summary = f"{len(problems)} problem{'s' if len(problems) != 1 else ''} found"
        typer.echo(f"{summary}{f' ({warnings})' if warned else ''}.")
        raise typer.Exit(1)
    typer.echo(f"All definitions are valid{f' ({warnings})' if warned else ''}.")


@app.command()
def schema(
    kind: Annotated[str, typer.Argument(help="workflow or checklist")],
) -> None:
    """Print the JSON Schema of the workflow or checklist YAML format."""
    from gatekeeper.definitions import json_schema

    if kind not in ("workflow", "checklist"):
        _fail("kind must be 'workflow' or 'checklist'", code=2)
    typer.echo(json.dumps(json_schema(kind), indent=2, ensure_ascii=False))  # type: ignore[arg-type]


@app.command(name="settings")
def show_settings() -> None:
    """List every GATEKEEPER_ setting with its default and meaning."""
    for name, default, help_text in describe_settings():
        typer.echo(f"{name} (default {default})\n    {help_text}")


def main() -> None:
    """Entry point of the `gatekeeper` console script."""
    try:
        app()
    except KeyboardInterrupt:
        sys.exit(130)
