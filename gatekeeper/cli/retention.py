"""`gatekeeper purge`: delete once what is past its retention (the hourly job, by hand or cron).

The same work as `gatekeeper serve`'s `retention.purge` job, run to the end:
delivered and dead webhook deliveries, outbox events none of whose
deliveries is left, and expired idempotency records, in batches of short
transactions. Pending deliveries are never touched. Safe next to running
servers and other purges (see `services/retention`).
"""

from __future__ import annotations

from typing import Annotated

import typer

from gatekeeper.cli.common import DatabaseOption, _settings, friendly


@friendly
def purge(
    database_url: DatabaseOption = None,
    batch: Annotated[
        int, typer.Option("--batch", min=1, max=100_000, help="Rows deleted per transaction.")
    ] = 500,
) -> None:
    """Delete webhook deliveries, outbox events and idempotency records past their retention.

    How long each is kept: GATEKEEPER_RETENTION_DELIVERED_DAYS (30),
    GATEKEEPER_RETENTION_DEAD_DAYS (90), GATEKEEPER_RETENTION_IDEMPOTENCY_HOURS (24).
    """
    from gatekeeper.scheduler import retention_policy
    from gatekeeper.services import retention
    from gatekeeper.services.setup import command_context

    settings = _settings(database_url)
    with command_context(settings) as ctx:
        report = retention.purge(ctx, retention_policy(settings), batch=batch)
    typer.echo(
        f"Deleted {report.deliveries} webhook deliveries, {report.outbox_events} outbox events "
        f"and {report.idempotency_records} idempotency records."
    )
