"""What the deployment files promise (docs/deploy.md, issue 14 part 4).

This machine has no container runtime that can build (docker's client without a
daemon, no base images, no registry), so the Containerfile is checked for what
it promises: the base image, a user that is not root, a health check that hits
the readiness endpoint (and, run as the image would run it, passes against a
ready server and fails against none), the port it exposes and listens on, the
Debian libraries of the PDF exports, and a command the CLI has. The systemd
unit's command is parsed and run with --help; `systemd-analyze verify` checks the
unit where it is installed. The proxy examples hand requests to the port
gatekeeper listens on and keep /metrics to the host. And `serve --workers 2` on
PostgreSQL sums every worker's metrics in one scrape and writes JSON log lines.
"""

from __future__ import annotations

import json
import os
import re
import secrets
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import httpx
import pytest

from gatekeeper.config import Settings, describe_settings
from gatekeeper.services.context import Context
from tests.apps import app_for
from tests.browser.support import _gatekeeper, free_port
from tests.live_server import serving
from tests.test_workers import environment, served_database, server  # noqa: F401  (a fixture)

ROOT = Path(__file__).resolve().parent.parent
CONTAINERFILE = (ROOT / "Containerfile").read_text(encoding="utf-8")
DOCKERIGNORE = (ROOT / ".dockerignore").read_text(encoding="utf-8").splitlines()
DEPLOY = ROOT / "deploy"
UNIT = (DEPLOY / "gatekeeper.service").read_text(encoding="utf-8")
GUIDE = (ROOT / "docs" / "deploy.md").read_text(encoding="utf-8")
SETTINGS = {row[0] for row in describe_settings()}


def instructions(text: str) -> list[tuple[str, str]]:
    """(INSTRUCTION, arguments) of a Containerfile, continuation lines joined."""
    joined = re.sub(r"\\\n", " ", text)
    found = []
    for line in joined.splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            word, _, rest = line.partition(" ")
            found.append((word.upper(), rest.strip()))
    return found


def final_stage() -> list[tuple[str, str]]:
    steps = instructions(CONTAINERFILE)
    last_from = max(i for i, (word, _) in enumerate(steps) if word == "FROM")
    return steps[last_from:]


def one(word: str) -> str:
    values = [rest for name, rest in final_stage() if name == word]
    assert len(values) == 1, f"{word}: {values}"
    return values[0]


def environment_of_image() -> dict[str, str]:
    pairs: dict[str, str] = {}
    for name, rest in final_stage():
        if name == "ENV":
            for part in shlex.split(rest):
                key, _, value = part.partition("=")
                pairs[key] = value
    return pairs


# --- the container image ----------------------------------------------------------------


def test_every_stage_starts_from_python_3_11_slim() -> None:
    bases = [rest.split()[0] for name, rest in instructions(CONTAINERFILE) if name == "FROM"]
    assert bases and all(base == "python:3.11-slim" for base in bases)


def test_the_image_runs_as_a_user_that_is_not_root() -> None:
    user = one("USER").split(":")[0]
    assert user not in {"root", "0"}
    assert user.isdigit()  # numeric: Kubernetes' runAsNonRoot can check it
    assert re.search(rf"useradd [^\n]*--uid {user}\b", " ".join(a for _, a in final_stage()))


def test_the_image_listens_on_every_interface_at_the_port_it_exposes() -> None:
    env = environment_of_image()
    assert env["GATEKEEPER_HOST"] == "0.0.0.0"
    assert one("EXPOSE") == env["GATEKEEPER_PORT"]
    assert set(k for k in env if k.startswith("GATEKEEPER_")) <= SETTINGS
    Settings(
        **{k.removeprefix("GATEKEEPER_").lower(): v for k, v in env.items() if "GATEKEEPER_" in k}
    )


def test_the_image_has_the_pdf_libraries() -> None:
    installed = " ".join(rest for name, rest in final_stage() if name == "RUN")
    for package in (
        "libpango-1.0-0",
        "libpangoft2-1.0-0",
        "libharfbuzz-subset0",
        "fonts-dejavu-core",
    ):
        assert package in installed


def test_the_command_is_gatekeeper_serve() -> None:
    command = json.loads(one("CMD"))
    assert command == ["gatekeeper", "serve"]
    shown = subprocess.run(
        [*_gatekeeper(), *command[1:], "--help"], capture_output=True, text=True, timeout=60
    )
    assert shown.returncode == 0, shown.stderr


def test_what_the_build_copies_is_in_the_repository() -> None:
    for name, rest in instructions(CONTAINERFILE):
        if name == "COPY" and not rest.startswith("--from"):
            for source in rest.split()[:-1]:
                assert (ROOT / source).exists(), source


def test_secrets_and_local_state_stay_out_of_the_build_context() -> None:
    assert {".env", ".gatekeeper-secret", "*.db", ".git", ".venv", "tests"} <= set(DOCKERIGNORE)


def healthcheck_command() -> list[str]:
    rest = one("HEALTHCHECK")
    return list(json.loads(rest[rest.index("CMD") + 3 :].strip()))


def test_the_health_check_asks_for_readiness() -> None:
    assert "/api/v1/health/ready" in " ".join(healthcheck_command())


def run_healthcheck(port: int) -> int:
    command = healthcheck_command()
    assert command[0] == "python"
    env = {**os.environ, "GATEKEEPER_PORT": str(port)}
    return subprocess.run(
        [sys.executable, *command[1:]], env=env, capture_output=True, timeout=60
    ).returncode


def test_the_health_check_passes_a_ready_server_and_fails_none(ctx: Context) -> None:
    with serving(app_for(ctx)) as base_url:
        assert run_healthcheck(int(base_url.rsplit(":", 1)[1])) == 0
    assert run_healthcheck(free_port()) != 0


# --- systemd and the reverse proxy --------------------------------------------------------


def unit_value(key: str) -> str:
    values = re.findall(rf"^{key}=(.*)$", UNIT, flags=re.M)
    assert len(values) == 1, f"{key}: {values}"
    return values[0].strip()


def test_the_unit_starts_a_real_cli_command() -> None:
    program, *arguments = shlex.split(unit_value("ExecStart"))
    assert Path(program).name == "gatekeeper"
    shown = subprocess.run(
        [*_gatekeeper(), *arguments, "--help"], capture_output=True, text=True, timeout=60
    )
    assert shown.returncode == 0, shown.stderr  # an unknown command or option fails here


def test_the_unit_reads_its_settings_from_a_file_and_is_hardened() -> None:
    assert unit_value("EnvironmentFile") == "/etc/gatekeeper/gatekeeper.env"
    for key, wanted in {
        "NoNewPrivileges": "yes",
        "ProtectSystem": "strict",
        "ProtectHome": "yes",
        "PrivateTmp": "yes",
        "CapabilityBoundingSet": "",
        "User": "gatekeeper",
    }.items():
        assert unit_value(key) == wanted, key


def test_the_example_environment_file_names_real_settings() -> None:
    names = re.findall(r"^#?(GATEKEEPER_[A-Z_]+)=", (DEPLOY / "gatekeeper.env").read_text(), re.M)
    assert names and set(names) <= SETTINGS


@pytest.mark.skipif(shutil.which("systemd-analyze") is None, reason="no systemd-analyze here")
def test_systemd_accepts_the_unit(tmp_path: Path) -> None:
    program = shlex.split(unit_value("ExecStart"))[0]
    unit = tmp_path / "gatekeeper.service"  # with the command where it is installed here
    unit.write_text(UNIT.replace(program, _gatekeeper()[0]), encoding="utf-8")
    checked = subprocess.run(
        ["systemd-analyze", "verify", str(unit)], capture_output=True, text=True, timeout=60
    )
    assert checked.returncode == 0 and not checked.stderr.strip(), checked.stderr


def test_the_proxies_hand_requests_to_gatekeeper_and_keep_metrics_in() -> None:
    port = Settings.model_fields["port"].default
    nginx = (DEPLOY / "nginx.conf").read_text(encoding="utf-8")
    caddy = (DEPLOY / "Caddyfile").read_text(encoding="utf-8")
    assert f"server 127.0.0.1:{port};" in nginx
    assert "proxy_set_header X-Forwarded-Proto $scheme;" in nginx
    assert "listen 443 ssl;" in nginx and "Strict-Transport-Security" in nginx
    assert re.search(r"location = /metrics \{\s*return 404;", nginx)
    assert f"reverse_proxy 127.0.0.1:{port}" in caddy
    assert "respond /metrics 404" in caddy


def test_the_guide_points_at_every_deployment_file() -> None:
    for name in ("Containerfile", ".dockerignore", *(p.name for p in DEPLOY.iterdir())):
        assert name in GUIDE, name


def test_ci_builds_the_image_where_it_can() -> None:
    script = (ROOT / ".ci" / "container").read_text(encoding="utf-8")
    assert ".ci/container" in (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert 'build -q -t "$tag" -f Containerfile .' in script
    assert "/api/v1/health/ready" in script
    checked = subprocess.run(["bash", "-n", str(ROOT / ".ci" / "container")], timeout=60)
    assert checked.returncode == 0


# --- several workers: one scrape sums them, logs are JSON ---------------------------------


@pytest.mark.postgres
@pytest.mark.parametrize("database_url", ["postgresql"], indirect=True)
def test_two_workers_sum_their_metrics_and_log_json(
    served_database: tuple[str, str],  # noqa: F811
    tmp_path: Path,
) -> None:
    database_url, _token = served_database
    env = environment(database_url, secrets.token_hex(32))
    env["GATEKEEPER_LOG_FORMAT"] = "json"
    env.pop("PROMETHEUS_MULTIPROC_DIR", None)
    requests = 24
    with (
        server(tmp_path, env, "--workers", "2") as base,
        httpx.Client(base_url=base, headers={"Connection": "close"}, timeout=30) as client,
    ):
        for _ in range(requests):  # each on a new connection: either worker may take it
            assert client.get("/api/v1/health/live").status_code == 200
        scrapes = [client.get("/metrics") for _ in range(4)]

    route = 'route="/api/v1/health/live",status="200"'
    for scrape in scrapes:  # whichever worker answered, it counted both workers' requests
        assert scrape.status_code == 200
        counted = [
            float(line.rsplit(" ", 1)[1])
            for line in scrape.text.splitlines()
            if line.startswith("gatekeeper_http_request_duration_seconds_count") and route in line
        ]
        assert counted == [requests]
    logged = (next(tmp_path.glob("serve-*.log"))).read_text().splitlines()
    records = [json.loads(line) for line in logged if line.startswith("{")]
    access = [r for r in records if r["logger"] == "uvicorn.access"]
    assert {r["path"] for r in access} >= {"/api/v1/health/live", "/metrics"}
    assert all({"time", "level", "logger", "message"} <= set(r) for r in records)
    assert not [line for line in logged if "Traceback" in line]
