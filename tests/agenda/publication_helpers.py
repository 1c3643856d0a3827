"""A cluster agenda with two published versions, for the publication tests.

v1 "Agenda 2025" has seven items. v2 "Agenda 2026", drafted from v1, changes them in every
way the comparison knows:
- "Imballaggi compostabili" carried over, its objective reworded (changed);
- "Export verso nuovi mercati" carried over as it was (unchanged);
- "Formazione digitale" split into "Formazione per le PMI" and "Formazione per gli ITS";
- "Filiera corta" and "Mercati contadini" merged into "Filiera corta e mercati";
- "Fiere di settore" removed;
- "Qualità dell'acqua" added.
"""

from dataclasses import dataclass
from datetime import date

from clusterhub.agenda import services
from clusterhub.agenda.models import AgendaItem, AgendaVersion, ItemStatus
from tests.agenda.core_helpers import contribution, draft, item, kpi, publish


@dataclass
class TwoVersions:
    v1: AgendaVersion
    v2: AgendaVersion
    public_need: object
    members_need: object

    def item(self, version: AgendaVersion, title: str) -> AgendaItem:
        return version.items.get(title=title, status=ItemStatus.ACTIVE)


def _voter(cluster, name, kind, email):
    """A person of a new member organization of `cluster` of the given member type."""
    from clusterhub.registry.models import Membership, Organization
    from tests.factories import OrganizationRoleFactory

    organization = Organization.objects.create(name=name, normalized_name=name.lower(), kind=kind)
    Membership.objects.create(organization=organization, cluster=cluster)
    return OrganizationRoleFactory(
        organization=organization, role="member", person__email=email
    ).person


def publish_with_votes(version, manager, votes):
    """Consult on `version` (approval), cast `votes` ({person: [item titles supported]}),
    close, approve and publish it."""
    from datetime import timedelta

    from django.utils import timezone

    from clusterhub.agenda.consultation import ballot_cast

    now = timezone.now()
    services.version_open_consultation(
        version=version,
        actor=manager,
        opens_at=now - timedelta(days=1),
        closes_at=now + timedelta(days=7),
    )
    for person, titles in votes.items():
        for title in titles:
            target = version.items.get(title=title, status=ItemStatus.ACTIVE)
            ballot_cast(item=target, actor=person, value=1)
    services.version_close_consultation(version=version, actor=manager)
    services.version_approve(version=version, actor=manager)
    return services.version_publish(version=version, actor=manager)


def two_published_versions(cluster, manager, *, publish_v2=True) -> TwoVersions:
    public_need = contribution(
        cluster,
        "Serve un imballaggio compostabile",
        "Le nostre aziende cercano alternative alla plastica.",
        visibility="public",
    )
    members_need = contribution(
        cluster,
        "Certificazione dei materiali",
        "Chi certifica i materiali compostabili?",
        visibility="members",
    )
    v1 = draft(cluster, manager, title="Agenda 2025")
    packaging = item(
        v1,
        manager,
        title="Imballaggi compostabili",
        objective="Ridurre la plastica negli imballaggi del settore.",
        planned_actions="Un bando per progetti pilota.",
        contributions=[public_need, members_need],
    )
    kpi(packaging, manager, name="Aziende coinvolte", target=10, baseline=0, current=4)
    services.milestone_create(
        item=packaging,
        actor=manager,
        title="Bando pubblicato",
        due_on=date(2025, 3, 1),
        done_on=date(2025, 3, 2),
    )
    services.milestone_create(
        item=packaging, actor=manager, title="Progetti avviati", due_on=date(2025, 9, 1)
    )
    item(v1, manager, title="Export verso nuovi mercati", objective="Aprire due mercati.")
    item(
        v1,
        manager,
        title="Formazione digitale",
        objective="Formare le persone delle imprese e degli istituti tecnici.",
    )
    item(v1, manager, title="Filiera corta", objective="Accorciare la filiera.")
    item(v1, manager, title="Mercati contadini", objective="Più mercati contadini.")
    item(v1, manager, title="Fiere di settore", objective="Partecipare a tre fiere.")
    publish(v1, manager)

    v2 = draft(cluster, manager, title="Agenda 2026", based_on=v1)
    found = TwoVersions(v1, v2, public_need, members_need)
    carried = found.item(v2, "Imballaggi compostabili")
    services.item_update(
        item=carried,
        actor=manager,
        revision=carried.revision,
        objective="Ridurre la plastica monouso negli imballaggi del settore.",
    )
    services.item_split(
        item=found.item(v2, "Formazione digitale"),
        actor=manager,
        parts=[
            {"title": "Formazione per le PMI", "objective": "Formare le persone delle imprese."},
            {"title": "Formazione per gli ITS", "objective": "Formare gli istituti tecnici."},
        ],
    )
    services.items_merge(
        items=[found.item(v2, "Filiera corta"), found.item(v2, "Mercati contadini")],
        actor=manager,
        title="Filiera corta e mercati",
        objective="Accorciare la filiera con più mercati contadini.",
    )
    services.item_remove(item=found.item(v2, "Fiere di settore"), actor=manager)
    item(v2, manager, title="Qualità dell'acqua", objective="Ridurre i consumi d'acqua.")
    if publish_v2:
        # Approval: a firm supports packaging and water, a lab packaging only.
        firm = _voter(cluster, "Caseificio Votante Srl", "firm", "firm-voter@example.org")
        lab = _voter(cluster, "Laboratorio Votante", "research_lab", "lab-voter@example.org")
        publish_with_votes(
            v2,
            manager,
            {
                firm: ["Imballaggi compostabili", "Qualità dell'acqua"],
                lab: ["Imballaggi compostabili"],
            },
        )
    for version in (v1, v2):
        version.refresh_from_db()
    return found
