"""`gatekeeper reminders`: run the dispatcher in the foreground; list a project's reminders.

`dispatch` does what `gatekeeper serve` does in the background (for a separate
dispatcher process, or a cron job with `--once`); any number of dispatchers
may run against one PostgreSQL database, each reminder is claimed by one.
"""

from __future__ import annotations

import time
from datetime import timedelta
from typing import Annotated

import typer

from gatekeeper.cli.common import DatabaseOption, _settings, friendly
from gatekeeper.core.status import ReminderStatus

reminders_app = typer.Typer(help="Reminders: dispatch and the delivery log.", no_args_is_help=True)

DIGEST_EVERY = timedelta(minutes=15)


@reminders_app.command("dispatch")
@friendly
def reminders_dispatch(
    database_url: DatabaseOption = None,
    once: Annotated[
        bool, typer.Option("--once", help="Send what is due now, then exit (for cron).")
    ] = False,
) -> None:
    """Send due reminders (e-mail, inbox, webhooks) until stopped with Ctrl-C.

    E-mail goes out only with GATEKEEPER_SMTP_HOST set; the inbox and webhooks
    always. Daily digests are sent too (every 15 minutes, those that are due).
    """
    from gatekeeper.channels.email import email_channel
    from gatekeeper.scheduler import worker_name
    from gatekeeper.services.reminders import digest as reminder_digest
    from gatekeeper.services.reminders import dispatch as reminder_dispatch
    from gatekeeper.services.setup import command_context

    settings = _settings(database_url)
    channel = email_channel(settings)
    channels = [channel] if channel else []
    worker = worker_name()
    lease = timedelta(seconds=settings.reminder_lease_seconds)
    typer.echo(
        f"Dispatching reminders as {worker} (e-mail: "
        f"{'via ' + settings.smtp_host if settings.smtp_host else 'off, inbox and webhooks only'})."
    )
    next_digest = 0.0
    with command_context(settings) as ctx:
        while True:
            totals = {"claimed": 0, "sent": 0, "retrying": 0, "failed": 0, "lost": 0}
            while True:
                report = reminder_dispatch.dispatch_due(
                    ctx,
                    worker=worker,
                    channels=channels,
                    limit=settings.reminder_batch,
                    lease=lease,
                    max_attempts=settings.reminder_max_attempts,
                    base_url=settings.public_base_url,
                )
                for name in totals:
                    totals[name] += getattr(report, name)
                if report.claimed < settings.reminder_batch and not report.released:
                    break
            if totals["claimed"] or once:
                typer.echo(", ".join(f"{name} {count}" for name, count in totals.items()))
            if channel is not None and time.monotonic() >= next_digest:
                digests = reminder_digest.send_digests(
                    ctx,
                    mailer=channel,
                    hour=settings.digest_hour,
                    base_url=settings.public_base_url,
                )
                if digests.sent or digests.failed:
                    typer.echo(f"digests sent {digests.sent}, failed {digests.failed}")
                next_digest = time.monotonic() + DIGEST_EVERY.total_seconds()
            if once:
                return
            time.sleep(settings.reminder_interval_seconds)


@reminders_app.command("list")
@friendly
def reminders_list(
    project: Annotated[str, typer.Option("--project", help="The project's key.")],
    status: Annotated[
        ReminderStatus | None, typer.Option("--status", help="Only reminders in this status.")
    ] = None,
    limit: Annotated[int, typer.Option(help="At most this many, newest first.")] = 100,
    database_url: DatabaseOption = None,
) -> None:
    """List a project's reminders, newest first: status, due time, recipient, title, last error."""
    from gatekeeper.services.reminders import log as reminder_log
    from gatekeeper.services.setup import command_context

    settings = _settings(database_url)
    with command_context(settings) as ctx:
        rows, more = reminder_log.list_reminders(ctx, project, status=status, limit=limit)
    for reminder in rows:
        line = (
            f"{reminder.id}\t{reminder.status}\t{reminder.due_at:%Y-%m-%d %H:%M}Z\t"
            f"{reminder.recipient_email}\t{reminder.title}"
        )
        if reminder.attempts:
            line += f"\t(försök {reminder.attempts})"
        if reminder.last_error:
            line += f"\t{reminder.last_error}"
        typer.echo(line)
    if not rows:
        typer.echo("No reminders.")
    elif more:
        typer.echo(f"… more than {limit}; use --limit to see more.")
