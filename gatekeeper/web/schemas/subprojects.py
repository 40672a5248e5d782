"""API schemas of delprojekt: a project's parent link and its delprojekt."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

from gatekeeper.core.status import ProjectStatus
from gatekeeper.services.projects.subproject import Family, Subproject
from gatekeeper.web.bounds import Input


class ParentUpdate(Input):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    parent: str | None = Field(
        max_length=100,
        examples=["vardens-medarbetare"],
        description="The key of the project this one is a delprojekt of; null: none. "
        "Refused (422 `parent`) when unknown or when it would make a cycle.",
    )
    receiving_unit: str | None = Field(
        default=None,
        max_length=300,
        description="Mottagande förvaltning (omitted: unchanged).",
        examples=["Förvaltningen för personal och kompetens, Skövde"],
    )


class SubprojectPublic(BaseModel):
    """A delprojekt: its phase, its projektledare and whether it has handed over."""

    key: str
    name: str
    phase_name: str
    status: ProjectStatus
    leaders: list[str] = Field(description="The delprojekt's projektledare, by name.")
    receiving_unit: str = Field(description="Mottagande förvaltning.")
    handed_over: bool = Field(
        description="Past its driftöverlämning gate (the gate with handover_to), or in a "
        "final phase."
    )

    @classmethod
    def of(cls, sub: Subproject) -> SubprojectPublic:
        return cls(
            key=sub.key,
            name=sub.name,
            phase_name=sub.phase_name,
            status=sub.status,
            leaders=list(sub.leaders),
            receiving_unit=sub.receiving_unit,
            handed_over=sub.handed_over,
        )


class ParentPublic(BaseModel):
    """Where a project stands among delprojekt: its parent and its own delprojekt."""

    key: str
    parent: str | None = Field(description="The parent project's key (null: none).")
    parent_name: str | None
    receiving_unit: str
    subprojects: list[SubprojectPublic]
    row_version: int

    @classmethod
    def of(cls, family: Family) -> ParentPublic:
        return cls(
            key=family.project.key,
            parent=family.parent.key if family.parent else None,
            parent_name=family.parent.name if family.parent else None,
            receiving_unit=family.project.receiving_unit,
            subprojects=[SubprojectPublic.of(sub) for sub in family.subprojects],
            row_version=family.project.row_version,
        )
