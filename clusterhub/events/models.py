"""Events of the ecosystem: learning camps, workshops, webinars, B2B matchmaking sessions.

An event belongs to one or more clusters, or to none (a region-wide, cross-cluster event).
People register; when the seats are taken they join a waiting list, and a freed seat goes to
the first in line. Attendance is the check-in at the door, not the registration. At a B2B
session the registered participants request meetings with each other; a request holds a
time slot for both until it is answered or expires, and the database refuses a second
meeting in the same slot for anyone (`MeetingBooking`).
"""

import secrets
from collections.abc import Iterator
from datetime import datetime, timedelta

from django.conf import settings
from django.core.validators import MaxLengthValidator, MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from clusterhub.regions.models import Cluster, Competence, S3Theme
from clusterhub.registry.models import Organization

TITLE_MAX_LENGTH = 200
DESCRIPTION_MAX_LENGTH = 10_000
MESSAGE_MAX_LENGTH = 500
# Check-in codes avoid letters and digits that look alike (0/O, 1/I/L) when read aloud.
CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 8


def new_check_in_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def normalize_check_in_code(raw: str) -> str:
    """What a manager typed or a scanner sent, as stored: upper case, no spaces or dashes."""
    return "".join(ch for ch in str(raw).upper() if ch.isalnum())[: CODE_LENGTH * 2]


def new_feed_token() -> str:
    return secrets.token_urlsafe(32)


class EventKind(models.TextChoices):
    LEARNING_CAMP = "learning_camp", _("Learning camp")
    WORKSHOP = "workshop", _("Workshop")
    WEBINAR = "webinar", _("Webinar")
    B2B = "b2b", _("B2B matchmaking session")
    CONFERENCE = "conference", _("Conference")


class EventVisibility(models.TextChoices):
    PUBLIC = "public", _("Public")
    MEMBERS = "members", _("Members only")


class EventStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PUBLISHED = "published", _("Published")
    CANCELLED = "cancelled", _("Cancelled")


class Event(models.Model):
    title = models.CharField(_("title"), max_length=TITLE_MAX_LENGTH)
    description = models.TextField(
        _("description"), blank=True, validators=[MaxLengthValidator(DESCRIPTION_MAX_LENGTH)]
    )
    kind = models.CharField(_("kind"), max_length=20, choices=EventKind.choices)
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))
    location = models.CharField(_("location"), max_length=255, blank=True)
    online_url = models.URLField(_("online link"), max_length=500, blank=True)
    visibility = models.CharField(
        _("visibility"),
        max_length=10,
        choices=EventVisibility.choices,
        default=EventVisibility.PUBLIC,
    )
    # Null: no limit.
    capacity = models.PositiveIntegerField(
        _("seats"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(100_000)],
    )
    status = models.CharField(
        _("status"), max_length=10, choices=EventStatus.choices, default=EventStatus.DRAFT
    )
    # None: a region-wide event, open to every cluster.
    clusters = models.ManyToManyField(
        Cluster, verbose_name=_("clusters"), blank=True, related_name="events"
    )
    s3_themes = models.ManyToManyField(
        S3Theme, verbose_name=_("S3 themes"), blank=True, related_name="events"
    )
    competences = models.ManyToManyField(
        Competence, verbose_name=_("competences"), blank=True, related_name="events"
    )
    # B2B sessions: the length of one meeting, and how long a request may stay unanswered.
    meeting_minutes = models.PositiveSmallIntegerField(
        _("meeting length (minutes)"),
        default=20,
        validators=[MinValueValidator(5), MaxValueValidator(240)],
    )
    request_ttl_hours = models.PositiveSmallIntegerField(
        _("meeting requests expire after (hours)"),
        default=48,
        validators=[MinValueValidator(1), MaxValueValidator(24 * 30)],
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="events_created",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["starts_at", "id"]
        verbose_name = _("event")
        verbose_name_plural = _("events")
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=models.F("starts_at")), name="event_ends_after_start"
            ),
            models.CheckConstraint(
                condition=Q(capacity__isnull=True) | Q(capacity__gte=1),
                name="event_capacity_positive",
            ),
        ]
        indexes = [models.Index(fields=["status", "starts_at"], name="event_status_start")]

    def __str__(self) -> str:
        return self.title

    @property
    def is_b2b(self) -> bool:
        return self.kind == EventKind.B2B

    def meeting_slots(self) -> Iterator[datetime]:
        """Start times of the B2B meetings: every `meeting_minutes` while the event runs."""
        step = timedelta(minutes=self.meeting_minutes)
        start = self.starts_at
        while start + step <= self.ends_at:
            yield start
            start += step


class RegistrationStatus(models.TextChoices):
    REGISTERED = "registered", _("Registered")
    WAITLISTED = "waitlisted", _("On the waiting list")
    CANCELLED = "cancelled", _("Cancelled")


ACTIVE_REGISTRATION = ~Q(status=RegistrationStatus.CANCELLED)


class Registration(models.Model):
    """A person's place at an event (a seat, or a place in the waiting list).

    Attendance is `checked_in_at`, set at the door; the registration alone does not count.
    """

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="registrations")
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="event_registrations"
    )
    # The organization the person came for (engagement counts it there).
    organization = models.ForeignKey(
        Organization,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="event_registrations",
    )
    status = models.CharField(
        _("status"),
        max_length=12,
        choices=RegistrationStatus.choices,
        default=RegistrationStatus.REGISTERED,
    )
    # The waiting list is first come, first served: (created_at, id) is the order.
    created_at = models.DateTimeField(_("registered at"), auto_now_add=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    checked_in_at = models.DateTimeField(_("checked in at"), null=True, blank=True)
    checked_in_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    code = models.CharField(
        _("check-in code"), max_length=CODE_LENGTH, unique=True, default=new_check_in_code
    )

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("registration")
        verbose_name_plural = _("registrations")
        constraints = [
            models.UniqueConstraint(
                fields=["event", "person"],
                condition=ACTIVE_REGISTRATION,
                name="registration_one_active_per_person",
            ),
        ]
        indexes = [
            models.Index(fields=["event", "status", "created_at"], name="registration_queue"),
            models.Index(fields=["organization", "checked_in_at"], name="registration_attended"),
        ]

    def __str__(self) -> str:
        return f"{self.person} · {self.event}"

    @property
    def attended(self) -> bool:
        return self.checked_in_at is not None

    @property
    def display_code(self) -> str:
        return f"{self.code[:4]}-{self.code[4:]}"


class CalendarFeed(models.Model):
    """A person's private iCal feed: its URL carries an unguessable token, reset at will."""

    person = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="event_feed"
    )
    token = models.CharField(max_length=64, unique=True, default=new_feed_token)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("calendar feed")
        verbose_name_plural = _("calendar feeds")

    def __str__(self) -> str:
        return f"{self.person} · {self.token[:6]}…"


class MeetingStatus(models.TextChoices):
    REQUESTED = "requested", _("Requested")
    ACCEPTED = "accepted", _("Accepted")
    DECLINED = "declined", _("Declined")
    EXPIRED = "expired", _("Expired")
    CANCELLED = "cancelled", _("Cancelled")


# A meeting in one of these states holds its slot for both participants.
HOLDING_STATUSES = (MeetingStatus.REQUESTED, MeetingStatus.ACCEPTED)


class Meeting(models.Model):
    """A B2B meeting one participant asks another for, in one slot of the session."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="meetings")
    requester = models.ForeignKey(
        Registration, on_delete=models.CASCADE, related_name="meetings_requested"
    )
    invitee = models.ForeignKey(
        Registration, on_delete=models.CASCADE, related_name="meetings_invited"
    )
    slot_start = models.DateTimeField(_("time slot"))
    message = models.CharField(_("message"), max_length=MESSAGE_MAX_LENGTH, blank=True, default="")
    status = models.CharField(
        _("status"), max_length=10, choices=MeetingStatus.choices, default=MeetingStatus.REQUESTED
    )
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField(_("expires at"))
    responded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["slot_start", "id"]
        verbose_name = _("B2B meeting")
        verbose_name_plural = _("B2B meetings")
        constraints = [
            models.CheckConstraint(
                condition=~Q(requester=models.F("invitee")), name="meeting_not_with_oneself"
            ),
            models.UniqueConstraint(
                fields=["requester", "invitee"],
                condition=Q(status__in=HOLDING_STATUSES),
                name="meeting_one_open_per_pair",
            ),
        ]
        indexes = [models.Index(fields=["status", "expires_at"], name="meeting_expiry")]

    def __str__(self) -> str:
        return f"{self.requester.person} → {self.invitee.person} · {self.slot_start:%H:%M}"


class MeetingBooking(models.Model):
    """One participant's slot taken by a meeting: one row each for requester and invitee.

    The unique (registration, slot) pair is what makes double booking impossible, whatever
    the races between requests. Rows go away when the meeting is declined, expires or is
    cancelled, which frees the slot.
    """

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="bookings")
    registration = models.ForeignKey(
        Registration, on_delete=models.CASCADE, related_name="bookings"
    )
    slot_start = models.DateTimeField()

    class Meta:
        verbose_name = _("slot booking")
        verbose_name_plural = _("slot bookings")
        constraints = [
            models.UniqueConstraint(
                fields=["registration", "slot_start"], name="booking_one_meeting_per_slot"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.registration} · {self.slot_start:%H:%M}"
