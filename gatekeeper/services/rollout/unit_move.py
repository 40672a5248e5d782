"""Moving a rollout unit, and the units below it in the same wave, to another wave.

Moving a unit to a later wave postpones its go-live: it is a recorded decision
with a motivation, and its audit event names the wave before and after and who
decided. Units below it that were in the same wave follow it. Only the
projektledare (or an administrator) moves units.
"""

from __future__ import annotations

from gatekeeper.core.actor import Actor
from gatekeeper.core.events.rollout import (
    UnitMove,
    UnitMoved,
    UnitPlace,
)
from gatekeeper.errors import ValidationFailed
from gatekeeper.services import change, validation
from gatekeeper.services.context import Context
from gatekeeper.services.lookup import check_version, project_by_key, require_active
from gatekeeper.services.rollout import readiness_item_model as readiness_items
from gatekeeper.services.rollout.access import require_manager
from gatekeeper.services.rollout.unit_checklist import (
    unit_by_key,
)
from gatekeeper.services.rollout.unit_tree import descendants
from gatekeeper.services.rollout.wave import wave_by_key
from gatekeeper.store.rollout.unit_tables import Unit, Wave


def move_unit(
    ctx: Context,
    actor: Actor,
    *,
    project_key: str,
    unit_key: str,
    wave_key: str,
    motivation: str = "",
    expected_version: int | None = None,
) -> Unit:
    """Move a unit (and the units below it in the same wave) to another wave.

    A move to a wave that goes live later postpones the unit's driftstart: a
    decision that needs a motivation, recorded with who decided.
    """
    motivation = validation.text(
        motivation, field="motivation", label="Motiveringen", max_length=4000, required=False
    )
    now = ctx.clock.now()
    with ctx.db.write() as session:
        project = project_by_key(session=session, key=project_key, lock=True)
        require_active(project)
        require_manager(session=session, project=project, actor=actor)
        unit = unit_by_key(session=session, project=project, key=unit_key, lock=True)
        check_version(unit.row_version, expected_version, f"Enheten {unit.name}")
        target = wave_by_key(session=session, project=project, key=wave_key.strip())
        current = session.get(Wave, unit.wave_id) if unit.wave_id is not None else None
        if current is not None and current.id == target.id:
            return unit
        later = current is not None and target.go_live_on > current.go_live_on
        if later and not motivation:
            raise ValidationFailed(
                f"Att flytta {unit.name} till en senare våg skjuter upp driftstarten; "
                "skriv en motivering till beslutet.",
                field="motivation",
            )
        followers = [
            child
            for child in descendants(session=session, project=project, unit=unit)
            if child.wave_id == unit.wave_id
        ]
        for moved in (unit, *followers):
            moved.wave_id = target.id
        session.flush()
        assert project.id is not None
        readiness_items.recount(session=session, project_id=project.id)  # counted per wave
        change.record(
            session,
            UnitMoved(
                object_id=f"{project.key}/{unit.key}",
                before=UnitPlace(
                    wave=current.key if current else None,
                    go_live_on=current.go_live_on.isoformat() if current else None,
                ),
                after=UnitMove(
                    wave=target.key,
                    go_live_on=target.go_live_on.isoformat(),
                    later=later,
                    motivation=motivation or None,
                    decided_by=str(actor),
                    units=[unit.key, *(child.key for child in followers)],
                ),
            ),
            by=actor,
            at=now,
            project=project,
            row=[unit, *followers],
        )
        return unit
