"""The health view: what a monitor or proxy polls, and the ceiling of bench/load.py."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_healthz_answers_ok_without_touching_the_database(client, django_assert_num_queries):
    with django_assert_num_queries(0):
        response = client.get(reverse("core:healthz"))
    assert response.status_code == 200
    assert response.content == b"ok"
    assert response["Content-Type"].startswith("text/plain")


def test_healthz_is_never_cached(client):
    response = client.get(reverse("core:healthz"))
    assert "no-cache" in response["Cache-Control"]


def test_healthz_answers_signed_in_people_too(client, member):
    client.force_login(member)
    response = client.get(reverse("core:healthz"))
    assert response.status_code == 200
    assert response.content == b"ok"
