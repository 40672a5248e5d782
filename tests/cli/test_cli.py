"""The `gatekeeper` command: validate, schema, settings, db, demo and audit.

Commands run in-process through Typer's test runner, each on its own database
under `tmp_path`; one check runs the installed console script in a real process.
The demo and the audit check run on SQLite and on PostgreSQL.
"""

from __future__ import annotations

import gc
import json
import os
import re
import shutil
import sqlite3
import stat
import subprocess
import sys
import warnings
from collections.abc import Iterator
from contextlib import closing, contextmanager
from pathlib import Path

import pytest
from typer.testing import CliRunner, Result

from gatekeeper.cli import app
from gatekeeper.config import describe_settings
from gatekeeper.definitions import Catalog
from gatekeeper.services.audit import log as audit_log
from gatekeeper.services.context import Context
from gatekeeper.services.projects import overview as overviews
from gatekeeper.store import migration
from gatekeeper.store.database import Database

REPO_ROOT = Path(__file__).resolve().parents[2]
UNREACHABLE = "postgresql://nobody@127.0.0.1:1/x"
PROBLEM_LINE = re.compile(r"^(?P<path>.+\.yaml):(?P<line>\d+):(?P<column>\d+): (?P<sentence>.+)$")
DEMO_PHASES = {
    "ibic-alingsas": "genomforande",
    "vardens-medarbetare": "driftoverlamning",
    "vgr-millennium-kommuner": "beslut",
    "ics-forankring-skanderborg": "plan",
    "vgr-verksamhetssystem": "genomforande",
}
# Vårdens medarbetare's two delprojekt, started with it (seed 004)
DEMO_SUBPROJECTS = {
    "vardens-medarbetare-villkor": "forstudie",
    "vardens-medarbetare-utbildningar": "forstudie",
}

BROKEN_WORKFLOW = """\
kind: workflow
id: trasig
version: 1
name: Trasig fasmodell
roles:
  - id: projektledare
    name: Projektledare
  - id: styrgrupp
    name: Styrgrupp
initial: forstudie
phases:
  - id: forstudie
    name: Förstudie
  - id: avslutad
    name: Avslutad
    final: true
gates:
  - id: klar
    name: Klar
    from: forstudie
    to: avslutat
"""

SYNTAX_ERROR = """\
kind: workflow
id: syntaxfel
roles: [projektledare, styrgrupp
name: Syntaxfel
"""


@pytest.fixture(autouse=True)
def _no_outside_settings(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """Neither the caller's GATEKEEPER_ variables nor a stray .env reach the commands."""
    for name, _default, _help in describe_settings():
        monkeypatch.delenv(name, raising=False)
    work = tmp_path / "cwd"
    work.mkdir()
    monkeypatch.chdir(work)


def _leaked_connections() -> list[str]:
    """Collect garbage; the warnings about database connections that were left open."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", ResourceWarning)
        gc.collect()
    return [str(w.message) for w in caught if issubclass(w.category, ResourceWarning)]


def run(*args: str) -> Result:
    return CliRunner().invoke(app, list(args))


def _sqlite_url(tmp_path: Path, name: str = "gatekeeper.db") -> str:
    return f"sqlite:///{tmp_path / name}"


def _sqlite_file(url: str) -> Path:
    return Path(url.removeprefix("sqlite:///"))


@contextmanager
def _open(url: str, catalog: Catalog) -> Iterator[Context]:
    database = Database(url)
    try:
        yield Context(db=database, catalog=catalog)
    finally:
        database.dispose()


def _tamper(url: str, *statements: str) -> None:
    with closing(sqlite3.connect(_sqlite_file(url))) as connection, connection:
        for statement in statements:
            connection.execute(statement)


def _event_count(url: str) -> int:
    with closing(sqlite3.connect(_sqlite_file(url))) as connection:
        (count,) = connection.execute("SELECT count(*) FROM audit_event").fetchone()
    return int(count)


def _place(url: str, seq: int) -> tuple[str, int]:
    """The chain of the event numbered `seq` in the log, and its place in that chain."""
    with closing(sqlite3.connect(_sqlite_file(url))) as connection:
        chain, place = connection.execute(
            "SELECT chain, chain_seq FROM audit_event WHERE seq = ?", (seq,)
        ).fetchone()
    return str(chain), int(place)


def _longest_chain(url: str) -> tuple[str, int]:
    with closing(sqlite3.connect(_sqlite_file(url))) as connection:
        chain, count = connection.execute(
            "SELECT chain, count(*) FROM audit_event GROUP BY chain ORDER BY 2 DESC LIMIT 1"
        ).fetchone()
    return str(chain), int(count)


def _assert_one_error_line(result: Result) -> str:
    assert result.exit_code == 1, result.output
    assert isinstance(result.exception, SystemExit)
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("error: ")
    assert "Traceback" not in result.output
    assert result.stdout == ""
    return lines[0]


# --- validate ---------------------------------------------------------------------------


def test_validate_the_shipped_definitions(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(REPO_ROOT)

    result = run("validate", "workflows/", "checklists/")

    assert result.exit_code == 0, result.output
    assert result.stdout.strip() == "All definitions are valid."
    assert result.stderr == ""


def test_validate_prints_each_problem_as_file_line_column_sentence(tmp_path: Path) -> None:
    folder = tmp_path / "trasigt"
    folder.mkdir()
    (folder / "trasig.yaml").write_text(BROKEN_WORKFLOW, encoding="utf-8")
    (folder / "syntaxfel.yaml").write_text(SYNTAX_ERROR, encoding="utf-8")

    result = run("validate", str(folder))

    assert result.exit_code == 1
    *lines, summary = result.output.splitlines()
    assert lines, result.output
    parsed = [PROBLEM_LINE.match(line) for line in lines]
    assert all(parsed), lines
    places = {
        (Path(m["path"]).name, int(m["line"]), int(m["column"])): m["sentence"] for m in parsed if m
    }
    assert places["trasig.yaml", 21, 9].startswith("gates[0].to: 'avslutat' is not a phase")
    assert "did you mean 'avslutad'" in places["trasig.yaml", 21, 9]
    assert places["syntaxfel.yaml", 4, 5].startswith("not valid YAML")
    assert summary == f"{len(lines)} problems found."


def test_validate_a_single_broken_file(tmp_path: Path) -> None:
    broken = tmp_path / "trasig.yaml"
    broken.write_text(BROKEN_WORKFLOW, encoding="utf-8")

    result = run("validate", str(broken))

    assert result.exit_code == 1
    [problem, summary] = result.output.splitlines()
    assert problem.startswith(f"{broken}:21:9: gates[0].to: ")
    assert summary == "1 problem found."


def test_validate_reports_every_problem_of_several_broken_files_in_one_run(
    tmp_path: Path,
) -> None:
    folder = tmp_path / "trasigt"
    folder.mkdir()
    # no kind, yet a workflow by its keys: its gate to a misspelt phase is reported too
    (folder / "a.yaml").write_text(
        BROKEN_WORKFLOW.replace("kind: workflow\n", ""), encoding="utf-8"
    )
    (folder / "b.yaml").write_text(SYNTAX_ERROR, encoding="utf-8")

    result = run("validate", str(folder))

    assert result.exit_code == 1
    *lines, summary = result.output.splitlines()
    names_lines = [
        (Path(m["path"]).name, int(m["line"])) for m in map(PROBLEM_LINE.match, lines) if m
    ]
    assert len(names_lines) == len(lines) == 3, lines
    assert names_lines == sorted(names_lines)
    assert "missing required key 'kind'" in lines[0]
    assert "gates[0].to: 'avslutat' is not a phase" in lines[1]
    assert "not valid YAML" in lines[2]
    assert summary == "3 problems found."


def test_validate_a_missing_path_exits_2(tmp_path: Path) -> None:
    missing = tmp_path / "finns-inte"

    result = run("validate", str(missing))

    assert result.exit_code == 2
    assert result.stderr.strip() == f"{missing}: no such file or folder"


# --- schema and settings ----------------------------------------------------------------


@pytest.mark.parametrize("kind", ["workflow", "checklist"])
def test_schema_prints_a_json_schema(kind: str) -> None:
    result = run("schema", kind)

    assert result.exit_code == 0, result.output
    schema = json.loads(result.stdout)
    assert isinstance(schema, dict)
    assert schema.get("type") == "object"
    assert "kind" in schema["properties"]
    assert "id" in schema["properties"]


def test_schema_of_an_unknown_kind_exits_2() -> None:
    result = run("schema", "bogus")

    assert result.exit_code == 2
    assert "workflow" in result.stderr and "checklist" in result.stderr
    assert result.stdout == ""


def test_settings_lists_every_variable_with_its_help() -> None:
    result = run("settings")

    assert result.exit_code == 0
    assert "GATEKEEPER_DATABASE_URL (default 'sqlite:///gatekeeper.db')" in result.stdout
    for name, _default, help_text in describe_settings():
        assert name in result.stdout
        assert help_text.split(".")[0] in result.stdout


# --- db ---------------------------------------------------------------------------------


def test_db_upgrade_migrates_a_fresh_file_once(tmp_path: Path) -> None:
    url = _sqlite_url(tmp_path, "x.db")

    first = run("db", "upgrade", "--database-url", url)
    second = run("db", "upgrade", "--database-url", url)

    assert first.exit_code == 0, first.output
    head = migration.head_revision()
    assert first.stdout.strip() == f"{url} upgraded from empty to {head}."
    assert second.exit_code == 0, second.output
    assert second.stdout.strip() == f"{url} is already at revision {head}."


def test_db_current_shows_the_revision_before_and_after_upgrade(tmp_path: Path) -> None:
    url = _sqlite_url(tmp_path, "x.db")
    head = migration.head_revision()

    before = run("db", "current", "--database-url", url)
    run("db", "upgrade", "--database-url", url)
    after = run("db", "current", "--database-url", url)

    assert before.exit_code == 0, before.output
    assert before.stdout.strip() == f"{url}: revision empty (newest {head})"
    assert after.exit_code == 0, after.output
    assert after.stdout.strip() == f"{url}: revision {head} (newest {head})"


@pytest.mark.parametrize(
    "command",
    [
        ["db", "upgrade"],
        ["db", "current"],
        ["demo"],
        ["audit", "verify"],
    ],
    ids=" ".join,
)
def test_unreachable_database_is_one_error_line(command: list[str]) -> None:
    result = run(*command, "--database-url", UNREACHABLE)

    line = _assert_one_error_line(result)
    assert line.startswith("error: Cannot reach the database postgresql")
    assert "127.0.0.1:1" in line


def test_not_a_database_url_is_one_error_line() -> None:
    result = run("db", "current", "--database-url", "mysql://root@localhost/gatekeeper")

    line = _assert_one_error_line(result)
    assert "SQLite and PostgreSQL" in line


def test_unmigrated_database_is_refused_with_the_fix(tmp_path: Path) -> None:
    result = run("audit", "verify", "--database-url", _sqlite_url(tmp_path))

    line = _assert_one_error_line(result)
    assert "gatekeeper db upgrade" in line


def test_console_script_reports_an_unreachable_database_in_one_line() -> None:
    script = shutil.which("gatekeeper") or str(Path(sys.executable).parent / "gatekeeper")
    assert Path(script).exists(), "the gatekeeper console script is not installed"

    completed = subprocess.run(
        [script, "db", "upgrade", "--database-url", UNREACHABLE],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )

    assert completed.returncode == 1
    assert completed.stdout == ""
    lines = completed.stderr.splitlines()
    assert len(lines) == 1, completed.stderr
    assert lines[0].startswith("error: Cannot reach the database")
    assert "Traceback" not in completed.stderr


# --- demo -------------------------------------------------------------------------------


def test_demo_builds_the_projects_once_and_leaves_a_sound_chain(
    database_url: str, catalog: Catalog
) -> None:
    first = run("demo", "--database-url", database_url)

    assert first.exit_code == 0, first.output
    assert "Införande av IBIC: i fasen Genomförande" in first.stdout
    assert "Vårdens medarbetare: i fasen Driftöverlämning" in first.stdout
    assert "i fasen Beslut" in first.stdout
    with _open(database_url, catalog) as ctx:
        phases = {p.key: p.phase for p in overviews.list_projects(ctx)}
        events = audit_log.verify(ctx).count
    assert phases == DEMO_PHASES | DEMO_SUBPROJECTS

    second = run("demo", "--database-url", database_url)

    assert second.exit_code == 0, second.output
    assert second.stdout.count("finns redan") == len(DEMO_PHASES)
    assert "i fasen" not in second.stdout
    assert "0 nya konton" in second.stdout
    assert "GATEKEEPER_TOKEN=gk_" in first.stdout and "GATEKEEPER_TOKEN=gk_" in second.stdout
    with _open(database_url, catalog) as ctx:
        assert {p.key: p.phase for p in overviews.list_projects(ctx)} == (
            DEMO_PHASES | DEMO_SUBPROJECTS
        )
        events += 1  # the second run's fresh demo token is its only change
        assert audit_log.verify(ctx).count == events

    verified = run("audit", "verify", "--database-url", database_url)

    assert verified.exit_code == 0, verified.output
    assert verified.stdout.startswith(f"Audit chains intact: {events} events in ")


@pytest.mark.parametrize(
    "database_url", [pytest.param("postgresql", marks=pytest.mark.postgres)], indirect=True
)
@pytest.mark.parametrize(
    "command",
    [["db", "upgrade"], ["db", "current"], ["audit", "verify"], ["demo"]],
    ids=" ".join,
)
def test_commands_close_their_database_connections(database_url: str, command: list[str]) -> None:
    run("db", "upgrade", "--database-url", database_url)
    _leaked_connections()

    result = run(*command, "--database-url", database_url)

    assert result.exit_code == 0, result.output
    assert _leaked_connections() == []


def test_demo_refuses_broken_definitions_before_touching_the_database(tmp_path: Path) -> None:
    folder = tmp_path / "workflows"
    folder.mkdir()
    (folder / "trasig.yaml").write_text(BROKEN_WORKFLOW, encoding="utf-8")
    url = _sqlite_url(tmp_path)

    result = run("demo", "--database-url", url, "--workflows", str(folder))

    assert result.exit_code == 1
    lines = result.stderr.splitlines()
    assert lines[0] == "The definitions do not validate:"
    assert any(line.startswith(f"{folder / 'trasig.yaml'}:21:9: ") for line in lines[1:])
    assert "Traceback" not in result.output
    assert not _sqlite_file(url).exists()


# --- audit ------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def _demo_built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """`gatekeeper demo` run once for this module, as `_no_outside_settings` runs commands:
    no GATEKEEPER_ variables, in a folder of its own (which gets the key file it writes)."""
    folder = tmp_path_factory.mktemp("demo")
    (folder / "cwd").mkdir()
    with pytest.MonkeyPatch.context() as patch:
        for name, _default, _help in describe_settings():
            patch.delenv(name, raising=False)
        patch.chdir(folder / "cwd")
        result = run("demo", "--database-url", _sqlite_url(folder, "demo.db"))
    assert result.exit_code == 0, result.output
    # One file is the whole database: no -wal or -shm to pair a copy with.
    with closing(sqlite3.connect(folder / "demo.db")) as connection:
        connection.execute("PRAGMA journal_mode=DELETE")
    return folder


@pytest.fixture
def demo_url(_demo_built: Path, tmp_path: Path) -> str:
    """An SQLite file holding the demo (a copy of the module's, with the files it left in
    the working folder)."""
    shutil.copy(_demo_built / "demo.db", tmp_path / "demo.db")
    shutil.copytree(_demo_built / "cwd", Path.cwd(), dirs_exist_ok=True)
    return _sqlite_url(tmp_path, "demo.db")


def test_audit_verify_names_an_altered_event(demo_url: str) -> None:
    assert run("audit", "verify", "--database-url", demo_url).exit_code == 0
    chain, place = _place(demo_url, 3)
    _tamper(demo_url, "UPDATE audit_event SET actor = 'user:nagon.annan@alingsas.se' WHERE seq = 3")

    result = run("audit", "verify", "--database-url", demo_url)

    assert result.exit_code == 1
    assert result.stderr.strip() == (
        f"Audit chain {chain} BROKEN at event {place}: "
        f"event {place} (#3 in the log) was altered after it was written"
    )
    assert "Traceback" not in result.output


def test_audit_verify_names_a_deleted_event(demo_url: str) -> None:
    chain, place = _place(demo_url, 10)
    _tamper(demo_url, "DELETE FROM audit_event WHERE seq = 10")

    result = run("audit", "verify", "--database-url", demo_url)

    assert result.exit_code == 1
    assert result.stderr.startswith(
        f"Audit chain {chain} BROKEN at event {place}: event {place} missing"
    )


def test_audit_new_key_is_private_and_never_overwritten(tmp_path: Path) -> None:
    key = tmp_path / "audit.key"

    created = run("audit", "new-key", str(key))

    assert created.exit_code == 0, created.output
    assert stat.S_IMODE(key.stat().st_mode) == 0o600
    content = key.read_text(encoding="utf-8")
    assert re.fullmatch(r"[0-9a-f]{64}\n", content)

    again = run("audit", "new-key", str(key))

    assert again.exit_code == 1
    assert again.stderr.strip() == f"error: {key} exists; refusing to overwrite a key"
    assert key.read_text(encoding="utf-8") == content


def test_new_key_is_never_readable_by_others(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    modes_with_key: list[int] = []
    real_write_text = Path.write_text

    def spying_write_text(path: Path, *args: object, **kwargs: object) -> int:
        written = real_write_text(path, *args, **kwargs)  # type: ignore[arg-type]
        modes_with_key.append(stat.S_IMODE(path.stat().st_mode))
        return written

    monkeypatch.setattr(Path, "write_text", spying_write_text)
    previous = os.umask(0o022)
    try:
        result = run("audit", "new-key", str(tmp_path / "audit.key"))
    finally:
        os.umask(previous)

    assert result.exit_code == 0, result.output
    assert all(mode & 0o077 == 0 for mode in modes_with_key), [oct(m) for m in modes_with_key]


def test_new_keys_differ(tmp_path: Path) -> None:
    run("audit", "new-key", str(tmp_path / "a.key"))
    run("audit", "new-key", str(tmp_path / "b.key"))

    assert (tmp_path / "a.key").read_text() != (tmp_path / "b.key").read_text()


def test_checkpoint_catches_a_cut_off_tail_that_the_chain_alone_misses(
    demo_url: str, tmp_path: Path
) -> None:
    key = tmp_path / "audit.key"
    checkpoint = tmp_path / "checkpoint.json"
    run("audit", "new-key", str(key))
    count = _event_count(demo_url)

    written = run(
        "audit", "checkpoint", str(checkpoint), "--database-url", demo_url, "--key-file", str(key)
    )

    assert written.exit_code == 0, written.output
    assert written.stdout.startswith(f"Checkpoint written to {checkpoint}: {count} events in ")
    assert json.loads(checkpoint.read_text(encoding="utf-8"))["count"] == count
    held = run(
        "audit", "verify", "--database-url", demo_url, "--checkpoint", str(checkpoint),
        "--key-file", str(key),
    )  # fmt: skip
    assert held.exit_code == 0, held.output
    assert "matches the checkpoint" in held.stdout

    chain, length = _longest_chain(demo_url)
    kept = length - 2
    where = f"WHERE chain = '{chain}' AND chain_seq"
    _tamper(
        demo_url,
        f"DELETE FROM audit_event {where} > {kept}",
        f"UPDATE audit_chain_head SET count = {kept}, "
        f"hash = (SELECT hash FROM audit_event {where} = {kept}) WHERE chain = '{chain}'",
    )

    plain = run("audit", "verify", "--database-url", demo_url)
    assert plain.exit_code == 0, plain.output  # a consistent shorter chain looks intact
    assert plain.stdout.startswith(f"Audit chains intact: {count - 2} events")

    result = run(
        "audit", "verify", "--database-url", demo_url, "--checkpoint", str(checkpoint),
        "--key-file", str(key),
    )  # fmt: skip

    assert result.exit_code == 1
    message = result.stderr.strip()
    assert message.startswith(f"Audit chain {chain} BROKEN at event {kept + 1}: ")
    assert f"vouches for {length} events but only {kept} remain" in message
    assert "cut off" in message


def test_checkpoint_with_another_key_is_not_trusted(demo_url: str, tmp_path: Path) -> None:
    run("audit", "new-key", str(tmp_path / "ratt.key"))
    run("audit", "new-key", str(tmp_path / "fel.key"))
    checkpoint = tmp_path / "checkpoint.json"
    run(
        "audit", "checkpoint", str(checkpoint), "--database-url", demo_url,
        "--key-file", str(tmp_path / "ratt.key"),
    )  # fmt: skip

    result = run(
        "audit", "verify", "--database-url", demo_url, "--checkpoint", str(checkpoint),
        "--key-file", str(tmp_path / "fel.key"),
    )  # fmt: skip

    line = _assert_one_error_line(result)
    assert "signature does not match" in line


def test_checkpoint_key_can_come_from_the_environment(
    demo_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("GATEKEEPER_AUDIT_KEY", "hemlig-nyckel-utanfor-databasen")
    checkpoint = tmp_path / "checkpoint.json"

    written = run("audit", "checkpoint", str(checkpoint), "--database-url", demo_url)
    held = run("audit", "verify", "--database-url", demo_url, "--checkpoint", str(checkpoint))

    assert written.exit_code == 0, written.output
    assert held.exit_code == 0, held.output
    assert "matches the checkpoint" in held.stdout


def test_checkpoint_without_a_key_is_refused_clearly(demo_url: str, tmp_path: Path) -> None:
    checkpoint = tmp_path / "checkpoint.json"

    result = run("audit", "checkpoint", str(checkpoint), "--database-url", demo_url)

    line = _assert_one_error_line(result)
    assert line.startswith("error: no audit key")
    assert "gatekeeper audit new-key" in line
    assert not checkpoint.exists()


def test_checkpoint_with_a_missing_key_file_is_refused_clearly(
    demo_url: str, tmp_path: Path
) -> None:
    missing = tmp_path / "finns-inte.key"

    result = run(
        "audit", "checkpoint", str(tmp_path / "cp.json"), "--database-url", demo_url,
        "--key-file", str(missing),
    )  # fmt: skip

    line = _assert_one_error_line(result)
    assert f"cannot read the audit key file {missing}" in line


def test_verify_against_a_checkpoint_without_a_key_is_refused(
    demo_url: str, tmp_path: Path
) -> None:
    checkpoint = tmp_path / "checkpoint.json"
    checkpoint.write_text("{}", encoding="utf-8")

    result = run("audit", "verify", "--database-url", demo_url, "--checkpoint", str(checkpoint))

    line = _assert_one_error_line(result)
    assert "audit key" in line
