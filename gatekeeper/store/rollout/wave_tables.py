"""The units a wave names as required: all of them must be ready before the wave goes live.

Which kommuner or enheter a wave cannot go live without is the steering
group's choice per wave, so it is kept as rows beside the wave (criterion
`named_units_ready`), not in the workflow's YAML. Removing a unit removes its
requirements with it; a required unit that has left the wave no longer counts.
"""

from __future__ import annotations

from sqlalchemy import Column, ForeignKey, Integer, UniqueConstraint
from sqlmodel import Field, SQLModel


class WaveRequiredUnit(SQLModel, table=True):
    """One unit a wave requires to be ready before it goes live."""

    __tablename__ = "wave_required_unit"
    __table_args__ = (UniqueConstraint("wave_id", "unit_id"),)

    id: int | None = Field(default=None, primary_key=True)
    wave_id: int = Field(foreign_key="wave.id", index=True)
    unit_id: int = Field(
        sa_column=Column(
            Integer, ForeignKey("unit.id", ondelete="CASCADE"), nullable=False, index=True
        )
    )
