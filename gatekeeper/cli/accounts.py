"""`gatekeeper user` and `gatekeeper token`: accounts, passwords and API tokens."""

from __future__ import annotations

import sys
from typing import Annotated

import typer

from gatekeeper.cli.common import (
    CLI_ACTOR_JOB,
    DatabaseOption,
    _fail,
    _settings,
    friendly,
)

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


user_app = typer.Typer(help="User accounts.", no_args_is_help=True)
token_app = typer.Typer(help="API tokens: create, list, revoke.", no_args_is_help=True)


def _read_password(*, from_stdin: bool) -> str:
    """The password, from stdin's first line or asked for twice without echo; checked."""
    from gatekeeper.services.access import login as logins

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
    from gatekeeper.services.access import account as accounts
    from gatekeeper.services.access import login as logins
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
    from gatekeeper.services.access import login as logins
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
    from gatekeeper.core.status import TokenScope
    from gatekeeper.services.access import account as accounts
    from gatekeeper.services.setup import command_context

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
    from gatekeeper.services.access import account as accounts
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
    from gatekeeper.services.access import account as accounts
    from gatekeeper.services.setup import command_context

    with command_context(_settings(database_url)) as ctx:
        accounts.revoke_token(ctx, Actor.system(CLI_ACTOR_JOB), public_id=public_id)
    typer.echo(f"Token {public_id} revoked.")
