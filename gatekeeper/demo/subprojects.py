"""The demo's delprojekt (seed 004): "Vårdens medarbetare" ran its work as delprojekt,
each handing over to its own receiving förvaltning. Two of them are in the demo, led by
the delprojektledare of the parent project, so the parent's page lists them with their
phase and handover, and each names its parent."""

from __future__ import annotations

from datetime import date

from gatekeeper.core.actor import Actor
from gatekeeper.services.context import Context
from gatekeeper.services.projects import project as projects

PARENT = "vardens-medarbetare"
SUBPROJECTS = (
    {
        "key": "vardens-medarbetare-villkor",
        "name": "Delprojekt 1: Gemensamma villkor vid vidareutbildning",
        "receiving_unit": "HR-avdelningarna i Skaraborgs kommuner",
        "leader": ("Ulla Berglöf", "ulla.berglof@toreboda.example"),
        "started_on": date(2026, 5, 4),
    },
    {
        "key": "vardens-medarbetare-utbildningar",
        "name": "Delprojekt 3: Gemensamma utbildningar",
        "receiving_unit": "Kompetensförsörjning, Område Välfärd, Skaraborgs Kommunalförbund",
        "leader": ("Åsa Nordin", "asa.nordin@skovde.example"),
        "started_on": date(2026, 5, 4),
    },
)


def add_subprojects(ctx: Context, project_key: str, organisation: str, leader: Actor) -> None:
    """The delprojekt of `project_key` (none but for "Vårdens medarbetare")."""
    if project_key != PARENT:
        return
    for spec in SUBPROJECTS:
        name, email = spec["leader"]  # type: ignore[misc]
        projects.create_project(
            ctx,
            leader,
            key=str(spec["key"]),
            name=str(spec["name"]),
            workflow_id="inforande",
            organisation=organisation,
            started_on=spec["started_on"],  # type: ignore[arg-type]
            members=[
                projects.MemberSpec(name=name, email=email, role="projektledare"),
                projects.MemberSpec(name=leader.name, email=leader.id, role="bestallare"),
            ],
            parent_key=PARENT,
            receiving_unit=str(spec["receiving_unit"]),
        )
