"""Real servers in a thread of the test process: an app served by uvicorn on a
free port, and the standard library's HTTP servers the webhook tests receive on.

For tests that need real sockets and real concurrency (a burst of requests, a
health check run as the container would run it) on the test's own database,
which a `gatekeeper serve` subprocess could not share with the fixtures.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from socketserver import BaseServer

import uvicorn
from fastapi import FastAPI

from tests.browser.support import free_port

WAIT = 60.0  # a safety net for a stuck server, never a measured time
# How often a standard-library server's loop looks whether it was asked to stop.
# `shutdown()` waits for that look: with the default of 0.5 s, every test with a
# receiver spent ~0.5 s idle in its teardown (21 s of a worker's time a run).
POLL = 0.01


@contextmanager
def serving(app: FastAPI) -> Iterator[str]:
    """`app` on 127.0.0.1 and a free port until the block ends; its base URL."""
    port = free_port()
    server = uvicorn.Server(
        uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", lifespan="off")
    )
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + WAIT
    while not server.started:
        assert thread.is_alive() and time.monotonic() < deadline, "the server did not start"
        time.sleep(0.01)  # waiting for the server thread, not for a clock
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(WAIT)


@contextmanager
def running(*servers: BaseServer) -> Iterator[None]:
    """Each of `servers` (already bound) serving in a thread until the block ends;
    then each is shut down and closed."""
    threads = [
        threading.Thread(target=server.serve_forever, args=(POLL,), daemon=True)
        for server in servers
    ]
    for thread in threads:
        thread.start()
    try:
        yield
    finally:
        for server in servers:
            server.shutdown()
            server.server_close()
        for thread in threads:
            thread.join(WAIT)
