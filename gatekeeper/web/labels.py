"""Words for the status values pages show, as msgids of the message catalogue.

Each table maps a stored value (`conditional_go`, `in_progress`…) to its
Swedish label; templates translate at render time: `{{ _(labels.outcome[v]) }}`
(the `labels` global). `N_` only marks a string for extraction into the
catalogue (`make messages`); it translates nothing itself.
"""

from __future__ import annotations

from gatekeeper.core.gate import OPEN_CONDITIONS
from gatekeeper.core.outcome import Outcome
from gatekeeper.core.status import ActivityStatus, ItemStatus, ProjectStatus, RiskStatus
from gatekeeper.web.i18n import N_

OUTCOME = {
    Outcome.GO.value: N_("Go"),
    Outcome.CONDITIONAL_GO.value: N_("Go med villkor"),
    Outcome.NO_GO.value: N_("No-go"),
    Outcome.HOLD.value: N_("Paus"),
    Outcome.RECYCLE.value: N_("Åter till tidigare fas"),
    Outcome.KILL.value: N_("Avbryt projektet"),
}
CONDITION = {
    "open": N_("Öppet"),
    "closed": N_("Uppfyllt"),
    "waived": N_("Efterskänkt"),
}
QUORUM = {"all": N_("alla"), "majority": N_("majoritet"), "any": N_("någon")}
ITEM = {
    ItemStatus.OPEN.value: N_("Ej klar"),
    ItemStatus.DONE.value: N_("Klar"),
    ItemStatus.NOT_APPLICABLE.value: N_("Ej aktuell"),
}
RISK = {
    RiskStatus.OPEN.value: N_("Öppen"),
    RiskStatus.CLOSED.value: N_("Hanterad"),
    RiskStatus.ACCEPTED.value: N_("Accepterad"),
}
ACTIVITY = {
    ActivityStatus.NOT_STARTED.value: N_("Ej påbörjat"),
    ActivityStatus.IN_PROGRESS.value: N_("Pågår"),
    ActivityStatus.DONE.value: N_("Genomfört"),
    ActivityStatus.POSTPONED.value: N_("Skjuts upp"),
}
PROJECT = {
    ProjectStatus.ACTIVE.value: N_("Pågående"),
    ProjectStatus.ON_HOLD.value: N_("Pausat"),
    ProjectStatus.TERMINATED.value: N_("Avbrutet"),
    ProjectStatus.CLOSED.value: N_("Avslutat"),
}
REMINDER = {
    "pending": N_("Planerad"),
    "claimed": N_("Skickas"),
    "retrying": N_("Försöker igen"),
    "sent": N_("Skickad"),
    "failed": N_("Misslyckad"),
    "paused": N_("Pausad"),
    "cancelled": N_("Inställd"),
    "missed": N_("Missad – planerades efter sitt datum"),
}
# The criterion kinds' title_sv, marked here so that the catalogue holds them
# (a test keeps the two in step).
CRITERION = {
    "mandatory_items_done": N_("Obligatoriska punkter klara"),
    "completion_share": N_("Andel klara punkter"),
    "max_open_risk_score": N_("Inga höga öppna risker"),
    "decisions_taken": N_("Beslut fattade"),
    "units_ready_share": N_("Andel enheter redo"),
    "named_units_ready": N_("Namngivna enheter redo"),
    "goals_measured": N_("Målen mätta vid sina mätpunkter"),
    "goal_targets_reached": N_("Målvärdena nådda"),
    "subprojects_handed_over": N_("Delprojekt överlämnade"),
    OPEN_CONDITIONS: N_("Villkor från tidigare beslut"),
}


class Labels:
    """The tables above as one template global: `labels.outcome["go"]`."""

    outcome = OUTCOME
    condition = CONDITION
    quorum = QUORUM
    item = ITEM
    risk = RISK
    activity = ACTIVITY
    project = PROJECT
    reminder = REMINDER
    criterion = CRITERION
