"""Demo projects for `gatekeeper demo`, drawn from the users' own documents.

Four projects, each standing in a different phase so that every part of the
product has something to show: the IBIC introduction in Alingsås (seed 000)
in genomförande a week before go-live, with a migration risk above the
go-live limit and cut-over items still open; "Vårdens medarbetare" in
Skaraborg (seed 004) in driftöverlämning with its final report on the way;
a VGR region-wide rollout of Millennium to the 49 municipalities (seed 003)
in beslut, where the cost model and the funding decision are missing and the
kritisk linje for equipment lists has already passed; and a Danish ICS
forankring project (seed 001) in the plan phase of its cycle. The data is
plain dicts and lists; names and e-mail addresses are invented (the
`.example` domains never deliver mail) and dates are placed around
2026-11-25. Every workflow, gate, checklist, item and role id used here
exists in `workflows/` and `checklists/`.
"""

from __future__ import annotations

from typing import Any

DEMO_PROJECTS: list[dict[str, Any]] = [
    # ------------------------------------------------------------------
    # Seed 000: Alingsås kommun, Införande av IBIC (Individens behov i centrum)
    # ------------------------------------------------------------------
    {
        "key": "ibic-alingsas",
        "name": "Införande av IBIC",
        "organisation": "Vård- och omsorgsförvaltningen, Alingsås kommun",
        "description": (
            "Vård- och omsorgsförvaltningen inför arbetssättet IBIC (Individens behov i "
            "centrum) enligt Socialstyrelsens rekommendationer, i hela socialtjänstprocessen "
            "och både i myndighetsutövning och verkställighet. IBIC ska tillämpas fullt ut "
            "vid produktionsstarten av det nya verksamhetssystemet Combine den 1 december. "
            "Projektet omfattar inte själva systeminförandet men samordnas med det."
        ),
        "workflow": "inforande",
        "target_phase": "genomforande",
        "registry": "VON",
        "started_on": "2025-10-01",
        "gate_targets": {
            "forstudie-klar": "2026-01-22",
            "beslut-om-genomforande": "2026-03-26",
            "go-live": "2026-12-01",
            "driftoverlamning-godkand": "2027-01-28",
            "uppfoljning-klar": "2028-01-27",
        },
        "members": [
            {
                "name": "Anna Lindqvist",
                "email": "anna.lindqvist@alingsas.example",
                "role": "bestallare",
            },
            {
                "name": "Henrik Sjöberg",
                "email": "henrik.sjoberg@alingsas.example",
                "role": "styrgrupp",
            },
            {"name": "Eva Granberg", "email": "eva.granberg@alingsas.example", "role": "styrgrupp"},
            {"name": "Per Almqvist", "email": "per.almqvist@alingsas.example", "role": "styrgrupp"},
            {"name": "Sara Holm", "email": "sara.holm@alingsas.example", "role": "projektledare"},
            {
                "name": "Mikael Dahl",
                "email": "mikael.dahl@alingsas.example",
                "role": "delprojektledare",
            },
            {
                "name": "Lena Åkesson",
                "email": "lena.akesson@alingsas.example",
                "role": "inforandeansvarig",
            },
            {
                "name": "Fatima Osman",
                "email": "fatima.osman@alingsas.example",
                "role": "forandringsledare",
            },
            {"name": "Jonas Ek", "email": "jonas.ek@alingsas.example", "role": "enhetschef"},
            {"name": "Maria Lund", "email": "maria.lund@alingsas.example", "role": "ombud"},
            {
                "name": "Ulf Bergström",
                "email": "ulf.bergstrom@alingsas.example",
                "role": "utbildningsansvarig",
            },
            {
                "name": "Elin Sandberg",
                "email": "elin.sandberg@alingsas.example",
                "role": "kommunikator",
            },
            {
                "name": "Tomas Hallberg",
                "email": "tomas.hallberg@alingsas.example",
                "role": "informationsagare",
            },
            {
                "name": "Nadia Karlsson",
                "email": "nadia.karlsson@alingsas.example",
                "role": "supportansvarig",
            },
            {
                "name": "Karin Wester",
                "email": "karin.wester@alingsas.example",
                "role": "systemforvaltare",
            },
            {
                "name": "Birgitta Ström",
                "email": "birgitta.strom@alingsas.example",
                "role": "forvaltningsledare",
            },
            {"name": "Göran Fors", "email": "goran.fors@alingsas.example", "role": "referensgrupp"},
        ],
        "risks": [
            {
                "title": "Tidsförskjutning i projektet",
                "probability": 2,
                "consequence": 3,
                "mitigation": (
                    "God insyn och kontinuerlig uppföljning av projektet. Vid realitet flyttas "
                    "aktiviteter fram under projektets gång eller till förvaltningsfas."
                ),
                "owner": "Sara Holm",
                "status": "open",
            },
            {
                "title": (
                    "Brist på resurser – det kan krävas mer tid än planerat för personer i "
                    "projektet, information och utbildning"
                ),
                "probability": 2,
                "consequence": 3,
                "mitigation": (
                    "Tydlig definiering av uppdrag till projektdeltagare. Frånvaro från möten "
                    "förankras och godkänns av chef. Resursförstärkning begärs via styrgruppen."
                ),
                "owner": "Sara Holm",
                "status": "open",
            },
            {
                "title": (
                    "Lång projekttid – förlust av nyckelpersoner på grund av avslutad tjänst "
                    "eller förändrade arbetsuppgifter"
                ),
                "probability": 3,
                "consequence": 2,
                "mitigation": (
                    "Dokumentation av projektarbetet, planering, effektiv rekrytering och "
                    "framförhållning."
                ),
                "owner": "Sara Holm",
                "status": "open",
            },
            {
                "title": "Bristande förankring och implementering av IBIC på myndighet",
                "probability": 2,
                "consequence": 3,
                "mitigation": (
                    "God insyn i projektet och arbete enligt kommunikationsplanen. Engagerad "
                    "ledning; ansvariga hålls uppdaterade och får stöd."
                ),
                "owner": "Lena Åkesson",
                "status": "open",
            },
            {
                "title": "Bristande förankring och implementering av IBIC i verkställighet",
                "probability": 2,
                "consequence": 3,
                "mitigation": (
                    "IBIC-ombud på varje enhet enligt train the trainer, IBIC-information som "
                    "fast punkt på varje APT och lokala projektgrupper per avdelning."
                ),
                "owner": "Jonas Ek",
                "status": "open",
            },
            {
                "title": (
                    "Migreringen av pågående ärenden från Magna Cura till Combine hinns inte "
                    "med före produktionsstart (görs för hand)"
                ),
                "probability": 3,
                "consequence": 3,
                "mitigation": (
                    "Extra handläggartid avsatt vecka 47–48, daglig avstämning i lokal "
                    "projektgrupp myndighet och stickprovskontroll av migrerade ärenden."
                ),
                "owner": "Lena Åkesson",
                "status": "open",
            },
            {
                "title": "Beslut om nedbrytningsnivåer (ICF) i verksamhetssystemet dröjer",
                "probability": 2,
                "consequence": 2,
                "mitigation": (
                    "Förslag till rutin tas fram av central projektgrupp; beslut i styrgruppen i "
                    "november."
                ),
                "owner": "Per Almqvist",
                "status": "open",
            },
            {
                "title": (
                    "Utbildningsversion av Combine saknas till utbildningsomgång två för "
                    "utförarpersonal"
                ),
                "probability": 2,
                "consequence": 2,
                "mitigation": "Utbildningsmiljön levererades i september; omgång två hölls i den.",
                "owner": "Ulf Bergström",
                "status": "closed",
            },
        ],
        "activities": [
            {
                "title": "Ökad kunskap i IBIC – utbildnings- och träningsinsats",
                "start": "2026-02-02",
                "end": "2026-11-30",
                "responsible": "Sara Holm",
                "status": "in_progress",
            },
            {
                "title": "Öka kunskapen i dokumentation – utbildnings- och träningsinsats",
                "start": "2026-04-01",
                "end": "2026-11-30",
                "responsible": "Sara Holm",
                "status": "in_progress",
            },
            {
                "title": "Risk- och konsekvensanalys per verksamhet",
                "start": "2026-04-01",
                "end": "2026-10-30",
                "responsible": "Jonas Ek",
                "status": "done",
            },
            {
                "title": "Utbildning i ICF-koder för myndighet",
                "start": "2026-04-15",
                "end": "2026-09-30",
                "responsible": "Ulf Bergström",
                "status": "done",
            },
            {
                "title": "Samverkan och lärande – central projektgrupp",
                "start": "2026-04-01",
                "end": "2027-12-17",
                "responsible": "Sara Holm",
                "status": "in_progress",
            },
            {
                "title": "Samverkan och lärande – lokala projektgrupper",
                "start": "2026-06-01",
                "end": "2027-12-17",
                "responsible": "Lena Åkesson",
                "status": "in_progress",
            },
            {
                "title": "Rutiner för nedbrytningsnivåer (ICF) dokumenterade och överenskomna",
                "start": "2026-09-01",
                "end": "2026-11-13",
                "responsible": "Lena Åkesson",
                "status": "in_progress",
            },
            {
                "title": "Beslut om rutin för nedbrytningsnivåer (ICF)",
                "start": "2026-11-26",
                "end": "2026-11-26",
                "responsible": "Per Almqvist",
                "status": "not_started",
            },
            {
                "title": "Migrering av pågående ärenden från Magna Cura till Combine",
                "start": "2026-11-02",
                "end": "2026-11-30",
                "responsible": "Lena Åkesson",
                "status": "in_progress",
            },
            {
                "title": "Beslutade rutiner för individuell brukaruppföljning",
                "start": "2027-01-04",
                "end": "2027-01-28",
                "responsible": "Per Almqvist",
                "status": "not_started",
            },
            {
                "title": "Beslutade rutiner för verksamhetsuppföljning",
                "start": "2027-01-04",
                "end": "2027-01-28",
                "responsible": "Per Almqvist",
                "status": "not_started",
            },
            {
                "title": "Beslutade rutiner för löpande kvalitetskontroller",
                "start": "2027-01-04",
                "end": "2027-01-28",
                "responsible": "Per Almqvist",
                "status": "not_started",
            },
            {
                "title": "Extern IBIC-handledning för projektgrupperna",
                "start": "2026-10-01",
                "end": "2026-10-31",
                "responsible": "Sara Holm",
                "status": "postponed",
            },
            {
                "title": "Reportage i Alingsås tidning om IBIC-införandet",
                "start": "2026-05-04",
                "end": "2026-05-29",
                "responsible": "Elin Sandberg",
                "status": "done",
            },
        ],
        "decisions": [
            {
                "key": "forstudie",
                "title": (
                    'Förstudien "Inför att införa IBIC" godkänd; fortsatt arbete enligt '
                    "utbildningsplanen"
                ),
                "decided_on": "2026-01-22",
                "reference": "Dnr 2026.014 VON",
            },
            {
                "key": "projektdirektiv",
                "title": (
                    "Uppdrag att införa IBIC på vård- och omsorgsförvaltningen; projektplan "
                    "fastställd"
                ),
                "decided_on": "2026-03-26",
                "reference": "Dnr 2026.071 VON",
            },
            {
                "key": "finansiering",
                "title": (
                    "Budget för IBIC-utbildning och ersättning till IBIC-ombud (projektkod 48684)"
                ),
                "decided_on": "2026-03-26",
                "reference": "Dnr 2026.072 VON",
            },
            {
                "key": "migrering",
                "title": (
                    "Pågående ärenden migreras för hand; genomförandeplaner revideras enligt IBIC"
                ),
                "decided_on": "2026-10-15",
                "reference": "Dnr 2026.203 VON",
            },
        ],
        "ticked": {
            "forstudie": [
                "projektdirektiv",
                "bakgrund-syfte",
                "kontaktpersoner",
                "nulagesanalys",
                "omvarldsbevakning",
                "intervjuer",
                "intressentanalys",
                "malbild",
                "beroenden",
                "kostnadsbedomning",
                "overgripande-risker",
                "forslag-fortsatt-arbete",
                "forstudierapport",
                "forankringsplan",
            ],
            "beslut": [
                "projektplan",
                "diarieforda-beslut",
                "effektmal-projektmal",
                "projektorganisation",
                "avgransningar",
                "tidplan-kritisk-linje",
                "aktivitetsplan",
                "resursplan",
                "budget",
                "riskanalys",
                "kommunikationsplan",
                "facklig-samverkan",
                "utbildningsplan",
                "forandringsledningsplan",
                "informationssakerhet",
                "referensgrupper",
                "projektplats",
            ],
            "inforandestart": [
                "tidig-involvering",
                "tidplan",
                "styrning-och-ledning",
                "planering",
                "kommunikationsplan",
                "teknik",
                "utbildning",
                "supportorganisation",
                "ekonomi",
                "informationssakerhet",
                "nya-arbetssatt",
                "plan-fortsatt-arbete",
                "riskanalyser",
            ],
            "cutover": [
                "cutover-plan",
                "migrering",
                "superanvandare",
                "cutover-repeterad",
                "utbildning-genomford",
                "behorigheter",
                "utrustning",
                "rutiner-kanda",
                "kontaktvagar",
                "kommunikation-driftstart",
                "go-no-go-mote",
            ],
        },
        "goals": [
            {
                "kind": "effektmal",
                "text": (
                    "Ökad rättssäkerhet genom likvärdig hantering av ansökan, utredning, "
                    "planering och uppföljning"
                ),
                "due": "2027-12-17",
            },
            {
                "kind": "effektmal",
                "text": "Bättre möjlighet till delaktighet för individen",
                "due": "2027-12-17",
            },
            {
                "kind": "effektmal",
                "text": (
                    "Underlag för verksamhetsuppföljning och ekonomisk uppföljning som är "
                    "jämförbar på lokal, regional och nationell nivå"
                ),
                "due": "2028-01-27",
            },
            {
                "kind": "projektmal",
                "text": (
                    "All vård- och omsorgspersonal – chefer, handläggare och utförarpersonal – "
                    "har via utbildning och träning tillräckliga kunskaper kring IBIC vid "
                    "produktionsstart av Combine"
                ),
                "due": "2026-12-01",
            },
            {
                "kind": "projektmal",
                "text": (
                    "Former för långsiktig implementering, tillämpning och förvaltning av IBIC "
                    "framtagna"
                ),
                "due": "2027-01-28",
            },
            {
                "kind": "delmal",
                "text": "Andel anställda som gått utbildning i IBIC uppföljd via deltagarlistor",
                "due": "2026-08-31",
            },
            {
                "kind": "delmal",
                "text": (
                    "Kontroll av alla nya utredningar och genomförandeplaner i verksamhetssystemet"
                ),
                "due": "2027-01-29",
            },
        ],
    },
    # ------------------------------------------------------------------
    # Seed 004: Skaraborgs Kommunalförbund, projekt Vårdens medarbetare
    # ------------------------------------------------------------------
    {
        "key": "vardens-medarbetare",
        "name": "Vårdens medarbetare",
        "organisation": "Område Välfärd, Skaraborgs Kommunalförbund",
        "description": (
            "Samverkansprojekt för Skaraborgs kommuner om kompetensförsörjning och "
            "kompetensutveckling för legitimerad personal (sjuksköterskor, arbetsterapeuter "
            "och fysioterapeuter) i omställningen till en god och nära vård. Förstudien gav "
            "tio förslag; styrgruppen beslutade om fyra delprojekt varav tre prioriterade: "
            "gemensamma villkor vid vidareutbildning, gemensam kompetensbank (ej prioriterat), "
            "gemensamma utbildningar och systematiskt nyttjande av kostnadsfria webbutbildningar."
        ),
        "workflow": "inforande",
        "target_phase": "driftoverlamning",
        "registry": "KF Skaraborg",
        # The go-live was a conditional go: the condition stays open and holds
        # back the handover gate until it is met or waived.
        "conditional_go": {
            "go-live": [
                {
                    "text": (
                        "Introduktion av nyanställda i gemensamma utbildningar ska vara "
                        "beskriven i varje kommuns introduktionsprogram"
                    ),
                    "owner": "katarina.sjogren@skaraborg.example",
                    "due_on": "2026-12-18",
                }
            ]
        },
        "started_on": "2025-09-01",
        "gate_targets": {
            "forstudie-klar": "2026-02-19",
            "beslut-om-genomforande": "2026-04-23",
            "go-live": "2026-10-30",
            "driftoverlamning-godkand": "2026-12-17",
            "uppfoljning-klar": "2027-12-16",
        },
        "members": [
            {
                "name": "Helena Strand",
                "email": "helena.strand@skaraborg.example",
                "role": "bestallare",
            },
            {
                "name": "Jenny Wallin",
                "email": "jenny.wallin@skaraborg.example",
                "role": "projektagare",
            },
            {
                "name": "Magnus Höglund",
                "email": "magnus.hoglund@skovde.example",
                "role": "styrgrupp",
            },
            {
                "name": "Annika Berggren",
                "email": "annika.berggren@lidkoping.example",
                "role": "styrgrupp",
            },
            {
                "name": "Peter Lindahl",
                "email": "peter.lindahl@mariestad.example",
                "role": "styrgrupp",
            },
            {
                "name": "Susanna Ekdahl",
                "email": "susanna.ekdahl@toreboda.example",
                "role": "styrgrupp",
            },
            {
                "name": "Katarina Sjögren",
                "email": "katarina.sjogren@skaraborg.example",
                "role": "projektledare",
            },
            {
                "name": "Ulla Berglöf",
                "email": "ulla.berglof@toreboda.example",
                "role": "delprojektledare",
            },
            {
                "name": "Åsa Nordin",
                "email": "asa.nordin@skovde.example",
                "role": "delprojektledare",
            },
            {
                "name": "Camilla Ros",
                "email": "camilla.ros@mariestad.example",
                "role": "referensgrupp",
            },
            {
                "name": "Veronika Ahl",
                "email": "veronika.ahl@lidkoping.example",
                "role": "utbildningsansvarig",
            },
            {
                "name": "Oskar Lind",
                "email": "oskar.lind@skaraborg.example",
                "role": "systemforvaltare",
            },
            {
                "name": "Lisa Granqvist",
                "email": "lisa.granqvist@skaraborg.example",
                "role": "forvaltningsledare",
            },
            {
                "name": "Emma Torstensson",
                "email": "emma.torstensson@skaraborg.example",
                "role": "kommunikator",
            },
        ],
        "risks": [
            {
                "title": (
                    "Medfinansiering i form av arbetstimmar – svårt för kommunerna att hinna "
                    "delta aktivt"
                ),
                "probability": 3,
                "consequence": 3,
                "mitigation": (
                    "Frivilliga deltagare från fyra kommuner i arbetsgrupperna; digitala möten "
                    "för att spara tid."
                ),
                "owner": "Katarina Sjögren",
                "status": "closed",
            },
            {
                "title": "Inga formella arbetsgrupper – genomförandet bygger på frivillighet",
                "probability": 3,
                "consequence": 2,
                "mitigation": (
                    "Arbetsgrupper med frivilliga från Töreboda, Mariestad, Lidköping och Skövde."
                ),
                "owner": "Katarina Sjögren",
                "status": "closed",
            },
            {
                "title": (
                    "Långt mellan styrgruppsmöten och kort tid på socialchefsmötena – beslut dröjer"
                ),
                "probability": 3,
                "consequence": 2,
                "mitigation": (
                    "Beslutsunderlag skickas ut i förväg via område Välfärd; beslut mellan "
                    "möten vid behov."
                ),
                "owner": "Jenny Wallin",
                "status": "open",
            },
            {
                "title": (
                    "Delprojekt 1: kommunerna enas inte om villkor vid vidareutbildning "
                    "(lokalt kollektivavtal eller överenskommelse mellan arbetsgivare)"
                ),
                "probability": 3,
                "consequence": 2,
                "mitigation": (
                    "Fortsatt dialog mellan socialchefer och HR-chefer; löpande uppföljning vid "
                    "socialchefsmöten tills beslut fattats, område Välfärd samordnar."
                ),
                "owner": "Helena Strand",
                "status": "open",
            },
            {
                "title": (
                    "Webbsidan med kostnadsfria webbutbildningar blir inaktuell eller används inte"
                ),
                "probability": 2,
                "consequence": 2,
                "mitigation": (
                    "MAS-nätverket kvalitetssäkrar sidan två gånger per år; chefer för "
                    "legitimerade sprider sidan och följer upp att den nyttjas."
                ),
                "owner": "Oskar Lind",
                "status": "open",
            },
            {
                "title": "Delprojekt 2 (gemensam kompetensbank) blir inte av",
                "probability": 3,
                "consequence": 1,
                "mitigation": (
                    "Styrgruppen har valt att prioritera det lägre; förslag att knyta "
                    "kompetensbanken till planen för gemensamma utbildningar."
                ),
                "owner": "Helena Strand",
                "status": "accepted",
            },
        ],
        "activities": [
            {
                "title": "Uppstart och initial projektförankring bland berörda",
                "start": "2025-09-01",
                "end": "2025-10-31",
                "responsible": "Katarina Sjögren",
                "status": "done",
            },
            {
                "title": "Förstudie för samsyn – datainsamling och webbintervjuer",
                "start": "2025-11-03",
                "end": "2026-02-13",
                "responsible": "Katarina Sjögren",
                "status": "done",
            },
            {
                "title": "Förankring av förstudiens innehåll och slutsatser i kommunerna",
                "start": "2026-02-20",
                "end": "2026-04-23",
                "responsible": "Katarina Sjögren",
                "status": "done",
            },
            {
                "title": "Delprojekt 1: utredning av gemensamma villkor vid vidareutbildning",
                "start": "2026-05-04",
                "end": "2026-06-26",
                "responsible": "Ulla Berglöf",
                "status": "done",
            },
            {
                "title": "Delprojekt 3: utredning av plan för gemensamma utbildningar",
                "start": "2026-05-04",
                "end": "2026-09-01",
                "responsible": "Åsa Nordin",
                "status": "done",
            },
            {
                "title": "Delprojekt 4: gemensam webbsida med kostnadsfria webbutbildningar",
                "start": "2026-05-04",
                "end": "2026-10-16",
                "responsible": "Oskar Lind",
                "status": "done",
            },
            {
                "title": "Delprojekt 2: omvärldsbevakning gemensam kompetensbank",
                "start": "2026-05-04",
                "end": "2026-10-30",
                "responsible": "Katarina Sjögren",
                "status": "postponed",
            },
            {
                "title": (
                    "Driftsättning av planen för gemensamma utbildningar (prioriteringsträff och "
                    "beställarforum)"
                ),
                "start": "2026-11-02",
                "end": "2026-12-18",
                "responsible": "Åsa Nordin",
                "status": "in_progress",
            },
            {
                "title": "Delprojekt 1: dialog socialchefer och HR-chefer om modell för villkor",
                "start": "2026-11-02",
                "end": "2027-03-31",
                "responsible": "Helena Strand",
                "status": "in_progress",
            },
            {
                "title": "Kvalitetssäkring av webbsidan i MAS-nätverket",
                "start": "2026-12-03",
                "end": "2026-12-03",
                "responsible": "Camilla Ros",
                "status": "not_started",
            },
            {
                "title": "Exitmöte med projektägare, förbundsdirektör och projektekonom",
                "start": "2026-12-09",
                "end": "2026-12-09",
                "responsible": "Lisa Granqvist",
                "status": "not_started",
            },
            {
                "title": "Slutrapport – skriftlig och muntlig i styrgruppen",
                "start": "2026-11-16",
                "end": "2026-12-17",
                "responsible": "Katarina Sjögren",
                "status": "in_progress",
            },
        ],
        "decisions": [
            {
                "key": "finansiering",
                "title": (
                    "Del av stimulansmedlen placeras centralt vid kommunalförbundet för projekt "
                    "Vårdens medarbetare"
                ),
                "decided_on": "2025-06-12",
                "reference": "Dnr SKKF 2025/112",
            },
            {
                "key": "forstudie",
                "title": (
                    "Förstudien antagen; innehåll och slutsatser förankras i respektive kommun"
                ),
                "decided_on": "2026-02-19",
                "reference": "Dnr SKKF 2026/031",
            },
            {
                "key": "projektdirektiv",
                "title": (
                    "Projektet förlängs året ut och genomför fyra delprojekt, varav tre "
                    "prioriterade"
                ),
                "decided_on": "2026-04-23",
                "reference": "Dnr SKKF 2026/058",
            },
            {
                "key": "plan-gemensamma-utbildningar",
                "title": "Plan för gemensamma utbildningar antagen (delprojekt 3)",
                "decided_on": "2026-09-17",
                "reference": "Dnr SKKF 2026/141",
            },
            {
                "key": "villkor-vidareutbildning",
                "title": (
                    "Lokala kollektivavtal om utbildningsanställningar enligt AST-modellen "
                    "för sjuksköterskor och för arbets- och fysioterapeuter (delprojekt 1)"
                ),
                "decided_on": "2026-10-22",
                "reference": "Dnr SKKF 2026/163",
            },
        ],
        "ticked": {
            "forstudie": [
                "projektdirektiv",
                "bakgrund-syfte",
                "kontaktpersoner",
                "nulagesanalys",
                "omvarldsbevakning",
                "intervjuer",
                "intressentanalys",
                "malbild",
                "beroenden",
                "kostnadsbedomning",
                "overgripande-risker",
                "forslag-fortsatt-arbete",
                "forstudierapport",
                "forankringsplan",
            ],
            "beslut": [
                "projektplan",
                "diarieforda-beslut",
                "effektmal-projektmal",
                "projektorganisation",
                "avgransningar",
                "tidplan-kritisk-linje",
                "aktivitetsplan",
                "resursplan",
                "budget",
                "riskanalys",
                "kommunikationsplan",
                "facklig-samverkan",
                "utbildningsplan",
                "forandringsledningsplan",
                "informationssakerhet",
                "referensgrupper",
                "projektplats",
            ],
            "inforandestart": [
                "tidig-involvering",
                "tidplan",
                "styrning-och-ledning",
                "planering",
                "kommunikationsplan",
                "teknik",
                "utbildning",
                "supportorganisation",
                "traning",
                "ekonomi",
                "informationssakerhet",
                "nya-arbetssatt",
                "uppfoljning",
                "plan-fortsatt-arbete",
                "riskanalyser",
            ],
            "cutover": [
                "cutover-plan",
                "migrering",
                "superanvandare",
                "cutover-repeterad",
                "atergangsplan",
                "kriterier-breddinforande",
                "driftstart-bemanning",
                "utbildning-genomford",
                "behorigheter",
                "utrustning",
                "rutiner-kanda",
                "kontaktvagar",
                "kommunikation-driftstart",
                "riskanalys-atgarder",
                "forstarkt-support",
                "go-no-go-mote",
                "avstamningar-efter-start",
                "mottagare-redo",
            ],
            "driftoverlamning": [
                "forvaltningsorganisation",
                "support-tar-over",
                "driftstatus-delprojekt",
                "introduktion-nyanstallda",
                "utbildningsmaterial-overlamnat",
                "behorighetsrutin",
                "dokumentation-overlamnad",
                "avtal-licenser",
            ],
        },
        "goals": [
            {
                "kind": "projektmal",
                "text": "Plan för gemensamma utbildningar i Skaraborg beslutad och driftsatt",
                "due": "2026-12-17",
            },
            {
                "kind": "projektmal",
                "text": (
                    "Förslag till gemensamma villkor vid vidareutbildning på avancerad nivå "
                    "framtaget"
                ),
                "due": "2026-10-30",
            },
            {
                "kind": "effektmal",
                "text": (
                    "Ökad samsyn och samverkan kring kompetensförsörjning och "
                    "kompetensutveckling för legitimerad personal i Skaraborgs kommuner"
                ),
                "due": "2027-12-16",
            },
            {
                "kind": "delmal",
                "text": (
                    "Första prioriteringsträff och beställarforum i sjuksköterskechefsnätverket "
                    "genomförda"
                ),
                "due": "2027-01-14",
            },
        ],
    },
    # ------------------------------------------------------------------
    # Seed 003: VGR, regiongemensamt breddinförande i 49 kommuner
    # ------------------------------------------------------------------
    {
        "key": "vgr-millennium-kommuner",
        "name": "Breddinförande av Millennium i kommunal hälso- och sjukvård",
        "organisation": (
            "Koncernkontoret, Västra Götalandsregionen, i samverkan med länets 49 kommuner"
        ),
        "description": (
            "Regiongemensamt införande av vårdinformationsstödet Millennium i den kommunala "
            "hälso- och sjukvården, med utsedda mottagare i 49 kommuner och införande i "
            "vågor. Bygger på IA-nätverkets workshop med införandeansvariga, "
            "förändringsledare och projektledare: go/no-go-punkter, kritisk linje för "
            "implementeringsaktiviteter, checklista vid införandestart och tydliga "
            "checklistor för cut-over-aktiviteter."
        ),
        "workflow": "inforande",
        "target_phase": "beslut",
        "started_on": "2026-01-19",
        "gate_targets": {
            "forstudie-klar": "2026-06-18",
            "beslut-om-genomforande": "2027-01-28",
            "go-live": "2027-10-05",
            "driftoverlamning-godkand": "2027-12-14",
            "uppfoljning-klar": "2028-12-12",
        },
        "members": [
            {
                "name": "Christina Wikström",
                "email": "christina.wikstrom@vgregion.example",
                "role": "bestallare",
            },
            {
                "name": "Fredrik Olausson",
                "email": "fredrik.olausson@vgregion.example",
                "role": "styrgrupp",
            },
            {
                "name": "Maria Håkansson",
                "email": "maria.hakansson@boras.example",
                "role": "styrgrupp",
            },
            {
                "name": "Stefan Jonsson",
                "email": "stefan.jonsson@trollhattan.example",
                "role": "styrgrupp",
            },
            {
                "name": "Ingrid Palmér",
                "email": "ingrid.palmer@vastkom.example",
                "role": "styrgrupp",
            },
            {
                "name": "Daniel Forsberg",
                "email": "daniel.forsberg@vgregion.example",
                "role": "projektledare",
            },
            {
                "name": "Sofia Lindgren",
                "email": "sofia.lindgren@vgregion.example",
                "role": "delprojektledare",
            },
            {
                "name": "Hanna Bergqvist",
                "email": "hanna.bergqvist@boras.example",
                "role": "inforandeansvarig",
            },
            {
                "name": "Ahmed Yilmaz",
                "email": "ahmed.yilmaz@trollhattan.example",
                "role": "inforandeansvarig",
            },
            {
                "name": "Linnea Öberg",
                "email": "linnea.oberg@boras.example",
                "role": "forandringsledare",
            },
            {
                "name": "Robert Nyberg",
                "email": "robert.nyberg@trollhattan.example",
                "role": "forandringsledare",
            },
            {
                "name": "Josefin Alm",
                "email": "josefin.alm@vgregion.example",
                "role": "utbildningsansvarig",
            },
            {
                "name": "Mattias Krantz",
                "email": "mattias.krantz@vgregion.example",
                "role": "kommunikator",
            },
            {
                "name": "Eva-Lena Persson",
                "email": "eva-lena.persson@vgregion.example",
                "role": "informationsagare",
            },
            {
                "name": "Kristian Dahlberg",
                "email": "kristian.dahlberg@vgregion.example",
                "role": "supportansvarig",
            },
            {
                "name": "Therese Gunnarsson",
                "email": "therese.gunnarsson@vgregion.example",
                "role": "systemforvaltare",
            },
            {
                "name": "Patrik Sundqvist",
                "email": "patrik.sundqvist@vgregion.example",
                "role": "forvaltningsledare",
            },
            {
                "name": "Agneta Blom",
                "email": "agneta.blom@alingsas.example",
                "role": "referensgrupp",
            },
        ],
        "risks": [
            {
                "title": (
                    "Otydlig kostnadsmodell för licenser, support och uppgraderingar – "
                    "kommunerna kan inte budgetera för införandet"
                ),
                "probability": 3,
                "consequence": 4,
                "mitigation": (
                    "Förslag till kostnadsmodell tas fram tillsammans med Västkom och "
                    "förankras i kommunalförbunden före beslut om genomförande."
                ),
                "owner": "Christina Wikström",
                "status": "open",
            },
            {
                "title": (
                    "Listor på rekommenderad och accepterad utrustning (MT/IT) når inte "
                    "kommunerna ca ett år före start"
                ),
                "probability": 3,
                "consequence": 3,
                "mitigation": (
                    "Utrustningslistan publiceras med beställningsstöd för hårdvara; avstämning i "
                    "IA-nätverket."
                ),
                "owner": "Therese Gunnarsson",
                "status": "open",
            },
            {
                "title": (
                    "Förvaltningarna hinner inte avsätta resurser (införandeansvariga, "
                    "superanvändare) – information om resursbehov kommer för sent"
                ),
                "probability": 3,
                "consequence": 3,
                "mitigation": (
                    "Tidplan och resursbehov per roll kommuniceras i god tid; plan för olika "
                    "roller i införandet och hur de hålls informerade."
                ),
                "owner": "Daniel Forsberg",
                "status": "open",
            },
            {
                "title": "Tjänsten är inte stabil och användartestad vid start av breddinförande",
                "probability": 2,
                "consequence": 4,
                "mitigation": (
                    "Parallella piloter i tre kommuner; kriterier som ska vara uppfyllda före "
                    "start av breddinförande; regionala rollback-planer."
                ),
                "owner": "Sofia Lindgren",
                "status": "open",
            },
            {
                "title": "Utbildningsmaterialet är inte klart minst tre månader före driftstart",
                "probability": 2,
                "consequence": 3,
                "mitigation": (
                    "Regiongemensam utbildningsstrategi; materialet kvalitetstestas av mottagare."
                ),
                "owner": "Josefin Alm",
                "status": "open",
            },
            {
                "title": (
                    "Otydligt var beslut fattas – kommunerna upplever att de inte kan påverka "
                    '("vem äger vilket beslut?")'
                ),
                "probability": 2,
                "consequence": 3,
                "mitigation": (
                    "Beslutsprocessen beskrivs i projektdirektivet; referensgrupper för region, "
                    "kommun och privata utförare."
                ),
                "owner": "Fredrik Olausson",
                "status": "open",
            },
        ],
        "activities": [
            {
                "title": (
                    "Workshop med IA-nätverket om go/no-go-punkter och checklista vid "
                    "införandestart"
                ),
                "start": "2026-05-28",
                "end": "2026-05-28",
                "responsible": "Daniel Forsberg",
                "status": "done",
            },
            {
                "title": "Utse mottagare i länets 49 kommuner",
                "start": "2026-03-02",
                "end": "2026-09-30",
                "responsible": "Ingrid Palmér",
                "status": "done",
            },
            {
                "title": "Pilot i tre kommuner (lekstugemiljö och test av nya arbetssätt)",
                "start": "2026-09-01",
                "end": "2027-03-31",
                "responsible": "Sofia Lindgren",
                "status": "in_progress",
            },
            {
                "title": "Lista på rekommenderad och accepterad utrustning (MT/IT)",
                "start": "2026-08-17",
                "end": "2026-10-02",
                "responsible": "Therese Gunnarsson",
                "status": "in_progress",
            },
            {
                "title": "Regionalt projektdirektiv med fördelat ansvar regionalt/lokalt",
                "start": "2026-08-17",
                "end": "2026-11-12",
                "responsible": "Daniel Forsberg",
                "status": "done",
            },
            {
                "title": "Kostnadsmodell för licenser, support och uppgraderingar",
                "start": "2026-09-14",
                "end": "2026-12-18",
                "responsible": "Christina Wikström",
                "status": "in_progress",
            },
            {
                "title": "Informationsklassning och risk- och konsekvensanalys",
                "start": "2026-10-05",
                "end": "2027-01-15",
                "responsible": "Eva-Lena Persson",
                "status": "in_progress",
            },
            {
                "title": "Kommunikationsstrategi och regiongemensamt kommunikationsmaterial",
                "start": "2026-12-01",
                "end": "2027-03-31",
                "responsible": "Mattias Krantz",
                "status": "not_started",
            },
            {
                "title": "Regiongemensam utbildningsstrategi och utbildningsmaterial",
                "start": "2027-01-11",
                "end": "2027-06-30",
                "responsible": "Josefin Alm",
                "status": "not_started",
            },
            {
                "title": "Förändringsledningsplan VGR–kommun, standardiserad",
                "start": "2026-11-02",
                "end": "2027-01-22",
                "responsible": "Linnea Öberg",
                "status": "in_progress",
            },
        ],
        "decisions": [
            {
                "key": "uppdrag",
                "title": "Uppdrag att förbereda ett regiongemensamt breddinförande i kommunerna",
                "decided_on": "2026-01-15",
                "reference": "RS 2026-00087",
            },
            {
                "key": "forstudie",
                "title": (
                    "Förstudien godkänd; införande i vågor med gemensam implementeringsstrategi"
                ),
                "decided_on": "2026-06-18",
                "reference": "RS 2026-00412",
            },
            {
                "key": "projektdirektiv",
                "title": (
                    "Regionalt projektdirektiv fastställt, med beslutsmandat regionalt och lokalt"
                ),
                "decided_on": "2026-11-12",
                "reference": "RS 2026-01190",
            },
        ],
        "ticked": {
            "forstudie": [
                "projektdirektiv",
                "bakgrund-syfte",
                "kontaktpersoner",
                "nulagesanalys",
                "omvarldsbevakning",
                "intervjuer",
                "intressentanalys",
                "malbild",
                "beroenden",
                "kostnadsbedomning",
                "overgripande-risker",
                "forslag-fortsatt-arbete",
                "forstudierapport",
                "forankringsplan",
            ],
            "beslut": [
                "effektmal-projektmal",
                "projektorganisation",
                "avgransningar",
                "aktivitetsplan",
                "riskanalys",
                "referensgrupper",
                "projektplats",
            ],
        },
        "goals": [
            {
                "kind": "effektmal",
                "text": (
                    "Sammanhållen information mellan region och kommun – nyttan för invånaren och "
                    "för andra behandlare"
                ),
                "due": "2028-12-12",
            },
            {
                "kind": "projektmal",
                "text": "Samtliga kommuner i våg 1 har passerat go/no-go och startat i Millennium",
                "due": "2027-10-05",
            },
            {
                "kind": "delmal",
                "text": (
                    "Lista på rekommenderad och accepterad utrustning publicerad för alla kommuner"
                ),
                "due": "2026-10-06",
            },
            {
                "kind": "delmal",
                "text": (
                    "Användartestat utbildningsmaterial tillgängligt minst tre månader före "
                    "driftstart"
                ),
                "due": "2027-07-07",
            },
        ],
    },
    # ------------------------------------------------------------------
    # Seed 001: dansk kommune, implementering/forankring af ICS
    # ------------------------------------------------------------------
    {
        "key": "ics-forankring-skanderborg",
        "name": "Forankring af ICS på børne- og ungeområdet",
        "organisation": "Børn og Familie, Skanderborg Kommune",
        "description": (
            "Implementerings-/forankringsplan for ICS efter målingen med "
            "implementeringsbarometeret. Forankringsteamet udvælger 2-3 sigtepunkter og "
            "beskriver formål, aktiviteter, ansvarlige, delmål, mål og opfølgning, så "
            "'det nye, man skal til at gøre' bliver til 'det, vi plejer at gøre'."
        ),
        "workflow": "forankring",
        "target_phase": "plan",
        "started_on": "2026-08-17",
        "gate_targets": {
            "maling-afsluttet": "2026-10-01",
            "plan-godkendt": "2026-12-10",
            "gennemforelse-afsluttet": "2027-09-30",
            "ny-maling": "2027-12-09",
        },
        "members": [
            {"name": "Mette Kjær", "email": "mette.kjaer@skanderborg.example", "role": "ledelse"},
            {
                "name": "Lars Mikkelsen",
                "email": "lars.mikkelsen@skanderborg.example",
                "role": "ledelse",
            },
            {
                "name": "Sofie Nørgaard",
                "email": "sofie.norgaard@skanderborg.example",
                "role": "forankringsteam",
            },
            {
                "name": "Anders Højgaard",
                "email": "anders.hojgaard@skanderborg.example",
                "role": "forankringsteam",
            },
            {
                "name": "Rasmus Dahl",
                "email": "rasmus.dahl@skanderborg.example",
                "role": "aktivitetsansvarlig",
            },
            {
                "name": "Camilla Bach",
                "email": "camilla.bach@skanderborg.example",
                "role": "medarbejder",
            },
        ],
        "risks": [
            {
                "title": "Der er ikke tid til ICS på teammøderne",
                "probability": 3,
                "consequence": 2,
                "mitigation": (
                    "ICS sættes som fast punkt på dagsordenen; ledelsen prioriterer tiden."
                ),
                "owner": "Mette Kjær",
                "status": "open",
            },
            {
                "title": "Nye medarbejdere starter uden ICS-kursus",
                "probability": 3,
                "consequence": 3,
                "mitigation": "Sidemandsoplæring og ICS-grundkursus som del af introduktionen.",
                "owner": "Rasmus Dahl",
                "status": "open",
            },
            {
                "title": "For mange aktiviteter sættes i gang på samme tid",
                "probability": 2,
                "consequence": 2,
                "mitigation": (
                    "Højst 2-3 sigtepunkter ad gangen og tydelig tidsangivelse for hver aktivitet."
                ),
                "owner": "Sofie Nørgaard",
                "status": "open",
            },
        ],
        "activities": [
            {
                "title": "Implementeringsbarometeret udfyldt af medarbejderne",
                "start": "2026-08-31",
                "end": "2026-09-18",
                "responsible": "Sofie Nørgaard",
                "status": "done",
            },
            {
                "title": "Gennemgang af rapporten fra barometermålingen i forankringsteamet",
                "start": "2026-09-21",
                "end": "2026-09-30",
                "responsible": "Sofie Nørgaard",
                "status": "done",
            },
            {
                "title": "Workshop: valg af sigtepunkter og formål",
                "start": "2026-10-19",
                "end": "2026-11-27",
                "responsible": "Anders Højgaard",
                "status": "in_progress",
            },
            {
                "title": "Procedure-/arbejdsgangsbeskrivelse for ICS i sagsbehandlingen",
                "start": "2027-01-11",
                "end": "2027-03-31",
                "responsible": "Rasmus Dahl",
                "status": "not_started",
            },
            {
                "title": "ICS som fast punkt på teammøder og i faglig sparring",
                "start": "2027-01-04",
                "end": "2027-09-30",
                "responsible": "Lars Mikkelsen",
                "status": "not_started",
            },
            {
                "title": "ICS-grundkursus og sidemandsoplæring for nye medarbejdere",
                "start": "2027-02-01",
                "end": "2027-06-30",
                "responsible": "Rasmus Dahl",
                "status": "not_started",
            },
        ],
        "decisions": [
            {
                "key": "maling",
                "title": (
                    "Beslutning om måling med implementeringsbarometeret og nedsættelse af "
                    "forankringsteam"
                ),
                "decided_on": "2026-08-17",
                "reference": "Sagsnr. 27.00.00-A00-41-26",
            },
        ],
        "ticked": {
            "ics-maling": [
                "team-nedsat",
                "barometer-udfyldt",
                "rapport-genereret",
                "rapport-gennemgaaet",
                "resultater-formidlet",
            ],
            "ics-plan": [
                "sigtepunkter-valgt",
                "beskrivelse-sigtepunkt",
                "formaal",
            ],
        },
        "goals": [
            {
                "kind": "delmal",
                "text": "ICS er fast punkt på alle teammøder efter 3 måneder",
                "due": "2027-04-01",
            },
            {
                "kind": "delmal",
                "text": "Alle nye medarbejdere har fået sidemandsoplæring i ICS efter 6 måneder",
                "due": "2027-07-01",
            },
            {
                "kind": "effektmal",
                "text": (
                    "ICS anvendes som fælles faglig metode, synligt i sagerne ved ny måling efter "
                    "12 måneder"
                ),
                "due": "2027-12-09",
            },
        ],
    },
]
