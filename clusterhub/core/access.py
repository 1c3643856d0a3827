"""Who may use which route. Deny by default.

Every Django view and every API operation declares a `Policy` with `@access(...)`.
`AccessPolicyMiddleware` refuses any view that declares none, so a new route is closed
until someone decides who may use it. The policy is a coarse gate (signed in? which
role?); object-level checks (which cluster, which organization) live in the selectors,
which answer 404 for objects outside the caller's reach.
"""

from collections.abc import Callable
from enum import StrEnum
from typing import Any, TypeVar

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse, HttpResponseForbidden

F = TypeVar("F", bound=Callable[..., Any])


class Policy(StrEnum):
    PUBLIC = "public"  # anyone, signed in or not
    AUTHENTICATED = "authenticated"  # any signed-in person
    ORG_ADMIN = "org_admin"  # admin of some organization (object checked in selectors)
    MANAGER = "manager"  # manager of some cluster (object checked in selectors)
    OFFICER = "officer"  # regional officer
    STAFF = "staff"  # Django admin back office, which enforces its own checks


class Role(StrEnum):
    """The roles of the access matrix, from least to most powerful."""

    ANONYMOUS = "anonymous"
    MEMBER = "member"
    ORG_ADMIN = "org_admin"
    MANAGER = "manager"
    OFFICER = "officer"


def access(policy: Policy) -> Callable[[F], F]:
    """Declare who may call a view or API operation."""

    def decorate(func: F) -> F:
        func.access_policy = policy  # type: ignore[attr-defined]
        return func

    return decorate


def role_of(user: Any) -> Role:
    """The most powerful role a user holds anywhere."""
    if not getattr(user, "is_authenticated", False):
        return Role.ANONYMOUS
    if user.is_regional_officer:
        return Role.OFFICER
    if user.cluster_roles.exists():
        return Role.MANAGER
    if user.organization_roles.filter(role="admin").exists():
        return Role.ORG_ADMIN
    return Role.MEMBER


_ALLOWED: dict[Policy, set[Role]] = {
    Policy.AUTHENTICATED: {Role.MEMBER, Role.ORG_ADMIN, Role.MANAGER, Role.OFFICER},
    Policy.ORG_ADMIN: {Role.ORG_ADMIN, Role.MANAGER, Role.OFFICER},
    Policy.MANAGER: {Role.MANAGER, Role.OFFICER},
    Policy.OFFICER: {Role.OFFICER},
}


def allows(policy: Policy, user: Any) -> bool:
    if policy in (Policy.PUBLIC, Policy.STAFF):
        return True
    return role_of(user) in _ALLOWED[policy]


def policy_of(view_func: Callable[..., Any]) -> Policy | None:
    """The declared policy of a resolved view; admin and API views enforce their own."""
    declared = getattr(view_func, "access_policy", None)
    if declared is not None:
        return Policy(declared)
    target = getattr(view_func, "func", view_func)  # unwrap functools.partial
    module = getattr(target, "__module__", "") or ""
    # UserAdmin's own views (add a person, set a password) live in django.contrib.auth.admin.
    if module.startswith(("django.contrib.admin", "django.contrib.auth.admin")):
        return Policy.STAFF
    if module.startswith("ninja."):
        # The API dispatches to operations that each declare a policy and enforce
        # it through ninja's auth; see clusterhub/api.py and tests/test_access.py.
        return Policy.PUBLIC
    return None


class AccessPolicyMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(
        self, request: HttpRequest, view_func: Callable[..., Any], args: Any, kwargs: Any
    ) -> HttpResponse | None:
        policy = policy_of(view_func)
        if policy is None:
            if settings.DEBUG:
                return HttpResponseForbidden(f"Route {request.path} declares no access policy.")
            return HttpResponseForbidden()
        if policy in (Policy.PUBLIC, Policy.STAFF):
            return None
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not allows(policy, request.user):
            return HttpResponseForbidden()
        return None
