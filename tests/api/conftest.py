"""Clients for the API, one per role, signed in with their session or a token."""

import pytest
from django.test import Client

from clusterhub.people.tokens import token_create


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    """The role fixtures hash four passwords per test; the real hasher is slow on purpose."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def as_role(person_for_role):
    """A test client signed in (session) as the person playing a role; anonymous for None."""

    def make(role):
        client = Client()
        person = person_for_role(role)
        if person is not None:
            client.force_login(person)
        return client

    return make


@pytest.fixture
def bearer(db):
    """`Authorization` header value for a fresh token of this person."""

    def make(person):
        _token, key = token_create(person=person, name="test")
        return f"Bearer {key}"

    return make
