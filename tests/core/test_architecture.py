"""The core stays plain Python, and what it names is documented.

Walks every module under `gatekeeper/core` with `ast` (no import needed, so a
forbidden import is caught even where it would fail at import time), checks
that every criterion kind has a row in docs/formats.md and that every event
name is described.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

import gatekeeper.core
from gatekeeper.core.criteria import CRITERION_KINDS
from gatekeeper.core.events import EVENT_DESCRIPTIONS, EventName

CORE = Path(gatekeeper.core.__file__).resolve().parent
ROOT = CORE.parents[1]
FORMATS_DOC = ROOT / "docs" / "formats.md"

FORBIDDEN = frozenset(
    {"fastapi", "starlette", "sqlmodel", "sqlalchemy", "apscheduler", "uvicorn", "jinja2"}
)
CORE_FILES = sorted(CORE.rglob("*.py"))


def forbidden_imports(source: str, filename: str = "<test>") -> list[str]:
    """`line: module` for every import of a forbidden top-level package."""
    found: list[str] = []
    for node in ast.walk(ast.parse(source, filename=filename)):
        modules: list[str] = []
        if isinstance(node, ast.Import):
            modules = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            modules = [node.module]
        elif (
            # importlib.import_module("x") / __import__("x") with a literal name
            isinstance(node, ast.Call)
            and (
                (isinstance(node.func, ast.Name) and node.func.id == "__import__")
                or (isinstance(node.func, ast.Attribute) and node.func.attr == "import_module")
            )
            and node.args
            and isinstance(node.args[0], ast.Constant)
            and isinstance(node.args[0].value, str)
        ):
            modules = [node.args[0].value]
        line = getattr(node, "lineno", 0)
        found += [f"{line}: {module}" for module in modules if module.split(".")[0] in FORBIDDEN]
    return found


def test_core_files_are_found() -> None:
    names = {path.relative_to(CORE).as_posix() for path in CORE_FILES}
    assert {"engine.py", "gate.py", "criteria/base.py"} <= names


@pytest.mark.parametrize("path", CORE_FILES, ids=lambda p: p.relative_to(CORE).as_posix())
def test_core_module_imports_no_framework_orm_or_scheduler(path: Path) -> None:
    assert forbidden_imports(path.read_text(encoding="utf-8"), str(path)) == []


@pytest.mark.parametrize(
    "source",
    [
        "import fastapi",
        "from sqlmodel import Field",
        "import sqlalchemy.orm as orm",
        "from starlette.requests import Request",
        "from apscheduler.schedulers.background import BackgroundScheduler",
        "def f():\n    import jinja2\n",
        "import importlib\nimportlib.import_module('uvicorn')",
        "__import__('sqlalchemy')",
    ],
)
def test_checker_catches_forbidden_imports(source: str) -> None:
    assert forbidden_imports(source) != []


@pytest.mark.parametrize(
    "source",
    [
        "from transitions import Machine",
        "from pydantic import BaseModel",
        "from gatekeeper.core.gate import evaluate_gate",
        "from . import base",
        "import fastapi_like_name_of_our_own",
    ],
)
def test_checker_allows_plain_imports(source: str) -> None:
    assert forbidden_imports(source) == []


def documented_criterion_kinds() -> set[str]:
    """Kinds named in the first column of the table under '### Criterion kinds'."""
    text = FORMATS_DOC.read_text(encoding="utf-8")
    section = text.split("### Criterion kinds", 1)[1].split("\n#", 1)[0]
    return set(re.findall(r"^\|\s*`([a-z_]+)`\s*\|", section, flags=re.MULTILINE))


def test_every_criterion_kind_is_documented() -> None:
    assert set(CRITERION_KINDS) <= documented_criterion_kinds()


def test_no_undocumented_or_phantom_kinds_in_the_table() -> None:
    assert documented_criterion_kinds() == set(CRITERION_KINDS)


@pytest.mark.parametrize("kind", sorted(CRITERION_KINDS))
def test_registry_key_matches_the_class_kind(kind: str) -> None:
    criterion_class = CRITERION_KINDS[kind]
    assert criterion_class.model_fields["kind"].default == kind
    assert criterion_class.title_sv


@pytest.mark.parametrize("event", list(EventName), ids=str)
def test_every_event_name_is_described(event: EventName) -> None:
    assert EVENT_DESCRIPTIONS.get(event, "").strip()


@pytest.mark.parametrize("event", list(EventName), ids=str)
def test_event_names_are_stable_dotted_words(event: EventName) -> None:
    assert re.fullmatch(r"[a-z]+(\.[a-z_]+)+", event.value)


def test_event_descriptions_name_only_known_events() -> None:
    assert set(EVENT_DESCRIPTIONS) == set(EventName)
