"""RelativeDeadline: the seeds' kritisk linje, relative to a gate's target date."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from gatekeeper.core.checklist import ItemState, ItemTemplate
from gatekeeper.core.deadline import RelativeDeadline
from gatekeeper.core.status import ItemStatus

GO_LIVE = date(2025, 9, 1)


@pytest.mark.parametrize(
    ("text", "days"),
    [
        ("-90d", -90),
        ("-52w", -364),
        ("-12w", -84),
        ("0d", 0),
        ("0w", 0),
        ("+14d", 14),
        ("14d", 14),
        ("-0d", 0),
        (" -90d ", -90),
        ("\t-52w\n", -364),
        ("-9999d", -9999),
    ],
)
def test_parse_reads_days_and_weeks(text: str, days: int) -> None:
    assert RelativeDeadline.parse(text) == RelativeDeadline(days)


@pytest.mark.parametrize(
    "text",
    [
        "-90",
        "90 days",
        "",
        "   ",
        "d",
        "-d",
        "-99999d",
        "-90 d",
        "-9.5d",
        "--90d",
        "+-90d",
        "-90m",
        "-90dd",
        "T-90",
        "-٩٠d",  # Arabic-Indic digits are not a YAML-writer's "90"
    ],
)
def test_parse_rejects_anything_else(text: str) -> None:
    with pytest.raises(ValueError, match="is not a relative deadline"):
        RelativeDeadline.parse(text)


def test_parse_error_shows_the_text_and_how_to_write_it() -> None:
    with pytest.raises(ValueError) as caught:
        RelativeDeadline.parse("90 days")
    assert "'90 days'" in str(caught.value)
    assert "-90d" in str(caught.value)


@pytest.mark.parametrize(
    ("text", "target", "deadline"),
    [
        ("-90d", GO_LIVE, date(2025, 6, 3)),
        ("-52w", date(2026, 1, 15), date(2025, 1, 16)),
        ("0d", GO_LIVE, GO_LIVE),
        ("+14d", GO_LIVE, date(2025, 9, 15)),
        ("-1d", date(2024, 3, 1), date(2024, 2, 29)),  # leap day
    ],
)
def test_on_places_the_deadline_relative_to_the_target(
    text: str, target: date, deadline: date
) -> None:
    assert RelativeDeadline.parse(text).on(target) == deadline


def test_moving_the_target_date_moves_the_deadline() -> None:
    due = RelativeDeadline.parse("-90d")
    moved = GO_LIVE + timedelta(days=30)
    assert due.on(moved) - due.on(GO_LIVE) == timedelta(days=30)
    assert due.on(moved) == date(2025, 7, 3)


def test_moving_go_live_makes_an_overdue_item_no_longer_overdue() -> None:
    template = ItemTemplate(
        id="utbildningsmaterial",
        text="Utbildningsmaterial framtaget",
        category="Utbildning",
        responsible="projektledare",
        due=RelativeDeadline.parse("-90d"),
    )
    assert template.due is not None

    def state(target: date) -> ItemState:
        assert template.due is not None
        return ItemState(
            checklist_id="driftstart",
            item_id=template.id,
            text=template.text,
            category=template.category,
            mandatory=template.mandatory,
            evidence_required=template.evidence_required,
            status=ItemStatus.OPEN,
            due_on=template.due.on(target),
        )

    today = date(2025, 6, 10)
    assert state(GO_LIVE).overdue(today)
    assert not state(date(2025, 10, 1)).overdue(today)


@pytest.mark.parametrize(
    ("status", "overdue"),
    [(ItemStatus.OPEN, True), (ItemStatus.DONE, False), (ItemStatus.NOT_APPLICABLE, False)],
)
def test_only_open_items_are_overdue(status: ItemStatus, overdue: bool) -> None:
    item = ItemState(
        "driftstart",
        "utrustning",
        "Lista på rekommenderad utrustning",
        "Teknik",
        True,
        False,
        status,
        due_on=RelativeDeadline.parse("-52w").on(GO_LIVE),
    )
    assert item.overdue(GO_LIVE) is overdue


def test_an_item_is_not_overdue_on_its_due_date() -> None:
    due_on = RelativeDeadline.parse("-90d").on(GO_LIVE)
    item = ItemState(
        "driftstart", "u", "Utbildningsmaterial framtaget", "Utbildning", True, False,
        ItemStatus.OPEN, due_on=due_on,
    )  # fmt: skip
    assert not item.overdue(due_on)
    assert item.overdue(due_on + timedelta(days=1))


@pytest.mark.parametrize(
    ("text", "written"),
    [
        ("-90d", "-90d"),
        ("-52w", "-52w"),
        ("-84d", "-12w"),
        ("0d", "+0d"),
        ("+14d", "+2w"),
        ("+15d", "+15d"),
        (" -1d ", "-1d"),
    ],
)
def test_str_writes_the_shortest_form_and_reads_back(text: str, written: str) -> None:
    deadline = RelativeDeadline.parse(text)
    assert str(deadline) == written
    assert RelativeDeadline.parse(str(deadline)) == deadline


@pytest.mark.parametrize(
    ("text", "sv"),
    [
        ("-90d", "T-90 dagar"),
        ("-52w", "T-364 dagar"),
        ("+14d", "T+14 dagar"),
        ("0d", "på måldatum"),
    ],
)
def test_describe_sv(text: str, sv: str) -> None:
    assert RelativeDeadline.parse(text).describe_sv() == sv
