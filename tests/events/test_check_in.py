"""Check-in at the door: attendance is what counts, and doing it twice changes nothing."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from clusterhub.events.selectors import attendance_of
from clusterhub.events.services import (
    check_in,
    check_in_registration,
    registration_cancel,
    registration_create,
)
from tests.events.concurrency import postgresql_only, run_at_once

pytestmark = pytest.mark.django_db


def test_it_checks_a_person_in_by_the_code_of_their_ticket(make_event, member, manager):
    event = make_event()
    registration = registration_create(event=event, person=member)

    result = check_in(event=event, code=registration.code, actor=manager)

    assert result.already is False
    assert result.registration.pk == registration.pk
    assert result.registration.checked_in_at is not None
    assert result.registration.checked_in_by == manager


def test_the_code_may_be_typed_in_lower_case_with_a_dash(make_event, member, manager):
    event = make_event()
    registration = registration_create(event=event, person=member)
    typed = f" {registration.code[:4].lower()}-{registration.code[4:].lower()} "

    assert check_in(event=event, code=typed, actor=manager).registration.pk == registration.pk


def test_checking_in_twice_answers_the_time_of_the_first_check_in(make_event, member, manager):
    event = make_event()
    registration = registration_create(event=event, person=member)
    first = check_in(event=event, code=registration.code, actor=manager)

    second = check_in(event=event, code=registration.code, actor=manager)
    from_the_list = check_in_registration(registration=registration, actor=manager)

    assert second.already is True
    assert from_the_list.already is True
    assert second.registration.checked_in_at == first.registration.checked_in_at
    assert from_the_list.registration.checked_in_at == first.registration.checked_in_at


@pytest.mark.parametrize(
    ("code", "message"),
    [("", "Type or scan"), ("NOPE2345", "No registration for this event")],
)
def test_it_names_the_problem_with_a_wrong_code(make_event, manager, code, message):
    with pytest.raises(ValidationError, match=message):
        check_in(event=make_event(), code=code, actor=manager)


def test_a_code_of_another_event_does_not_check_in_here(make_event, member, manager):
    registration = registration_create(event=make_event(title="One"), person=member)
    with pytest.raises(ValidationError, match="No registration for this event"):
        check_in(event=make_event(title="Other"), code=registration.code, actor=manager)


def test_a_person_on_the_waiting_list_or_cancelled_is_not_checked_in(
    make_event, make_person, manager
):
    event = make_event(capacity=1)
    seat = registration_create(event=event, person=make_person())
    waiting = registration_create(event=event, person=make_person())
    with pytest.raises(ValidationError, match="waiting list"):
        check_in(event=event, code=waiting.code, actor=manager)

    registration_cancel(registration=waiting)
    with pytest.raises(ValidationError, match="cancelled"):
        check_in(event=event, code=waiting.code, actor=manager)
    seat.refresh_from_db()
    assert seat.checked_in_at is None


def test_a_checked_in_registration_can_no_longer_be_cancelled(make_event, member, manager):
    event = make_event()
    registration = registration_create(event=event, person=member)
    check_in(event=event, code=registration.code, actor=manager)
    with pytest.raises(ValidationError, match="checked in"):
        registration_cancel(registration=registration)


def test_attendance_counts_check_ins_not_registrations(
    make_event, make_person, member_org, manager
):
    since = timezone.now()
    event = make_event()
    other = make_event(title="Second", starts_in=timedelta(days=9))
    came = registration_create(event=event, person=make_person())
    registration_create(event=event, person=make_person())  # registered, never came
    also_came = registration_create(event=other, person=make_person())
    check_in(event=event, code=came.code, actor=manager)
    check_in(event=other, code=also_came.code, actor=manager)

    counts = attendance_of(member_org, since)

    assert (counts.registrations, counts.attended, counts.events_attended) == (3, 2, 2)
    assert attendance_of(member_org, since + timedelta(days=8)).attended == 1


@postgresql_only
@pytest.mark.django_db(transaction=True)
def test_simultaneous_check_ins_of_one_ticket_record_one_time(
    region_preset_after_flush, make_event, member, manager
):
    event = make_event()
    registration = registration_create(event=event, person=member)
    results = []

    errors = run_at_once(
        lambda i: results.append(check_in(event=event, code=registration.code, actor=manager)), 5
    )

    assert errors == []
    assert sorted(result.already for result in results) == [False, True, True, True, True]
    assert len({result.registration.checked_in_at for result in results}) == 1
