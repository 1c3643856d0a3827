"""Projects and participations made directly, without the project import."""

from datetime import date
from decimal import Decimal

import factory

from clusterhub.projects.models import Participation, Project, ProjectCluster
from clusterhub.registry.models import Membership, MembershipStatus, Organization
from tests.factories import OrganizationFactory


class ProjectFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Project

    cordis_id = factory.Sequence(lambda n: f"T{n:06d}")
    framework = "H2020"
    acronym = factory.Sequence(lambda n: f"PRJ{n}")
    title = factory.LazyAttribute(lambda p: f"Project {p.acronym}")
    start_date = date(2021, 1, 1)


class ParticipationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Participation

    project = factory.SubFactory(ProjectFactory)
    organization = None
    participant_key = factory.Sequence(lambda n: f"key{n}")
    name = factory.LazyAttribute(lambda p: p.organization.name if p.organization else "Partner")
    country = "IT"


class ProjectClusterFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ProjectCluster

    project = factory.SubFactory(ProjectFactory)


def member(
    cluster,
    name: str,
    kind: str = "firm",
    *,
    size: str = "",
    since: date | None = None,
    until: date | None = None,
    status: str = MembershipStatus.ACTIVE,
    nuts3: str = "",
    organization: Organization | None = None,
) -> Organization:
    """An organization (new, or the one given) that is a member of the cluster."""
    if organization is None:
        organization = OrganizationFactory(name=name, kind=kind, size_class=size, nuts3=nuts3)
    Membership.objects.create(
        organization=organization, cluster=cluster, status=status, since=since, until=until
    )
    return organization


def project(start: date, *participants, links=(), **fields) -> Project:
    """A project starting on `start`; participants are (organization or None, EU contribution)
    or (organization, contribution, nuts3); links are (cluster, rejected)."""
    made = ProjectFactory(start_date=start, **fields)
    for entry in participants:
        organization, contribution = entry[0], entry[1]
        nuts3 = entry[2] if len(entry) > 2 else ""
        ParticipationFactory(
            project=made,
            organization=organization,
            eu_contribution=None if contribution is None else Decimal(contribution),
            nuts3=nuts3,
        )
    for cluster, rejected in links:
        ProjectClusterFactory(project=made, cluster=cluster, rejected=rejected)
    return made
