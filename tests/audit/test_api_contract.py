"""GET /api/audit as a regional officer, property-based from the OpenAPI schema (the
project-wide schemathesis run calls it as anonymous and member only, who get 401/403):
no server error, every answer conforms to the schema, invalid filters are refused.

Filters the schema cannot express are refused too, with 422 naming them (a cluster slug no
cluster has, a start date after the end date): the check that schema-valid requests are
accepted is left out for that reason, and tests/audit/test_views.py checks those 422s."""

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.specs.openapi.checks import positive_data_acceptance

from clusterhub.audit.models import AuditAction
from clusterhub.audit.services import record_audit
from clusterhub.people.tokens import token_create
from clusterhub.wsgi import application

schema = schemathesis.openapi.from_wsgi("/api/openapi.json", application).include(path="/api/audit")


@pytest.fixture(autouse=True)
def _keep_the_test_connection():
    for signal in (request_started, request_finished):
        signal.disconnect(close_old_connections)
    yield
    for signal in (request_started, request_finished):
        signal.connect(close_old_connections)


@pytest.fixture
def officer_headers(officer, agrifood):
    record_audit(
        actor=officer,
        action=AuditAction.MERGE,
        target_label="<b>kept</b>",
        cluster=agrifood,
        before={"nested": {"list": [1, "two", None]}},
        after={"kept": 1},
    )
    _token, key = token_create(person=officer, name="contract")
    return {"Authorization": f"Bearer {key}"}


@pytest.mark.django_db
@schema.parametrize()
@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
def test_the_audit_api_holds_its_contract_for_an_officer(case, officer_headers):
    case.call_and_validate(headers=officer_headers, excluded_checks=[positive_data_acceptance])
