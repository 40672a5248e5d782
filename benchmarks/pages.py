"""Render time of the web pages at scale, next to a bare FastAPI endpoint in the same run.

- Översikt (`GET /`) for a person who is projektledare in 500 projects.
- A gate page with 300 checklist items (a copy of the shipped `inforande`
  workflow whose first gate carries a generated 300-item checklist; a third of
  the items ticked, some with evidence).

Both on a fresh SQLite file, through the in-process test client with a signed-in
session (the login form, CSRF and all), ~30 renders each after a warm-up, median
and p95 in milliseconds. The limit is a bare FastAPI endpoint answering a small
HTML page on its own test client. Goal (issue 5): under 150 ms each.

Run: `python -m benchmarks.pages [--renders N] [--write]` (or `make bench-pages`);
`--write` puts the table into benchmarks/RESULTS.md (its own section, replaced
on the next run).
"""

from __future__ import annotations

import argparse
import os
import platform
import re
import statistics
import tempfile
import time
from datetime import date
from pathlib import Path

from fastapi import FastAPI
from fastapi.responses import HTMLResponse
from fastapi.testclient import TestClient

from gatekeeper.core.actor import Actor
from gatekeeper.core.status import ItemStatus
from gatekeeper.definitions import load_catalog, shipped_checklists_dir, shipped_workflows_dir
from gatekeeper.services.access import account as accounts
from gatekeeper.services.access import login as logins
from gatekeeper.services.context import Context
from gatekeeper.services.gates import readiness as gates
from gatekeeper.services.projects import checklist as checklists
from gatekeeper.services.projects import project as projects
from gatekeeper.store import migration
from gatekeeper.store.database import Database
from gatekeeper.web.app import create_app

PROJECTS = 500
ITEMS = 300
GOAL_MS = 150.0
LEADER = "projektledare@bench.example"
PASSWORD = "Benchmark av sidor 2026!"
SYSTEM = Actor.system("bench")
BIG_WORKFLOW = "inforande-300"
BIG_GATE = "forstudie-klar"
BIG_CHECKLIST = "forstudie-300"
RESULTS = Path(__file__).with_name("RESULTS.md")
SECTION = "## Page render times (issue 5)"
CATEGORIES = ("Styrning", "Planering", "Utbildning", "Teknik", "Kommunikation", "Uppföljning")
ROLES = ("projektledare", "styrgrupp", "utbildningsansvarig", "systemforvaltare")


def _big_definitions(folder: Path) -> tuple[Path, Path]:
    """The shipped inforande workflow, renamed, with a 300-item checklist on its first gate."""
    workflows, checklists_dir = folder / "workflows", folder / "checklists"
    workflows.mkdir()
    checklists_dir.mkdir()
    source = (shipped_workflows_dir() / "inforande.yaml").read_text(encoding="utf-8")
    source = source.replace("id: inforande\n", f"id: {BIG_WORKFLOW}\n", 1)
    source = source.replace("checklists: [forstudie]", f"checklists: [{BIG_CHECKLIST}]", 1)
    (workflows / "inforande-300.yaml").write_text(source, encoding="utf-8")
    lines = [
        "kind: checklist",
        f"id: {BIG_CHECKLIST}",
        "version: 1",
        "name: Förstudie i stor skala",
        "items:",
    ]
    for n in range(ITEMS):
        lines += [
            f"  - id: punkt-{n:03d}",
            f"    text: Punkt {n + 1} i förstudien – underlag, ansvar och avstämning med "
            "verksamheten",
            f"    category: {CATEGORIES[n % len(CATEGORIES)]}",
            f"    responsible: {ROLES[n % len(ROLES)]}",
            f"    mandatory: {'true' if n % 3 else 'false'}",
            f"    evidence: {'true' if n % 5 == 0 else 'false'}",
            f"    due: -{1 + n % 8}w",
        ]
    (checklists_dir / f"{BIG_CHECKLIST}.yaml").write_text("\n".join(lines) + "\n", "utf-8")
    return workflows, checklists_dir


def build(ctx: Context) -> None:
    """500 projects with the leader in each, and one project on the 300-item gate."""
    accounts.create_user(ctx, SYSTEM, email=LEADER, name="Petra Projektledare")
    logins.set_password(ctx, SYSTEM, email=LEADER, password=PASSWORD)
    members = [
        projects.MemberSpec(name="Petra Projektledare", email=LEADER, role="projektledare"),
        projects.MemberSpec(name="Sven Styrgrupp", email="sven@bench.example", role="styrgrupp"),
        projects.MemberSpec(name="Stina Styrgrupp", email="stina@bench.example", role="styrgrupp"),
    ]
    leader = Actor.user(LEADER)
    for n in range(PROJECTS):
        projects.create_project(
            ctx,
            leader,
            key=f"kommun-{n:03d}",
            name=f"Införande i kommun {n + 1}",
            workflow_id="inforande",
            organisation=f"Kommun {n + 1}",
            started_on=date(2026, 1, 1 + n % 28),
            gate_targets={"forstudie-klar": date(2026, 12, 1 + n % 28)},
            members=members,
        )
    projects.create_project(
        ctx,
        leader,
        key="storprojekt",
        name="Regiongemensamt införande i stor skala",
        workflow_id=BIG_WORKFLOW,
        started_on=date(2026, 1, 19),
        gate_targets={BIG_GATE: date(2026, 12, 18)},
        members=members,
    )
    for item in gates.gate_readiness(ctx, "storprojekt", BIG_GATE).items[::3]:
        checklists.update_item(
            ctx,
            leader,
            project_key="storprojekt",
            gate_id=BIG_GATE,
            checklist_id=item.checklist_id,
            item_id=item.row.item_id,
            status=ItemStatus.DONE,
            evidence=f"Dnr 2026/{item.row.item_id}" if item.row.evidence_required else None,
        )


def signed_in(client: TestClient) -> TestClient:
    form = client.get("/login")
    token = re.search(r'name="csrf_token" value="([^"]+)"', form.text)
    assert token is not None, "no CSRF token on /login"
    answer = client.post(
        "/login",
        data={"email": LEADER, "password": PASSWORD, "csrf_token": token.group(1), "next": "/"},
        follow_redirects=False,
    )
    assert answer.status_code == 303, f"login answered {answer.status_code}"
    return client


def timings(client: TestClient, path: str, renders: int) -> tuple[float, float, int]:
    """Median and p95 ms of `renders` GETs (after three for warm-up), and the page size."""
    size = 0
    for _ in range(3):
        response = client.get(path)
        assert response.status_code == 200, f"{path} answered {response.status_code}"
        size = len(response.content)
    samples = []
    for _ in range(renders):
        started = time.perf_counter()
        response = client.get(path)
        samples.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200
    samples.sort()
    p95 = samples[min(len(samples) - 1, round(0.95 * (len(samples) - 1)))]
    return statistics.median(samples), p95, size


def bare_app() -> FastAPI:
    app = FastAPI()
    body = "<!doctype html><html lang=sv><title>x</title><main><h1>Översikt</h1></main></html>"

    @app.get("/", response_class=HTMLResponse)
    def bare() -> str:
        return body

    return app


def run(renders: int) -> str:
    load = os.getloadavg()[0]
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        workflows, checklists_dir = _big_definitions(folder)
        catalog = load_catalog(
            [shipped_workflows_dir(), workflows], [shipped_checklists_dir(), checklists_dir]
        )
        db = Database(f"sqlite:///{folder / 'pages.db'}")
        migration.upgrade(db)
        ctx = Context(db=db, catalog=catalog)
        started = time.perf_counter()
        build(ctx)
        built_s = time.perf_counter() - started
        with TestClient(create_app(context=ctx)) as client, TestClient(bare_app()) as bare:
            signed_in(client)
            results = {
                "bare FastAPI endpoint (small HTML)": timings(bare, "/", renders),
                f"Översikt `/`, {PROJECTS} projects": timings(client, "/", renders),
                f"gate page, {ITEMS} items": timings(
                    client, f"/projects/storprojekt/gates/{BIG_GATE}", renders
                ),
            }
        db.dispose()
    rows = [
        f"| {name} | {median:.1f} | {p95:.1f} | {size / 1024:,.0f} KiB |"
        for name, (median, p95, size) in results.items()
    ]
    verdicts = [
        f"{name}: {'met' if p95 < GOAL_MS else 'missed'}"
        for name, (_, p95, _) in list(results.items())[1:]
    ]
    return "\n".join(
        [
            SECTION,
            "",
            f"`python -m benchmarks.pages` ({renders} renders per page after 3 warm-up, "
            f"{date.today().isoformat()}): SQLite file, in-process test client with a "
            f"signed-in session, Python {platform.python_version()}, "
            f"{platform.machine()}; demo-shaped data built in {built_s:.0f} s through the use "
            f"cases; load average {load:.1f} on {os.cpu_count()} cores when it started. "
            "Goal: under 150 ms each (p95 taken as the figure).",
            "",
            "| page | median ms | p95 ms | HTML size |",
            "|---|---|---|---|",
            *rows,
            "",
            "Goal " + "; ".join(verdicts) + ".",
            "",
        ]
    )


def write_section(section: str) -> None:
    """Replace this benchmark's section of RESULTS.md (or add it at the end)."""
    text = RESULTS.read_text(encoding="utf-8")
    start = text.find(SECTION)
    if start == -1:
        text = text.rstrip("\n") + "\n\n" + section
    else:
        following = text.find("\n## ", start + len(SECTION))
        rest = text[following + 1 :] if following != -1 else ""
        text = text[:start] + section + ("\n" + rest if rest else "")
    RESULTS.write_text(text, encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--renders", type=int, default=30)
    parser.add_argument("--write", action="store_true", help="update benchmarks/RESULTS.md")
    options = parser.parse_args()
    section = run(options.renders)
    print(section)
    if options.write:
        write_section(section)
        print(f"written to {RESULTS}")


if __name__ == "__main__":
    main()
