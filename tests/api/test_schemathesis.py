"""Property-based run of the whole API from its OpenAPI schema (schemathesis, in-process).

As anonymous, and as a member signed in by session (with its CSRF token) or by API
token: no server error, every response conforms to the schema, invalid data is refused,
declared authentication is enforced.
"""

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from django.middleware.csrf import _get_new_csrf_string
from django.test import Client
from hypothesis import HealthCheck, settings

from clusterhub.people.tokens import token_create
from clusterhub.wsgi import application
from tests.factories import MembershipFactory, OrganizationFactory

schema = schemathesis.openapi.from_wsgi("/api/openapi.json", application)

EXAMPLES = settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


@pytest.fixture(autouse=True)
def _keep_the_test_connection():
    """Calling the WSGI app directly closes "old" connections at each request, as a server
    would; on PostgreSQL that closes the test's transaction. Django's test client turns this
    off the same way."""
    for signal in (request_started, request_finished):
        signal.disconnect(close_old_connections)
    yield
    for signal in (request_started, request_finished):
        signal.connect(close_old_connections)


@pytest.fixture
def registry(member_org, other_org, mech):
    """Some organizations to find, and a membership of the member's organization in mech."""
    MembershipFactory(organization=OrganizationFactory(name="Laboratorio Robotica"), cluster=mech)
    return member_org


@pytest.fixture
def member_session_headers(member):
    client = Client()
    client.force_login(member)
    csrf = _get_new_csrf_string()
    session = client.cookies["sessionid"].value
    return {"Cookie": f"sessionid={session}; csrftoken={csrf}", "X-CSRFToken": csrf}


@pytest.fixture
def member_token_headers(member):
    _token, key = token_create(person=member, name="schemathesis")
    return {"Authorization": f"Bearer {key}"}


@pytest.mark.django_db
def test_the_member_identities_really_authenticate(
    member, member_session_headers, member_token_headers
):
    """Otherwise the member runs below would only repeat the anonymous one."""
    client = Client(enforce_csrf_checks=True)
    for headers in (member_session_headers, member_token_headers):
        response = client.get("/api/people/me", headers=headers)
        assert response.status_code == 200
        assert response.json()["email"] == member.email
    # The session's CSRF token is accepted on writes too.
    response = client.post(
        "/api/tokens",
        {"name": "x"},
        content_type="application/json",
        headers=member_session_headers,
    )
    assert response.status_code == 201


@pytest.mark.django_db
@schema.parametrize()
@EXAMPLES
def test_the_api_holds_its_contract_for_anonymous_callers(case, registry):
    case.call_and_validate()


@pytest.mark.django_db
@schema.parametrize()
@EXAMPLES
def test_the_api_holds_its_contract_for_a_member_signed_in_by_session(
    case, registry, member_session_headers
):
    case.call_and_validate(headers=member_session_headers)


@pytest.mark.django_db
@schema.parametrize()
@EXAMPLES
def test_the_api_holds_its_contract_for_a_member_using_a_token(
    case, registry, member_token_headers
):
    case.call_and_validate(headers=member_token_headers)
