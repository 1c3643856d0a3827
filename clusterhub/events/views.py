"""Thin views of events: parse the request, call one selector or service, render."""

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from clusterhub.core.access import Policy, access
from clusterhub.events.calendar import calendar_for, qr_svg
from clusterhub.events.forms import CheckInForm, EventFilterForm, EventForm, MeetingRequestForm
from clusterhub.events.models import (
    Event,
    EventStatus,
    MeetingBooking,
    Registration,
    RegistrationStatus,
)
from clusterhub.events.selectors import (
    EventFilters,
    attendance_list,
    attendance_summary,
    b2b_participants,
    busy_slots,
    can_manage_event,
    cluster_events,
    cluster_for_feed,
    event_get_for_manager,
    event_get_for_viewer,
    event_list,
    feed_events,
    feed_of,
    meeting_get_for_participant,
    meetings_of,
    registration_get_for_manager,
    registration_get_for_person,
    registration_of,
    registrations_of,
    seats_taken,
    waitlist_position,
)
from clusterhub.events.services import (
    EVENT_FIELDS,
    check_in,
    check_in_registration,
    event_save,
    expire_meeting_requests,
    feed_get_or_create,
    feed_reset,
    meeting_request,
    meeting_respond,
    registration_cancel,
    registration_create,
)
from clusterhub.registry.selectors import clusters_managed_by

EVENTS_PER_PAGE = 20


def _message_of(error: ValidationError) -> str:
    return " ".join(str(message) for message in error.messages)


def _partial(request: HttpRequest) -> bool:
    return bool(request.htmx) and not request.htmx.history_restore_request


@access(Policy.PUBLIC)
def event_list_view(request: HttpRequest) -> HttpResponse:
    form = EventFilterForm(request.GET or None)
    filters = EventFilters()
    if form.is_bound and form.is_valid():
        filters = EventFilters(
            cluster=form.cleaned_data["cluster"],
            kind=form.cleaned_data["kind"],
            past=form.cleaned_data["past"],
        )
    page = Paginator(event_list(filters, viewer=request.user), EVENTS_PER_PAGE).get_page(
        request.GET.get("page")
    )
    context = {
        "form": form,
        "page": page,
        "filters": filters,
        "can_create": clusters_managed_by(request.user).exists(),
    }
    template = "events/_event_results.html" if _partial(request) else "events/event_list.html"
    response = render(request, template, context)
    patch_vary_headers(response, ("HX-Request",))
    return response


@access(Policy.PUBLIC)
def event_detail(request: HttpRequest, event_id: int) -> HttpResponse:
    event = event_get_for_viewer(event_id=event_id, viewer=request.user)
    registration = registration_of(event=event, person=request.user)
    taken = seats_taken(event)
    context = {
        "event": event,
        "registration": registration,
        "position": waitlist_position(registration) if registration else None,
        "seats_taken": taken,
        "seats_left": None if event.capacity is None else max(event.capacity - taken, 0),
        "can_manage": can_manage_event(request.user, event),
        "registration_open": event.status == EventStatus.PUBLISHED
        and event.starts_at > timezone.now(),
    }
    return render(request, "events/event_detail.html", context)


def _event_form(request: HttpRequest, event: Event | None) -> HttpResponse:
    user: Any = request.user
    managed = clusters_managed_by(user)
    if event is not None:
        # Keep the clusters of the event another manager chose, even those this one does not run.
        managed = (managed | event.clusters.all()).distinct()
    form = EventForm(
        request.POST or None,
        instance=event,
        clusters=managed,
        region_wide_allowed=user.is_regional_officer,
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            saved = event_save(
                event=event,
                actor=user,
                clusters=data["clusters"],
                s3_themes=data["s3_themes"],
                competences=data["competences"],
                **{name: data[name] for name in EVENT_FIELDS},
            )
        except ValidationError as error:
            for field, problems in error.message_dict.items():
                form.add_error(field if field in form.fields else None, problems)
        else:
            messages.success(request, _("The event was saved."))
            return redirect("events:detail", event_id=saved.pk)
    return render(request, "events/event_form.html", {"form": form, "event": event})


@access(Policy.MANAGER)
def event_create(request: HttpRequest) -> HttpResponse:
    return _event_form(request, None)


@access(Policy.MANAGER)
def event_edit(request: HttpRequest, event_id: int) -> HttpResponse:
    event = event_get_for_manager(event_id=event_id, user=request.user)
    return _event_form(request, event)


@require_POST
@access(Policy.AUTHENTICATED)
def register(request: HttpRequest, event_id: int) -> HttpResponse:
    event = event_get_for_viewer(event_id=event_id, viewer=request.user)
    try:
        registration = registration_create(event=event, person=request.user)  # type: ignore[arg-type]
    except ValidationError as error:
        messages.error(request, _message_of(error))
    else:
        if registration.status == RegistrationStatus.WAITLISTED:
            messages.warning(
                request,
                _(
                    "The event is full: you are on the waiting list. A freed seat goes to the "
                    "first in line, and your ticket will show it."
                ),
            )
        else:
            messages.success(request, _("You are registered. Your ticket is below."))
    return redirect("events:detail", event_id=event.pk)


@require_POST
@access(Policy.AUTHENTICATED)
def cancel(request: HttpRequest, event_id: int) -> HttpResponse:
    registration = registration_get_for_person(event_id=event_id, person=request.user)
    try:
        registration_cancel(registration=registration)
    except ValidationError as error:
        messages.error(request, _message_of(error))
    else:
        messages.success(request, _("Your registration was cancelled."))
    return redirect("events:detail", event_id=event_id)


def _check_in_url(request: HttpRequest, registration: Registration) -> str:
    url = reverse("events:door", kwargs={"event_id": registration.event_id})
    return request.build_absolute_uri(f"{url}?code={registration.code}")


@access(Policy.AUTHENTICATED)
def ticket(request: HttpRequest, event_id: int) -> HttpResponse:
    registration = registration_get_for_person(event_id=event_id, person=request.user)
    context = {
        "registration": registration,
        "event": registration.event,
        "position": waitlist_position(registration),
        "qr": qr_svg(_check_in_url(request, registration)),
    }
    return render(request, "events/ticket.html", context)


@access(Policy.AUTHENTICATED)
def my_events(request: HttpRequest) -> HttpResponse:
    feed = feed_of(request.user)
    context = {
        "registrations": registrations_of(request.user)[:100],
        "feed_url": request.build_absolute_uri(
            reverse("events:person_ics", kwargs={"token": feed.token})
        )
        if feed
        else "",
    }
    return render(request, "events/my_events.html", context)


@require_POST
@access(Policy.AUTHENTICATED)
def feed_rotate(request: HttpRequest) -> HttpResponse:
    """Create the private feed, or give it a new secret address (the old one stops)."""
    if feed_of(request.user) is None:
        feed_get_or_create(person=request.user)  # type: ignore[arg-type]
        messages.success(request, _("Your private calendar address is ready."))
    else:
        feed_reset(person=request.user)  # type: ignore[arg-type]
        messages.success(request, _("Your calendar has a new address; the old one stopped."))
    return redirect("events:mine")


def _ics_response(body: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    response["Cache-Control"] = "private, max-age=300"
    return response


@access(Policy.PUBLIC)
def cluster_ics(request: HttpRequest, slug: str) -> HttpResponse:
    cluster = cluster_for_feed(slug)
    events = cluster_events(cluster=cluster, viewer=request.user)
    body = calendar_for(
        events,
        name=f"{cluster.name} · clusterhub",
        url_of=lambda event: request.build_absolute_uri(
            reverse("events:detail", kwargs={"event_id": event.pk})
        ),
        host=request.get_host().split(":")[0],
    )
    return _ics_response(body, f"{cluster.slug}.ics")


@access(Policy.PUBLIC)
def person_ics(request: HttpRequest, token: str) -> HttpResponse:
    """A person's events; the token in the address is the only key (calendar apps sign in
    to nothing)."""
    _person, events = feed_events(token)
    body = calendar_for(
        events,
        name=_("My events · clusterhub"),
        url_of=lambda event: request.build_absolute_uri(
            reverse("events:detail", kwargs={"event_id": event.pk})
        ),
        host=request.get_host().split(":")[0],
    )
    response = _ics_response(body, "my-events.ics")
    response["X-Robots-Tag"] = "noindex"
    return response


# --- Managers: attendance and the door -------------------------------------------------------


@access(Policy.MANAGER)
def attendance(request: HttpRequest, event_id: int) -> HttpResponse:
    event = event_get_for_manager(event_id=event_id, user=request.user)
    context = {
        "event": event,
        "registrations": attendance_list(event),
        "summary": attendance_summary(event),
    }
    return render(request, "events/attendance.html", context)


@access(Policy.MANAGER)
def door(request: HttpRequest, event_id: int) -> HttpResponse:
    """The door: type or scan a ticket's code (its QR opens this page with the code in it)."""
    event = event_get_for_manager(event_id=event_id, user=request.user)
    result = None
    if request.method == "POST":
        form = CheckInForm(request.POST)
        if form.is_valid():
            try:
                result = check_in(event=event, code=form.cleaned_data["code"], actor=request.user)  # type: ignore[arg-type]
            except ValidationError as error:
                form.add_error("code", _message_of(error))
            else:
                form = CheckInForm()
    else:
        form = CheckInForm(initial={"code": request.GET.get("code", "")[:32]})
    context = {
        "event": event,
        "form": form,
        "result": result,
        "summary": attendance_summary(event),
    }
    return render(request, "events/door.html", context)


@require_POST
@access(Policy.MANAGER)
def registration_check_in(
    request: HttpRequest, event_id: int, registration_id: int
) -> HttpResponse:
    event = event_get_for_manager(event_id=event_id, user=request.user)
    registration = registration_get_for_manager(event=event, registration_id=registration_id)
    error = ""
    try:
        check_in_registration(registration=registration, actor=request.user)  # type: ignore[arg-type]
    except ValidationError as problem:
        error = _message_of(problem)
    if _partial(request):
        registration.refresh_from_db()
        return render(
            request,
            "events/_attendance_row.html",
            {"event": event, "registration": registration, "error": error},
        )
    if error:
        messages.error(request, error)
    return redirect("events:attendance", event_id=event.pk)


# --- B2B --------------------------------------------------------------------------------------


@access(Policy.AUTHENTICATED)
def b2b(request: HttpRequest, event_id: int) -> HttpResponse:
    """A B2B session for one participant: their agenda, requests in and out, and the other
    participants with the slots free for both."""
    event = event_get_for_viewer(event_id=event_id, viewer=request.user)
    if not event.is_b2b:
        raise Http404("Not a B2B session")
    expire_meeting_requests(event=event)
    own = registration_of(event=event, person=request.user)
    if own is None or own.status != RegistrationStatus.REGISTERED:
        messages.info(request, _("Register for the session to request meetings."))
        return redirect("events:detail", event_id=event.pk)
    participants = b2b_participants(event=event, exclude=own)
    mine = busy_slots([own])
    slots = list(event.meeting_slots())
    theirs: dict[int, set[Any]] = {}
    for registration_id, slot in MeetingBooking.objects.filter(
        registration__in=participants
    ).values_list("registration_id", "slot_start"):
        theirs.setdefault(registration_id, set()).add(slot)
    rows = [
        {
            "registration": participant,
            "free": [s for s in slots if s not in mine and s not in theirs.get(participant.pk, ())],
        }
        for participant in participants
    ]
    context = {
        "event": event,
        "own": own,
        "meetings": meetings_of(own),
        "rows": rows,
    }
    return render(request, "events/b2b.html", context)


@require_POST
@access(Policy.AUTHENTICATED)
def meeting_request_view(request: HttpRequest, event_id: int) -> HttpResponse:
    event = event_get_for_viewer(event_id=event_id, viewer=request.user)
    form = MeetingRequestForm(request.POST, slots=list(event.meeting_slots()))
    if not form.is_valid():
        messages.error(request, _("Choose a person and one of the session's time slots."))
        return redirect("events:b2b", event_id=event.pk)
    invitee = Registration.objects.filter(event=event, pk=form.cleaned_data["invitee"]).first()
    if invitee is None:
        raise Http404("No such participant")
    try:
        meeting_request(
            event=event,
            requester=request.user,  # type: ignore[arg-type]
            invitee=invitee,
            slot_start=form.cleaned_data["slot_start"],
            message=form.cleaned_data["message"],
        )
    except ValidationError as error:
        messages.error(request, _message_of(error))
    else:
        messages.success(request, _("Request sent. The slot is held until it is answered."))
    return redirect("events:b2b", event_id=event.pk)


@require_POST
@access(Policy.AUTHENTICATED)
def meeting_respond_view(request: HttpRequest, event_id: int, meeting_id: int) -> HttpResponse:
    event = event_get_for_viewer(event_id=event_id, viewer=request.user)
    meeting = meeting_get_for_participant(event=event, meeting_id=meeting_id, person=request.user)
    try:
        meeting_respond(
            meeting=meeting,
            person=request.user,  # type: ignore[arg-type]
            action=request.POST.get("action", ""),
        )
    except ValidationError as error:
        messages.error(request, _message_of(error))
    return redirect("events:b2b", event_id=event.pk)
