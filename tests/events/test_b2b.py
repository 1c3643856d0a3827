"""B2B sessions: requests hold a slot for both people, expire when unanswered, and nobody
ever has two meetings in one slot."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from clusterhub.events.models import EventKind, Meeting, MeetingBooking, MeetingStatus
from clusterhub.events.selectors import free_slots
from clusterhub.events.services import (
    expire_meeting_requests,
    meeting_request,
    meeting_respond,
    registration_cancel,
    registration_create,
)
from tests.events.concurrency import postgresql_only, run_at_once

pytestmark = pytest.mark.django_db


@pytest.fixture
def session(make_event):
    """A B2B session of two hours, tomorrow at 9:00 UTC, with 30-minute meetings."""
    starts = (timezone.now() + timedelta(days=1)).replace(hour=9, minute=0, second=0, microsecond=0)
    return make_event(
        kind=EventKind.B2B,
        title="B2B agrifood",
        starts_in=starts - timezone.now(),
        hours=2,
        meeting_minutes=30,
        request_ttl_hours=24,
    )


@pytest.fixture
def people(session, make_person):
    """Three participants with a seat: (person, registration) each."""
    found = []
    for _ in range(3):
        person = make_person()
        found.append((person, registration_create(event=session, person=person)))
    return found


def slot(session, index):
    return list(session.meeting_slots())[index]


def test_the_session_is_cut_into_slots_of_the_meeting_length(session):
    slots = list(session.meeting_slots())
    assert len(slots) == 4
    assert slots[1] - slots[0] == timedelta(minutes=30)


def test_a_request_holds_the_slot_for_both_people(session, people):
    (anna, anna_seat), (bruno, bruno_seat), _ = people

    meeting = meeting_request(
        event=session, requester=anna, invitee=bruno_seat, slot_start=slot(session, 0)
    )

    assert meeting.status == MeetingStatus.REQUESTED
    assert slot(session, 0) not in free_slots(session, anna_seat)
    assert slot(session, 0) not in free_slots(session, bruno_seat)


def test_nobody_is_booked_twice_in_one_slot(session, people):
    (anna, _), (bruno, bruno_seat), (carla, carla_seat) = people
    meeting_request(event=session, requester=anna, invitee=bruno_seat, slot_start=slot(session, 0))

    with pytest.raises(ValidationError, match="already taken"):
        # Bruno is busy then, asked by Carla.
        meeting_request(
            event=session, requester=carla, invitee=bruno_seat, slot_start=slot(session, 0)
        )
    with pytest.raises(ValidationError, match="already taken"):
        # Anna is busy then, asking Carla.
        meeting_request(
            event=session, requester=anna, invitee=carla_seat, slot_start=slot(session, 0)
        )
    assert Meeting.objects.count() == 1
    assert MeetingBooking.objects.count() == 2


def test_the_database_itself_refuses_a_double_booking(session, people):
    (anna, _), (bruno, bruno_seat), (_, carla_seat) = people
    meeting = meeting_request(
        event=session, requester=anna, invitee=bruno_seat, slot_start=slot(session, 1)
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        MeetingBooking.objects.create(
            meeting=meeting, registration=bruno_seat, slot_start=slot(session, 1)
        )


def test_the_invitee_accepts_and_the_slot_stays_taken(session, people):
    (anna, anna_seat), (bruno, bruno_seat), _ = people
    meeting = meeting_request(
        event=session, requester=anna, invitee=bruno_seat, slot_start=slot(session, 2)
    )

    accepted = meeting_respond(meeting=meeting, person=bruno, action="accept")

    assert accepted.status == MeetingStatus.ACCEPTED
    assert slot(session, 2) not in free_slots(session, anna_seat)
    assert MeetingBooking.objects.filter(meeting=meeting).count() == 2


def test_only_the_invitee_answers_a_request(session, people):
    (anna, _), (bruno, bruno_seat), (carla, _) = people
    meeting = meeting_request(
        event=session, requester=anna, invitee=bruno_seat, slot_start=slot(session, 0)
    )
    for someone in (anna, carla):
        with pytest.raises(ValidationError, match="Only the person invited"):
            meeting_respond(meeting=meeting, person=someone, action="accept")


def test_a_declined_request_frees_the_slot(session, people):
    (anna, anna_seat), (bruno, bruno_seat), (carla, _) = people
    meeting = meeting_request(
        event=session, requester=anna, invitee=bruno_seat, slot_start=slot(session, 0)
    )
    meeting_respond(meeting=meeting, person=bruno, action="decline")

    assert slot(session, 0) in free_slots(session, anna_seat, bruno_seat)
    again = meeting_request(
        event=session, requester=carla, invitee=bruno_seat, slot_start=slot(session, 0)
    )
    assert again.status == MeetingStatus.REQUESTED


def test_an_unanswered_request_expires_and_frees_the_slot(session, people):
    (anna, _), (bruno, bruno_seat), (carla, _) = people
    meeting = meeting_request(
        event=session, requester=anna, invitee=bruno_seat, slot_start=slot(session, 3)
    )
    assert meeting.expires_at <= slot(session, 3)

    assert expire_meeting_requests(meeting.expires_at - timedelta(seconds=1)) == 0
    assert expire_meeting_requests(meeting.expires_at) == 1

    meeting.refresh_from_db()
    assert meeting.status == MeetingStatus.EXPIRED
    assert not MeetingBooking.objects.filter(meeting=meeting).exists()
    with pytest.raises(ValidationError, match="no longer open"):
        meeting_respond(meeting=meeting, person=bruno, action="accept")
    # The slot is Carla's to ask for now.
    meeting_request(event=session, requester=carla, invitee=bruno_seat, slot_start=slot(session, 3))


def test_a_request_expires_after_its_time_to_live(session, people):
    (anna, _), (bruno, bruno_seat), _ = people
    asked_at = session.starts_at - timedelta(days=3)
    meeting = meeting_request(
        event=session,
        requester=anna,
        invitee=bruno_seat,
        slot_start=slot(session, 0),
        now=asked_at,
    )
    assert meeting.expires_at == asked_at + timedelta(hours=24)


def test_answering_late_finds_the_request_expired(session, people):
    (anna, _), (bruno, bruno_seat), _ = people
    meeting = meeting_request(
        event=session, requester=anna, invitee=bruno_seat, slot_start=slot(session, 0)
    )
    with pytest.raises(ValidationError, match="no longer open"):
        meeting_respond(meeting=meeting, person=bruno, action="accept", now=meeting.expires_at)
    meeting.refresh_from_db()
    assert meeting.status == MeetingStatus.EXPIRED


def test_cancelling_the_registration_cancels_the_meetings(session, people):
    (anna, anna_seat), (bruno, bruno_seat), _ = people
    meeting = meeting_request(
        event=session, requester=anna, invitee=bruno_seat, slot_start=slot(session, 0)
    )
    registration_cancel(registration=anna_seat)
    meeting.refresh_from_db()
    assert meeting.status == MeetingStatus.CANCELLED
    assert slot(session, 0) in free_slots(session, bruno_seat)


@pytest.mark.parametrize(
    ("case", "message"),
    [
        ("self", "yourself"),
        ("not a slot", "not a time slot"),
        ("twice", "already have a request"),
    ],
)
def test_it_refuses_requests_that_make_no_sense(session, people, case, message):
    (anna, anna_seat), (bruno, bruno_seat), _ = people
    if case == "twice":
        meeting_request(
            event=session, requester=anna, invitee=bruno_seat, slot_start=slot(session, 0)
        )
    invitee = anna_seat if case == "self" else bruno_seat
    start = slot(session, 1) + timedelta(minutes=7) if case == "not a slot" else slot(session, 1)
    with pytest.raises(ValidationError, match=message):
        meeting_request(event=session, requester=anna, invitee=invitee, slot_start=start)


def test_people_on_the_waiting_list_cannot_request_meetings(make_event, make_person):
    event = make_event(kind=EventKind.B2B, capacity=1)
    seated = registration_create(event=event, person=make_person())
    waiting_person = make_person()
    registration_create(event=event, person=waiting_person)
    with pytest.raises(ValidationError, match="Only participants with a seat"):
        meeting_request(
            event=event,
            requester=waiting_person,
            invitee=seated,
            slot_start=next(event.meeting_slots()),
        )


@postgresql_only
@pytest.mark.django_db(transaction=True)
def test_concurrent_requests_for_one_slot_book_it_once(
    region_preset_after_flush, make_event, make_person
):
    starts = (timezone.now() + timedelta(days=1)).replace(minute=0, second=0, microsecond=0)
    event = make_event(kind=EventKind.B2B, starts_in=starts - timezone.now(), hours=1)
    wanted = registration_create(event=event, person=make_person())
    askers = [make_person() for _ in range(6)]
    for person in askers:
        registration_create(event=event, person=person)
    first_slot = next(event.meeting_slots())

    errors = run_at_once(
        lambda i: meeting_request(
            event=event, requester=askers[i], invitee=wanted, slot_start=first_slot
        ),
        6,
    )

    assert len(errors) == 5
    assert all("already taken" in str(error) for error in errors)
    assert MeetingBooking.objects.filter(registration=wanted, slot_start=first_slot).count() == 1
