"""Demo projects for `gatekeeper demo`, drawn from the users' own documents.

Four projects, each standing in a different phase so that every part of the
product has something to show: the IBIC introduction in Alingsås (seed 000)
in genomförande a week before go-live, with a migration risk above the
go-live limit and cut-over items still open; "Vårdens medarbetare" in
Skaraborg (seed 004) in driftöverlämning with its final report on the way;
a VGR region-wide rollout of Millennium to the 49 municipalities (seed 003)
in beslut, where the cost model and the funding decision are missing and the
kritisk linje for equipment lists has already passed; and a Danish ICS
forankring project (seed 001) in the plan phase of its cycle. The data lives in
`projects.yaml` beside this module; names and e-mail addresses are invented (the
`.example` domains never deliver mail) and dates are placed around
2026-11-25. Every workflow, gate, checklist, item and role id used here
exists in `workflows/` and `checklists/`.
"""

from __future__ import annotations

from functools import cache
from importlib import resources
from typing import Any

from ruamel.yaml import YAML


@cache
def demo_projects() -> list[dict[str, Any]]:
    """The demo projects as plain data (read once from the packaged YAML)."""
    text = resources.files("gatekeeper.demo").joinpath("projects.yaml").read_text("utf-8")
    data: dict[str, list[dict[str, Any]]] = YAML(typ="safe").load(text)
    return data["projects"]
