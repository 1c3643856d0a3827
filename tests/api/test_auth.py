"""Session and token authentication of the API."""

import hashlib

import pytest
from django.test import Client

from clusterhub.people.models import ApiToken
from clusterhub.people.tokens import token_create, token_revoke

pytestmark = pytest.mark.django_db


def test_a_valid_token_authenticates_its_person(client, member, bearer):
    response = client.get("/api/people/me", HTTP_AUTHORIZATION=bearer(member))
    assert response.status_code == 200
    assert response.json()["email"] == member.email
    assert response.json()["role"] == "member"


def test_it_refuses_a_wrong_token_even_on_a_public_operation(client, member):
    token_create(person=member, name="real")
    assert client.get("/api/people/me", HTTP_AUTHORIZATION="Bearer nope").status_code == 401
    assert client.get("/api/clusters", HTTP_AUTHORIZATION="Bearer nope").status_code == 401


def test_it_refuses_a_revoked_token(client, member):
    token, key = token_create(person=member, name="old laptop")
    token_revoke(person=member, token_id=token.pk)
    response = client.get("/api/people/me", HTTP_AUTHORIZATION=f"Bearer {key}")
    assert response.status_code == 401


def test_it_refuses_the_token_of_a_deactivated_person(client, member, bearer):
    header = bearer(member)
    member.is_active = False
    member.save(update_fields=["is_active"])
    assert client.get("/api/people/me", HTTP_AUTHORIZATION=header).status_code == 401


def test_a_token_is_stored_only_as_its_hash_and_its_use_is_recorded(client, member):
    token, key = token_create(person=member, name="ci")
    stored = ApiToken.objects.get(pk=token.pk)
    assert stored.key_hash == hashlib.sha256(key.encode()).hexdigest()
    assert key not in {stored.key_hash, stored.prefix, stored.name}
    assert stored.last_used_at is None
    client.get("/api/people/me", HTTP_AUTHORIZATION=f"Bearer {key}")
    stored.refresh_from_db()
    assert stored.last_used_at is not None


def test_the_key_is_shown_once_at_creation_and_never_listed(member):
    client = Client()
    client.force_login(member)
    created = client.post("/api/tokens", {"name": "script"}, content_type="application/json")
    assert created.status_code == 201
    key = created.json()["key"]
    listed = client.get("/api/tokens").json()
    assert listed["count"] == 1
    assert "key" not in listed["items"][0]
    assert key not in client.get("/api/tokens").content.decode()
    assert client.get("/api/people/me", HTTP_AUTHORIZATION=f"Bearer {key}").status_code == 200


def test_a_person_cannot_see_or_revoke_another_persons_token(member, org_admin):
    other_token, other_key = token_create(person=org_admin, name="theirs")
    client = Client()
    client.force_login(member)
    assert client.get("/api/tokens").json()["count"] == 0
    assert client.delete(f"/api/tokens/{other_token.pk}").status_code == 404
    assert (
        Client().get("/api/people/me", HTTP_AUTHORIZATION=f"Bearer {other_key}").status_code == 200
    )


def test_revoking_through_the_api_stops_the_token_at_once(member, bearer):
    header = bearer(member)
    token = ApiToken.objects.get(person=member)
    client = Client()
    assert client.delete(f"/api/tokens/{token.pk}", HTTP_AUTHORIZATION=header).status_code == 204
    assert client.get("/api/people/me", HTTP_AUTHORIZATION=header).status_code == 401


def test_session_writes_need_the_csrf_token(member):
    client = Client(enforce_csrf_checks=True)
    client.force_login(member)
    refused = client.post("/api/tokens", {"name": "x"}, content_type="application/json")
    assert refused.status_code == 403
    assert "CSRF" in refused.json()["detail"]
    assert not ApiToken.objects.exists()
    client.get("/api/docs")  # any page that sets the CSRF cookie
    csrf = client.cookies["csrftoken"].value
    accepted = client.post(
        "/api/tokens", {"name": "x"}, content_type="application/json", HTTP_X_CSRFTOKEN=csrf
    )
    assert accepted.status_code == 201


def test_token_writes_need_no_csrf_token(member, bearer):
    client = Client(enforce_csrf_checks=True)
    response = client.post(
        "/api/tokens",
        {"name": "from a script"},
        content_type="application/json",
        HTTP_AUTHORIZATION=bearer(member),
    )
    assert response.status_code == 201


def test_an_anonymous_write_hears_401_not_a_csrf_complaint():
    client = Client(enforce_csrf_checks=True)
    response = client.post("/api/tokens", {"name": "x"}, content_type="application/json")
    assert response.status_code == 401


def test_public_operations_still_know_who_is_signed_in(client, manager, other_org):
    """The directory is public; a signed-in caller is recognised, not treated as anonymous."""
    client.force_login(manager)
    assert client.get("/api/organizations").status_code == 200
    assert client.get("/api/people/me").json()["managed_clusters"] == ["agrifood"]


@pytest.mark.parametrize("name", ["\x1e\x1e", "   ", "\x85"])
def test_a_token_name_of_only_spaces_or_control_characters_is_refused_by_the_schema(
    client, member, name
):
    client.force_login(member)
    response = client.post("/api/tokens", {"name": name}, content_type="application/json")
    assert response.status_code == 422
    assert "name" in response.content.decode()
