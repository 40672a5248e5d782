"""The layout holds: capabilities depend one way, no import circles, small modules,
one change recorder.

Reads the package's modules as text with `ast` (nothing is imported), so a
rule broken anywhere under `gatekeeper/` fails here with the module and line.
docs/architecture.md states these rules; this is where they are kept.
"""

from __future__ import annotations

import ast
from collections import defaultdict
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "gatekeeper"
MODULES = {
    ".".join(path.relative_to(ROOT).with_suffix("").parts).removesuffix(".__init__"): path
    for path in sorted(PACKAGE.rglob("*.py"))
    if "migrations" not in path.parts
}
CAPABILITIES = (
    "projects",
    "gates",
    "rollout",
    "reminders",
    "access",
    "audit",
    "followup",
    "meetings",
    "reports",
)
# Which capabilities a capability's services may use: gates decide on waves
# (rollout) of projects and show a project's page with its reminders, and their
# criteria may ask about goals (followup); rollout's units and followup's goals
# and registers belong to projects; a styrgrupp meeting (meetings) takes up
# gates' decisions and followup's goals; reports (the follow-up report, the
# slutrapport) read all of these; reminders, access and audit use no other.
MAY_USE = {
    "reports": {"meetings", "gates", "followup", "rollout", "projects", "reminders"},
    "meetings": {"gates", "followup", "rollout", "projects", "reminders"},
    "gates": {"rollout", "projects", "reminders", "followup"},
    "followup": {"projects"},
    "rollout": {"projects"},
    "projects": set(),
    "reminders": set(),
    "access": set(),
    "audit": set(),
}
# In the store, the audit log and its outbox name the project an event belongs to.
MAY_USE_IN_STORE = {"audit": {"projects"}}
MAX_LINES = 400


def _imports(name: str) -> list[tuple[int, str]]:
    """(line, module) for every gatekeeper module `name` imports at any depth."""
    found: list[tuple[int, str]] = []
    for node in ast.walk(ast.parse(MODULES[name].read_text("utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            for alias in node.names:
                full = f"{node.module}.{alias.name}"
                found.append((node.lineno, full if full in MODULES else node.module))
        elif isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
    return [(line, module) for line, module in found if module in MODULES]


GRAPH = {name: {module for _, module in _imports(name)} for name in MODULES}


def _capability(name: str, layer: str) -> str | None:
    parts = name.split(".")
    if len(parts) > 2 and parts[1] == layer and parts[2] in CAPABILITIES:
        return parts[2]
    return None


def test_the_modules_are_found() -> None:
    assert "gatekeeper.services.change" in MODULES
    assert "gatekeeper.services.gates.outcome" in MODULES


@pytest.mark.parametrize("name", sorted(MODULES))
def test_no_module_is_over_the_line_cap(name: str) -> None:
    lines = MODULES[name].read_text("utf-8").count("\n")
    assert lines <= MAX_LINES, f"{name} has {lines} lines (cap {MAX_LINES}): split it by concept"


def test_there_is_no_import_circle() -> None:
    state: dict[str, int] = {}  # 1: on the path, 2: done
    path: list[str] = []

    def visit(name: str) -> None:
        state[name] = 1
        path.append(name)
        for target in sorted(GRAPH[name]):
            if state.get(target) == 1:
                circle = [*path[path.index(target) :], target]
                pytest.fail("import circle: " + " → ".join(circle))
            if target not in state:
                visit(target)
        path.pop()
        state[name] = 2

    for name in sorted(MODULES):
        if name not in state:
            visit(name)


@pytest.mark.parametrize("layer", ["services", "store", "core"])
def test_capabilities_depend_one_way(layer: str) -> None:
    wrong: list[str] = []
    for name in MODULES:
        own = _capability(name, layer)
        if own is None:
            continue
        for line, target in _imports(name):
            other = _capability(target, layer)
            allowed = MAY_USE[own] | (
                MAY_USE_IN_STORE.get(own, set()) if layer == "store" else set()
            )
            if other is not None and other != own and other not in allowed:
                wrong.append(f"{name}:{line} imports {target}")
    assert not wrong, "a capability uses one it may not:\n" + "\n".join(wrong)


def test_only_the_change_recorder_appends_to_the_audit_chain() -> None:
    callers: dict[str, list[int]] = defaultdict(list)
    for name, path in MODULES.items():
        for node in ast.walk(ast.parse(path.read_text("utf-8"))):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Attribute)
                and node.func.attr == "record"
                and isinstance(node.func.value, ast.Name)
                and node.func.value.id in {"audit", "chain"}
            ):
                callers[name].append(node.lineno)
    assert set(callers) == {"gatekeeper.services.change"}, dict(callers)


def test_no_use_case_bumps_a_row_version_by_hand() -> None:
    bumped: list[str] = []
    for name, path in MODULES.items():
        for node in ast.walk(ast.parse(path.read_text("utf-8"))):
            if (
                isinstance(node, ast.AugAssign)
                and isinstance(node.target, ast.Attribute)
                and node.target.attr == "row_version"
            ):
                bumped.append(f"{name}:{node.lineno}")
    assert all(place.startswith("gatekeeper.services.change:") for place in bumped), bumped


def test_every_real_browser_test_lives_in_tests_browser() -> None:
    """CI's browser run collects tests/browser only (.ci/run), and the other run leaves
    out the `browser` mark: a browser test anywhere else would run in neither."""
    tests = Path(__file__).resolve().parent
    elsewhere = [
        str(path.relative_to(tests))
        for path in tests.rglob("*.py")
        if tests / "browser" not in path.parents
        and path != Path(__file__).resolve()  # this test names the mark
        and "mark.browser" in path.read_text("utf-8")
    ]
    assert elsewhere == [], elsewhere
