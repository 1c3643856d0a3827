"""Every route called as every role, against the one table in matrix.py."""

import pytest
from django.db import transaction
from django.test import Client
from django.urls import reverse

from tests.access.matrix import MATRIX
from tests.access.routes import api_operations, walk
from tests.access.rows import ROLES

pytestmark = pytest.mark.django_db


def call_as(person, row, world):
    client = Client()
    if person is not None:
        client.force_login(person)
    url = reverse(row.route, kwargs=row.kwargs(world))
    call = getattr(client, row.method.lower())
    if row.json:
        return call(url, row.data(world), content_type="application/json")
    if row.method in ("GET", "POST"):
        return call(url, row.data(world))
    return call(url)


@pytest.mark.parametrize("row", MATRIX, ids=lambda row: row.id)
def test_each_role_gets_the_answer_the_matrix_says(world, person_for_role, row):
    answers = {}
    for role in ROLES:
        # Each role starts from the same data: what one role changed is rolled back.
        with transaction.atomic():
            answers[role] = call_as(person_for_role(role), row, world).status_code
            transaction.set_rollback(True)

    assert answers == dict(zip(ROLES, row.expect, strict=True))


def test_every_named_route_has_a_row_in_the_matrix():
    in_matrix = {row.route for row in MATRIX}
    named = {route.name for route in walk() if route.name}

    assert named - in_matrix == set()
    assert in_matrix - named - {row.route for row in MATRIX if row.json} == set()


def test_every_api_operation_has_a_row_in_the_matrix():
    in_matrix = {row.route.removeprefix("api:") for row in MATRIX if row.json}
    operations = {func.__name__ for _method, _path, func in api_operations()}

    assert operations - in_matrix == set()
