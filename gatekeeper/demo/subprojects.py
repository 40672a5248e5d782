"""The demo's delprojekt (seed 004): "Vårdens medarbetare" ran its work as delprojekt,
each handing over to its own receiving förvaltning. Two of them are in the demo, led by
the delprojektledare of the parent project, so the parent's page lists them with their
phase and handover, and each names its parent."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from gatekeeper.core.actor import Actor
from gatekeeper.services.context import Context
from gatekeeper.services.projects import project as projects

PARENT = "vardens-medarbetare"


@dataclass(frozen=True)
class DemoSubproject:
    key: str
    name: str
    receiving_unit: str
    leader_name: str
    leader_email: str
    started_on: date


SUBPROJECTS = (
    DemoSubproject(
        key="vardens-medarbetare-villkor",
        name="Delprojekt 1: Gemensamma villkor vid vidareutbildning",
        receiving_unit="HR-avdelningarna i Skaraborgs kommuner",
        leader_name="Ulla Berglöf",
        leader_email="ulla.berglof@toreboda.example",
        started_on=date(2026, 5, 4),
    ),
    DemoSubproject(
        key="vardens-medarbetare-utbildningar",
        name="Delprojekt 3: Gemensamma utbildningar",
        receiving_unit="Kompetensförsörjning, Område Välfärd, Skaraborgs Kommunalförbund",
        leader_name="Åsa Nordin",
        leader_email="asa.nordin@skovde.example",
        started_on=date(2026, 5, 4),
    ),
)


def add_subprojects(ctx: Context, project_key: str, organisation: str, leader: Actor) -> None:
    """The delprojekt of `project_key` (none but for "Vårdens medarbetare")."""
    if project_key != PARENT:
        return
    for spec in SUBPROJECTS:
        projects.create_project(
            ctx,
            leader,
            key=spec.key,
            name=spec.name,
            workflow_id="inforande",
            organisation=organisation,
            started_on=spec.started_on,
            members=[
                projects.MemberSpec(spec.leader_name, spec.leader_email, "projektledare"),
                projects.MemberSpec(leader.name, leader.id, "bestallare"),
            ],
            parent_key=PARENT,
            receiving_unit=spec.receiving_unit,
        )
