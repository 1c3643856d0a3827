"""Deny by default: no route and no API operation may exist without a declared policy."""

from clusterhub.core.access import Policy, policy_of
from tests.access.routes import api_operations, walk


def test_every_route_declares_a_policy():
    routes = list(walk())
    undeclared = [
        f"{r.pattern} ({r.name or 'unnamed'})" for r in routes if policy_of(r.callback) is None
    ]

    assert len(routes) > 10  # the walk really found the project's routes
    assert undeclared == []


def test_back_office_routes_are_left_to_the_admins_staff_checks_or_closed():
    admin_routes = {
        r.name: policy_of(r.callback)
        for r in walk(skipped=frozenset({"api"}))
        if r.name.startswith("admin:")
    }

    assert set(admin_routes.values()) <= {Policy.STAFF, None}
    # The person pages of Django's UserAdmin are defined outside django.contrib.admin.
    assert admin_routes["admin:people_person_add"] == Policy.STAFF
    assert admin_routes["admin:auth_user_password_change"] == Policy.STAFF


def test_every_api_operation_declares_a_policy():
    operations = list(api_operations())
    undeclared = [
        f"{method} {path} ({func.__module__}.{func.__name__})"
        for method, path, func in operations
        if getattr(func, "access_policy", None) is None
    ]

    assert operations  # the walk really found the API's operations
    assert undeclared == []


def test_the_walk_finds_an_undeclared_route():
    """The checks above would fail: a view without a policy has none."""

    def undeclared_view(request):  # pragma: no cover - never called
        raise AssertionError

    assert policy_of(undeclared_view) is None
