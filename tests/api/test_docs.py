"""The OpenAPI schema and its docs page, served from this origin only."""

import re

import pytest

pytestmark = pytest.mark.django_db


def test_the_schema_lists_the_operations_and_both_ways_to_authenticate(client):
    schema = client.get("/api/openapi.json").json()
    assert "/api/organizations/{organization_id}" in schema["paths"]
    assert set(schema["components"]["securitySchemes"]) == {"BearerToken", "SessionCookie"}
    # Public operations say authentication is optional ({}), others require it.
    assert {} in schema["paths"]["/api/organizations"]["get"]["security"]
    assert {} not in schema["paths"]["/api/tokens"]["get"]["security"]


def test_the_docs_page_uses_no_cdn(client):
    response = client.get("/api/docs")
    assert response.status_code == 200
    html = response.content.decode()
    assert "/static/ninja/swagger-ui-bundle.js" in html
    external = re.findall(r"""(?:src|href)=["'](https?:)?//""", html)
    assert external == []
    assert "cdn" not in html.lower()


def test_no_two_schemas_of_the_api_share_a_name():
    """The OpenAPI components are keyed by class name: a second `ScoreOut` would silently
    describe the first one's responses."""
    from ninja import Schema

    from clusterhub.api import api

    api.urls  # noqa: B018  (imports every router)

    def subclasses(cls):
        for sub in cls.__subclasses__():
            yield sub
            yield from subclasses(sub)

    ours = [s for s in subclasses(Schema) if s.__module__.startswith("clusterhub.")]
    names = [s.__name__ for s in ours]
    assert sorted({n for n in names if names.count(n) > 1}) == []
