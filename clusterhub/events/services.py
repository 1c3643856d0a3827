"""Writes of events: the event itself, registrations and the waiting list, check-in, B2B.

Seats are never given twice: every change of who holds a seat locks the event row first
(`select_for_update`, a real row lock on PostgreSQL; SQLite runs one writer at a time), so
concurrent registrations queue up and the count of seats is read by one of them at a time.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from clusterhub.events.models import (
    ACTIVE_REGISTRATION,
    HOLDING_STATUSES,
    CalendarFeed,
    Event,
    EventStatus,
    Meeting,
    MeetingBooking,
    MeetingStatus,
    Registration,
    RegistrationStatus,
    new_check_in_code,
    new_feed_token,
    normalize_check_in_code,
)
from clusterhub.people.models import Person
from clusterhub.regions.models import Cluster, Competence, S3Theme
from clusterhub.registry.models import Organization

# The fields an event form or the API may set.
EVENT_FIELDS = (
    "title",
    "description",
    "kind",
    "starts_at",
    "ends_at",
    "location",
    "online_url",
    "visibility",
    "capacity",
    "status",
    "meeting_minutes",
    "request_ttl_hours",
)


def _locked_event(event: Event) -> Event:
    return Event.objects.select_for_update().get(pk=event.pk)


def _clean_text(value: object) -> str:
    """Text as stored: control characters other than newlines and tabs removed, trimmed."""
    text = str(value or "")
    return "".join(ch for ch in text if ch in "\n\t" or ch.isprintable()).strip()


# --- Events ---------------------------------------------------------------------------------


@transaction.atomic
def event_save(
    *,
    event: Event | None,
    actor: Person,
    clusters: Iterable[Cluster],
    s3_themes: Iterable[S3Theme] = (),
    competences: Iterable[Competence] = (),
    **fields: object,
) -> Event:
    """Create an event (`event=None`) or change one; the caller has checked the actor may.

    A capacity raised (or removed) gives the freed seats to the waiting list, in order.
    """
    unknown = set(fields) - set(EVENT_FIELDS)
    if unknown:
        raise TypeError(f"Unknown event fields: {sorted(unknown)}")
    for name in ("title", "description", "location"):
        if name in fields:
            fields[name] = _clean_text(fields[name])
    creating = event is None
    event = Event(created_by=actor) if event is None else _locked_event(event)
    for name, value in fields.items():
        setattr(event, name, value)
    event.full_clean()
    if creating:
        event.save()
    else:
        event.save(update_fields=[*fields, "updated_at"])
    event.clusters.set(list(clusters))
    event.s3_themes.set(list(s3_themes))
    event.competences.set(list(competences))
    _fill_seats(event)
    return event


# --- Registrations --------------------------------------------------------------------------


def _seats_taken(event: Event) -> int:
    return Registration.objects.filter(event=event, status=RegistrationStatus.REGISTERED).count()


def _fill_seats(event: Event) -> list[Registration]:
    """Give free seats to the waiting list, first come first served. The event is locked."""
    if event.status == EventStatus.CANCELLED:
        return []
    waiting = Registration.objects.filter(event=event, status=RegistrationStatus.WAITLISTED)
    if event.capacity is None:
        promoted = list(waiting.order_by("created_at", "id"))
    else:
        free = event.capacity - _seats_taken(event)
        if free <= 0:
            return []
        promoted = list(waiting.order_by("created_at", "id")[:free])
    for registration in promoted:
        registration.status = RegistrationStatus.REGISTERED
        registration.save(update_fields=["status"])
    return promoted


def registration_organization_for(person: Person, organization: Organization | None) -> object:
    """The organization a registration counts for: the one given (if the person belongs to
    it), else the person's first one; None for a person of no organization."""
    own = Organization.objects.filter(person_roles__person=person).order_by("normalized_name")
    if organization is not None:
        if not own.filter(pk=organization.pk).exists():
            raise ValidationError({"organization": _("You do not belong to this organization.")})
        return organization
    return own.first()


@transaction.atomic
def registration_create(
    *, event: Event, person: Person, organization: Organization | None = None
) -> Registration:
    """Register a person: a seat while there is one, else a place in the waiting list.

    Registering again returns the place already held. The caller has checked the person may
    see the event.
    """
    event = _locked_event(event)
    if event.status != EventStatus.PUBLISHED:
        raise ValidationError(_("This event is not open for registration."))
    if event.starts_at <= timezone.now():
        raise ValidationError(_("This event has already started: registration is closed."))
    existing = Registration.objects.filter(ACTIVE_REGISTRATION, event=event, person=person).first()
    if existing is not None:
        return existing
    full = event.capacity is not None and _seats_taken(event) >= event.capacity
    registration = Registration(
        event=event,
        person=person,
        organization=registration_organization_for(person, organization),
        status=RegistrationStatus.WAITLISTED if full else RegistrationStatus.REGISTERED,
        code=_unused_code(),
    )
    registration.full_clean(validate_constraints=False)
    registration.save()
    return registration


def _unused_code() -> str:
    while True:
        code = new_check_in_code()
        if not Registration.objects.filter(code=code).exists():
            return code


@transaction.atomic
def registration_cancel(*, registration: Registration) -> list[Registration]:
    """Cancel a seat or a waiting-list place; a freed seat goes to the next in line.

    Returns the registrations promoted from the waiting list. The person's B2B requests and
    meetings at the event are cancelled too (their slots are freed).
    """
    event = _locked_event(registration.event)
    current = Registration.objects.select_for_update().get(pk=registration.pk)
    if current.status == RegistrationStatus.CANCELLED:
        return []
    if current.checked_in_at is not None:
        raise ValidationError(_("You were checked in already: this registration stays."))
    current.status = RegistrationStatus.CANCELLED
    current.cancelled_at = timezone.now()
    current.save(update_fields=["status", "cancelled_at"])
    registration.status, registration.cancelled_at = current.status, current.cancelled_at
    for meeting in Meeting.objects.filter(
        Q(requester=current) | Q(invitee=current), status__in=HOLDING_STATUSES
    ):
        _close_meeting(meeting, MeetingStatus.CANCELLED)
    return _fill_seats(event)


@dataclass(frozen=True)
class CheckIn:
    registration: Registration
    already: bool  # True: checked in before; the time is the first check-in's


@transaction.atomic
def check_in(*, event: Event, code: str, actor: Person) -> CheckIn:
    """Check a person in at the door by the code of their ticket. Doing it twice is
    harmless: the second answers the time of the first."""
    normalized = normalize_check_in_code(code)
    if not normalized:
        raise ValidationError({"code": _("Type or scan the code of the ticket.")})
    registration = Registration.objects.filter(event=event, code=normalized).first()
    if registration is None:
        raise ValidationError({"code": _("No registration for this event has this code.")})
    return _check_in(registration, actor)


@transaction.atomic
def check_in_registration(*, registration: Registration, actor: Person) -> CheckIn:
    """Check in from the attendance list (a button per row)."""
    return _check_in(registration, actor)


def _check_in(registration: Registration, actor: Person) -> CheckIn:
    if registration.event.status == EventStatus.CANCELLED:
        raise ValidationError({"code": _("This event was cancelled.")})
    if registration.status == RegistrationStatus.CANCELLED:
        raise ValidationError({"code": _("This registration was cancelled.")})
    if registration.status == RegistrationStatus.WAITLISTED:
        raise ValidationError(
            {"code": _("This person is on the waiting list and holds no seat yet.")}
        )
    now = timezone.now()
    # One conditional UPDATE: of two simultaneous check-ins exactly one sets the time.
    updated = Registration.objects.filter(pk=registration.pk, checked_in_at__isnull=True).update(
        checked_in_at=now, checked_in_by=actor
    )
    registration.refresh_from_db(fields=["checked_in_at", "checked_in_by"])
    return CheckIn(registration=registration, already=updated == 0)


@transaction.atomic
def check_in_undo(*, registration: Registration) -> Registration:
    """Undo a check-in made by mistake."""
    Registration.objects.filter(pk=registration.pk).update(checked_in_at=None, checked_in_by=None)
    registration.refresh_from_db(fields=["checked_in_at", "checked_in_by"])
    return registration


# --- Calendar feeds -------------------------------------------------------------------------


@transaction.atomic
def feed_get_or_create(*, person: Person) -> CalendarFeed:
    feed, _created = CalendarFeed.objects.get_or_create(person=person)
    return feed


@transaction.atomic
def feed_reset(*, person: Person) -> CalendarFeed:
    """A new secret address for the person's feed; the old one stops working."""
    feed = feed_get_or_create(person=person)
    feed.token = new_feed_token()
    feed.full_clean()
    feed.save(update_fields=["token"])
    return feed


# --- B2B meetings ---------------------------------------------------------------------------


def expire_meeting_requests(now: datetime | None = None, *, event: Event | None = None) -> int:
    """Requests left unanswered past their expiry become expired, and free their slots.

    Called by the B2B pages and services before they read or take slots, and by the
    `expire_meeting_requests` task. Returns how many expired.
    """
    now = now or timezone.now()
    stale = Meeting.objects.filter(status=MeetingStatus.REQUESTED, expires_at__lte=now)
    if event is not None:
        stale = stale.filter(event=event)
    expired = 0
    with transaction.atomic():
        for meeting in stale.select_for_update():
            _close_meeting(meeting, MeetingStatus.EXPIRED, now=now)
            expired += 1
    return expired


def _close_meeting(meeting: Meeting, status: str, *, now: datetime | None = None) -> None:
    meeting.status = status
    meeting.responded_at = now or timezone.now()
    meeting.save(update_fields=["status", "responded_at"])
    MeetingBooking.objects.filter(meeting=meeting).delete()


def _b2b_registration(event: Event, person: Person) -> Registration:
    registration = Registration.objects.filter(
        event=event, person=person, status=RegistrationStatus.REGISTERED
    ).first()
    if registration is None:
        raise ValidationError(_("Only participants with a seat at this session can meet."))
    return registration


def meeting_request(
    *,
    event: Event,
    requester: Person,
    invitee: Registration,
    slot_start: datetime,
    message: str = "",
    now: datetime | None = None,
) -> Meeting:
    """Ask another participant for a meeting in a slot; the slot is held for both until the
    request is answered or expires (`request_ttl_hours`, never past the slot's start)."""
    now = now or timezone.now()
    # Stale requests go first, in their own transaction: a refusal below keeps them expired.
    expire_meeting_requests(now, event=event)
    return _meeting_request(
        event=event,
        requester=requester,
        invitee=invitee,
        slot_start=slot_start,
        message=message,
        now=now,
    )


@transaction.atomic
def _meeting_request(
    *,
    event: Event,
    requester: Person,
    invitee: Registration,
    slot_start: datetime,
    message: str,
    now: datetime,
) -> Meeting:
    if not event.is_b2b or event.status != EventStatus.PUBLISHED:
        raise ValidationError(_("Meetings can be requested only at a published B2B session."))
    if event.ends_at <= now:
        raise ValidationError(_("This session is over."))
    own = _b2b_registration(event, requester)
    if invitee.event_id != event.pk or invitee.status != RegistrationStatus.REGISTERED:
        raise ValidationError({"invitee": _("This person holds no seat at this session.")})
    if invitee.pk == own.pk:
        raise ValidationError({"invitee": _("You cannot request a meeting with yourself.")})
    if slot_start not in set(event.meeting_slots()):
        raise ValidationError({"slot_start": _("This is not a time slot of the session.")})
    if slot_start <= now:
        raise ValidationError({"slot_start": _("This time slot has already begun.")})
    if Meeting.objects.filter(
        Q(requester=own, invitee=invitee) | Q(requester=invitee, invitee=own),
        status__in=HOLDING_STATUSES,
    ).exists():
        raise ValidationError(
            {"invitee": _("You already have a request or a meeting with this person.")}
        )
    # Unanswered, a request never holds a slot past its start.
    expires_at = min(now + timedelta(hours=event.request_ttl_hours), slot_start)
    meeting = Meeting(
        event=event,
        requester=own,
        invitee=invitee,
        slot_start=slot_start,
        message=_clean_text(message),
        expires_at=expires_at,
    )
    meeting.full_clean(validate_constraints=False)
    try:
        with transaction.atomic():  # a savepoint: the race's loser gets a clear answer
            meeting.save()
            MeetingBooking.objects.bulk_create(
                [
                    MeetingBooking(meeting=meeting, registration=own, slot_start=slot_start),
                    MeetingBooking(meeting=meeting, registration=invitee, slot_start=slot_start),
                ]
            )
    except IntegrityError as exc:
        raise ValidationError(
            {"slot_start": _("This slot is already taken for you or for this person.")}
        ) from exc
    return meeting


def meeting_respond(
    *, meeting: Meeting, person: Person, action: str, now: datetime | None = None
) -> Meeting:
    """The invitee accepts or declines; either participant may cancel. A declined or
    cancelled meeting frees its slot. An answer after the expiry finds the request expired."""
    now = now or timezone.now()
    expire_meeting_requests(now, event=meeting.event)
    return _meeting_respond(meeting=meeting, person=person, action=action, now=now)


@transaction.atomic
def _meeting_respond(*, meeting: Meeting, person: Person, action: str, now: datetime) -> Meeting:
    current = (
        Meeting.objects.select_for_update()
        .select_related("requester", "invitee")
        .get(pk=meeting.pk)
    )
    is_invitee = current.invitee.person_id == person.pk
    is_requester = current.requester.person_id == person.pk
    if action in ("accept", "decline"):
        if not is_invitee:
            raise ValidationError(_("Only the person invited can answer this request."))
        if current.status != MeetingStatus.REQUESTED:
            raise ValidationError(
                _("This request is no longer open (%(status)s).")
                % {"status": current.get_status_display()}
            )
        if action == "accept":
            current.status = MeetingStatus.ACCEPTED
            current.responded_at = now
            current.save(update_fields=["status", "responded_at"])
        else:
            _close_meeting(current, MeetingStatus.DECLINED, now=now)
    elif action == "cancel":
        if not (is_invitee or is_requester):
            raise ValidationError(_("Only the participants can cancel this meeting."))
        if current.status not in HOLDING_STATUSES:
            raise ValidationError(_("This meeting is not open."))
        _close_meeting(current, MeetingStatus.CANCELLED, now=now)
    else:
        raise ValidationError({"action": _("Unknown action.")})
    return current
