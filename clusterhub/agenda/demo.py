"""Demo agendas: for agrifood and mechatronics, v1 published (items with KPIs, milestones,
some done, linked to the demo contributions and trends) and v2 drafted from it, with one
item split and two merged, open for consultation (approval in agrifood, points in mech).

Idempotent: a cluster that already has an agenda is left alone. Run after the contributions
and trends demos (it links their objects).
"""

from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone

from clusterhub.agenda import services
from clusterhub.agenda.models import AgendaItem, AgendaVersion, VotingMethod
from clusterhub.agenda.selectors import link_suggestions
from clusterhub.core.demo import MANAGER_EMAIL, OFFICER_EMAIL
from clusterhub.people.models import Person
from clusterhub.regions.models import Cluster

# Suggestions scoring at least this much are linked by the demo (a manager ticks them).
LINK_THRESHOLD = 0.35


@dataclass(frozen=True)
class DemoKpi:
    name: str
    unit: str
    baseline: int
    target: int
    current: int | None


@dataclass(frozen=True)
class DemoItem:
    title: str
    objective: str
    actions: str
    responsible: str
    kpis: tuple[DemoKpi, ...] = ()
    # (title, months from the start of the agenda, done)
    milestones: tuple[tuple[str, int, bool], ...] = field(default=())


@dataclass(frozen=True)
class DemoAgenda:
    cluster: str
    actor: str
    method: str
    v1_title: str
    v2_title: str
    items: tuple[DemoItem, ...]
    # v2: which v1 item (index) is split, into which (title, objective) parts
    split: tuple[int, tuple[tuple[str, str], ...]]
    # v2: which v1 items (indexes) are merged, into (title, objective)
    merge: tuple[tuple[int, ...], tuple[str, str]]


AGENDAS = (
    DemoAgenda(
        cluster="agrifood",
        actor=MANAGER_EMAIL,
        method=VotingMethod.APPROVAL,
        v1_title="Agrifood agenda 2025-2026",
        v2_title="Agrifood agenda 2026-2027",
        items=(
            DemoItem(
                "Sustainable packaging for fresh dairy",
                "Replace fossil plastic trays of fresh cheeses with compostable materials "
                "that keep the shelf life.",
                "Shelf-life tests with two laboratories; a pilot line at a member dairy.",
                "Working group on food quality and safety",
                (DemoKpi("Members testing compostable trays", "firms", 0, 8, 5),),
                (("Laboratory tests", 3, True), ("Pilot line", 9, False)),
            ),
            DemoItem(
                "Digital traceability for small producers",
                "Help small food producers record and share the traceability of their "
                "products digitally.",
                "Training days; a shared traceability template; a call for pilots.",
                "Cluster staff",
                (DemoKpi("Producers trained", "people", 0, 60, 42),),
                (("First training day", 2, True), ("Template published", 6, True)),
            ),
            DemoItem(
                "Whey by-products",
                "Turn whey from cheese making into ingredients and energy.",
                "Map the volumes; match dairies with biorefineries.",
                "Value chain on agrifood by-products",
                (DemoKpi("Tonnes of whey reused", "t", 0, 500, 120),),
                (("Volume map", 4, True),),
            ),
            DemoItem(
                "Precision irrigation",
                "Cut the water used by orchards and vegetable fields with sensors and "
                "decision support.",
                "Pilot farms; a regional call.",
                "Cluster staff",
                (DemoKpi("Hectares under precision irrigation", "ha", 0, 300, 90),),
                (("Pilot farms chosen", 3, True), ("Results shared", 12, False)),
            ),
        ),
        split=(
            1,
            (
                (
                    "Digital traceability tools",
                    "A shared, open traceability template and its integration with the "
                    "producers' software.",
                ),
                (
                    "Training on traceability",
                    "Train small producers and their staff to record traceability data.",
                ),
            ),
        ),
        merge=(
            (2, 3),
            (
                "Circular use of water and by-products",
                "Reuse whey and water across the food chain: ingredients, energy, irrigation.",
            ),
        ),
    ),
    DemoAgenda(
        cluster="mech",
        actor=OFFICER_EMAIL,
        method=VotingMethod.POINTS,
        v1_title="Mechatronics agenda 2025-2026",
        v2_title="Mechatronics agenda 2026-2027",
        items=(
            DemoItem(
                "Predictive maintenance in manufacturing SMEs",
                "Bring predictive maintenance of spindles, drives and packaging machines to "
                "the cluster's SMEs.",
                "Shared vibration datasets; edge AI demonstrators; a regional call.",
                "Working group on robotics and automation",
                (
                    DemoKpi("SMEs with a predictive maintenance pilot", "firms", 2, 15, 9),
                    DemoKpi("Downtime avoided in pilots", "%", 0, 20, 8),
                ),
                (("Dataset shared", 3, True), ("Demonstrator", 8, True), ("Call", 12, False)),
            ),
            DemoItem(
                "Digital twins of production lines",
                "Digital twins of assembly lines and robot cells to cut downtime and energy.",
                "Two demonstrators; a European consortium.",
                "Value chain on robotics and automation",
                (DemoKpi("Lines with a digital twin", "lines", 0, 10, 3),),
                (("Consortium formed", 6, True), ("First demonstrator", 10, False)),
            ),
            DemoItem(
                "Skills for data-driven maintenance",
                "Train maintenance technicians to analyse vibration data.",
                "Courses with the technical schools.",
                "Cluster staff",
                (DemoKpi("Technicians trained", "people", 0, 80, 35),),
                (("Course designed", 2, True),),
            ),
            DemoItem(
                "Energy monitoring of machine tools",
                "Measure and reduce the energy machine tools use.",
                "Metering kits; benchmarks between members.",
                "Working group on advanced materials",
                (DemoKpi("Machines metered", "machines", 0, 120, None),),
            ),
        ),
        split=(
            0,
            (
                (
                    "Predictive maintenance of spindles and drives",
                    "Models and edge devices that foresee failures of spindles and servo drives.",
                ),
                (
                    "Predictive maintenance of packaging machines",
                    "Predictive maintenance for automatic packaging machines.",
                ),
            ),
        ),
        merge=(
            (1, 3),
            (
                "Digital twins for efficient production",
                "Digital twins of lines and machine tools that cut downtime and energy use.",
            ),
        ),
    ),
)


def _link(item: AgendaItem, actor: Any) -> AgendaItem:
    """Link the contributions and trends closest to the item, as a manager would."""
    found = link_suggestions(item, limit=3)
    contributions = [c for c, score in found.contributions if score >= LINK_THRESHOLD]
    topics = [t for t, score in found.topics[:2] if score > 0]
    if not contributions and not topics:
        return item
    return services.item_update(
        item=item, actor=actor, revision=item.revision, contributions=contributions, topics=topics
    )


def _backdate(version: AgendaVersion, **moments: Any) -> None:
    AgendaVersion.objects.filter(pk=version.pk).update(**moments)


def _load(agenda: DemoAgenda, cluster: Cluster, actor: Any) -> int:
    now = timezone.now()
    start = (now - timedelta(days=300)).date()
    v1 = services.version_create(cluster=cluster, actor=actor, title=agenda.v1_title)
    for position, spec in enumerate(agenda.items, start=1):
        item = services.item_create(
            version=v1,
            actor=actor,
            title=spec.title,
            objective=spec.objective,
            planned_actions=spec.actions,
            responsible=spec.responsible,
            starts_on=start,
            ends_on=start + timedelta(days=730),
            position=position,
        )
        _link(item, actor)
        for kpi in spec.kpis:
            services.kpi_create(
                item=item,
                actor=actor,
                name=kpi.name,
                unit=kpi.unit,
                baseline=kpi.baseline,
                target=kpi.target,
            )
        for title, months, _done in spec.milestones:
            services.milestone_create(
                item=item, actor=actor, title=title, due_on=start + timedelta(days=30 * months)
            )
    services.version_open_consultation(
        version=v1, actor=actor, opens_at=now - timedelta(days=1), closes_at=now + timedelta(days=1)
    )
    services.version_close_consultation(version=v1, actor=actor)
    services.version_approve(version=v1, actor=actor)
    services.version_publish(version=v1, actor=actor)
    _backdate(
        v1,
        consultation_opens_at=now - timedelta(days=330),
        consultation_closes_at=now - timedelta(days=310),
        approved_at=now - timedelta(days=305),
        published_at=now - timedelta(days=300),
    )
    # Progress recorded since publication (allowed on a published version).
    for item, spec in zip(v1.items.order_by("position"), agenda.items, strict=True):
        for kpi, kpi_spec in zip(item.kpis.order_by("id"), spec.kpis, strict=True):
            if kpi_spec.current is not None:
                services.kpi_update(kpi=kpi, actor=actor, current=kpi_spec.current)
        for milestone, (_title, months, done) in zip(
            item.milestones.order_by("id"), spec.milestones, strict=True
        ):
            if done:
                done_on = min(start + timedelta(days=30 * months), timezone.localdate())
                services.milestone_update(milestone=milestone, actor=actor, done_on=done_on)

    v2 = services.version_create(cluster=cluster, actor=actor, title=agenda.v2_title, based_on=v1)
    carried = list(v2.items.order_by("position", "id"))
    split_index, parts = agenda.split
    services.item_split(
        item=carried[split_index],
        actor=actor,
        parts=[{"title": title, "objective": objective} for title, objective in parts],
    )
    merge_indexes, (title, objective) = agenda.merge
    services.items_merge(
        items=[carried[i] for i in merge_indexes], actor=actor, title=title, objective=objective
    )
    services.version_open_consultation(
        version=v2,
        actor=actor,
        opens_at=now - timedelta(days=2),
        closes_at=now + timedelta(days=12),
        voting_method=agenda.method,
        points_budget=10,
    )
    return 2


def load_demo() -> str:
    """Load the demo agendas of the clusters that have none yet; a one-line summary."""
    versions = kept = 0
    for agenda in AGENDAS:
        cluster = Cluster.objects.filter(slug=agenda.cluster).first()
        actor = Person.objects.filter(email=agenda.actor).first()
        if cluster is None:
            continue
        if AgendaVersion.objects.filter(cluster=cluster).exists():
            kept += 1
            continue
        with transaction.atomic():
            versions += _load(agenda, cluster, actor)
    return f"{versions} agenda versions, {kept} agendas unchanged"
