"""Vote reminders: a request to every seat of a review that has not voted (outside
quiet hours), then reminders after the days the policy sets.
"""

from __future__ import annotations

from gatekeeper.core.reminders import business_calendar as cal
from gatekeeper.core.reminders.planner import Planner
from gatekeeper.core.wording import date_da, date_en, date_sv


def plan_reviews(planner: Planner) -> None:
    """A vote request to each seat that has not voted, and reminders after the set days."""
    votes = planner.policy.votes
    for review in planner.project.reviews:
        link = f"/projects/{planner.project.key}/reviews/{review.id}"  # the decision screen
        waiting = [
            seat
            for seat in review.seats
            if seat not in review.voted and seat not in review.conflicted
        ]
        asked_on = review.requested_at.astimezone(cal.zone(planner.calendar.time_zone)).date()
        for email in waiting:
            person = planner.person(email)
            common = {
                "review_id": review.id,
                "gate_id": review.gate_id,
                "gate_name": review.gate_name,
            }
            if votes.request:
                due_at = cal.outside_quiet_hours(
                    review.requested_at,
                    planner.zone(person),
                    quiet_start=planner.calendar.quiet_start,
                    quiet_end=planner.calendar.quiet_end,
                    business_days=planner.calendar.business_days,
                    country=planner.calendar.country,
                )
                planner.add(
                    planner.make(
                        key=f"vote_request:review:{review.id}:{email}",
                        kind="vote_request",
                        person=person,
                        subject=("review", str(review.id)),
                        title=f"Din röst behövs: {review.gate_name}",
                        lines=[
                            f"Styrgruppen ombeds besluta om grinden {review.gate_name} "
                            f"i projektet {planner.project.name}.",
                            "Granska underlaget och lägg din röst i gatekeeper.",
                        ],
                        title_en=f"Your vote is needed: {review.gate_name}",
                        lines_en=[
                            f"The steering group is asked to decide on the gate "
                            f"{review.gate_name} in the project {planner.project.name}.",
                            "Review the material and cast your vote in gatekeeper.",
                        ],
                        title_da=f"Din stemme er nødvendig: {review.gate_name}",
                        lines_da=[
                            f"Der skal træffes beslutning om beslutningspunktet "
                            f"{review.gate_name} i projektet {planner.project.name}.",
                            "Gennemgå beslutningsgrundlaget, og afgiv din stemme i gatekeeper.",
                        ],
                        link=link,
                        due_at=due_at,
                        late=False,
                        **common,
                    )
                )
            for days in votes.remind_after_days:
                day = planner.after(asked_on, days)
                due_at = planner.on_day(day, person)
                planner.add(
                    planner.make(
                        key=f"vote_reminder:review:{review.id}:+{days}:{email}",
                        kind="vote_reminder",
                        person=person,
                        subject=("review", str(review.id)),
                        title=f"Påminnelse – din röst behövs: {review.gate_name}",
                        lines=[
                            f"Granskningen av grinden {review.gate_name} begärdes "
                            f"{date_sv(asked_on)} och din röst saknas fortfarande.",
                        ],
                        title_en=f"Reminder – your vote is needed: {review.gate_name}",
                        lines_en=[
                            f"The review of the gate {review.gate_name} was asked for on "
                            f"{date_en(asked_on)} and your vote is still missing.",
                        ],
                        title_da=f"Påmindelse – din stemme er nødvendig: {review.gate_name}",
                        lines_da=[
                            f"Der blev anmodet om behandling af beslutningspunktet "
                            f"{review.gate_name} den {date_da(asked_on)}, og din stemme "
                            "mangler stadig.",
                        ],
                        link=link,
                        due_at=due_at,
                        late=planner.missed(due_at, person),
                        level=days,
                        **common,
                    )
                )
