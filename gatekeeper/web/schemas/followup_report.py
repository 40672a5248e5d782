"""Response models of the follow-up report of a date (per project and across projects)."""

from __future__ import annotations

import datetime as dt

from pydantic import BaseModel, Field

from gatekeeper.core.status import ActivityStatus
from gatekeeper.services.reports.followup_report import FollowupReport, PortfolioReport
from gatekeeper.services.reports.followup_report_export import status_words


class ReportActivityPublic(BaseModel):
    """A line of the aktivitetsplan as it stood on the report's date."""

    id: int
    title: str = Field(description="Aktivitet.")
    start: dt.date | None
    end: dt.date | None = Field(description="Slutdatum.")
    responsible: str = Field(description="Ansvarig (a person's name).")
    status: ActivityStatus
    status_sv: str = Field(
        description="The status in words as seed 002 writes it, e.g. 'Skjuts till 2027-03-01'."
    )
    postponed_to: dt.date | None = Field(description="With status postponed: the date moved to.")
    comment: str = Field(description="Kommentar.")
    late: bool = Field(description="Its slutdatum had passed while not started or in progress.")


class DecidedGatePublic(BaseModel):
    """A gate decision taken by the report's date."""

    gate: str
    gate_name: str
    outcome: str = Field(description="go, conditional_go, no_go, hold, recycle or kill.")
    decided_on: dt.date | None


class HighRiskPublic(BaseModel):
    """An open risk with a risk value of 7 or more (high or very high) on the date."""

    title: str
    score: int
    owner: str


class GateThenPublic(BaseModel):
    """The gate the project headed for on the date, with its checklist progress then."""

    gate: str
    name: str
    target_date: dt.date | None
    items_done: int
    items_counted: int = Field(description="Items that count (not those marked not applicable).")
    percent: int = Field(description="Share done in whole percent, rounded down.")


class FollowupReportPublic(BaseModel):
    """The follow-up report of a date, rebuilt from the project's audit log (docs/followup.md)."""

    project: str
    name: str = Field(description="The project's name on the date.")
    organisation: str
    date: dt.date = Field(description="The report's date (the state at the end of that day).")
    phase: str
    phase_name: str
    status: str = Field(description="active, on_hold, terminated or closed on the date.")
    next_gate: GateThenPublic | None
    gates_decided: list[DecidedGatePublic]
    high_risks: list[HighRiskPublic]
    activities: list[ReportActivityPublic] = Field(description="The aktivitetsplan in date order.")
    events: int = Field(description="How many audit events were replayed.")

    @classmethod
    def of(cls, report: FollowupReport) -> FollowupReportPublic:
        gate = report.next_gate
        return cls(
            project=report.project_key,
            name=report.project_name,
            organisation=report.organisation,
            date=report.on,
            phase=report.phase_id,
            phase_name=report.phase_name,
            status=report.status,
            next_gate=None
            if gate is None
            else GateThenPublic(
                gate=gate.gate_id,
                name=gate.name,
                target_date=gate.target_date,
                items_done=gate.items_done,
                items_counted=gate.items_counted,
                percent=gate.percent,
            ),
            gates_decided=[
                DecidedGatePublic(
                    gate=d.gate_id,
                    gate_name=d.gate_name,
                    outcome=d.outcome,
                    decided_on=d.decided_on,
                )
                for d in report.decided
            ],
            high_risks=[
                HighRiskPublic(title=r.title, score=r.score, owner=r.owner)
                for r in report.high_risks
            ],
            activities=[
                ReportActivityPublic(
                    id=a.activity_id,
                    title=a.title,
                    start=a.start,
                    end=a.end,
                    responsible=a.responsible,
                    status=a.status,
                    status_sv=status_words(a),
                    postponed_to=a.postponed_to,
                    comment=a.comment,
                    late=a.late,
                )
                for a in report.activities
            ],
            events=report.events,
        )


class PortfolioReportPublic(BaseModel):
    """The follow-up report of a date for the projects the caller may see, one item each;
    pass `next_cursor` back as `cursor` for the next page."""

    date: dt.date
    organisation: str | None = Field(description="The organisation asked for, if any.")
    not_yet: list[str] = Field(
        description="Projects (of the organisation, if given) created in gatekeeper after the date."
    )
    items: list[FollowupReportPublic]
    next_cursor: str | None

    @classmethod
    def of(
        cls, report: PortfolioReport, items: list[FollowupReport], next_cursor: str | None
    ) -> PortfolioReportPublic:
        return cls(
            date=report.on,
            organisation=report.organisation,
            not_yet=list(report.not_yet),
            items=[FollowupReportPublic.of(r) for r in items],
            next_cursor=next_cursor,
        )
