import hashlib

import pytest
from django.urls import reverse

from clusterhub.people.models import ApiToken
from clusterhub.people.tokens import token_create
from tests.factories import PersonFactory

pytestmark = pytest.mark.django_db


def test_a_person_changes_their_name_and_language(client, member):
    client.force_login(member)

    response = client.post(
        reverse("people:account"), {"full_name": " Maria Bianchi ", "language": "en"}
    )

    assert response.status_code == 302
    member.refresh_from_db()
    assert (member.full_name, member.language) == ("Maria Bianchi", "en")
    assert response.cookies["django_language"].value == "en"


def test_an_unknown_language_is_refused_and_nothing_changes(client, member):
    client.force_login(member)
    name_before = member.full_name

    response = client.post(reverse("people:account"), {"full_name": "X", "language": "klingon"})

    assert response.status_code == 200
    assert "language" in response.context["profile_form"].errors
    member.refresh_from_db()
    assert member.full_name == name_before


def test_the_account_page_lists_my_roles(client, manager, agrifood):
    client.force_login(manager)

    response = client.get(reverse("people:account"))

    assert agrifood.name in response.content.decode()
    assert reverse("registry_manage:members", args=["agrifood"]) in response.content.decode()


def test_a_new_token_key_is_shown_once_and_only_its_hash_is_stored(client, member):
    client.force_login(member)

    response = client.post(reverse("people:token_create"), {"name": "my script"})

    key = response.context["new_key"]
    assert key in response.content.decode()
    token = ApiToken.objects.get(person=member)
    assert token.key_hash == hashlib.sha256(key.encode()).hexdigest()
    assert key not in client.get(reverse("people:account")).content.decode()


def test_a_token_needs_a_name(client, member):
    client.force_login(member)

    response = client.post(reverse("people:token_create"), {"name": ""})

    assert response.status_code == 400
    assert not ApiToken.objects.exists()


def test_a_person_revokes_their_token(client, member):
    token, _key = token_create(person=member, name="old script")
    client.force_login(member)

    response = client.post(reverse("people:token_revoke", args=[token.pk]))

    assert response.status_code == 302
    token.refresh_from_db()
    assert token.revoked_at is not None


def test_a_person_cannot_revoke_someone_elses_token(client, member):
    token, _key = token_create(person=PersonFactory(), name="not yours")
    client.force_login(member)

    response = client.post(reverse("people:token_revoke", args=[token.pk]))

    assert response.status_code == 404
    token.refresh_from_db()
    assert token.revoked_at is None
