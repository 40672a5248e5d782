"""The rules a unit's own fields obey: its kind, how kinds nest, its införandeansvarig.

Units nest: a kommun holds förvaltningar, which hold enheter (an enhet may
also sit directly under a kommun); a unit always sits under a unit of a higher
level, so the tree can have no cycles. These checks are shared by adding a
unit by hand (`gatekeeper.services.rollout.unit`) and importing units from a
file (`gatekeeper.services.rollout.unit_import`).
"""

from __future__ import annotations

from gatekeeper.core.status import UnitKind
from gatekeeper.errors import ValidationFailed
from gatekeeper.services import validation

LEVEL = {UnitKind.KOMMUN: 0, UnitKind.FORVALTNING: 1, UnitKind.ENHET: 2}
KIND_LABEL_SV = {
    UnitKind.KOMMUN: "Kommun",
    UnitKind.FORVALTNING: "Förvaltning",
    UnitKind.ENHET: "Enhet",
}
_KIND_WORDS = {
    "kommun": UnitKind.KOMMUN,
    "forvaltning": UnitKind.FORVALTNING,
    "förvaltning": UnitKind.FORVALTNING,
    "enhet": UnitKind.ENHET,
}


def parse_kind(value: str | UnitKind) -> UnitKind:
    """kommun, förvaltning (or forvaltning) or enhet, in any case."""
    kind = _KIND_WORDS.get(str(value).strip().lower())
    if kind is None:
        raise ValidationFailed(
            f"'{value}' är ingen enhetstyp; skriv kommun, förvaltning eller enhet.", field="kind"
        )
    return kind


def check_nesting(child: UnitKind, parent: UnitKind | None) -> str | None:
    """Why `child` cannot sit under `parent` (None when it can)."""
    if parent is None:
        return None
    if LEVEL[child] <= LEVEL[parent]:
        return (
            f"en {KIND_LABEL_SV[child].lower()} kan inte ligga under en "
            f"{KIND_LABEL_SV[parent].lower()} (kommun → förvaltning → enhet)"
        )
    return None


def responsible_email(value: str, *, field: str = "responsible_email") -> str:
    """An införandeansvarig's e-mail (empty when none is named yet)."""
    return validation.email(value, field=field) if value.strip() else ""
