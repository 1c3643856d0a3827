"""Demo contributions: what members of the demo registry might post, over the last months.

Twelve mechatronics contributions on predictive maintenance and digital twins (journey 2 of
the project's journeys) spread over four months, two of them near-duplicates that a manager
has merged; an agrifood pair of near-duplicates still waiting in the demo manager's queue;
training needs, financing and internationalization opportunities and trends of the other
clusters; endorsements and comments. Posted through the services, so tags are the ones
suggested by the text, vectors are stored and duplicates are flagged as they would be live.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from clusterhub.contributions.analysis import suggest_tags
from clusterhub.contributions.models import (
    Comment,
    Contribution,
    ContributionEvent,
    ContributionStatus,
)
from clusterhub.contributions.services import (
    comment_add,
    contribution_approve,
    contribution_create,
    contribution_merge,
    endorsement_add,
)
from clusterhub.core.demo import MANAGER_EMAIL, OFFICER_EMAIL
from clusterhub.people.models import OrganizationRole, OrganizationRoleKind, Person
from clusterhub.regions.models import Cluster
from clusterhub.registry.models import Organization


@dataclass(frozen=True)
class Voice:
    key: str
    organization: str
    clusters: tuple[str, ...]
    kind: str
    days_ago: int
    title: str
    text: str
    status: str = "approved"  # "approved", "pending", or "merged:<key>"
    visibility: str = "members"
    endorsed_by: tuple[str, ...] = ()
    comments: tuple[tuple[str, str], ...] = field(default=())  # (organization, text)


MECH = ("mech",)

VOICES: tuple[Voice, ...] = (
    # --- Mechatronics: predictive maintenance and digital twins, over four months ----------
    Voice(
        "mech-pm-spindles",
        "MUSP",
        MECH,
        "need",
        118,
        "Manutenzione predittiva dei mandrini delle macchine utensili",
        "Cerchiamo partner per sviluppare modelli di manutenzione predittiva dei mandrini: "
        "acquisiamo vibrazioni e temperature sulle nostre macchine utensili e vorremmo "
        "prevedere i guasti dei cuscinetti con qualche settimana di anticipo.",
        endorsed_by=("T3LAB", "INTERMECH-Mo.Re."),
        comments=(
            (
                "T3LAB",
                "Abbiamo un dataset di vibrazioni su mandrini simili: possiamo confrontarci.",
            ),
        ),
    ),
    Voice(
        "mech-dt-assembly",
        "CIRI MECCANICA E MATERIALI",
        MECH,
        "trend",
        110,
        "Digital twins of assembly lines are becoming affordable",
        "Open-source simulation tools and cheap sensors make digital twins of whole assembly "
        "lines affordable for SMEs: virtual commissioning, what-if analysis of changeovers "
        "and energy optimisation before touching the real line.",
        visibility="public",
        endorsed_by=("MechLav", "LIAM"),
    ),
    Voice(
        "mech-pm-hydraulics",
        "CNR-IMAMOTER",
        MECH,
        "need",
        97,
        "Diagnostica predittiva per impianti oleodinamici di macchine agricole e movimento terra",
        "Ci serve un partner con competenze di machine learning per la diagnosi precoce dei "
        "guasti di pompe e valvole oleodinamiche, a partire dai dati di pressione e portata "
        "raccolti in campo dalle macchine.",
        endorsed_by=("MUSP",),
    ),
    Voice(
        "mech-training-dt",
        "INTERMECH-Mo.Re.",
        MECH,
        "training",
        90,
        "Formazione sui gemelli digitali per tecnici di produzione",
        "I nostri associati chiedono un corso pratico sui gemelli digitali: modellazione della "
        "macchina, collegamento ai dati di campo, uso per la manutenzione. Destinatari: "
        "tecnici di produzione e manutentori, non programmatori.",
        endorsed_by=("MUSP", "T3LAB", "Romagna Tech"),
    ),
    Voice(
        "mech-pm-packaging",
        "T3LAB",
        MECH,
        "need",
        76,
        "Predictive maintenance for automatic packaging machines",
        "We look for firms willing to share run-to-failure data of automatic packaging "
        "machines (sealing jaws, servo drives, cutters) to train and validate predictive "
        "maintenance models at the edge.",
        endorsed_by=("LIAM",),
    ),
    Voice(
        "mech-dt-robot-cells",
        "LIAM",
        MECH,
        "need",
        63,
        "Gemello digitale di celle robotizzate per ridurre i fermi macchina",
        "Vogliamo costruire il gemello digitale di celle robotizzate di saldatura per simulare "
        "i cambi di produzione e anticipare l'usura degli utensili: cerchiamo un'azienda "
        "manifatturiera che metta a disposizione una cella pilota.",
    ),
    Voice(
        "mech-pm-spindles-twin",
        "DTM",
        MECH,
        "need",
        55,
        "Predictive maintenance of machine tool spindles",
        "We are looking for partners to develop predictive maintenance models for machine "
        "tool spindles: we collect vibration and temperature data on our machines and would "
        "like to predict bearing failures a few weeks ahead.",
        status="merged:mech-pm-spindles",
    ),
    Voice(
        "mech-financing-pnrr",
        "Romagna Tech",
        MECH,
        "financing",
        48,
        "Bando regionale per progetti di manutenzione predittiva nelle PMI manifatturiere",
        "Segnaliamo il bando regionale per la transizione digitale delle PMI: finanzia "
        "progetti di manutenzione predittiva e gemelli digitali con laboratori della Rete "
        "Alta Tecnologia. Cerchiamo imprese interessate a presentare una proposta comune.",
        visibility="public",
        endorsed_by=("MUSP", "LIAM"),
    ),
    Voice(
        "mech-dt-energy",
        "MechLav",
        MECH,
        "trend",
        34,
        "Digital twins for energy monitoring of machine tools",
        "Energy prices push machine builders to offer digital twins that monitor and predict "
        "the energy use of each machine tool, combining condition monitoring with energy "
        "optimisation of the production schedule.",
    ),
    Voice(
        "mech-training-data",
        "TP ENGINEERING",
        MECH,
        "training",
        21,
        "Competenze di analisi dati di vibrazione per manutentori",
        "Serve un percorso di formazione per manutentori sull'analisi dei dati di vibrazione "
        "e sull'uso delle piattaforme di manutenzione predittiva: le aziende comprano i "
        "sensori ma non sanno leggere i dati.",
        endorsed_by=("INTERMECH-Mo.Re.",),
    ),
    Voice(
        "mech-pm-edge",
        "NCS Lab",
        MECH,
        "need",
        12,
        "Edge AI for predictive maintenance of servo drives",
        "We need partners with embedded AI competences to run anomaly detection on the servo "
        "drives of our test benches, directly on the controller, to predict failures without "
        "sending raw data to the cloud.",
        status="pending",
    ),
    Voice(
        "mech-dt-international",
        "CRICT-UNIMORE",
        MECH,
        "internationalization",
        5,
        "Consorzio europeo sui gemelli digitali per la manifattura",
        "Un partner tedesco cerca laboratori e imprese dell'Emilia-Romagna per una proposta "
        "Horizon Europe sui gemelli digitali della manifattura e la manutenzione predittiva "
        "delle linee di produzione.",
        status="pending",
    ),
    # --- Agrifood -----------------------------------------------------------------------
    Voice(
        "agri-packaging",
        "CRPA LAB",
        ("agrifood",),
        "need",
        70,
        "Imballaggi compostabili per formaggi freschi",
        "Cerchiamo materiali compostabili con buona barriera all'ossigeno per il "
        "confezionamento di formaggi freschi, da testare sulle linee dei caseifici.",
        endorsed_by=("GRANAROLO SPA", "CIPACK"),
        comments=(
            (
                "CIPACK",
                "Stiamo testando film in PLA multistrato: possiamo proporvi una prova.",
            ),
        ),
    ),
    Voice(
        "agri-packaging-twin",
        "GRANAROLO SPA",
        ("agrifood",),
        "need",
        3,
        "Materiali compostabili per confezionare formaggi freschi",
        "Cerchiamo imballaggi compostabili con barriera all'ossigeno adeguata per "
        "confezionare i formaggi freschi, da provare sulle nostre linee.",
        status="pending",
    ),
    Voice(
        "agri-training-haccp",
        "CRPV LAB",
        ("agrifood",),
        "training",
        60,
        "Training on digital traceability for small food producers",
        "Small producers need short courses on digital traceability and blockchain "
        "certification of the supply chain, held close to the production areas.",
        visibility="public",
        endorsed_by=("HORTA SRL",),
    ),
    Voice(
        "agri-byproducts",
        "CIRI AGROALIMENTARE",
        ("agrifood", "greentech"),
        "trend",
        44,
        "Valorizzazione dei sottoprodotti del siero di latte",
        "Cresce la domanda di proteine e ingredienti funzionali ricavati dal siero di latte: "
        "un'occasione per i caseifici della regione di trasformare un costo in ricavo.",
        visibility="public",
    ),
    Voice(
        "agri-export-japan",
        "BARILLA G. E R. FRATELLI SPA",
        ("agrifood",),
        "internationalization",
        26,
        "Missione in Giappone per l'agroalimentare di qualità",
        "La Regione organizza una missione commerciale a Tokyo per le imprese "
        "dell'agroalimentare DOP e IGP: incontri B2B con importatori e distributori.",
        visibility="public",
        endorsed_by=("VILLANI SPA",),
    ),
    Voice(
        "agri-financing-water",
        "CRPA LAB",
        ("agrifood",),
        "financing",
        9,
        "Call for precision irrigation pilots",
        "An EU call funds pilots of precision irrigation with soil sensors and satellite "
        "data; we look for farms and water boards to build a consortium.",
        status="pending",
    ),
    # --- Other clusters -----------------------------------------------------------------
    Voice(
        "health-training-mdr",
        'TPM - TECNOPOLO MIRANDOLA "Mario Veronesi"',
        ("health",),
        "training",
        80,
        "Formazione sul nuovo regolamento dei dispositivi medici",
        "Le imprese del distretto biomedicale chiedono formazione sul regolamento europeo "
        "dei dispositivi medici (MDR): documentazione tecnica, valutazione clinica, "
        "sorveglianza post-commercializzazione.",
        endorsed_by=("Rizzoli RIT",),
    ),
    Voice(
        "health-trend-ai-imaging",
        "CIRI SCIENZE DELLA VITA",
        ("health", "innovate"),
        "trend",
        40,
        "AI-assisted medical imaging moves to small hospitals",
        "Certified AI tools for reading X-ray and CT images are now affordable for small "
        "hospitals; validation on local data and integration with hospital systems are the "
        "open problems.",
        visibility="public",
    ),
    Voice(
        "greentech-financing-hydrogen",
        "ENEA - TEMAF",
        ("greentech",),
        "financing",
        52,
        "Bando per filiere dell'idrogeno verde",
        "Segnaliamo un bando nazionale per progetti di filiera sull'idrogeno verde: "
        "produzione da rinnovabili, stoccaggio e uso nei processi industriali.",
        visibility="public",
        endorsed_by=("CertiMaC",),
    ),
    Voice(
        "greentech-need-plastics",
        "CertiMaC",
        ("greentech",),
        "need",
        30,
        "Recycling of composite materials from wind turbine blades",
        "We look for labs and firms able to recycle glass-fibre composites from dismantled "
        "wind turbine blades into new construction materials.",
    ),
    Voice(
        "innovate-cyber",
        "CIRI ICT",
        ("innovate",),
        "training",
        28,
        "Cybersecurity per le PMI: servono corsi pratici",
        "Le PMI chiedono corsi pratici di sicurezza informatica: gestione delle password, "
        "backup, risposta agli incidenti, obblighi della direttiva NIS2.",
        visibility="public",
        endorsed_by=("DATARIVER",),
    ),
    Voice(
        "innovate-international",
        "DATARIVER",
        ("innovate",),
        "internationalization",
        15,
        "European data spaces: partners wanted in the Nordics",
        "A Finnish cluster looks for Italian partners on industrial data spaces and data "
        "sharing agreements for a Digital Europe proposal.",
    ),
    Voice(
        "build-need-seismic",
        "CIRI EDILIZIA E COSTRUZIONI",
        ("build",),
        "need",
        66,
        "Monitoraggio strutturale degli edifici scolastici",
        "Cerchiamo partner per sensori a basso costo e piattaforme di monitoraggio "
        "strutturale continuo degli edifici scolastici in zona sismica.",
    ),
    Voice(
        "create-trend-heritage",
        "CIRI FRAME",
        ("create",),
        "trend",
        38,
        "Immersive reconstructions for small museums",
        "Virtual and augmented reality reconstructions of archaeological sites are spreading "
        "to small museums, which need shared tools and content licences.",
        visibility="public",
    ),
    Voice(
        "create-financing-culture",
        "CIRI FRAME",
        ("create",),
        "financing",
        18,
        "Creative Europe: bando per la cooperazione culturale",
        "Il programma Europa Creativa apre il bando per progetti di cooperazione tra "
        "organizzazioni culturali di almeno tre paesi: cerchiamo partner regionali.",
        visibility="public",
    ),
    Voice(
        "build-training-bim",
        "CIRI EDILIZIA E COSTRUZIONI",
        ("build",),
        "training",
        8,
        "BIM training for small construction firms",
        "Small construction firms need BIM training focused on renovation projects and on the "
        "public tenders that now require it.",
        status="pending",
    ),
)


def _organization(name: str) -> Organization | None:
    return Organization.objects.filter(name=name).first()


def _voice_of(organization: Organization) -> Person:
    """A demo person speaking for `organization` (no password: they never sign in)."""
    email = f"demo-voice-{organization.pk}@clusterhub.local"
    person = Person.objects.filter(email=email).first()
    if person is None:
        person = Person.objects.create_user(email, None, full_name=f"Referente {organization.name}")
        OrganizationRole.objects.get_or_create(
            person=person, organization=organization, defaults={"role": OrganizationRoleKind.MEMBER}
        )
    return person


def load_demo() -> str:
    """Post the demo contributions (idempotent: ones already there are left alone)."""
    moderator = Person.objects.filter(email=OFFICER_EMAIL).first()
    manager = Person.objects.filter(email=MANAGER_EMAIL).first()
    posted: dict[str, Contribution] = {}
    created = 0
    now = timezone.now()
    for index, voice in enumerate(sorted(VOICES, key=lambda v: -v.days_ago)):
        organization = _organization(voice.organization)
        if organization is None:
            continue
        clusters = list(
            Cluster.objects.filter(
                slug__in=voice.clusters,
                memberships__organization=organization,
                memberships__status="active",
            )
        )
        if not clusters:
            continue
        existing = Contribution.objects.filter(organization=organization, title=voice.title).first()
        if existing is not None:
            posted[voice.key] = existing
            continue
        with transaction.atomic():
            author = _voice_of(organization)
            tags = suggest_tags(f"{voice.title}\n{voice.text}", clusters)
            contribution = contribution_create(
                author=author,
                organization=organization,
                kind=voice.kind,
                title=voice.title,
                text=voice.text,
                clusters=clusters,
                s3_themes=[theme for theme, _c in tags.themes],
                competences=[competence for competence, _c in tags.competences],
                visibility=voice.visibility,
            )
            when = now - timedelta(days=voice.days_ago, hours=index % 7)
            Contribution.objects.filter(pk=contribution.pk).update(created_at=when)
            ContributionEvent.objects.filter(contribution=contribution).update(created_at=when)
            actor = manager if "agrifood" in voice.clusters else moderator
            if voice.status == "approved":
                contribution_approve(contribution=contribution, actor=actor)
            elif voice.status.startswith("merged:") and voice.status[7:] in posted:
                contribution_merge(
                    contribution=contribution, into=posted[voice.status[7:]], actor=actor
                )
            contribution.refresh_from_db()
            for name in voice.endorsed_by:
                endorser = _organization(name)
                if endorser is not None and contribution.status == ContributionStatus.APPROVED:
                    person = _voice_of(endorser)
                    if endorser.memberships.filter(cluster__in=clusters, status="active").exists():
                        endorsement_add(
                            contribution=contribution, person=person, organization=endorser
                        )
            for name, text in voice.comments:
                commenter = _organization(name)
                if commenter is not None:
                    comment = comment_add(
                        contribution=contribution, author=_voice_of(commenter), text=text
                    )
                    Comment.objects.filter(pk=comment.pk).update(
                        created_at=when + timedelta(days=2)
                    )
        posted[voice.key] = contribution
        created += 1
    total = Contribution.objects.count()
    return f"{created} contributions posted ({total} in all)"
