"""Reads of events, scoped to what the caller may see; objects out of reach answer 404.

Who sees what:
- public published events: everyone, signed in or not;
- members-only events: the people of organizations that are active members of one of the
  event's clusters (of any cluster, for a region-wide event), and its managers;
- drafts: only those who manage the event (managers of one of its clusters, officers);
- officers see everything.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from clusterhub.events.models import (
    ACTIVE_REGISTRATION,
    HOLDING_STATUSES,
    CalendarFeed,
    Event,
    EventStatus,
    EventVisibility,
    Meeting,
    MeetingStatus,
    Registration,
    RegistrationStatus,
)
from clusterhub.regions.models import Cluster
from clusterhub.registry.models import Membership, MembershipStatus, Organization
from clusterhub.registry.selectors import clusters_managed_by, clusters_of_person


def _is_signed_in(user: object) -> bool:
    return bool(getattr(user, "is_authenticated", False))


def _no_clusters() -> Exists:
    return ~Exists(Event.clusters.through.objects.filter(event_id=OuterRef("pk")))


def _in_clusters(cluster_ids: Any) -> Exists:
    return Exists(
        Event.clusters.through.objects.filter(event_id=OuterRef("pk"), cluster_id__in=cluster_ids)
    )


def events_managed_by(user: object) -> QuerySet[Event]:
    """Events this user may edit and check people in at: every one for an officer, those of
    the clusters they manage for a manager (region-wide events are the officers')."""
    if not _is_signed_in(user):
        return Event.objects.none()
    if user.is_regional_officer:  # type: ignore[attr-defined]
        return Event.objects.all()
    managed = list(clusters_managed_by(user).values_list("id", flat=True))
    if not managed:
        return Event.objects.none()
    return Event.objects.filter(_in_clusters(managed))


def events_visible_to(user: object) -> QuerySet[Event]:
    """Every event this user may see (drafts only to those who manage them)."""
    listed = Event.objects.exclude(status=EventStatus.DRAFT)
    if not _is_signed_in(user):
        return listed.filter(visibility=EventVisibility.PUBLIC)
    if user.is_regional_officer:  # type: ignore[attr-defined]
        return Event.objects.all()
    member_of = list(clusters_of_person(user).values_list("id", flat=True))
    managed = list(clusters_managed_by(user).values_list("id", flat=True))
    reach = set(member_of) | set(managed)
    visible = Q(visibility=EventVisibility.PUBLIC)
    if reach:
        visible |= _in_clusters(reach) | _no_clusters()
    shown = listed.filter(visible)
    if managed:
        shown = shown | Event.objects.filter(_in_clusters(managed))
    return shown


def event_get_for_viewer(*, event_id: int, viewer: object) -> Event:
    event = (
        events_visible_to(viewer)
        .filter(pk=event_id)
        .prefetch_related("clusters", "s3_themes", "competences")
        .select_related("created_by")
        .first()
    )
    if event is None:
        raise Http404("No such event")
    return event


def event_get_for_manager(*, event_id: int, user: object) -> Event:
    event = (
        events_managed_by(user)
        .filter(pk=event_id)
        .prefetch_related("clusters", "s3_themes", "competences")
        .first()
    )
    if event is None:
        raise Http404("No such event")
    return event


def can_manage_event(user: object, event: Event) -> bool:
    return events_managed_by(user).filter(pk=event.pk).exists()


@dataclass(frozen=True)
class EventFilters:
    cluster: str = ""  # slug
    kind: str = ""
    past: bool = False


def event_list(filters: EventFilters, *, viewer: object) -> QuerySet[Event]:
    """Upcoming (or past) events the viewer may see, soonest first (latest first when past)."""
    now = timezone.now()
    events = events_visible_to(viewer)
    if filters.past:
        events = events.filter(ends_at__lt=now).order_by("-starts_at", "-id")
    else:
        events = events.filter(ends_at__gte=now).order_by("starts_at", "id")
    if filters.cluster:
        cluster_ids = Cluster.objects.filter(slug=filters.cluster).values("id")
        events = events.filter(_in_clusters(cluster_ids))
    if filters.kind:
        events = events.filter(kind=filters.kind)
    return events.prefetch_related("clusters").annotate(
        seats_taken=Count(
            "registrations", filter=Q(registrations__status=RegistrationStatus.REGISTERED)
        )
    )


def cluster_events(*, cluster: Cluster, viewer: object) -> QuerySet[Event]:
    """The cluster's events the viewer may see, past and future (for its iCal feed)."""
    return (
        events_visible_to(viewer)
        .exclude(status=EventStatus.DRAFT)
        .filter(_in_clusters([cluster.pk]))
        .order_by("starts_at", "id")
    )


def cluster_for_feed(slug: str) -> Cluster:
    cluster = Cluster.objects.filter(slug=slug).first()
    if cluster is None:
        raise Http404("No such cluster")
    return cluster


def seats_taken(event: Event) -> int:
    return event.registrations.filter(status=RegistrationStatus.REGISTERED).count()


def registration_of(*, event: Event, person: object) -> Registration | None:
    """The person's active registration (a seat or a waiting-list place), if any."""
    if not _is_signed_in(person):
        return None
    return (
        Registration.objects.filter(ACTIVE_REGISTRATION, event=event, person=person)
        .select_related("organization")
        .first()
    )


def waitlist_position(registration: Registration) -> int | None:
    """1 for the first in line; None when the registration is not on the waiting list."""
    if registration.status != RegistrationStatus.WAITLISTED:
        return None
    ahead = Registration.objects.filter(
        Q(created_at__lt=registration.created_at)
        | Q(created_at=registration.created_at, id__lt=registration.pk),
        event_id=registration.event_id,
        status=RegistrationStatus.WAITLISTED,
    ).count()
    return ahead + 1


def registrations_of(person: object) -> QuerySet[Registration]:
    """A person's active registrations, the coming events first."""
    return (
        Registration.objects.filter(ACTIVE_REGISTRATION, person=person)
        .exclude(event__status=EventStatus.DRAFT)
        .select_related("event", "organization")
        .order_by("-event__ends_at", "id")
    )


def registration_get_for_person(*, event_id: int, person: object) -> Registration:
    registration = (
        Registration.objects.filter(ACTIVE_REGISTRATION, event_id=event_id, person=person)
        .select_related("event", "organization", "person")
        .first()
    )
    if registration is None:
        raise Http404("No registration")
    return registration


def attendance_list(event: Event) -> QuerySet[Registration]:
    """Every registration of an event (for its managers): seats, then the waiting list in
    order, then cancellations."""
    return (
        Registration.objects.filter(event=event)
        .select_related("person", "organization")
        .order_by("status", "created_at", "id")
    )


@dataclass(frozen=True)
class AttendanceSummary:
    registered: int
    waitlisted: int
    cancelled: int
    checked_in: int


def attendance_summary(event: Event) -> AttendanceSummary:
    counts = Registration.objects.filter(event=event).aggregate(
        registered=Count("id", filter=Q(status=RegistrationStatus.REGISTERED)),
        waitlisted=Count("id", filter=Q(status=RegistrationStatus.WAITLISTED)),
        cancelled=Count("id", filter=Q(status=RegistrationStatus.CANCELLED)),
        checked_in=Count("id", filter=Q(checked_in_at__isnull=False)),
    )
    return AttendanceSummary(**counts)


def registration_get_for_manager(
    *, event: Event, registration_id: int
) -> Registration:  # the event is already checked
    registration = (
        Registration.objects.filter(event=event, pk=registration_id)
        .select_related("person", "organization")
        .first()
    )
    if registration is None:
        raise Http404("No such registration")
    return registration


def feed_of(person: object) -> CalendarFeed | None:
    return CalendarFeed.objects.filter(person=person).first()


def feed_events(token: str) -> tuple[object, QuerySet[Event]]:
    """The person of a private feed and the events they hold a place at; 404 for a bad token."""
    feed = CalendarFeed.objects.filter(token=token).select_related("person").first()
    if feed is None or not feed.person.is_active:
        raise Http404("No such feed")
    places = Registration.objects.filter(ACTIVE_REGISTRATION, person=feed.person)
    events = (
        Event.objects.filter(pk__in=places.values("event_id"))
        .exclude(status=EventStatus.DRAFT)
        .order_by("starts_at", "id")
    )
    return feed.person, events


def upcoming_registrations_of(person: object, *, within: timedelta) -> list[Registration]:
    """The person's seats and waiting-list places at events starting within `within`: the
    reminders of the digest."""
    now = timezone.now()
    return list(
        Registration.objects.filter(
            ACTIVE_REGISTRATION,
            person=person,
            event__status=EventStatus.PUBLISHED,
            event__starts_at__gte=now,
            event__starts_at__lt=now + within,
        )
        .select_related("event")
        .order_by("event__starts_at", "id")
    )


# --- For engagement and the digest --------------------------------------------------------


def _organization_cluster_ids(organization: Organization) -> set[int]:
    return set(
        Membership.objects.filter(
            organization=organization, status=MembershipStatus.ACTIVE
        ).values_list("cluster_id", flat=True)
    )


def upcoming_events_for(organization: Organization, *, limit: int = 5) -> list[Event]:
    """Upcoming published events the organization's people may attend, best suited first.

    The score is plain: 3 for an event of one of its clusters, 1 for a region-wide one,
    2 for each S3 theme and 1 for each competence it shares with the organization's profile.
    Ties go to the sooner event. Each event carries `match_score` and `match_reasons`
    (translated phrases, e.g. "Your cluster: Agrifood"). Events with no link at all to the
    organization come last but still come (a public event is open to everyone).
    """
    now = timezone.now()
    clusters = _organization_cluster_ids(organization)
    themes = set(organization.s3_themes.values_list("id", flat=True))
    competences = set(organization.competences.values_list("id", flat=True))
    open_to = Q(visibility=EventVisibility.PUBLIC)
    if clusters:
        open_to |= _in_clusters(clusters) | _no_clusters()
    events = list(
        Event.objects.filter(open_to, status=EventStatus.PUBLISHED, starts_at__gt=now)
        .prefetch_related("clusters", "s3_themes", "competences")
        .order_by("starts_at", "id")[:500]
    )
    for event in events:
        score = 0
        reasons: list[str] = []
        event_clusters = list(event.clusters.all())
        shared_clusters = [c for c in event_clusters if c.pk in clusters]
        if shared_clusters:
            score += 3
            reasons.append(
                _("Your cluster: %(names)s") % {"names": ", ".join(c.name for c in shared_clusters)}
            )
        elif not event_clusters:
            score += 1
            reasons.append(_("Open to every cluster"))
        shared_themes = [t for t in event.s3_themes.all() if t.pk in themes]
        if shared_themes:
            score += 2 * len(shared_themes)
            reasons.append(
                _("S3 themes: %(names)s") % {"names": ", ".join(t.name for t in shared_themes)}
            )
        shared_competences = [c for c in event.competences.all() if c.pk in competences]
        if shared_competences:
            score += len(shared_competences)
            reasons.append(
                _("Competences: %(names)s")
                % {"names": ", ".join(c.name for c in shared_competences)}
            )
        event.match_score = score  # type: ignore[attr-defined]
        event.match_reasons = reasons  # type: ignore[attr-defined]
    events.sort(key=lambda e: (-e.match_score, e.starts_at, e.pk))  # type: ignore[attr-defined]
    return events[:limit]


@dataclass(frozen=True)
class OrganizationAttendance:
    """What the people of an organization did at events since a date."""

    registrations: int  # seats taken (cancelled ones excluded)
    attended: int  # check-ins: attendance is what counts
    events_attended: int  # distinct events with at least one check-in


def attendance_of(organization: Organization, since: datetime) -> OrganizationAttendance:
    rows = Registration.objects.filter(organization=organization, event__starts_at__gte=since)
    counts = rows.aggregate(
        registrations=Count("id", filter=Q(status=RegistrationStatus.REGISTERED)),
        attended=Count("id", filter=Q(checked_in_at__isnull=False)),
        events_attended=Count("event", filter=Q(checked_in_at__isnull=False), distinct=True),
    )
    return OrganizationAttendance(**counts)


# --- B2B -------------------------------------------------------------------------------------


def b2b_participants(*, event: Event, exclude: Registration | None = None) -> list[Registration]:
    """Registered participants (seats, not the waiting list) others may ask for a meeting."""
    rows = (
        Registration.objects.filter(event=event, status=RegistrationStatus.REGISTERED)
        .select_related("person", "organization")
        .order_by("organization__normalized_name", "person__full_name", "id")
    )
    if exclude is not None:
        rows = rows.exclude(pk=exclude.pk)
    return list(rows)


def meetings_of(registration: Registration) -> QuerySet[Meeting]:
    return (
        Meeting.objects.filter(Q(requester=registration) | Q(invitee=registration))
        .select_related(
            "requester__person",
            "requester__organization",
            "invitee__person",
            "invitee__organization",
        )
        .order_by("slot_start", "id")
    )


def busy_slots(registrations: list[Registration]) -> set[datetime]:
    """Slots already held (by a request or a meeting) by any of these participants."""
    from clusterhub.events.models import MeetingBooking

    return set(
        MeetingBooking.objects.filter(registration__in=registrations).values_list(
            "slot_start", flat=True
        )
    )


def free_slots(event: Event, *participants: Registration) -> list[datetime]:
    taken = busy_slots(list(participants))
    return [slot for slot in event.meeting_slots() if slot not in taken]


def meeting_get_for_participant(*, event: Event, meeting_id: int, person: object) -> Meeting:
    meeting = (
        Meeting.objects.filter(event=event, pk=meeting_id)
        .filter(Q(requester__person=person) | Q(invitee__person=person))
        .select_related("requester__person", "invitee__person", "event")
        .first()
    )
    if meeting is None:
        raise Http404("No such meeting")
    return meeting


def open_meeting_count(event: Event) -> int:
    return Meeting.objects.filter(event=event, status__in=HOLDING_STATUSES).count()


def accepted_meetings(event: Event) -> QuerySet[Meeting]:
    return (
        Meeting.objects.filter(event=event, status=MeetingStatus.ACCEPTED)
        .select_related("requester__person", "invitee__person")
        .prefetch_related(Prefetch("bookings"))
    )
