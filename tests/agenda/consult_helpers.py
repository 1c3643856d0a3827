"""Builders for the consultation's tests: a version in consultation, voters of a type."""

from datetime import timedelta

from django.utils import timezone

from clusterhub.agenda import services
from tests.factories import MembershipFactory, OrganizationFactory, OrganizationRoleFactory


def consultation(cluster, manager, *, method="approval", budget=10, titles=("Alfa", "Beta")):
    """A version of `cluster` in consultation (opened a day ago, closing in a week) with one
    item per title; returns (version, items)."""
    version = services.version_create(
        cluster=cluster, actor=manager, title="Agenda in consultazione"
    )
    items = [
        services.item_create(version=version, actor=manager, title=title, objective=f"Su {title}.")
        for title in titles
    ]
    now = timezone.now()
    services.version_open_consultation(
        version=version,
        actor=manager,
        opens_at=now - timedelta(days=1),
        closes_at=now + timedelta(days=7),
        voting_method=method,
        points_budget=budget,
    )
    version.refresh_from_db()
    for item in items:
        item.refresh_from_db()
    return version, items


def voter(cluster, kind="firm", name=None):
    """A person of a new organization of `kind`, an active member of `cluster`."""
    organization = OrganizationFactory(kind=kind, **({"name": name} if name else {}))
    MembershipFactory(organization=organization, cluster=cluster)
    return OrganizationRoleFactory(organization=organization, role="member").person


def close(version):
    """Move the closing date to the past (as if the consultation had run its course)."""
    version.consultation_closes_at = timezone.now() - timedelta(minutes=1)
    version.save(update_fields=["consultation_closes_at"])
    return version
