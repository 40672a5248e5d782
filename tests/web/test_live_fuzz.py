"""schemathesis against a live server: `gatekeeper demo` + `gatekeeper serve`, over HTTP.

tests/web/test_fuzz.py calls the app in-process, one operation at a time.
This one does what an outside prober does: the schemathesis command line
against a running server on the demo data (`tests.browser.support.demo_server`,
the browser tests' server), as the demo administrator, in three phases:

- examples and fuzzing of every operation, with the real project key of the
  demo (`ibic-alingsas`) so that paths reach the project's rows instead of
  answering 404 (the positive data: real ids, not only random ones);
- stateful runs, where schemathesis chains calls through the links it finds
  (a `Location` header, a created id) and acts on what earlier calls made.

Every answer is checked: no 500, status and content type as the document
says, the body matching its schema. Left out, as in test_fuzz.py:
schemathesis' "schema-valid request rejected" check (a body can fit the
schema and still be refused by the domain with a 4xx problem).

The run is deterministic (a fixed seed), bounded (MAX_EXAMPLES per operation)
and ends on its own; the server runs in a process group of its own and is
stopped with it.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from tests.browser.support import IBIC, demo_server

MAX_EXAMPLES = 10
SEED = 1


def test_a_live_server_keeps_every_promise_of_its_document(tmp_path: Path) -> None:
    config = tmp_path / "schemathesis.toml"
    config.write_text(f'[parameters]\nproject_key = "{IBIC}"\n', encoding="utf-8")
    folder = tmp_path / "demo"
    folder.mkdir()
    with demo_server(folder) as server:
        run = subprocess.run(
            [
                sys.executable,
                "-m",
                "schemathesis.cli",
                "--config-file",
                str(config),
                "run",
                server.url("/api/v1/openapi.json"),
                "--header",
                f"Authorization: Bearer {server.token}",
                "--phases",
                "examples,fuzzing,stateful",
                "--checks",
                "all",
                "--exclude-checks",
                "positive_data_acceptance",
                "--max-examples",
                str(MAX_EXAMPLES),
                "--seed",
                str(SEED),
                "--workers",
                "1",
                "--request-timeout",
                "30",
                "--output-truncate",
                "true",
            ],
            capture_output=True,
            text=True,
            timeout=600,
            check=False,
        )
    assert run.returncode == 0, run.stdout[-8000:] + run.stderr[-2000:]
    assert "Stateful" in run.stdout and " passed" in run.stdout
