"""The project registers as tables for CSV and XLSX: a header and plain cells per row.

Columns are named as seed 000 names them; dates stay dates (the spreadsheet
writer keeps them real dates in XLSX), statuses are their Swedish labels.
"""

from __future__ import annotations

from datetime import date

from gatekeeper.core.followup.register import COMMUNICATION_STATUS_SV, INFLUENCE_SV
from gatekeeper.services.context import Context
from gatekeeper.services.followup.communication import list_communications
from gatekeeper.services.followup.stakeholder import list_stakeholders

Row = tuple[str | date | None, ...]

COMMUNICATION_HEADER = (
    "Målgrupp",
    "Syfte/budskap",
    "Kanal",
    "Tidpunkt",
    "Ansvarig",
    "Status",
    "Kommentar",
)
STAKEHOLDER_HEADER = ("Intressent", "Intresse", "Påverkan", "Förväntningar", "Strategi")


def communication_table(ctx: Context, project_key: str) -> tuple[tuple[str, ...], list[Row]]:
    """The kommunikationsplan, in date order, as a header and rows."""
    return COMMUNICATION_HEADER, [
        (
            row.audience,
            row.message,
            row.channel,
            row.planned_on,
            row.responsible,
            COMMUNICATION_STATUS_SV[row.status],
            row.comment,
        )
        for row in list_communications(ctx, project_key)
    ]


def stakeholder_table(ctx: Context, project_key: str) -> tuple[tuple[str, ...], list[Row]]:
    """The intressentanalys, greatest påverkan first, as a header and rows."""
    return STAKEHOLDER_HEADER, [
        (row.name, row.interest, INFLUENCE_SV[row.influence], row.expectations, row.strategy)
        for row in list_stakeholders(ctx, project_key)
    ]
