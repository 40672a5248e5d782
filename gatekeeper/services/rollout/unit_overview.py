"""The "Enheter" page's read: a rollout's waves with their units, in one read transaction.

`unit_overview` gives the project, each wave with its units in tree order
(progress counted per unit), the units not yet in a wave, and the distinct
unit checklist items a bulk tick may choose from.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

from gatekeeper.services.context import Context
from gatekeeper.services.lookup import project_by_key
from gatekeeper.services.rollout.unit_checklist import unit_item_ids_in
from gatekeeper.services.rollout.unit_listing import UnitRow, WaveGroup, wave_groups_in
from gatekeeper.store.projects.tables import Project
from gatekeeper.store.rollout.unit_tables import Wave


@dataclass(frozen=True)
class UnitOverview:
    """Everything the "Enheter" page shows."""

    project: Project
    groups: list[WaveGroup]  # waves in order; units without a wave last
    items: list[tuple[str, str, str]]  # (checklist id, item id, text) for bulk ticks

    @property
    def all_units(self) -> list[UnitRow]:
        """Every unit, wave by wave in tree order."""
        return [row for group in self.groups for row in group.units]

    def item_text(self, item_id: str) -> str:
        """What an item says (the first checklist that has it), or its id if none does."""
        return next((text for _, item, text in self.items if item == item_id), item_id)

    def unit_name(self, unit_key: str) -> str:
        """A unit's name by its key, or the key itself for a unit the project lacks."""
        return self._unit_names.get(unit_key, unit_key)

    @functools.cached_property
    def _unit_names(self) -> dict[str, str]:
        # Made once: a bulk tick's result may name a thousand refused units.
        return {row.unit.key: row.unit.name for row in self.all_units}

    @property
    def waves(self) -> list[Wave]:
        """The waves in order."""
        return [group.wave for group in self.groups if group.wave is not None]


def unit_overview(ctx: Context, project_key: str) -> UnitOverview:
    """The project's waves with their units and the unit items, read together."""
    with ctx.db.read() as session:
        project = project_by_key(session=session, key=project_key)
        return UnitOverview(
            project=project,
            groups=wave_groups_in(session=session, project=project),
            items=unit_item_ids_in(session=session, project=project),
        )
