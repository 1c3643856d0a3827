"""The monitoring operations hold their OpenAPI contract for a regional officer (schemathesis):
whatever the query, no server error and a response of the declared shape."""

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from django.test import Client
from hypothesis import HealthCheck, settings

from clusterhub.wsgi import application

schema = schemathesis.openapi.from_wsgi("/api/openapi.json", application).include(
    path_regex=r"^/api/monitoring/"
)


@pytest.fixture(autouse=True)
def _keep_the_test_connection():
    for signal in (request_started, request_finished):
        signal.disconnect(close_old_connections)
    yield
    for signal in (request_started, request_finished):
        signal.connect(close_old_connections)


@pytest.fixture
def officer_headers(officer):
    client = Client()
    client.force_login(officer)
    return {"Cookie": f"sessionid={client.cookies['sessionid'].value}"}


@pytest.mark.django_db
@schema.parametrize()
@settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
def test_the_monitoring_api_holds_its_contract_for_an_officer(case, world, officer_headers):
    case.call_and_validate(headers=officer_headers)
