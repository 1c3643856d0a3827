"""The event pages: registering, the ticket and its QR, the door, the attendance list,
the iCal feeds and the event form."""

from datetime import timedelta

import icalendar
import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from clusterhub.events.models import (
    CalendarFeed,
    Event,
    EventKind,
    EventVisibility,
    Registration,
    RegistrationStatus,
)
from clusterhub.events.services import check_in, registration_create

pytestmark = pytest.mark.django_db


def client_for(person=None):
    client = Client()
    if person is not None:
        client.force_login(person)
    return client


def test_the_list_shows_coming_events_and_filters_by_cluster(make_event, agrifood, mech):
    make_event(title="Agrifood camp", clusters=[agrifood])
    make_event(title="Mech webinar", clusters=[mech], kind=EventKind.WEBINAR)
    make_event(title="Old one", starts_in=timedelta(days=-30))

    page = client_for().get(reverse("events:list")).content.decode()
    filtered = client_for().get(reverse("events:list"), {"cluster": "mech"}).content.decode()
    past = client_for().get(reverse("events:list"), {"past": "on"}).content.decode()

    assert "Agrifood camp" in page and "Mech webinar" in page and "Old one" not in page
    assert "Mech webinar" in filtered and "Agrifood camp" not in filtered
    assert "Old one" in past


def test_htmx_gets_only_the_results(make_event):
    make_event(title="Agrifood camp")
    response = client_for().get(reverse("events:list"), HTTP_HX_REQUEST="true")
    assert "Agrifood camp" in response.content.decode()
    assert "<html" not in response.content.decode()


def test_a_member_registers_and_sees_the_ticket_with_its_qr(make_event, member):
    event = make_event(capacity=10)
    client = client_for(member)

    response = client.post(reverse("events:register", args=[event.pk]), follow=True)
    registration = Registration.objects.get(event=event, person=member)
    ticket = client.get(reverse("events:ticket", args=[event.pk])).content.decode()

    assert "You are registered" in response.content.decode()
    assert registration.status == RegistrationStatus.REGISTERED
    assert registration.display_code in ticket
    assert "<svg" in ticket


def test_the_last_seat_taken_puts_the_next_person_on_the_waiting_list(
    make_event, member, org_admin
):
    event = make_event(capacity=1)
    client_for(org_admin).post(reverse("events:register", args=[event.pk]))

    response = client_for(member).post(reverse("events:register", args=[event.pk]), follow=True)

    assert "waiting list" in response.content.decode()
    assert "number 1 on the waiting list" in response.content.decode()


def test_a_member_cancels_and_the_seat_goes_to_the_next_in_line(make_event, member, org_admin):
    event = make_event(capacity=1)
    registration_create(event=event, person=member)
    waiting = registration_create(event=event, person=org_admin)

    client_for(member).post(reverse("events:cancel", args=[event.pk]))

    waiting.refresh_from_db()
    assert waiting.status == RegistrationStatus.REGISTERED


def test_members_only_events_are_hidden_from_visitors(make_event, agrifood, member):
    event = make_event(clusters=[agrifood], visibility=EventVisibility.MEMBERS)
    assert client_for().get(reverse("events:detail", args=[event.pk])).status_code == 404
    assert client_for(member).get(reverse("events:detail", args=[event.pk])).status_code == 200


def test_the_door_checks_a_ticket_in_once_and_says_so_the_second_time(
    make_event, agrifood, member, manager
):
    event = make_event(clusters=[agrifood])
    registration = registration_create(event=event, person=member)
    door = reverse("events:door", args=[event.pk])
    client = client_for(manager)

    prefilled = client.get(door, {"code": registration.code}).content.decode()
    first = client.post(door, {"code": registration.display_code}).content.decode()
    second = client.post(door, {"code": registration.code.lower()}).content.decode()
    wrong = client.post(door, {"code": "<b>NOPE</b>"}).content.decode()

    assert f'value="{registration.code}"' in prefilled
    assert "Checked in. Welcome!" in first
    assert "Already checked in at" in second
    assert "No registration for this event has this code." in wrong
    assert "<b>NOPE" not in wrong
    registration.refresh_from_db()
    assert registration.checked_in_at is not None


def test_the_qr_of_the_ticket_opens_the_door_page_with_the_code(make_event, member, monkeypatch):
    from clusterhub.events import views

    event = make_event()
    registration = registration_create(event=event, person=member)
    encoded = []
    real_qr_svg = views.qr_svg
    monkeypatch.setattr(views, "qr_svg", lambda data: encoded.append(data) or real_qr_svg(data))

    client_for(member).get(reverse("events:ticket", args=[event.pk]))

    door = reverse("events:door", args=[event.pk])
    assert encoded == [f"http://testserver{door}?code={registration.code}"]


def test_a_row_of_the_attendance_list_checks_in_with_htmx(make_event, agrifood, member, manager):
    event = make_event(clusters=[agrifood])
    registration = registration_create(event=event, person=member)
    url = reverse("events:registration_check_in", args=[event.pk, registration.pk])

    response = client_for(manager).post(url, HTTP_HX_REQUEST="true")

    html = response.content.decode()
    assert html.lstrip().startswith(f'<tr id="registration-{registration.pk}"')
    assert "Checked in at" in html
    listing = client_for(manager).get(reverse("events:attendance", args=[event.pk]))
    assert listing.context["summary"].checked_in == 1


def test_a_manager_of_another_cluster_cannot_check_in_here(make_event, mech, member, manager):
    event = make_event(clusters=[mech])
    registration = registration_create(event=event, person=member)
    url = reverse("events:registration_check_in", args=[event.pk, registration.pk])
    assert client_for(manager).post(url).status_code == 404
    registration.refresh_from_db()
    assert registration.checked_in_at is None


def parse(content):
    return icalendar.Calendar.from_ical(content)


def test_the_cluster_feed_is_valid_icalendar_with_the_public_events(make_event, agrifood):
    make_event(
        title="Camp; with, commas\nand a <script>",
        clusters=[agrifood],
        location="Parma, Via Emilia 1",
    )
    make_event(title="Members only", clusters=[agrifood], visibility=EventVisibility.MEMBERS)
    make_event(title="Elsewhere")

    response = client_for().get(reverse("events:cluster_ics", args=["agrifood"]))

    assert response["Content-Type"].startswith("text/calendar")
    calendar = parse(response.content)
    events = calendar.walk("VEVENT")
    assert [str(e["SUMMARY"]) for e in events] == ["Camp; with, commas\nand a <script>"]
    assert str(events[0]["LOCATION"]) == "Parma, Via Emilia 1"
    assert events[0]["DTSTART"].dt.tzinfo is not None
    assert all(len(line) <= 75 for line in response.content.split(b"\r\n"))


def test_the_personal_feed_lists_the_persons_events_by_its_secret_address(make_event, member):
    mine = make_event(title="Mine")
    make_event(title="Not mine")
    registration_create(event=mine, person=member)
    client = client_for(member)
    client.post(reverse("events:feed_rotate"))
    token = CalendarFeed.objects.get(person=member).token

    feed = client_for().get(reverse("events:person_ics", args=[token]))
    client.post(reverse("events:feed_rotate"))  # a new address; the old one stops
    old = client_for().get(reverse("events:person_ics", args=[token]))

    assert [str(e["SUMMARY"]) for e in parse(feed.content).walk("VEVENT")] == ["Mine"]
    assert old.status_code == 404
    assert CalendarFeed.objects.get(person=member).token != token


def test_a_manager_creates_an_event_of_their_cluster(manager, agrifood):
    starts = (timezone.localtime() + timedelta(days=10)).replace(second=0, microsecond=0)
    data = {
        "title": "Learning camp <em>packaging</em>",
        "kind": "learning_camp",
        "status": "published",
        "visibility": "members",
        "starts_at": starts.strftime("%Y-%m-%dT%H:%M"),
        "ends_at": (starts + timedelta(hours=4)).strftime("%Y-%m-%dT%H:%M"),
        "location": "Parma",
        "capacity": "30",
        "description": "Line one\x07\nline two",
        "clusters": [agrifood.pk],
        "meeting_minutes": "20",
        "request_ttl_hours": "48",
    }
    response = client_for(manager).post(reverse("events:create"), data, follow=True)

    event = Event.objects.get()
    assert list(event.clusters.all()) == [agrifood]
    assert event.created_by == manager
    assert event.description == "Line one\nline two"
    page = response.content.decode()
    assert "Learning camp &lt;em&gt;packaging&lt;/em&gt;" in page


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"clusters": []}, "Choose at least one of the clusters you manage."),
        ({"ends_at": "2020-01-01T10:00"}, "The event must end after it starts."),
        ({"capacity": "0"}, "greater than or equal to 1"),
        ({"title": "x" * 201}, "at most 200 characters"),
    ],
)
def test_the_event_form_names_each_problem_and_saves_nothing(manager, agrifood, change, message):
    starts = timezone.localtime() + timedelta(days=10)
    data = {
        "title": "Workshop",
        "kind": "workshop",
        "status": "published",
        "visibility": "public",
        "starts_at": starts.strftime("%Y-%m-%dT%H:%M"),
        "ends_at": (starts + timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M"),
        "clusters": [agrifood.pk],
        "meeting_minutes": "20",
        "request_ttl_hours": "48",
        **change,
    }
    response = client_for(manager).post(reverse("events:create"), data)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Event.objects.exists()


def test_a_manager_cannot_file_an_event_under_another_cluster(manager, mech):
    starts = timezone.localtime() + timedelta(days=10)
    data = {
        "title": "Workshop",
        "kind": "workshop",
        "status": "published",
        "visibility": "public",
        "starts_at": starts.strftime("%Y-%m-%dT%H:%M"),
        "ends_at": (starts + timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M"),
        "clusters": [mech.pk],
        "meeting_minutes": "20",
        "request_ttl_hours": "48",
    }
    response = client_for(manager).post(reverse("events:create"), data)
    assert "Select a valid choice" in response.content.decode()
    assert not Event.objects.exists()


def test_the_b2b_page_lets_a_participant_request_and_the_other_accept(make_event, make_person):
    starts = (timezone.now() + timedelta(days=2)).replace(minute=0, second=0, microsecond=0)
    event = make_event(kind=EventKind.B2B, starts_in=starts - timezone.now(), hours=1)
    anna, bruno = make_person(), make_person()
    registration_create(event=event, person=anna)
    bruno_seat = registration_create(event=event, person=bruno)
    first_slot = next(event.meeting_slots())

    page = client_for(anna).get(reverse("events:b2b", args=[event.pk])).content.decode()
    assert f'value="{first_slot.isoformat()}"' in page
    client_for(anna).post(
        reverse("events:meeting_request", args=[event.pk]),
        {"invitee": bruno_seat.pk, "slot_start": first_slot.isoformat(), "message": "Packaging"},
    )
    meeting = bruno_seat.meetings_invited.get()
    client_for(bruno).post(
        reverse("events:meeting_respond", args=[event.pk, meeting.pk]), {"action": "accept"}
    )

    meeting.refresh_from_db()
    assert meeting.status == "accepted"
    agenda = client_for(bruno).get(reverse("events:b2b", args=[event.pk])).content.decode()
    assert "Packaging" in agenda and "Accepted" in agenda


def test_my_events_lists_registrations_and_attendance(make_event, member, manager):
    event = make_event(title="Camp")
    registration = registration_create(event=event, person=member)
    check_in(event=event, code=registration.code, actor=manager)
    page = client_for(member).get(reverse("events:mine")).content.decode()
    assert "Camp" in page and "Attended" in page
    # An attended event leads to its feedback form (the performance account's source).
    assert reverse("assessment:feedback", args=[event.pk]) in page
