"""API of events: the list and one event, registering and cancelling, and for the managers of
an event, the check-in at the door and the attendance list."""

from datetime import datetime
from typing import Any

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema
from ninja.pagination import paginate
from ninja.responses import Status
from pydantic import ConfigDict

from clusterhub.api import BODY_ERRORS, ERRORS, ID, Page, auth_for
from clusterhub.core.access import Policy, access
from clusterhub.events.models import CODE_LENGTH, Event, EventKind, Registration
from clusterhub.events.selectors import (
    EventFilters,
    attendance_list,
    event_get_for_manager,
    event_get_for_viewer,
    event_list,
    registration_get_for_person,
    registration_of,
    seats_taken,
    waitlist_position,
)
from clusterhub.events.services import check_in, registration_cancel, registration_create

router = Router(tags=["events"])


class EventQuery(Schema):
    cluster: str = Field("", max_length=50, pattern=r"^[-a-zA-Z0-9_]*$", description="Slug")
    kind: EventKind | None = None
    past: bool = Field(False, description="Past events (latest first) instead of coming ones")

    def filters(self) -> EventFilters:
        return EventFilters(cluster=self.cluster, kind=self.kind or "", past=self.past)


class EventOut(Schema):
    id: int
    title: str
    kind: str
    status: str = Field(description="published or cancelled (draft for its managers)")
    visibility: str = Field(description="public, or members of its clusters only")
    starts_at: datetime
    ends_at: datetime
    location: str
    online_url: str
    capacity: int | None = Field(description="Seats; null: no limit")
    clusters: list[str] = Field(description="Slugs; empty for a region-wide event")

    @staticmethod
    def resolve_clusters(event: Event) -> list[str]:
        return [cluster.slug for cluster in event.clusters.all()]


class EventDetailOut(EventOut):
    description: str
    seats_taken: int
    s3_themes: list[str] = Field(description="S3 theme codes")
    competences: list[str] = Field(description="Competence codes")

    @staticmethod
    def resolve_seats_taken(event: Event) -> int:
        return seats_taken(event)

    @staticmethod
    def resolve_s3_themes(event: Event) -> list[str]:
        return [theme.code for theme in event.s3_themes.all()]

    @staticmethod
    def resolve_competences(event: Event) -> list[str]:
        return [competence.code for competence in event.competences.all()]


class RegistrationOut(Schema):
    id: int
    event_id: int
    status: str = Field(description="registered (a seat) or waitlisted; cancelled after DELETE")
    waitlist_position: int | None = Field(description="1 for the first in line")
    created_at: datetime
    checked_in_at: datetime | None
    code: str = Field(description="Check-in code of the ticket (show it at the door)")

    @staticmethod
    def resolve_waitlist_position(registration: Registration) -> int | None:
        return waitlist_position(registration)


class CheckInIn(Schema):
    model_config = ConfigDict(extra="forbid")

    code: str = Field(
        ...,
        min_length=1,
        max_length=CODE_LENGTH * 2,
        pattern=r"^[-A-Za-z0-9 ]+$",
        description="The ticket's code, typed or scanned (dashes and spaces are ignored)",
    )


class AttendeeOut(Schema):
    registration_id: int
    person: str
    email: str
    organization_id: int | None
    organization: str
    status: str
    created_at: datetime
    checked_in_at: datetime | None


class CheckInOut(AttendeeOut):
    already: bool = Field(description="Checked in before: the time is that of the first check-in")


def _attendee(registration: Registration) -> dict[str, Any]:
    return {
        "registration_id": registration.pk,
        "person": str(registration.person),
        "email": registration.person.email,
        "organization_id": registration.organization_id,
        "organization": registration.organization.name if registration.organization else "",
        "status": registration.status,
        "created_at": registration.created_at,
        "checked_in_at": registration.checked_in_at,
    }


@router.get("/events", response={200: list[EventOut], **ERRORS}, auth=auth_for(Policy.PUBLIC))
@access(Policy.PUBLIC)
@paginate(Page)
def list_events(request: HttpRequest, filters: Query[EventQuery]) -> Any:
    """Coming events you may see (public ones to anyone, members-only ones to the members of
    their clusters), soonest first."""
    return event_list(filters.filters(), viewer=request.user)


@router.get(
    "/events/{event_id}", response={200: EventDetailOut, **ERRORS}, auth=auth_for(Policy.PUBLIC)
)
@access(Policy.PUBLIC)
def get_event(request: HttpRequest, event_id: int = ID) -> Event:
    """One event; 404 when you may not see it."""
    return event_get_for_viewer(event_id=event_id, viewer=request.user)


@router.post(
    "/events/{event_id}/registration",
    response={200: RegistrationOut, 201: RegistrationOut, **ERRORS},
    auth=auth_for(Policy.AUTHENTICATED),
)
@access(Policy.AUTHENTICATED)
def register_for_event(request: HttpRequest, event_id: int = ID) -> Status:
    """Register: a seat while there is one, else a place in the waiting list (`status`).
    201 for a new registration, 200 when you already held one (nothing changes)."""
    event = event_get_for_viewer(event_id=event_id, viewer=request.user)
    existing = registration_of(event=event, person=request.user)
    registration = registration_create(event=event, person=request.user)  # type: ignore[arg-type]
    return Status(200 if existing else 201, registration)


@router.get(
    "/events/{event_id}/registration",
    response={200: RegistrationOut, **ERRORS},
    auth=auth_for(Policy.AUTHENTICATED),
)
@access(Policy.AUTHENTICATED)
def get_my_registration(request: HttpRequest, event_id: int = ID) -> Registration:
    """Your registration (seat or waiting list) with its check-in code; 404 when none."""
    return registration_get_for_person(event_id=event_id, person=request.user)


@router.delete(
    "/events/{event_id}/registration",
    response={204: None, **ERRORS},
    auth=auth_for(Policy.AUTHENTICATED),
)
@access(Policy.AUTHENTICATED)
def cancel_registration(request: HttpRequest, event_id: int = ID) -> Status:
    """Cancel your registration; a freed seat goes to the first in the waiting list."""
    registration = registration_get_for_person(event_id=event_id, person=request.user)
    registration_cancel(registration=registration)
    return Status(204, None)


@router.post(
    "/events/{event_id}/check-in",
    response={200: CheckInOut, **BODY_ERRORS},
    auth=auth_for(Policy.MANAGER),
)
@access(Policy.MANAGER)
def check_in_attendee(request: HttpRequest, payload: CheckInIn, event_id: int = ID) -> Any:
    """Check a person in by their ticket's code (managers of the event's clusters, officers).
    Checking in twice is harmless: `already` is true and the time is the first one."""
    event = event_get_for_manager(event_id=event_id, user=request.user)
    result = check_in(event=event, code=payload.code, actor=request.user)  # type: ignore[arg-type]
    registration = Registration.objects.select_related("person", "organization").get(
        pk=result.registration.pk
    )
    return {**_attendee(registration), "already": result.already}


@router.get(
    "/events/{event_id}/attendance",
    response={200: list[AttendeeOut], **ERRORS},
    auth=auth_for(Policy.MANAGER),
)
@access(Policy.MANAGER)
@paginate(Page)
def event_attendance(request: HttpRequest, event_id: int = ID) -> Any:
    """Every registration of the event with its status and check-in time (attendance)."""
    event = event_get_for_manager(event_id=event_id, user=request.user)
    return [_attendee(registration) for registration in attendance_list(event)]
