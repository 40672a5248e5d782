"""`gatekeeper audit`: verify the hash chain, write signed checkpoints, make a key."""

from __future__ import annotations

import os
import secrets
from pathlib import Path
from typing import Annotated

import typer

from gatekeeper.cli.common import (
    DatabaseOption,
    _fail,
    _settings,
    friendly,
)
from gatekeeper.config import (
    Settings,
)

audit_app = typer.Typer(help="The tamper-evident audit log.", no_args_is_help=True)


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


def _chains(count: int) -> str:
    return "1 chain" if count == 1 else f"{count} chains"


KeyFileOption = Annotated[
    Path | None,
    typer.Option("--key-file", help="Audit key file (default: GATEKEEPER_AUDIT_KEY[_FILE])."),
]


@audit_app.command("verify")
@friendly
def audit_verify(
    database_url: DatabaseOption = None,
    checkpoint: Annotated[
        Path | None,
        typer.Option(help="Checkpoint file to hold the chains to (detects truncation)."),
    ] = None,
    key_file: KeyFileOption = None,
) -> None:
    """Walk every hash chain; name the first event that was altered, deleted or inserted."""
    from gatekeeper.services.audit import log as audit_log
    from gatekeeper.services.setup import command_context

    settings = _settings(database_url)
    key = _audit_key(settings, key_file) if checkpoint else None
    with command_context(settings) as ctx:
        report = audit_log.verify(ctx, checkpoint_path=checkpoint, key=key)
    if not report.ok:
        _fail(f"Audit chain {report.chain} BROKEN at event {report.position}: {report.problem}")
    held = " and matches the checkpoint" if checkpoint else ""
    typer.echo(
        f"Audit chains intact: {report.count} events in {_chains(report.chains)}, "
        f"fingerprint {report.fingerprint[:16]}…{held}."
    )


@audit_app.command("checkpoint")
@friendly
def audit_checkpoint(
    output: Annotated[Path, typer.Argument(help="File to write the signed checkpoint to.")],
    database_url: DatabaseOption = None,
    key_file: KeyFileOption = None,
) -> None:
    """Write every chain's head (count and last hash), signed with the audit key, to a file.

    Keep the file and the key away from the database: `audit verify --checkpoint`
    then detects events cut off the end of a chain, and a chain deleted whole.
    """
    from gatekeeper.services.audit import log as audit_log
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
    typer.echo(
        f"Checkpoint written to {output}: {written.count} events in "
        f"{_chains(len(written.chains))}, fingerprint {written.digest[:16]}…"
    )


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
