"""`may_tick`: who may tick an item besides its responsible role, from the checklist YAML."""

from __future__ import annotations

from typing import Any

from gatekeeper.core.checklist import tick_roles
from gatekeeper.definitions import to_checklist


def _checklist(**extra: Any) -> dict[str, Any]:
    items = [
        {
            "id": "kontaktpersoner",
            "text": "Kontaktpersoner utsedda i varje kommun som berörs",
            "category": "Förändringsledning",
            "responsible": "styrgrupp",
        },
        {
            "id": "projektdirektiv",
            "text": "Projektdirektiv finns och är förankrat hos beställaren",
            "category": "Styrning",
            "responsible": "projektledare",
            "may_tick": ["delprojektledare"],
        },
    ]
    return {"kind": "checklist", "id": "forstudie", "version": 9, "name": "Förstudie"} | {
        "items": items,
        **extra,
    }


def test_without_may_tick_the_responsible_role_and_the_projektledare_tick() -> None:
    template = to_checklist(_checklist(), content_hash="x")
    first, second = template.items
    assert first.may_tick is None
    assert tick_roles(first.responsible, first.may_tick) == {"styrgrupp", "projektledare"}
    # An item's own list replaces the default, never the responsible role.
    assert tick_roles(second.responsible, second.may_tick) == {"projektledare", "delprojektledare"}


def test_the_checklist_list_serves_items_without_their_own() -> None:
    template = to_checklist(_checklist(may_tick=["forandringsledare"]), content_hash="x")
    first, second = template.items
    assert first.may_tick == ("forandringsledare",)
    assert second.may_tick == ("delprojektledare",)
    assert tick_roles(first.responsible, first.may_tick) == {"styrgrupp", "forandringsledare"}


def test_an_empty_list_leaves_only_the_responsible_role() -> None:
    template = to_checklist(_checklist(may_tick=[]), content_hash="x")
    first = template.items[0]
    assert tick_roles(first.responsible, first.may_tick) == {"styrgrupp"}
