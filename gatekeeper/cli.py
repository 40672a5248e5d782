"""The `gatekeeper` command: serve, demo, validate, schema, db and audit.

Every command prints plain lines; errors from the error tree become one clear
message and a non-zero exit code, never a traceback.
"""

from __future__ import annotations

import json
import os
import secrets
import sys
from collections.abc import Callable
from functools import wraps
from pathlib import Path
from typing import Annotated, Any, TypeVar

import typer
from pydantic import ValidationError

from gatekeeper import __version__
from gatekeeper.config import (
    DEFAULT_SECRET_KEY_FILE,
    Settings,
    describe_settings,
    session_secret,
    write_secret_file,
)
from gatekeeper.errors import DefinitionError, GatekeeperError

app = typer.Typer(
    help="gatekeeper: fasgrindar, checklistor och go/no-go-beslut för införandeprojekt.",
    no_args_is_help=True,
    add_completion=False,
)
db_app = typer.Typer(help="Database schema: upgrade and inspect.", no_args_is_help=True)
audit_app = typer.Typer(help="The tamper-evident audit log.", no_args_is_help=True)
user_app = typer.Typer(help="User accounts.", no_args_is_help=True)
token_app = typer.Typer(help="API tokens: create, list, revoke.", no_args_is_help=True)
app.add_typer(db_app, name="db")
app.add_typer(audit_app, name="audit")
app.add_typer(user_app, name="user")
app.add_typer(token_app, name="token")

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
) -> None:
    """Run the web server (API under /api/v1, docs at /docs).

    Refuses to start if a workflow or checklist does not validate, or if the
    database is unreachable or not migrated.
    """
    import uvicorn

    from gatekeeper.web.app import create_app

    extra = {key: value for key, value in (("host", host), ("port", port)) if value is not None}
    settings = _settings(database_url, workflows, checklists, **extra)
    session_secret(settings)  # no serving on a missing or weak key, outside demo mode
    application = create_app(settings)
    typer.echo(
        f"gatekeeper {__version__} on http://{settings.host}:{settings.port}/ "
        f"(web UI: /login, API docs: /docs, database: {application.state.context.db.display_url})"
    )
    uvicorn.run(application, host=settings.host, port=settings.port, log_level=settings.log_level)


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

    Exit code 0 only when everything is valid.
    """
    from gatekeeper.definitions import validate_paths

    missing = [path for path in paths if not path.exists()]
    if missing:
        _fail("\n".join(f"{path}: no such file or folder" for path in missing), code=2)
    problems = validate_paths(paths)
    for problem in problems:
        typer.echo(str(problem))
    if problems:
        typer.echo(f"{len(problems)} problem{'s' if len(problems) != 1 else ''} found.")
        raise typer.Exit(1)
    typer.echo("All definitions are valid.")


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


@db_app.command("upgrade")
@friendly
def db_upgrade(database_url: DatabaseOption = None) -> None:
    """Create or migrate the database schema to the newest revision (Alembic)."""
    from gatekeeper.services.setup import database_session
    from gatekeeper.store import migration

    with database_session(_settings(database_url), require_current=False) as database:
        before = migration.current_revision(database)
        migration.upgrade(database)
        after = migration.current_revision(database)
        if before == after:
            typer.echo(f"{database.display_url} is already at revision {after}.")
        else:
            typer.echo(f"{database.display_url} upgraded from {before or 'empty'} to {after}.")


@db_app.command("current")
@friendly
def db_current(database_url: DatabaseOption = None) -> None:
    """Show the database's schema revision and the newest one."""
    from gatekeeper.services.setup import database_session
    from gatekeeper.store import migration

    with database_session(_settings(database_url), require_current=False) as database:
        typer.echo(
            f"{database.display_url}: revision {migration.current_revision(database) or 'empty'} "
            f"(newest {migration.head_revision()})"
        )


def _audit_key(settings: Settings, key_file: Path | None) -> bytes | None:
    path = key_file or settings.audit_key_file
    if path is not None:
        try:
            return path.read_bytes().strip()
        except OSError as error:
            _fail(f"error: cannot read the audit key file {path}: {error.strerror}")
    if settings.audit_key:
        return settings.audit_key.encode()
    return None


KeyFileOption = Annotated[
    Path | None,
    typer.Option("--key-file", help="Audit key file (default: GATEKEEPER_AUDIT_KEY[_FILE])."),
]


@audit_app.command("verify")
@friendly
def audit_verify(
    database_url: DatabaseOption = None,
    checkpoint: Annotated[
        Path | None, typer.Option(help="Checkpoint file to hold the chain to (detects truncation).")
    ] = None,
    key_file: KeyFileOption = None,
) -> None:
    """Walk the hash chain; name the first event that was altered, deleted or inserted."""
    from gatekeeper.services import audit_log
    from gatekeeper.services.setup import command_context

    settings = _settings(database_url)
    key = _audit_key(settings, key_file) if checkpoint else None
    with command_context(settings) as ctx:
        report = audit_log.verify(ctx, checkpoint_path=checkpoint, key=key)
    if not report.ok:
        _fail(f"Audit chain BROKEN at event {report.first_bad_seq}: {report.problem}")
    held = " and matches the checkpoint" if checkpoint else ""
    typer.echo(f"Audit chain intact: {report.count} events, head {report.head_hash[:16]}…{held}.")


@audit_app.command("checkpoint")
@friendly
def audit_checkpoint(
    output: Annotated[Path, typer.Argument(help="File to write the signed checkpoint to.")],
    database_url: DatabaseOption = None,
    key_file: KeyFileOption = None,
) -> None:
    """Write the chain head (count and hash), signed with the audit key, to a file.

    Keep the file and the key away from the database: `audit verify --checkpoint`
    then detects events cut off the end of the chain.
    """
    from gatekeeper.services import audit_log
    from gatekeeper.services.setup import command_context

    settings = _settings(database_url)
    key = _audit_key(settings, key_file)
    if key is None:
        _fail(
            "error: no audit key; set GATEKEEPER_AUDIT_KEY or GATEKEEPER_AUDIT_KEY_FILE, or pass "
            "--key-file (create one with `gatekeeper audit new-key FILE`)"
        )
    assert key is not None
    with command_context(settings) as ctx:
        written = audit_log.checkpoint(ctx, path=output, key=key)
    typer.echo(f"Checkpoint written to {output}: {written.count} events, head {written.hash[:16]}…")


@audit_app.command("new-key")
def audit_new_key(
    output: Annotated[Path, typer.Argument(help="File to create (refused if it exists).")],
) -> None:
    """Create a random audit key file (readable by its owner only)."""
    try:
        # Created readable by its owner only, atomically: never briefly world-readable.
        descriptor = os.open(output, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        _fail(f"error: {output} exists; refusing to overwrite a key")
        return
    except OSError as error:
        _fail(f"error: cannot create {output}: {error.strerror}")
        return
    with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
        handle.write(secrets.token_hex(32) + "\n")
    typer.echo(f"Audit key written to {output}. Keep it outside the database and its backups.")


PasswordOption = Annotated[
    bool,
    typer.Option(
        "--password", help="Set a web password: asked for twice, hidden (never an argument)."
    ),
]
PasswordStdinOption = Annotated[
    bool,
    typer.Option("--password-stdin", help="Set a web password read from standard input."),
]


def _read_password(*, from_stdin: bool) -> str:
    """The password, from stdin's first line or asked for twice without echo; checked."""
    from gatekeeper.services import logins

    if from_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
    else:
        password = typer.prompt("Password", hide_input=True, confirmation_prompt=True)
    logins.check_password(password)
    return password


@user_app.command("add")
@friendly
def user_add(
    email: Annotated[str, typer.Argument(help="The person's e-mail address (their login).")],
    name: Annotated[str, typer.Option(help="Full name, e.g. 'Malin Holmberg'.")],
    admin: Annotated[bool, typer.Option(help="May create projects and manage members.")] = False,
    password: PasswordOption = False,
    password_stdin: PasswordStdinOption = False,
    database_url: DatabaseOption = None,
) -> None:
    """Create a user account. Project roles come from project membership.

    With --password (or --password-stdin) the person can also sign in to the web UI.
    """
    from gatekeeper.core.actor import Actor
    from gatekeeper.services import accounts, logins
    from gatekeeper.services.setup import command_context

    secret = _read_password(from_stdin=password_stdin) if password or password_stdin else None
    actor = Actor.system(CLI_ACTOR_JOB)
    with command_context(_settings(database_url)) as ctx:
        user = accounts.create_user(ctx, actor, email=email, name=name, is_admin=admin)
        if secret is not None:
            logins.set_password(ctx, actor, email=user.email, password=secret)
    web = " with a web password" if secret is not None else ""
    typer.echo(f"Account {user.email} created{' (admin)' if user.is_admin else ''}{web}.")


@user_app.command("password")
@friendly
def user_password(
    email: Annotated[str, typer.Argument(help="The account's e-mail address.")],
    password_stdin: PasswordStdinOption = False,
    database_url: DatabaseOption = None,
) -> None:
    """Set or reset a web password (asked for twice, hidden); also lifts a lockout
    and signs the person out everywhere."""
    from gatekeeper.core.actor import Actor
    from gatekeeper.services import logins
    from gatekeeper.services.setup import command_context

    secret = _read_password(from_stdin=password_stdin)
    with command_context(_settings(database_url)) as ctx:
        logins.set_password(ctx, Actor.system(CLI_ACTOR_JOB), email=email, password=secret)
    typer.echo(f"Password of {email.strip().lower()} set.")


@token_app.command("create")
@friendly
def token_create(
    user: Annotated[str, typer.Option("--user", help="Owner's e-mail (the account must exist).")],
    name: Annotated[str, typer.Option(help="What the token is for, e.g. 'Teams-bot'.")],
    scope: Annotated[str, typer.Option(help="read or write.")] = "read",
    project: Annotated[
        list[str] | None, typer.Option("--project", help="Limit to this project (repeatable).")
    ] = None,
    days: Annotated[int, typer.Option(help="Days until it expires (1-365).")] = 90,
    database_url: DatabaseOption = None,
) -> None:
    """Create an API token and print it once; only its hash is stored."""
    from gatekeeper.core.actor import Actor
    from gatekeeper.services import accounts
    from gatekeeper.services.setup import command_context
    from gatekeeper.store.access_tables import TokenScope

    if scope not in ("read", "write"):
        _fail("error: --scope must be read or write", code=2)
    with command_context(_settings(database_url)) as ctx:
        made = accounts.create_token(
            ctx,
            Actor.system(CLI_ACTOR_JOB),
            owner_email=user,
            name=name,
            scope=TokenScope(scope),
            projects=project or (),
            days=days,
        )
    typer.echo(made.plaintext)
    typer.echo(
        f"Token {made.token.public_id} for {user} ({scope}), expires "
        f"{made.token.expires_at:%Y-%m-%d}. It is shown only now.",
        err=True,
    )


@token_app.command("list")
@friendly
def token_list(
    user: Annotated[str, typer.Option("--user", help="Owner's e-mail.")],
    database_url: DatabaseOption = None,
) -> None:
    """List a person's tokens (never their secrets)."""
    from gatekeeper.services import accounts
    from gatekeeper.services.setup import command_context

    with command_context(_settings(database_url)) as ctx:
        tokens = accounts.tokens_of(ctx, user)
    for token in tokens:
        state = "revoked" if token.revoked_at else f"expires {token.expires_at:%Y-%m-%d}"
        projects = ",".join(token.projects) or "all projects"
        typer.echo(f"{token.public_id}  {token.scope.value:5}  {state}  {projects}  {token.name}")


@token_app.command("revoke")
@friendly
def token_revoke(
    public_id: Annotated[str, typer.Argument(help="The token's id (the part after gk_).")],
    database_url: DatabaseOption = None,
) -> None:
    """Revoke a token at once."""
    from gatekeeper.core.actor import Actor
    from gatekeeper.services import accounts
    from gatekeeper.services.setup import command_context

    with command_context(_settings(database_url)) as ctx:
        accounts.revoke_token(ctx, Actor.system(CLI_ACTOR_JOB), public_id=public_id)
    typer.echo(f"Token {public_id} revoked.")


def main() -> None:
    """Entry point of the `gatekeeper` console script."""
    try:
        app()
    except KeyboardInterrupt:
        sys.exit(130)
