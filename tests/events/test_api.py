"""The events API: registering, the check-in at the door and the attendance list."""

import json
from datetime import timedelta

import pytest
from django.test import Client

from clusterhub.events.models import Registration

pytestmark = pytest.mark.django_db


def client_for(person=None):
    client = Client()
    if person is not None:
        client.force_login(person)
    return client


def test_registering_answers_201_then_200_with_the_same_place(make_event, member):
    event = make_event(capacity=5)
    client = client_for(member)
    first = client.post(f"/api/events/{event.pk}/registration")
    again = client.post(f"/api/events/{event.pk}/registration")
    assert (first.status_code, again.status_code) == (201, 200)
    assert first.json()["id"] == again.json()["id"]
    assert first.json()["status"] == "registered"


def test_a_full_event_answers_a_waiting_list_position(make_event, member, org_admin):
    event = make_event(capacity=1)
    client_for(org_admin).post(f"/api/events/{event.pk}/registration")
    answer = client_for(member).post(f"/api/events/{event.pk}/registration").json()
    assert (answer["status"], answer["waitlist_position"]) == ("waitlisted", 1)


def test_registering_for_a_started_event_answers_422(make_event, member):
    event = make_event(starts_in=timedelta(minutes=-5))
    response = client_for(member).post(f"/api/events/{event.pk}/registration")
    assert response.status_code == 422
    assert "already started" in response.json()["detail"][0]["msg"]
    assert not Registration.objects.exists()


def test_check_in_through_the_api_is_idempotent(make_event, agrifood, member, manager):
    event = make_event(clusters=[agrifood])
    code = client_for(member).post(f"/api/events/{event.pk}/registration").json()["code"]
    client = client_for(manager)

    def check_in():
        return client.post(
            f"/api/events/{event.pk}/check-in",
            json.dumps({"code": code.lower()}),
            content_type="application/json",
        )

    first, second = check_in(), check_in()

    assert (first.status_code, second.status_code) == (200, 200)
    assert (first.json()["already"], second.json()["already"]) == (False, True)
    assert first.json()["checked_in_at"] == second.json()["checked_in_at"]
    attendance = client.get(f"/api/events/{event.pk}/attendance").json()
    assert attendance["count"] == 1
    assert attendance["items"][0]["checked_in_at"] == first.json()["checked_in_at"]
    assert attendance["items"][0]["email"] == member.email


def test_a_malformed_code_answers_422_naming_the_field(make_event, agrifood, manager):
    event = make_event(clusters=[agrifood])
    response = client_for(manager).post(
        f"/api/events/{event.pk}/check-in",
        json.dumps({"code": "<script>"}),
        content_type="application/json",
    )
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"][-1] == "code"


def test_the_list_hides_members_only_events_from_anonymous_callers(make_event, agrifood, member):
    make_event(title="Open", clusters=[agrifood])
    make_event(title="Closed", clusters=[agrifood], visibility="members")
    anonymous = [e["title"] for e in client_for().get("/api/events").json()["items"]]
    members = [e["title"] for e in client_for(member).get("/api/events").json()["items"]]
    assert anonymous == ["Open"]
    assert sorted(members) == ["Closed", "Open"]
