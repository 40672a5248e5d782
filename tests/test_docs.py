"""Every setting, event name and criterion kind is documented where users look."""

from __future__ import annotations

import importlib
import pkgutil
from pathlib import Path

import pytest

from gatekeeper.config import describe_settings
from gatekeeper.core.criteria import CRITERION_KINDS
from gatekeeper.core.events import EventName
from gatekeeper.core.events.base import Event
from gatekeeper.core.events.catalog import EVENT_RECORDS, records_of
from gatekeeper.reference import render_reference, with_event_fields

ROOT = Path(__file__).resolve().parent.parent
REFERENCE = (ROOT / "docs" / "reference.md").read_text(encoding="utf-8")
FORMATS = (ROOT / "docs" / "formats.md").read_text(encoding="utf-8")


@pytest.mark.parametrize("name", [row[0] for row in describe_settings()])
def test_every_setting_is_in_the_reference(name: str) -> None:
    assert f"`{name}`" in REFERENCE


@pytest.mark.parametrize("event", list(EventName))
def test_every_event_name_is_in_the_reference(event: EventName) -> None:
    assert f"`{event.value}`" in REFERENCE


@pytest.mark.parametrize("kind", sorted(CRITERION_KINDS))
def test_every_criterion_kind_is_in_the_formats(kind: str) -> None:
    assert f"`{kind}`" in FORMATS


def test_readme_opens_with_the_two_quick_start_blocks() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    blocks = [part.split("\n", 1)[0] for part in readme.split("```")[1::2]]
    assert blocks[:2] == ["bash", "bash"]
    first, second = readme.split("```")[1], readme.split("```")[3]
    assert "gatekeeper serve" in first and "pip install" in first
    assert "pytest" in second


def test_reference_is_generated_from_the_code() -> None:
    assert render_reference() == REFERENCE, "run `make docs` to regenerate docs/reference.md"


def test_webhook_event_list_is_generated_from_the_event_records() -> None:
    webhooks = (ROOT / "docs" / "webhooks.md").read_text(encoding="utf-8")
    assert with_event_fields(webhooks) == webhooks, "run `make docs` to regenerate docs/webhooks.md"


@pytest.mark.parametrize("event", list(EventName), ids=str)
def test_every_event_name_has_a_typed_record_listed_in_the_webhook_docs(event: EventName) -> None:
    webhooks = (ROOT / "docs" / "webhooks.md").read_text(encoding="utf-8")
    assert records_of(event), f"no event record class is published as {event.value}"
    assert f"### `{event.value}`" in webhooks


def test_every_event_record_class_is_in_the_catalog() -> None:
    import gatekeeper.core.events as events_package

    found: set[type[Event]] = set()
    for info in pkgutil.iter_modules(events_package.__path__):
        module = importlib.import_module(f"{events_package.__name__}.{info.name}")
        found |= {
            value
            for value in vars(module).values()
            if isinstance(value, type) and issubclass(value, Event) and value is not Event
        }
    assert found == set(EVENT_RECORDS)


def test_formats_names_the_required_keys_of_a_checklist_and_its_items() -> None:
    from gatekeeper.definitions.documents import ChecklistDocument, ItemDocument

    start = FORMATS.index("- Required keys of an item:")
    paragraph = FORMATS[start : FORMATS.index("\n- ", start + 1)]
    item_part, checklist_part = paragraph.split("Of the checklist")
    for model, text in ((ItemDocument, item_part), (ChecklistDocument, checklist_part)):
        required_text, optional_text = text.split("ptional", 1)
        for name, field in model.model_fields.items():
            where = required_text if field.is_required() else optional_text
            assert f"`{name}`" in where, (model.__name__, name)


def test_rollout_says_a_wave_is_decided_only_in_the_phase_the_go_live_gate_leaves() -> None:
    rollout = (ROOT / "docs" / "rollout.md").read_text(encoding="utf-8")
    assert "**genomförande**" in rollout
    assert "409 `transition-refused`" in rollout
