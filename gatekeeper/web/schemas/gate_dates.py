"""Schemas of moving a gate's date: the preview of what moves."""

from __future__ import annotations

from datetime import date

from pydantic import BaseModel, Field

from gatekeeper.services.gates.date_preview import DateMovePreview


class GateDateMovePublic(BaseModel):
    gate_id: str
    name: str
    old: date | None
    new: date


class DeadlineMovePublic(BaseModel):
    gate_id: str
    gate_name: str
    text: str
    old: date | None
    new: date


class DateMovePreviewPublic(BaseModel):
    """What moving a gate's date changes; send `dates_version` back with the move."""

    gate_id: str
    gate_name: str
    new_date: date
    shift_later: bool
    offset_days: int
    moves: list[GateDateMovePublic] = Field(description="Every gate whose date changes.")
    deadlines: list[DeadlineMovePublic] = Field(
        description="Open checklist items whose deadline follows their gate's date."
    )
    reminders: int = Field(description="Planned reminders that are re-planned.")
    kept: list[GateDateMovePublic] = Field(
        description="Later gates that keep their date (new == old; old None: no date)."
    )
    dates_version: int = Field(description="Send back as `dates_version` with the move.")

    @classmethod
    def of(cls, preview: DateMovePreview) -> DateMovePreviewPublic:
        return cls(
            gate_id=preview.gate_id,
            gate_name=preview.gate_name,
            new_date=preview.new_date,
            shift_later=preview.shift_later,
            offset_days=preview.offset_days,
            moves=[
                GateDateMovePublic(gate_id=m.gate_id, name=m.name, old=m.old, new=m.new)
                for m in preview.moves
            ],
            deadlines=[
                DeadlineMovePublic(
                    gate_id=d.gate_id, gate_name=d.gate_name, text=d.text, old=d.old, new=d.new
                )
                for d in preview.deadlines
            ],
            reminders=preview.reminders,
            kept=[
                GateDateMovePublic(
                    gate_id=k.gate_id, name=k.name, old=k.target_date, new=k.target_date
                )
                for k in preview.kept
                if k.target_date is not None
            ],
            dates_version=preview.dates_version,
        )
