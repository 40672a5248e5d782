"""Event names: the stable words other tools and the audit log rely on.

Every change a service makes is recorded under one of these names, in the
audit log and (later) in the webhook outbox. The values never change once
released; add new members instead.
"""

from __future__ import annotations

from enum import StrEnum


class EventName(StrEnum):
    """What happened, in past tense."""

    DEFINITION_REGISTERED = "definition.registered"
    PROJECT_CREATED = "project.created"
    PROJECT_UPDATED = "project.updated"
    MEMBER_ADDED = "member.added"
    MEMBER_REMOVED = "member.removed"
    GATE_TARGET_CHANGED = "gate.target_changed"
    PHASE_CHANGED = "phase.changed"
    CHECKLIST_ITEM_UPDATED = "checklist.item.updated"
    CHECKLIST_ITEM_REFUSED = "checklist.item.refused"
    CHANGE_REFUSED = "change.refused"
    RISK_CREATED = "risk.created"
    RISK_UPDATED = "risk.updated"
    ACTIVITY_CREATED = "activity.created"
    ACTIVITY_UPDATED = "activity.updated"
    DECISION_RECORDED = "decision.recorded"
    NAMED_DECISION_REFERENCE_SET = "decision.reference_set"
    REVIEW_REQUESTED = "gate.review_requested"
    REVIEW_WITHDRAWN = "gate.review_withdrawn"
    REVIEW_SNAPSHOT_CHANGED = "gate.review_snapshot_changed"
    CONFLICT_DECLARED = "gate.conflict_declared"
    VOTE_CAST = "gate.vote_cast"
    VOTE_REFUSED = "gate.vote_refused"
    GATE_DECIDED = "gate.decided"
    DECISION_LAPSED = "gate.decision_lapsed"
    DECISION_REFERENCE_SET = "gate.decision_reference_set"
    LATE_VOTE_CAST = "gate.late_vote_cast"
    RESERVATION_ENTERED = "gate.reservation_entered"
    DECISION_TOOK_EFFECT = "gate.decision_took_effect"
    CONDITION_CLOSED = "condition.closed"
    CONDITION_WAIVED = "condition.waived"
    PROJECT_PAUSED = "project.paused"
    PROJECT_RESUMED = "project.resumed"
    PROJECT_TERMINATED = "project.terminated"
    LAP_STARTED = "project.lap_started"
    USER_CREATED = "user.created"
    USER_PASSWORD_SET = "user.password_set"
    USER_LOGGED_IN = "user.logged_in"
    USER_LOGIN_FAILED = "user.login_failed"
    USER_LOCKED = "user.locked"
    USER_LANGUAGE_SET = "user.language_set"
    USER_INVITED = "user.invited"
    USER_PASSWORD_RESET_REQUESTED = "user.password_reset_requested"
    TOKEN_CREATED = "token.created"
    TOKEN_REVOKED = "token.revoked"
    WEBHOOK_SUBSCRIBED = "webhook.subscribed"
    WEBHOOK_UNSUBSCRIBED = "webhook.unsubscribed"
    WEBHOOK_DELIVERY_REQUEUED = "webhook.delivery_requeued"
    REMINDER_SENT = "reminder.sent"
    REMINDER_FAILED = "reminder.failed"
    REMINDER_REQUEUED = "reminder.requeued"
    REMINDER_SETTINGS_CHANGED = "user.reminder_settings_changed"
    CALENDAR_FEED_CREATED = "calendar.feed_created"
    CALENDAR_FEED_REVOKED = "calendar.feed_revoked"
    WAVE_CREATED = "wave.created"
    WAVE_UPDATED = "wave.updated"
    WAVE_STATUS_CHANGED = "wave.status_changed"
    UNIT_ADDED = "unit.added"
    UNIT_UPDATED = "unit.updated"
    UNIT_MOVED = "unit.moved"
    UNIT_REMOVED = "unit.removed"
    UNITS_IMPORTED = "units.imported"
    UNIT_ITEM_UPDATED = "unit.item.updated"
    UNIT_ITEMS_BULK_UPDATED = "unit.items.bulk_updated"
    MEETING_CREATED = "meeting.created"
    MEETING_UPDATED = "meeting.updated"
    MEETING_SENT = "meeting.sent"
    MEETING_PROTOCOL_RECORDED = "meeting.protocol_recorded"
    MEETING_JUSTERAD = "meeting.justerad"
    GOAL_CREATED = "goal.created"
    GOAL_UPDATED = "goal.updated"
    MEASUREMENT_RECORDED = "measurement.recorded"
    MEASUREMENT_UPDATED = "measurement.updated"
    FINAL_REPORT_SECTION_SAVED = "slutrapport.section_saved"
    FINAL_REPORT_APPROVED = "slutrapport.approved"
    LESSON_CREATED = "lesson.created"
    LESSON_UPDATED = "lesson.updated"
    COMMUNICATION_CREATED = "communication.created"
    COMMUNICATION_UPDATED = "communication.updated"
    STAKEHOLDER_CREATED = "stakeholder.created"
    STAKEHOLDER_UPDATED = "stakeholder.updated"
    PROJECT_PARENT_SET = "project.parent_set"


EVENT_DESCRIPTIONS: dict[EventName, str] = {
    EventName.DEFINITION_REGISTERED: "A workflow or checklist version was stored for use.",
    EventName.PROJECT_CREATED: "A project was started on a workflow version.",
    EventName.PROJECT_UPDATED: "A project's name, description or organisation changed.",
    EventName.MEMBER_ADDED: "A person was given a role in a project.",
    EventName.MEMBER_REMOVED: "A person's role in a project was taken away.",
    EventName.GATE_TARGET_CHANGED: "A gate's target date was set or moved (deadlines follow).",
    EventName.PHASE_CHANGED: "A project passed a gate into a new phase.",
    EventName.CHECKLIST_ITEM_UPDATED: "A checklist item was ticked, unticked or set N/A.",
    EventName.CHECKLIST_ITEM_REFUSED: (
        "A change of a checklist item was refused: the person may not tick it (may_tick)."
    ),
    EventName.CHANGE_REFUSED: (
        "A change was refused because the person may not make it (a risk, an activity, a "
        "member, a gate pass, a gate date, a review request, a diarienummer): nothing changed."
    ),
    EventName.RISK_CREATED: "A risk was recorded.",
    EventName.RISK_UPDATED: "A risk's scores, mitigation, owner or status changed.",
    EventName.ACTIVITY_CREATED: "An activity was added to the aktivitetsplan.",
    EventName.ACTIVITY_UPDATED: "An activity's dates, owner or status changed.",
    EventName.DECISION_RECORDED: "A named decision (e.g. finansiering) was recorded on a project.",
    EventName.LAP_STARTED: (
        "A cyclic workflow's loop-closing gate was taken: a new lap (varv) began, with the "
        "loop's checklist items open again."
    ),
    EventName.NAMED_DECISION_REFERENCE_SET: (
        "A named decision (e.g. finansiering) got its diarienummer, or it was changed."
    ),
    EventName.REVIEW_REQUESTED: "A review of a gate was requested; its readiness was frozen.",
    EventName.REVIEW_WITHDRAWN: "An open gate review was withdrawn before it was decided.",
    EventName.REVIEW_SNAPSHOT_CHANGED: "Readiness changed during a review; earlier votes lapse.",
    EventName.CONFLICT_DECLARED: "A decider declared a conflict of interest (jäv) in a review.",
    EventName.VOTE_CAST: "A decider (or their ersättare) voted in a gate review.",
    EventName.VOTE_REFUSED: "A vote was refused (not a decider, requester, closed review…).",
    EventName.GATE_DECIDED: "The votes of a review resolved into a gate decision.",
    EventName.DECISION_LAPSED: "A gate decision lapsed (target date slipped, item unticked).",
    EventName.DECISION_REFERENCE_SET: "A gate decision got its diarienummer.",
    EventName.LATE_VOTE_CAST: "A seat holder voted after the decision (kept, never counted).",
    EventName.RESERVATION_ENTERED: (
        "A member who voted against a gate decision entered a reservation against it."
    ),
    EventName.DECISION_TOOK_EFFECT: (
        "A go decided before its effective date took effect on the day: the phase changed."
    ),
    EventName.CONDITION_CLOSED: "A condition of a conditional go was met and closed.",
    EventName.CONDITION_WAIVED: "A condition of a conditional go was waived by the deciders.",
    EventName.PROJECT_PAUSED: "A project was put on hold by a gate decision.",
    EventName.PROJECT_RESUMED: "A paused project was resumed by the deciding role.",
    EventName.PROJECT_TERMINATED: "A project was terminated (kill) by a gate decision.",
    EventName.USER_CREATED: "A user account was created.",
    EventName.USER_PASSWORD_SET: "A user's web password was set or changed (never the password).",
    EventName.USER_LOGGED_IN: "A person signed in to the web UI with their password.",
    EventName.USER_LOGIN_FAILED: "A web sign-in was refused (wrong password, unknown or locked).",
    EventName.USER_LOCKED: "An account was locked for a while after repeated failed sign-ins.",
    EventName.USER_LANGUAGE_SET: "A person chose the language of their web UI (sv or en).",
    EventName.USER_INVITED: (
        "An invitation to set a password was sent to a person (never the link or its token)."
    ),
    EventName.USER_PASSWORD_RESET_REQUESTED: (
        "A password reset link was sent to a person who asked for one (never the token)."
    ),
    EventName.TOKEN_CREATED: "An API token was created (its secret is never stored).",
    EventName.TOKEN_REVOKED: "An API token was revoked.",
    EventName.WEBHOOK_SUBSCRIBED: "A webhook subscription was added to a project.",
    EventName.WEBHOOK_UNSUBSCRIBED: "A webhook subscription was removed.",
    EventName.WEBHOOK_DELIVERY_REQUEUED: (
        "A dead webhook delivery was put back in the queue, its attempts from zero."
    ),
    EventName.REMINDER_SENT: (
        "A reminder was delivered (published to webhooks only: the reminder row is its log)."
    ),
    EventName.REMINDER_FAILED: "A reminder gave up after its last delivery attempt.",
    EventName.REMINDER_REQUEUED: "A failed reminder was put back in the queue by an administrator.",
    EventName.REMINDER_SETTINGS_CHANGED: (
        "A person changed their time zone or chose a daily digest instead of single e-mails."
    ),
    EventName.CALENDAR_FEED_CREATED: "A personal iCal feed address was created.",
    EventName.CALENDAR_FEED_REVOKED: "A personal iCal feed address was revoked.",
    EventName.WAVE_CREATED: "A wave (våg) of a rollout was created with its go-live date.",
    EventName.WAVE_UPDATED: (
        "A wave's name, go-live date (unit deadlines follow) or required units changed."
    ),
    EventName.WAVE_STATUS_CHANGED: (
        "A wave went live, was paused or resumed by a steering-group decision."
    ),
    EventName.UNIT_ADDED: "A unit (kommun, förvaltning or enhet) was added to a rollout.",
    EventName.UNIT_UPDATED: "A unit's name or införandeansvarig changed.",
    EventName.UNIT_MOVED: (
        "A unit moved to another wave; a move to a later wave carries its motivation."
    ),
    EventName.UNIT_REMOVED: "A unit (and its checklist items) was removed from a rollout.",
    EventName.UNITS_IMPORTED: "Units were imported from a CSV or XLSX file, all in one go.",
    EventName.UNIT_ITEM_UPDATED: "One item of a unit's checklist was ticked, unticked or set N/A.",
    EventName.UNIT_ITEMS_BULK_UPDATED: (
        "The same checklist item was set for many units at once (the unit keys are listed)."
    ),
    EventName.MEETING_CREATED: (
        "A styrgrupp meeting (or the exit meeting) was drafted with an agenda from what is due."
    ),
    EventName.MEETING_UPDATED: "A meeting's time, place, participants or agenda changed.",
    EventName.MEETING_SENT: (
        "A meeting's kallelse was sent: its agenda and underlag were frozen and mailed."
    ),
    EventName.MEETING_PROTOCOL_RECORDED: (
        "A meeting's protocol was recorded: närvarande, ersättare, decisions, notes."
    ),
    EventName.MEETING_JUSTERAD: (
        "A justerare (or the ordförande) signed a meeting's protocol; the last one locks it."
    ),
    EventName.GOAL_CREATED: "A goal (effektmål, projektmål, delmål) or a nytta was added.",
    EventName.GOAL_UPDATED: (
        "A goal's or nytta's text, indicator, baseline, target, ansvarig or mätpunkter changed."
    ),
    EventName.MEASUREMENT_RECORDED: "A value was measured for a goal or nytta.",
    EventName.MEASUREMENT_UPDATED: "A measurement's value, date, källa or comment was corrected.",
    EventName.FINAL_REPORT_SECTION_SAVED: (
        "A text section of the slutrapport (sammanfattning, ekonomi, …) was written or changed."
    ),
    EventName.FINAL_REPORT_APPROVED: (
        "The slutrapport was fastställd by the beställare or styrgrupp; it is frozen from then on."
    ),
    EventName.LESSON_CREATED: "A lärdom was added to the project's lessons-learned register.",
    EventName.LESSON_UPDATED: "A lärdom's text, kategori or rekommendation changed.",
    EventName.COMMUNICATION_CREATED: "A row was added to the project's kommunikationsplan.",
    EventName.COMMUNICATION_UPDATED: (
        "A kommunikationsplan row changed: målgrupp, budskap, kanal, tidpunkt, ansvarig or status."
    ),
    EventName.STAKEHOLDER_CREATED: "An intressent was added to the project's intressentanalys.",
    EventName.STAKEHOLDER_UPDATED: (
        "An intressent's intresse, påverkan, förväntningar or strategi changed."
    ),
    EventName.PROJECT_PARENT_SET: (
        "A project was made a delprojekt of another (or no longer one), or its mottagande "
        "förvaltning changed."
    ),
}
