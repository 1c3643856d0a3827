"""Who may call which API operation: one table, every operation, every role.

Statuses: 401 anonymous on a non-public operation, 403 role too weak, 404 object outside
the caller's reach (another cluster's memberships and people, another organization).
"""

import json
import re
from importlib import import_module
from types import SimpleNamespace

import pytest

from clusterhub.api import api
from clusterhub.core.access import Role, policy_of

pytestmark = pytest.mark.django_db

A, M, OA, MG, OF = Role.ANONYMOUS, Role.MEMBER, Role.ORG_ADMIN, Role.MANAGER, Role.OFFICER


def everyone(status):
    return dict.fromkeys(Role, status)


def signed_in(status):
    return {A: 401, M: status, OA: status, MG: status, OF: status}


# (method, path, body, expected status by role). {own} is the member/org admin's
# organization (agrifood), {foreign} an organization of the mech cluster.
MATRIX = [
    ("GET", "/api/clusters", None, everyone(200)),
    ("GET", "/api/clusters/agrifood", None, everyone(200)),
    ("GET", "/api/taxonomy/competences", None, everyone(200)),
    ("GET", "/api/taxonomy/s3-themes", None, everyone(200)),
    ("GET", "/api/territories", None, everyone(200)),
    ("GET", "/api/organizations", None, everyone(200)),
    ("GET", "/api/organizations/{own}", None, everyone(200)),
    ("GET", "/api/export/organizations.csv", None, everyone(200)),
    ("GET", "/api/export/organizations.json", None, everyone(200)),
    (
        "PATCH",
        "/api/organizations/{own}",
        {"version": 1, "city": "Parma"},
        {A: 401, M: 403, OA: 200, MG: 200, OF: 200},
    ),
    (
        "PATCH",
        "/api/organizations/{foreign}",
        {"version": 1, "city": "Parma"},
        {A: 401, M: 403, OA: 404, MG: 404, OF: 200},
    ),
    (
        "POST",
        "/api/organizations",
        {"name": "Nuova Impresa Srl", "kind": "firm", "cluster": "agrifood"},
        {A: 401, M: 403, OA: 403, MG: 201, OF: 201},
    ),
    (
        "POST",
        "/api/organizations",
        {"name": "Nuova Impresa Srl", "kind": "firm", "cluster": "mech"},
        {A: 401, M: 403, OA: 403, MG: 404, OF: 201},
    ),
    (
        "GET",
        "/api/clusters/agrifood/memberships",
        None,
        {A: 401, M: 403, OA: 403, MG: 200, OF: 200},
    ),
    ("GET", "/api/clusters/mech/memberships", None, {A: 401, M: 403, OA: 403, MG: 404, OF: 200}),
    (
        "POST",
        "/api/clusters/agrifood/memberships",
        {"organization_id": "{foreign}", "status": "invited"},
        {A: 401, M: 403, OA: 403, MG: 201, OF: 201},
    ),
    (
        "POST",
        "/api/clusters/mech/memberships",
        {"organization_id": "{own}"},
        {A: 401, M: 403, OA: 403, MG: 404, OF: 201},
    ),
    (
        "PATCH",
        "/api/clusters/agrifood/memberships/{own_membership}",
        {"status": "suspended"},
        {A: 401, M: 403, OA: 403, MG: 200, OF: 200},
    ),
    (
        "PATCH",
        "/api/clusters/mech/memberships/{foreign_membership}",
        {"status": "suspended"},
        {A: 401, M: 403, OA: 403, MG: 404, OF: 200},
    ),
    ("GET", "/api/people/me", None, signed_in(200)),
    ("GET", "/api/clusters/agrifood/people", None, {A: 401, M: 403, OA: 403, MG: 200, OF: 200}),
    ("GET", "/api/clusters/mech/people", None, {A: 401, M: 403, OA: 403, MG: 404, OF: 200}),
    ("GET", "/api/tokens", None, signed_in(200)),
    ("POST", "/api/tokens", {"name": "laptop"}, signed_in(201)),
    ("DELETE", "/api/tokens/{own_token}", None, signed_in(204)),
    ("GET", "/api/match", None, signed_in(422)),  # no need given
    ("GET", "/api/match?q=robotica", None, signed_in(200)),
    ("GET", "/api/organizations/{own}/similar", None, everyone(200)),
    ("POST", "/api/match/consortium", {"q": "robotica"}, signed_in(200)),
    ("GET", "/api/projects", None, everyone(200)),
    ("GET", "/api/projects/{project}", None, everyone(200)),
    ("GET", "/api/monitoring/indicators", None, {A: 401, M: 403, OA: 403, MG: 200, OF: 200}),
    (
        "GET",
        "/api/monitoring/indicators?cluster=mech",
        None,
        {A: 401, M: 403, OA: 403, MG: 404, OF: 200},
    ),
    ("GET", "/api/monitoring/network", None, {A: 401, M: 403, OA: 403, MG: 200, OF: 200}),
    (
        "GET",
        "/api/monitoring/network?cluster=mech",
        None,
        {A: 401, M: 403, OA: 403, MG: 404, OF: 200},
    ),
]

# The apps added later keep their cases in tests/api/permissions_<app>.py.
APP_MODULES = [
    import_module(f"tests.api.permissions_{app}")
    for app in (
        "contributions",
        "trends",
        "events",
        "opportunities",
        "engagement",
        "digest",
        "assessment",
        "agenda",
        "audit",
        "privacy",
    )
]
MATRIX += [case for module in APP_MODULES for case in module.MATRIX]


class LazyIds(dict):
    """The ids of the matrix; those of the apps' objects are made on first use."""

    def __init__(self, fixed, world):
        super().__init__(fixed)
        self.world = world

    def __missing__(self, key):
        for module in APP_MODULES:
            if key in module.IDS:
                self[key] = module.IDS[key](self.world)
                return self[key]
        raise KeyError(key)


CASES = [
    pytest.param(method, path, body, role, status, id=f"{method} {path} as {role}")
    for method, path, body, expected in MATRIX
    for role, status in expected.items()
]


@pytest.fixture
def ids(member_org, other_org, person_for_role):
    from clusterhub.people.tokens import token_create

    def make(role):
        person = person_for_role(role)
        own_token = token_create(person=person, name="old")[0].pk if person else 1
        fixed = {
            "own": member_org.pk,
            "foreign": other_org.pk,
            "own_membership": member_org.memberships.get().pk,
            "foreign_membership": other_org.memberships.get().pk,
            "own_token": own_token,
            "project": _project_id(),
        }
        world = SimpleNamespace(member_org=member_org, other_org=other_org, person=person)
        return LazyIds(fixed, world)

    return make


def _project_id():
    from clusterhub.projects.models import Project

    return Project.objects.get_or_create(
        cordis_id="101000001", defaults={"framework": "HORIZON", "title": "A project"}
    )[0].pk


def _fill(value, ids):
    if isinstance(value, str):
        filled = value.format_map(ids)
        return int(filled) if value.startswith("{") and filled.isdigit() else filled
    if isinstance(value, dict):
        return {key: _fill(item, ids) for key, item in value.items()}
    return value


@pytest.mark.parametrize(("method", "path", "body", "role", "status"), CASES)
def test_each_role_gets_the_status_of_the_matrix(as_role, ids, method, path, body, role, status):
    role_ids = ids(None if role == Role.ANONYMOUS else role)
    client = as_role(None if role == Role.ANONYMOUS else role)
    response = client.generic(
        method,
        _fill(path, role_ids),
        json.dumps(_fill(body, role_ids)) if body is not None else "",
        content_type="application/json",
    )
    assert response.status_code == status, response.content[:300]


def _operations():
    api.urls  # noqa: B018  (binds the routers)
    for _prefix, router in api._routers:
        for path, path_view in router.path_operations.items():
            for operation in path_view.operations:
                for method in operation.methods:
                    yield method, "/api" + path, operation


def test_every_operation_declares_a_policy_and_enforces_the_same_one():
    for method, path, operation in _operations():
        policy = policy_of(operation.view_func)
        assert getattr(operation.view_func, "access_policy", None) is not None, (method, path)
        enforced = {getattr(callback, "policy", policy) for callback in operation.auth_callbacks}
        assert enforced == {policy}, (method, path, enforced)


def _shape(path):
    """A path with its parameters and cluster slugs blanked: /api/clusters/{}/people."""
    return re.sub(r"\{[^}]+\}|agrifood|mech", "{}", path)


def test_every_operation_is_in_the_matrix():
    covered = {(method, _shape(path)) for method, path, _body, _expected in MATRIX}
    missing = [(m, p) for m, p, _op in _operations() if (m, _shape(p)) not in covered]
    assert missing == []
