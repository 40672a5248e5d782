"""`gatekeeper user add` and `gatekeeper token create|list|revoke`."""

from __future__ import annotations

from fastapi.testclient import TestClient
from typer.testing import CliRunner

from gatekeeper.cli import app
from gatekeeper.definitions import Catalog
from gatekeeper.services.context import Context
from gatekeeper.store.database import Database
from tests.apps import app_for

runner = CliRunner()


def test_token_lifecycle_from_the_command_line(migrated_sqlite_url: str, catalog: Catalog) -> None:
    url = migrated_sqlite_url
    added = runner.invoke(
        app,
        [
            "user",
            "add",
            "malin.holmberg@alingsas.se",
            "--name",
            "Malin Holmberg",
            "--database-url",
            url,
        ],
    )
    assert added.exit_code == 0, added.output
    again = runner.invoke(
        app, ["user", "add", "malin.holmberg@alingsas.se", "--name", "Malin", "--database-url", url]
    )
    assert again.exit_code == 1 and "finns redan" in again.output

    created = runner.invoke(
        app,
        [
            "token",
            "create",
            "--user",
            "malin.holmberg@alingsas.se",
            "--name",
            "Teams-bot",
            "--database-url",
            url,
        ],
    )
    assert created.exit_code == 0, created.output
    token = created.stdout.strip().splitlines()[0]
    assert token.startswith("gk_")

    listed = runner.invoke(
        app, ["token", "list", "--user", "malin.holmberg@alingsas.se", "--database-url", url]
    )
    public_id = token.split("_")[1]
    assert public_id in listed.stdout and "read" in listed.stdout
    assert token.split("_", 2)[2] not in listed.stdout  # the secret is never shown again

    database = Database(url)
    client = TestClient(app_for(Context(db=database, catalog=catalog)))
    headers = {"Authorization": f"Bearer {token}"}
    assert client.get("/api/v1/projects", headers=headers).status_code == 200

    revoked = runner.invoke(app, ["token", "revoke", public_id, "--database-url", url])
    assert revoked.exit_code == 0, revoked.output
    refused = client.get("/api/v1/projects", headers=headers)
    assert refused.status_code == 401
    assert "återkallat" in refused.json()["detail"]
    database.dispose()


def test_token_for_an_unknown_user_or_scope_is_refused(migrated_sqlite_url: str) -> None:
    url = migrated_sqlite_url
    unknown = runner.invoke(
        app,
        ["token", "create", "--user", "nobody@alingsas.se", "--name", "x", "--database-url", url],
    )
    assert unknown.exit_code == 1 and "inget konto" in unknown.output
    bad_scope = runner.invoke(
        app,
        [
            "token",
            "create",
            "--user",
            "x@y.se",
            "--name",
            "x",
            "--scope",
            "all",
            "--database-url",
            url,
        ],
    )
    assert bad_scope.exit_code == 2
