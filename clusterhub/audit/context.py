"""Who is acting, for entries written by signal handlers that have no `actor` argument.

`AuditActorMiddleware` remembers the current request in a context variable; the acting
person is read from `request.user` when an entry is written (so API token callers, whom the
API authenticates after the middleware ran, are known too). Code that runs without a request
(tasks, commands) or acts on someone else's behalf says so with `acting_as(person)`.
"""

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

from django.http import HttpRequest, HttpResponse

_request: ContextVar[HttpRequest | None] = ContextVar("audit_request", default=None)
_acting: ContextVar[tuple[Any, str] | None] = ContextVar("audit_acting", default=None)
_purge_allowed: ContextVar[bool] = ContextVar("audit_purge_allowed", default=False)


class AuditActorMiddleware:
    """Makes the request's person the actor of audit entries written while it is served."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        token = _request.set(request)
        try:
            return self.get_response(request)
        finally:
            _request.reset(token)


@contextmanager
def acting_as(actor: Any, note: str = "") -> Iterator[None]:
    """Entries written inside name `actor` (a person, or None for the system) and `note`."""
    token = _acting.set((actor, note))
    try:
        yield
    finally:
        _acting.reset(token)


def _signed_in(user: Any) -> Any:
    return user if getattr(user, "is_authenticated", False) else None


def current_actor() -> Any:
    """The person acting now: the one named by `acting_as`, else the request's, else None."""
    acting = _acting.get()
    if acting is not None:
        return _signed_in(acting[0])
    request = _request.get()
    if request is None:
        return None
    return _signed_in(getattr(request, "user", None))


def current_note() -> str:
    """Where the change came from: the `acting_as` note, else the request's method and path."""
    acting = _acting.get()
    if acting is not None:
        return acting[1]
    request = _request.get()
    if request is None:
        return ""
    return f"{request.method} {request.path}"


@contextmanager
def purge_allowed() -> Iterator[None]:
    """Let this thread empty the audit table (the `flush` command, for test databases)."""
    token = _purge_allowed.set(True)
    try:
        yield
    finally:
        _purge_allowed.reset(token)


def audit_locked() -> int:
    """SQLite function read by the delete trigger: 1 unless inside `purge_allowed`."""
    return 0 if _purge_allowed.get() else 1
