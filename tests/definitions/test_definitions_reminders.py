"""The `reminders:` section of a workflow: defaults, conversion, and problems at file:line.

The broken examples are `tests/data/invalid/reminders-*.yaml`, validated the
way `test_definitions_invalid` validates its files.
"""

from __future__ import annotations

from datetime import time
from pathlib import Path

import pytest

from gatekeeper.core.reminders.policy import (
    CalendarPolicy,
    FollowUpMeeting,
    RecurringMeeting,
    ReminderPolicy,
)
from gatekeeper.definitions import Catalog, json_schema, to_workflow, validate_paths, validate_text

DATA = Path(__file__).resolve().parents[1] / "data"
VALID = DATA / "valid"
INVALID = DATA / "invalid"

CASES: dict[str, list[tuple[int, int, str]]] = {
    "reminders-model-problems.yaml": [
        (24, 16, "reminders.calendar.send_time: '25:00' is not a time of day; write HH:MM"),
        (25, 16, "reminders.calendar.time_zone: 'Europe/Stokholm' is not an IANA time zone"),
        (31, 17, "reminders.cadence[0].every.months: must be at least 1, not 0"),
        (32, 22, "reminders.escalate_optional: expected true or false, not 'ja'"),
    ],
    "reminders-rule-problems.yaml": [
        (33, 15, "reminders.escalation[1].notify: 'ledningsgrupp' is not a role of this workflow"),
        (37, 15, "reminders.cadence[0].roles[0]: 'styrgrup' is not a role (did you mean"),
        (40, 16, "reminders.cadence[0].phases[0]: 'genomforand' is not a phase of this workflow"),
        (46, 20, "cadence 'uppfoljning' has both every and after_phase"),
        (51, 7, "cadence 'kvartal' must repeat every N months or every N weeks"),
        (54, 7, "cadence 'utan-rytm' needs every (a recurring meeting) or after_phase and months"),
        (57, 11, "reminders.cadence[4].id: cadence id 'styrgruppsmote' is already used"),
        (60, 20, "reminders.cadence[4].after_phase: 'efterfas' is not a phase of this workflow"),
    ],
}

WORKFLOW = """\
kind: workflow
id: prov
version: 1
name: Prov
roles:
  - id: styrgrupp
    name: Styrgrupp
  - id: projektledare
    name: Projektledare
initial: a
phases:
  - id: a
    name: A
  - id: b
    name: B
    final: true
gates:
  - id: ab
    name: AB
    from: a
    to: b
"""


@pytest.mark.parametrize("name", sorted(CASES))
def test_broken_reminders_are_reported_at_their_place(name: str) -> None:
    path = INVALID / name
    problems = validate_paths([VALID / "workflows", VALID / "checklists", path], use_shipped=False)
    assert all(problem.path == str(path) for problem in problems), problems
    found = [(p.line, p.column, p.message) for p in problems]
    assert len(found) == len(CASES[name]), found
    for (line, column, message), (want_line, want_column, phrase) in zip(
        found, CASES[name], strict=True
    ):
        assert (line, column) == (want_line, want_column), message
        assert phrase.replace("is not a role (", "is not a role of this workflow (") in message


@pytest.mark.parametrize(
    ("section", "expected"),
    [
        ("  calendar:\n    send_time: '8:00'\n", "'8:00' is not a time of day"),
        ("  calendar:\n    quiet_hours:\n      end: '07:60'\n", "'07:60' is not a time of day"),
        ("  before_deadline: [-1]\n", "must be at least 0, not -1"),
        (
            "  cadence:\n    - id: m\n      name: M\n      roles: [styrgrupp]\n"
            "      every:\n        weeks: 0\n",
            "must be at least 1, not 0",
        ),
        (
            "  cadence:\n    - id: m\n      name: M\n      roles: []\n"
            "      every:\n        weeks: 1\n",
            "roles",
        ),
        ("  escalation:\n    - after_days: 1\n      notify: kund\n", "'kund' is not a role"),
        ("  escalate_optional: 1\n", "escalate_optional: expected true or false, not 1"),
        ("  escalate_optional: 'false'\n", "expected true or false, not 'false'"),
    ],
)
def test_one_bad_value_reads_well(section: str, expected: str) -> None:
    problems = validate_text(WORKFLOW + "reminders:\n" + section)
    assert len(problems) == 1, problems
    assert expected in problems[0].message


def test_an_empty_section_and_the_defaults_are_valid() -> None:
    assert validate_text(WORKFLOW + "reminders: {}\n") == []
    assert validate_text(WORKFLOW) == []


def test_escalate_optional_defaults_to_false_and_is_read_when_given() -> None:
    plain = {
        "kind": "workflow",
        "id": "prov",
        "version": 1,
        "name": "Prov",
        "roles": [{"id": "styrgrupp", "name": "Styrgrupp"}],
        "initial": "a",
        "phases": [{"id": "a", "name": "A"}],
        "reminders": {},
    }
    assert to_workflow(plain, content_hash="x").reminders.escalate_optional is False
    plain["reminders"] = {"escalate_optional": True}
    assert to_workflow(plain, content_hash="y").reminders.escalate_optional is True
    assert validate_text(WORKFLOW + "reminders:\n  escalate_optional: true\n") == []


def test_a_workflow_without_the_section_gets_the_default_policy() -> None:
    plain = {
        "kind": "workflow",
        "id": "prov",
        "version": 1,
        "name": "Prov",
        "roles": [{"id": "styrgrupp", "name": "Styrgrupp"}],
        "initial": "a",
        "phases": [{"id": "a", "name": "A"}],
    }
    assert to_workflow(plain, content_hash="x").reminders == ReminderPolicy()


def test_the_shipped_workflows_carry_their_cadence(catalog: Catalog) -> None:
    inforande = catalog.workflow("inforande")
    assert inforande.version == 3
    policy = inforande.reminders
    assert policy.before_deadline == (14, 3)
    assert [(s.after_days, s.notify) for s in policy.escalation] == [
        (0, "responsible"),
        (3, "projektledare"),
        (7, "styrgrupp"),
    ]
    assert policy.calendar == CalendarPolicy()
    styrgrupp, projektgrupp, uppfoljning = policy.cadence
    assert isinstance(styrgrupp, RecurringMeeting) and styrgrupp.every_months == 2
    assert styrgrupp.phases == ("beslut", "genomforande", "driftoverlamning")
    assert isinstance(projektgrupp, RecurringMeeting) and projektgrupp.every_months == 1
    assert projektgrupp.phases == ("genomforande",)
    assert isinstance(uppfoljning, FollowUpMeeting)
    assert (uppfoljning.after_phase, uppfoljning.months) == ("uppfoljning", (3, 6, 9, 12))
    forankring = catalog.workflow("forankring").reminders
    assert forankring.calendar.time_zone == "Europe/Copenhagen"
    assert forankring.calendar.send_time == time(8)
    assert {s.notify for s in forankring.escalation} == {
        "responsible",
        "forankringsteam",
        "ledelse",
    }


def test_the_schema_describes_the_section() -> None:
    schema = json_schema("workflow")
    assert "reminders" in schema["properties"]
    calendar = schema["$defs"]["CalendarDocument"]["properties"]
    assert calendar["send_time"]["pattern"].startswith("^([01]")
