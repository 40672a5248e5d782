"""Web passwords from the command line, the demo's logins, and the secret key `serve` needs."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest
from typer.testing import CliRunner, Result

from gatekeeper.cli import app
from gatekeeper.config import Settings, describe_settings
from gatekeeper.definitions import Catalog
from gatekeeper.demo import DEMO_ADMIN, DEMO_PASSWORD
from gatekeeper.errors import Unauthenticated
from gatekeeper.services.access import login as logins
from gatekeeper.services.context import Context
from gatekeeper.session_key import session_secret
from gatekeeper.store.database import Database

EMAIL = "malin.holmberg@alingsas.se"
PASSWORD = "Kritisk linje 2027!"


@pytest.fixture(autouse=True)
def _no_outside_settings(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """Neither the caller's GATEKEEPER_ variables nor a stray key file reach the commands."""
    for name, _default, _help in describe_settings():
        monkeypatch.delenv(name, raising=False)
    work = tmp_path / "cwd"
    work.mkdir()
    monkeypatch.chdir(work)


@pytest.fixture
def url(migrated_sqlite_url: str) -> str:
    return migrated_sqlite_url


def run(*args: str, stdin: str | None = None) -> Result:
    return CliRunner().invoke(app, list(args), input=stdin)


def _can_log_in(url: str, catalog: Catalog, email: str, password: str) -> bool:
    database = Database(url)
    try:
        logins.log_in(Context(db=database, catalog=catalog), email, password)
    except Unauthenticated:
        return False
    finally:
        database.dispose()
    return True


def test_user_add_with_a_password_from_stdin(url: str, catalog: Catalog) -> None:
    added = run(
        "user", "add", EMAIL, "--name", "Malin Holmberg", "--password-stdin",
        "--database-url", url, stdin=PASSWORD + "\n",
    )  # fmt: skip

    assert added.exit_code == 0, added.output
    assert "with a web password" in added.stdout and PASSWORD not in added.output
    assert _can_log_in(url, catalog, EMAIL, PASSWORD)


def test_user_add_asks_for_the_password_twice_hidden(url: str, catalog: Catalog) -> None:
    added = run(
        "user", "add", EMAIL, "--name", "Malin Holmberg", "--password", "--database-url", url,
        stdin=f"{PASSWORD}\n{PASSWORD}\n",
    )  # fmt: skip

    assert added.exit_code == 0, added.output
    assert PASSWORD not in added.output  # not echoed
    assert _can_log_in(url, catalog, EMAIL, PASSWORD)


def test_a_short_password_creates_no_account(url: str, catalog: Catalog) -> None:
    refused = run(
        "user", "add", EMAIL, "--name", "Malin", "--password-stdin", "--database-url", url,
        stdin="kort\n",
    )  # fmt: skip

    assert refused.exit_code == 1 and "minst 12 tecken" in refused.output
    again = run("user", "add", EMAIL, "--name", "Malin", "--database-url", url)
    assert again.exit_code == 0, again.output  # the first attempt left nothing behind


def test_user_password_resets_and_unlocks(url: str, catalog: Catalog) -> None:
    run("user", "add", EMAIL, "--name", "Malin", "--database-url", url)
    assert not _can_log_in(url, catalog, EMAIL, PASSWORD)  # no password yet

    reset = run(
        "user", "password", EMAIL, "--password-stdin", "--database-url", url, stdin=PASSWORD
    )

    assert reset.exit_code == 0, reset.output
    assert _can_log_in(url, catalog, EMAIL, PASSWORD)


def test_serve_refuses_to_start_without_a_secret_key(url: str) -> None:
    result = run("serve", "--database-url", url)

    assert result.exit_code == 1
    (line,) = result.output.strip().splitlines()
    assert line.startswith("error: No secret key for web sessions")
    assert "GATEKEEPER_SECRET_KEY" in line and "gatekeeper new-secret-key" in line


def test_serve_refuses_a_weak_secret_key_in_one_line(
    url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("GATEKEEPER_SECRET_KEY", "changeme")

    result = run("serve", "--database-url", url)

    assert result.exit_code == 1
    (line,) = result.output.strip().splitlines()
    assert line.startswith("error: invalid settings: GATEKEEPER_SECRET_KEY is a well-known")


def test_new_secret_key_makes_an_owner_only_file_once(tmp_path: Path) -> None:
    made = run("new-secret-key")
    again = run("new-secret-key")

    key_file = Path(".gatekeeper-secret")
    assert made.exit_code == 0, made.output
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    assert again.exit_code == 1 and "refusing to overwrite" in again.output
    assert session_secret(Settings()) == key_file.read_text(encoding="utf-8").strip()


def test_demo_prints_logins_per_role_and_leaves_a_key_for_serve(
    tmp_path: Path, catalog: Catalog
) -> None:
    url = f"sqlite:///{tmp_path / 'demo.db'}"

    result = run("demo", "--database-url", url)

    assert result.exit_code == 0, result.output
    out = result.stdout
    assert f"(bara för demon): {DEMO_PASSWORD}" in out
    assert f"  administratör: {DEMO_ADMIN}" in out
    for role in ("projektledare", "styrgrupp", "bestallare"):
        assert f"\n  {role}: " in out
    key_file = Path(".gatekeeper-secret")
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    assert session_secret(Settings()) == key_file.read_text(encoding="utf-8").strip()
    projektledare = next(
        line.split(": ")[1].split(" ")[0]
        for line in out.splitlines()
        if line.startswith("  projektledare: ")
    )
    assert _can_log_in(url, catalog, projektledare, DEMO_PASSWORD)
    assert _can_log_in(url, catalog, DEMO_ADMIN, DEMO_PASSWORD)
