"""The demo's slutrapport: "Vårdens medarbetare" (seed 004), the project furthest along,
gets its report drafted with two written sections and three lessons in seed 004's words."""

from __future__ import annotations

from gatekeeper.core.actor import Actor
from gatekeeper.services.context import Context
from gatekeeper.services.reports import lesson as lessons
from gatekeeper.services.reports import slutrapport as reports

PROJECT = "vardens-medarbetare"
LEADER = Actor.user("katarina.sjogren@skaraborg.example", "Katarina Sjögren")

SECTIONS = {
    "sammanfattning": (
        "Förutsättningarna att driva projektet har varit annorlunda: fysiska träffar har "
        "varit undantag och merparten av arbetet har skett digitalt. Förstudien togs emot "
        "väl, och styrgruppen beslutade om fyra delprojekt varav tre prioriterade.\n\n"
        "I delprojekt 3 och 4 har resultaten varit goda: en plan för gemensamma utbildningar "
        "är beslutad och en webbsida med kostnadsfria digitala utbildningar är upprättad. "
        "Villkor vid vidareutbildning (delprojekt 1) och en gemensam kompetensbank "
        "(delprojekt 2) lämnas över till förvaltningen."
    ),
    "rekommendationer": (
        "Använd förstudien aktivt – i den finns stora delar av områdets utvecklingsbehov "
        "samlat (chefer och MAS:ar).\n\n"
        "Fortsätt dialogen med högskolan om grundutbildning på distans (kommunalförbundet)."
    ),
}

LESSONS = (
    (
        "Börja alla projekt med en förstudie – skapa samsyn",
        "styrning",
        "Låt styrgruppen besluta om delprojekt först när förstudien är förankrad.",
    ),
    (
        "Var inte rädd för att driva projekt digitalt, det kan visa sig vara den största "
        "framgångsfaktorn",
        "samverkan",
        "Planera digitala möten från start; de sparar tid och ökar tillgängligheten.",
    ),
    (
        "Långt mellan styrgruppsmöten och kort tid avsatt på mötena",
        "styrning",
        "Boka tid för projektet på varje styrgruppsmöte och ge möjlighet till beslut mellan "
        "mötena.",
    ),
)


def build_slutrapport(ctx: Context, project_key: str) -> None:
    """Write the sections and lessons of the project furthest along (no other project's)."""
    if project_key != PROJECT:
        return
    for section, text in SECTIONS.items():
        reports.save_section(ctx, LEADER, project_key=PROJECT, section=section, text=text)
    for lesson, category, recommendation in LESSONS:
        lessons.add_lesson(
            ctx,
            LEADER,
            project_key=PROJECT,
            lesson=lesson,
            category=category,
            recommendation=recommendation,
        )
