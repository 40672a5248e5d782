"""One demo project shaped like the seed documents, built through the use cases.

The demo goes through the same services as users do, so its data carries a
complete audit trail and every gate it passes really met its criteria. The
content itself (names, risks, activities, dates) is in `demo_projects.yaml`.
Every demo account gets the same web password, `DEMO_PASSWORD`, printed with
one example login per role: demo only, never for real data.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from gatekeeper.core.actor import Actor
from gatekeeper.core.criteria.decisions_taken import DecisionsTaken
from gatekeeper.core.outcome import Outcome
from gatekeeper.core.phase_model import Gate, Workflow
from gatekeeper.core.status import ActivityStatus, ItemStatus, RiskStatus
from gatekeeper.demo import laps
from gatekeeper.demo.goals import add_demo_goals
from gatekeeper.demo.meetings import add_demo_meetings
from gatekeeper.demo.registers import add_registers
from gatekeeper.demo.slutrapport import build_slutrapport
from gatekeeper.demo.subprojects import add_subprojects
from gatekeeper.services.context import Context
from gatekeeper.services.gates import readiness as gates
from gatekeeper.services.gates import register
from gatekeeper.services.gates import review as reviews
from gatekeeper.services.gates import review_view as review_views
from gatekeeper.services.gates import vote as voting
from gatekeeper.services.projects import activity as activities
from gatekeeper.services.projects import checklist as checklists
from gatekeeper.services.projects import named_decision as decisions
from gatekeeper.services.projects import project as projects
from gatekeeper.services.projects import risk as risks


def path_to(workflow: Workflow, target_phase: str) -> list[Gate]:
    """The gates from the initial phase to `target_phase` (shortest way)."""
    routes: dict[str, list[Gate]] = {workflow.initial: []}
    frontier = [workflow.initial]
    while frontier:
        phase = frontier.pop(0)
        if phase == target_phase:
            return routes[phase]
        for gate in workflow.gates_from(phase):
            if gate.dest not in routes:
                routes[gate.dest] = [*routes[phase], gate]
                frontier.append(gate.dest)
    raise ValueError(f"phase {target_phase} cannot be reached in {workflow.id}")


def _person(spec: dict[str, Any], *roles: str) -> Actor:
    """The first member holding the first of `roles` the project has (else its first member)."""
    for role in roles:
        for member in spec["members"]:
            if member["role"] == role:
                return Actor.user(member["email"], member["name"])
    first = spec["members"][0]
    return Actor.user(first["email"], first["name"])


def _evidence(spec: dict[str, Any], gate_id: str, item: gates.GateItem) -> str:
    """Evidence as the seeds' people give it: a document in the diarium (numbered in the
    project's registry) for a decision, a page on the organisation's intranet otherwise."""
    domain = spec["members"][0]["email"].rsplit("@", 1)[1]
    number = 100 + (item.row.id or 0) % 900
    year = spec["started_on"][:4]
    if "beslut" in item.row.text.lower() or "beslut" in item.row.category.lower():
        return f"Dnr {spec.get('registry', 'KS')} {year}/{number:04d}: {item.row.text[:80]}"
    return f"https://intranat.{domain}/projekt/{spec['key']}/{gate_id}/{item.row.item_id}"


def _tick(
    ctx: Context,
    actor: Actor,
    spec: dict[str, Any],
    gate_id: str,
    only: dict[str, list[str]] | None,
) -> int:
    """Tick the gate's items (all, or those named in `only`); evidence where demanded."""
    key = spec["key"]
    readiness = gates.gate_readiness(ctx, key, gate_id)
    ticked = 0
    for item in readiness.items:
        wanted = only is None or item.row.item_id in only.get(item.checklist_id, [])
        if not wanted:
            continue
        evidence = _evidence(spec, gate_id, item) if item.row.evidence_required else None
        checklists.update_item(
            ctx,
            actor,
            project_key=key,
            gate_id=gate_id,
            checklist_id=item.checklist_id,
            item_id=item.row.item_id,
            status=ItemStatus.DONE,
            evidence=evidence,
        )
        ticked += 1
    return ticked


def _record_named_decision(ctx: Context, actor: Actor, key: str, decision: dict[str, Any]) -> None:
    decided_on = min(date.fromisoformat(decision["decided_on"]), ctx.today())
    decisions.record_named_decision(
        ctx,
        actor,
        project_key=key,
        key=decision["key"],
        title=decision["title"],
        decided_on=decided_on,
        reference=decision.get("reference", ""),
    )


def _decide(
    ctx: Context, spec: dict[str, Any], leader: Actor, gate: Gate, *, conditional: bool
) -> None:
    """The projektledare asks for a review; the seats vote until the gate is decided."""
    key = spec["key"]
    review = reviews.request_review(
        ctx,
        leader,
        project_key=key,
        gate_id=gate.id,
        message=f"Underlaget för {gate.name.lower()} är klart för beslut.",
        effective_from="immediately",
        effective_motivation="Beslutet gäller från beslutsdagen.",
    )
    assert review.id is not None
    conditions = [
        voting.ConditionSpec(
            text=condition["text"],
            owner=condition["owner"],
            due_on=date.fromisoformat(condition["due_on"]),
        )
        for condition in spec.get("conditional_go", {}).get(gate.id, [])
    ]
    for number, seat in enumerate(review_views.review_seats(ctx, key, review.id).seats):
        with_conditions = conditional and number == 0
        result = voting.cast_vote(
            ctx,
            Actor.user(seat.member),
            project_key=key,
            review_id=review.id,
            outcome=Outcome.CONDITIONAL_GO if with_conditions else Outcome.GO,
            motivation=f"Underlaget för {gate.name.lower()} är genomgånget och räcker.",
            conditions=conditions if with_conditions else (),
        )
        if result.decision is not None:
            assert result.decision.id is not None
            year = result.decision.decided_at.year
            register.set_reference(
                ctx,
                leader,
                project_key=key,
                decision_id=result.decision.id,
                reference=f"Dnr {year}.{result.decision.id:03d} {spec.get('registry', 'KS')}",
            )
            return
    raise RuntimeError(f"demo: the seats of {gate.id} did not decide it")


def build_project(ctx: Context, spec: dict[str, Any]) -> str:
    """Create one demo project and walk it to its phase; a line saying what was made."""
    key = spec["key"]
    workflow = ctx.catalog.workflow(spec["workflow"])
    # The one who ticks: the projektledare, or the Danish forankringsteam (its may_tick).
    leader = _person(spec, "projektledare", "forankringsteam")
    chair = _person(spec, "styrgrupp")
    projects.create_project(
        ctx,
        leader,
        key=key,
        name=spec["name"],
        workflow_id=workflow.id,
        organisation=spec.get("organisation", ""),
        description=spec.get("description", ""),
        started_on=laps.started_on(spec),
        gate_targets=laps.first_lap_dates(spec),
        members=[
            projects.MemberSpec(name=m["name"], email=m["email"], role=m["role"])
            for m in spec["members"]
        ],
    )
    laps.go_round_once(ctx, spec, leader, chair)
    recorded: set[str] = set()
    by_key = {d["key"]: d for d in spec.get("decisions", [])}
    for gate in path_to(workflow, spec["target_phase"]):
        _tick(ctx, leader, spec, gate.id, None)
        for criterion in gate.criteria:
            if isinstance(criterion, DecisionsTaken):
                for needed in criterion.decisions:
                    if needed in recorded:
                        continue
                    decision = by_key.get(needed) or {
                        "key": needed,
                        "title": f"Beslut om {needed}",
                        "decided_on": spec["started_on"],
                    }
                    _record_named_decision(ctx, chair, key, decision)
                    recorded.add(needed)
        _decide(ctx, spec, leader, gate, conditional=gate.id in spec.get("conditional_go", {}))
    for gate in workflow.gates_from(spec["target_phase"]):
        _tick(ctx, leader, spec, gate.id, spec.get("ticked", {}))
    for decision in spec.get("decisions", []):
        if decision["key"] not in recorded:
            _record_named_decision(ctx, chair, key, decision)
    for risk in spec.get("risks", []):
        row = risks.add_risk(
            ctx,
            leader,
            project_key=key,
            title=risk["title"],
            probability=risk["probability"],
            consequence=risk["consequence"],
            mitigation=risk.get("mitigation", ""),
            owner=risk.get("owner", ""),
        )
        if risk.get("status", "open") != "open":
            assert row.id is not None
            risks.update_risk(
                ctx, leader, project_key=key, risk_id=row.id, status=RiskStatus(risk["status"])
            )
    for activity in spec.get("activities", []):
        activities.add_activity(
            ctx,
            leader,
            project_key=key,
            title=activity["title"],
            start=date.fromisoformat(activity["start"]) if activity.get("start") else None,
            end=date.fromisoformat(activity["end"]) if activity.get("end") else None,
            responsible=activity.get("responsible", ""),
            status=ActivityStatus(activity.get("status", "not_started")),
            comment=activity.get("comment", ""),
            postponed_to=(
                date.fromisoformat(activity["postponed_to"])
                if activity.get("postponed_to")
                else None
            ),
        )
    add_demo_meetings(ctx, spec)
    add_demo_goals(ctx, leader, key)
    build_slutrapport(ctx, key)  # the project furthest along gets its slutrapport drafted
    add_registers(ctx, leader, key)
    add_subprojects(ctx, key, spec.get("organisation", ""), leader)
    phase = workflow.phase(spec["target_phase"]).name
    return f"{spec['name']}: i fasen {phase}"
