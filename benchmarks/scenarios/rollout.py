"""Set-up of a regional rollout at benchmark scale: 40 checklist items per unit, varied states.

Issue 7 sizes the readiness review as 49 kommuner × 20 units × 40 items. The
shipped workflow gives each unit the 18-item `cutover` checklist, so the
benchmark runs on a copy of `inforande` (`inforande-enheter-40`) whose go-live
gate gives every unit `cutover` plus a generated 22-item `enhetsberedskap`:
40 items per unit, in the shipped categories. Units come in through the CSV
import (kommun, two förvaltningar, N enheter per kommun; the kommun and
förvaltning rows carry items too), with VGR's kommuner and seed-shaped names
from `tests/rollout_factories.py`. States are then varied with a few UPDATEs
(set-up, not measured): about 55 % done, 5 % not applicable, a spread of
`updated_at` over the last eight weeks for the forecast, evidence missing on
some done items, and a few open high risks; PostgreSQL then gathers statistics
(as autovacuum would after such a load).
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

from sqlalchemy import text, update
from sqlmodel import col, select

from benchmarks.harness import Bench, require
from benchmarks.scenarios.common import context
from gatekeeper.core.status import ItemStatus
from gatekeeper.definitions import shipped_workflows_dir
from gatekeeper.services.context import Context
from gatekeeper.services.projects import project as projects
from gatekeeper.services.projects import risk as risks
from gatekeeper.store.projects.tables import Project

WORKFLOW = "inforande-enheter-40"
EXTRA_CHECKLIST = "enhetsberedskap"
EXTRA_ITEMS = 22  # + the 18 of the shipped cutover checklist = 40 per unit
CATEGORIES = (
    "Planering",
    "Teknik",
    "Förändringsledning",
    "Utbildning",
    "Kommunikation",
    "Support",
    "Styrning",
    "Uppföljning",
)
ROLES = ("inforandeansvarig", "enhetschef", "utbildningsansvarig", "supportansvarig")


@dataclass(frozen=True)
class Rollout:
    """A built rollout: the context, the project's key and its unit keys (enheter last)."""

    ctx: Context
    key: str
    unit_keys: tuple[str, ...]
    items: int


def definitions(folder: Path) -> tuple[Path, Path]:
    """The 40-items-per-unit workflow copy and its extra checklist, written under `folder`."""
    workflows, checklists = folder / "rollout-workflows", folder / "rollout-checklists"
    workflows.mkdir()
    checklists.mkdir()
    source = (shipped_workflows_dir() / "inforande.yaml").read_text(encoding="utf-8")
    source = source.replace("id: inforande\n", f"id: {WORKFLOW}\n", 1)
    if "unit_checklists: [cutover]" not in source:
        raise RuntimeError("the shipped go-live gate has no `unit_checklists: [cutover]`")
    source = source.replace(
        "unit_checklists: [cutover]", f"unit_checklists: [cutover, {EXTRA_CHECKLIST}]", 1
    )
    (workflows / f"{WORKFLOW}.yaml").write_text(source, encoding="utf-8")
    lines = [
        "kind: checklist",
        f"id: {EXTRA_CHECKLIST}",
        "version: 1",
        "name: Enhetens beredskap inför driftstart",
        "items:",
    ]
    for n in range(EXTRA_ITEMS):
        lines += [
            f"  - id: beredskap-{n + 1:02d}",
            f"    text: Beredskapspunkt {n + 1} – rutin, ansvar och avstämning på enheten",
            f"    category: {CATEGORIES[n % len(CATEGORIES)]}",
            f"    responsible: {ROLES[n % len(ROLES)]}",
            f"    mandatory: {'true' if n % 3 else 'false'}",
            f"    evidence: {'true' if n % 4 == 0 else 'false'}",
            f"    due: -{1 + n % 10}w",
        ]
    (checklists / f"{EXTRA_CHECKLIST}.yaml").write_text("\n".join(lines) + "\n", "utf-8")
    return workflows, checklists


def rollout_context(bench: Bench) -> Context:
    """A migrated database with the shipped definitions and the 40-item workflow copy."""
    workflows, checklists = definitions(bench.folder)
    return context(bench, workflows=[workflows], checklists=[checklists])


def units_csv(kommuner: int, units_per_kommun: int) -> tuple[bytes, list[str]]:
    """The import file (Swedish Excel: `;`, UTF-8 with BOM) and the keys of its enheter."""
    factories = require("tests.rollout_factories", "the rollout test factories")
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow(["nyckel", "namn", "typ", "överordnad", "våg", "införandeansvarig", "epost"])
    enheter: list[str] = []
    for index in range(kommuner):
        kommun = factories.KOMMUNER[index % len(factories.KOMMUNER)]
        round_ = "" if index < len(factories.KOMMUNER) else f"-{index // len(factories.KOMMUNER)}"
        top = factories.slug(kommun) + round_
        wave = factories.WAVES[index % len(factories.WAVES)][0]
        writer.writerow(
            [top, f"{kommun} kommun", "kommun", "", wave, f"Införandeansvarig {kommun}",
             factories.kommun_email(kommun)]
        )  # fmt: skip
        for short, name in zip(("vo", "ifo"), factories.FORVALTNINGAR, strict=True):
            writer.writerow([f"{top}-{short}", name, "förvaltning", top, "", "", ""])
        for number in range(units_per_kommun):
            enhet = factories.ENHETER[number % len(factories.ENHETER)]
            suffix = number // len(factories.ENHETER)
            key = f"{top}-{factories.slug(enhet)}" + (f"-{suffix + 1}" if suffix else "")
            parent = f"{top}-vo" if number < units_per_kommun / 2 else f"{top}-ifo"
            name = enhet + (f" {suffix + 1}" if suffix else "")
            writer.writerow([key, name, "enhet", parent, "", "", ""])
            enheter.append(key)
    return ("\ufeff" + out.getvalue()).encode("utf-8"), enheter


def start_project(ctx: Context, key: str) -> None:
    """The rollout project (on the 40-item workflow) with its three waves."""
    factories = require("tests.rollout_factories", "the rollout test factories")
    waves = require("gatekeeper.services.rollout.wave", "the units helper's wave service")
    projects.create_project(
        ctx,
        factories.PROJEKTLEDARE,
        key=key,
        name="Breddinförande av nytt verksamhetssystem i VGR",
        workflow_id=WORKFLOW,
        organisation="Västra Götalandsregionen och kommunerna i VGR",
        started_on=factories.WAVES[0][2] - timedelta(days=180),
        gate_targets={"go-live": factories.WAVES[0][2]},
        members=factories.ROLLOUT_MEMBERS,
    )
    for wave_key, name, go_live in factories.WAVES:
        waves.create_wave(
            ctx,
            factories.PROJEKTLEDARE,
            project_key=key,
            key=wave_key,
            name=name,
            go_live_on=go_live,
        )


def import_units(ctx: Context, key: str, data: bytes) -> int:
    """Import the file through the service; how many unit items it made."""
    factories = require("tests.rollout_factories", "the rollout test factories")
    unit_import = require(
        "gatekeeper.services.rollout.unit_import", "the units helper's CSV import"
    )
    result = unit_import.import_units(
        ctx, factories.PROJEKTLEDARE, project_key=key, data=data, filename="enheter.csv"
    )
    return int(result.items)


def vary_states(ctx: Context, key: str) -> None:
    """Set-up shortcut: a realistic spread of item states, and three open high risks."""
    unit_tables = require("gatekeeper.store.rollout.unit_tables", "the rollout tables")
    unit_item = unit_tables.UnitItem
    now = ctx.clock.now()
    with ctx.db.write() as session:
        project_id = session.exec(select(col(Project.id)).where(Project.key == key)).one()
        scope = col(unit_item.project_id) == project_id
        bucket = (col(unit_item.id) * 7919) % 100
        session.execute(
            update(unit_item)
            .where(scope, bucket < 55)
            .values(
                status=ItemStatus.DONE,
                evidence="Dnr 2026/0320",
                updated_by="system:bench",
                row_version=col(unit_item.row_version) + 1,
            )
        )
        session.execute(
            update(unit_item)
            .where(scope, bucket >= 55, bucket < 60)
            .values(status=ItemStatus.NOT_APPLICABLE, updated_by="system:bench")
        )
        session.execute(  # done without the evidence the item asks for
            update(unit_item)
            .where(scope, bucket < 4, col(unit_item.evidence_required))
            .values(evidence=None)
        )
        for week in range(8):  # ticks spread over the last eight weeks: the forecast's pace
            session.execute(
                update(unit_item)
                .where(scope, bucket < 60, col(unit_item.id) % 8 == week)
                .values(updated_at=now - timedelta(days=7 * week + 1))
            )
        # The states were set behind the services' back: count the read model afresh.
        model = require("gatekeeper.services.rollout.readiness_model", "the readiness model")
        model.recount_project(session=session, project_id=project_id)
        if not ctx.db.is_sqlite:
            # What autovacuum does within a minute of a bulk load on a live server: without
            # statistics, PostgreSQL plans the review's joins for one row per table.
            session.execute(text("ANALYZE unit"))
            session.execute(text("ANALYZE unit_item"))
            session.execute(text("ANALYZE readiness_cell"))
    factories = require("tests.rollout_factories", "the rollout test factories")
    for title, probability, consequence in (
        ("Integrationen mot journalsystemet är inte klar före våg 1", 4, 4),
        ("Superanvändare saknas i flera kommuner", 3, 4),
        ("Migrering av pågående ärenden hinns inte med", 4, 3),
    ):
        risks.add_risk(
            ctx,
            factories.PROJEKTLEDARE,
            project_key=key,
            title=title,
            probability=probability,
            consequence=consequence,
        )


def build(bench: Bench, *, kommuner: int, units_per_kommun: int, key: str) -> Rollout:
    """A rollout of `kommuner` × (1 + 2 + `units_per_kommun`) units, imported, states varied."""
    ctx = rollout_context(bench)
    start_project(ctx, key)
    data, enheter = units_csv(kommuner, units_per_kommun)
    items = import_units(ctx, key, data)
    vary_states(ctx, key)
    return Rollout(ctx=ctx, key=key, unit_keys=tuple(enheter), items=items)
