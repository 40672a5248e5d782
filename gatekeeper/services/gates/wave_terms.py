"""The wave terms of a vote in a wave review, checked when the vote is cast.

A vote in a wave review may carry terms: `go`/`conditional_go` without named
units (`exclude_units`, which move to the later wave `move_to_wave`), or
`no_go` with a new go-live date (`postpone_to`: the wave is postponed). A
refused term is a Swedish error naming its field. Recycle and kill concern
the whole project and are refused for a wave; outside a wave review no term
may be given.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from sqlmodel import Session, select

from gatekeeper.core.outcome import APPROVALS, Outcome
from gatekeeper.core.status import WaveStatus
from gatekeeper.errors import ValidationFailed
from gatekeeper.services.gates.wave_units import wave_of, waves_of, with_followers
from gatekeeper.store.gates.tables import GateReview
from gatekeeper.store.projects.tables import Project
from gatekeeper.store.rollout.unit_tables import Unit, Wave


@dataclass(frozen=True)
class WaveTerms:
    """The wave terms of one vote, checked."""

    exclude_units: tuple[str, ...] = ()
    move_to_wave: str | None = None
    postpone_to: date | None = None


def check_terms(
    *,
    session: Session,
    project: Project,
    review: GateReview,
    outcome: Outcome,
    exclude_units: Sequence[str],
    move_to_wave: str | None,
    postpone_to: date | None,
    today: date,
) -> WaveTerms:
    """The vote's wave terms, or a ValidationFailed naming the field that is wrong."""
    keys = tuple(dict.fromkeys(k.strip() for k in exclude_units if k.strip()))
    target_key = move_to_wave.strip() if move_to_wave and move_to_wave.strip() else None
    if review.wave_id is None:
        for name, given in (
            ("exclude_units", keys),
            ("move_to_wave", target_key),
            ("postpone_to", postpone_to),
        ):
            if given:
                raise ValidationFailed(
                    f"{name} anges bara i beslut om en vågs driftstart.", field=name
                )
        return WaveTerms()
    wave = wave_of(session, review)
    if outcome in (Outcome.RECYCLE, Outcome.KILL):
        raise ValidationFailed(
            f"Beslutet gäller {wave.name}: välj go, go med villkor, no-go (med nytt datum för "
            "att skjuta upp vågen) eller paus. Återgång och avbrott gäller hela projektet.",
            field="outcome",
        )
    if keys or target_key:
        _check_exclusion(session, project, wave, outcome, keys, target_key)
    if postpone_to is not None:
        if outcome is not Outcome.NO_GO:
            raise ValidationFailed(
                "Ett nytt datum för driftstart anges vid no-go (vågen skjuts upp).",
                field="postpone_to",
            )
        if postpone_to <= wave.go_live_on or postpone_to <= today:
            raise ValidationFailed(
                f"Det nya datumet för driftstart ska vara efter vågens nuvarande "
                f"({wave.go_live_on.isoformat()}) och efter i dag.",
                field="postpone_to",
            )
    return WaveTerms(keys, target_key if keys else None, postpone_to)


def _check_exclusion(
    session: Session,
    project: Project,
    wave: Wave,
    outcome: Outcome,
    keys: tuple[str, ...],
    target_key: str | None,
) -> None:
    if outcome not in APPROVALS:
        raise ValidationFailed(
            "Enheter undantas bara vid go eller go med villkor för resten av vågen.",
            field="exclude_units",
        )
    if not keys:
        raise ValidationFailed(
            "Ange vilka enheter som inte går i drift med vågen.", field="exclude_units"
        )
    if target_key is None:
        raise ValidationFailed(
            "Ange vilken senare våg de undantagna enheterna flyttas till.", field="move_to_wave"
        )
    waves = {w.key: w for w in waves_of(session, project)}
    target = waves.get(target_key)
    if target is None:
        raise ValidationFailed(
            f"Vågen '{target_key}' finns inte i projektet {project.name}.", field="move_to_wave"
        )
    if target.id == wave.id or target.go_live_on <= wave.go_live_on:
        raise ValidationFailed(
            f"{target.name} har driftstart {target.go_live_on.isoformat()}, inte efter "
            f"{wave.name} ({wave.go_live_on.isoformat()}); välj en senare våg.",
            field="move_to_wave",
        )
    if target.status is WaveStatus.LIVE:
        raise ValidationFailed(f"{target.name} är redan i drift.", field="move_to_wave")
    units = list(session.exec(select(Unit).where(Unit.project_id == project.id)).all())
    by_key = {u.key: u for u in units}
    names = {w.id: w.name for w in waves.values()}
    chosen = []
    for key in keys:
        unit = by_key.get(key)
        if unit is None:
            raise ValidationFailed(
                f"Enheten '{key}' finns inte i projektet {project.name}.", field="exclude_units"
            )
        if unit.wave_id != wave.id:
            where = names.get(unit.wave_id, "ingen våg") if unit.wave_id else "ingen våg"
            raise ValidationFailed(
                f"{unit.name} ingår inte i {wave.name} (utan i {where}).", field="exclude_units"
            )
        chosen.append(unit)
    assert wave.id is not None
    moving = with_followers(units, chosen, wave.id)
    if len(moving) >= sum(1 for u in units if u.wave_id == wave.id):
        raise ValidationFailed(
            f"Alla enheter i {wave.name} kan inte undantas; välj no-go och skjut upp vågen.",
            field="exclude_units",
        )
