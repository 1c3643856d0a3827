"""Demo events: a few past ones with registrations and check-ins (so that engagement has
something to count), and coming ones, among them a B2B session and a health workshop.

Uses the organizations and accounts of `core.demo`; adds a handful of attendee accounts
(no password: they cannot sign in) for the people of other member organizations. Loading
again adds nothing: events are found by title, people by email.
"""

from dataclasses import dataclass, field
from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from clusterhub.core.demo import MANAGER_EMAIL, MEMBER_EMAIL, OFFICER_EMAIL, ORG_ADMIN_EMAIL
from clusterhub.events.models import (
    Event,
    EventKind,
    EventStatus,
    EventVisibility,
    Registration,
    RegistrationStatus,
)
from clusterhub.events.services import event_save, registration_create
from clusterhub.people.models import OrganizationRole, OrganizationRoleKind, Person
from clusterhub.regions.models import Cluster, Competence, S3Theme
from clusterhub.registry.models import Organization

ATTENDEES_PER_CLUSTER = 3
# Made-up names for the demo attendees, one per organization in turn.
NAMES = (
    "Giulia Rinaldi",
    "Marco Ferrari",
    "Elena Bassi",
    "Luca Montanari",
    "Sara Guidi",
    "Davide Zanetti",
    "Chiara Benassi",
    "Paolo Fabbri",
    "Francesca Neri",
    "Andrea Casadei",
    "Martina Gallo",
    "Stefano Rossi",
    "Anna Bertolini",
    "Matteo Pavan",
    "Laura Vitali",
    "Simone Righi",
    "Valentina Sacchi",
    "Roberto Monti",
    "Ilaria Ghedini",
    "Federico Lodi",
    "Silvia Tosi",
)


@dataclass
class DemoEvent:
    title: str
    kind: str
    days: int  # from today: negative for past events
    hour: int
    hours: int
    clusters: list[str]
    description: str
    location: str = ""
    online_url: str = ""
    capacity: int | None = None
    visibility: str = EventVisibility.PUBLIC
    status: str = EventStatus.PUBLISHED
    s3_themes: list[str] = field(default_factory=list)
    competences: list[str] = field(default_factory=list)
    # Past events: how many of the cluster's attendees came (the others registered only).
    came: int = 0


EVENTS = [
    DemoEvent(
        "Learning camp: packaging sostenibile per l'agroalimentare",
        EventKind.LEARNING_CAMP,
        -62,
        9,
        7,
        ["agrifood"],
        "Una giornata tra laboratori e imprese su materiali compostabili, barriere all'ossigeno "
        "e shelf life. Casi reali e prove in laboratorio.",
        location="Tecnopolo di Parma, Parco Area delle Scienze",
        capacity=30,
        s3_themes=["79", "80"],
        competences=["33"],
        came=3,
    ),
    DemoEvent(
        "Workshop: manutenzione predittiva delle macchine automatiche",
        EventKind.WORKSHOP,
        -38,
        14,
        3,
        ["mech"],
        "Dati di macchina, modelli di guasto e primi passi con l'intelligenza artificiale per "
        "chi produce e usa macchine automatiche.",
        location="Tecnopolo di Bologna",
        capacity=40,
        s3_themes=["139", "141"],
        competences=["10", "52"],
        came=2,
    ),
    DemoEvent(
        "Forum S3 Emilia-Romagna: le filiere dell'innovazione",
        EventKind.CONFERENCE,
        -21,
        10,
        6,
        [],
        "L'incontro annuale dei Clust-ER con la Regione: priorità della Strategia di "
        "specializzazione intelligente e nuovi bandi.",
        location="Bologna, Opificio Golinelli",
        capacity=200,
        came=2,
    ),
    DemoEvent(
        "Webinar: il regolamento europeo sui dispositivi medici (MDR)",
        EventKind.WEBINAR,
        -9,
        11,
        2,
        ["health"],
        "Cosa cambia per chi progetta e produce dispositivi medici: classificazione, evidenze "
        "cliniche, sorveglianza post-market.",
        online_url="https://meet.example.org/mdr-webinar",
        s3_themes=["119"],
        competences=["14"],
        came=2,
    ),
    DemoEvent(
        "B2B matchmaking: valorizzazione dei sottoprodotti agroalimentari",
        EventKind.B2B,
        16,
        9,
        3,
        ["agrifood", "greentech"],
        "Incontri one-to-one di 20 minuti tra imprese, laboratori e utilizzatori finali per "
        "trasformare scarti e sottoprodotti in nuove materie prime.",
        location="Reggio Emilia, Tecnopolo",
        capacity=40,
        s3_themes=["83", "102"],
        competences=["31", "66"],
    ),
    DemoEvent(
        "Workshop: biomateriali per dispositivi impiantabili",
        EventKind.WORKSHOP,
        23,
        14,
        4,
        ["health"],
        "Laboratori della Rete Alta Tecnologia e imprese del biomedicale a confronto su "
        "biocompatibilità, test e scale-up.",
        location="Mirandola (MO), Tecnopolo",
        capacity=25,
        s3_themes=["117", "119"],
        competences=["14", "22"],
    ),
    DemoEvent(
        "Webinar: intelligenza artificiale generativa per le PMI",
        EventKind.WEBINAR,
        9,
        17,
        1,
        ["innovate"],
        "Usi concreti, limiti e rischi dei modelli generativi nei processi aziendali.",
        online_url="https://meet.example.org/genai-pmi",
        s3_themes=["132", "135"],
        competences=["62"],
    ),
    DemoEvent(
        "Learning camp: economia circolare e simbiosi industriale",
        EventKind.LEARNING_CAMP,
        33,
        9,
        8,
        ["greentech"],
        "Due sessioni pratiche su flussi di materia, simbiosi tra imprese e strumenti di "
        "valutazione del ciclo di vita.",
        location="Ferrara, Tecnopolo",
        capacity=35,
        s3_themes=["102"],
        competences=["66"],
    ),
    DemoEvent(
        "Workshop per i soci: riqualificazione energetica degli edifici esistenti",
        EventKind.WORKSHOP,
        44,
        15,
        3,
        ["build"],
        "Riservato ai soci del cluster: materiali, monitoraggio e BIM per la riqualificazione.",
        location="Modena, Tecnopolo",
        capacity=30,
        visibility=EventVisibility.MEMBERS,
        s3_themes=["87", "89"],
        competences=["36"],
    ),
    DemoEvent(
        "Conferenza: patrimonio culturale e tecnologie digitali",
        EventKind.CONFERENCE,
        58,
        10,
        6,
        ["create"],
        "Diagnostica, conservazione e accesso al patrimonio con l'intelligenza artificiale.",
        location="Ravenna, Tecnopolo",
        s3_themes=["107", "108"],
        competences=["43"],
    ),
    DemoEvent(
        "Learning camp agroalimentare 2027 (bozza)",
        EventKind.LEARNING_CAMP,
        120,
        9,
        7,
        ["agrifood"],
        "Programma in preparazione.",
        location="Parma",
        status=EventStatus.DRAFT,
    ),
]


def _attendees(cluster: Cluster) -> list[tuple[Person, Organization]]:
    """People of the cluster's first member organizations (accounts created once)."""
    organizations = Organization.objects.filter(
        memberships__cluster=cluster, memberships__status="active"
    ).order_by("normalized_name", "id")[:ATTENDEES_PER_CLUSTER]
    found = []
    offset = ATTENDEES_PER_CLUSTER * max(cluster.position, 0)
    for index, organization in enumerate(organizations, start=1):
        email = f"demo-attendee-{cluster.slug}-{index}@clusterhub.local"
        person = Person.objects.filter(email=email).first()
        if person is None:
            name = NAMES[(offset + index - 1) % len(NAMES)]
            person = Person.objects.create_user(email, None, full_name=name)
        OrganizationRole.objects.get_or_create(
            person=person,
            organization=organization,
            defaults={"role": OrganizationRoleKind.MEMBER},
        )
        found.append((person, organization))
    return found


def _event(spec: DemoEvent, officer: Person) -> tuple[Event, bool]:
    existing = Event.objects.filter(title=spec.title).first()
    if existing is not None:
        return existing, False
    today = timezone.localtime().replace(minute=0, second=0, microsecond=0)
    starts = (today + timedelta(days=spec.days)).replace(hour=spec.hour)
    event = event_save(
        event=None,
        actor=officer,
        clusters=Cluster.objects.filter(slug__in=spec.clusters),
        s3_themes=S3Theme.objects.filter(code__in=spec.s3_themes),
        competences=Competence.objects.filter(code__in=spec.competences),
        title=spec.title,
        kind=spec.kind,
        description=spec.description,
        starts_at=starts,
        ends_at=starts + timedelta(hours=spec.hours),
        location=spec.location,
        online_url=spec.online_url,
        capacity=spec.capacity,
        visibility=spec.visibility,
        status=spec.status,
        meeting_minutes=20,
    )
    return event, True


def _past_attendance(
    event: Event, spec: DemoEvent, people: list[tuple[Person, Organization | None]]
) -> None:
    """Registrations as they were, and the check-ins at the door of those who came."""
    for index, (person, organization) in enumerate(people):
        registration = Registration(
            event=event,
            person=person,
            organization=organization,
            status=RegistrationStatus.REGISTERED,
        )
        if index < spec.came:
            registration.checked_in_at = event.starts_at + timedelta(minutes=5 + 3 * index)
        registration.save()
    # created_at is set on save: place the registrations before the event.
    Registration.objects.filter(event=event).update(created_at=event.starts_at - timedelta(days=7))


@transaction.atomic
def load_demo() -> str:
    officer = Person.objects.get(email=OFFICER_EMAIL)
    demo_people = {
        email: Person.objects.filter(email=email).first()
        for email in (MEMBER_EMAIL, ORG_ADMIN_EMAIL, MANAGER_EMAIL)
    }
    created = registrations = 0
    for spec in EVENTS:
        event, new = _event(spec, officer)
        if not new:
            continue
        created += 1
        clusters = list(event.clusters.all()) or list(Cluster.objects.filter(slug="agrifood"))
        people = [pair for cluster in clusters for pair in _attendees(cluster)]
        if spec.days < 0:
            member = demo_people[MEMBER_EMAIL]
            if member is not None and (not spec.clusters or "agrifood" in spec.clusters):
                role = member.organization_roles.select_related("organization").first()
                # First in the list: the demo member came (the engagement page shows it).
                people.insert(0, (member, role.organization if role else None))
            _past_attendance(event, spec, people)
            registrations += len(people)
        elif event.status == EventStatus.PUBLISHED:
            for person, _organization in people[:2]:
                registration_create(event=event, person=person)
                registrations += 1
            if event.kind == EventKind.B2B:
                for email in (MEMBER_EMAIL, ORG_ADMIN_EMAIL):
                    if demo_people[email] is not None:
                        registration_create(event=event, person=demo_people[email])
                        registrations += 1
    total = Event.objects.count()
    return f"{total} events ({created} new, {registrations} registrations added)"
