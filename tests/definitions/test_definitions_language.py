"""A workflow's `language` and `country`: the defaults, the Danish ICS loop, and a bad
value reported at its file and line.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from gatekeeper.definitions import Catalog, json_schema, to_workflow, validate_paths, validate_text

WORKFLOW = """\
kind: workflow
id: prov
version: 1
name: Prov
{keys}roles:
  - id: ledelse
    name: Ledelse
initial: a
phases:
  - id: a
    name: A
"""


def test_a_workflow_that_says_nothing_is_swedish(catalog: Catalog) -> None:
    assert validate_text(WORKFLOW.format(keys="")) == []
    inforande = catalog.workflow("inforande")
    assert inforande.language == "sv"
    assert inforande.reminders.calendar.country == "SE"
    plain = {
        "kind": "workflow",
        "id": "prov",
        "version": 1,
        "name": "Prov",
        "roles": [{"id": "ledelse", "name": "Ledelse"}],
        "initial": "a",
        "phases": [{"id": "a", "name": "A"}],
    }
    workflow = to_workflow(plain, content_hash="x")
    assert (workflow.language, workflow.reminders.calendar.country) == ("sv", "SE")


def test_the_ics_loop_is_danish_with_the_danish_calendar(catalog: Catalog) -> None:
    forankring = catalog.workflow("forankring")
    assert forankring.language == "da"
    assert forankring.reminders.calendar.country == "DK"
    assert forankring.reminders.calendar.time_zone == "Europe/Copenhagen"


def test_the_country_reaches_a_workflow_without_a_reminders_section() -> None:
    text = WORKFLOW.format(keys="language: da\ncountry: DK\n")
    assert validate_text(text) == []
    plain = {
        "kind": "workflow",
        "id": "prov",
        "version": 1,
        "name": "Prov",
        "language": "da",
        "country": "DK",
        "roles": [{"id": "ledelse", "name": "Ledelse"}],
        "initial": "a",
        "phases": [{"id": "a", "name": "A"}],
    }
    workflow = to_workflow(plain, content_hash="x")
    assert workflow.language == "da"
    assert workflow.reminders.calendar.country == "DK"


@pytest.mark.parametrize(
    ("keys", "line", "message"),
    [
        (
            "language: dk\n",
            5,
            "language: 'dk' is not a language gatekeeper writes; write sv, da, en",
        ),
        (
            "language: da\ncountry: DE\n",
            6,
            "country: 'DE' is not a country with a business calendar",
        ),
        ("country: dk\n", 5, "'dk' is not a country with a business calendar; write SE or DK"),
        ("language: 3\n", 5, "language: expected text"),
    ],
)
def test_a_bad_language_or_country_is_reported_at_its_line(
    tmp_path: Path, keys: str, line: int, message: str
) -> None:
    path = tmp_path / "prov.yaml"
    path.write_text(WORKFLOW.format(keys=keys), encoding="utf-8")
    problems = validate_paths([path], use_shipped=False)
    assert len(problems) == 1, problems
    [problem] = problems
    assert problem.path == str(path)
    assert problem.line == line
    assert message in problem.message, problem.message
    assert f"{path}:{line}:" in str(problem)


def test_the_schema_names_the_allowed_values() -> None:
    properties = json_schema("workflow")["properties"]
    assert properties["language"]["enum"] == ["sv", "da", "en"]
    assert properties["country"]["enum"] == ["SE", "DK"]
