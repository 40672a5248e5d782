"""Who may ask for a review of a gate: `requested_by` of the gate's approval policy, else
the projektledare; in a workflow without one (the Danish forankring loop), the roles the
gate's checklists let tick. Services, on SQLite and PostgreSQL."""

from __future__ import annotations

from pathlib import Path

import pytest

from gatekeeper.core.actor import Actor
from gatekeeper.definitions import load_catalog, shipped_checklists_dir, shipped_workflows_dir
from gatekeeper.errors import PermissionDenied
from gatekeeper.services.context import Context
from gatekeeper.services.gates import gate_view as gate_views
from gatekeeper.services.gates import review as reviews
from gatekeeper.services.projects import project as projects
from gatekeeper.store.database import Database
from tests.factories import (
    AT_ONCE,
    BESTALLARE,
    IBIC_MEMBERS,
    PROJEKTLEDARE,
    STYRGRUPP,
    start_ibic,
    tick_gate,
)

KEY = "ibic-alingsas"
GATE = "forstudie-klar"
WORKFLOW = "inforande-bestallaren-begar"


def _bestallaren_begar(folder: Path) -> Path:
    """The shipped inforande workflow, renamed, whose förstudie gate the beställare asks for."""
    source = (shipped_workflows_dir() / "inforande.yaml").read_text(encoding="utf-8")
    source = source.replace("id: inforande\n", f"id: {WORKFLOW}\n", 1)
    start = source.index(f"  - id: {GATE}\n")
    at = source.index("      deciders: styrgrupp\n", start)
    source = source[:at] + "      requested_by: [bestallare]\n" + source[at:]
    directory = folder / "workflows"
    directory.mkdir()
    (directory / f"{WORKFLOW}.yaml").write_text(source, encoding="utf-8")
    return directory


def _ask(ctx: Context, who: Actor, key: str = KEY, gate: str = GATE) -> int:
    review = reviews.request_review(ctx, who, project_key=key, gate_id=gate, **AT_ONCE)
    assert review.id is not None
    return review.id


def test_requested_by_names_who_asks(database: Database, clock: object, tmp_path: Path) -> None:
    catalog = load_catalog(
        [shipped_workflows_dir(), _bestallaren_begar(tmp_path)], [shipped_checklists_dir()]
    )
    ctx = Context(db=database, catalog=catalog, clock=clock)  # type: ignore[arg-type]
    projects.create_project(
        ctx,
        PROJEKTLEDARE,
        key=KEY,
        name="Införande av IBIC",
        workflow_id=WORKFLOW,
        members=IBIC_MEMBERS,
    )
    tick_gate(ctx, KEY, GATE)
    assert not gate_views.gate_view(ctx, PROJEKTLEDARE, KEY, GATE).can_request
    with pytest.raises(PermissionDenied, match="Beställare"):
        _ask(ctx, PROJEKTLEDARE)
    assert gate_views.gate_view(ctx, BESTALLARE, KEY, GATE).can_request
    _ask(ctx, BESTALLARE)


def test_the_forankringsteam_asks_in_the_danish_loop(ctx: Context) -> None:
    team = Actor.user("mette.jensen@lejre.dk", "Mette Jensen")
    medarbejder = Actor.user("lars.nielsen@lejre.dk", "Lars Nielsen")
    projects.create_project(
        ctx,
        PROJEKTLEDARE,
        key="ics-lejre",
        name="Forankring af ICS i Lejre",
        workflow_id="forankring",
        members=[
            projects.MemberSpec(team.name, team.id, "forankringsteam"),
            projects.MemberSpec(medarbejder.name, medarbejder.id, "medarbejder"),
            projects.MemberSpec("Hanne Ledelse", "hanne.holm@lejre.dk", "ledelse"),
        ],
    )
    gate = "maling-afsluttet"
    for who in (team, medarbejder):
        view = gate_views.gate_view(ctx, who, "ics-lejre", gate)
        assert view.can_request is (who is team)
    with pytest.raises(PermissionDenied, match="Implementerings-/forankringsteam"):
        _ask(ctx, medarbejder, "ics-lejre", gate)
    _ask(ctx, team, "ics-lejre", gate)


def test_a_styrgrupp_member_gets_no_request_form(ctx: Context) -> None:
    start_ibic(ctx)
    tick_gate(ctx, KEY, GATE)
    assert gate_views.gate_view(ctx, PROJEKTLEDARE, KEY, GATE).can_request
    assert not gate_views.gate_view(ctx, STYRGRUPP, KEY, GATE).can_request
