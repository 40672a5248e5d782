"""API schemas of a rollout: waves, units, unit checklist items, bulk ticks and imports.

Request bodies (`…Create`, `…Update`, `UnitMove`, `BulkTick`) are strict:
unknown fields are errors. Responses (`…Public`) are built from the service
results with `of`.
"""

from __future__ import annotations

from datetime import date, datetime

from pydantic import BaseModel, ConfigDict, Field

from gatekeeper.core.status import ItemStatus, UnitKind, WaveStatus, label_sv
from gatekeeper.services.rollout.bulk_tick import BulkResult
from gatekeeper.services.rollout.unit_checklist import UnitItemView
from gatekeeper.services.rollout.unit_import import ImportResult
from gatekeeper.services.rollout.unit_listing import UnitRow
from gatekeeper.services.rollout.wave import ROLLOUT_KEY_PATTERN
from gatekeeper.store.rollout.unit_tables import Wave
from gatekeeper.web.bounds import Day, Input

ROLLOUT_KEY_RULE = "1–100 characters: a–z, digits, '-' and '_', not '-' or '_' first or last (422)."


class _Input(Input):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class WaveCreate(_Input):
    key: str = Field(
        min_length=1,
        max_length=100,
        examples=["vag-1"],
        description=ROLLOUT_KEY_RULE,
        json_schema_extra={"pattern": ROLLOUT_KEY_PATTERN},
    )
    name: str = Field(min_length=1, max_length=200, examples=["Våg 1 – pilotkommuner"])
    go_live_on: Day = Field(description="Driftstart of the wave.", examples=["2027-03-01"])


class WaveUpdate(_Input):
    name: str | None = Field(default=None, min_length=1, max_length=200)
    go_live_on: Day | None = Field(
        default=None, description="Moves every unit deadline of the wave with it."
    )


class WavePublic(BaseModel):
    """A wave of the rollout: units that go live together."""

    key: str
    name: str
    go_live_on: date
    position: int
    status: WaveStatus
    created_at: datetime
    row_version: int

    @classmethod
    def of(cls, wave: Wave) -> WavePublic:
        return cls(
            key=wave.key,
            name=wave.name,
            go_live_on=wave.go_live_on,
            position=wave.position,
            status=wave.status,
            created_at=wave.created_at,
            row_version=wave.row_version,
        )


class UnitCreate(_Input):
    key: str = Field(
        min_length=1,
        max_length=100,
        examples=["boras-hemtjanst-norr"],
        description=ROLLOUT_KEY_RULE,
        json_schema_extra={"pattern": ROLLOUT_KEY_PATTERN},
    )
    name: str = Field(min_length=1, max_length=300, examples=["Hemtjänst Norr"])
    kind: str = Field(
        min_length=1,
        max_length=30,
        description="kommun, förvaltning (or forvaltning) or enhet.",
        examples=["enhet"],
    )
    parent_key: str | None = Field(default=None, max_length=100, examples=["boras-vo"])
    wave_key: str | None = Field(
        default=None, max_length=100, description="Left out: the parent's wave."
    )
    responsible_email: str = Field(
        default="", max_length=320, description="The införandeansvarig's e-mail."
    )
    responsible_name: str = Field(default="", max_length=200)


class UnitUpdate(_Input):
    name: str | None = Field(default=None, min_length=1, max_length=300)
    responsible_email: str | None = Field(default=None, max_length=320)
    responsible_name: str | None = Field(default=None, max_length=200)


class UnitMove(_Input):
    """Move a unit (and the units below it in the same wave) to another wave."""

    wave_key: str = Field(min_length=1, max_length=100, examples=["vag-2"])
    motivation: str = Field(
        default="",
        max_length=4000,
        description="Required when the new wave goes live later: the decision's motivation.",
        examples=["Hemtjänsten hinner inte utbilda alla före driftstart."],
    )


class UnitPublic(BaseModel):
    """A unit of the rollout with its place in the tree, wave and progress."""

    key: str
    name: str
    kind: UnitKind
    parent_key: str | None
    wave_key: str | None
    depth: int
    responsible_email: str
    responsible_name: str
    items_done: int
    items_total: int
    row_version: int

    @classmethod
    def of(cls, row: UnitRow) -> UnitPublic:
        return cls(
            key=row.unit.key,
            name=row.unit.name,
            kind=row.unit.kind,
            parent_key=row.parent_key,
            wave_key=row.wave_key,
            depth=row.depth,
            responsible_email=row.unit.responsible_email,
            responsible_name=row.unit.responsible_name,
            items_done=row.items_done,
            items_total=row.items_total,
            row_version=row.unit.row_version,
        )


class UnitItemUpdate(_Input):
    """Tick (`done`), untick (`open`) or set not applicable."""

    status: ItemStatus = Field(examples=["done"])
    evidence: str | None = Field(
        default=None,
        max_length=2000,
        description="Link or reference; required to tick an item that demands evidence.",
        examples=["https://intranat.boras.se/inforande/deltagarlista.xlsx"],
    )
    comment: str | None = Field(default=None, max_length=4000)


class UnitItemPublic(BaseModel):
    """One item of a unit's checklist; `due_on` is the wave's go-live date plus the offset."""

    checklist_id: str
    item_id: str
    position: int
    text: str
    category: str
    responsible: str
    mandatory: bool
    evidence_required: bool
    due_on: date | None
    overdue: bool
    status: ItemStatus
    status_sv: str
    evidence: str | None
    comment: str | None
    updated_by: str | None
    updated_at: datetime | None
    row_version: int

    @classmethod
    def of(cls, view: UnitItemView, *, today: date) -> UnitItemPublic:
        row = view.row
        return cls(
            checklist_id=row.checklist_id,
            item_id=row.item_id,
            position=row.position,
            text=row.text,
            category=row.category,
            responsible=row.responsible,
            mandatory=row.mandatory,
            evidence_required=row.evidence_required,
            due_on=view.due_on,
            overdue=view.overdue(today),
            status=row.status,
            status_sv=label_sv(row.status),
            evidence=row.evidence,
            comment=row.comment,
            updated_by=row.updated_by,
            updated_at=row.updated_at,
            row_version=row.row_version,
        )


class BulkTick(_Input):
    """Set one item for many units; each unit is judged on its own."""

    unit_keys: list[str] = Field(
        min_length=1, max_length=10_000, examples=[["boras-hemtjanst-norr", "lerum-hemsjukvard"]]
    )
    status: ItemStatus = Field(examples=["done"])
    evidence: str | None = Field(default=None, max_length=2000)
    comment: str | None = Field(default=None, max_length=4000)
    checklist_id: str | None = Field(
        default=None, max_length=100, description="Needed only if the item id is in two lists."
    )
    with_units_below: bool = Field(
        default=False,
        description="A kommun or förvaltning in unit_keys brings every unit below it.",
    )


class UnitRefusalPublic(BaseModel):
    unit_key: str
    reason: str


class BulkResultPublic(BaseModel):
    """Per unit: changed now (`done`), already so (`already`) or refused with a reason."""

    item_id: str
    status: ItemStatus
    done: list[str]
    already: list[str]
    refused: list[UnitRefusalPublic]

    @classmethod
    def of(cls, result: BulkResult) -> BulkResultPublic:
        return cls(
            item_id=result.item_id,
            status=result.status,
            done=list(result.done),
            already=list(result.already),
            refused=[
                UnitRefusalPublic(unit_key=r.unit_key, reason=r.reason) for r in result.refused
            ],
        )


class ImportPublic(BaseModel):
    """What an import added."""

    units: int
    items: int
    keys: list[str]

    @classmethod
    def of(cls, result: ImportResult) -> ImportPublic:
        return cls(units=result.units, items=result.items, keys=list(result.keys))
