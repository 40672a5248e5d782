"""The project registers of seed 000's projektplan: kommunikationsplan and intressentanalys.

A kommunikationsplan row says to whom (målgrupp), what and why (syfte/budskap),
how (kanal), when (tidpunkt) and by whom (ansvarig) something is
communicated, and whether it is planerad, genomförd or inställd. An
intressentanalys row names an intressent, their relation to the project
(intresse), their påverkan on the scale seed 000 uses (liten / medel / stor),
what they expect (förväntningar) and how the project meets them (strategi).
The statuses are `StrEnum`s whose values are the API words; the Swedish labels
are the seed's own.
"""

from __future__ import annotations

from enum import StrEnum


class CommunicationStatus(StrEnum):
    """Where a kommunikationsplan row stands."""

    PLANNED = "planned"
    DONE = "done"
    CANCELLED = "cancelled"


class Influence(StrEnum):
    """An intressent's påverkan on the project (seed 000: Liten/Medel/Stor)."""

    LOW = "low"
    MEDIUM = "medium"
    HIGH = "high"


COMMUNICATION_STATUS_SV: dict[CommunicationStatus, str] = {
    CommunicationStatus.PLANNED: "Planerad",
    CommunicationStatus.DONE: "Genomförd",
    CommunicationStatus.CANCELLED: "Inställd",
}
INFLUENCE_SV: dict[Influence, str] = {
    Influence.LOW: "Liten",
    Influence.MEDIUM: "Medel",
    Influence.HIGH: "Stor",
}
# Highest påverkan first, as the intressentanalys is read.
INFLUENCE_ORDER = {Influence.HIGH: 0, Influence.MEDIUM: 1, Influence.LOW: 2}


def reminded(status: CommunicationStatus) -> bool:
    """Whether a row in this status still has a deadline to be reminded of (planerad only)."""
    return status is CommunicationStatus.PLANNED
