"""The IBIC project's kommunikationsplan and intressentanalys, from seed 000's Tabell 5 and 6.

A handful of rows each, in the project plan's own words; the ansvariga are
the demo's members (so planned rows with a tidpunkt are reminded) or, as the
seed writes it, a role such as "Beställare/FC".
"""

from __future__ import annotations

from datetime import date

from gatekeeper.core.actor import Actor
from gatekeeper.core.followup.register import CommunicationStatus, Influence
from gatekeeper.services.context import Context
from gatekeeper.services.followup import communication as communications
from gatekeeper.services.followup import stakeholder as stakeholders

PROJECT = "ibic-alingsas"

# målgrupp, syfte/budskap, kanal, tidpunkt, ansvarig, status
COMMUNICATIONS = (
    (
        "Fackliga organisationer",
        "Mål: veta att projektet pågår och hur det påverkar medarbetarnas arbetsvillkor. "
        "Budskap: insyn och delaktighet i förvaltningens kvalitets- och utvecklingsarbete.",
        "Information i FSG inför projektstart",
        date(2025, 10, 15),
        "Anna Lindqvist",
        CommunicationStatus.DONE,
    ),
    (
        "Enhetschefer, Vård- och omsorgsförvaltningen",
        "Mål: vara insatt i genomförandet och vad det får för konsekvenser för verksamheten. "
        "Budskap: möjlighet att medverka i kvalitetsarbetet.",
        "Presentationsmaterial för information och dialog på arbetsplatsträffar",
        date(2026, 11, 30),
        "Mikael Dahl",
        CommunicationStatus.PLANNED,
    ),
    (
        "Avdelningschefer (projektets referensgrupp)",
        "Mål: ha den kunskap och information som behövs i förhållande till ansvarsområdet.",
        "Dokumenterad uppföljning av projektplanen i förvaltningsledningsgruppen",
        date(2026, 12, 3),
        "Sara Holm",
        CommunicationStatus.PLANNED,
    ),
    (
        "Förtroendevalda",
        "Mål: veta att projektet pågår. Budskap: förvaltningen utvecklas utifrån gällande "
        "mål och krav om kvalitet.",
        "Muntlig uppföljning till Vård- och omsorgsnämnden, skriftligen två gånger per år",
        date(2026, 12, 17),
        "Sara Holm",
        CommunicationStatus.PLANNED,
    ),
    (
        "Anställda inom Alingsås kommun",
        "Mål: vid behov veta att projektet pågår. Budskap: Alingsås kommun är en lärande "
        "organisation.",
        "Projektbeskrivning på kommunportalen",
        None,
        "Beställare/FC",
        CommunicationStatus.PLANNED,
    ),
)

# intressent, relation till projektet, påverkan, förväntningar, strategi
STAKEHOLDERS = (
    (
        "Vård- och omsorgsnämnden (VON)",
        "Beslutsfattande, ansvar för verksamhet",
        Influence.HIGH,
        "Att IBIC tillämpas fullt ut när Combine startar.",
        "Muntlig uppföljning löpande, skriftlig två gånger per år.",
    ),
    (
        "Förvaltningschef",
        "Ansvar för berörd verksamhet",
        Influence.HIGH,
        "Ett införande som håller tidplanen och budgeten.",
        "Sitter i styrgruppen.",
    ),
    (
        "Socialt ansvarig samordnare (SAS)",
        "Har kunskap om och ansvarar för implementeringen",
        Influence.HIGH,
        "Att arbetssättet blir rättssäkert dokumenterat.",
        "Deltar i den centrala projektgruppen.",
    ),
    (
        "Enhetschefer",
        "Ansvar för berörd verksamhet",
        Influence.MEDIUM,
        "Tid och stöd för att utbilda sina medarbetare.",
        "Presentationsmaterial till APT; information vid förändringar.",
    ),
    (
        "Fackliga representanter",
        "Bevakar medarbetares arbetsmiljö",
        Influence.MEDIUM,
        "Insyn i hur arbetsvillkoren påverkas.",
        "Information i FSG, deltagande i central projektgrupp.",
    ),
    (
        "Kommunfullmäktige",
        "Övergripande ansvar för verksamhet",
        Influence.LOW,
        "",
        "Informeras genom nämndens ordinarie rapportering.",
    ),
)


def add_registers(ctx: Context, leader: Actor, project_key: str) -> None:
    """Seed 000's kommunikationsplan and intressentanalys, for the IBIC project only."""
    if project_key != PROJECT:
        return
    for audience, message, channel, planned_on, responsible, status in COMMUNICATIONS:
        communications.add_communication(
            ctx,
            leader,
            project_key=project_key,
            audience=audience,
            message=message,
            channel=channel,
            planned_on=planned_on,
            responsible=responsible,
            status=status,
        )
    for name, interest, influence, expectations, strategy in STAKEHOLDERS:
        stakeholders.add_stakeholder(
            ctx,
            leader,
            project_key=project_key,
            name=name,
            interest=interest,
            influence=influence,
            expectations=expectations,
            strategy=strategy,
        )
