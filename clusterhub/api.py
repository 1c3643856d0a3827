"""The REST API: one NinjaAPI, one router per app. Schema at /api/openapi.json, docs at /api/docs.

Who may call what: every operation is decorated with `@access(Policy.X)` and passes
`auth=auth_for(Policy.X)` with the same policy (tests/api/test_permissions.py checks they
agree). Browsers authenticate with their session, machine clients with
`Authorization: Bearer <token>`. Public operations accept anonymous callers and still
know who is signed in. Anonymous callers of other operations get 401, callers whose
role is too weak 403, and objects outside the caller's reach 404 (from the selectors).
"""

import json
from typing import Any

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext_lazy as _
from ninja import Field, NinjaAPI, Path, Schema
from ninja.errors import AuthenticationError, HttpError
from ninja.openapi.docs import Swagger, render_template
from ninja.openapi.schema import OpenAPISchema
from ninja.operation import Operation
from ninja.pagination import LimitOffsetPagination
from ninja.security import APIKeyCookie, HttpBearer
from ninja.utils import check_csrf

from clusterhub.core.access import Policy, allows
from clusterhub.people.tokens import token_authenticate
from clusterhub.registry.services import StaleVersionError

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "TRACE"})
MAX_PAGE_SIZE = 200
# Keeps OFFSET inside a 64-bit integer on every database backend.
MAX_OFFSET = 10_000_000
# Ids are 64-bit; a larger number would overflow the database driver, not miss a row.
MAX_ID = 2**63 - 1
# PostgreSQL refuses NUL characters in text: the schema refuses them first.
NO_NUL = r"^[^\x00]*$"
# A required name: no NUL, and at least one character that is neither a space nor a control
# character (Python's strip() also removes \x1c-\x1f and \x85, which JSON Schema's \s keeps).
NOT_BLANK = r"^[^\x00]*[^\s\x00-\x1f\x7f-\x9f][^\x00]*$"
SLUG_PATTERN = r"^[-a-zA-Z0-9_]+$"
# The path parameters of every router: an object's id, a cluster's slug.
ID = Path(..., ge=1, le=MAX_ID)
SLUG = Path(..., max_length=50, pattern=SLUG_PATTERN)


def _admit(policy: Policy, user: Any) -> Any:
    if not allows(policy, user):
        raise HttpError(403, str(_("Your role does not allow this operation.")))
    return user


class BearerToken(HttpBearer):
    """`Authorization: Bearer <token>`, a key from POST /api/tokens."""

    def __init__(self, policy: Policy) -> None:
        self.policy = policy
        super().__init__()

    def authenticate(self, request: HttpRequest, token: str) -> Any:
        person = token_authenticate(raw_key=token)
        if person is None:
            # A client that sends a key means to be someone: a wrong key is never anonymous.
            raise AuthenticationError(401, str(_("Invalid or revoked API token.")))
        request.user = person
        return _admit(self.policy, person)


class SessionCookie(APIKeyCookie):
    """The browser's Django session; writes need the CSRF token (X-CSRFToken header)."""

    def __init__(self, policy: Policy) -> None:
        self.policy = policy
        self.param_name = settings.SESSION_COOKIE_NAME
        super().__init__(csrf=True)

    def _get_key(self, request: HttpRequest) -> str | None:
        # CSRF is checked in authenticate, and only for a signed-in session: an anonymous
        # write should hear 401 (sign in), not a CSRF complaint.
        return request.COOKIES.get(self.param_name)

    def authenticate(self, request: HttpRequest, key: str | None) -> Any:
        user = request.user
        if not user.is_authenticated:
            return None
        if request.method not in SAFE_METHODS and check_csrf(request):
            raise HttpError(
                403, str(_("CSRF check failed: send the csrftoken cookie's value in X-CSRFToken."))
            )
        return _admit(self.policy, user)


def allow_anonymous(request: HttpRequest) -> AnonymousUser:
    """Last resort of public operations: nobody signed in, which is fine there."""
    return AnonymousUser()


def auth_for(policy: Policy) -> list[Any]:
    """The ninja `auth=` for an operation declared with `@access(policy)`."""
    callbacks: list[Any] = [BearerToken(policy), SessionCookie(policy)]
    if policy == Policy.PUBLIC:
        callbacks.append(allow_anonymous)
    return callbacks


class ErrorOut(Schema):
    detail: str


class FieldErrorOut(Schema):
    loc: list[str | int]
    msg: str
    type: str


class ValidationErrorOut(Schema):
    detail: list[FieldErrorOut]


class ConflictOut(Schema):
    detail: str
    current_version: int


# Every operation may answer these; listed so the OpenAPI contract names them.
ERRORS: dict[int, Any] = {
    401: ErrorOut,
    403: ErrorOut,
    404: ErrorOut,
    422: ValidationErrorOut,
}
# Operations with a request body may also find it unreadable (not JSON at all).
BODY_ERRORS: dict[int, Any] = {400: ErrorOut, **ERRORS}


class Page(LimitOffsetPagination):
    """`limit`/`offset` pages, never more than MAX_PAGE_SIZE items."""

    class Input(Schema):
        limit: int = Field(50, ge=1, le=MAX_PAGE_SIZE)
        offset: int = Field(0, ge=0, le=MAX_OFFSET)

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(max_limit=MAX_PAGE_SIZE, **kwargs)


class FieldErrors(Exception):
    """Answer 422 naming each field and its problem, shaped like ninja's own validation errors."""

    def __init__(self, errors: dict[str, list[str]]) -> None:
        super().__init__(errors)
        self.detail = [
            {"loc": ["body", "payload", field], "msg": str(message), "type": "value_error"}
            for field, messages in errors.items()
            for message in messages
        ]


class _Schema(OpenAPISchema):
    def operation_security(self, operation: Operation) -> list[dict[str, Any]] | None:
        security = super().operation_security(operation)
        if security is not None and allow_anonymous in operation.auth_callbacks:
            security.append({})  # OpenAPI for "authentication optional"
        return security


class SessionSwagger(Swagger):
    """The docs page, with the CSRF token its "Try it out" needs for writes with the session.

    (ninja adds it only when the API has one global auth; ours is per operation.)
    """

    def render_page(self, request: HttpRequest, api: NinjaAPI, **kwargs: Any) -> HttpResponse:
        self.settings["url"] = self.get_openapi_url(api, kwargs)
        context = {
            "swagger_settings": json.dumps(self.settings, indent=1),
            "api": api,
            "add_csrf": True,
        }
        return render_template(request, self.template, self.template_cdn, context)


class ClusterhubAPI(NinjaAPI):
    def get_openapi_schema(
        self, *, path_prefix: str | None = None, path_params: dict[str, Any] | None = None
    ) -> OpenAPISchema:
        if path_prefix is None:
            path_prefix = self.get_root_path(path_params or {})
        return _Schema(self, path_prefix)


api = ClusterhubAPI(
    title="clusterhub API",
    version="1",
    description=(
        "Registry of a region's innovation ecosystem: clusters, organizations, memberships, "
        "people. Browsers authenticate with their session (CSRF token required on writes); "
        "machine clients with `Authorization: Bearer <token>` (create one with POST /api/tokens)."
    ),
    urls_namespace="api",
    docs=SessionSwagger(),
)


@api.exception_handler(FieldErrors)
def _field_errors(request: HttpRequest, exc: FieldErrors) -> HttpResponse:
    return api.create_response(request, {"detail": exc.detail}, status=422)


@api.exception_handler(DjangoValidationError)
def _model_validation(request: HttpRequest, exc: DjangoValidationError) -> HttpResponse:
    """A service's `full_clean()` refused the data: name the fields, like schema errors."""
    errors = exc.message_dict if hasattr(exc, "error_dict") else {"__all__": exc.messages}
    return _field_errors(request, FieldErrors(errors))


@api.exception_handler(StaleVersionError)
def _stale_version(request: HttpRequest, exc: StaleVersionError) -> HttpResponse:
    return api.create_response(
        request, {"detail": str(exc), "current_version": exc.current_version}, status=409
    )


@api.exception_handler(PermissionDenied)
def _permission_denied(request: HttpRequest, exc: PermissionDenied) -> HttpResponse:
    detail = str(exc) or str(_("You may not do this."))
    return api.create_response(request, {"detail": detail}, status=403)


api.add_router("/", "clusterhub.regions.api.router")
api.add_router("/", "clusterhub.registry.api.router")
api.add_router("/", "clusterhub.people.api.router")
api.add_router("/", "clusterhub.projects.api.router")
api.add_router("/", "clusterhub.matchmaking.api.router")
api.add_router("/", "clusterhub.monitoring.api.router")
api.add_router("/", "clusterhub.contributions.api.router")
api.add_router("/", "clusterhub.trends.api.router")
api.add_router("/", "clusterhub.events.api.router")
api.add_router("/", "clusterhub.opportunities.api.router")
api.add_router("/", "clusterhub.engagement.api.router")
api.add_router("/", "clusterhub.digest.api.router")
api.add_router("/", "clusterhub.assessment.api.router")
api.add_router("/", "clusterhub.agenda.api_manage.router")
api.add_router("/", "clusterhub.agenda.api_consult.router")
api.add_router("/", "clusterhub.agenda.api_public.router")
api.add_router("/", "clusterhub.audit.api.router")
api.add_router("/", "clusterhub.privacy.api.router")
