"""Registration: seats while there are some, then the waiting list, first come first served."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from clusterhub.events.models import EventStatus, Registration, RegistrationStatus
from clusterhub.events.services import event_save, registration_cancel, registration_create
from tests.events.concurrency import postgresql_only, run_at_once
from tests.factories import PersonFactory

pytestmark = pytest.mark.django_db


def test_it_gives_seats_until_the_capacity_then_puts_people_on_the_waiting_list(
    make_event, make_person
):
    event = make_event(capacity=2)
    first, second, third = (
        registration_create(event=event, person=make_person()) for _ in range(3)
    )

    assert [first.status, second.status, third.status] == [
        RegistrationStatus.REGISTERED,
        RegistrationStatus.REGISTERED,
        RegistrationStatus.WAITLISTED,
    ]


def test_an_event_without_capacity_has_no_waiting_list(make_event, make_person):
    event = make_event(capacity=None)
    statuses = {registration_create(event=event, person=make_person()).status for _ in range(5)}
    assert statuses == {RegistrationStatus.REGISTERED}


def test_registering_again_returns_the_place_already_held(make_event, member):
    event = make_event(capacity=1)
    first = registration_create(event=event, person=member)
    again = registration_create(event=event, person=member)
    assert again.pk == first.pk
    assert Registration.objects.filter(event=event).count() == 1


def test_the_registration_counts_for_the_persons_organization(make_event, member, member_org):
    registration = registration_create(event=make_event(), person=member)
    assert registration.organization == member_org


def test_a_cancelled_seat_goes_to_the_first_in_line(make_event, make_person):
    event = make_event(capacity=1)
    holder = registration_create(event=event, person=make_person())
    first_in_line = registration_create(event=event, person=make_person())
    second_in_line = registration_create(event=event, person=make_person())

    promoted = registration_cancel(registration=holder)

    assert [r.pk for r in promoted] == [first_in_line.pk]
    first_in_line.refresh_from_db()
    second_in_line.refresh_from_db()
    holder.refresh_from_db()
    assert holder.status == RegistrationStatus.CANCELLED
    assert first_in_line.status == RegistrationStatus.REGISTERED
    assert second_in_line.status == RegistrationStatus.WAITLISTED


def test_leaving_the_waiting_list_promotes_nobody(make_event, make_person):
    event = make_event(capacity=1)
    registration_create(event=event, person=make_person())
    waiting = registration_create(event=event, person=make_person())
    behind = registration_create(event=event, person=make_person())

    assert registration_cancel(registration=waiting) == []
    behind.refresh_from_db()
    assert behind.status == RegistrationStatus.WAITLISTED


def test_a_person_who_cancelled_may_register_again_at_the_end_of_the_line(make_event, make_person):
    event = make_event(capacity=1)
    person = make_person()
    registration_cancel(registration=registration_create(event=event, person=person))
    registration_create(event=event, person=make_person())

    again = registration_create(event=event, person=person)

    assert again.status == RegistrationStatus.WAITLISTED
    assert Registration.objects.filter(event=event, person=person).count() == 2


def test_more_seats_go_to_the_waiting_list_in_order(make_event, make_person, officer):
    event = make_event(capacity=1)
    registration_create(event=event, person=make_person())
    waiting = [registration_create(event=event, person=make_person()) for _ in range(3)]

    event_save(event=event, actor=officer, clusters=[], capacity=3)

    statuses = [Registration.objects.get(pk=r.pk).status for r in waiting]
    assert statuses == [
        RegistrationStatus.REGISTERED,
        RegistrationStatus.REGISTERED,
        RegistrationStatus.WAITLISTED,
    ]


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"status": EventStatus.DRAFT}, "not open for registration"),
        ({"status": EventStatus.CANCELLED}, "not open for registration"),
        ({"starts_in": timedelta(hours=-1)}, "already started"),
    ],
)
def test_it_refuses_registrations_that_cannot_be_taken(make_event, member, fields, message):
    event = make_event(**fields)
    with pytest.raises(ValidationError, match=message):
        registration_create(event=event, person=member)
    assert not Registration.objects.filter(event=event).exists()


def test_the_database_refuses_a_second_active_registration(make_event, member):
    event = make_event()
    registration_create(event=event, person=member)
    with pytest.raises(IntegrityError), transaction.atomic():
        Registration.objects.create(event=event, person=member, code="ZZZZ2222")


def test_sequential_registrations_never_exceed_the_seats(make_event):
    event = make_event(capacity=5)
    for _ in range(12):
        registration_create(event=event, person=PersonFactory())
    seats = Registration.objects.filter(event=event, status=RegistrationStatus.REGISTERED)
    assert seats.count() == 5
    assert (
        Registration.objects.filter(event=event, status=RegistrationStatus.WAITLISTED).count() == 7
    )


@postgresql_only
@pytest.mark.django_db(transaction=True)
def test_concurrent_registrations_never_take_more_seats_than_there_are(
    region_preset_after_flush, make_event
):
    event = make_event(capacity=3)
    people = [PersonFactory() for _ in range(12)]

    errors = run_at_once(lambda i: registration_create(event=event, person=people[i]), 12)

    assert errors == []
    seats = Registration.objects.filter(event=event, status=RegistrationStatus.REGISTERED)
    waiting = Registration.objects.filter(event=event, status=RegistrationStatus.WAITLISTED)
    assert seats.count() == 3
    assert waiting.count() == 9


@postgresql_only
@pytest.mark.django_db(transaction=True)
def test_concurrent_cancellations_give_each_freed_seat_once(region_preset_after_flush, make_event):
    event = make_event(capacity=4)
    holders = [registration_create(event=event, person=PersonFactory()) for _ in range(4)]
    for _ in range(6):
        registration_create(event=event, person=PersonFactory())

    errors = run_at_once(lambda i: registration_cancel(registration=holders[i]), 4)

    assert errors == []
    assert (
        Registration.objects.filter(event=event, status=RegistrationStatus.REGISTERED).count() == 4
    )
    assert (
        Registration.objects.filter(event=event, status=RegistrationStatus.WAITLISTED).count() == 2
    )
