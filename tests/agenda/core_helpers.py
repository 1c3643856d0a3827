"""Builders for the agenda core's tests (versions, items, KPIs, contributions to link)."""

from datetime import timedelta
from decimal import Decimal

from django.utils import timezone

from clusterhub.agenda import services
from clusterhub.contributions.analysis import ENCODER, embed, to_bytes
from clusterhub.contributions.models import Contribution
from clusterhub.registry.models import Membership, Organization


def draft(cluster, actor, *, title="Agenda 2026", based_on=None):
    return services.version_create(cluster=cluster, actor=actor, title=title, based_on=based_on)


def item(version, actor, title="Imballaggi compostabili", objective="Ridurre la plastica.", **more):
    return services.item_create(
        version=version, actor=actor, title=title, objective=objective, **more
    )


def kpi(item_, actor, name="Aziende coinvolte", target=10, baseline=0, current=None):
    return services.kpi_create(
        item=item_, actor=actor, name=name, target=target, baseline=baseline, current=current
    )


def publish(version, actor):
    """Take a draft through consultation (opened a week ago, closed now) to publication."""
    now = timezone.now()
    services.version_open_consultation(
        version=version,
        actor=actor,
        opens_at=now - timedelta(days=7),
        closes_at=now + timedelta(days=7),
    )
    services.version_close_consultation(version=version, actor=actor)
    services.version_approve(version=version, actor=actor)
    return services.version_publish(version=version, actor=actor)


def contribution(cluster, title, text, *, status="approved", visibility="members"):
    """A contribution of `cluster` by a member organization, with its stored vector."""
    peer, _created = Organization.objects.get_or_create(
        name=f"Socio di {cluster.slug}",
        defaults={"normalized_name": f"socio {cluster.slug}", "kind": "firm"},
    )
    Membership.objects.get_or_create(organization=peer, cluster=cluster)
    found = Contribution.objects.create(
        organization=peer,
        kind="need",
        title=title,
        text=text,
        status=status,
        visibility=visibility,
        embedding=to_bytes(embed(f"{title}\n{text}")),
        encoder=ENCODER,
    )
    found.clusters.set([cluster])
    return found


def as_decimal(value):
    return Decimal(str(value))
