"""Every page as each demo role: names, not e-mail addresses; labels, not ids.

The demo (all its projects and the 49-kommun rollout) is built once, on SQLite:
what is checked is the text a person reads, which does not depend on the
database. For each role of the demo, a person holding it signs in and follows
the links of the pages they reach from Översikt, as they would click, a few
pages of each kind (a project, a gate, a unit…). On every page, the visible
text (not attributes, scripts or styles) must not hold

- an e-mail address, except inside an element marked `class="email"`: the
  places where the address is the point (the e-post column of the members);
  or `class="record"`: the audit log's record as it was written (who by
  their identity, the object and the changed fields as the API and webhooks
  name them), which an auditor matches against the API;
- an internal id of the workflows where a label belongs: a role, phase, gate
  or checklist id that differs from its label ("bestallare" for "Beställare",
  "forstudie-klar" for "Förstudie klar").
"""

from __future__ import annotations

import re
from collections import Counter, deque
from collections.abc import Iterator
from html.parser import HTMLParser

import pytest
from fastapi.testclient import TestClient

from gatekeeper.definitions import Catalog
from gatekeeper.demo import DEMO_ADMIN, DEMO_PASSWORD, rollout
from gatekeeper.demo.content import demo_projects
from gatekeeper.services.context import Context
from tests.apps import app_for
from tests.web.test_login import log_in

PAGES_PER_KIND = 2  # pages of one kind (one path with its keys and numbers left out)
PAGES_PER_ROLE = 70
ADDRESS = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
SKIPPED = re.compile(r"^/(api/|static/|logout|login|password/)|\.(csv|xlsx|ics|pdf)(\?|$)|/print\b")
KEYED = frozenset({"projects", "units", "waves", "gates", "reviews", "decisions", "risks"})
KEYED_SEGMENT = re.compile(r"^(\d+|[a-z0-9]+(?:-[a-z0-9]+)+)$")


class VisibleText(HTMLParser):
    """The text a person reads on a page, without the elements of class `email` or `record`."""

    VOID = frozenset(
        {
            "area",
            "base",
            "br",
            "col",
            "embed",
            "hr",
            "img",
            "input",
            "link",
            "meta",
            "source",
            "wbr",
        }
    )

    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []
        self.links: list[str] = []
        self._stack: list[bool] = []  # per open element: hidden from the check

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if tag == "a" and values.get("href"):
            self.links.append(values["href"] or "")
        if tag in self.VOID:
            return
        classes = (values.get("class") or "").split()
        hidden = tag in {"script", "style", "template"} or bool({"email", "record"} & set(classes))
        self._stack.append(hidden or (bool(self._stack) and self._stack[-1]))

    def handle_endtag(self, tag: str) -> None:
        if tag not in self.VOID and self._stack:
            self._stack.pop()

    def handle_data(self, data: str) -> None:
        if not (self._stack and self._stack[-1]):
            self.parts.append(data)

    @property
    def text(self) -> str:
        return " ".join(" ".join(self.parts).split())


def _fold(text: str) -> str:
    return text.lower().translate(str.maketrans("åäöé", "aaoe"))


def internal_ids(catalog: Catalog) -> dict[str, str]:
    """Ids a page must not show where their label belongs: id -> label.

    Only ids that cannot be ordinary words of a sentence: those that differ
    from their label only by the Swedish letters ("bestallare") and those
    with a hyphen that their label does not hold ("forstudie-klar")."""
    named: list[tuple[str, str]] = []
    for workflow in catalog.workflows():
        named += [(role.id, role.name) for role in workflow.roles]
        named += [(phase.id, phase.name) for phase in workflow.phases]
        named += [(gate.id, gate.name) for gate in workflow.gates]
    for template in catalog.checklists():
        named += [(item.id, item.text) for item in template.items]
    ids: dict[str, str] = {}
    for identifier, label in named:
        if identifier.lower() in label.lower():
            continue  # the id is a word of its own label ("go-live" in "Go-live / driftstart")
        looks_like_label = _fold(label) == identifier and label.lower() != identifier
        if looks_like_label or "-" in identifier:
            ids[identifier] = label
    return ids


def _people() -> list[tuple[str, str]]:
    """One person per role of the demo (the first who holds it), the administrator and
    a kommun's införandeansvarig of the rollout."""
    seen: dict[str, str] = {"administratör": DEMO_ADMIN}
    for spec in demo_projects():
        for member in spec["members"]:
            seen.setdefault(member["role"], member["email"])
    for _name, email, role in rollout.MEMBERS:
        seen.setdefault(f"{role} (rollout)", email)
    seen["införandeansvarig för en kommun"] = next(iter(rollout.inforandeansvariga()))
    return sorted(seen.items())


def _kind(path: str) -> str:
    """A path with its keys and numbers left out: /projects/*/gates/*."""
    segments = path.split("?")[0].strip("/").split("/")
    kind = [
        "*" if KEYED_SEGMENT.match(segment) or (n and segments[n - 1] in KEYED) else segment
        for n, segment in enumerate(segments)
    ]
    return "/" + "/".join(kind)


def crawl(client: TestClient) -> Iterator[tuple[str, str]]:
    """(path, visible text) of the pages reachable from Översikt, a few of each kind."""
    queue: deque[str] = deque(["/"])
    seen: set[str] = {"/"}
    kinds: Counter[str] = Counter()
    visited = 0
    while queue and visited < PAGES_PER_ROLE:
        path = queue.popleft()
        answer = client.get(path)
        if answer.status_code != 200 or "text/html" not in answer.headers.get("content-type", ""):
            continue
        visited += 1
        parser = VisibleText()
        parser.feed(answer.text)
        yield path, parser.text
        for link in parser.links:
            target = link.split("#")[0]
            if not target.startswith("/") or target.startswith("//") or SKIPPED.search(target):
                continue
            if target in seen or kinds[_kind(target)] >= PAGES_PER_KIND:
                continue
            seen.add(target)
            kinds[_kind(target)] += 1
            queue.append(target)


@pytest.mark.parametrize(("role", "email"), _people(), ids=[role for role, _ in _people()])
def test_every_page_names_people_and_labels_things(demo: Context, role: str, email: str) -> None:
    client = TestClient(app_for(demo))
    assert log_in(client, email=email, password=DEMO_PASSWORD).status_code == 303
    ids = internal_ids(demo.catalog)
    id_pattern = re.compile(r"(?<![\w/.-])(" + "|".join(map(re.escape, ids)) + r")(?![\w/-])")
    problems: list[str] = []
    pages = 0
    for path, text in crawl(client):
        pages += 1
        for address in {m.group(0): m for m in ADDRESS.finditer(text)}.values():
            context = text[max(0, address.start() - 40) : address.end() + 20]
            problems.append(
                f"{path}: e-mail address {address.group(0)!r} where a name belongs: …{context}…"
            )
        for found in {m.group(1): m for m in id_pattern.finditer(text)}.values():
            context = text[max(0, found.start() - 40) : found.end() + 40]
            problems.append(
                f"{path}: id {found.group(1)!r} where its label {ids[found.group(1)]!r} "
                f"belongs: …{context}…"
            )
    assert pages >= 3, f"{role} reached only {pages} pages from Översikt"
    assert not problems, f"as {role} ({email}):\n" + "\n".join(problems)
