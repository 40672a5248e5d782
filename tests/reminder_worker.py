"""One reminder dispatcher process for the multi-process tests.

`python -m tests.reminder_worker URL OUT [--lease S] [--limit N] [--crash-after K]
[--now-offset S] [--inbox-only]` drains every due reminder with a recording
channel that appends each delivered id to OUT, then exits 0; with
`--inbox-only` there is no channel outside the database (no SMTP) and OUT
gets the number of reminders this process marked sent. With `--crash-after K` the
process kills itself (`os._exit(9)`) right after handing its K-th reminder to
the channel, before marking it: the worst moment. `--now-offset` runs the
dispatcher that many seconds in the future (a lease running out, without
sleeping).
"""

from __future__ import annotations

import argparse
import os
from datetime import UTC, datetime, timedelta
from pathlib import Path

from gatekeeper.channels.base import Notice
from gatekeeper.channels.recording import RecordingChannel
from gatekeeper.definitions import Catalog
from gatekeeper.services.context import Context
from gatekeeper.services.reminders import dispatch as reminder_dispatch
from gatekeeper.store.database import Database

CRASH_CODE = 9


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("url")
    parser.add_argument("out", type=Path)
    parser.add_argument("--lease", type=float, default=300)
    parser.add_argument("--limit", type=int, default=100)
    parser.add_argument("--crash-after", type=int, default=0)
    parser.add_argument("--now-offset", type=float, default=0)
    parser.add_argument("--inbox-only", action="store_true")
    args = parser.parse_args()

    delivered = 0

    def maybe_crash(_notice: Notice) -> None:
        nonlocal delivered
        delivered += 1
        if delivered == args.crash_after:
            os._exit(CRASH_CODE)  # no clean-up, no commit: as if killed

    channel = RecordingChannel(
        None if args.inbox_only else args.out, keep=False, after_deliver=maybe_crash
    )
    sent = 0
    db = Database(args.url)
    ctx = Context(db=db, catalog=Catalog())
    try:
        while True:
            now = None
            if args.now_offset:
                now = datetime.now(UTC) + timedelta(seconds=args.now_offset)
            report = reminder_dispatch.dispatch_due(
                ctx,
                worker=f"test-{os.getpid()}",
                channels=[] if args.inbox_only else [channel],
                limit=args.limit,
                lease=timedelta(seconds=args.lease),
                max_attempts=8,
                now=now,
            )
            sent += report.sent
            if report.claimed == 0:
                break
        if args.inbox_only:
            args.out.write_text(f"{sent}\n", encoding="ascii")
    finally:
        channel.close()
        db.dispose()


if __name__ == "__main__":
    main()
