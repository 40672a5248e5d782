"""The audit page (`GET /audit`): the event log, filtered, with the chain's verification.

Admins see every event; anyone else names a project they may see
(`?project=KEY`), as in the API. Filters: project, actor (e-mail), action;
paging follows the chain with a cursor (`after`, the last event's number) and
a "Nästa sida" link. At the top the result of walking the hash chain: intact
with N events, or the first broken event and why.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Annotated, Any

from fastapi import APIRouter, Query
from fastapi.responses import HTMLResponse

from gatekeeper.core.events import EventName
from gatekeeper.core.status import ChainBreak
from gatekeeper.services.audit import log as audit_log
from gatekeeper.services.projects import overview as overviews
from gatekeeper.store.audit.chain import GLOBAL, LEGACY, PROJECT_PREFIX
from gatekeeper.store.audit.tables import AuditEvent
from gatekeeper.store.audit.verify import ChainReport
from gatekeeper.web.auth import project_reader
from gatekeeper.web.bounds import Sequence
from gatekeeper.web.deps import ContextDep
from gatekeeper.web.i18n import N_
from gatekeeper.web.page import PageDep
from gatekeeper.web.sessions import WebPrincipal

router = APIRouter(tags=["pages"], include_in_schema=False)

PAGE_SIZE = 50
SCAN = 500  # events read per step while filtering by action
ACTION = {
    EventName.DEFINITION_REGISTERED.value: N_("Definition registrerad"),
    EventName.PROJECT_CREATED.value: N_("Projekt skapat"),
    EventName.PROJECT_UPDATED.value: N_("Projekt ändrat"),
    EventName.MEMBER_ADDED.value: N_("Medlem tillagd"),
    EventName.MEMBER_REMOVED.value: N_("Medlem borttagen"),
    EventName.GATE_TARGET_CHANGED.value: N_("Måldatum för grind ändrat"),
    EventName.PHASE_CHANGED.value: N_("Fas ändrad"),
    EventName.CHECKLIST_ITEM_UPDATED.value: N_("Checklistepunkt ändrad"),
    EventName.RISK_CREATED.value: N_("Risk registrerad"),
    EventName.RISK_UPDATED.value: N_("Risk ändrad"),
    EventName.GOAL_CREATED.value: N_("Mål registrerat"),
    EventName.GOAL_UPDATED.value: N_("Mål ändrat"),
    EventName.MEASUREMENT_RECORDED.value: N_("Mätning registrerad"),
    EventName.MEASUREMENT_UPDATED.value: N_("Mätning rättad"),
    EventName.ACTIVITY_CREATED.value: N_("Aktivitet tillagd"),
    EventName.ACTIVITY_UPDATED.value: N_("Aktivitet ändrad"),
    EventName.DECISION_RECORDED.value: N_("Beslut registrerat"),
    EventName.REVIEW_REQUESTED.value: N_("Granskning begärd"),
    EventName.REVIEW_WITHDRAWN.value: N_("Granskning återkallad"),
    EventName.REVIEW_SNAPSHOT_CHANGED.value: N_("Underlaget för granskning ändrat"),
    EventName.CONFLICT_DECLARED.value: N_("Jäv anmält"),
    EventName.VOTE_CAST.value: N_("Röst lagd"),
    EventName.VOTE_REFUSED.value: N_("Röst avvisad"),
    EventName.GATE_DECIDED.value: N_("Grind beslutad"),
    EventName.DECISION_LAPSED.value: N_("Beslut förfallet"),
    EventName.DECISION_REFERENCE_SET.value: N_("Diarienummer registrerat"),
    EventName.CONDITION_CLOSED.value: N_("Villkor uppfyllt"),
    EventName.CONDITION_WAIVED.value: N_("Villkor efterskänkt"),
    EventName.PROJECT_PAUSED.value: N_("Projekt pausat"),
    EventName.PROJECT_RESUMED.value: N_("Projekt återupptaget"),
    EventName.PROJECT_TERMINATED.value: N_("Projekt avbrutet"),
    EventName.USER_CREATED.value: N_("Konto skapat"),
    EventName.USER_PASSWORD_SET.value: N_("Lösenord satt"),
    EventName.USER_LOGGED_IN.value: N_("Inloggning"),
    EventName.USER_LOGIN_FAILED.value: N_("Misslyckad inloggning"),
    EventName.USER_LOCKED.value: N_("Konto spärrat"),
    EventName.USER_LANGUAGE_SET.value: N_("Språk valt"),
    EventName.TOKEN_CREATED.value: N_("API-token skapat"),
    EventName.TOKEN_REVOKED.value: N_("API-token återkallat"),
    EventName.WEBHOOK_SUBSCRIBED.value: N_("Webhook registrerad"),
    EventName.WEBHOOK_UNSUBSCRIBED.value: N_("Webhook borttagen"),
}
# Why a chain is broken, in the reader's language (the command line says it in English).
BREAK = {
    ChainBreak.MISSING: N_("händelserna %(first)s–%(last)s saknas: de har raderats ur kedjan"),
    ChainBreak.UNLINKED: N_(
        "händelse %(event)s länkar inte till händelse %(previous)s: en händelse före "
        "den har raderats, lagts till eller bytts ut"
    ),
    ChainBreak.ALTERED: N_("händelse %(event)s (nr %(number)s i loggen) har ändrats i efterhand"),
    ChainBreak.REORDERED: N_(
        "händelse %(event)s (nr %(number)s i loggen) har lägre nummer än händelse "
        "%(previous)s (nr %(previous_number)s): loggen har kastats om"
    ),
    ChainBreak.NO_HEAD: N_("kedjan har %(count)s händelser men inget huvud: det har raderats"),
    ChainBreak.TAIL_CUT: N_(
        "kedjan slutar vid händelse %(count)s men dess huvud anger %(recorded)s händelser: "
        "de senaste har raderats"
    ),
    ChainBreak.HEAD_ALTERED: N_(
        "kedjans huvud stämmer inte med den sista händelsen: huvudet har ändrats"
    ),
    ChainBreak.CHECKPOINT_SHORT: N_(
        "kontrollpunkten från %(at)s intygar %(vouched)s händelser men bara %(count)s finns "
        "kvar: kedjan har kapats"
    ),
    ChainBreak.CHECKPOINT_GONE: N_(
        "kontrollpunkten från %(at)s intygar %(vouched)s händelser men kedjan finns inte: "
        "den har raderats helt"
    ),
    ChainBreak.CHECKPOINT_REWRITTEN: N_(
        "händelse %(vouched)s skiljer sig från kontrollpunkten från %(at)s: kedjan har skrivits om"
    ),
}
ONE_MISSING = N_("händelse %(first)s saknas: den har raderats ur kedjan")
PROJECT_NEEDED = N_("Välj ett projekt: bara administratörer ser hela granskningsloggen.")
# The audit chains that belong to no project, named on the page when one is broken.
CHAIN_GLOBAL = N_("konton, definitioner och inställningar")
CHAIN_LEGACY = N_("händelserna före uppgraderingen till en kedja per projekt")


@dataclass(frozen=True)
class EventRow:
    """An event as the page shows it."""

    event: AuditEvent
    project_key: str | None
    changes: tuple[tuple[str, str, str], ...]  # (field, before, after)
    who: str | None = None  # the name of the one who acted, where it is known


def _plain(value: Any) -> str:
    if value is None:
        return "–"
    if isinstance(value, (list, dict)):
        return json.dumps(value, ensure_ascii=False, sort_keys=True)
    return str(value)


def _changes(event: AuditEvent) -> tuple[tuple[str, str, str], ...]:
    before, after = event.before or {}, event.after or {}
    keys = list(dict.fromkeys([*before, *after]))
    return tuple(
        (
            key,
            _plain(before.get(key)) if key in before else "",
            _plain(after.get(key)) if key in after else "",
        )
        for key in keys
    )


@router.get("/audit", response_class=HTMLResponse)
def audit_page(
    page: PageDep,
    ctx: ContextDep,
    principal: WebPrincipal,
    project: Annotated[str | None, Query(max_length=100)] = None,
    actor: Annotated[str | None, Query(max_length=320)] = None,
    action: Annotated[str | None, Query(max_length=100)] = None,
    after: Annotated[Sequence, Query(ge=0)] = 0,
) -> HTMLResponse:
    project = project or None
    actor = (actor or "").strip() or None
    # People type an address; the log names a person acting in the UI or API as `user:<address>`.
    wanted = f"user:{actor}" if actor and ":" not in actor else actor
    action = action if action in ACTION else None
    visible = overviews.list_projects(ctx, visible_to=principal)
    keys = {p.id: p.key for p in visible}
    notice = None
    rows: list[EventRow] = []
    next_after: int | None = None
    if project is None and not principal.administers_installation:
        notice = page.gettext(PROJECT_NEEDED)
    else:
        if project is not None:
            project_reader(ctx, principal, project)  # 404 for a project they may not see
        events, next_after = _events(ctx, project, wanted, action, after)
        who = audit_log.actor_names(ctx, {e.actor for e in events})
        rows = [
            EventRow(e, keys.get(e.project_id or -1), _changes(e), who.get(e.actor)) for e in events
        ]
    report = audit_log.verify(ctx)
    names = {f"{PROJECT_PREFIX}{p.id}": p.name for p in visible}
    return page.render(
        "audit.html",
        nav="audit",
        report=report,
        chain_label=_chain_label(page, report.chain, names),
        cause=_cause(page, report),
        rows=rows,
        notice=notice,
        projects=visible,
        filters={"project": project or "", "actor": actor or "", "action": action or ""},
        actions=ACTION,
        next_after=next_after,
        after=after,
    )


def _cause(page: PageDep, report: ChainReport) -> str | None:
    """Why the chain is broken, in the reader's language."""
    if report.kind is None:
        return report.problem
    details = dict(report.details)
    message = BREAK[report.kind]
    if report.kind is ChainBreak.MISSING and details["first"] == details["last"]:
        message = ONE_MISSING
    return page.gettext(message) % details


def _chain_label(page: PageDep, chain: str | None, names: dict[str, str]) -> str | None:
    """A broken chain named for a reader: its project's name (when they may see it), or
    what the global and legacy chains hold."""
    if chain == GLOBAL:
        return page.gettext(CHAIN_GLOBAL)
    if chain == LEGACY:
        return page.gettext(CHAIN_LEGACY)
    return names.get(chain or "", chain)


def _events(
    ctx: ContextDep, project: str | None, actor: str | None, action: str | None, after: int
) -> tuple[list[AuditEvent], int | None]:
    """A page of events after `after`, and the cursor of the next page (None: the last).

    The action filter is applied here, reading on along the chain until a page is full.
    """
    if action is None:
        events, more = audit_log.events_page(
            ctx, project_key=project, actor=actor, after_seq=after, limit=PAGE_SIZE
        )
        return events, (events[-1].seq if more and events else None)
    found: list[AuditEvent] = []
    cursor = after
    while True:
        batch, more = audit_log.events_page(
            ctx, project_key=project, actor=actor, after_seq=cursor, limit=SCAN
        )
        for event in batch:
            cursor = event.seq or cursor  # read back from the database: always numbered
            if event.action == action:
                found.append(event)
                if len(found) == PAGE_SIZE:
                    return found, cursor
        if not more:
            return found, None
