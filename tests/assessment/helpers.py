"""Objects for the assessment tests: members, events and check-ins made directly."""

from datetime import timedelta

from django.utils import timezone

from clusterhub.events.models import Event, EventStatus, Registration
from clusterhub.registry.models import Membership, MembershipStatus
from tests.factories import OrganizationFactory, PersonFactory


def member(cluster, name, kind="firm", size="", status=MembershipStatus.ACTIVE, **dates):
    organization = OrganizationFactory(name=name, kind=kind, size_class=size)
    Membership.objects.create(organization=organization, cluster=cluster, status=status, **dates)
    return organization


def event(cluster, title="Workshop", *, status=EventStatus.PUBLISHED, days=-30, description=""):
    """An event of the cluster, `days` from now (negative: in the past)."""
    starts = timezone.now() + timedelta(days=days)
    # A past event stays in this calendar year (the year assessed), whatever today's date.
    if days < 0 and starts.year != timezone.now().year:
        starts = timezone.now() - timedelta(minutes=5)
    created = Event.objects.create(
        title=title,
        description=description,
        kind="workshop",
        starts_at=starts,
        ends_at=starts + timedelta(hours=2),
        status=status,
    )
    if cluster is not None:
        created.clusters.add(cluster)
    return created


def attend(event, organization, *, checked_in=True):
    registration = Registration.objects.create(
        event=event, person=PersonFactory(), organization=organization
    )
    if checked_in:
        registration.checked_in_at = event.starts_at
        registration.save(update_fields=["checked_in_at"])
    return registration
